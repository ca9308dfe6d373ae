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

#include <sqlite3.h>

#include "triage/xmalloc.h"
#include "db.h"

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
	d->impact = atoi(d->meta[DETECT_IMPACT]);
	d->confidence = atoi(d->meta[DETECT_CONFIDENCE]);
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
	struct tm	 tm;
	time_t		 t;
	char		 out[64], *old = NULL;
	const char	*e;

	if (iso == NULL)
		return (NULL);
	memset(&tm, 0, sizeof tm);
	e = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
	if (e == NULL)
		return (xstrdup(iso));
	if (tz == NULL)
		return (strftime(out, sizeof out, "%m/%d/%Y %H:%M:%S", &tm),
		    xstrdup(out));
	t = timegm(&tm);
	if (getenv("TZ") != NULL)
		old = xstrdup(getenv("TZ"));
	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&t, &tm);
	strftime(out, sizeof out, "%m/%d/%Y %H:%M:%S", &tm);
	if (old != NULL) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
	return (xstrdup(out));
}

static void
db_detect_sql_ctime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*tz = sqlite3_user_data(ctx);
	char		*s;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	s = db_detect_ctime((const char *)sqlite3_value_text(argv[0]), tz);
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
static void
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
    char **cause)
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
	    SQLITE_DETERMINISTIC, (void *)w->tz, db_detect_sql_ctime, NULL,
	    NULL);
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

/*
 * Run one detection over the window and store its hits in the case,
 * replacing the hits of its last run.  Hits that a filter matches are
 * stored too, marked with the filter.  Counts go to nhits and nfiltered.
 */
int
db_detect_run(struct db *db, const struct db_detection *d,
    const struct db_window *w, size_t *nhits, size_t *nfiltered,
    char **cause)
{
	sqlite3_stmt		*st = NULL, *ins = NULL, *insrow = NULL;
	struct db_filter	*filters = NULL;
	size_t			 nf = 0, i, nv = 0, seq = 0, nnames = 0;
	char			**names = NULL, **values = NULL, *msg, *now;
	char			*rows = NULL, *first = NULL, *p, *tok;
	char			*sorted;
	const char		*name = d->meta[DETECT_NAME], *s;
	int			 ncols, c, rc, ret = -1;
	int64_t			 fid, hid;
	struct buf		 out = { 0 };

	*nhits = *nfiltered = 0;
	if (db_detect_prepare_window(db, w, cause) != 0)
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
	db_begin(db);
	/*
	 * A hit keeps its number (its id) from run to run: the earlier hit
	 * of this detection over the same process rows lends its id.
	 */
	if (db_exec(db, "DROP TABLE IF EXISTS temp.hit_old", cause) != 0 ||
	    db_exec(db, "CREATE TEMP TABLE hit_old (id INTEGER PRIMARY KEY, "
	    "detection TEXT, rows TEXT)", cause) != 0) {
		db_exec(db, "ROLLBACK", NULL);
		db->in_txn = 0;
		goto out;
	}
	if (sqlite3_prepare_v2(db->h, "INSERT INTO temp.hit_old SELECT h.id, "
	    "h.detection, (SELECT group_concat(row_id) FROM (SELECT row_id "
	    "FROM hit_row WHERE hit_id = h.id ORDER BY row_id)) FROM hit h "
	    "WHERE h.detection = ?1", -1, &ins, NULL) != SQLITE_OK)
		fatalx("hit: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
	sqlite3_step(ins);
	sqlite3_finalize(ins);
	if (sqlite3_prepare_v2(db->h, "DELETE FROM hit WHERE detection = ?",
	    -1, &ins, NULL) != SQLITE_OK)
		fatalx("hit: %s", sqlite3_errmsg(db->h));
	sqlite3_bind_text(ins, 1, name, -1, SQLITE_STATIC);
	sqlite3_step(ins);
	sqlite3_finalize(ins);
	if (sqlite3_prepare_v2(db->h, "INSERT INTO hit (id, detection, seq, "
	    "dest, user, _time, risk_score, risk_message, mitre, output, "
	    "filter_id, filter_reason) VALUES (coalesce((SELECT min(id) "
	    "FROM temp.hit_old WHERE detection = ?1 AND rows = ?12 AND id "
	    "NOT IN (SELECT id FROM hit)), (SELECT max(id) + 1 FROM (SELECT "
	    "id FROM hit UNION ALL SELECT id FROM temp.hit_old))),"
	    "?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)", -1,
	    &ins, NULL) != SQLITE_OK ||
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
				values[nv++] = s != NULL ? xstrdup(s) : NULL;
			}
		}
		fid = db_filter_match(filters, nf, name, names, values, nv,
		    now);
		buf_free(&out);
		buf_append(&out, "{", 1);
		for (i = 0; i < nv; i++) {
			if (i > 0)
				buf_append(&out, ",", 1);
			buf_json_string(&out, names[i]);
			buf_append(&out, ":", 1);
			if (values[i] == NULL)
				buf_append_str(&out, "null");
			else
				buf_json_string(&out, values[i]);
		}
		buf_append(&out, "}", 1);
		msg = db_detect_render(d->meta[DETECT_RISK_MESSAGE], names,
		    values, nv);
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
		sqlite3_bind_text(ins, 12, sorted, -1, free);
		if (fid > 0) {
			for (i = 0; i < nf && filters[i].id != fid; i++)
				;
			sqlite3_bind_int64(ins, 10, fid);
			sqlite3_bind_text(ins, 11, filters[i].reason, -1,
			    SQLITE_STATIC);
			(*nfiltered)++;
		} else
			(*nhits)++;
		if (sqlite3_step(ins) != SQLITE_DONE)
			fatalx("hit: %s", sqlite3_errmsg(db->h));
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		free(msg);
		hid = sqlite3_last_insert_rowid(db->h);
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
	db_detect_store_meta(db, d, w->tz, *nhits, *nfiltered);
	db_commit(db);
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sqlite3_finalize(insrow);
	for (i = 0; i < nnames; i++) {
		free(names[i]);
		free(values[i]);
	}
	free(names);
	free(values);
	free(rows);
	free(first);
	free(now);
	buf_free(&out);
	db_filter_free(filters, nf);
	return (ret);
}

static char *
db_detect_text(sqlite3_stmt *st, int i)
{
	const char	*s;

	s = (const char *)sqlite3_column_text(st, i);
	return (s != NULL ? xstrdup(s) : NULL);
}

/* Pull the values of a flat JSON object of strings written by run. */
static void
db_detect_unjson(const char *json, struct db_hit *h)
{
	struct buf	 b = { 0 };
	const char	*p = json;
	char		*key;
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
				buf_append(&b, p, 1);
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
	    "filter_reason FROM hit WHERE (?1 IS NULL OR detection = ?1) "
	    "AND (?2 OR filter_id IS NULL) ORDER BY detection, seq", -1, &st,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->h, "SELECT row_id FROM hit_row "
	    "WHERE hit_id = ? ORDER BY row_id", -1, &rs, NULL) != SQLITE_OK)
		fatalx("hits: %s", sqlite3_errmsg(db->h));
	if (name != NULL)
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, with_filtered);
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
		free(hits[i].rows);
	}
	free(hits);
}
