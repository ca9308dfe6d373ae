/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The detect and rules commands, and the detection run that scan shares:
 * load the catalogue, resolve the time window, run each detection and
 * print its hits with the detection's own output columns.
 */

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evtriage.h"

/*
 * The detection folders of this run.  They live as long as the program,
 * so they are kept here and freed at exit.
 */
static char	**cmd_detect_dirs;
static size_t	  cmd_detect_ndirs;

static void
cmd_detect_free_dirs(void)
{
	while (cmd_detect_ndirs > 0)
		free(cmd_detect_dirs[--cmd_detect_ndirs]);
	free(cmd_detect_dirs);
	cmd_detect_dirs = NULL;
}

void
cmd_detect_init(struct detect_opts *o)
{
	const char	*env;
	char		*dir;

	memset(o, 0, sizeof *o);
	if (cmd_detect_dirs == NULL)
		atexit(cmd_detect_free_dirs);
	if ((env = getenv("EVTRIAGE_DATADIR")) != NULL)
		xasprintf(&dir, "%s/detections", env);
	else
		xasprintf(&dir, "%s/detections", PKGDATADIR);
	cmd_detect_add_dir(o, dir);
	free(dir);
}

/* Add a detection folder (dir is copied). */
void
cmd_detect_add_dir(struct detect_opts *o, const char *dir)
{
	cmd_detect_dirs = xreallocarray(cmd_detect_dirs, cmd_detect_ndirs + 1,
	    sizeof *cmd_detect_dirs);
	cmd_detect_dirs[cmd_detect_ndirs++] = xstrdup(dir);
	o->dirs = (const char **)cmd_detect_dirs;
	o->ndirs = cmd_detect_ndirs;
}

/*
 * Read the zone part of an absolute time: "" (local time in tz, UTC
 * without -z), "Z", or an offset "+01:00", "+0100" or "+01".  The
 * offset east of UTC in seconds goes to off; local is set for "".
 */
static int
cmd_detect_offset(const char *e, long *off, int *local)
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
cmd_detect_time(struct db *db, const char *s, const char *tz, char **out,
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
	if (cmd_detect_offset(e, &off, &local) != 0)
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
cmd_detect_find(const char *name, struct db_detection *d, char **cause)
{
	struct detect_opts	 o;
	struct db_detection	*all;
	size_t			 n, i;
	int			 rc = -1;

	memset(d, 0, sizeof *d);
	cmd_detect_init(&o);
	if (db_detect_load_dirs(o.dirs, o.ndirs, &all, &n, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (strcmp(all[i].meta[DETECT_NAME], name) == 0) {
			*d = all[i];
			memset(&all[i], 0, sizeof all[i]);
			rc = 0;
			break;
		}
	}
	db_detect_free_all(all, n);
	if (rc != 0)
		xasprintf(cause, "no detection '%s' (see evtriage rules)",
		    name);
	return (rc);
}

/* Print a hit's fields, ctime columns labelled with zone (NULL: UTC). */
static void
cmd_detect_print_hit(FILE *f, const struct db_hit *h, struct db *db,
    const char *zone)
{
	size_t		 i, w = 0;
	struct db_proc	 p;
	char		 tmp[256];
	const char	*name;

	for (i = 0; i < h->nvalues; i++) {
		name = report_ctime_label(h->fields[i], zone, tmp, sizeof tmp);
		if (strlen(name) > w)
			w = strlen(name);
	}
	for (i = 0; i < h->nvalues; i++) {
		name = report_ctime_label(h->fields[i], zone, tmp, sizeof tmp);
		fprintf(f, "    %-*s  ", (int)w, name);
		escape_print(f, h->values[i] != NULL ? h->values[i] : "");
		fputc('\n', f);
	}
	fprintf(f, "    %-*s  %d\n", (int)w, "risk_score", h->risk_score);
	fprintf(f, "    %-*s  ", (int)w, "risk_message");
	escape_print(f, h->risk_message);
	fputc('\n', f);
	for (i = 0; i < h->nrows; i++) {
		if (db_tree_get(db, h->rows[i], &p) != 0)
			continue;
		fprintf(f, "    %-*s  ", (int)w, "evidence");
		escape_print(f, p.evidence_path);
		fprintf(f, " record %lld%s event %d sha256 %s\n",
		    (long long)p.record_id, p.recovered ? " (recovered)" : "",
		    p.event_id, p.evidence_sha256);
		db_tree_clear(&p);
	}
	if (h->filter_id > 0) {
		fprintf(f, "    %-*s  filter %lld: ", (int)w, "filtered",
		    (long long)h->filter_id);
		escape_print(f, h->filter_reason);
		fputc('\n', f);
	}
}

/*
 * One line a hit: the detection, the hit's number, then its output
 * values, tab-separated, escaped as for a terminal (so a tab in a value
 * prints as \t).
 */
static void
cmd_detect_print_tsv(FILE *f, const struct db_hit *hits, size_t n,
    int header, const char *zone, const struct db_detect_ran *ran)
{
	const char	*win[5];
	size_t		 i, j, k;
	char		 tmp[256];

	if (n == 0)
		return;
	if (header) {
		fprintf(f, "detection\thit");
		for (j = 0; j < hits[0].nvalues; j++) {
			fputc('\t', f);
			escape_print(f, report_ctime_label(hits[0].fields[j],
			    zone, tmp, sizeof tmp));
		}
		fprintf(f, "\tfilter\twindow_earliest\twindow_earliest_given"
		    "\twindow_latest\twindow_latest_given\twindow_tz\n");
	}
	win[0] = ran->earliest;
	win[1] = ran->earliest_given;
	win[2] = ran->latest;
	win[3] = ran->latest_given;
	win[4] = ran->tz;
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\t%lld", hits[i].detection,
		    (long long)hits[i].id);
		for (j = 0; j < hits[i].nvalues; j++) {
			fputc('\t', f);
			escape_print(f, hits[i].values[j] != NULL ?
			    hits[i].values[j] : "");
		}
		if (hits[i].filter_id > 0)
			fprintf(f, "\t%lld", (long long)hits[i].filter_id);
		else
			fprintf(f, "\t");
		for (k = 0; k < 5; k++) {
			fputc('\t', f);
			escape_print(f, win[k] != NULL ? win[k] : "");
		}
		fputc('\n', f);
	}
}

static void
cmd_detect_print_bound(FILE *f, const char *what, const char *flag,
    const char *at, const char *given)
{
	if (given == NULL)
		return;
	fprintf(f, "%s", what);
	if (at != NULL)
		escape_print(f, at);
	else
		fprintf(f, "(none: no events to count from)");
	fprintf(f, " (%s ", flag);
	escape_print(f, given);
	fputc(')', f);
}

/*
 * The window a run covered, as one line: "window: all events, ctime
 * columns in UTC" or with the bounds as resolved and as given.
 */
static void
cmd_detect_print_window(FILE *f, const char *indent,
    const struct db_detect_ran *r)
{
	fprintf(f, "%swindow: ", indent);
	if (r->earliest == NULL && r->latest == NULL &&
	    r->earliest_given == NULL && r->latest_given == NULL)
		fprintf(f, "all events");
	else {
		fprintf(f, "events");
		cmd_detect_print_bound(f, " from ", "-E", r->earliest,
		    r->earliest_given);
		cmd_detect_print_bound(f, " before ", "-L", r->latest,
		    r->latest_given);
	}
	fprintf(f, ", ctime columns in ");
	escape_print(f, r->tz != NULL ? r->tz : "UTC");
	fputc('\n', f);
}

static int
cmd_detect_wanted(const struct detect_opts *o, const char *name)
{
	int	i;

	if (o->nnames == 0)
		return (1);
	for (i = 0; i < o->nnames; i++) {
		if (strcmp(o->names[i], name) == 0)
			return (1);
	}
	return (0);
}

/*
 * Run the detections and print their hits to f (if not NULL).  Totals
 * of hits and filtered hits go to nhits and nfiltered.
 */
int
cmd_detect_run(struct db *db, struct detect_opts *o, FILE *f, size_t *nhits,
    size_t *nfiltered)
{
	struct db_detection	*d = NULL;
	struct db_window	 w;
	struct db_hit		*hits;
	struct db_detect_ran	 ran;
	struct buf		 failed = { 0 };
	size_t			 nd, i, j, nh, nf, nall;
	char			*cause = NULL, *earliest = NULL, *latest = NULL;
	int			 k;

	*nhits = *nfiltered = 0;
	o->failed = 0;
	db_read_mode(db);
	if (db_detect_load_dirs(o->dirs, o->ndirs, &d, &nd, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (-1);
	}
	for (k = 0; k < o->nnames; k++) {
		for (i = 0; i < nd; i++) {
			if (strcmp(d[i].meta[DETECT_NAME], o->names[k]) == 0)
				break;
		}
		if (i == nd) {
			log_warnx("no detection '%s' (see evtriage rules)",
			    o->names[k]);
			db_detect_free_all(d, nd);
			return (-1);
		}
	}
	if (o->tz != NULL && (strcmp(o->tz, "UTC") == 0 ||
	    strcmp(o->tz, "Z") == 0))
		o->tz = NULL;
	if (casetime_zone_check(o->tz, &cause) != 0 ||
	    cmd_detect_time(db, o->earliest, o->tz, &earliest, &cause) != 0 ||
	    cmd_detect_time(db, o->latest, o->tz, &latest, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		free(earliest);
		db_detect_free_all(d, nd);
		return (-1);
	}
	memset(&w, 0, sizeof w);
	w.earliest = earliest;
	w.latest = latest;
	w.earliest_given = o->earliest;
	w.latest_given = o->latest;
	w.tz = o->tz;
	w.show_filtered = o->show_filtered;
	for (i = 0; i < nd; i++) {
		if (!cmd_detect_wanted(o, d[i].meta[DETECT_NAME]))
			continue;
		/* A broken detection costs only itself; the run says so. */
		if (db_detect_run(db, &d[i], &w, &nh, &nf, &cause) != 0) {
			log_warnx("detection '%s' failed: %s",
			    d[i].meta[DETECT_NAME], cause);
			db_detect_failed(db, &d[i], &w, cause);
			free(cause);
			cause = NULL;
			buf_printf(&failed, "%s%s", o->failed > 0 ? ", " : "",
			    d[i].meta[DETECT_NAME]);
			o->failed++;
			continue;
		}
		*nhits += nh;
		*nfiltered += nf;
		if (f == NULL || (nh == 0 && (nf == 0 || !o->show_filtered)))
			continue;
		db_detect_ran_get(db, d[i].meta[DETECT_NAME], &ran);
		if (o->tsv) {
			db_detect_hits(db, d[i].meta[DETECT_NAME],
			    o->show_filtered, &hits, &nall);
			cmd_detect_print_tsv(f, hits, nall, 1, o->tz, &ran);
			db_detect_hits_free(hits, nall);
			db_detect_ran_clear(&ran);
			continue;
		}
		fprintf(f, "%s: ", d[i].meta[DETECT_NAME]);
		escape_print(f, d[i].meta[DETECT_TITLE]);
		fprintf(f, " (%s, risk %d): %zu hit%s", d[i].meta[DETECT_MITRE],
		    d[i].risk_score, nh, nh == 1 ? "" : "s");
		if (nf > 0)
			fprintf(f, ", %zu filtered", nf);
		fputc('\n', f);
		cmd_detect_print_window(f, "  ", &ran);
		db_detect_ran_clear(&ran);
		db_detect_hits(db, d[i].meta[DETECT_NAME], o->show_filtered,
		    &hits, &nall);
		for (j = 0; j < nall; j++) {
			fprintf(f, "  %s %lld\n", hits[j].filter_id > 0 ?
			    "filtered hit" : "hit", (long long)hits[j].id);
			cmd_detect_print_hit(f, &hits[j], db, o->tz);
		}
		db_detect_hits_free(hits, nall);
	}
	if (f != NULL && !o->quiet && !o->tsv) {
		memset(&ran, 0, sizeof ran);
		ran.earliest = earliest != NULL && *earliest != '\0' ?
		    earliest : NULL;
		ran.latest = latest != NULL && *latest != '\0' ? latest : NULL;
		ran.earliest_given = (char *)o->earliest;
		ran.latest_given = (char *)o->latest;
		ran.tz = (char *)o->tz;
		cmd_detect_print_window(f, "", &ran);
		fprintf(f, "%zu hit%s", *nhits, *nhits == 1 ? "" : "s");
		if (*nfiltered > 0)
			fprintf(f, ", %zu filtered as false positives%s",
			    *nfiltered, o->show_filtered ? "" :
			    " (-S shows them)");
		if (o->failed > 0)
			fprintf(f, "; %zu detection%s failed: %s", o->failed,
			    o->failed == 1 ? "" : "s", (char *)failed.data);
		fputc('\n', f);
	}
	if (o->failed > 0)
		log_warnx("%zu detection%s could not run, so this run is "
		    "incomplete: %s", o->failed, o->failed == 1 ? "" : "s",
		    (char *)failed.data);
	buf_free(&failed);
	free(earliest);
	free(latest);
	db_detect_free_all(d, nd);
	return (0);
}

int
cmd_detect_exec(int argc, char **argv)
{
	struct detect_opts	 o;
	struct db		*db;
	const char		*path = "evtriage.db";
	char			*cause = NULL;
	size_t			 nh, nf;
	int			 ch;

	cmd_detect_init(&o);
	while ((ch = getopt(argc, argv, "d:E:f:hL:qr:Svz:")) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'E':
			o.earliest = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "tsv") == 0)
				o.tsv = 1;
			else if (strcmp(optarg, "text") != 0) {
				log_warnx("unknown format '%s' (text or tsv)",
				    optarg);
				usage_cmd(cmd_find("detect"), 0);
			}
			break;
		case 'h':
			usage_cmd(cmd_find("detect"), 1);
		case 'L':
			o.latest = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'r':
			cmd_detect_add_dir(&o, optarg);
			break;
		case 'S':
			o.show_filtered = 1;
			break;
		case 'v':
			log_level++;
			break;
		case 'z':
			o.tz = optarg;
			break;
		default:
			usage_cmd(cmd_find("detect"), 0);
		}
	}
	o.names = argv + optind;
	o.nnames = argc - optind;
	if (db_open(path, 0, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (cmd_detect_run(db, &o, stdout, &nh, &nf) != 0 || o.failed > 0) {
		db_close(db);
		return (EXIT_USAGE);
	}
	db_close(db);
	return (nh > 0 ? EXIT_HITS : EXIT_CLEAN);
}

int
cmd_rules_exec(int argc, char **argv)
{
	struct detect_opts	 o;
	struct db_detection	*d;
	struct db		*db;
	size_t			 nd, i, broken = 0;
	char			*cause = NULL;
	int			 ch, verbose = 0, k;

	cmd_detect_init(&o);
	while ((ch = getopt(argc, argv, "hr:v")) != -1) {
		switch (ch) {
		case 'h':
			usage_cmd(cmd_find("rules"), 1);
		case 'r':
			cmd_detect_add_dir(&o, optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage_cmd(cmd_find("rules"), 0);
		}
	}
	if (db_detect_load_dirs(o.dirs, o.ndirs, &d, &nd, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	/* Every detection's SQL is prepared against an empty case. */
	if (db_open(":memory:", DB_CREATE, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		db_detect_free_all(d, nd);
		return (EXIT_USAGE);
	}
	for (i = 0; i < nd; i++) {
		if (db_detect_check(db, &d[i], &cause) != 0) {
			log_warnx("detection '%s' is broken: %s",
			    d[i].meta[DETECT_NAME], cause);
			free(cause);
			cause = NULL;
			broken++;
		}
		if (!verbose) {
			printf("%-45s %-10s %3d  %s\n", d[i].meta[DETECT_NAME],
			    d[i].meta[DETECT_MITRE], d[i].risk_score,
			    d[i].meta[DETECT_TITLE]);
			continue;
		}
		printf("%s\n", d[i].meta[DETECT_NAME]);
		for (k = 1; k < DETECT_NKEYS; k++) {
			if (d[i].meta[k] == NULL || k == DETECT_SPL)
				continue;
			printf("    %-22s %s\n", db_detect_key_name(k),
			    d[i].meta[k]);
		}
		printf("    %-22s %d\n", "risk_score", d[i].risk_score);
		printf("    %-22s %s\n\n", "file", d[i].path);
	}
	db_close(db);
	db_detect_free_all(d, nd);
	if (broken > 0) {
		log_warnx("%zu of %zu detections are broken", broken, nd);
		return (EXIT_USAGE);
	}
	return (EXIT_CLEAN);
}
