/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Reports rendered from a case: HTML for people, CSV and JSON Lines of
 * the hits and the timeline for tools, JSON Lines for Timesketch.  This
 * file picks the format, writes files whole or not at all, and holds
 * what the formats share: times in the chosen zone and JSON text.
 * Every value is the attacker's to choose; each format makes it safe
 * its own way (see report-html.c, csv.c and buf_json_unicode).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtriage.h"

/* Our own names in hit output; a detection field of the same name is renamed. */
static const char *report_reserved[] = {
	"detection", "title", "hit", "filtered", "filter_id", "filter_reason",
	"risk_score", "risk_message", "mitre", "time", "ctime_zone", "evidence",
	"evidence_rows", "evidence_path", "evidence_record_id",
	"evidence_sha256", "window_earliest", "window_earliest_given",
	"window_latest", "window_latest_given", "window_tz", NULL
};

static const struct {
	const char		*file;
	enum report_format	 format;
	enum report_type	 type;
} report_all[] = {
	{ "report.html", REPORT_HTML, REPORT_HITS },
	{ "hits.csv", REPORT_CSV, REPORT_HITS },
	{ "hits.jsonl", REPORT_JSONL, REPORT_HITS },
	{ "timeline.csv", REPORT_CSV, REPORT_TIMELINE },
	{ "timeline.jsonl", REPORT_JSONL, REPORT_TIMELINE },
	{ "timesketch.jsonl", REPORT_TIMESKETCH, REPORT_TIMELINE },
};

int
report_parse_format(const char *s, enum report_format *fmt)
{
	if (strcmp(s, "html") == 0)
		*fmt = REPORT_HTML;
	else if (strcmp(s, "csv") == 0)
		*fmt = REPORT_CSV;
	else if (strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0)
		*fmt = REPORT_JSONL;
	else if (strcmp(s, "timesketch") == 0)
		*fmt = REPORT_TIMESKETCH;
	else
		return (-1);
	return (0);
}

/* Render case time text in the report's zone: see casetime_format. */
char *
report_time(const struct report *r, const char *iso, int style)
{
	return (casetime_format(iso, r->tz, style));
}

/* Microseconds since 1970 of case time text, or 0. */
int64_t
report_time_usec(const char *iso)
{
	time_t		 t;
	char		 frac[16];
	const char	*e;

	e = casetime_parse(iso, &t, frac, sizeof frac);
	if (e == NULL || (*e != 'Z' && *e != '\0'))
		return (0);
	frac[6] = '\0';
	while (strlen(frac) < 6)
		strcat(frac, "0");
	return ((int64_t)t * 1000000 + strtoll(frac, NULL, 10));
}

/* The name a detection output field is written under in hit reports. */
const char *
report_field_name(const char *name, char *tmp, size_t size)
{
	int	i;

	for (i = 0; report_reserved[i] != NULL; i++) {
		if (strcmp(report_reserved[i], name) == 0) {
			snprintf(tmp, size, "output_%s", name);
			return (tmp);
		}
	}
	return (name);
}

/*
 * The name a detection output field is shown under in text, CSV and
 * HTML: Splunk's ctime columns (firstTime, lastTime) keep the format
 * of security_content_ctime, "%m/%d/%Y %H:%M:%S", which carries no zone,
 * so they are labelled with the zone the detection ran in:
 * "firstTime (UTC)".  Other names are returned as they are.
 */
const char *
report_ctime_label(const char *name, const char *zone, char *tmp,
    size_t size)
{
	if (strcmp(name, "firstTime") != 0 && strcmp(name, "lastTime") != 0)
		return (name);
	snprintf(tmp, size, "%s (%s)", name, zone != NULL ? zone : "UTC");
	return (tmp);
}

/* The zone a detection's ctime columns were written in; NULL if unknown. */
const char *
report_detection_zone(const struct db_detection_info *d, size_t nd,
    const char *name)
{
	size_t	i;

	for (i = 0; i < nd; i++) {
		if (strcmp(d[i].name, name) == 0)
			return (d[i].ctime_zone);
	}
	return (NULL);
}

/*
 * The process rows behind a hit, in row order.  A row that has gone
 * from the case is left out.
 */
void
report_hit_rows(struct report *r, const struct db_hit *h,
    struct db_proc **out, size_t *nout)
{
	struct db_proc	*all;
	size_t		 i, n = 0;

	all = xcalloc(h->nrows + 1, sizeof *all);
	for (i = 0; i < h->nrows; i++) {
		if (db_process_get(r->db, h->rows[i], &all[n]) == 0)
			n++;
	}
	*out = all;
	*nout = n;
}

/* Write one report to f. */
int
report_write(struct db *db, enum report_format fmt, enum report_type type,
    const char *tz, FILE *f, char **cause)
{
	struct report	 r;
	char		*old;
	int		 rc;

	if (tz != NULL && (strcmp(tz, "UTC") == 0 || strcmp(tz, "Z") == 0))
		tz = NULL;
	if (casetime_zone_set(tz, &old, cause) != 0)
		return (-1);
	memset(&r, 0, sizeof r);
	r.db = db;
	r.f = f;
	r.tz = tz;
	r.now = db_now();
	r.tty = isatty(fileno(f));
	switch (fmt) {
	case REPORT_HTML:
		rc = report_html_write(&r);
		break;
	case REPORT_CSV:
		if (type == REPORT_HOSTS)
			rc = report_hosts_rows(db, f, REPORT_HOSTS_CSV);
		else if (type == REPORT_HITS)
			rc = report_csv_hits(&r);
		else
			rc = report_csv_timeline(&r);
		break;
	case REPORT_JSONL:
		if (type == REPORT_HOSTS)
			rc = report_hosts_rows(db, f, REPORT_HOSTS_JSON);
		else if (type == REPORT_HITS)
			rc = report_json_hits(&r);
		else
			rc = report_json_timeline(&r);
		break;
	case REPORT_TIMESKETCH:
		rc = report_json_timesketch(&r);
		break;
	default:
		rc = -1;
		break;
	}
	free(r.now);
	casetime_zone_restore(tz, old);
	if (rc != 0 || fflush(f) != 0 || ferror(f)) {
		xasprintf(cause, "cannot write report: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

/* What report_write_file hands outfile_write. */
struct report_file {
	struct db		*db;
	enum report_format	 fmt;
	enum report_type	 type;
	const char		*tz;
};

static int
report_write_cb(FILE *f, void *arg, char **cause)
{
	struct report_file	*rf = arg;

	return (report_write(rf->db, rf->fmt, rf->type, rf->tz, f, cause));
}

/*
 * Write one report to path, or to stdout if path is NULL or "-".  A file
 * is written under a temporary name and renamed, so that a report is
 * either whole or absent.
 */
int
report_write_file(struct db *db, enum report_format fmt,
    enum report_type type, const char *tz, const char *path, char **cause)
{
	struct report_file	rf;

	if (path == NULL || strcmp(path, "-") == 0)
		return (report_write(db, fmt, type, tz, stdout, cause));
	rf.db = db;
	rf.fmt = fmt;
	rf.type = type;
	rf.tz = tz;
	return (outfile_write(path, report_write_cb, &rf, cause));
}

/* Write every report into dir, which must exist. */
int
report_write_all(struct db *db, const char *dir, const char *tz,
    char **cause)
{
	char	*path;
	size_t	 i;
	int	 rc;

	for (i = 0; i < sizeof report_all / sizeof report_all[0]; i++) {
		xasprintf(&path, "%s/%s", dir, report_all[i].file);
		rc = report_write_file(db, report_all[i].format,
		    report_all[i].type, tz, path, cause);
		free(path);
		if (rc != 0)
			return (-1);
	}
	/* The hosts and the scope of each, beside the hits (report-hosts.c). */
	xasprintf(&path, "%s/hosts.csv", dir);
	rc = report_hosts_file(db, REPORT_HOSTS_CSV, path, cause);
	free(path);
	if (rc != 0)
		return (-1);
	xasprintf(&path, "%s/hosts.jsonl", dir);
	rc = report_hosts_file(db, REPORT_HOSTS_JSON, path, cause);
	free(path);
	return (rc);
}
