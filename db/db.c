/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Open and create case databases.  A case is one SQLite file in WAL mode,
 * so that an interrupted load leaves the last committed state and a
 * reader (the browser) can look while a load runs.  Also what every
 * file of db/ shares (db-int.h) and the small questions about the whole
 * case: counts, query plans, name/value pairs.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "db-int.h"

/*
 * A column that cases made by older versions lack: a writer adds it
 * (ALTER TABLE ... ADD COLUMN column decl); a reader, which must not
 * change the case, sees the table through a temporary view of the same
 * name that has it NULL (view), so that every query may name it.  With
 * view NULL, a reader does without.  0, or -1 and *cause.
 */
static int
db_old_column(struct db *db, const char *table, const char *column,
    const char *decl, const char *view, char **cause)
{
	sqlite3_stmt	*st;
	char		*sql;
	int		 missing, rc;

	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM pragma_table_info(?1, "
	    "'main') WHERE name = ?2", -1, &st, NULL) != SQLITE_OK) {
		*cause = xstrdup(sqlite3_errmsg(db->h));
		return (-1);
	}
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
	missing = (sqlite3_step(st) != SQLITE_ROW);
	sqlite3_finalize(st);
	if (!missing)
		return (0);
	if (db->readonly) {
		if (view == NULL)
			return (0);
		xasprintf(&sql, "CREATE TEMP VIEW %s AS %s", table, view);
	} else
		xasprintf(&sql, "ALTER TABLE %s ADD COLUMN %s %s", table,
		    column, decl);
	rc = db_exec(db, sql, cause);
	free(sql);
	return (rc);
}

/*
 * The columns later versions added: evidence_path.provenance (the chain
 * of containers), evidence.fast_records (how many of a file's records
 * the fast EVTX reader read), process.reader and process_end.reader
 * (which reader decoded the record).
 */
static int
db_old_columns(struct db *db, char **cause)
{
	if (db_old_column(db, "evidence_path", "provenance", "TEXT",
	    "SELECT evidence_id, path, NULL AS provenance FROM "
	    "main.evidence_path", cause) != 0)
		return (-1);
	if (db_old_column(db, "evidence", "fast_records", "INTEGER",
	    "SELECT *, NULL AS fast_records FROM main.evidence", cause) != 0)
		return (-1);
	if (db_old_column(db, "process", "reader", "TEXT",
	    "SELECT *, NULL AS reader FROM main.process", cause) != 0)
		return (-1);
	return (db_old_column(db, "process_end", "reader", "TEXT",
	    "SELECT *, NULL AS reader FROM main.process_end", cause));
}

/* Create the case: fill db->h, the schema, the case information. */
static int
db_create(struct db *db, char **cause)
{
	char	*now, *created;

	if (db_exec(db, db_schema, cause) != 0)
		return (-1);
	/* Cases made before filters matched on UTC values lack the column. */
	if (db_old_column(db, "hit", "match_output", "TEXT", NULL,
	    cause) != 0 || db_old_columns(db, cause) != 0)
		return (-1);
	if ((created = db_get_info(db, "created")) == NULL) {
		now = db_now();
		db_set_info(db, "created", now);
		db_set_info(db, "generator", PACKAGE_STRING);
		free(now);
	}
	free(created);
	return (0);
}

/* The folder holding path, for the -wal and -shm files SQLite adds. */
static char *
db_dir(const char *path)
{
	char	*copy, *dir;

	copy = xstrdup(path);
	dir = xstrdup(dirname(copy));
	free(copy);
	return (dir);
}

/* The size of path with suffix, or -1 if there is no such file. */
static off_t
db_side_size(const char *path, const char *suffix)
{
	struct stat	 sb;
	char		*side;
	int		 r;

	xasprintf(&side, "%s%s", path, suffix);
	r = stat(side, &sb);
	free(side);
	return (r == 0 ? sb.st_size : -1);
}

/* Can path with suffix be written (or created, if absent)? */
static int
db_side_writable(const char *path, const char *dir, const char *suffix)
{
	char	*side;
	int	 r;

	xasprintf(&side, "%s%s", path, suffix);
	if (access(side, F_OK) == 0)
		r = access(side, W_OK) == 0;
	else
		r = access(dir, W_OK) == 0;
	free(side);
	return (r);
}

/*
 * Must the case be opened with immutable=1?  A reader of a WAL case needs
 * a -shm file it can write.  On read-only storage there is none, and a
 * case whose changes are all in the main file (no -wal, or an empty one:
 * every writer checkpoints when it closes) can be read as it is.  A
 * case with a live -wal cannot: that is reported when the open fails.
 */
static int
db_immutable(const char *path)
{
	char	*dir;
	int	 r;

	dir = db_dir(path);
	r = !db_side_writable(path, dir, "-shm") && db_side_size(path,
	    "-wal") <= 0;
	free(dir);
	return (r);
}

/*
 * The URI that opens path: read-write, or read-only and where need be
 * immutable.  Everything but unreserved characters is escaped, so a path
 * with ? or # in it names the file it says.
 */
char *
db_uri(const char *path, int readonly)
{
	struct buf		 b = { 0 };
	const unsigned char	*p;

	buf_append_str(&b, *path == '/' ? "file://" : "file:");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (strchr("/._~-", *p) != NULL ||
		    (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z'))
			buf_append(&b, p, 1);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	if (!readonly)
		buf_append_str(&b, "?mode=rwc");
	else if (db_immutable(path))
		buf_append_str(&b, "?mode=ro&immutable=1");
	else
		buf_append_str(&b, "?mode=ro");
	return (buf_take(&b));
}

/*
 * Look at path before SQLite does: it must be a regular file holding a
 * SQLite database, or (to create a case) absent or empty.  *exists says
 * which.
 */
static int
db_open_check(const char *path, int flags, int *exists, char **cause)
{
	struct stat	 sb;
	char		 magic[16];
	ssize_t		 n;
	int		 fd;

	*exists = 0;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && (flags & DB_CREATE) &&
		    !(flags & DB_READONLY))
			return (0);
		xasprintf(cause, "cannot open case '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	*exists = 1;
	if (!S_ISREG(sb.st_mode)) {
		xasprintf(cause, "'%s' is not an evtriage case: not a file",
		    path);
		return (-1);
	}
	if (sb.st_size == 0) {
		if (flags & DB_READONLY) {
			xasprintf(cause, "'%s' is an empty file, not an "
			    "evtriage case", path);
			return (-1);
		}
		return (0);
	}
	if ((fd = open(path, O_RDONLY)) == -1) {
		xasprintf(cause, "cannot read case '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	n = read(fd, magic, sizeof magic);
	close(fd);
	if (n != sizeof magic || memcmp(magic, "SQLite format 3", 16) != 0) {
		xasprintf(cause, "'%s' is not an evtriage case (not a SQLite "
		    "database)%s", path, (flags & DB_READONLY) ? "" :
		    "; nothing was written to it: give -d a new file name");
		return (-1);
	}
	return (0);
}

/*
 * Can the case be written?  SQLite writes the file and, beside it, the
 * -wal and -shm files; a folder or file that is read-only (permissions,
 * a read-only mount, chattr +i) is found here rather than half way
 * through a load.
 */
static int
db_open_writable(const char *path, int exists, char **cause)
{
	char		*dir;
	const char	*what = path;
	int		 r = 0;

	dir = db_dir(path);
	if (exists && access(path, W_OK) != 0)
		r = -1;
	else if (access(dir, W_OK) != 0) {
		what = dir;
		r = -1;
	} else if (!db_side_writable(path, dir, "-wal") ||
	    !db_side_writable(path, dir, "-shm"))
		r = -1;
	if (r != 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		xasprintf(cause, "cannot write to case '%s': '%s' is "
		    "read-only (%s); browse, report, evidence and tree read "
		    "it as it is, or copy it to a writable folder", path, what,
		    strerror(errno));
	} else if (r != 0) {
		xasprintf(cause, "cannot create case '%s': '%s': %s", path,
		    what, strerror(errno));
	}
	free(dir);
	return (r);
}

/* Is the open database an evtriage case, and one this version reads? */
static int
db_open_identify(struct db *db, int flags, char **cause)
{
	sqlite3_stmt	*st;
	int		 objects = 0, info = 0, version = 0, rc;
	off_t		 wal;

	if (sqlite3_prepare_v2(db->h, "SELECT (SELECT count(*) FROM "
	    "sqlite_master), (SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = 'case_info'), (SELECT user_version "
	    "FROM pragma_user_version)", -1, &st, NULL) != SQLITE_OK ||
	    (rc = sqlite3_step(st)) != SQLITE_ROW) {
		wal = db_side_size(db->path, "-wal");
		if ((flags & DB_READONLY) && wal > 0) {
			xasprintf(cause, "cannot read case '%s': %s; its "
			    "changes are still in '%s-wal', which needs a "
			    "writable folder: copy both files to one and "
			    "open the copy", db->path,
			    sqlite3_errmsg(db->h), db->path);
		} else {
			xasprintf(cause, "cannot read case '%s': %s",
			    db->path, sqlite3_errmsg(db->h));
		}
		sqlite3_finalize(st);
		return (-1);
	}
	objects = sqlite3_column_int(st, 0);
	info = sqlite3_column_int(st, 1);
	version = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	if (objects == 0) {
		if (flags & DB_READONLY) {
			xasprintf(cause, "'%s' is an empty database, not an "
			    "evtriage case", db->path);
			return (-1);
		}
		return (0);
	}
	if (version == 0 || info == 0) {
		xasprintf(cause, "'%s' is a SQLite database but not an "
		    "evtriage case%s", db->path, (flags & DB_READONLY) ? "" :
		    "; nothing was written to it: give -d a new file name");
		return (-1);
	}
	if (version > 1) {
		xasprintf(cause, "case '%s' is of a newer evtriage (schema %d)",
		    db->path, version);
		return (-1);
	}
	return (0);
}

/*
 * Open the case at path.  With DB_READONLY it must be a case; else it
 * must be a case or (DB_CREATE) absent or empty, and writable.  With
 * DB_MAYREAD as well as write, a case that cannot be written is opened
 * read-only (db->readonly).  Nothing is written to a file that is not a
 * case.
 */
int
db_open(const char *path, int flags, struct db **dbp, char **cause)
{
	struct db	*db;
	char		*uri, *why = NULL;
	int		 oflags, exists, r;

	if (db_open_check(path, flags, &exists, cause) != 0)
		return (-1);
	if (!(flags & DB_READONLY) &&
	    db_open_writable(path, exists, &why) != 0) {
		if (!(flags & DB_MAYREAD) || !exists) {
			*cause = why;
			return (-1);
		}
		free(why);
		flags |= DB_READONLY;
		flags &= ~DB_CREATE;
	}

	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->readonly = (flags & DB_READONLY) != 0;
	/* One thread per connection: no mutex around each call (bind, step). */
	oflags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
	if (db->readonly)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	uri = db_uri(path, db->readonly);
	r = sqlite3_open_v2(uri, &db->h, oflags, NULL);
	free(uri);
	if (r != SQLITE_OK) {
		xasprintf(cause, "cannot open case '%s': %s", path,
		    db->h != NULL ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return (-1);
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	if (db_open_identify(db, flags, cause) != 0) {
		db_close(db);
		return (-1);
	}
	if (!db->readonly) {
		if (db_exec(db, "PRAGMA journal_mode=WAL; "
		    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
		    cause) != 0) {
			db_close(db);
			return (-1);
		}
		/* Every statement is IF NOT EXISTS: older cases get new indexes. */
		if (db_create(db, cause) != 0) {
			db_close(db);
			return (-1);
		}
	} else if (db_old_columns(db, cause) != 0) {
		db_close(db);
		return (-1);
	}
	*dbp = db;
	return (0);
}

/*
 * Close the case.  A writer checkpoints first, so that the case is all
 * in its one file even while another connection (a browser) keeps the
 * -wal alive: copying the .db alone copies everything.
 */
void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->in_txn)
		db_commit(db);
	sqlite3_finalize(db->ins_process);
	sqlite3_finalize(db->ins_end);
	sqlite3_finalize(db->ins_problem);
	sqlite3_finalize(db->del_walk);
	sqlite3_finalize(db->sel_evidence);
	/* Not for long: a reader in a transaction holds it off. */
	if (db->h != NULL && !db->readonly) {
		sqlite3_busy_timeout(db->h, 1000);
		db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
	}
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

int
db_exec(struct db *db, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		if (cause != NULL)
			*cause = xstrdup(err != NULL ? err :
			    sqlite3_errmsg(db->h));
		sqlite3_free(err);
		return (-1);
	}
	return (0);
}

int
db_begin(struct db *db)
{
	if (db->in_txn)
		return (0);
	if (db_exec(db, "BEGIN IMMEDIATE", NULL) != 0)
		return (-1);
	db->in_txn = 1;
	return (0);
}

int
db_commit(struct db *db)
{
	char	*cause = NULL;

	if (!db->in_txn)
		return (0);
	db->in_txn = 0;
	if (db_exec(db, "COMMIT", &cause) != 0)
		fatalx("cannot commit to '%s': %s", db->path, cause);
	return (0);
}

void
db_set_info(struct db *db, const char *key, const char *value)
{
	sqlite3_stmt	*st;

	st = db_prepare(db, "INSERT OR REPLACE INTO case_info "
	    "(key, value) VALUES (?, ?)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		fatalx("case_info: %s", sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
}

/* The value of a case_info key, or NULL. */
char *
db_get_info(struct db *db, const char *key)
{
	sqlite3_stmt	*st;
	char		*v = NULL;
	const char	*s;

	if (sqlite3_prepare_v2(db->h, "SELECT value FROM case_info "
	    "WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return (NULL);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (s = (const char *)sqlite3_column_text(st, 0)) != NULL)
		v = xstrdup(s);
	sqlite3_finalize(st);
	return (v);
}

/*
 * Set the case up for queries over many rows: read through a memory map
 * and a larger page cache, since a detection over a million events
 * otherwise spends most of its time in pread(2), a page at a time.  The
 * map asks for 1 TiB, which SQLite cuts to the most it was built to map
 * (2 GiB in Debian's): a million-event case is 2.6 GB, and with 1 GiB
 * mapped a detection's run made 114,000 preads.  Not for loading, whose
 * memory must stay small whatever the case's size.
 */
void
db_read_mode(struct db *db)
{
	db_exec(db, "PRAGMA mmap_size = 1099511627776; "
	    "PRAGMA cache_size = -32768", NULL);
}

/* The current time as case text: ISO 8601 UTC to the second. */
char *
db_now(void)
{
	char		 out[32];
	time_t		 t;
	struct tm	 tm;
	const char	*fixed;

	/* Tests and reproducible reports may pin the clock. */
	if ((fixed = getenv("EVTRIAGE_NOW")) != NULL)
		return (xstrdup(fixed));
	t = time(NULL);
	gmtime_r(&t, &tm);
	strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return (xstrdup(out));
}

/* The file the case is in. */
const char *
db_path(struct db *db)
{
	return (db->path);
}

/* Was the case opened read-only (asked for, or it cannot be written)? */
int
db_readonly(struct db *db)
{
	return (db->readonly);
}

/*
 * The risk threshold (-m): hits whose risk_score is below it are kept in
 * the case but not listed by db_hit_list or db_detect_hits, so that the
 * browser, detect and every report show the same hits.
 */
void
db_set_min_risk(struct db *db, int min)
{
	db->min_risk = min;
}

int
db_min_risk(struct db *db)
{
	return (db->min_risk);
}

/* How many unfiltered hits the threshold leaves out. */
int
db_hits_below(struct db *db)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	if (db->min_risk <= 0)
		return (0);
	st = db_prepare(db, "SELECT count(*) FROM hit WHERE filter_id IS "
	    "NULL AND risk_score < ?");
	sqlite3_bind_int(st, 1, db->min_risk);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return (n);
}

/*
 * Risk in words: risk_score (0 to 100, impact x confidence / 100 as
 * Splunk's ESCU computes it) in bands of 20, as Splunk Enterprise
 * Security's risk levels have it.
 */
static const struct {
	const char	*name;
	const char	*abbrev;	/* for a narrow column */
	int		 min;
} db_risk_levels[] = {
	{ "critical", "crit", 81 },
	{ "high", "high", 61 },
	{ "medium", "med", 41 },
	{ "low", "low", 21 },
	{ "informational", "info", 0 }
};
#define DB_NLEVELS (sizeof db_risk_levels / sizeof db_risk_levels[0])

static size_t
db_risk_band(int score)
{
	size_t	i;

	for (i = 0; i < DB_NLEVELS - 1; i++) {
		if (score >= db_risk_levels[i].min)
			break;
	}
	return (i);
}

const char *
db_risk_level(int score)
{
	return (db_risk_levels[db_risk_band(score)].name);
}

const char *
db_risk_abbrev(int score)
{
	return (db_risk_levels[db_risk_band(score)].abbrev);
}

/* A threshold: a score from 0 to 100 or a level's name.  0, or -1. */
int
db_risk_parse(const char *s, int *min)
{
	char		*end;
	size_t		 i;
	long		 n;

	for (i = 0; i < DB_NLEVELS; i++) {
		if (strcasecmp(s, db_risk_levels[i].name) == 0 ||
		    (strcasecmp(s, "info") == 0 && db_risk_levels[i].min == 0)) {
			*min = db_risk_levels[i].min;
			return (0);
		}
	}
	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 0 || n > 100)
		return (-1);
	*min = (int)n;
	return (0);
}

/*
 * Prepare a statement of db/'s own.  Its SQL is ours, so failing is a
 * case that is not what it should be (damaged, or not ours): fatal.
 */
sqlite3_stmt *
db_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		fatalx("cannot query case '%s': %s", db->path,
		    sqlite3_errmsg(db->h));
	return (st);
}

/* Column i of the current row as an xmalloc'd string, NULL for NULL. */
char *
db_column_text(sqlite3_stmt *st, int i)
{
	const char	*s;

	s = (const char *)sqlite3_column_text(st, i);
	return (s != NULL ? xstrdup(s) : NULL);
}

/* Column i of the current row as an id or count, -1 for NULL. */
int64_t
db_column_id(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return (-1);
	return (sqlite3_column_int64(st, i));
}

/* Indexes the browser needs that cases made by older versions lack. */
static const char db_browse_indexes[] =
	"CREATE INDEX IF NOT EXISTS process_dest_time ON process "
	"(dest, _time);"
	"CREATE INDEX IF NOT EXISTS process_end_dest_time ON process_end "
	"(dest, _time);"
	"CREATE INDEX IF NOT EXISTS problem_evidence ON problem (evidence_id);"
	"CREATE INDEX IF NOT EXISTS hit_time ON hit (_time);"
	"CREATE INDEX IF NOT EXISTS hit_risk ON hit (risk_score, _time);";

/* Add the browser's indexes to a case that lacks them; 0 or -1. */
int
db_indexes(struct db *db, char **cause)
{
	return (db_exec(db, db_browse_indexes, cause));
}

/* The query plan of sql, one line a step, for tests and benchmarks. */
char *
db_plan(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	struct buf	 b = { 0 };
	char		*q;

	xasprintf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db->h, q, -1, &st, NULL) != SQLITE_OK) {
		free(q);
		return (NULL);
	}
	free(q);
	while (sqlite3_step(st) == SQLITE_ROW) {
		buf_append_str(&b, (const char *)sqlite3_column_text(st, 3));
		buf_append(&b, "\n", 1);
	}
	sqlite3_finalize(st);
	return (buf_take(&b));
}

/* How many rows a table of the case has: process, process_end, hit. */
int64_t
db_count(struct db *db, const char *what)
{
	sqlite3_stmt	*st;
	const char	*sql;
	int64_t		 n = 0;

	if (strcmp(what, "process") == 0)
		sql = "SELECT count(*) FROM process";
	else if (strcmp(what, "process_end") == 0)
		sql = "SELECT count(*) FROM process_end";
	else if (strcmp(what, "hit") == 0)
		sql = "SELECT count(*) FROM hit WHERE filter_id IS NULL";
	else
		sql = "SELECT count(*) FROM hit WHERE filter_id IS NOT NULL";
	st = db_prepare(db, sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

/* Add name and a copy of value (NULL stays NULL) to p. */
void
db_pairs_add(struct db_pairs *p, const char *name, const char *value)
{
	p->names = xreallocarray(p->names, p->n + 1, sizeof *p->names);
	p->values = xreallocarray(p->values, p->n + 1, sizeof *p->values);
	p->names[p->n] = xstrdup(name);
	p->values[p->n] = value != NULL ? xstrdup(value) : NULL;
	p->n++;
}

/* Add the rows of st, name and value, and finalize it. */
void
db_pairs_fill(sqlite3_stmt *st, struct db_pairs *p)
{
	while (sqlite3_step(st) == SQLITE_ROW) {
		db_pairs_add(p, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
}

/* The value of name in p, or NULL. */
const char *
db_pairs_get(const struct db_pairs *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->names[i], name) == 0)
			return (p->values[i]);
	}
	return (NULL);
}

void
db_pairs_clear(struct db_pairs *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->names[i]);
		free(p->values[i]);
	}
	free(p->names);
	free(p->values);
	memset(p, 0, sizeof *p);
}
