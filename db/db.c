/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Open and create case databases.  A case is one SQLite file in WAL mode,
 * so that an interrupted load leaves the last committed state and a
 * reader (the browser) can look while a load runs.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "triage/xmalloc.h"
#include "db.h"

/* Create the case: fill db->h, the schema, the case information. */
static int
db_create(struct db *db, char **cause)
{
	sqlite3_stmt	*st;
	char		*now, *created;
	int		 missing;

	if (db_exec(db, db_schema, cause) != 0)
		return (-1);
	/* Cases made before filters matched on UTC values lack the column. */
	if (sqlite3_prepare_v2(db->h, "SELECT 1 FROM pragma_table_info('hit') "
	    "WHERE name = 'match_output'", -1, &st, NULL) != SQLITE_OK) {
		*cause = xstrdup(sqlite3_errmsg(db->h));
		return (-1);
	}
	missing = (sqlite3_step(st) != SQLITE_ROW);
	sqlite3_finalize(st);
	if (missing && db_exec(db, "ALTER TABLE hit ADD COLUMN match_output "
	    "TEXT", cause) != 0)
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

int
db_open(const char *path, int flags, struct db **dbp, char **cause)
{
	struct db	*db;
	int		 oflags, version = 0;
	sqlite3_stmt	*st;

	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	if (flags & DB_READONLY)
		oflags = SQLITE_OPEN_READONLY;
	else {
		oflags = SQLITE_OPEN_READWRITE;
		if (flags & DB_CREATE)
			oflags |= SQLITE_OPEN_CREATE;
	}
	if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
		xasprintf(cause, "cannot open case '%s': %s", path,
		    db->h != NULL ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return (-1);
	}
	sqlite3_busy_timeout(db->h, 10000);
	sqlite3_extended_result_codes(db->h, 1);
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK) {
		xasprintf(cause, "'%s' is not a case: %s", path,
		    sqlite3_errmsg(db->h));
		db_close(db);
		return (-1);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > 1) {
		xasprintf(cause, "case '%s' is of a newer evtriage (schema %d)",
		    path, version);
		db_close(db);
		return (-1);
	}
	if (!(flags & DB_READONLY)) {
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
	} else if (version == 0) {
		xasprintf(cause, "'%s' is not an evtriage case", path);
		db_close(db);
		return (-1);
	}
	*dbp = db;
	return (0);
}

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

	if (sqlite3_prepare_v2(db->h, "INSERT OR REPLACE INTO case_info "
	    "(key, value) VALUES (?, ?)", -1, &st, NULL) != SQLITE_OK)
		fatalx("case_info: %s", sqlite3_errmsg(db->h));
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
 * otherwise spends most of its time in pread(2), a page at a time.  Not
 * for loading, whose memory must stay small whatever the case's size.
 */
void
db_read_mode(struct db *db)
{
	db_exec(db, "PRAGMA mmap_size = 1073741824; "
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
