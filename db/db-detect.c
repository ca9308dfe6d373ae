/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Detections written in SQL.  A detection is one file: a header of
 * "-- key: value" comment lines carrying its metadata, then one SELECT
 * over the view "processes" (the process table within the time window).
 * Columns whose names start with an underscore are for evtriage, not
 * output: _rows lists the process rows behind a result, _first its
 * first time.  See evtriage-detection(5).
 */

#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "triage/casetime.h"
#include "db-int.h"

static const char *db_detect_keys[DETECT_NKEYS] = {
	"name", "title", "description", "mitre", "tactic",
	"kill_chain_phase", "nist", "cis", "threat_actors", "data_sources",
	"known_false_positives", "references", "impact", "confidence",
	"risk_message", "notable_fields", "output", "spl", "author"
};

const char *
db_detect_key_name(enum db_detect_key k)
{
	return (db_detect_keys[k]);
}

static char *
db_detect_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return (s);
}

/* Split "a, b, c" into an array of trimmed names. */
/* A score (impact, confidence): a whole number from 0 to 100, ESCU's scale. */
static int
db_detect_score(const char *s, int *out)
{
	int	v = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return (-1);
		v = v * 10 + (*s - '0');
		if (v > 100)
			return (-1);
	}
	*out = v;
	return (0);
}

static void
db_detect_split(const char *list, char ***out, size_t *n)
{
	char	*copy, *p, *tok;

	*out = NULL;
	*n = 0;
	copy = xstrdup(list);
	for (p = copy; (tok = strsep(&p, ",")) != NULL; ) {
		tok = db_detect_trim(tok);
		if (*tok == '\0')
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(tok);
	}
	free(copy);
}

/*
 * Parse a detection file.  A header line is "-- key: value"; a line
 * "--" followed by two or more spaces continues the previous value.  The
 * first line that is not a comment, or a bare "--", starts the SQL.
 */
int
db_detect_parse(const char *path, struct db_detection *d, char **cause)
{
	FILE		*f;
	char		*line = NULL, *p, *colon, *key, *val;
	size_t		 size = 0;
	ssize_t		 len;
	struct buf	 sql = { 0 };
	int		 lineno = 0, k, last = -1, in_sql = 0, i;

	memset(d, 0, sizeof *d);
	d->path = xstrdup(path);
	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	while ((len = getline(&line, &size, f)) != -1) {
		lineno++;
		if (in_sql || strncmp(line, "--", 2) != 0) {
			if (!in_sql && *db_detect_trim(line) == '\0')
				continue;
			in_sql = 1;
			buf_append(&sql, line, len);
			continue;
		}
		p = line + 2;
		/* A bare "--" ends the header: comments after it are prose. */
		if (*db_detect_trim(p) == '\0') {
			in_sql = 1;
			continue;
		}
		if (strncmp(p, "  ", 2) == 0 && last >= 0) {
			val = db_detect_trim(p);
			if (*val == '\0')
				continue;
			xasprintf(&key, "%s%s%s", d->meta[last],
			    last == DETECT_SPL ? "\n" : " ", val);
			free(d->meta[last]);
			d->meta[last] = key;
			continue;
		}
		p = db_detect_trim(p);
		if ((colon = strchr(p, ':')) == NULL) {
			xasprintf(cause, "%s:%d: header line without "
			    "'key: value'", path, lineno);
			goto fail;
		}
		*colon = '\0';
		key = db_detect_trim(p);
		val = db_detect_trim(colon + 1);
		for (k = 0; k < DETECT_NKEYS; k++) {
			if (strcmp(key, db_detect_keys[k]) == 0)
				break;
		}
		if (k == DETECT_NKEYS) {
			xasprintf(cause, "%s:%d: unknown key '%s'", path,
			    lineno, key);
			goto fail;
		}
		if (d->meta[k] != NULL) {
			xasprintf(cause, "%s:%d: key '%s' given twice", path,
			    lineno, key);
			goto fail;
		}
		d->meta[k] = xstrdup(val);
		last = k;
	}
	fclose(f);
	f = NULL;
	free(line);
	line = NULL;
	for (i = 0; i < DETECT_NKEYS; i++) {
		if (d->meta[i] != NULL)
			continue;
		if (i == DETECT_NAME || i == DETECT_TITLE ||
		    i == DETECT_MITRE || i == DETECT_IMPACT ||
		    i == DETECT_CONFIDENCE || i == DETECT_RISK_MESSAGE ||
		    i == DETECT_OUTPUT) {
			xasprintf(cause, "%s:%d: missing key '%s'", path,
			    lineno, db_detect_keys[i]);
			goto fail;
		}
	}
	if (sql.len == 0 || *db_detect_trim((char *)sql.data) == '\0') {
		xasprintf(cause, "%s:%d: no SQL after the header", path,
		    lineno);
		goto fail;
	}
	d->sql = buf_take(&sql);
	if (db_detect_score(d->meta[DETECT_IMPACT], &d->impact) != 0 ||
	    db_detect_score(d->meta[DETECT_CONFIDENCE], &d->confidence) != 0) {
		k = db_detect_score(d->meta[DETECT_IMPACT], &d->impact) != 0 ?
		    DETECT_IMPACT : DETECT_CONFIDENCE;
		xasprintf(cause, "%s: %s '%s' is not a whole number from 0 "
		    "to 100", path, db_detect_keys[k], d->meta[k]);
		goto fail;
	}
	d->risk_score = d->impact * d->confidence / 100;
	db_detect_split(d->meta[DETECT_OUTPUT], &d->output, &d->noutput);
	return (0);

fail:
	if (f != NULL)
		fclose(f);
	free(line);
	buf_free(&sql);
	db_detect_clear(d);
	return (-1);
}

void
db_detect_clear(struct db_detection *d)
{
	size_t	i;

	free(d->path);
	for (i = 0; i < DETECT_NKEYS; i++)
		free(d->meta[i]);
	free(d->sql);
	for (i = 0; i < d->noutput; i++)
		free(d->output[i]);
	free(d->output);
	memset(d, 0, sizeof *d);
}

static int
db_detect_cmp(const void *a, const void *b)
{
	const struct db_detection	*x = a, *y = b;

	return (strcmp(x->meta[DETECT_NAME], y->meta[DETECT_NAME]));
}

/*
 * Load every *.sql file of the folders.  A later folder's detection
 * replaces an earlier one of the same name, so a user's folder can
 * override a shipped detection.
 */
int
db_detect_load_dirs(const char **dirs, size_t ndirs,
    struct db_detection **out, size_t *nout, char **cause)
{
	struct db_detection	*all = NULL, d;
	DIR			*dp;
	struct dirent		*de;
	char			*path;
	size_t			 n = 0, i, j, len;

	for (i = 0; i < ndirs; i++) {
		if ((dp = opendir(dirs[i])) == NULL) {
			xasprintf(cause, "cannot open detections folder "
			    "'%s': %s", dirs[i], strerror(errno));
			db_detect_free_all(all, n);
			return (-1);
		}
		while ((de = readdir(dp)) != NULL) {
			len = strlen(de->d_name);
			if (len < 5 || strcmp(de->d_name + len - 4, ".sql"))
				continue;
			xasprintf(&path, "%s/%s", dirs[i], de->d_name);
			if (db_detect_parse(path, &d, cause) != 0) {
				free(path);
				closedir(dp);
				db_detect_free_all(all, n);
				return (-1);
			}
			free(path);
			for (j = 0; j < n; j++) {
				if (strcmp(all[j].meta[DETECT_NAME],
				    d.meta[DETECT_NAME]) == 0)
					break;
			}
			if (j < n)
				db_detect_clear(&all[j]);
			else
				all = xreallocarray(all, ++n, sizeof *all);
			all[j] = d;
		}
		closedir(dp);
	}
	qsort(all, n, sizeof *all, db_detect_cmp);
	*out = all;
	*nout = n;
	return (0);
}

/* The index of the detection called name among the n of d, or n. */
size_t
db_detect_lookup(const struct db_detection *d, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(d[i].meta[DETECT_NAME], name) == 0)
			break;
	}
	return (i);
}

void
db_detect_free_all(struct db_detection *d, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		db_detect_clear(&d[i]);
	free(d);
}

/* Format an ISO UTC time as security_content_ctime does, in zone tz. */
char *
db_detect_ctime(const char *iso, const char *tz)
{
	return (casetime_format(iso, tz, CASETIME_CTIME));
}

/*
 * The ctime texts a run's SQL made, so that the run knows which output
 * values are times: a set of strings, open addressing.
 */
struct db_detect_set {
	char	**slot;
	size_t	  size;		/* a power of two, or 0 */
	size_t	  n;
};

static size_t
db_detect_set_hash(const char *s)
{
	size_t	h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return (h);
}

static int
db_detect_set_has(const struct db_detect_set *set, const char *s)
{
	size_t	i;

	if (set->size == 0 || s == NULL)
		return (0);
	i = db_detect_set_hash(s) & (set->size - 1);
	for (; set->slot[i] != NULL; i = (i + 1) & (set->size - 1)) {
		if (strcmp(set->slot[i], s) == 0)
			return (1);
	}
	return (0);
}

static void
db_detect_set_add(struct db_detect_set *set, const char *s)
{
	struct db_detect_set	 old = *set;
	size_t			 i;

	if (db_detect_set_has(set, s))
		return;
	if (2 * (set->n + 1) > set->size) {
		set->size = set->size == 0 ? 64 : set->size * 2;
		set->slot = xcalloc(set->size, sizeof *set->slot);
		set->n = 0;
		for (i = 0; i < old.size; i++) {
			if (old.slot[i] != NULL)
				db_detect_set_add(set, old.slot[i]);
			free(old.slot[i]);
		}
		free(old.slot);
	}
	i = db_detect_set_hash(s) & (set->size - 1);
	while (set->slot[i] != NULL)
		i = (i + 1) & (set->size - 1);
	set->slot[i] = xstrdup(s);
	set->n++;
}

static void
db_detect_set_free(struct db_detect_set *set)
{
	size_t	i;

	for (i = 0; i < set->size; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof *set);
}

/*
 * Render a UTC ctime text ("03/05/2024 10:00:00", as the SQL's ctime
 * gives it) in zone tz, through db_detect_ctime.
 */
static char *
db_detect_ctime_zone(const char *utc, const char *tz)
{
	int	mon, day, year, h, m, sec;
	char	iso[64];

	if (tz == NULL || sscanf(utc, "%2d/%2d/%4d %2d:%2d:%2d", &mon, &day,
	    &year, &h, &m, &sec) != 6)
		return (xstrdup(utc));
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d", year, mon,
	    day, h, m, sec);
	return (db_detect_ctime(iso, tz));
}

/*
 * ctime() in a detection's SQL: always UTC, so that what the SQL
 * compares and what filters match do not depend on the zone the hits
 * are shown in.  Each text made is noted in the run's set; the run
 * renders those values in its zone for display.
 */
static void
db_detect_sql_ctime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct db_detect_set	*set = sqlite3_user_data(ctx);
	char			*s;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	s = db_detect_ctime((const char *)sqlite3_value_text(argv[0]), NULL);
	if (set != NULL)
		db_detect_set_add(set, s);
	sqlite3_result_text(ctx, s, -1, free);
}

static void
db_detect_regfree(void *p)
{
	regfree(p);
	free(p);
}

/*
 * "value REGEXP pattern": POSIX extended regular expressions, ignoring
 * case as Splunk's searches do.  The compiled pattern is cached for the
 * statement.  NULL never matches.
 */
void
db_detect_sql_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	regex_t		*re;
	const char	*pat, *v;
	char		 err[256];
	int		 rc;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_value_type(argv[1]) == SQLITE_NULL) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	if ((re = sqlite3_get_auxdata(ctx, 0)) == NULL) {
		pat = (const char *)sqlite3_value_text(argv[0]);
		re = xmalloc(sizeof *re);
		if ((rc = regcomp(re, pat, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB)) != 0) {
			regerror(rc, re, err, sizeof err);
			free(re);
			sqlite3_result_error(ctx, err, -1);
			return;
		}
		sqlite3_set_auxdata(ctx, 0, re, db_detect_regfree);
		if ((re = sqlite3_get_auxdata(ctx, 0)) == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	v = (const char *)sqlite3_value_text(argv[1]);
	sqlite3_result_int(ctx, regexec(re, v, 0, NULL, 0) == 0);
}

/* Replace each $field$ in msg by the field's value. */
char *
db_detect_render(const char *msg, char **fields, char **values, size_t n)
{
	struct buf	 b = { 0 };
	const char	*p, *q;
	size_t		 i, len;

	for (p = msg; *p != '\0'; p++) {
		if (*p == '$' && (q = strchr(p + 1, '$')) != NULL) {
			len = q - p - 1;
			for (i = 0; i < n; i++) {
				if (strlen(fields[i]) == len &&
				    strncmp(fields[i], p + 1, len) == 0)
					break;
			}
			if (i < n) {
				buf_append_str(&b, values[i] != NULL ?
				    values[i] : "unknown");
				p = q;
				continue;
			}
		}
		buf_append(&b, p, 1);
	}
	return (buf_take(&b));
}

/* The newest event time in the case, or NULL when it is empty. */
int
db_detect_newest(struct db *db, char **out)
{
	sqlite3_stmt	*st;
	const char	*s;

	*out = NULL;
	if (sqlite3_prepare_v2(db->h, "SELECT max(_time) FROM process", -1,
	    &st, NULL) != SQLITE_OK)
		return (-1);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (s = (const char *)sqlite3_column_text(st, 0)) != NULL)
		*out = xstrdup(s);
	sqlite3_finalize(st);
	return (0);
}

static int
db_detect_prepare_window(struct db *db, const struct db_window *w,
    struct db_detect_set *set, char **cause)
{
	sqlite3_stmt	*st;

	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS window "
	    "(earliest TEXT, latest TEXT); DELETE FROM temp.window; "
	    "CREATE TEMP VIEW IF NOT EXISTS processes AS SELECT p.* "
	    "FROM main.process p WHERE p._time >= "
	    "(SELECT earliest FROM temp.window) AND p._time < "
	    "(SELECT latest FROM temp.window)", cause) != 0)
		return (-1);
	if (sqlite3_prepare_v2(db->h, "INSERT INTO temp.window VALUES "
	    "(?, ?)", -1, &st, NULL) != SQLITE_OK) {
		*cause = xstrdup(sqlite3_errmsg(db->h));
		return (-1);
	}
	sqlite3_bind_text(st, 1, w->earliest != NULL ? w->earliest : "",
	    -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->latest != NULL ? w->latest : "~", -1,
	    SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
	sqlite3_create_function(db->h, "ctime", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, set, db_detect_sql_ctime, NULL, NULL);
	sqlite3_create_function(db->h, "regexp", 2, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, db_detect_sql_regexp, NULL, NULL);
	return (0);
}

static void
db_detect_store_meta(struct db *db, const struct db_detection *d,
    const char *tz, size_t hits, size_t filtered)
{
	sqlite3_stmt	*st;
	struct buf	 b = { 0 };
	char		*now = db_now();
	int		 k, first = 1;

	buf_append(&b, "{", 1);
	for (k = 0; k < DETECT_NKEYS; k++) {
		if (d->meta[k] == NULL)
			continue;
		if (!first)
			buf_append(&b, ",", 1);
		first = 0;
		buf_json_string(&b, db_detect_keys[k]);
		buf_append(&b, ":", 1);
		buf_json_string(&b, d->meta[k]);
	}
	/* The zone the ctime() columns were written in (report_ctime_label). */
	if (!first)
		buf_append(&b, ",", 1);
	buf_json_string(&b, "ctime_zone");
	buf_append(&b, ":", 1);
	buf_json_string(&b, tz != NULL ? tz : "UTC");
	buf_append(&b, "}", 1);
	if (sqlite3_prepare_v2(db->h, "INSERT OR REPLACE INTO detection "
	    "(name, title, path, meta, sql, ran_at, hits, filtered) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		fatalx("detection: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(st, 1, d->meta[DETECT_NAME], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->meta[DETECT_TITLE], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, (char *)b.data, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, d->sql, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, hits);
	sqlite3_bind_int64(st, 8, filtered);
	if (sqlite3_step(st) != SQLITE_DONE)
		fatalx("detection: %s", sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
	buf_free(&b);
	free(now);
}

static int
db_detect_cmp_row(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/* The process row ids of a hit ("12,3,7"), sorted ("3,7,12"); NULL if none. */
static char *
db_detect_sort_rows(const char *rows)
{
	struct buf	 b = { 0 };
	int64_t		*ids = NULL;
	size_t		 n = 0, i;
	const char	*p;
	char		*end;

	if (rows == NULL)
		return (NULL);
	for (p = rows; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = strtoll(p, &end, 10);
		if (end == p)
			break;
	}
	qsort(ids, n, sizeof *ids, db_detect_cmp_row);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i > 0 ? "," : "", (long long)ids[i]);
	free(ids);
	return (buf_take(&b));
}

static char *
db_detect_text(sqlite3_stmt *st, int i)
{
	const char	*s;

	s = (const char *)sqlite3_column_text(st, i);
	return (s != NULL ? xstrdup(s) : NULL);
}

/* Record the run of d over w: its window, its zone, and how it ended. */
static void
db_detect_store_run(struct db *db, const struct db_detection *d,
    const struct db_window *w, const char *error)
{
	sqlite3_stmt	*st;
	char		*now = db_now();

	if (sqlite3_prepare_v2(db->h, "INSERT OR REPLACE INTO detection_run "
	    "(name, earliest_given, latest_given, earliest, latest, tz, "
	    "status, error, ran_at) VALUES (?, ?, ?, nullif(?, ''), "
	    "nullif(?, ''), ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		fatalx("detection_run: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(st, 1, d->meta[DETECT_NAME], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->earliest_given, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->latest_given, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w->earliest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, w->latest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, w->tz != NULL ? w->tz : "UTC", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 7, error != NULL ? "failed" : "done", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 8, error, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		fatalx("detection_run: %s", sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
	free(now);
}

/*
 * A detection whose SQL failed: its hits of an earlier run go, so that no
 * output shows them as this run's, and the case records the failure.
 */
void
db_detect_failed(struct db *db, const struct db_detection *d,
    const struct db_window *w, const char *error)
{
	sqlite3_stmt	*st;

	db_begin(db);
	if (sqlite3_prepare_v2(db->h, "DELETE FROM hit WHERE detection = ?",
	    -1, &st, NULL) != SQLITE_OK)
		fatalx("hit: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(st, 1, d->meta[DETECT_NAME], -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db->h, "UPDATE detection SET hits = 0, "
	    "filtered = 0 WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
		fatalx("detection: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(st, 1, d->meta[DETECT_NAME], -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_finalize(st);
	db_detect_store_run(db, d, w, error);
	db_commit(db);
}

/*
 * Prepare a detection's SQL against the case's schema, as a run would,
 * without running it: 0, or -1 with the error in cause.
 */
int
db_detect_check(struct db *db, const struct db_detection *d, char **cause)
{
	struct db_window	 w;
	sqlite3_stmt		*st;
	char			*why = NULL;

	memset(&w, 0, sizeof w);
	if (db_detect_prepare_window(db, &w, NULL, &why) != 0) {
		xasprintf(cause, "%s: %s", d->path, why);
		free(why);
		return (-1);
	}
	if (sqlite3_prepare_v2(db->h, d->sql, -1, &st, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", d->path, sqlite3_errmsg(db->h));
		return (-1);
	}
	if (sqlite3_stmt_readonly(st) == 0) {
		xasprintf(cause, "%s: not a SELECT: it would write", d->path);
		sqlite3_finalize(st);
		return (-1);
	}
	sqlite3_finalize(st);
	return (0);
}

static void
db_detect_json_row(struct buf *out, char **names, char **values, size_t nv)
{
	size_t	i;

	buf_free(out);
	buf_append(out, "{", 1);
	for (i = 0; i < nv; i++) {
		if (i > 0)
			buf_append(out, ",", 1);
		buf_json_string(out, names[i]);
		buf_append(out, ":", 1);
		if (values[i] == NULL)
			buf_append_str(out, "null");
		else
			buf_json_string(out, values[i]);
	}
	buf_append(out, "}", 1);
}

/*
 * Run one detection over the window and store its hits in the case,
 * replacing the hits of its last run, and record the run's window and
 * zone.  Hits that a filter matches are stored too, marked with the
 * filter.  Filters match the output with its ctime columns in UTC (the
 * zone only changes how they are shown), so a filter suppresses the
 * same hits whatever zone it was made in or the run uses.  Counts go to
 * nhits and nfiltered.
 */
int
db_detect_run(struct db *db, const struct db_detection *d,
    const struct db_window *w, size_t *nhits, size_t *nfiltered,
    char **cause)
{
	sqlite3_stmt		*st = NULL, *ins = NULL, *insrow = NULL;
	sqlite3_stmt		*old = NULL, *use = NULL;
	struct db_filter	*filters = NULL;
	struct db_detect_set	 times = { 0 };
	size_t			 nf = 0, i, nv = 0, seq = 0, nnames = 0;
	char			**names = NULL, **values = NULL, **shown = NULL;
	char			*rows = NULL, *first = NULL, *p, *tok, *msg;
	char			*now, *sorted;
	const char		*name = d->meta[DETECT_NAME], *s;
	int			 ncols, c, rc, ret = -1;
	int64_t			 fid, hid, next;
	int			 fkoff = 0;
	struct buf		 out = { 0 }, match = { 0 };

	*nhits = *nfiltered = 0;
	if (db_detect_prepare_window(db, w, &times, cause) != 0)
		return (-1);
	db_filter_list(db, name, &filters, &nf);
	now = db_now();
	if (sqlite3_prepare_v2(db->h, d->sql, -1, &st, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", d->path, sqlite3_errmsg(db->h));
		goto out;
	}
	ncols = sqlite3_column_count(st);
	for (c = 0; c < ncols; c++) {
		s = sqlite3_column_name(st, c);
		if (*s == '_')
			continue;
		names = xreallocarray(names, nv + 1, sizeof *names);
		names[nv++] = xstrdup(s);
	}
	nnames = nv;
	values = xcalloc(nv + 1, sizeof *values);
	shown = xcalloc(nv + 1, sizeof *shown);
	/*
	 * The run keeps hit_row to its hits itself: checking each new row
	 * against the process table (a lookup in its biggest b-tree) and
	 * cascading each old hit's delete were most of the run's time after
	 * its query.  The ids come from the SQL's group_concat(id) of the
	 * case's own rows.  The pragma can only change outside a
	 * transaction; inside one (a caller's), the keys stay checked.
	 */
	fkoff = !db->in_txn;
	if (fkoff)
		db_exec(db, "PRAGMA foreign_keys = OFF", NULL);
	db_begin(db);
	/*
	 * A hit keeps its number (its id) from run to run: the earlier hit
	 * of this detection over the same process rows lends its id.  Such
	 * a hit is rewritten only where it changed, and its rows (the same
	 * ids) stay; the earlier hits no new one took are deleted at the
	 * end.  A rerun over the same events writes next to nothing.
	 */
	if (db_exec(db, "DROP TABLE IF EXISTS temp.hit_old", cause) != 0 ||
	    db_exec(db, "CREATE TEMP TABLE hit_old (id INTEGER PRIMARY KEY, "
	    "detection TEXT, rows TEXT, used INTEGER NOT NULL DEFAULT 0)",
	    cause) != 0 ||
	    db_exec(db, "CREATE INDEX temp.hit_old_rows ON hit_old "
	    "(detection, rows)", cause) != 0) {
		db_exec(db, "ROLLBACK", NULL);
		db->in_txn = 0;
		goto out;
	}
	if (sqlite3_prepare_v2(db->h, "INSERT INTO temp.hit_old (id, "
	    "detection, rows) SELECT h.id, h.detection, (SELECT "
	    "group_concat(row_id) FROM (SELECT row_id FROM hit_row WHERE "
	    "hit_id = h.id ORDER BY row_id)) FROM hit h WHERE "
	    "h.detection = ?1", -1, &ins, NULL) != SQLITE_OK)
		fatalx("hit: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
	sqlite3_step(ins);
	sqlite3_finalize(ins);
	/*
	 * A new hit takes the next number after every hit's: counted here
	 * rather than by a max() over the hits each insert, which read them
	 * whole for each hit.
	 */
	if (sqlite3_prepare_v2(db->h, "SELECT coalesce(max(id), 0) + 1 FROM "
	    "hit", -1, &ins, NULL) != SQLITE_OK)
		fatalx("hit: %s", sqlite3_errmsg(db->h));
	sqlite3_step(ins);
	next = sqlite3_column_int64(ins, 0);
	sqlite3_finalize(ins);
	if (sqlite3_prepare_v2(db->h, "SELECT min(id) FROM temp.hit_old "
	    "WHERE detection = ?1 AND rows = ?2 AND used = 0", -1, &old,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "UPDATE temp.hit_old SET used = 1 "
	    "WHERE id = ?", -1, &use, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "INSERT INTO hit (id, detection, seq, "
	    "dest, user, _time, risk_score, risk_message, mitre, output, "
	    "filter_id, filter_reason, match_output) VALUES (?14,"
	    "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) ON CONFLICT (id) DO "
	    "UPDATE SET seq = excluded.seq, dest = excluded.dest, user = "
	    "excluded.user, _time = excluded._time, risk_score = "
	    "excluded.risk_score, risk_message = excluded.risk_message, "
	    "mitre = excluded.mitre, output = excluded.output, filter_id = "
	    "excluded.filter_id, filter_reason = excluded.filter_reason, "
	    "match_output = excluded.match_output WHERE NOT (seq IS "
	    "excluded.seq AND dest IS excluded.dest AND user IS "
	    "excluded.user AND _time IS excluded._time AND risk_score IS "
	    "excluded.risk_score AND risk_message IS excluded.risk_message "
	    "AND mitre IS excluded.mitre AND output IS excluded.output AND "
	    "filter_id IS excluded.filter_id AND filter_reason IS "
	    "excluded.filter_reason AND match_output IS "
	    "excluded.match_output)", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "INSERT INTO hit_row (hit_id, row_id) "
	    "VALUES (?, ?)", -1, &insrow, NULL) != SQLITE_OK)
		fatalx("hit: %s", sqlite3_errmsg(db->h));

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nv = 0;
		free(rows);
		free(first);
		rows = first = NULL;
		for (c = 0; c < ncols; c++) {
			s = (const char *)sqlite3_column_text(st, c);
			if (strcmp(sqlite3_column_name(st, c), "_rows") == 0)
				rows = s != NULL ? xstrdup(s) : NULL;
			else if (strcmp(sqlite3_column_name(st, c),
			    "_first") == 0)
				first = s != NULL ? xstrdup(s) : NULL;
			else if (*sqlite3_column_name(st, c) != '_') {
				free(values[nv]);
				free(shown[nv]);
				values[nv] = s != NULL ? xstrdup(s) : NULL;
				shown[nv] = NULL;
				if (w->tz != NULL &&
				    db_detect_set_has(&times, s))
					shown[nv] = db_detect_ctime_zone(s,
					    w->tz);
				nv++;
			}
		}
		for (i = 0; i < nv; i++) {
			if (shown[i] == NULL && values[i] != NULL)
				shown[i] = xstrdup(values[i]);
		}
		fid = db_filter_match(filters, nf, name, names, values, nv,
		    now);
		db_detect_json_row(&out, names, shown, nv);
		db_detect_json_row(&match, names, values, nv);
		msg = db_detect_render(d->meta[DETECT_RISK_MESSAGE], names,
		    shown, nv);
		sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 2, (int64_t)++seq);
		for (i = 0; i < nv; i++) {
			if (strcmp(names[i], "dest") == 0)
				sqlite3_bind_text(ins, 3, values[i], -1,
				    SQLITE_STATIC);
			else if (strcmp(names[i], "user") == 0)
				sqlite3_bind_text(ins, 4, values[i], -1,
				    SQLITE_STATIC);
		}
		sqlite3_bind_text(ins, 5, first, -1, SQLITE_STATIC);
		sqlite3_bind_int(ins, 6, d->risk_score);
		sqlite3_bind_text(ins, 7, msg, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, d->meta[DETECT_MITRE], -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(ins, 9, (char *)out.data, -1, SQLITE_STATIC);
		sorted = db_detect_sort_rows(rows);
		hid = 0;
		if (sorted != NULL) {
			sqlite3_bind_text(old, 1, name, -1, SQLITE_STATIC);
			sqlite3_bind_text(old, 2, sorted, -1, SQLITE_STATIC);
			if (sqlite3_step(old) == SQLITE_ROW)
				hid = sqlite3_column_int64(old, 0);
			sqlite3_reset(old);
		}
		free(sorted);
		if (hid > 0) {
			sqlite3_bind_int64(use, 1, hid);
			if (sqlite3_step(use) != SQLITE_DONE)
				fatalx("hit: %s", sqlite3_errmsg(db->h));
			sqlite3_reset(use);
		}
		if (fid > 0) {
			for (i = 0; i < nf && filters[i].id != fid; i++)
				;
			sqlite3_bind_int64(ins, 10, fid);
			sqlite3_bind_text(ins, 11, filters[i].reason, -1,
			    SQLITE_STATIC);
			(*nfiltered)++;
		} else
			(*nhits)++;
		sqlite3_bind_text(ins, 12, (char *)match.data, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(ins, 14, hid > 0 ? hid : next);
		if (sqlite3_step(ins) != SQLITE_DONE)
			fatalx("hit: %s", sqlite3_errmsg(db->h));
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		free(msg);
		/* An earlier hit's rows are these rows already. */
		if (hid > 0)
			continue;
		hid = next++;
		for (p = rows; p != NULL && (tok = strsep(&p, ",")) != NULL; ) {
			sqlite3_bind_int64(insrow, 1, hid);
			sqlite3_bind_int64(insrow, 2, strtoll(tok, NULL, 10));
			if (sqlite3_step(insrow) != SQLITE_DONE)
				fatalx("hit_row: %s", sqlite3_errmsg(db->h));
			sqlite3_reset(insrow);
		}
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", d->path, sqlite3_errmsg(db->h));
		db_exec(db, "ROLLBACK", NULL);
		db->in_txn = 0;
		goto out;
	}
	if (db_exec(db, "DELETE FROM hit_row WHERE hit_id IN (SELECT id FROM "
	    "temp.hit_old WHERE used = 0); DELETE FROM hit WHERE id IN "
	    "(SELECT id FROM temp.hit_old WHERE used = 0)", cause) != 0)
		fatalx("hit: %s", *cause);
	db_detect_store_meta(db, d, w->tz, *nhits, *nfiltered);
	db_detect_store_run(db, d, w, NULL);
	db_commit(db);
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sqlite3_finalize(insrow);
	sqlite3_finalize(old);
	sqlite3_finalize(use);
	for (i = 0; i < nnames; i++) {
		free(names[i]);
		free(values[i]);
		free(shown[i]);
	}
	free(names);
	free(values);
	free(shown);
	free(rows);
	free(first);
	free(now);
	buf_free(&out);
	buf_free(&match);
	db_detect_set_free(&times);
	db_filter_free(filters, nf);
	if (fkoff)
		db_exec(db, "PRAGMA foreign_keys = ON", NULL);
	/* The set lives here: no later ctime() may reach it. */
	sqlite3_create_function(db->h, "ctime", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, db_detect_sql_ctime, NULL, NULL);
	return (ret);
}

/* The stored record of a detection's last run; -1 if there is none. */
int
db_detect_ran_get(struct db *db, const char *name, struct db_detect_ran *r)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	memset(r, 0, sizeof *r);
	if (sqlite3_prepare_v2(db->h, "SELECT earliest_given, latest_given, "
	    "earliest, latest, tz, status, error, ran_at FROM detection_run "
	    "WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
		return (-1);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->earliest_given = db_detect_text(st, 0);
		r->latest_given = db_detect_text(st, 1);
		r->earliest = db_detect_text(st, 2);
		r->latest = db_detect_text(st, 3);
		r->tz = db_detect_text(st, 4);
		r->status = db_detect_text(st, 5);
		r->error = db_detect_text(st, 6);
		r->ran_at = db_detect_text(st, 7);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

void
db_detect_ran_clear(struct db_detect_ran *r)
{
	free(r->earliest_given);
	free(r->latest_given);
	free(r->earliest);
	free(r->latest);
	free(r->tz);
	free(r->status);
	free(r->error);
	free(r->ran_at);
	memset(r, 0, sizeof *r);
}

/*
 * The output fields of a detection the case has run, from its stored
 * metadata: 0, or -1 if the case does not know it.
 */
int
db_detect_output_fields(struct db *db, const char *name, char ***out,
    size_t *nout)
{
	sqlite3_stmt	*st;
	const char	*s;
	int		 rc = -1;

	*out = NULL;
	*nout = 0;
	if (sqlite3_prepare_v2(db->h, "SELECT json_extract(meta, "
	    "'$.output') FROM detection WHERE name = ?", -1, &st,
	    NULL) != SQLITE_OK)
		return (-1);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		if (s != NULL)
			db_detect_split(s, out, nout);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/* Pull the values of a flat JSON object of strings written by run. */
static void
db_detect_unjson(const char *json, struct db_hit *h)
{
	struct buf	 b = { 0 };
	const char	*p = json;
	char		*key;
	size_t		 len;
	int		 is_key = 1;

	while (*p != '\0') {
		if (*p == 'n' && strncmp(p, "null", 4) == 0 && !is_key) {
			h->values = xreallocarray(h->values, h->nvalues + 1,
			    sizeof *h->values);
			h->values[h->nvalues++] = NULL;
			is_key = 1;
			p += 4;
			continue;
		}
		if (*p != '"') {
			p++;
			continue;
		}
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p != '\\') {
				/* The run up to the next quote or escape. */
				len = strcspn(p, "\"\\");
				buf_append(&b, p, len);
				p += len - 1;
				continue;
			}
			p++;
			switch (*p) {
			case 'n': buf_append(&b, "\n", 1); break;
			case 'r': buf_append(&b, "\r", 1); break;
			case 't': buf_append(&b, "\t", 1); break;
			case 'u': {
				char c = (char)strtol((char[]){ p[1], p[2],
				    p[3], p[4], 0 }, NULL, 16);
				buf_append(&b, &c, 1);
				p += 4;
				break;
			}
			default: buf_append(&b, p, 1); break;
			}
		}
		if (*p == '"')
			p++;
		key = buf_take(&b);
		if (is_key) {
			h->fields = xreallocarray(h->fields, h->nvalues + 1,
			    sizeof *h->fields);
			h->fields[h->nvalues] = key;
		} else {
			h->values = xreallocarray(h->values, h->nvalues + 1,
			    sizeof *h->values);
			h->values[h->nvalues++] = key;
		}
		is_key = !is_key;
	}
}

/*
 * The stored hits of a detection (all detections if name is NULL), in
 * output order; filtered ones only if with_filtered.
 */
int
db_detect_hits(struct db *db, const char *name, int with_filtered,
    struct db_hit **out, size_t *nout)
{
	sqlite3_stmt	*st, *rs;
	struct db_hit	*hits = NULL, *h;
	size_t		 n = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT id, detection, seq, output, "
	    "_time, risk_score, risk_message, mitre, filter_id, "
	    "filter_reason, dest FROM hit WHERE (?1 IS NULL OR detection = ?1) "
	    "AND (?2 OR filter_id IS NULL) AND (?3 <= 0 OR risk_score >= ?3) "
	    "ORDER BY detection, seq", -1, &st,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "SELECT row_id FROM hit_row "
	    "WHERE hit_id = ? ORDER BY row_id", -1, &rs, NULL) != SQLITE_OK)
		fatalx("hits: %s", sqlite3_errmsg(db->h));
	if (name != NULL)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, with_filtered);
	sqlite3_bind_int(st, 3, db->min_risk);
	while (sqlite3_step(st) == SQLITE_ROW) {
		hits = xreallocarray(hits, n + 1, sizeof *hits);
		h = &hits[n++];
		memset(h, 0, sizeof *h);
		h->id = sqlite3_column_int64(st, 0);
		h->detection = db_detect_text(st, 1);
		h->seq = sqlite3_column_int(st, 2);
		db_detect_unjson((const char *)sqlite3_column_text(st, 3), h);
		h->first_time = db_detect_text(st, 4);
		h->risk_score = sqlite3_column_int(st, 5);
		h->risk_message = db_detect_text(st, 6);
		h->mitre = db_detect_text(st, 7);
		h->filter_id = sqlite3_column_int64(st, 8);
		h->filter_reason = db_detect_text(st, 9);
		h->dest = db_detect_text(st, 10);
		sqlite3_bind_int64(rs, 1, h->id);
		while (sqlite3_step(rs) == SQLITE_ROW) {
			h->rows = xreallocarray(h->rows, h->nrows + 1,
			    sizeof *h->rows);
			h->rows[h->nrows++] = sqlite3_column_int64(rs, 0);
		}
		sqlite3_reset(rs);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(rs);
	*out = hits;
	*nout = n;
	return (0);
}

void
db_detect_hits_free(struct db_hit *hits, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < hits[i].nvalues; j++) {
			free(hits[i].fields[j]);
			free(hits[i].values[j]);
		}
		free(hits[i].fields);
		free(hits[i].values);
		free(hits[i].detection);
		free(hits[i].first_time);
		free(hits[i].risk_message);
		free(hits[i].mitre);
		free(hits[i].filter_reason);
		free(hits[i].dest);
		free(hits[i].rows);
	}
	free(hits);
}
