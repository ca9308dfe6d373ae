/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Process rows: one struct db_proc for a creation (Sysmon 1, 4688) or an
 * end (Sysmon 5, 4689) wherever it is shown, with when it ended; a
 * host's events in a time window; and the whole table for reports.
 */

#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/*
 * The one time sql (a min(_time) query with ?s for host, pid and time)
 * finds for p's host, pid and start, or NULL: how 4688 processes, known
 * by pid alone, are bounded in time.
 */
char *
db_process_pid_time(struct db *db, const struct db_proc *p, const char *sql)
{
	sqlite3_stmt	*st;
	char		*t = NULL;

	st = db_prepare(db, sql);
	sqlite3_bind_text(st, 1, p->dest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p->process_id);
	sqlite3_bind_text(st, 3, p->time, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		t = db_column_text(st, 0);
	sqlite3_finalize(st);
	return (t);
}

/*
 * When did this process end?  From Sysmon 5 or 4689, or NULL.  A Sysmon
 * process may have ended in a 4689, which names no GUID.
 */
static char *
db_process_end(struct db *db, const struct db_proc *p)
{
	sqlite3_stmt	*st;
	char		*t = NULL;

	if (p->process_guid == NULL) {
		return (db_process_pid_time(db, p, "SELECT min(_time) FROM "
		    "process_end WHERE dest IS ? AND process_id = ? AND "
		    "_time >= ?"));
	}
	st = db_prepare(db, "SELECT min(_time) FROM process_end "
	    "WHERE process_guid = ? AND +dest IS ?");
	sqlite3_bind_text(st, 1, p->process_guid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->dest, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		t = db_column_text(st, 0);
	sqlite3_finalize(st);
	if (t == NULL) {
		t = db_process_pid_time(db, p, "SELECT min(_time) FROM "
		    "process_end WHERE process_guid IS NULL AND dest IS ? AND "
		    "process_id = ? AND _time >= ?");
	}
	return (t);
}

/* Fill p from a row of DB_PROCESS_SELECT. */
void
db_process_fill(struct db *db, sqlite3_stmt *st, struct db_proc *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->evidence_id = sqlite3_column_int64(st, 1);
	p->record_id = sqlite3_column_int64(st, 2);
	p->recovered = sqlite3_column_int(st, 3);
	p->event_id = sqlite3_column_int(st, 4);
	p->time = db_column_text(st, 5);
	p->dest = db_column_text(st, 6);
	p->user = db_column_text(st, 7);
	p->process = db_column_text(st, 8);
	p->process_name = db_column_text(st, 9);
	p->process_path = db_column_text(st, 10);
	p->process_id = db_column_id(st, 11);
	p->process_guid = db_column_text(st, 12);
	p->parent_process = db_column_text(st, 13);
	p->parent_process_name = db_column_text(st, 14);
	p->parent_process_path = db_column_text(st, 15);
	p->parent_process_id = db_column_id(st, 16);
	p->parent_process_guid = db_column_text(st, 17);
	p->original_file_name = db_column_text(st, 18);
	p->evidence_path = db_column_text(st, 19);
	p->evidence_sha256 = db_column_text(st, 20);
	p->evidence_provenance = db_column_text(st, 21);
	p->evidence_chain = db_column_text(st, 22);
	p->reader = db_column_text(st, 23);
	p->end_time = db_process_end(db, p);
}

/* The process row id; 0 if found, -1 if no such row. */
int
db_process_get(struct db *db, int64_t id, struct db_proc *p)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	st = db_prepare(db, DB_PROCESS_SELECT "WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_process_fill(db, st, p);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/*
 * Where process row id was read, and only that: its evidence's path and
 * hash, its record, event and whether it was recovered, into p (cleared
 * with db_process_clear).  A report lists this for each row of each
 * hit, so the statement is prepared once a case and none of
 * db_process_get's other lookups (the chain, the end) are made.
 */
int
db_process_evidence(struct db *db, int64_t id, struct db_proc *p)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	memset(p, 0, sizeof *p);
	if (db->sel_evidence == NULL) {
		if (sqlite3_prepare_v3(db->h, "SELECT p.evidence_id, "
		    "p.record_id, p.recovered, p.event_id, e.path, e.sha256, "
		    "p.reader "
		    "FROM process p JOIN evidence e ON e.id = p.evidence_id "
		    "WHERE p.id = ?", -1, SQLITE_PREPARE_PERSISTENT,
		    &db->sel_evidence, NULL) != SQLITE_OK)
			fatalx("%s: %s", db->path, sqlite3_errmsg(db->h));
	}
	st = db->sel_evidence;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		p->id = id;
		p->evidence_id = sqlite3_column_int64(st, 0);
		p->record_id = sqlite3_column_int64(st, 1);
		p->recovered = sqlite3_column_int(st, 2);
		p->event_id = sqlite3_column_int(st, 3);
		p->evidence_path = db_column_text(st, 4);
		p->evidence_sha256 = db_column_text(st, 5);
		p->reader = db_column_text(st, 6);
		rc = 0;
	}
	sqlite3_reset(st);
	return (rc);
}

void
db_process_clear(struct db_proc *p)
{
	free(p->time);
	free(p->end_time);
	free(p->dest);
	free(p->user);
	free(p->process);
	free(p->process_name);
	free(p->process_path);
	free(p->process_guid);
	free(p->parent_process);
	free(p->parent_process_name);
	free(p->parent_process_path);
	free(p->parent_process_guid);
	free(p->original_file_name);
	free(p->evidence_path);
	free(p->evidence_sha256);
	free(p->evidence_provenance);
	free(p->evidence_chain);
	free(p->reader);
	memset(p, 0, sizeof *p);
}

void
db_process_free_array(struct db_proc *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		db_process_clear(&a[i]);
	free(a);
}

/* Every column of a process row as name/value pairs, for details. */
int
db_process_fields(struct db *db, int64_t id, struct db_pairs *p)
{
	sqlite3_stmt	*st;
	int		 i;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT p.*, e.path AS evidence_path, "
	    "e.sha256 AS evidence_sha256, (SELECT ep.provenance FROM "
	    "evidence_path ep WHERE ep.evidence_id = e.id AND ep.path = "
	    "e.path) AS evidence_provenance FROM process p JOIN evidence e "
	    "ON e.id = p.evidence_id WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return (-1);
	}
	for (i = 0; i < sqlite3_column_count(st); i++) {
		db_pairs_add(p, sqlite3_column_name(st, i),
		    (const char *)sqlite3_column_text(st, i));
	}
	sqlite3_finalize(st);
	return (0);
}

/*
 * The first and last process creation times in the case (ISO UTC, the
 * caller frees them), NULL for an empty case: the browser shows years
 * only when the case spans more than one.
 */
void
db_process_span(struct db *db, char **first, char **last)
{
	sqlite3_stmt	*st;

	*first = *last = NULL;
	st = db_prepare(db, "SELECT min(_time), max(_time) FROM "
	    "process");
	if (sqlite3_step(st) == SQLITE_ROW) {
		*first = db_column_text(st, 0);
		*last = db_column_text(st, 1);
	}
	sqlite3_finalize(st);
}

/*
 * The process creations and ends on a host between from and to (ISO UTC
 * text, inclusive), oldest first, at most limit of them; *more is set if
 * there were more.
 */
int
db_process_timeline(struct db *db, const char *dest, const char *from,
    const char *to, size_t limit, struct db_proc **out, size_t *nout,
    int *more)
{
	sqlite3_stmt	*st;
	struct db_proc	*all = NULL, *e;
	size_t		 n = 0;

	*more = 0;
	st = db_prepare(db, "SELECT * FROM ("
	    "SELECT id, 0, _time, process_id, process_name, process, user, "
	    "event_id, process_path FROM process "
	    "WHERE dest IS ?1 AND _time >= ?2 AND _time <= ?3 "
	    "UNION ALL "
	    "SELECT id, 1, _time, process_id, process_name, NULL, user, "
	    "event_id, process_path FROM process_end "
	    "WHERE dest IS ?1 AND _time >= ?2 AND _time <= ?3) "
	    "ORDER BY 3, 2, 1 LIMIT ?4");
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)limit + 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == limit) {
			*more = 1;
			break;
		}
		all = xreallocarray(all, n + 1, sizeof *all);
		e = &all[n++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->end = sqlite3_column_int(st, 1);
		e->time = db_column_text(st, 2);
		e->process_id = db_column_id(st, 3);
		e->process_name = db_column_text(st, 4);
		e->process = db_column_text(st, 5);
		e->user = db_column_text(st, 6);
		e->event_id = sqlite3_column_int(st, 7);
		e->process_path = db_column_text(st, 8);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

/*
 * Process creations and terminations as one table: a termination fills
 * the columns it has and leaves the rest NULL; hits lists the numbers of
 * the hits a creation is behind ("1,4").  Creations sort before
 * terminations of the same instant, then by row id, so the order is
 * stable from run to run.
 */
static const char db_process_all_sql[] =
	"SELECT 'process' AS record_type, p.id, p.evidence_id, "
	"p.record_index, p.record_id, p.recovered, p._time, p.dest, p.user, "
	"p.user_id, p.logon_id, p.process, p.process_name, p.process_path, "
	"p.process_exec, p.process_id, p.process_guid, "
	"p.process_current_directory, p.process_integrity_level, "
	"p.process_hash, p.original_file_name, p.parent_process, "
	"p.parent_process_name, p.parent_process_path, p.parent_process_id, "
	"p.parent_process_guid, p.vendor_product, p.provider, p.channel, "
	"p.event_id, p.event_version, p.fields, e.path AS evidence_path, "
	"e.sha256 AS evidence_sha256, (SELECT ep.provenance FROM "
	"evidence_path ep WHERE ep.evidence_id = e.id AND ep.path = e.path) "
	"AS evidence_provenance, (SELECT group_concat(hit_id) FROM "
	"(SELECT hit_id FROM hit_row WHERE row_id = p.id ORDER BY hit_id)) "
	"AS hits, 0 AS k "
	"FROM process p JOIN evidence e ON e.id = p.evidence_id "
	"UNION ALL "
	"SELECT 'process_end', x.id, x.evidence_id, x.record_index, "
	"x.record_id, x.recovered, x._time, x.dest, x.user, NULL, NULL, "
	"NULL, x.process_name, x.process_path, NULL, x.process_id, "
	"x.process_guid, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
	"NULL, NULL, NULL, NULL, x.event_id, NULL, x.fields, e.path, "
	"e.sha256, (SELECT ep.provenance FROM evidence_path ep WHERE "
	"ep.evidence_id = e.id AND ep.path = e.path), NULL, 1 "
	"FROM process_end x JOIN evidence e ON e.id = x.evidence_id "
	"ORDER BY 7, 37, 2";

/*
 * Call cb for each timeline row with its column names, values (NULL for
 * SQL NULL) and whether each value is an integer; first, once, with
 * values NULL so that a header can be written even for an empty case.
 * Stops early if cb returns non-zero and returns that.
 */
int
db_process_all(struct db *db, int (*cb)(void *, const char **,
    const char **, const int *, size_t), void *arg)
{
	sqlite3_stmt	*st;
	const char	**names, **values;
	int		*isint, n, i, rc = 0;

	st = db_prepare(db, db_process_all_sql);
	n = sqlite3_column_count(st) - 1;	/* not the sort key */
	names = xcalloc(n, sizeof *names);
	values = xcalloc(n, sizeof *values);
	isint = xcalloc(n, sizeof *isint);
	for (i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	rc = cb(arg, names, NULL, NULL, n);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			isint[i] = sqlite3_column_type(st, i) ==
			    SQLITE_INTEGER;
			values[i] = (const char *)sqlite3_column_text(st, i);
		}
		rc = cb(arg, names, values, isint, n);
	}
	sqlite3_finalize(st);
	free(names);
	free(values);
	free(isint);
	return (rc);
}

/*
 * The host called name, ignoring case, or else the first whose name
 * starts with name; with name NULL, the first host of the case.  The
 * caller frees it; NULL if there is none.
 */
char *
db_process_host(struct db *db, const char *name)
{
	sqlite3_stmt	*st;
	char		*dest = NULL;

	if (name == NULL) {
		/* The (dest, _time) index, read from its start. */
		st = db_prepare(db, "SELECT dest FROM process WHERE dest IS "
		    "NOT NULL ORDER BY dest LIMIT 1");
	} else {
		/* The name as it is: one probe of the index. */
		st = db_prepare(db, "SELECT dest FROM process WHERE dest = ? "
		    "LIMIT 1");
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			dest = db_column_text(st, 0);
		sqlite3_finalize(st);
		if (dest != NULL)
			return (dest);
		st = db_prepare(db, "SELECT dest FROM (SELECT DISTINCT dest "
		    "FROM process WHERE dest IS NOT NULL) WHERE lower(dest) = "
		    "lower(?1) OR instr(lower(dest), lower(?1)) = 1 "
		    "ORDER BY lower(dest) <> lower(?1), dest LIMIT 1");
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		dest = db_column_text(st, 0);
	sqlite3_finalize(st);
	return (dest);
}

/*
 * The time of dest's first process creation or end after t (dir 1;
 * "" for its first event) or its last one before t (dir -1), or NULL:
 * where the timeline's next or previous page starts.  Both are one
 * probe of each (dest, _time) index.
 */
char *
db_process_step(struct db *db, const char *dest, const char *t, int dir)
{
	sqlite3_stmt	*st;
	char		*out = NULL;

	if (dir > 0) {
		st = db_prepare(db, "SELECT min(t) FROM ("
		    "SELECT min(_time) AS t FROM process WHERE dest = ?1 AND "
		    "_time > ?2 UNION ALL SELECT min(_time) FROM process_end "
		    "WHERE dest = ?1 AND _time > ?2)");
	} else {
		st = db_prepare(db, "SELECT max(t) FROM ("
		    "SELECT max(_time) AS t FROM process WHERE dest = ?1 AND "
		    "_time < ?2 UNION ALL SELECT max(_time) FROM process_end "
		    "WHERE dest = ?1 AND _time < ?2)");
	}
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		out = db_column_text(st, 0);
	sqlite3_finalize(st);
	return (out);
}
