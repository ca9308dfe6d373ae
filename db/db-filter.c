/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * False-positive filters.  In Splunk each detection ends in an empty
 * macro that analysts edit to drop known-good results; here the macro is
 * rows: a filter names its detection, a reason, who added it and when,
 * and conditions on the detection's output fields.  A hit is filtered
 * when every condition of one unexpired filter matches it.  Filters
 * travel between cases as CSV (db_filter_import, db_filter_export).
 */

#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "triage/csv.h"
#include "triage/casetime.h"
#include "db-int.h"

/*
 * Match value against a Splunk-style wildcard: '*' is any run of
 * characters, everything else literal, ASCII case ignored.  An empty
 * pattern matches anything; a NULL value is matched as "unknown".
 */
int
db_filter_wildcard(const char *pat, const char *value)
{
	const char	*star = NULL, *retry = NULL;

	if (*pat == '\0')
		return (1);
	if (value == NULL)
		value = "unknown";
	while (*value != '\0') {
		if (*pat == '*') {
			star = ++pat;
			retry = value;
			continue;
		}
		if (*pat != '\0' && tolower((unsigned char)*pat) ==
		    tolower((unsigned char)*value)) {
			pat++;
			value++;
			continue;
		}
		if (star == NULL)
			return (0);
		pat = star;
		value = ++retry;
	}
	while (*pat == '*')
		pat++;
	return (*pat == '\0');
}

/* The id of the first unexpired filter matching the hit, or 0. */
int64_t
db_filter_match(const struct db_filter *f, size_t nf, const char *detection,
    char **names, char **values, size_t nv, const char *now)
{
	size_t	i, j, k;
	int	ok;

	for (i = 0; i < nf; i++) {
		if (strcmp(f[i].detection, detection) != 0)
			continue;
		if (f[i].expires != NULL && *f[i].expires != '\0' &&
		    strcmp(f[i].expires, now) <= 0)
			continue;
		ok = 1;
		for (j = 0; j < f[i].nconds && ok; j++) {
			for (k = 0; k < nv; k++) {
				if (strcmp(names[k], f[i].conds[j].field) == 0)
					break;
			}
			if (k == nv)
				ok = 0;
			else
				ok = db_filter_wildcard(f[i].conds[j].pattern,
				    values[k]);
		}
		if (ok)
			return (f[i].id);
	}
	return (0);
}

/* Who adds a filter: $EVTRIAGE_USER, else the login name. */
char *
db_filter_user(void)
{
	struct passwd	*pw;
	const char	*s;

	if ((s = getenv("EVTRIAGE_USER")) != NULL)
		return (xstrdup(s));
	if ((pw = getpwuid(getuid())) != NULL)
		return (xstrdup(pw->pw_name));
	return (xstrdup("unknown"));
}

int
db_filter_add(struct db *db, const struct db_filter *f, int64_t *id,
    char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;
	char		*now = NULL;

	db_begin(db);
	if (sqlite3_prepare_v2(db->h, "INSERT INTO filter (detection, reason, "
	    "added_by, added_at, expires) VALUES (?, ?, ?, ?, ?)", -1, &st,
	    NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	if (f->added_at == NULL)
		now = db_now();
	sqlite3_bind_text(st, 1, f->detection, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->added_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, now != NULL ? now : f->added_at, -1,
	    SQLITE_STATIC);
	if (f->expires != NULL && *f->expires != '\0')
		sqlite3_bind_text(st, 5, f->expires, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		*cause = xstrdup(sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		free(now);
		return (-1);
	}
	sqlite3_finalize(st);
	free(now);
	*id = sqlite3_last_insert_rowid(db->h);
	if (sqlite3_prepare_v2(db->h, "INSERT INTO filter_cond (filter_id, "
	    "field, pattern) VALUES (?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	for (i = 0; i < f->nconds; i++) {
		sqlite3_bind_int64(st, 1, *id);
		sqlite3_bind_text(st, 2, f->conds[i].field, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->conds[i].pattern, -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			fatalx("filter: %s", sqlite3_errmsg(db->h));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	db_commit(db);
	return (0);
}

int
db_filter_rm(struct db *db, int64_t id, char **cause)
{
	sqlite3_stmt	*st;
	int		 n;

	db_begin(db);
	if (sqlite3_prepare_v2(db->h, "DELETE FROM filter_cond WHERE "
	    "filter_id = ?1", -1, &st, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_int64(st, 1, id);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db->h, "DELETE FROM filter WHERE id = ?1", -1,
	    &st, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_int64(st, 1, id);
	sqlite3_step(st);
	sqlite3_finalize(st);
	n = sqlite3_changes(db->h);
	db_commit(db);
	if (n == 0) {
		xasprintf(cause, "no filter %lld", (long long)id);
		return (-1);
	}
	return (0);
}

static char *
db_filter_text(sqlite3_stmt *st, int i)
{
	const char	*s;

	s = (const char *)sqlite3_column_text(st, i);
	return (s != NULL ? xstrdup(s) : NULL);
}

/* The filters of a detection (all if NULL), by id. */
int
db_filter_list(struct db *db, const char *detection, struct db_filter **out,
    size_t *nout)
{
	sqlite3_stmt		*st, *cs;
	struct db_filter	*all = NULL, *f;
	size_t			 n = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT id, detection, reason, "
	    "added_by, added_at, expires FROM filter WHERE ?1 IS NULL OR "
	    "detection = ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "SELECT field, pattern FROM filter_cond "
	    "WHERE filter_id = ? ORDER BY rowid", -1, &cs, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	if (detection != NULL)
		sqlite3_bind_text(st, 1, detection, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		f = &all[n++];
		memset(f, 0, sizeof *f);
		f->id = sqlite3_column_int64(st, 0);
		f->detection = db_filter_text(st, 1);
		f->reason = db_filter_text(st, 2);
		f->added_by = db_filter_text(st, 3);
		f->added_at = db_filter_text(st, 4);
		f->expires = db_filter_text(st, 5);
		sqlite3_bind_int64(cs, 1, f->id);
		while (sqlite3_step(cs) == SQLITE_ROW) {
			f->conds = xreallocarray(f->conds, f->nconds + 1,
			    sizeof *f->conds);
			f->conds[f->nconds].field = db_filter_text(cs, 0);
			f->conds[f->nconds].pattern = db_filter_text(cs, 1);
			f->nconds++;
		}
		sqlite3_reset(cs);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(cs);
	*out = all;
	*nout = n;
	return (0);
}

void
db_filter_free(struct db_filter *f, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		free(f[i].detection);
		free(f[i].reason);
		free(f[i].added_by);
		free(f[i].added_at);
		free(f[i].expires);
		for (j = 0; j < f[i].nconds; j++) {
			free(f[i].conds[j].field);
			free(f[i].conds[j].pattern);
		}
		free(f[i].conds);
	}
	free(f);
}

/*
 * Does the filter match every hit of its detection: no conditions, or
 * only patterns that match anything ("" or all '*')?
 */
int
db_filter_all(const struct db_filter *f)
{
	size_t		 i;
	const char	*p;

	for (i = 0; i < f->nconds; i++) {
		for (p = f->conds[i].pattern; *p == '*'; p++)
			;
		if (*p != '\0')
			return (0);
	}
	return (1);
}

/*
 * Match the stored hits of a detection (every detection if NULL) against
 * the filters the case has now, as a run would, and update the hits
 * whose filter changed and the detections' counts: what filter add and
 * rm and the browser do, without running the detection again.  The
 * number of hits that changed goes to changed.
 */
int
db_filter_apply(struct db *db, const char *detection, size_t *changed,
    char **cause)
{
	sqlite3_stmt		*st, *vs, *up;
	struct db_filter	*f = NULL;
	size_t			 nf = 0, nids = 0, i, j, nv;
	int64_t			*ids = NULL, *old = NULL, fid;
	char			**dets = NULL, **names, **values, *now;
	const char		*reason;
	int			 rc = 0;

	*changed = 0;
	db_filter_list(db, NULL, &f, &nf);
	if (sqlite3_prepare_v2(db->h, "SELECT id, detection, "
	    "coalesce(filter_id, 0) FROM hit WHERE ?1 IS NULL OR "
	    "detection = ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(st, 1, detection, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ids = xreallocarray(ids, nids + 1, sizeof *ids);
		old = xreallocarray(old, nids + 1, sizeof *old);
		dets = xreallocarray(dets, nids + 1, sizeof *dets);
		ids[nids] = sqlite3_column_int64(st, 0);
		dets[nids] = xstrdup((const char *)sqlite3_column_text(st, 1));
		old[nids++] = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);

	/* A hit of an older case has no match_output: its output then. */
	if (sqlite3_prepare_v2(db->h, "SELECT j.key, j.value FROM hit h, "
	    "json_each(coalesce(h.match_output, h.output)) j WHERE h.id = ? "
	    "ORDER BY j.id", -1, &vs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "UPDATE hit SET filter_id = nullif(?, 0),"
	    " filter_reason = ? WHERE id = ?", -1, &up, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	now = db_now();
	db_begin(db);
	for (i = 0; i < nids; i++) {
		names = values = NULL;
		nv = 0;
		sqlite3_bind_int64(vs, 1, ids[i]);
		while (sqlite3_step(vs) == SQLITE_ROW) {
			names = xreallocarray(names, nv + 1, sizeof *names);
			values = xreallocarray(values, nv + 1,
			    sizeof *values);
			names[nv] = db_filter_text(vs, 0);
			values[nv++] = db_filter_text(vs, 1);
		}
		sqlite3_reset(vs);
		fid = db_filter_match(f, nf, dets[i], names, values, nv, now);
		for (j = 0; j < nv; j++) {
			free(names[j]);
			free(values[j]);
		}
		free(names);
		free(values);
		if (fid == old[i])
			continue;
		reason = NULL;
		for (j = 0; j < nf; j++) {
			if (f[j].id == fid)
				reason = f[j].reason;
		}
		sqlite3_bind_int64(up, 1, fid);
		sqlite3_bind_text(up, 2, reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 3, ids[i]);
		if (sqlite3_step(up) != SQLITE_DONE) {
			*cause = xstrdup(sqlite3_errmsg(db->h));
			rc = -1;
			break;
		}
		sqlite3_reset(up);
		(*changed)++;
	}
	sqlite3_finalize(vs);
	sqlite3_finalize(up);
	if (rc == 0 && db_exec(db, "UPDATE detection SET hits = (SELECT "
	    "count(*) FROM hit WHERE hit.detection = detection.name AND "
	    "filter_id IS NULL), filtered = (SELECT count(*) FROM hit WHERE "
	    "hit.detection = detection.name AND filter_id IS NOT NULL)",
	    cause) != 0)
		rc = -1;
	if (rc == 0)
		db_commit(db);
	else {
		db_exec(db, "ROLLBACK", NULL);
		db->in_txn = 0;
	}
	for (i = 0; i < nids; i++)
		free(dets[i]);
	free(dets);
	free(ids);
	free(old);
	free(now);
	db_filter_free(f, nf);
	return (rc);
}

/* How many stored hits the filter suppresses. */
int64_t
db_filter_count(struct db *db, int64_t id)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM hit WHERE "
	    "filter_id = ?", -1, &st, NULL) != SQLITE_OK)
		fatalx("filter: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

/*
 * Filters match ctime columns (firstTime, lastTime) in UTC.  A pattern
 * that is a whole ctime text, "03/05/2024 11:00:00", read in zone tz (as
 * detect -z showed it), is rewritten as the same instant in UTC.
 */
int
db_filter_zone(struct db_filter *flt, const char *tz, char **cause)
{
	struct tm	 tm;
	time_t		 t;
	char		 out[64];
	const char	*p;
	size_t		 i;
	int		 n;

	if (casetime_zone_check(tz, cause) != 0)
		return (-1);
	for (i = 0; i < flt->nconds; i++) {
		p = flt->conds[i].pattern;
		memset(&tm, 0, sizeof tm);
		if (sscanf(p, "%2d/%2d/%4d %2d:%2d:%2d%n", &tm.tm_mon,
		    &tm.tm_mday, &tm.tm_year, &tm.tm_hour, &tm.tm_min,
		    &tm.tm_sec, &n) != 6 || p[n] != '\0' || strlen(p) != 19)
			continue;
		tm.tm_mon--;
		tm.tm_year -= 1900;
		if ((t = casetime_mktime(&tm, tz)) == (time_t)-1)
			continue;
		gmtime_r(&t, &tm);
		strftime(out, sizeof out, "%m/%d/%Y %H:%M:%S", &tm);
		free(flt->conds[i].pattern);
		flt->conds[i].pattern = xstrdup(out);
	}
	return (0);
}

/*
 * Check a filter before it is added: its detection must exist (in the
 * catalogue or in the case) and each condition name one of the
 * detection's output fields; one that matches every hit needs all.
 */
int
db_filter_check(struct db *db, const struct db_filter *flt, int all,
    char **cause)
{
	struct db_detection	 d;
	char			**fields = NULL, *why = NULL;
	size_t			 nfields = 0, i, j;
	int			 rc = -1, known;

	known = (db_run_find(flt->detection, &d, &why) == 0);
	if (known) {
		fields = d.output;
		nfields = d.noutput;
	} else if (db_detect_output_fields(db, flt->detection, &fields,
	    &nfields) == 0)
		known = 2;
	if (!known) {
		*cause = why;
		return (-1);
	}
	free(why);
	for (i = 0; i < flt->nconds; i++) {
		for (j = 0; j < nfields; j++) {
			if (strcmp(fields[j], flt->conds[i].field) == 0)
				break;
		}
		if (j == nfields) {
			xasprintf(cause, "'%s' is not an output field of '%s' "
			    "(see evtriage rules -v)", flt->conds[i].field,
			    flt->detection);
			goto out;
		}
	}
	if (!all && db_filter_all(flt)) {
		xasprintf(cause, "this filter would suppress every hit of '%s': "
		    "give conditions, or -a to mean it", flt->detection);
		goto out;
	}
	rc = 0;
out:
	if (known == 1)
		db_detect_clear(&d);
	else {
		for (i = 0; i < nfields; i++)
			free(fields[i]);
		free(fields);
	}
	return (rc);
}

/*
 * The filters' CSV form, which carries a team's tuning from case to
 * case.  One row is one condition; rows with the same number in the
 * filter column make one filter.
 */
static const char *db_filter_csv_header[] = {
	"filter", "detection", "field", "pattern", "reason", "added_by",
	"added_at", "expires"
};

/* Has the case a filter with the same detection, reason and conditions? */
static int
db_filter_csv_exists(struct db *db, const struct db_filter *flt)
{
	struct db_filter	*f;
	size_t			 n, i, j;
	int			 found = 0;

	db_filter_list(db, flt->detection, &f, &n);
	for (i = 0; i < n && !found; i++) {
		if (strcmp(f[i].reason, flt->reason) != 0 ||
		    f[i].nconds != flt->nconds)
			continue;
		for (j = 0; j < flt->nconds; j++) {
			if (strcmp(f[i].conds[j].field, flt->conds[j].field) ||
			    strcmp(f[i].conds[j].pattern,
			    flt->conds[j].pattern))
				break;
		}
		found = (j == flt->nconds);
	}
	db_filter_free(f, n);
	return (found);
}

/* Free what an imported filter holds, and empty it. */
static void
db_filter_csv_clear(struct db_filter *flt)
{
	size_t	i;

	free(flt->detection);
	free(flt->reason);
	free(flt->added_by);
	free(flt->added_at);
	free(flt->expires);
	for (i = 0; i < flt->nconds; i++) {
		free(flt->conds[i].field);
		free(flt->conds[i].pattern);
	}
	free(flt->conds);
	memset(flt, 0, sizeof *flt);
}

/*
 * Import filters from a CSV file into the case.  A filter the case has
 * already (same detection, reason and conditions) is not added again, so
 * importing a team's file into a case twice changes nothing.
 */
int
db_filter_import(struct db *db, const char *path, char **cause)
{
	FILE			*f;
	char			**cells, *last = NULL;
	struct db_filter	 flt;
	int			 n, line = 0;
	int64_t			 id;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	memset(&flt, 0, sizeof flt);
	for (;;) {
		n = csv_read_row(f, &cells);
		line++;
		if (n < 0) {
			xasprintf(cause, "%s:%d: unterminated quote", path,
			    line);
			goto fail;
		}
		if (n == 0 || (last != NULL && strcmp(cells[0], last) != 0)) {
			if (last != NULL && !db_filter_csv_exists(db, &flt) &&
			    db_filter_add(db, &flt, &id, cause) != 0) {
				if (n > 0)
					csv_free_row(cells, n);
				goto fail;
			}
			free(last);
			last = NULL;
			db_filter_csv_clear(&flt);
		}
		if (n == 0)
			break;
		if (line == 1 && strcmp(cells[0], "filter") == 0) {
			csv_free_row(cells, n);
			continue;
		}
		if (n != 8) {
			xasprintf(cause, "%s:%d: %d cells, not 8 (%s,...)",
			    path, line, n, db_filter_csv_header[0]);
			csv_free_row(cells, n);
			goto fail;
		}
		if (last == NULL) {
			last = xstrdup(cells[0]);
			flt.detection = xstrdup(cells[1]);
			flt.reason = xstrdup(cells[4]);
			flt.added_by = xstrdup(cells[5]);
			flt.added_at = *cells[6] != '\0' ?
			    xstrdup(cells[6]) : NULL;
			flt.expires = *cells[7] != '\0' ?
			    xstrdup(cells[7]) : NULL;
		}
		if (*cells[2] != '\0') {
			flt.conds = xreallocarray(flt.conds, flt.nconds + 1,
			    sizeof *flt.conds);
			flt.conds[flt.nconds].field = xstrdup(cells[2]);
			flt.conds[flt.nconds].pattern = xstrdup(cells[3]);
			flt.nconds++;
		}
		csv_free_row(cells, n);
	}
	free(last);
	fclose(f);
	return (0);
fail:
	free(last);
	db_filter_csv_clear(&flt);
	fclose(f);
	return (-1);
}

/*
 * Write the case's filters as CSV, one condition a row; to a terminal,
 * with the controls a reason or pattern may hold escaped.
 */
void
db_filter_export(struct db *db, FILE *out)
{
	struct db_filter	*f;
	size_t			 n, i, j;
	char			 id[32];
	const char		*row[8];
	void			(*write_row)(FILE *, const char * const *,
				    size_t) = csv_write_row;

	if (isatty(fileno(out)))
		write_row = csv_write_row_term;
	db_filter_list(db, NULL, &f, &n);
	write_row(out, db_filter_csv_header, 8);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)f[i].id);
		row[0] = id;
		row[1] = f[i].detection;
		row[4] = f[i].reason;
		row[5] = f[i].added_by;
		row[6] = f[i].added_at;
		row[7] = f[i].expires != NULL ? f[i].expires : "";
		for (j = 0; j < f[i].nconds || j == 0; j++) {
			row[2] = j < f[i].nconds ? f[i].conds[j].field : "";
			row[3] = j < f[i].nconds ? f[i].conds[j].pattern : "";
			write_row(out, row, 8);
		}
	}
	db_filter_free(f, n);
}
