/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The detections as the case records them, for reading: each one's
 * metadata and SQL as it last ran, its window and counts.  Parsing and
 * running them is db-detect.c's.
 */

#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/*
 * A detection's metadata as it was when it last ran: its title, path and
 * every metadata key, then its SQL as "sql".  -1 if it never ran.
 */
int
db_detection_get(struct db *db, const char *name, struct db_pairs *p)
{
	sqlite3_stmt	*st;
	int		 found = 0;

	memset(p, 0, sizeof *p);
	st = db_prepare(db, "SELECT path, sql, ran_at, hits, filtered "
	    "FROM detection WHERE name = ?");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		db_pairs_add(p, "path",
		    (const char *)sqlite3_column_text(st, 0));
		db_pairs_add(p, "ran_at",
		    (const char *)sqlite3_column_text(st, 2));
		db_pairs_add(p, "hits",
		    (const char *)sqlite3_column_text(st, 3));
		db_pairs_add(p, "filtered",
		    (const char *)sqlite3_column_text(st, 4));
		db_pairs_add(p, "sql",
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	if (!found)
		return (-1);
	st = db_prepare(db, "SELECT j.key, j.value FROM detection d, "
	    "json_each(d.meta) j WHERE d.name = ? ORDER BY j.id");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	db_pairs_fill(st, p);
	return (0);
}

/* The detections that ran on the case, by name, from the detection table. */
int
db_detection_list(struct db *db, struct db_detection_info **out,
    size_t *nout)
{
	sqlite3_stmt			*st;
	struct db_detection_info	*all = NULL, *d;
	size_t				 n = 0;

	st = db_prepare(db, "SELECT name, title, "
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
	    "ORDER BY name");
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		d = &all[n++];
		d->name = db_column_text(st, 0);
		d->title = db_column_text(st, 1);
		d->mitre = db_column_text(st, 2);
		d->tactic = db_column_text(st, 3);
		d->description = db_column_text(st, 4);
		d->false_positives = db_column_text(st, 5);
		d->references = db_column_text(st, 6);
		d->risk_score = sqlite3_column_int(st, 7);
		d->ran_at = db_column_text(st, 8);
		d->hits = sqlite3_column_int64(st, 9);
		d->filtered = sqlite3_column_int64(st, 10);
		d->run.earliest_given = db_column_text(st, 11);
		d->run.latest_given = db_column_text(st, 12);
		d->run.earliest = db_column_text(st, 13);
		d->run.latest = db_column_text(st, 14);
		d->run.tz = db_column_text(st, 15);
		d->run.status = db_column_text(st, 16);
		d->run.error = db_column_text(st, 17);
		d->run.ran_at = db_column_text(st, 18);
		d->ctime_zone = db_column_text(st, 19);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

void
db_detection_list_free(struct db_detection_info *d, size_t n)
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
