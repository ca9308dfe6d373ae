/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The HTML report: one file with nothing outside it (no scripts, fonts
 * or images; the style is inline and the page forbids everything else by
 * its Content-Security-Policy), readable on screen and on paper.  Every
 * value from the case is escaped, control characters and bytes that are
 * not UTF-8 are shown as marked \xNN escapes, so that what the evidence
 * says is shown and never run.
 */

#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

#define REPORT_HTML_PROBLEMS	10	/* problem reasons listed per file */
#define REPORT_HTML_TREES	5	/* process trees drawn per hit */
#define REPORT_HTML_ROWS	100	/* evidence rows listed per hit */
#define REPORT_HTML_DEPTH	8	/* ancestors; generations in all */
#define REPORT_HTML_NODES	60	/* nodes in one tree */
#define REPORT_HTML_OPEN	10	/* evidence files shown open */

static const char report_html_style[] =
	"body{font-family:sans-serif;margin:1.5em;color:#111;"
	"background:#fff;line-height:1.35}\n"
	"h1{font-size:1.6em}h2{border-bottom:2px solid #333;"
	"margin-top:2em}h3{margin-top:1.5em}\n"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #bbb;padding:.2em .4em;text-align:left;"
	"vertical-align:top}\n"
	"th{background:#eee}td.n{text-align:right}\n"
	"code,.mono{font-family:monospace;white-space:pre-wrap;"
	"word-break:break-all}\n"
	".c{background:#fd0;color:#000;font-family:monospace;"
	"border:1px dotted #000}\n"
	"article{border:1px solid #999;padding:.5em 1em;margin:1em 0}\n"
	"article.filtered{border-style:dashed;color:#333}\n"
	".risk{font-weight:bold}\n"
	"ul.tree,ul.tree ul{list-style:none;margin:0;"
	"padding-left:1.4em}\n"
	"ul.tree{padding-left:0}ul.tree li{border-left:1px solid #888;"
	"padding-left:.5em;margin:.1em 0}\n"
	"li.hit{background:#fdd;border-left:4px solid #c00}"
	"li.ph{color:#555;font-style:italic}\n"
	"mark{background:#c00;color:#fff;padding:0 .3em}\n"
	".dim{color:#555}\n"
	"@media print{nav{display:none}body{margin:0;font-size:10pt}"
	"article{break-inside:avoid}h2{break-before:page}"
	"li.hit,mark{-webkit-print-color-adjust:exact;"
	"print-color-adjust:exact}a{color:#000;text-decoration:none}}\n";

static void
report_html_puts(struct report *r, const char *s)
{
	fputs(s, r->f);
}

/*
 * Write s as HTML text: the five HTML specials as entities; control
 * characters, C1, bidirectional overrides and bytes that are not UTF-8
 * as a marked escape.
 */
static void
report_html_text(struct report *r, const char *s)
{
	const unsigned char	*p;
	size_t			 n, i;
	struct buf		 b = { 0 };

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = 1;
		switch (*p) {
		case '&':
			buf_append_str(&b, "&amp;");
			continue;
		case '<':
			buf_append_str(&b, "&lt;");
			continue;
		case '>':
			buf_append_str(&b, "&gt;");
			continue;
		case '"':
			buf_append_str(&b, "&quot;");
			continue;
		case '\'':
			buf_append_str(&b, "&#39;");
			continue;
		}
		if (*p >= 0x20 && *p != 0x7f &&
		    (n = escape_utf8_len(p)) != 0) {
			buf_append(&b, p, n);
			continue;
		}
		/* One marked escape per byte: \n, \r, \t or \xNN. */
		n = 1;
		buf_append_str(&b, "<span class=\"c\">");
		if (*p == '\n')
			buf_append_str(&b, "\\n");
		else if (*p == '\r')
			buf_append_str(&b, "\\r");
		else if (*p == '\t')
			buf_append_str(&b, "\\t");
		else {
			n = escape_utf8_seq(p, NULL);
			if (n == 0)
				n = 1;
			for (i = 0; i < n; i++)
				buf_printf(&b, "\\x%02x", p[i]);
		}
		buf_append_str(&b, "</span>");
	}
	if (b.data != NULL)
		fwrite(b.data, 1, b.len, r->f);
	buf_free(&b);
}

/* Write a time from the case in the report's zone. */
static void
report_html_time(struct report *r, const char *iso)
{
	char	*t;

	if (iso == NULL) {
		report_html_puts(r, "<span class=\"dim\">unknown</span>");
		return;
	}
	t = report_time(r, iso, REPORT_TIME_HUMAN);
	report_html_text(r, t);
	free(t);
}

static void
report_html_row(struct report *r, const char *name, const char *value)
{
	report_html_puts(r, "<tr><th>");
	report_html_text(r, name);
	report_html_puts(r, "</th><td>");
	if (value != NULL)
		report_html_text(r, value);
	else
		report_html_puts(r, "<span class=\"dim\">unknown</span>");
	report_html_puts(r, "</td></tr>\n");
}

static void
report_html_head(struct report *r)
{
	char		*v;
	const char	*keys[] = { "created", "generator", "command", NULL };
	const char	*names[] = { "Case created", "Made by",
	    "Command line", NULL };
	int		 i;

	report_html_puts(r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>evtriage report: ");
	report_html_text(r, db_path(r->db));
	fprintf(r->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    report_html_style);
	report_html_puts(r, "<header>\n<h1>evtriage report</h1>\n"
	    "<table class=\"summary\" id=\"summary\">\n");
	report_html_row(r, "Case", db_path(r->db));
	for (i = 0; keys[i] != NULL; i++) {
		v = db_get_info(r->db, keys[i]);
		if (i == 0) {
			fprintf(r->f, "<tr><th>%s</th><td>", names[i]);
			report_html_time(r, v);
			report_html_puts(r, "</td></tr>\n");
		} else
			report_html_row(r, names[i], v);
		free(v);
	}
	fprintf(r->f, "<tr><th>Evidence</th><td>%lld process creations, "
	    "%lld process terminations</td></tr>\n",
	    (long long)db_count(r->db, "process"),
	    (long long)db_count(r->db, "process_end"));
	fprintf(r->f, "<tr><th>Hits</th><td>%lld, and %lld filtered as false "
	    "positives</td></tr>\n",
	    (long long)db_count(r->db, "hit"),
	    (long long)db_count(r->db, "filtered"));
	report_html_puts(r, "<tr><th>Times</th><td>");
	if (r->tz == NULL)
		report_html_puts(r, "UTC (Z)");
	else {
		report_html_text(r, r->tz);
		report_html_puts(r, ", with each time's offset from UTC");
	}
	report_html_puts(r, "; a detection's firstTime and lastTime keep "
	    "Splunk's format (month/day/year) in the zone the detection ran "
	    "in, named beside them</td></tr>\n");
	/* The only line that changes from run to run over the same case. */
	fprintf(r->f, "<tr><th>Report made</th><td>");
	report_html_time(r, r->now);
	report_html_puts(r, "</td></tr>\n</table>\n</header>\n");
	report_html_puts(r, "<nav><a href=\"#executive\">Summary</a> | "
	    "<a href=\"#hits\">Hits</a> | "
	    "<a href=\"#filtered\">Filtered hits</a> | "
	    "<a href=\"#evidence\">Evidence</a></nav>\n");
}

static void
report_html_evidence(struct report *r)
{
	struct db_evidence		*e;
	struct db_problem		*p;
	size_t				 n, i, j, np, npaths;
	int64_t				 groups, total;
	char				**paths;

	db_evidence_list(r->db, &e, &n);
	fprintf(r->f, "<section id=\"evidence\">\n<h2>Evidence (%zu file%s)"
	    "</h2>\n", n, n == 1 ? "" : "s");
	/* One compact table; the per-file details open only if few. */
	if (n > 0)
		report_html_puts(r, "<table class=\"coverage\" "
		    "id=\"coverage\">\n<tr><th>File</th><th>Status</th>"
		    "<th>Records</th><th>Unreadable</th>"
		    "<th>Process events</th></tr>\n");
	for (i = 0; i < n; i++) {
		fprintf(r->f, "<tr><td><a href=\"#e%lld\">",
		    (long long)e[i].id);
		report_html_text(r, e[i].path);
		report_html_puts(r, "</a></td><td>");
		report_html_text(r, e[i].status);
		if (report_evidence_incomplete(&e[i]))
			report_html_puts(r, ", <strong>not in full</strong>");
		fprintf(r->f, "</td><td class=\"n\">%lld</td>"
		    "<td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
		    "</tr>\n", (long long)(e[i].records + e[i].recovered),
		    (long long)e[i].unreadable,
		    (long long)(e[i].process_events + e[i].end_events));
	}
	if (n > 0)
		fprintf(r->f, "</table>\n<details%s>\n<summary>Per-file "
		    "details and parser errors</summary>\n",
		    n <= REPORT_HTML_OPEN ? " open" : "");
	for (i = 0; i < n; i++) {
		fprintf(r->f, "<section class=\"file\" id=\"e%lld\">\n<h3>",
		    (long long)e[i].id);
		report_html_text(r, e[i].path);
		report_html_puts(r, "</h3>\n<table>\n");
		fprintf(r->f, "<tr><th>SHA-256</th><td class=\"mono\">%s"
		    "</td></tr>\n", e[i].sha256);
		fprintf(r->f, "<tr><th>Size</th><td>%lld bytes</td></tr>\n",
		    (long long)e[i].size);
		report_html_puts(r, "<tr><th>Modified</th><td>");
		report_html_time(r, e[i].mtime);
		report_html_puts(r, "</td></tr>\n");
		if (e[i].chain != NULL && strcmp(e[i].chain, e[i].path) != 0)
			report_html_row(r, "Reached through", e[i].chain);
		report_html_row(r, "Provenance", e[i].provenance);
		report_html_row(r, "Format", e[i].format_version);
		fprintf(r->f, "<tr><th>Flags</th><td>%s%s%s</td></tr>\n",
		    e[i].dirty ? "dirty (not closed cleanly)" : "",
		    e[i].dirty && e[i].corrupted ? ", " : "",
		    e[i].corrupted ? "corrupted" :
		    (e[i].dirty ? "" : "none"));
		fprintf(r->f, "<tr><th>Status</th><td>");
		report_html_text(r, e[i].status);
		if (e[i].message != NULL) {
			report_html_puts(r, ": ");
			report_html_text(r, e[i].message);
		}
		report_html_puts(r, "</td></tr>\n");
		fprintf(r->f, "<tr><th>Coverage</th><td>%lld records read, "
		    "%lld recovered, %lld unreadable; %lld process creations, "
		    "%lld process terminations</td></tr>\n",
		    (long long)e[i].records, (long long)e[i].recovered,
		    (long long)e[i].unreadable,
		    (long long)e[i].process_events,
		    (long long)e[i].end_events);
		paths = db_evidence_paths(r->db, e[i].id, &npaths);
		if (npaths > 1 || (npaths == 1 &&
		    strcmp(paths[0], e[i].path) != 0)) {
			report_html_puts(r, "<tr><th>Seen as</th><td>");
			for (j = 0; j < npaths; j++) {
				if (j > 0)
					report_html_puts(r, "<br>");
				report_html_text(r, paths[j]);
			}
			report_html_puts(r, "</td></tr>\n");
		}
		for (j = 0; j < npaths; j++)
			free(paths[j]);
		free(paths);
		report_html_puts(r, "</table>\n");

		db_evidence_problem_groups(r->db, e[i].id, REPORT_HTML_PROBLEMS, &p,
		    &np, &groups, &total);
		if (np > 0) {
			fprintf(r->f, "<p>%lld problem%s reading this file, "
			    "for %lld reason%s", (long long)total,
			    total == 1 ? "" : "s", (long long)groups,
			    groups == 1 ? "" : "s");
			if (groups > (int64_t)np)
				fprintf(r->f, "; the %zu most frequent", np);
			report_html_puts(r, ":</p>\n<table>\n<tr><th>Kind</th>"
			    "<th>Reason</th><th>Count</th>"
			    "<th>First record index</th></tr>\n");
			for (j = 0; j < np; j++) {
				report_html_puts(r, "<tr><td>");
				report_html_text(r, p[j].kind);
				report_html_puts(r, "</td><td>");
				report_html_text(r, p[j].reason);
				fprintf(r->f, "</td><td class=\"n\">%lld</td>"
				    "<td class=\"n\">", (long long)p[j].count);
				if (p[j].record_index >= 0)
					fprintf(r->f, "%lld",
					    (long long)p[j].record_index);
				report_html_puts(r, "</td></tr>\n");
			}
			report_html_puts(r, "</table>\n");
		}
		db_problem_free_array(p, np);
		report_html_puts(r, "</section>\n");
	}
	if (n > 0)
		report_html_puts(r, "</details>\n");
	if (n == 0)
		report_html_puts(r, "<p>No evidence in this case.</p>\n");
	report_html_puts(r, "</section>\n");
	db_evidence_free(e, n);
}

static void
report_html_node(struct report *r, const struct db_tree_lineage *l, size_t i)
{
	const struct db_tree_node	*x = &l->nodes[i];
	const struct db_proc		*p = &x->proc;

	if (x->more > 0) {
		fprintf(r->f, "<li class=\"dim\">and %zu more not shown",
		    x->more);
		return;
	}
	if (i == l->focus) {
		report_html_puts(r, "<li class=\"hit\"><mark>&#9654; HIT"
		    "</mark> ");
	} else if (i < l->focus && p->id == 0)
		report_html_puts(r, "<li class=\"ph\">[not in the logs] ");
	else
		report_html_puts(r, "<li>");
	if (p->time != NULL) {
		report_html_time(r, p->time);
		report_html_puts(r, " ");
	}
	report_html_puts(r, "<b>");
	report_html_text(r, p->process_name != NULL ? p->process_name :
	    (p->process_path != NULL ? p->process_path : "unknown"));
	report_html_puts(r, "</b>");
	if (p->process_id >= 0)
		fprintf(r->f, " pid %lld", (long long)p->process_id);
	if (p->user != NULL) {
		report_html_puts(r, " user ");
		report_html_text(r, p->user);
	}
	if (p->process != NULL) {
		report_html_puts(r, " <code>");
		report_html_text(r, p->process);
		report_html_puts(r, "</code>");
	}
	if (p->end_time != NULL) {
		report_html_puts(r, " <span class=\"dim\">ended ");
		report_html_time(r, p->end_time);
		report_html_puts(r, "</span>");
	}
}

/*
 * Draw the lineage of a hit's process as nested lists; depths grow by
 * at most one per node.
 */
static void
report_html_tree(struct report *r, int64_t row)
{
	struct db_tree_lineage	 l;
	size_t			 i;
	int			 depth = 0, d;

	if (db_tree_lineage(r->db, row, REPORT_HTML_DEPTH, REPORT_HTML_DEPTH,
	    REPORT_HTML_NODES, &l) != 0)
		return;
	report_html_puts(r, "<ul class=\"tree\">\n");
	for (i = 0; i < l.n; i++) {
		d = l.nodes[i].depth;
		if (i > 0 && d > depth)
			report_html_puts(r, "\n<ul>\n");
		else if (i > 0) {
			report_html_puts(r, "</li>\n");
			for (; depth > d; depth--)
				report_html_puts(r, "</ul></li>\n");
		}
		depth = d;
		report_html_node(r, &l, i);
	}
	report_html_puts(r, "</li>\n");
	for (; depth > l.nodes[0].depth; depth--)
		report_html_puts(r, "</ul></li>\n");
	report_html_puts(r, "</ul>\n");
	db_tree_lineage_clear(&l);
}

static void
report_html_hit(struct report *r, const struct db_hit *h, const char *zone)
{
	struct db_proc	*rows;
	size_t		 nrows, i;
	char		 tmp[256];

	fprintf(r->f, "<article class=\"%s\" id=\"hit%lld\">\n"
	    "<h4>Hit %lld: risk %d (%s)</h4>\n", h->filter_id > 0 ?
	    "filtered" : "hit", (long long)h->id, (long long)h->id,
	    h->risk_score, db_risk_level(h->risk_score));
	if (h->filter_id > 0) {
		fprintf(r->f, "<p>Filtered by filter %lld: ",
		    (long long)h->filter_id);
		report_html_text(r, h->filter_reason);
		report_html_puts(r, "</p>\n");
	}
	report_html_puts(r, "<p class=\"risk\">");
	report_html_text(r, h->risk_message);
	report_html_puts(r, "</p>\n<table class=\"fields\">\n");
	for (i = 0; i < h->nvalues; i++) {
		report_html_puts(r, "<tr><th>");
		report_html_text(r, report_ctime_label(h->fields[i], zone,
		    tmp, sizeof tmp));
		report_html_puts(r, "</th><td><code>");
		report_html_text(r, h->values[i]);
		report_html_puts(r, "</code></td></tr>\n");
	}
	report_html_puts(r, "</table>\n");
	report_hit_rows(r, h, &rows, &nrows);
	if (h->filter_id == 0) {
		for (i = 0; i < nrows && i < REPORT_HTML_TREES; i++) {
			fprintf(r->f, "<h5>Process tree of row %lld</h5>\n",
			    (long long)rows[i].id);
			report_html_tree(r, rows[i].id);
		}
		if (nrows > REPORT_HTML_TREES)
			fprintf(r->f, "<p class=\"dim\">Trees of %zu more rows "
			    "are not drawn.</p>\n", nrows - REPORT_HTML_TREES);
	}
	fprintf(r->f, "<h5>Evidence (%zu row%s)</h5>\n<table class=\"rows\">"
	    "\n<tr><th>Row</th><th>Time</th><th>Host</th><th>User</th>"
	    "<th>PID</th><th>Command line</th><th>Evidence file</th>"
	    "<th>Record</th><th>SHA-256</th></tr>\n", nrows,
	    nrows == 1 ? "" : "s");
	for (i = 0; i < nrows && i < REPORT_HTML_ROWS; i++) {
		fprintf(r->f, "<tr><td class=\"n\">%lld</td><td>",
		    (long long)rows[i].id);
		report_html_time(r, rows[i].time);
		report_html_puts(r, "</td><td>");
		report_html_text(r, rows[i].dest);
		report_html_puts(r, "</td><td>");
		report_html_text(r, rows[i].user);
		report_html_puts(r, "</td><td class=\"n\">");
		if (rows[i].process_id >= 0)
			fprintf(r->f, "%lld", (long long)rows[i].process_id);
		report_html_puts(r, "</td><td><code>");
		report_html_text(r, rows[i].process);
		report_html_puts(r, "</code></td><td>");
		report_html_text(r, rows[i].evidence_path);
		if (rows[i].evidence_chain != NULL &&
		    strcmp(rows[i].evidence_chain, rows[i].evidence_path) != 0) {
			report_html_puts(r, "<br><span class=\"dim\">from ");
			report_html_text(r, rows[i].evidence_chain);
			report_html_puts(r, "</span>");
		}
		fprintf(r->f, "</td><td class=\"n\">%lld%s (event %d%s%s)</td>"
		    "<td class=\"mono\">%s</td></tr>\n",
		    (long long)rows[i].record_id,
		    rows[i].recovered ? " recovered" : "", rows[i].event_id,
		    rows[i].reader != NULL ? ", read by " : "",
		    rows[i].reader != NULL ? rows[i].reader : "",
		    rows[i].evidence_sha256);
	}
	report_html_puts(r, "</table>\n");
	if (nrows > REPORT_HTML_ROWS)
		fprintf(r->f, "<p class=\"dim\">%zu more rows are in "
		    "hits.csv.</p>\n", nrows - REPORT_HTML_ROWS);
	db_process_free_array(rows, nrows);
	report_html_puts(r, "</article>\n");
}

static void
report_html_bound(struct report *r, const char *what, const char *at,
    const char *given)
{
	if (given == NULL)
		return;
	report_html_puts(r, what);
	if (at != NULL)
		report_html_time(r, at);
	else
		report_html_puts(r, "(none: no events to count from)");
	report_html_puts(r, " (given as ");
	report_html_text(r, given);
	report_html_puts(r, ")");
}

/* The window and zone of a detection's run: a full run says so too. */
static void
report_html_window(struct report *r, const struct db_detect_ran *w)
{
	report_html_puts(r, "<tr><th>Time window</th><td>");
	if (w->status == NULL)
		report_html_puts(r, "not recorded (a case of an older "
		    "evtriage)");
	else if (w->earliest_given == NULL && w->latest_given == NULL)
		report_html_puts(r, "all events");
	else {
		report_html_puts(r, "<strong>only events");
		report_html_bound(r, " from ", w->earliest, w->earliest_given);
		report_html_bound(r, " before ", w->latest, w->latest_given);
		report_html_puts(r, "</strong>");
	}
	report_html_puts(r, "</td></tr>\n");
	if (w->tz != NULL)
		report_html_row(r, "firstTime, lastTime in", w->tz);
}

static void
report_html_detection(struct report *r, const struct db_detection_info *d,
    const char *name, struct db_hit *hits, size_t n, int filtered)
{
	size_t	i, count = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(hits[i].detection, name) == 0 &&
		    (hits[i].filter_id > 0) == filtered)
			count++;
	}
	if (count == 0)
		return;
	report_html_puts(r, "<section class=\"detection\">\n<h3>");
	report_html_text(r, d != NULL && d->title != NULL ? d->title : name);
	fprintf(r->f, " (%zu%s hit%s)</h3>\n<table>\n", count,
	    filtered ? " filtered" : "", count == 1 ? "" : "s");
	report_html_row(r, "Detection", name);
	if (d != NULL) {
		report_html_row(r, "ATT&CK", d->mitre);
		report_html_row(r, "Tactic", d->tactic);
		fprintf(r->f, "<tr><th>Risk score</th><td>%d (%s)</td></tr>\n",
		    d->risk_score, db_risk_level(d->risk_score));
		report_html_row(r, "Description", d->description);
		report_html_row(r, "Known false positives",
		    d->false_positives);
		report_html_puts(r, "<tr><th>Ran</th><td>");
		report_html_time(r, d->ran_at);
		report_html_puts(r, "</td></tr>\n");
		report_html_window(r, &d->run);
	}
	report_html_puts(r, "</table>\n");
	for (i = 0; i < n; i++) {
		if (strcmp(hits[i].detection, name) == 0 &&
		    (hits[i].filter_id > 0) == filtered)
			report_html_hit(r, &hits[i], d != NULL ?
			    d->ctime_zone : NULL);
	}
	report_html_puts(r, "</section>\n");
}

/*
 * Every detection the case ran, with its window, zone and status, hits
 * or not: "No hits" is only as wide as the window it was looked for in.
 */
static void
report_html_runs(struct report *r, struct db_detection_info *d, size_t nd)
{
	size_t	i;

	if (nd == 0)
		return;
	report_html_puts(r, "<table class=\"runs\" id=\"runs\">\n<tr>"
	    "<th>Detection</th><th>Status</th><th>Hits</th>"
	    "<th>Filtered</th></tr>\n");
	for (i = 0; i < nd; i++) {
		report_html_puts(r, "<tr><td>");
		report_html_text(r, d[i].name);
		report_html_puts(r, "</td><td>");
		if (d[i].run.status != NULL &&
		    strcmp(d[i].run.status, "failed") == 0) {
			report_html_puts(r, "<strong>failed: ");
			report_html_text(r, d[i].run.error);
			report_html_puts(r, "</strong>");
		} else
			report_html_text(r, d[i].run.status != NULL ?
			    d[i].run.status : "done");
		fprintf(r->f, "</td><td>%lld</td><td>%lld</td></tr>\n",
		    (long long)d[i].hits, (long long)d[i].filtered);
		report_html_puts(r, "<tr><td></td><td colspan=\"3\">"
		    "<table>\n");
		report_html_window(r, &d[i].run);
		report_html_puts(r, "</table></td></tr>\n");
	}
	report_html_puts(r, "</table>\n");
}

/* Each detection with hits, from the detection table or the hits. */
static void
report_html_hits(struct report *r, struct db_hit *hits, size_t n,
    struct db_detection_info *d, size_t nd, int filtered)
{
	size_t	i, j;

	for (i = 0; i < nd; i++)
		report_html_detection(r, &d[i], d[i].name, hits, n, filtered);
	for (i = 0; i < n; i++) {
		for (j = 0; j < nd; j++) {
			if (strcmp(d[j].name, hits[i].detection) == 0)
				break;
		}
		if (j < nd || (i > 0 &&
		    strcmp(hits[i - 1].detection, hits[i].detection) == 0))
			continue;
		report_html_detection(r, NULL, hits[i].detection, hits, n,
		    filtered);
	}
}

/* One detection's hits on one host, for the summary's table. */
struct report_html_group {
	const char	*detection;
	const char	*dest;
	size_t		 count;
	int		 risk;
	const char	*first, *last;
};

/* Hits not filtered, grouped by detection and host, in hit order. */
static struct report_html_group *
report_html_groups(struct db_hit *hits, size_t n, size_t *ngroups)
{
	struct report_html_group	*g = NULL, *x;
	size_t				 i, j, ng = 0;
	const char			*t;

	for (i = 0; i < n; i++) {
		if (hits[i].filter_id > 0)
			continue;
		for (j = 0; j < ng; j++) {
			if (strcmp(g[j].detection, hits[i].detection) == 0 &&
			    ((g[j].dest == NULL && hits[i].dest == NULL) ||
			    (g[j].dest != NULL && hits[i].dest != NULL &&
			    strcmp(g[j].dest, hits[i].dest) == 0)))
				break;
		}
		if (j == ng) {
			g = xreallocarray(g, ng + 1, sizeof *g);
			x = &g[ng++];
			memset(x, 0, sizeof *x);
			x->detection = hits[i].detection;
			x->dest = hits[i].dest;
		}
		x = &g[j];
		x->count++;
		if (hits[i].risk_score > x->risk)
			x->risk = hits[i].risk_score;
		if ((t = hits[i].first_time) == NULL)
			continue;
		if (x->first == NULL || strcmp(t, x->first) < 0)
			x->first = t;
		if (x->last == NULL || strcmp(t, x->last) > 0)
			x->last = t;
	}
	*ngroups = ng;
	return (g);
}

/*
 * The verdict: hits, or no hits with how far that can be trusted.  A
 * case some of whose evidence was not read is never called clean.
 */
static void
report_html_verdict(struct report *r, size_t nhits, size_t nhosts,
    struct db_detection_info *d, size_t nd)
{
	struct db_evidence	*e;
	struct db_unread	*u;
	size_t			 n, nu, i, failed = 0, partial = 0;

	for (i = 0; i < nd; i++) {
		if (d[i].run.status != NULL &&
		    strcmp(d[i].run.status, "failed") == 0)
			failed++;
	}
	db_evidence_list(r->db, &e, &n);
	for (i = 0; i < n; i++) {
		if (report_evidence_incomplete(&e[i]))
			partial++;
	}
	db_evidence_free(e, n);
	if (db_evidence_unread(r->db, &u, &nu) == 0) {
		partial += nu;
		db_evidence_unread_free(u, nu);
	}
	report_html_puts(r, "<p class=\"verdict\" id=\"verdict\"><strong>");
	if (nhits > 0)
		fprintf(r->f, "<mark>%zu hit%s</mark> on %zu host%s",
		    nhits, nhits == 1 ? "" : "s", nhosts,
		    nhosts == 1 ? "" : "s");
	else if (nd == 0)
		report_html_puts(r, "No detection has run on this case");
	else if (failed > 0)
		report_html_puts(r, "Unknown: no hits, but a detection "
		    "could not run");
	else if (partial > 0)
		report_html_puts(r, "No hits in what was read, but not all "
		    "evidence was read");
	else
		report_html_puts(r, "No hits");
	report_html_puts(r, "</strong>");
	if (failed > 0 && nhits > 0)
		fprintf(r->f, "; %zu detection%s could not run", failed,
		    failed == 1 ? "" : "s");
	if (partial > 0)
		fprintf(r->f, "; %zu evidence file%s not read in full "
		    "(see <a href=\"#evidence\">Evidence</a>)", partial,
		    partial == 1 ? "" : "s");
	report_html_puts(r, ".</p>\n");
}

/* The scope: detections, events, hosts, time span and sources. */
static void
report_html_scope(struct report *r, struct db_host *h, size_t nh,
    struct db_detection_info *d, size_t nd)
{
	const char	*t0 = NULL, *t1 = NULL;
	int64_t		 events = 0;
	size_t		 i, nhosts = 0;
	int		 sources = 0;

	for (i = 0; i < nh; i++) {
		events += h[i].events;
		sources |= h[i].sources;
		if (!h[i].unknown)
			nhosts++;
		if (h[i].first != NULL && (t0 == NULL ||
		    strcmp(h[i].first, t0) < 0))
			t0 = h[i].first;
		if (h[i].last != NULL && (t1 == NULL ||
		    strcmp(h[i].last, t1) > 0))
			t1 = h[i].last;
	}
	report_html_puts(r, "<table class=\"scope\" id=\"scope\">\n");
	fprintf(r->f, "<tr><th>Scope</th><td>%zu detection%s ran over %lld "
	    "process event%s from %zu host%s</td></tr>\n", nd,
	    nd == 1 ? "" : "s", (long long)events, events == 1 ? "" : "s",
	    nhosts, nhosts == 1 ? "" : "s");
	report_html_puts(r, "<tr><th>Time span</th><td>");
	report_html_time(r, t0);
	report_html_puts(r, " to ");
	report_html_time(r, t1);
	report_html_puts(r, "</td></tr>\n");
	fprintf(r->f, "<tr><th>Sources</th><td>%s%s%s%s%s%s</td></tr>\n",
	    (sources & DB_HOST_SYSMON) ? "Sysmon" : "",
	    (sources & DB_HOST_SYSMON) &&
	    (sources & (DB_HOST_SECURITY|DB_HOST_FDR)) ? ", " : "",
	    (sources & DB_HOST_SECURITY) ? "Security auditing" : "",
	    (sources & DB_HOST_SECURITY) && (sources & DB_HOST_FDR) ?
	    ", " : "", (sources & DB_HOST_FDR) ? "CrowdStrike FDR" : "",
	    sources == 0 ? "none" : "");
	report_html_puts(r, "<tr><th>Detections</th><td>");
	for (i = 0; i < nd; i++) {
		if (i > 0)
			report_html_puts(r, "<br>");
		report_html_text(r, d[i].name);
		report_html_puts(r, ": ");
		if (d[i].run.status != NULL &&
		    strcmp(d[i].run.status, "failed") == 0)
			report_html_puts(r, "<strong>failed</strong>");
		else if (d[i].run.earliest_given == NULL &&
		    d[i].run.latest_given == NULL)
			report_html_puts(r, "all events");
		else {
			report_html_puts(r, "only events");
			report_html_bound(r, " from ", d[i].run.earliest,
			    d[i].run.earliest_given);
			report_html_bound(r, " before ", d[i].run.latest,
			    d[i].run.latest_given);
		}
	}
	if (nd == 0)
		report_html_puts(r, "none has run");
	report_html_puts(r, "</td></tr>\n");
	/* A threshold (-m) leaves hits out: say so beside the scope. */
	if (db_min_risk(r->db) > 0)
		fprintf(r->f, "<tr><th>Risk threshold</th><td>hits of risk "
		    "%d (%s) or more only; %d below it not shown</td></tr>\n",
		    db_min_risk(r->db), db_risk_level(db_min_risk(r->db)),
		    db_hits_below(r->db));
	report_html_puts(r, "</table>\n");
}

/* The hits by detection and host, with risk and first and last time. */
static void
report_html_findings(struct report *r, struct report_html_group *g,
    size_t ng)
{
	size_t	i;

	if (ng == 0)
		return;
	report_html_puts(r, "<table class=\"findings\" id=\"findings\">\n"
	    "<tr><th>Detection</th><th>Host</th><th>Hits</th><th>Risk</th>"
	    "<th>First</th><th>Last</th></tr>\n");
	for (i = 0; i < ng; i++) {
		report_html_puts(r, "<tr><td>");
		report_html_text(r, g[i].detection);
		report_html_puts(r, "</td><td>");
		report_html_text(r, g[i].dest != NULL ? g[i].dest : "unknown");
		fprintf(r->f, "</td><td class=\"n\">%zu</td>"
		    "<td class=\"n risk\">%d %s</td><td>", g[i].count,
		    g[i].risk, db_risk_level(g[i].risk));
		report_html_time(r, g[i].first);
		report_html_puts(r, "</td><td>");
		report_html_time(r, g[i].last);
		report_html_puts(r, "</td></tr>\n");
	}
	report_html_puts(r, "</table>\n");
}

/* The hosts and the scope of each (db-host.c), flags in words. */
static void
report_html_hosts(struct report *r, struct db_host *h, size_t nh)
{
	const char	*flag;
	char		 src[64];
	size_t		 i;

	if (nh == 0)
		return;
	report_html_puts(r, "<table class=\"hosts\" id=\"hosts\">\n<tr>"
	    "<th>Host</th><th>Sources</th><th>Process events</th>"
	    "<th>First</th><th>Last</th><th>Files</th><th>Problems</th>"
	    "<th>Note</th></tr>\n");
	for (i = 0; i < nh; i++) {
		db_host_sources(&h[i], src, sizeof src);
		report_html_puts(r, "<tr><td>");
		if (h[i].dest != NULL)
			report_html_text(r, h[i].dest);
		else if (!h[i].unknown)
			report_html_puts(r, "<span class=\"dim\">events with "
			    "no computer name</span>");
		else
			report_html_puts(r, "<span class=\"dim\">logs with "
			    "no process events (host not known)</span>");
		report_html_puts(r, "</td><td>");
		report_html_text(r, src);
		fprintf(r->f, "</td><td class=\"n\">%lld</td><td>",
		    (long long)h[i].events);
		report_html_time(r, h[i].first);
		report_html_puts(r, "</td><td>");
		report_html_time(r, h[i].last);
		fprintf(r->f, "</td><td class=\"n\">%lld</td>"
		    "<td class=\"n\">%lld</td><td>", (long long)h[i].files,
		    (long long)(h[i].problems + h[i].incomplete));
		if ((flag = db_host_flag_text(&h[i])) != NULL) {
			report_html_puts(r, "<strong>");
			report_html_text(r, flag);
			report_html_puts(r, "</strong>: the detections cannot "
			    "see process creations there");
		}
		report_html_puts(r, "</td></tr>\n");
	}
	report_html_puts(r, "</table>\n");
}

#define REPORT_HTML_SVG_W	760	/* timeline width, pixels */
#define REPORT_HTML_SVG_LABEL	220	/* of it, the host names */
#define REPORT_HTML_SVG_ROW	20	/* height of a host */
#define REPORT_HTML_SVG_NAME	32	/* bytes of a name shown */

/*
 * A host name in SVG text, where HTML's marked escapes cannot go: escaped
 * for a terminal first (no control, C1, bidi override or bad UTF-8 left),
 * cut to fit its column, then as HTML text.
 */
static void
report_html_svg_name(struct report *r, const char *name)
{
	struct buf	 b;
	size_t		 n;
	char		*s;

	memset(&b, 0, sizeof b);
	escape_term(&b, name);
	s = buf_take(&b);
	if ((n = strlen(s)) > REPORT_HTML_SVG_NAME) {
		n = REPORT_HTML_SVG_NAME;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		memcpy(s + n, "...", 4);
	}
	report_html_text(r, s);
	free(s);
}

/*
 * An inline SVG timeline: a bar a host from its first to its last event,
 * a red tick at each hit.  Plain SVG in the page: no script, nothing
 * fetched, and it prints.
 */
static void
report_html_svg(struct report *r, struct db_host *h, size_t nh,
    struct db_hit *hits, size_t n)
{
	int64_t		 t0 = 0, t1 = 0, a, b;
	const char	*ta = NULL, *tb = NULL;
	double		 scale;
	size_t		 i, j, rows = 0;
	int		 x0, x1, y;

	for (i = 0; i < nh; i++) {
		if (h[i].dest == NULL || h[i].first == NULL)
			continue;
		a = report_time_usec(h[i].first);
		b = report_time_usec(h[i].last);
		if (rows++ == 0 || a < t0) {
			t0 = a;
			ta = h[i].first;
		}
		if (b > t1 || tb == NULL) {
			t1 = b;
			tb = h[i].last;
		}
	}
	if (rows == 0)
		return;
	scale = (double)(REPORT_HTML_SVG_W - REPORT_HTML_SVG_LABEL - 10) /
	    (t1 > t0 ? (double)(t1 - t0) : 1.0);
	fprintf(r->f, "<figure id=\"timeline\">\n<svg xmlns=\"http://www.w3.org"
	    "/2000/svg\" width=\"%d\" height=\"%zu\" role=\"img\" "
	    "font-family=\"sans-serif\" font-size=\"12\">\n",
	    REPORT_HTML_SVG_W, rows * REPORT_HTML_SVG_ROW + 24);
	y = 0;
	for (i = 0; i < nh; i++) {
		if (h[i].dest == NULL || h[i].first == NULL)
			continue;
		x0 = REPORT_HTML_SVG_LABEL + (int)((report_time_usec(
		    h[i].first) - t0) * scale);
		x1 = REPORT_HTML_SVG_LABEL + (int)((report_time_usec(
		    h[i].last) - t0) * scale);
		fprintf(r->f, "<text x=\"0\" y=\"%d\">", y + 14);
		report_html_svg_name(r, h[i].dest);
		fprintf(r->f, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"10\" fill=\"#68a\"/>\n", x0 - 2, y + 5,
		    x1 - x0 + 4);
		for (j = 0; j < n; j++) {
			if (hits[j].filter_id > 0 || hits[j].dest == NULL ||
			    hits[j].first_time == NULL ||
			    strcmp(hits[j].dest, h[i].dest) != 0)
				continue;
			x0 = REPORT_HTML_SVG_LABEL + (int)((report_time_usec(
			    hits[j].first_time) - t0) * scale);
			fprintf(r->f, "<rect x=\"%d\" y=\"%d\" width=\"3\" "
			    "height=\"18\" fill=\"#c00\"/>\n", x0 - 1, y + 1);
		}
		y += REPORT_HTML_SVG_ROW;
	}
	/* The axis: its two ends, the case's first and last event. */
	fprintf(r->f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#333\"/>\n<text x=\"%d\" y=\"%d\">",
	    REPORT_HTML_SVG_LABEL, y + 4, REPORT_HTML_SVG_W - 10, y + 4,
	    REPORT_HTML_SVG_LABEL, y + 18);
	report_html_time(r, ta);
	fprintf(r->f, "</text><text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">", REPORT_HTML_SVG_W - 10, y + 18);
	report_html_time(r, tb);
	report_html_puts(r, "</text>\n</svg>\n<figcaption>Process events per "
	    "host (blue, first to last event) and hits (red)</figcaption>\n"
	    "</figure>\n");
}

/* The executive summary, before anything else in the report. */
static void
report_html_summary(struct report *r, struct db_hit *hits, size_t n,
    size_t nhits, struct db_detection_info *d, size_t nd)
{
	struct report_html_group	*g;
	struct db_host			*h;
	size_t				 ng, nh, i, j, nhosts = 0;

	db_host_list(r->db, &h, &nh);
	g = report_html_groups(hits, n, &ng);
	/* Hosts with a hit: groups of one detection may share a host. */
	for (i = 0; i < ng; i++) {
		for (j = 0; j < i; j++) {
			if ((g[j].dest == NULL && g[i].dest == NULL) ||
			    (g[j].dest != NULL && g[i].dest != NULL &&
			    strcmp(g[j].dest, g[i].dest) == 0))
				break;
		}
		if (j == i)
			nhosts++;
	}
	report_html_puts(r, "<section id=\"executive\">\n<h2>Summary</h2>\n");
	report_html_verdict(r, nhits, nhosts, d, nd);
	report_html_scope(r, h, nh, d, nd);
	report_html_findings(r, g, ng);
	report_html_svg(r, h, nh, hits, n);
	report_html_puts(r, "<h3>Hosts</h3>\n");
	report_html_hosts(r, h, nh);
	if (nh == 0)
		report_html_puts(r, "<p>No hosts: nothing was read.</p>\n");
	report_html_puts(r, "</section>\n");
	free(g);
	db_host_free(h, nh);
}

int
report_html_write(struct report *r)
{
	struct db_hit			*hits;
	struct db_detection_info	*d;
	size_t				 n, nd, i, nhits = 0;

	db_detect_hits(r->db, NULL, 1, &hits, &n);
	db_detection_list(r->db, &d, &nd);
	for (i = 0; i < n; i++) {
		if (hits[i].filter_id == 0)
			nhits++;
	}
	report_html_head(r);
	report_html_puts(r, "<main>\n");
	report_html_summary(r, hits, n, nhits, d, nd);

	fprintf(r->f, "<section id=\"hits\">\n<h2>Hits (%zu)</h2>\n", nhits);
	report_html_runs(r, d, nd);
	if (nhits == 0)
		report_html_puts(r, "<p>No hits.</p>\n");
	report_html_hits(r, hits, n, d, nd, 0);
	report_html_puts(r, "</section>\n");

	fprintf(r->f, "<section id=\"filtered\">\n<h2>Filtered hits (%zu)"
	    "</h2>\n<p>Hits that a false-positive filter suppressed, with "
	    "the filter and its reason.</p>\n", n - nhits);
	report_html_hits(r, hits, n, d, nd, 1);
	report_html_puts(r, "</section>\n");
	/* Last: a big case has hundreds of files, most without a hit. */
	report_html_evidence(r);
	report_html_puts(r, "</main>\n");

	report_html_puts(r, "<footer><p class=\"dim\">Made by ");
	report_html_text(r, PACKAGE_STRING);
	report_html_puts(r, ". Every value above comes from the evidence "
	    "and is shown as text; control characters and bytes that are "
	    "not UTF-8 are shown as <span class=\"c\">\\xNN</span>.</p>"
	    "</footer>\n</body>\n</html>\n");
	db_detection_list_free(d, nd);
	db_detect_hits_free(hits, n);
	return (ferror(r->f) ? -1 : 0);
}
