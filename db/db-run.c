/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The detection run that scan, detect and merge share: the catalogue's
 * folders, the time window (-E and -L as case time), and the loop that
 * runs each detection, where a broken detection costs only itself and
 * the run says so.  What a run shows of its hits is the caller's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "triage/xmalloc.h"
#include "triage/casetime.h"
#include "db.h"

/*
 * The detection folders of this run.  They live as long as the program,
 * so they are kept here and freed at exit.
 */
static char	**db_run_dirs;
static size_t	  db_run_ndirs;

static void
db_run_free_dirs(void)
{
	while (db_run_ndirs > 0)
		free(db_run_dirs[--db_run_ndirs]);
	free(db_run_dirs);
	db_run_dirs = NULL;
}

/* Start a run over the installed catalogue (EVTRIAGE_DATADIR, if set). */
void
db_run_init(struct db_run *r)
{
	const char	*env;
	char		*dir;

	memset(r, 0, sizeof *r);
	if (db_run_dirs == NULL)
		atexit(db_run_free_dirs);
	if ((env = getenv("EVTRIAGE_DATADIR")) != NULL)
		xasprintf(&dir, "%s/detections", env);
	else
		xasprintf(&dir, "%s/detections", PKGDATADIR);
	db_run_add_dir(r, dir);
	free(dir);
}

/* Add a detection folder (dir is copied). */
void
db_run_add_dir(struct db_run *r, const char *dir)
{
	db_run_dirs = xreallocarray(db_run_dirs, db_run_ndirs + 1,
	    sizeof *db_run_dirs);
	db_run_dirs[db_run_ndirs++] = xstrdup(dir);
	r->dirs = (const char **)db_run_dirs;
	r->ndirs = db_run_ndirs;
}

/*
 * Read the zone part of an absolute time: "" (local time in tz, UTC
 * without -z), "Z", or an offset "+01:00", "+0100" or "+01".  The
 * offset east of UTC in seconds goes to off; local is set for "".
 */
static int
db_run_offset(const char *e, long *off, int *local)
{
	int	h, m = 0, n = 0;

	*off = 0;
	*local = 0;
	if (*e == '\0') {
		*local = 1;
		return (0);
	}
	if (strcmp(e, "Z") == 0 || strcmp(e, "z") == 0)
		return (0);
	if (*e != '+' && *e != '-')
		return (-1);
	if (sscanf(e + 1, "%2d:%2d%n", &h, &m, &n) == 2 && e[1 + n] == '\0' &&
	    n == 5)
		;
	else if (sscanf(e + 1, "%2d%2d%n", &h, &m, &n) == 2 &&
	    e[1 + n] == '\0' && n == 4)
		;
	else if (sscanf(e + 1, "%2d%n", &h, &n) == 1 && e[1 + n] == '\0' &&
	    n == 2)
		m = 0;
	else
		return (-1);
	if (h > 14 || m > 59)
		return (-1);
	*off = (h * 3600L + m * 60L) * (*e == '-' ? -1 : 1);
	return (0);
}

/*
 * Resolve an -E or -L value to case time text (ISO 8601 UTC): an
 * absolute time ("2024-03-05", "2024-03-05 10:00", "2024-03-05T10:00:00Z",
 * "2024-03-05T10:00:00+01:00", a fraction of a second allowed) or an
 * offset from the newest event in the case ("-70m", "-2h", "-1d", "-30s",
 * or "now" for the newest event itself).  A time without Z or an offset
 * is a local time in zone tz (UTC if tz is NULL).
 */
int
db_run_time(struct db *db, const char *s, const char *tz, char **out,
    char **cause)
{
	struct tm	 tm;
	time_t		 t;
	char		*newest = NULL, *end, buf[64], frac[8];
	const char	*e;
	long		 n, mult, off;
	int		 local, i;

	if (s == NULL) {
		*out = NULL;
		return (0);
	}
	if (*s == '-' || *s == '+' || strcmp(s, "now") == 0) {
		db_detect_newest(db, &newest);
		if (newest == NULL) {
			*out = xstrdup("");
			return (0);
		}
		if (casetime_parse(newest, &t, NULL, 0) == NULL) {
			free(newest);
			xasprintf(cause, "bad time in case");
			return (-1);
		}
		n = 0;
		mult = 1;
		if (strcmp(s, "now") != 0) {
			n = strtol(s, &end, 10);
			switch (*end) {
			case 's': mult = 1; break;
			case 'm': mult = 60; break;
			case 'h': mult = 3600; break;
			case 'd': mult = 86400; break;
			default:
				free(newest);
				xasprintf(cause, "bad relative time '%s' "
				    "(use -30s, -70m, -2h or -1d)", s);
				return (-1);
			}
			if (end[1] != '\0') {
				free(newest);
				xasprintf(cause, "bad relative time '%s'", s);
				return (-1);
			}
		}
		t += n * mult;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
		/* "now" keeps the newest event's fraction so it is inside. */
		if (strcmp(s, "now") == 0)
			xasprintf(out, "%s", newest);
		else
			xasprintf(out, "%s.0000000Z", buf);
		free(newest);
		return (0);
	}
	memset(&tm, 0, sizeof tm);
	if ((e = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL &&
	    (e = strptime(s, "%Y-%m-%d %H:%M:%S", &tm)) == NULL &&
	    (e = strptime(s, "%Y-%m-%dT%H:%M", &tm)) == NULL &&
	    (e = strptime(s, "%Y-%m-%d %H:%M", &tm)) == NULL &&
	    (e = strptime(s, "%Y-%m-%d", &tm)) == NULL)
		goto bad;
	memset(frac, '0', 7);
	frac[7] = '\0';
	if (*e == '.' && e[1] >= '0' && e[1] <= '9') {
		for (e++, i = 0; *e >= '0' && *e <= '9'; e++, i++) {
			if (i < 7)
				frac[i] = *e;
		}
	}
	if (db_run_offset(e, &off, &local) != 0)
		goto bad;
	if (local && tz != NULL) {
		if (casetime_zone_check(tz, cause) != 0)
			return (-1);
		t = casetime_mktime(&tm, tz);
	} else
		t = timegm(&tm) - off;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	xasprintf(out, "%s.%sZ", buf, frac);
	return (0);

bad:
	xasprintf(cause, "bad time '%s' (use 2024-03-05T10:00:00Z, "
	    "2024-03-05T11:00:00+01:00 or -70m)", s);
	return (-1);
}

/*
 * The catalogue's detection called name into d, which the caller clears
 * with db_detect_clear; -1 if there is none.
 */
int
db_run_find(const char *name, struct db_detection *d, char **cause)
{
	struct db_run		 r;
	struct db_detection	*all;
	size_t			 n, i;

	memset(d, 0, sizeof *d);
	db_run_init(&r);
	if (db_detect_load_dirs(r.dirs, r.ndirs, &all, &n, cause) != 0)
		return (-1);
	if ((i = db_detect_lookup(all, n, name)) == n) {
		db_detect_free_all(all, n);
		xasprintf(cause, "no detection '%s' (see evtriage rules)",
		    name);
		return (-1);
	}
	*d = all[i];
	memset(&all[i], 0, sizeof all[i]);
	db_detect_free_all(all, n);
	return (0);
}

static int
db_run_wanted(const struct db_run *r, const char *name)
{
	int	i;

	if (r->nnames == 0)
		return (1);
	for (i = 0; i < r->nnames; i++) {
		if (strcmp(r->names[i], name) == 0)
			return (1);
	}
	return (0);
}

/*
 * Run the wanted ones of the nd detections d over window w, adding to
 * the run's totals.  A detection that fails is logged, recorded in the
 * case and named in the run's failed list; the others go on.
 */
void
db_run_each(struct db *db, struct db_run *r, const struct db_detection *d,
    size_t nd, const struct db_window *w)
{
	size_t	 i, nh, nf;
	char	*cause = NULL;

	for (i = 0; i < nd; i++) {
		if (!db_run_wanted(r, d[i].meta[DETECT_NAME]))
			continue;
		if (db_detect_run(db, &d[i], w, &nh, &nf, &cause) != 0) {
			log_warnx("detection '%s' failed: %s",
			    d[i].meta[DETECT_NAME], cause);
			db_detect_failed(db, &d[i], w, cause);
			free(cause);
			cause = NULL;
			buf_printf(&r->failed_names, "%s%s",
			    r->failed > 0 ? ", " : "", d[i].meta[DETECT_NAME]);
			r->failed++;
			continue;
		}
		r->nfiltered += nf;
		/* A detection's hits share its risk: all shown, or none. */
		if (d[i].risk_score < r->min_risk) {
			r->nbelow += nh;
			continue;
		}
		r->nhits += nh;
		if (r->ran != NULL)
			r->ran(db, &d[i], nh, nf, r->arg);
	}
}

/*
 * Run the catalogue's detections (those named, or all) in the run's
 * window.  The resolved window is kept in the run for the caller to
 * show; an unknown name or a bad time is an error before anything runs.
 */
int
db_run_catalogue(struct db *db, struct db_run *r, char **cause)
{
	struct db_detection	*d = NULL;
	struct db_window	 w;
	size_t			 nd;
	int			 k;

	r->nhits = r->nfiltered = r->nbelow = r->failed = 0;
	r->min_risk = db_min_risk(db);
	db_read_mode(db);
	if (db_detect_load_dirs(r->dirs, r->ndirs, &d, &nd, cause) != 0)
		return (-1);
	for (k = 0; k < r->nnames; k++) {
		if (db_detect_lookup(d, nd, r->names[k]) == nd) {
			xasprintf(cause, "no detection '%s' (see evtriage "
			    "rules)", r->names[k]);
			db_detect_free_all(d, nd);
			return (-1);
		}
	}
	if (r->tz != NULL && (strcmp(r->tz, "UTC") == 0 ||
	    strcmp(r->tz, "Z") == 0))
		r->tz = NULL;
	if (casetime_zone_check(r->tz, cause) != 0 ||
	    db_run_time(db, r->earliest, r->tz, &r->window_earliest,
	    cause) != 0 ||
	    db_run_time(db, r->latest, r->tz, &r->window_latest,
	    cause) != 0) {
		db_detect_free_all(d, nd);
		return (-1);
	}
	memset(&w, 0, sizeof w);
	w.earliest = r->window_earliest;
	w.latest = r->window_latest;
	w.earliest_given = r->earliest;
	w.latest_given = r->latest;
	w.tz = r->tz;
	w.show_filtered = r->show_filtered;
	db_run_each(db, r, d, nd, &w);
	db_detect_free_all(d, nd);
	return (0);
}

/* Say that a run with failed detections is incomplete, and free it. */
void
db_run_finish(struct db_run *r)
{
	if (r->failed > 0)
		log_warnx("%zu detection%s could not run, so this run is "
		    "incomplete: %s", r->failed, r->failed == 1 ? "" : "s",
		    (char *)r->failed_names.data);
	buf_free(&r->failed_names);
	free(r->window_earliest);
	free(r->window_latest);
	r->window_earliest = r->window_latest = NULL;
}
