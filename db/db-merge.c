/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Merge one case into another without duplicates, keeping where every
 * row came from.  Evidence is matched by SHA-256 and events by file,
 * recovered flag and record index, as loading matches them, so merging
 * the same case twice adds nothing.  Hits are not copied: they depend on
 * the whole case (a detection counts and groups), so the detections
 * stored in the case are run again over the merged case.
 */

#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/*
 * A source read is better than ours if it finished and ours did not,
 * or if it read more records.  The better read's coverage and problems
 * are kept; a tie keeps ours.
 */
#define DB_MERGE_BETTER \
	"((s.status = 'done') > (m.status = 'done') OR " \
	"((s.status = 'done') = (m.status = 'done') AND " \
	"s.records + s.recovered > m.records + m.recovered))"

/* A filter's identity: everything but its id, conditions sorted. */
#define DB_MERGE_SIG(db) \
	"f.detection || char(31) || f.reason || char(31) || " \
	"coalesce(f.added_by, '') || char(31) || f.added_at || char(31) || " \
	"coalesce(f.expires, '') || char(31) || coalesce((SELECT " \
	"group_concat(field || char(29) || pattern, char(30)) FROM (SELECT " \
	"field, pattern FROM " db ".filter_cond c WHERE c.filter_id = f.id " \
	"ORDER BY field, pattern)), '')"

static const char *db_merge_steps[] = {
	"CREATE TEMP TABLE IF NOT EXISTS merge_emap "
	"(src INTEGER PRIMARY KEY, dst INTEGER)",
	"CREATE TEMP TABLE IF NOT EXISTS merge_take (src INTEGER PRIMARY KEY)",
	"DELETE FROM temp.merge_emap",
	"DELETE FROM temp.merge_take",

	/* Files new to us, and files the source read better. */
	"INSERT INTO temp.merge_take SELECT s.id FROM src.evidence s "
	"LEFT JOIN main.evidence m ON m.sha256 = s.sha256 "
	"WHERE m.id IS NULL OR " DB_MERGE_BETTER,
	"INSERT INTO main.evidence (sha256, path, size, mtime, "
	"format_version, dirty, corrupted, records, recovered, unreadable, "
	"process_events, end_events, status, message, loaded_at) "
	"SELECT sha256, path, size, mtime, format_version, dirty, corrupted, "
	"records, recovered, unreadable, process_events, end_events, status, "
	"message, loaded_at FROM src.evidence s WHERE NOT EXISTS "
	"(SELECT 1 FROM main.evidence m WHERE m.sha256 = s.sha256) "
	"ORDER BY s.id",
	"UPDATE main.evidence AS m SET format_version = s.format_version, "
	"dirty = s.dirty, corrupted = s.corrupted, records = s.records, "
	"recovered = s.recovered, unreadable = s.unreadable, "
	"status = s.status, message = s.message, loaded_at = s.loaded_at "
	"FROM src.evidence s WHERE s.sha256 = m.sha256 AND s.id IN "
	"(SELECT src FROM temp.merge_take)",
	"INSERT INTO temp.merge_emap SELECT s.id, m.id FROM src.evidence s "
	"JOIN main.evidence m ON m.sha256 = s.sha256",
	"INSERT OR IGNORE INTO main.evidence_path (evidence_id, path) "
	"SELECT e.dst, p.path FROM src.evidence_path p "
	"JOIN temp.merge_emap e ON e.src = p.evidence_id ORDER BY e.dst, p.path",

	/* Events: the UNIQUE key drops those we have. */
	"INSERT OR IGNORE INTO main.process (evidence_id, record_index, "
	"record_id, recovered, _time, dest, user, user_id, logon_id, process, "
	"process_name, process_path, process_exec, process_id, process_guid, "
	"process_current_directory, process_integrity_level, process_hash, "
	"original_file_name, parent_process, parent_process_name, "
	"parent_process_path, parent_process_id, parent_process_guid, "
	"vendor_product, provider, channel, event_id, event_version, fields) "
	"SELECT e.dst, p.record_index, p.record_id, p.recovered, p._time, "
	"p.dest, p.user, p.user_id, p.logon_id, p.process, p.process_name, "
	"p.process_path, p.process_exec, p.process_id, p.process_guid, "
	"p.process_current_directory, p.process_integrity_level, "
	"p.process_hash, p.original_file_name, p.parent_process, "
	"p.parent_process_name, p.parent_process_path, p.parent_process_id, "
	"p.parent_process_guid, p.vendor_product, p.provider, p.channel, "
	"p.event_id, p.event_version, p.fields FROM src.process p "
	"JOIN temp.merge_emap e ON e.src = p.evidence_id ORDER BY p.id",
	"INSERT OR IGNORE INTO main.process_end (evidence_id, record_index, "
	"record_id, recovered, _time, dest, user, process_path, process_name, "
	"process_id, process_guid, event_id, fields) "
	"SELECT e.dst, x.record_index, x.record_id, x.recovered, x._time, "
	"x.dest, x.user, x.process_path, x.process_name, x.process_id, "
	"x.process_guid, x.event_id, x.fields FROM src.process_end x "
	"JOIN temp.merge_emap e ON e.src = x.evidence_id ORDER BY x.id",

	/* Problems come with the read they belong to. */
	"DELETE FROM main.problem WHERE evidence_id IN (SELECT e.dst FROM "
	"temp.merge_emap e JOIN temp.merge_take t ON t.src = e.src)",
	"INSERT INTO main.problem (evidence_id, path, kind, record_index, "
	"recovered, offset, reason) SELECT e.dst, p.path, p.kind, "
	"p.record_index, p.recovered, p.offset, p.reason FROM src.problem p "
	"JOIN temp.merge_emap e ON e.src = p.evidence_id "
	"JOIN temp.merge_take t ON t.src = p.evidence_id ORDER BY p.id",
	"INSERT INTO main.problem (evidence_id, path, kind, record_index, "
	"recovered, offset, reason) SELECT NULL, p.path, p.kind, "
	"p.record_index, p.recovered, p.offset, p.reason FROM src.problem p "
	"WHERE p.evidence_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
	"main.problem m WHERE m.evidence_id IS NULL AND m.path IS p.path AND "
	"m.kind IS p.kind AND m.record_index IS p.record_index AND "
	"m.recovered IS p.recovered AND m.offset IS p.offset AND "
	"m.reason IS p.reason) ORDER BY p.id",
	"UPDATE main.evidence SET process_events = (SELECT count(*) FROM "
	"main.process p WHERE p.evidence_id = evidence.id), end_events = "
	"(SELECT count(*) FROM main.process_end x WHERE x.evidence_id = "
	"evidence.id) WHERE id IN (SELECT dst FROM temp.merge_emap)",

	/* The detections as last run; the later run of a name wins. */
	"INSERT INTO main.detection (name, title, path, meta, sql, ran_at, "
	"hits, filtered) SELECT name, title, path, meta, sql, ran_at, hits, "
	"filtered FROM src.detection WHERE true ORDER BY name "
	"ON CONFLICT (name) DO UPDATE SET title = excluded.title, "
	"path = excluded.path, meta = excluded.meta, sql = excluded.sql, "
	"ran_at = excluded.ran_at WHERE excluded.ran_at > detection.ran_at",
	NULL
};

/*
 * Columns later versions added, carried when the merged case has them
 * (an older case lacks them, and its rows keep NULL): the chain of
 * containers, which reader read a file's records, and which decoded each
 * row.
 */
static const struct {
	const char	*table, *column, *update;
} db_merge_later[] = {
	{ "evidence_path", "provenance",
	  "UPDATE main.evidence_path AS m SET provenance = p.provenance "
	  "FROM src.evidence_path p JOIN temp.merge_emap e ON "
	  "e.src = p.evidence_id WHERE m.evidence_id = e.dst AND "
	  "m.path = p.path AND m.provenance IS NULL" },
	{ "evidence", "fast_records",
	  "UPDATE main.evidence AS m SET fast_records = s.fast_records "
	  "FROM src.evidence s WHERE s.sha256 = m.sha256 "
	  "AND s.id IN (SELECT src FROM temp.merge_take)" },
	{ "process", "reader",
	  "UPDATE main.process AS m SET reader = s.reader "
	  "FROM src.process s JOIN temp.merge_emap e ON e.src = "
	  "s.evidence_id WHERE m.evidence_id = e.dst AND m.recovered = "
	  "s.recovered AND m.record_index = s.record_index AND m.reader IS "
	  "NULL AND s.reader IS NOT NULL" },
	{ "process_end", "reader",
	  "UPDATE main.process_end AS m SET reader = s.reader "
	  "FROM src.process_end s JOIN temp.merge_emap e ON e.src = "
	  "s.evidence_id WHERE m.evidence_id = e.dst AND m.recovered = "
	  "s.recovered AND m.record_index = s.record_index AND m.reader IS "
	  "NULL AND s.reader IS NOT NULL" }
};

static int
db_merge_fail(struct db *db, const char *what, char **cause)
{
	xasprintf(cause, "cannot merge %s: %s", what, sqlite3_errmsg(db->h));
	return (-1);
}

static int64_t
db_merge_changes(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0;

	st = db_prepare(db, sql);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

/* Copy the source's filters that we do not have, conditions and all. */
static int
db_merge_filters(struct db *db, int64_t *added)
{
	sqlite3_stmt	*st, *have, *ins, *conds;
	int64_t		 id;

	*added = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT f.id, " DB_MERGE_SIG("src")
	    " FROM src.filter f ORDER BY f.id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "SELECT 1 FROM main.filter f WHERE "
	    DB_MERGE_SIG("main") " = ?", -1, &have, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "INSERT INTO main.filter (detection, "
	    "reason, added_by, added_at, expires) SELECT detection, reason, "
	    "added_by, added_at, expires FROM src.filter WHERE id = ?", -1,
	    &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "INSERT INTO main.filter_cond "
	    "(filter_id, field, pattern) SELECT ?, field, pattern FROM "
	    "src.filter_cond WHERE filter_id = ? ORDER BY rowid", -1, &conds,
	    NULL) != SQLITE_OK)
		fatalx("merge: %s", sqlite3_errmsg(db->h));
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_bind_value(have, 1, sqlite3_column_value(st, 1));
		if (sqlite3_step(have) == SQLITE_ROW) {
			sqlite3_reset(have);
			continue;
		}
		sqlite3_reset(have);
		sqlite3_bind_int64(ins, 1, sqlite3_column_int64(st, 0));
		if (sqlite3_step(ins) != SQLITE_DONE)
			break;
		sqlite3_reset(ins);
		id = sqlite3_last_insert_rowid(db->h);
		sqlite3_bind_int64(conds, 1, id);
		sqlite3_bind_int64(conds, 2, sqlite3_column_int64(st, 0));
		if (sqlite3_step(conds) != SQLITE_DONE)
			break;
		sqlite3_reset(conds);
		(*added)++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(have);
	sqlite3_finalize(ins);
	sqlite3_finalize(conds);
	return (0);
}

/* Note the source in case_info "merged_from", once. */
static void
db_merge_note(struct db *db, const char *path)
{
	sqlite3_stmt	*st;

	st = db_prepare(db, "INSERT INTO main.case_info (key, value) "
	    "SELECT 'merged_from', ?1 || ' (' || coalesce((SELECT value FROM "
	    "src.case_info WHERE key = 'command'), 'no command') || ')' "
	    "WHERE true ON CONFLICT (key) DO UPDATE SET value = value || "
	    "char(10) || excluded.value WHERE instr(char(10) || value || "
	    "char(10), char(10) || excluded.value || char(10)) = 0");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

/*
 * Merge the case at path into db, all or nothing.  What was added goes
 * to ms.  The hits are left to be made again: see db_merge_detections.
 */
int
db_merge_case(struct db *db, const char *path, struct db_merge_stats *ms,
    char **cause)
{
	struct db	*src;
	sqlite3_stmt	*st;
	char		*uri, *sql;
	int		 i, version = -1, ret = -1;
	int64_t		 before[3], n;
	size_t		 k;

	memset(ms, 0, sizeof *ms);
	/* Checked as any case opened to read, and attached read-only. */
	if (db_open(path, DB_READONLY, &src, cause) != 0)
		return (-1);
	db_close(src);
	if (sqlite3_prepare_v2(db->h, "ATTACH DATABASE ? AS src", -1, &st,
	    NULL) != SQLITE_OK)
		return (db_merge_fail(db, path, cause));
	uri = db_uri(path, 1);
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		xasprintf(cause, "cannot open case '%s': %s", path,
		    sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		free(uri);
		return (-1);
	}
	sqlite3_finalize(st);
	free(uri);
	if (sqlite3_prepare_v2(db->h, "PRAGMA src.user_version", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version != 1 || db_merge_changes(db, "SELECT count(*) FROM "
	    "src.sqlite_master WHERE name = 'process'") != 1) {
		xasprintf(cause, "'%s' is not an evtriage case%s", path,
		    version > 1 ? " of this version" : "");
		goto out;
	}
	before[0] = db_merge_changes(db, "SELECT count(*) FROM main.evidence");
	before[1] = db_merge_changes(db, "SELECT count(*) FROM main.process");
	before[2] = db_merge_changes(db,
	    "SELECT count(*) FROM main.process_end");
	db_begin(db);
	for (i = 0; db_merge_steps[i] != NULL; i++) {
		if (db_exec(db, db_merge_steps[i], cause) != 0) {
			db_exec(db, "ROLLBACK", NULL);
			db->in_txn = 0;
			goto out;
		}
	}
	/* What later versions added, from a case that has it. */
	for (k = 0; k < sizeof db_merge_later / sizeof db_merge_later[0];
	    k++) {
		xasprintf(&sql, "SELECT count(*) FROM pragma_table_info('%s', "
		    "'src') WHERE name = '%s'", db_merge_later[k].table,
		    db_merge_later[k].column);
		n = db_merge_changes(db, sql);
		free(sql);
		if (n == 1 && db_exec(db, db_merge_later[k].update,
		    cause) != 0) {
			db_exec(db, "ROLLBACK", NULL);
			db->in_txn = 0;
			goto out;
		}
	}
	ms->better = db_merge_changes(db, "SELECT count(*) FROM "
	    "temp.merge_take t JOIN src.evidence s ON s.id = t.src "
	    "JOIN main.evidence m ON m.sha256 = s.sha256") -
	    (db_merge_changes(db, "SELECT count(*) FROM main.evidence") -
	    before[0]);
	db_merge_filters(db, &ms->filters);
	db_merge_note(db, path);
	db_commit(db);
	ms->evidence = db_merge_changes(db,
	    "SELECT count(*) FROM main.evidence") - before[0];
	ms->rows = db_merge_changes(db,
	    "SELECT count(*) FROM main.process") - before[1];
	ms->end_rows = db_merge_changes(db,
	    "SELECT count(*) FROM main.process_end") - before[2];
	ret = 0;
out:
	db_exec(db, "DETACH DATABASE src", NULL);
	return (ret);
}

/*
 * The detections stored in the case (the detection table), ready for
 * db_detect_run: their metadata and SQL as they last ran.
 */
int
db_merge_detections(struct db *db, struct db_detection **out, size_t *nout)
{
	sqlite3_stmt		*st, *js;
	struct db_detection	*all = NULL, *d;
	size_t			 n = 0;
	const char		*s;
	char			 key[64];
	int			 k;

	if (sqlite3_prepare_v2(db->h, "SELECT name, path, meta, sql FROM "
	    "detection WHERE sql IS NOT NULL ORDER BY name", -1, &st,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "SELECT json_extract(?, ?)", -1, &js,
	    NULL) != SQLITE_OK)
		fatalx("merge: %s", sqlite3_errmsg(db->h));
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		d = &all[n++];
		memset(d, 0, sizeof *d);
		s = (const char *)sqlite3_column_text(st, 1);
		d->path = xstrdup(s != NULL ? s : "(case)");
		d->sql = xstrdup((const char *)sqlite3_column_text(st, 3));
		for (k = 0; k < DETECT_NKEYS; k++) {
			snprintf(key, sizeof key, "$.%s",
			    db_detect_key_name(k));
			sqlite3_bind_value(js, 1, sqlite3_column_value(st, 2));
			sqlite3_bind_text(js, 2, key, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(js) == SQLITE_ROW &&
			    (s = (const char *)sqlite3_column_text(js, 0)) !=
			    NULL)
				d->meta[k] = xstrdup(s);
			sqlite3_reset(js);
		}
		if (d->meta[DETECT_NAME] == NULL)
			d->meta[DETECT_NAME] = xstrdup((const char *)
			    sqlite3_column_text(st, 0));
		if (d->meta[DETECT_RISK_MESSAGE] == NULL)
			d->meta[DETECT_RISK_MESSAGE] = xstrdup("");
		d->impact = d->meta[DETECT_IMPACT] != NULL ?
		    atoi(d->meta[DETECT_IMPACT]) : 0;
		d->confidence = d->meta[DETECT_CONFIDENCE] != NULL ?
		    atoi(d->meta[DETECT_CONFIDENCE]) : 0;
		d->risk_score = d->impact * d->confidence / 100;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(js);
	*out = all;
	*nout = n;
	return (0);
}
