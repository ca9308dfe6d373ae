/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Load evidence into the case.  An evidence file is known by its SHA-256
 * and each event by its file and record index, so loading the same
 * evidence again adds nothing, and a load cut short is completed by
 * running it again: the rows it had committed are kept, the rest added.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db-int.h"

static void
db_load_step(struct db *db, sqlite3_stmt *st)
{
	int	rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		fatalx("cannot write to '%s': %s", db->path,
		    sqlite3_errmsg(db->h));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Look up an evidence file by hash: 1 known (id, status set), 0 not. */
int
db_load_find(struct db *db, const char *sha, int64_t *id, char **status)
{
	sqlite3_stmt	*st;
	int		 found = 0;

	st = db_prepare(db, "SELECT id, status FROM evidence "
	    "WHERE sha256 = ?");
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (status != NULL)
			*status = xstrdup((const char *)
			    sqlite3_column_text(st, 1));
		found = 1;
	}
	sqlite3_finalize(st);
	return (found);
}

/* Was this evidence read in full: done, nothing unreadable or damaged? */
int
db_load_complete(struct db *db, int64_t id)
{
	sqlite3_stmt	*st;
	int		 complete = 0;

	st = db_prepare(db, "SELECT status = 'done' AND unreadable = 0 "
	    "AND coalesce(corrupted, 0) = 0 AND records + recovered > 0 "
	    "FROM evidence WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		complete = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return (complete);
}

void
db_load_add_path(struct db *db, int64_t id, const char *path)
{
	sqlite3_stmt	*st;

	st = db_prepare(db, "INSERT OR IGNORE INTO evidence_path "
	    "(evidence_id, path) VALUES (?, ?)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	db_load_step(db, st);
	sqlite3_finalize(st);
}

/* Keep the chain of containers path was reached through (a JSON array). */
void
db_load_provenance(struct db *db, int64_t id, const char *path,
    const char *provenance)
{
	sqlite3_stmt	*st;

	if (provenance == NULL)
		return;
	/*
	 * The same chain but for an image's hash (-H), which a run without
	 * -H does not take: the hash the case holds is kept.
	 */
	st = db_prepare(db, "UPDATE evidence_path SET provenance = ?1 "
	    "WHERE evidence_id = ?2 AND path = ?3 AND (provenance IS NULL OR "
	    "instr(?1, '\"sha256\":\"') > 0 OR "
	    "instr(provenance, '\"sha256\":\"') = 0 OR "
	    "substr(provenance, 1, instr(provenance, ',\"sha256\":\"') - 1) || "
	    "substr(provenance, instr(provenance, ',\"sha256\":\"') + 76) "
	    "!= ?1)");
	sqlite3_bind_text(st, 1, provenance, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
	db_load_step(db, st);
	sqlite3_finalize(st);
}

/*
 * Start (or restart) loading a file: its evidence row is marked loading
 * and its record problems from an earlier attempt are cleared, since the
 * file is read again from the start.  Returns the evidence id.
 */
int64_t
db_load_begin(struct db *db, const char *sha, const char *path,
    int64_t size, int64_t mtime)
{
	sqlite3_stmt	*st;
	int64_t		 id;
	char		 mt[32];
	struct tm	 tm;
	time_t		 t = mtime;

	gmtime_r(&t, &tm);
	strftime(mt, sizeof mt, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!db_load_find(db, sha, &id, NULL)) {
		st = db_prepare(db, "INSERT INTO evidence (sha256, path, "
		    "size, mtime, status) VALUES (?, ?, ?, ?, 'loading')");
		sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, size);
		sqlite3_bind_text(st, 4, mt, -1, SQLITE_STATIC);
		db_load_step(db, st);
		sqlite3_finalize(st);
		id = sqlite3_last_insert_rowid(db->h);
	} else {
		st = db_prepare(db, "UPDATE evidence SET "
		    "status = 'loading', message = NULL WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		db_load_step(db, st);
		sqlite3_finalize(st);
		st = db_prepare(db, "DELETE FROM problem "
		    "WHERE evidence_id = ?");
		sqlite3_bind_int64(st, 1, id);
		db_load_step(db, st);
		sqlite3_finalize(st);
	}
	db_load_add_path(db, id, path);
	return (id);
}

void
db_load_file_info(struct db *db, int64_t id, const struct evt_file_info *fi)
{
	sqlite3_stmt	*st;
	char		 v[32];

	snprintf(v, sizeof v, "%d.%d", fi->major, fi->minor);
	st = db_prepare(db, "UPDATE evidence SET format_version = ?, "
	    "dirty = ?, corrupted = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, v, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, fi->dirty);
	sqlite3_bind_int(st, 3, fi->corrupted);
	sqlite3_bind_int64(st, 4, id);
	db_load_step(db, st);
	sqlite3_finalize(st);
}

static void
db_load_bind_col(sqlite3_stmt *st, int i, const char *v, int integer)
{
	char		*end;
	long long	 n;

	if (v == NULL)
		sqlite3_bind_null(st, i);
	else if (integer) {
		n = strtoll(v, &end, 10);
		if (*v != '\0' && *end == '\0')
			sqlite3_bind_int64(st, i, n);
		else
			sqlite3_bind_null(st, i);
	} else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* Load one row; 1 if added, 0 if the case had it already. */
int
db_load_row(struct db *db, int64_t id, const struct proc_row *r)
{
	sqlite3_stmt		*st;
	const char * const	*c = (const char * const *)r->col;
	int			 i, n, rc;

	if (r->kind == PROC_KIND_START) {
		if (db->ins_process == NULL)
			db->ins_process = db_prepare(db,
			    "INSERT OR IGNORE INTO process (evidence_id, "
			    "record_index, record_id, recovered, event_id, "
			    "event_version, _time, dest, user, user_id, "
			    "logon_id, process, process_name, process_path, "
			    "process_exec, process_id, process_guid, "
			    "process_current_directory, "
			    "process_integrity_level, process_hash, "
			    "original_file_name, parent_process, "
			    "parent_process_name, parent_process_path, "
			    "parent_process_id, parent_process_guid, "
			    "vendor_product, provider, channel, fields, "
			    "reader) "
			    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
			    "?,?,?,?,?,?,?,?,?,?,?)");
		st = db->ins_process;
	} else {
		if (db->ins_end == NULL)
			db->ins_end = db_prepare(db,
			    "INSERT OR IGNORE INTO process_end (evidence_id, "
			    "record_index, record_id, recovered, event_id, "
			    "_time, dest, user, process_path, process_name, "
			    "process_id, process_guid, fields, reader) "
			    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
		st = db->ins_end;
	}
	/* Every parameter is bound for each row: no clearing between. */
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, r->record_index);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->record_id);
	sqlite3_bind_int(st, 4, r->recovered);
	sqlite3_bind_int(st, 5, r->event_id);
	if (r->kind == PROC_KIND_START) {
		if (r->version >= 0)
			sqlite3_bind_int(st, 6, r->version);
		else
			sqlite3_bind_null(st, 6);
		for (i = 0; i < PROC_NCOLS; i++) {
			db_load_bind_col(st, 7 + i, c[i],
			    i == PROC_PROCESS_ID || i == PROC_PARENT_PROCESS_ID);
		}
		n = 7 + PROC_NCOLS;
	} else {
		n = 6;
		db_load_bind_col(st, n++, c[PROC_TIME], 0);
		db_load_bind_col(st, n++, c[PROC_DEST], 0);
		db_load_bind_col(st, n++, c[PROC_USER], 0);
		db_load_bind_col(st, n++, c[PROC_PROCESS_PATH], 0);
		db_load_bind_col(st, n++, c[PROC_PROCESS_NAME], 0);
		db_load_bind_col(st, n++, c[PROC_PROCESS_ID], 1);
		db_load_bind_col(st, n++, c[PROC_PROCESS_GUID], 0);
		db_load_bind_col(st, n++, c[PROC_FIELDS], 0);
	}
	/* A name with the program's lifetime (ingest_load_reader). */
	if (r->reader != NULL)
		sqlite3_bind_text(st, n, r->reader, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, n);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		fatalx("cannot write to '%s': %s", db->path,
		    sqlite3_errmsg(db->h));
	sqlite3_reset(st);
	return (sqlite3_changes(db->h) > 0);
}

void
db_load_problem(struct db *db, int64_t id, const char *path,
    const char *kind, const struct evt_problem *pb)
{
	sqlite3_stmt	*st;

	if (db->ins_problem == NULL)
		db->ins_problem = db_prepare(db, "INSERT INTO problem "
		    "(evidence_id, path, kind, record_index, recovered, "
		    "offset, reason) VALUES (?, ?, ?, ?, ?, ?, ?)");
	st = db->ins_problem;
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	if (pb->record_index >= 0) {
		sqlite3_bind_int(st, 4, pb->record_index);
		sqlite3_bind_int(st, 5, pb->recovered);
	}
	if (pb->offset >= 0)
		sqlite3_bind_int64(st, 6, pb->offset);
	sqlite3_bind_text(st, 7, pb->reason, -1, SQLITE_STATIC);
	db_load_step(db, st);
}

/*
 * A file walked again: forget what earlier walks reported of it and of
 * what is inside it, an archive's entries ('a.zip > x') or an image's
 * partitions and files ('disk.E01:p2:/x'): the walk reports again what
 * is still there.
 */
void
db_load_forget_walk(struct db *db, const char *path)
{
	/* Once for each file the walk sees: prepared once. */
	if (db->del_walk == NULL)
		db->del_walk = db_prepare(db, "DELETE FROM problem WHERE "
		    "evidence_id IS NULL AND (path = ?1 OR substr(path, 1, "
		    "length(?1) + 3) = ?1 || ' > ' OR substr(path, 1, "
		    "length(?1) + 1) = ?1 || ':')");
	sqlite3_bind_text(db->del_walk, 1, path, -1, SQLITE_STATIC);
	db_load_step(db, db->del_walk);
}

/* Close a file's load: its status, counts, and rows counted from the case. */
void
db_load_finish(struct db *db, int64_t id, const char *status,
    const char *message, int64_t records, int64_t recovered,
    int64_t unreadable)
{
	sqlite3_stmt	*st;
	char		*now = db_now();

	st = db_prepare(db, "UPDATE evidence SET status = ?1, "
	    "message = ?2, records = ?3, recovered = ?4, unreadable = ?5, "
	    "loaded_at = ?6, process_events = (SELECT count(*) FROM process "
	    "WHERE evidence_id = ?7), end_events = (SELECT count(*) "
	    "FROM process_end WHERE evidence_id = ?7) WHERE id = ?7");
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	if (message != NULL)
		sqlite3_bind_text(st, 2, message, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, records);
	sqlite3_bind_int64(st, 4, recovered);
	sqlite3_bind_int64(st, 5, unreadable);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, id);
	db_load_step(db, st);
	sqlite3_finalize(st);
	free(now);
}

/* An EVTX file's records the fast reader read (libevtx read the rest). */
void
db_load_fast(struct db *db, int64_t id, int64_t fast)
{
	sqlite3_stmt	*st;

	st = db_prepare(db, "UPDATE evidence SET fast_records = ?1 "
	    "WHERE id = ?2");
	sqlite3_bind_int64(st, 1, fast);
	sqlite3_bind_int64(st, 2, id);
	db_load_step(db, st);
	sqlite3_finalize(st);
}

/*
 * Loading many events is far cheaper without the secondary indexes on
 * the event tables, built again in one sorted pass afterwards: each row
 * costs about a third of the loader's time otherwise.  Decide when the
 * first new file begins: drop them when the case holds fewer events
 * than the evidence still to read is likely to add (a process event per
 * kilobyte or two of EVTX).  The uniqueness constraints stay, so a
 * rerun still adds nothing twice; a load killed in between leaves a
 * case without those indexes, and opening it for writing (running the
 * same command again) builds them.  Returns 1 if they were dropped.
 */
int
db_load_bulk_begin(struct db *db, int64_t bytes)
{
	sqlite3_stmt	*st;
	char		**names = NULL, *sql;
	size_t		 n = 0, i;
	int64_t		 rows = 0;

	st = db_prepare(db, "SELECT coalesce(max(id), 0) FROM process");
	if (sqlite3_step(st) == SQLITE_ROW)
		rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rows >= bytes / 1024)
		return (0);
	st = db_prepare(db, "SELECT name FROM sqlite_master WHERE "
	    "type = 'index' AND tbl_name IN ('process', 'process_end') AND "
	    "sql IS NOT NULL ORDER BY name");
	while (sqlite3_step(st) == SQLITE_ROW) {
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	for (i = 0; i < n; i++) {
		xasprintf(&sql, "DROP INDEX \"%s\"", names[i]);
		if (db_exec(db, sql, NULL) != 0)
			fatalx("cannot write to '%s': %s", db->path,
			    sqlite3_errmsg(db->h));
		free(sql);
		free(names[i]);
	}
	free(names);
	/*
	 * Nor are foreign keys checked while the rows go in: each is the
	 * evidence row this loader has just written, and the check was a
	 * lookup of it per row.  The pragma is a no-op in a transaction,
	 * so the one open is committed and begun again around it.
	 */
	if (n > 0 && db->in_txn) {
		db_commit(db);
		db_exec(db, "PRAGMA foreign_keys = OFF", NULL);
		db_begin(db);
	} else if (n > 0)
		db_exec(db, "PRAGMA foreign_keys = OFF", NULL);
	return (n > 0);
}

/*
 * Build the indexes again: the schema names every one, IF NOT EXISTS.
 * SQLite's sorter may use threads helper threads for it.
 */
void
db_load_bulk_end(struct db *db, int threads)
{
	char	*cause = NULL, *sql;

	if (db->in_txn)
		db_commit(db);
	db_exec(db, "PRAGMA foreign_keys = ON", NULL);
	/*
	 * The default page cache: a larger one made the build no faster
	 * (tests/bench: 3.1 s with 2 MB, 3.4 s with 32 MB for 600,000
	 * events), only larger in memory.  Two sorter threads took it to
	 * 2.7 s.
	 */
	xasprintf(&sql, "PRAGMA threads = %d", threads);
	db_exec(db, sql, NULL);
	free(sql);
	if (db_exec(db, db_schema, &cause) != 0)
		fatalx("cannot index '%s': %s", db->path, cause);
}
