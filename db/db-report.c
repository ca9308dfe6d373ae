/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The queries reports are built from that the browser does not need:
 * the whole timeline in a stable order, problems grouped by reason,
 * every path of an evidence file and the detections as they last ran.
 */

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "triage/xmalloc.h"
#include "db.h"

/*
 * Process creations and terminations as one table: a termination fills
 * the columns it has and leaves the rest NULL; hits lists the numbers of
 * the hits a creation is behind ("1,4").  Creations sort before
 * terminations of the same instant, then by row id, so the order is
 * stable from run to run.
 */
static const char db_report_timeline_sql[] =
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
db_report_timeline(struct db *db, int (*cb)(void *, const char **,
    const char **, const int *, size_t), void *arg)
{
	sqlite3_stmt	*st;
	const char	**names, **values;
	int		*isint, n, i, rc = 0;

	if (sqlite3_prepare_v2(db->h, db_report_timeline_sql, -1, &st,
	    NULL) != SQLITE_OK)
		fatalx("timeline: %s", sqlite3_errmsg(db->h));
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
 * The problems of an evidence file grouped by kind and reason, the most
 * frequent first, at most limit groups.  The number of groups and of
 * problems in all go to ngroups and total.
 */
int
db_report_problems(struct db *db, int64_t evidence_id, size_t limit,
    struct db_report_problem **out, size_t *nout, int64_t *ngroups,
    int64_t *total)
{
	sqlite3_stmt			*st;
	struct db_report_problem	*all = NULL, *p;
	size_t				 n = 0;

	*ngroups = *total = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT kind, reason, count(*), "
	    "min(record_index) FROM problem WHERE evidence_id = ? "
	    "GROUP BY kind, reason ORDER BY count(*) DESC, kind, reason", -1,
	    &st, NULL) != SQLITE_OK)
		fatalx("problems: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_int64(st, 1, evidence_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		(*ngroups)++;
		*total += sqlite3_column_int64(st, 2);
		if (n == limit)
			continue;
		all = xreallocarray(all, n + 1, sizeof *all);
		p = &all[n++];
		p->kind = xstrdup((const char *)sqlite3_column_text(st, 0));
		p->reason = xstrdup((const char *)sqlite3_column_text(st, 1));
		p->count = sqlite3_column_int64(st, 2);
		p->first = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

void
db_report_problems_free(struct db_report_problem *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].kind);
		free(p[i].reason);
	}
	free(p);
}

/* Every path an evidence file was seen under, sorted. */
char **
db_report_paths(struct db *db, int64_t evidence_id, size_t *nout)
{
	sqlite3_stmt	*st;
	char		**all = NULL;
	size_t		 n = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT path FROM evidence_path "
	    "WHERE evidence_id = ? ORDER BY path", -1, &st, NULL) != SQLITE_OK)
		fatalx("paths: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_int64(st, 1, evidence_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		all[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	*nout = n;
	return (all);
}

static char *
db_report_text(sqlite3_stmt *st, int i)
{
	const char	*s;

	s = (const char *)sqlite3_column_text(st, i);
	return (s != NULL ? xstrdup(s) : NULL);
}

/* The detections that ran on the case, by name, from the detection table. */
int
db_report_detections(struct db *db, struct db_report_detection **out,
    size_t *nout)
{
	sqlite3_stmt			*st;
	struct db_report_detection	*all = NULL, *d;
	size_t				 n = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT name, title, "
	    "json_extract(meta, '$.mitre'), json_extract(meta, '$.tactic'), "
	    "json_extract(meta, '$.description'), "
	    "json_extract(meta, '$.known_false_positives'), "
	    "json_extract(meta, '$.references'), "
	    "CAST(json_extract(meta, '$.impact') AS INTEGER) * "
	    "CAST(json_extract(meta, '$.confidence') AS INTEGER) / 100, "
	    "d.ran_at, hits, filtered, r.earliest_given, r.latest_given, "
	    "r.earliest, r.latest, r.tz, r.status, r.error, r.ran_at, "
	    "coalesce(json_extract(meta, '$.ctime_zone'), 'UTC') "
	    "FROM detection d LEFT JOIN detection_run r USING (name) "
	    "ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		fatalx("detections: %s", sqlite3_errmsg(db->h));
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		d = &all[n++];
		d->name = db_report_text(st, 0);
		d->title = db_report_text(st, 1);
		d->mitre = db_report_text(st, 2);
		d->tactic = db_report_text(st, 3);
		d->description = db_report_text(st, 4);
		d->false_positives = db_report_text(st, 5);
		d->references = db_report_text(st, 6);
		d->risk_score = sqlite3_column_int(st, 7);
		d->ran_at = db_report_text(st, 8);
		d->hits = sqlite3_column_int64(st, 9);
		d->filtered = sqlite3_column_int64(st, 10);
		d->run.earliest_given = db_report_text(st, 11);
		d->run.latest_given = db_report_text(st, 12);
		d->run.earliest = db_report_text(st, 13);
		d->run.latest = db_report_text(st, 14);
		d->run.tz = db_report_text(st, 15);
		d->run.status = db_report_text(st, 16);
		d->run.error = db_report_text(st, 17);
		d->run.ran_at = db_report_text(st, 18);
		d->ctime_zone = db_report_text(st, 19);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

void
db_report_detections_free(struct db_report_detection *d, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(d[i].name);
		free(d[i].title);
		free(d[i].ctime_zone);
		free(d[i].mitre);
		free(d[i].tactic);
		free(d[i].description);
		free(d[i].false_positives);
		free(d[i].references);
		free(d[i].ran_at);
		db_detect_ran_clear(&d[i].run);
	}
	free(d);
}

/* How many rows a table of the case has: process, process_end, hit. */
int64_t
db_report_count(struct db *db, const char *what)
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
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		fatalx("count: %s", sqlite3_errmsg(db->h));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}
