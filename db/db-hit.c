/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Hits: what the browser lists (newest or riskiest first) and opens, the
 * output and process rows behind one, and suppressing one by a filter.
 * The runner that makes them is the detection module's.
 */

#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/* What a line of the browser shows of a hit; db_hit_fill reads it. */
#define DB_HIT_COLUMNS \
	"SELECT h.id, h.detection, h.seq, h.dest, h.user, h._time, " \
	"h.risk_score, json_extract(h.output, '$.process'), h.filter_id, " \
	"h.filter_reason, (SELECT min(row_id) FROM hit_row r " \
	"WHERE r.hit_id = h.id), h.risk_message, h.mitre FROM hit h "

static void
db_hit_fill(sqlite3_stmt *st, struct db_hit *h)
{
	memset(h, 0, sizeof *h);
	h->id = sqlite3_column_int64(st, 0);
	h->detection = db_column_text(st, 1);
	h->seq = sqlite3_column_int(st, 2);
	h->dest = db_column_text(st, 3);
	h->user = db_column_text(st, 4);
	h->first_time = db_column_text(st, 5);
	h->risk_score = sqlite3_column_int(st, 6);
	h->process = db_column_text(st, 7);
	h->filter_id = sqlite3_column_int64(st, 8);
	h->filter_reason = db_column_text(st, 9);
	h->row = sqlite3_column_int64(st, 10);
	h->risk_message = db_column_text(st, 11);
	h->mitre = db_column_text(st, 12);
}

/*
 * Every hit, newest or riskiest first, the filtered ones only if asked.
 * The list holds what a line shows; the rest is read when a hit is
 * opened.
 */
int
db_hit_list(struct db *db, int order, int with_filtered,
    struct db_hit **out, size_t *nout)
{
	sqlite3_stmt	*st;
	struct db_hit	*all = NULL;
	size_t		 n = 0;

	if (order == DB_HIT_RISKIEST)
		st = db_prepare(db, DB_HIT_COLUMNS "WHERE (?1 OR "
		    "h.filter_id IS NULL) AND (?2 <= 0 OR h.risk_score >= ?2) "
		    "ORDER BY h.risk_score DESC, h._time DESC, h.id");
	else
		st = db_prepare(db, DB_HIT_COLUMNS "WHERE (?1 OR "
		    "h.filter_id IS NULL) AND (?2 <= 0 OR h.risk_score >= ?2) "
		    "ORDER BY h._time DESC, h.id");
	sqlite3_bind_int(st, 1, with_filtered);
	sqlite3_bind_int(st, 2, db->min_risk);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		db_hit_fill(st, &all[n++]);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

/* Free what any of db/ filled in h. */
void
db_hit_clear(struct db_hit *h)
{
	size_t	i;

	for (i = 0; i < h->nvalues; i++) {
		if (h->fields != NULL)
			free(h->fields[i]);
		if (h->values != NULL)
			free(h->values[i]);
	}
	free(h->fields);
	free(h->values);
	free(h->detection);
	free(h->dest);
	free(h->user);
	free(h->first_time);
	free(h->process);
	free(h->filter_reason);
	free(h->risk_message);
	free(h->mitre);
	free(h->rows);
	memset(h, 0, sizeof *h);
}

void
db_hit_list_free(struct db_hit *h, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		db_hit_clear(&h[i]);
	free(h);
}

/* One hit by id, or -1 if there is none. */
int
db_hit_get(struct db *db, int64_t id, struct db_hit *h)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	memset(h, 0, sizeof *h);
	st = db_prepare(db, DB_HIT_COLUMNS "WHERE h.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_hit_fill(st, h);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/* The process rows behind a hit, in row order. */
int
db_hit_rows(struct db *db, int64_t hit, int64_t **out, size_t *nout)
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

/* The output row of a hit, field by field in output order. */
int
db_hit_output(struct db *db, int64_t hit, struct db_pairs *p)
{
	sqlite3_stmt	*st;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT j.key, j.value FROM hit h, "
	    "json_each(h.output) j WHERE h.id = ? ORDER BY j.id");
	sqlite3_bind_int64(st, 1, hit);
	db_pairs_fill(st, p);
	return (p->n > 0 ? 0 : -1);
}

/*
 * The output row of a hit as filters match it: its ctime columns in UTC
 * whatever zone the run showed them in.
 */
int
db_hit_match(struct db *db, int64_t hit, struct db_pairs *p)
{
	sqlite3_stmt	*st;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT j.key, j.value FROM hit h, "
	    "json_each(coalesce(h.match_output, h.output)) j WHERE h.id = ? "
	    "ORDER BY j.id");
	sqlite3_bind_int64(st, 1, hit);
	db_pairs_fill(st, p);
	return (p->n > 0 ? 0 : -1);
}

/*
 * Mark a hit as suppressed by a filter, the way a detection run would
 * have stored it, and move it from the detection's hits to its filtered
 * count.
 */
int
db_hit_filter(struct db *db, int64_t hit, int64_t filter,
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
