/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * A detection run as text, as detect and scan print it: each detection
 * that hit with its window and its hits, field by field or one
 * tab-separated line a hit, then the run's window and totals.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

/* Print a hit's fields, ctime columns labelled with zone (NULL: UTC). */
static void
report_text_hit(FILE *f, const struct db_hit *h, struct db *db,
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
	fprintf(f, "    %-*s  %d (%s)\n", (int)w, "risk_score", h->risk_score,
	    db_risk_level(h->risk_score));
	fprintf(f, "    %-*s  ", (int)w, "risk_message");
	escape_print(f, h->risk_message);
	fputc('\n', f);
	for (i = 0; i < h->nrows; i++) {
		if (db_process_evidence(db, h->rows[i], &p) != 0)
			continue;
		fprintf(f, "    %-*s  ", (int)w, "evidence");
		escape_print(f, p.evidence_path);
		fprintf(f, " record %lld%s event %d sha256 %s",
		    (long long)p.record_id, p.recovered ? " (recovered)" : "",
		    p.event_id, p.evidence_sha256);
		if (p.reader != NULL)
			fprintf(f, " read by %s", p.reader);
		fputc('\n', f);
		db_process_clear(&p);
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
report_text_tsv(FILE *f, const struct db_hit *hits, size_t n,
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
report_text_bound(FILE *f, const char *what, const char *flag,
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
report_text_window(FILE *f, const char *indent,
    const struct db_detect_ran *r)
{
	fprintf(f, "%swindow: ", indent);
	if (r->earliest == NULL && r->latest == NULL &&
	    r->earliest_given == NULL && r->latest_given == NULL)
		fprintf(f, "all events");
	else {
		fprintf(f, "events");
		report_text_bound(f, " from ", "-E", r->earliest,
		    r->earliest_given);
		report_text_bound(f, " before ", "-L", r->latest,
		    r->latest_given);
	}
	fprintf(f, ", ctime columns in ");
	escape_print(f, r->tz != NULL ? r->tz : "UTC");
	fputc('\n', f);
}

/* What report_text_ran prints to, and how. */
struct report_text {
	FILE			*f;
	int			 tsv;	/* a line a hit, tab-separated */
	const struct db_run	*run;
};

/*
 * Print a detection that ran (a db_run ran callback; arg is a struct
 * report_text): nothing when it had no hits to show.
 */
static void
report_text_ran(struct db *db, const struct db_detection *d, size_t nh,
    size_t nf, void *arg)
{
	struct report_text	*rt = arg;
	const struct db_run	*r = rt->run;
	FILE			*f = rt->f;
	struct db_detect_ran	 ran;
	struct db_hit		*hits;
	size_t			 j, nall;

	if (nh == 0 && (nf == 0 || !r->show_filtered))
		return;
	db_detect_ran_get(db, d->meta[DETECT_NAME], &ran);
	if (rt->tsv) {
		db_detect_hits(db, d->meta[DETECT_NAME], r->show_filtered,
		    &hits, &nall);
		report_text_tsv(f, hits, nall, 1, r->tz, &ran);
		db_detect_hits_free(hits, nall);
		db_detect_ran_clear(&ran);
		return;
	}
	fprintf(f, "%s: ", d->meta[DETECT_NAME]);
	escape_print(f, d->meta[DETECT_TITLE]);
	fprintf(f, " (%s, risk %d %s): %zu hit%s", d->meta[DETECT_MITRE],
	    d->risk_score, db_risk_level(d->risk_score), nh,
	    nh == 1 ? "" : "s");
	if (nf > 0)
		fprintf(f, ", %zu filtered", nf);
	fputc('\n', f);
	report_text_window(f, "  ", &ran);
	db_detect_ran_clear(&ran);
	db_detect_hits(db, d->meta[DETECT_NAME], r->show_filtered, &hits,
	    &nall);
	for (j = 0; j < nall; j++) {
		fprintf(f, "  %s %lld\n", hits[j].filter_id > 0 ?
		    "filtered hit" : "hit", (long long)hits[j].id);
		report_text_hit(f, &hits[j], db, r->tz);
	}
	db_detect_hits_free(hits, nall);
}

/* Print the run's window and totals, and which detections failed. */
static void
report_text_summary(FILE *f, const struct db_run *r)
{
	struct db_detect_ran	 ran;

	memset(&ran, 0, sizeof ran);
	ran.earliest = r->window_earliest != NULL &&
	    *r->window_earliest != '\0' ? r->window_earliest : NULL;
	ran.latest = r->window_latest != NULL && *r->window_latest != '\0' ?
	    r->window_latest : NULL;
	ran.earliest_given = (char *)r->earliest;
	ran.latest_given = (char *)r->latest;
	ran.tz = (char *)r->tz;
	report_text_window(f, "", &ran);
	fprintf(f, "%zu hit%s", r->nhits, r->nhits == 1 ? "" : "s");
	if (r->nbelow > 0)
		fprintf(f, ", %zu below risk %d (%s) not shown (-m)",
		    r->nbelow, r->min_risk, db_risk_level(r->min_risk));
	if (r->nfiltered > 0)
		fprintf(f, ", %zu filtered as false positives%s",
		    r->nfiltered, r->show_filtered ? "" : " (-S shows them)");
	if (r->failed > 0)
		fprintf(f, "; %zu detection%s failed: %s", r->failed,
		    r->failed == 1 ? "" : "s", (char *)r->failed_names.data);
	fputc('\n', f);
}

/*
 * Run the catalogue's detections as r asks (db_run_catalogue) and print
 * what hit to f, or nothing if f is NULL; quiet leaves out the totals.
 * The totals and the failed count stay in r.  Return -1 if the run
 * could not start: a bad name, window or catalogue.
 */
int
report_text_run(struct db *db, struct db_run *r, FILE *f, int tsv,
    int quiet)
{
	struct report_text	 rt;
	char			*cause = NULL;
	int			 rc = 0;

	rt.f = f;
	rt.tsv = tsv;
	rt.run = r;
	r->ran = f != NULL ? report_text_ran : NULL;
	r->arg = &rt;
	if (db_run_catalogue(db, r, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		rc = -1;
		goto out;
	}
	if (f != NULL && !quiet && !tsv)
		report_text_summary(f, r);
out:
	db_run_finish(r);
	r->ran = NULL;
	r->arg = NULL;
	return (rc);
}
