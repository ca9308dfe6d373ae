/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The queries behind the browser: hits in display order, a hit's output
 * and its detection's metadata, a host's events in a time window, the
 * problems of an evidence file.  Each one is answered from an index so
 * that opening and moving stay fast on cases of millions of events.
 */

#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/* Indexes the browser needs that cases made by older versions lack. */
static const char db_query_indexes[] =
	"CREATE INDEX IF NOT EXISTS process_dest_time ON process "
	"(dest, _time);"
	"CREATE INDEX IF NOT EXISTS process_end_dest_time ON process_end "
	"(dest, _time);"
	"CREATE INDEX IF NOT EXISTS problem_evidence ON problem (evidence_id);"
	"CREATE INDEX IF NOT EXISTS hit_time ON hit (_time);"
	"CREATE INDEX IF NOT EXISTS hit_risk ON hit (risk_score, _time);";

/* Add the browser's indexes to a case that lacks them; 0 or -1. */
int
db_query_init(struct db *db, char **cause)
{
	return (db_exec(db, db_query_indexes, cause));
}

/*
 * The first and last process creation times in the case (ISO UTC, the
 * caller frees them), NULL for an empty case: the browser shows years
 * only when the case spans more than one.
 */
void
db_query_span(struct db *db, char **first, char **last)
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
 * Every hit, newest or riskiest first, the filtered ones only if asked.
 * The list holds what a line shows; the rest is read when a hit is
 * opened.
 */
int
db_query_hits(struct db *db, int order, int with_filtered,
    struct db_query_hit **out, size_t *nout)
{
	sqlite3_stmt		*st;
	struct db_query_hit	*all = NULL, *h;
	size_t			 n = 0;

	if (order == DB_QUERY_RISKIEST)
		st = db_prepare(db, "SELECT h.id, h.detection, h.seq, "
		    "h.dest, h.user, h._time, h.risk_score, "
		    "json_extract(h.output, '$.process'), h.filter_id, "
		    "h.filter_reason, (SELECT min(row_id) FROM hit_row r "
		    "WHERE r.hit_id = h.id), h.risk_message, h.mitre FROM hit h "
		    "WHERE ?1 OR h.filter_id IS NULL "
		    "ORDER BY h.risk_score DESC, h._time DESC, h.id");
	else
		st = db_prepare(db, "SELECT h.id, h.detection, h.seq, "
		    "h.dest, h.user, h._time, h.risk_score, "
		    "json_extract(h.output, '$.process'), h.filter_id, "
		    "h.filter_reason, (SELECT min(row_id) FROM hit_row r "
		    "WHERE r.hit_id = h.id), h.risk_message, h.mitre FROM hit h "
		    "WHERE ?1 OR h.filter_id IS NULL "
		    "ORDER BY h._time DESC, h.id");
	sqlite3_bind_int(st, 1, with_filtered);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		h = &all[n++];
		h->id = sqlite3_column_int64(st, 0);
		h->detection = db_column_text(st, 1);
		h->seq = sqlite3_column_int(st, 2);
		h->dest = db_column_text(st, 3);
		h->user = db_column_text(st, 4);
		h->time = db_column_text(st, 5);
		h->risk_score = sqlite3_column_int(st, 6);
		h->process = db_column_text(st, 7);
		h->filter_id = sqlite3_column_int64(st, 8);
		h->filter_reason = db_column_text(st, 9);
		h->row = sqlite3_column_int64(st, 10);
		h->risk_message = db_column_text(st, 11);
		h->mitre = db_column_text(st, 12);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

void
db_query_hit_clear(struct db_query_hit *h)
{
	free(h->detection);
	free(h->dest);
	free(h->user);
	free(h->time);
	free(h->process);
	free(h->filter_reason);
	free(h->risk_message);
	free(h->mitre);
	memset(h, 0, sizeof *h);
}

void
db_query_hits_free(struct db_query_hit *h, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		db_query_hit_clear(&h[i]);
	free(h);
}

/* One hit by id, or -1 if there is none. */
int
db_query_hit(struct db *db, int64_t id, struct db_query_hit *h)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	memset(h, 0, sizeof *h);
	st = db_prepare(db, "SELECT h.id, h.detection, h.seq, "
	    "h.dest, h.user, h._time, h.risk_score, "
	    "json_extract(h.output, '$.process'), h.filter_id, "
	    "h.filter_reason, (SELECT min(row_id) FROM hit_row r "
	    "WHERE r.hit_id = h.id), h.risk_message, h.mitre FROM hit h WHERE h.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		h->id = sqlite3_column_int64(st, 0);
		h->detection = db_column_text(st, 1);
		h->seq = sqlite3_column_int(st, 2);
		h->dest = db_column_text(st, 3);
		h->user = db_column_text(st, 4);
		h->time = db_column_text(st, 5);
		h->risk_score = sqlite3_column_int(st, 6);
		h->process = db_column_text(st, 7);
		h->filter_id = sqlite3_column_int64(st, 8);
		h->filter_reason = db_column_text(st, 9);
		h->row = sqlite3_column_int64(st, 10);
		h->risk_message = db_column_text(st, 11);
		h->mitre = db_column_text(st, 12);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/* The process rows behind a hit, in row order. */
int
db_query_hit_rows(struct db *db, int64_t hit, int64_t **out, size_t *nout)
{
	sqlite3_stmt	*st;
	int64_t		*rows = NULL;
	size_t		 n = 0;

	st = db_prepare(db, "SELECT row_id FROM hit_row WHERE "
	    "hit_id = ? ORDER BY row_id");
	sqlite3_bind_int64(st, 1, hit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		rows = xreallocarray(rows, n + 1, sizeof *rows);
		rows[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	*out = rows;
	*nout = n;
	return (0);
}

static void
db_query_pairs_add(struct db_query_pairs *p, const char *name,
    const char *value)
{
	p->names = xreallocarray(p->names, p->n + 1, sizeof *p->names);
	p->values = xreallocarray(p->values, p->n + 1, sizeof *p->values);
	p->names[p->n] = xstrdup(name);
	p->values[p->n] = value != NULL ? xstrdup(value) : NULL;
	p->n++;
}

static void
db_query_pairs_fill(sqlite3_stmt *st, struct db_query_pairs *p)
{
	while (sqlite3_step(st) == SQLITE_ROW) {
		db_query_pairs_add(p, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
}

/* The output row of a hit, field by field in output order. */
int
db_query_hit_output(struct db *db, int64_t hit, struct db_query_pairs *p)
{
	sqlite3_stmt	*st;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT j.key, j.value FROM hit h, "
	    "json_each(h.output) j WHERE h.id = ? ORDER BY j.id");
	sqlite3_bind_int64(st, 1, hit);
	db_query_pairs_fill(st, p);
	return (p->n > 0 ? 0 : -1);
}

/*
 * The output row of a hit as filters match it: its ctime columns in UTC
 * whatever zone the run showed them in.
 */
int
db_query_hit_match(struct db *db, int64_t hit, struct db_query_pairs *p)
{
	sqlite3_stmt	*st;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT j.key, j.value FROM hit h, "
	    "json_each(coalesce(h.match_output, h.output)) j WHERE h.id = ? "
	    "ORDER BY j.id");
	sqlite3_bind_int64(st, 1, hit);
	db_query_pairs_fill(st, p);
	return (p->n > 0 ? 0 : -1);
}

/*
 * A detection's metadata as it was when it last ran: its title, path and
 * every metadata key, then its SQL as "sql".  -1 if it never ran.
 */
int
db_query_detection(struct db *db, const char *name, struct db_query_pairs *p)
{
	sqlite3_stmt	*st;
	int		 found = 0;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT path, sql, ran_at, hits, filtered "
	    "FROM detection WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		db_query_pairs_add(p, "path",
		    (const char *)sqlite3_column_text(st, 0));
		db_query_pairs_add(p, "ran_at",
		    (const char *)sqlite3_column_text(st, 2));
		db_query_pairs_add(p, "hits",
		    (const char *)sqlite3_column_text(st, 3));
		db_query_pairs_add(p, "filtered",
		    (const char *)sqlite3_column_text(st, 4));
		db_query_pairs_add(p, "sql",
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (!found)
		return (-1);
	st = db_prepare(db, "SELECT j.key, j.value FROM detection d, "
	    "json_each(d.meta) j WHERE d.name = ? ORDER BY j.id");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	db_query_pairs_fill(st, p);
	return (0);
}

/* The value of name in p, or NULL. */
const char *
db_query_pairs_get(const struct db_query_pairs *p, const char *name)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->names[i], name) == 0)
			return (p->values[i]);
	}
	return (NULL);
}

void
db_query_pairs_clear(struct db_query_pairs *p)
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

/*
 * Mark a hit as suppressed by a filter, the way a detection run would
 * have stored it, and move it from the detection's hits to its filtered
 * count.
 */
int
db_query_hit_filter(struct db *db, int64_t hit, int64_t filter,
    const char *reason, char **cause)
{
	sqlite3_stmt	*st;
	int		 changed;

	db_begin(db);
	st = db_prepare(db, "UPDATE hit SET filter_id = ?, "
	    "filter_reason = ? WHERE id = ? AND filter_id IS NULL");
	sqlite3_bind_int64(st, 1, filter);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, hit);
	if (sqlite3_step(st) != SQLITE_DONE) {
		xasprintf(cause, "cannot mark hit %lld: %s", (long long)hit,
		    sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		db_exec(db, "ROLLBACK", NULL);
		db->in_txn = 0;
		return (-1);
	}
	sqlite3_finalize(st);
	changed = sqlite3_changes(db->h);
	if (changed > 0) {
		st = db_prepare(db, "UPDATE detection SET "
		    "hits = max(hits - 1, 0), filtered = filtered + 1 "
		    "WHERE name = (SELECT detection FROM hit WHERE id = ?)");
		sqlite3_bind_int64(st, 1, hit);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	db_commit(db);
	if (changed == 0) {
		xasprintf(cause, "hit %lld is already filtered", (long long)hit);
		return (-1);
	}
	return (0);
}

/*
 * The process creations and ends on a host between from and to (ISO UTC
 * text, inclusive), oldest first, at most limit of them; *more is set if
 * there were more.
 */
int
db_query_timeline(struct db *db, const char *dest, const char *from,
    const char *to, size_t limit, struct db_query_event **out, size_t *nout,
    int *more)
{
	sqlite3_stmt		*st;
	struct db_query_event	*all = NULL, *e;
	size_t			 n = 0;

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

void
db_query_timeline_free(struct db_query_event *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(e[i].time);
		free(e[i].process_name);
		free(e[i].process);
		free(e[i].user);
		free(e[i].process_path);
	}
	free(e);
}

/* The first limit problems of an evidence file and how many there are. */
int
db_query_problems(struct db *db, int64_t evidence, size_t limit,
    struct db_query_problem **out, size_t *nout, int64_t *total)
{
	sqlite3_stmt		*st;
	struct db_query_problem	*all = NULL, *p;
	size_t			 n = 0;

	*total = 0;
	st = db_prepare(db, "SELECT count(*) FROM problem "
	    "WHERE evidence_id = ?");
	sqlite3_bind_int64(st, 1, evidence);
	if (sqlite3_step(st) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = db_prepare(db, "SELECT kind, record_index, recovered, "
	    "offset, reason FROM problem WHERE evidence_id = ? ORDER BY id "
	    "LIMIT ?");
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		p = &all[n++];
		p->kind = db_column_text(st, 0);
		p->record_index = db_column_id(st, 1);
		p->recovered = sqlite3_column_int(st, 2);
		p->offset = db_column_id(st, 3);
		p->reason = db_column_text(st, 4);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

void
db_query_problems_free(struct db_query_problem *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].kind);
		free(p[i].reason);
	}
	free(p);
}

/* The query plan of sql, one line a step, for tests and benchmarks. */
char *
db_query_plan(struct db *db, const char *sql)
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
