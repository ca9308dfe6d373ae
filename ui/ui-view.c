/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The browser's views as lines: the hits, a hit's process tree, the
 * details of a process, a host's timeline and the evidence.  Which hit
 * and which process are selected is kept here too, with the two things
 * the browser writes: a false-positive filter and a hit's export.  No
 * curses here: tests and evtriage tree use it as it is.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtriage.h"
#include "ui/ui.h"

#define UI_VIEW_TIMELINE_MAX	5000	/* events a timeline shows */
#define UI_VIEW_PROBLEMS	20	/* problems shown per evidence file */

const char *ui_view_names[UI_NVIEWS] = {
	"Hits", "Tree", "Details", "Timeline", "Evidence", "Help"
};

struct ui *
ui_view_create(struct db *db, int show_filtered)
{
	struct ui	*ui;

	ui = xcalloc(1, sizeof *ui);
	ui->db = db;
	ui->tree = ui_tree_create(db);
	ui->order = DB_QUERY_NEWEST;
	ui->show_filtered = show_filtered;
	ui->window = 300;
	ui->width = 80;
	ui->height = 24;
	ui->view = UI_HITS;
	ui_view_build(ui, UI_HITS);
	ui_view_select(ui);
	return (ui);
}

void
ui_view_free(struct ui *ui)
{
	int	i;

	if (ui == NULL)
		return;
	for (i = 0; i < UI_NVIEWS; i++)
		ui_list_clear(&ui->lists[i]);
	ui_tree_free(ui->tree);
	db_query_hits_free(ui->hits, ui->nhits);
	free(ui->search);
	free(ui->timeline);
	free(ui->status);
	free(ui->input);
	ui_view_fp_end(ui);
	free(ui);
}

struct ui_list *
ui_view_list(struct ui *ui)
{
	if (ui->view == UI_TREE)
		return (&ui->tree->list);
	return (&ui->lists[ui->view]);
}

void
ui_view_status(struct ui *ui, const char *fmt, ...)
{
	va_list	ap;

	free(ui->status);
	ui->status = NULL;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&ui->status, fmt, ap);
	va_end(ap);
}

/*
 * Move an ISO UTC time by secs seconds into out, to the second:
 * "2024-03-05T10:05:11".  -1 if the time cannot be read.
 */
int
ui_view_shift(const char *iso, int secs, char *out, size_t len)
{
	struct tm	tm;
	time_t		t;

	memset(&tm, 0, sizeof tm);
	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec) != 6)
		return (-1);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) + secs;
	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
	return (0);
}

static struct db_query_hit *
ui_view_hit(struct ui *ui, int64_t id)
{
	size_t	i;

	for (i = 0; i < ui->nhits; i++) {
		if (ui->hits[i].id == id)
			return (&ui->hits[i]);
	}
	return (NULL);
}

static void
ui_view_build_hits(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_HITS];
	struct db_query_hit	*h;
	struct buf		 b = { 0 };
	char			*s, *line;
	size_t			 i;
	int			 wide = ui->width >= 110;

	db_query_hits_free(ui->hits, ui->nhits);
	db_query_hits(ui->db, ui->order, ui->show_filtered, &ui->hits,
	    &ui->nhits);
	ui_list_clear(l);
	for (i = 0; i < ui->nhits; i++) {
		h = &ui->hits[i];
		/* The hit's number (tree -H takes it), then its risk. */
		buf_printf(&b, "%c#%-3lld %3d ", h->filter_id != 0 ? 'F' : ' ',
		    (long long)h->id, h->risk_score);
		s = ui_list_time(h->time, UI_TIME_SHORT);
		buf_printf(&b, "%s ", s);
		free(s);
		s = ui_list_escape(h->dest);
		ui_list_fit(&b, s, 12);
		free(s);
		buf_append(&b, " ", 1);
		s = ui_list_escape(h->user);
		ui_list_fit(&b, s, 14);
		free(s);
		buf_append(&b, " ", 1);
		if (wide) {
			s = ui_list_escape(h->detection);
			ui_list_fit(&b, s, 32);
			free(s);
			buf_append(&b, " ", 1);
		}
		s = ui_list_escape(h->process);
		buf_append_str(&b, s);
		free(s);
		line = buf_take(&b);
		ui_list_add(l, h->filter_id != 0 ? UI_ATTR_FILTERED :
		    UI_ATTR_NORMAL, h->id, line);
		free(line);
	}
	ui_list_restore(l);
}

/* Build the tree for a hit (its rows marked) or for a process row. */
int
ui_view_tree_for(struct ui *ui, int64_t hit, int64_t row)
{
	int64_t	*rows = NULL;
	size_t	 nrows = 0;
	int	 rc;

	if (hit != 0) {
		db_query_hit_rows(ui->db, hit, &rows, &nrows);
		if (row == 0 && nrows > 0)
			row = rows[0];
	}
	if (row == 0) {
		free(rows);
		return (-1);
	}
	ui->tree->list.tag = 0;		/* select the focus */
	rc = ui_tree_build(ui->tree, row, rows, nrows);
	free(rows);
	if (rc == 0) {
		ui->tree_hit = hit;
		ui->tree_row = row;
	}
	return (rc);
}

static void
ui_view_pair(struct ui_list *l, enum ui_attr attr, int64_t tag,
    const char *name, const char *value, int width)
{
	char	label[64];

	snprintf(label, sizeof label, "  %-26s ", name);
	ui_list_add_wrapped(l, attr, tag, label, value != NULL ? value :
	    "(null)", width);
}

static void
ui_view_detection(struct ui *ui, struct ui_list *l, const char *name)
{
	struct db_query_pairs	 p;
	size_t			 i;
	char			*s, *sql, *line, *next;
	int			 body = 0;

	s = ui_list_escape(name);
	ui_list_addf(l, UI_ATTR_HEADING, 0, "Detection %s", s);
	free(s);
	if (db_query_detection(ui->db, name, &p) != 0) {
		ui_list_add(l, UI_ATTR_DIM, 0, "  (not in the case)");
		return;
	}
	for (i = 0; i < p.n; i++) {
		if (strcmp(p.names[i], "sql") != 0)
			ui_view_pair(l, UI_ATTR_NORMAL, 0, p.names[i],
			    p.values[i], ui->width);
	}
	/* The query itself, without its header of comments. */
	ui_list_add(l, UI_ATTR_HEADING, 0, "  Matched by this SQL");
	sql = xstrdup(db_query_pairs_get(&p, "sql") != NULL ?
	    db_query_pairs_get(&p, "sql") : "");
	for (line = sql; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (!body && (strncmp(line, "--", 2) == 0 || *line == '\0'))
			continue;
		body = 1;
		s = ui_list_escape(line);
		ui_list_addf(l, UI_ATTR_NORMAL, 0, "    %s", s);
		free(s);
	}
	free(sql);
	db_query_pairs_clear(&p);
}

static void
ui_view_build_details(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_DETAILS];
	struct db_proc		 p;
	struct db_query_hit	 h;
	struct db_query_pairs	 out;
	char			**names, **values, *s;
	size_t			 n, i;
	int			 w = ui->width;

	ui_list_clear(l);
	if (ui->proc != 0 && db_tree_get(ui->db, ui->proc, &p) == 0) {
		s = ui_list_escape(p.process_name);
		ui_list_addf(l, UI_ATTR_HEADING, 0, "Process %s (%lld), row "
		    "%lld", s, (long long)p.process_id, (long long)p.id);
		free(s);
		s = ui_list_time(p.time, UI_TIME_EXACT);
		ui_view_pair(l, UI_ATTR_NORMAL, 0, "started", s, w);
		free(s);
		s = p.end_time != NULL ? ui_list_time(p.end_time,
		    UI_TIME_EXACT) : xstrdup("not in the logs");
		ui_view_pair(l, UI_ATTR_NORMAL, 0, "ended", s, w);
		free(s);
		ui_list_add(l, UI_ATTR_HEADING, 0, "Command line");
		ui_list_add_wrapped(l, UI_ATTR_NORMAL, 0, "  ", p.process, w);
		ui_list_add(l, UI_ATTR_HEADING, 0, "Evidence");
		ui_view_pair(l, UI_ATTR_NORMAL, 0, "file", p.evidence_path, w);
		if (p.evidence_chain != NULL &&
		    strcmp(p.evidence_chain, p.evidence_path) != 0)
			ui_view_pair(l, UI_ATTR_NORMAL, 0, "from",
			    p.evidence_chain, w);
		s = NULL;
		xasprintf(&s, "%lld%s", (long long)p.record_id,
		    p.recovered ? " (recovered)" : "");
		ui_view_pair(l, UI_ATTR_NORMAL, 0, "record id", s, w);
		free(s);
		ui_view_pair(l, UI_ATTR_NORMAL, 0, "sha256",
		    p.evidence_sha256, w);
		ui_list_add(l, UI_ATTR_HEADING, 0, "Fields");
		if (db_tree_fields(ui->db, p.id, &names, &values, &n) == 0) {
			for (i = 0; i < n; i++) {
				ui_view_pair(l, UI_ATTR_NORMAL, 0, names[i],
				    values[i], w);
				free(names[i]);
				free(values[i]);
			}
			free(names);
			free(values);
		}
		db_tree_clear(&p);
	} else
		ui_list_add(l, UI_ATTR_DIM, 0, "No process selected.");
	if (ui->hit == 0 || db_query_hit(ui->db, ui->hit, &h) != 0)
		goto out;
	s = ui_list_escape(h.detection);
	ui_list_addf(l, UI_ATTR_HEADING, 0, "Hit %lld of %s",
	    (long long)h.id, s);
	free(s);
	xasprintf(&s, "%d", h.risk_score);
	ui_view_pair(l, UI_ATTR_NORMAL, 0, "risk score", s, w);
	free(s);
	ui_view_pair(l, UI_ATTR_NORMAL, 0, "risk message", h.risk_message,
	    w);
	ui_view_pair(l, UI_ATTR_NORMAL, 0, "mitre", h.mitre, w);
	if (h.filter_id != 0) {
		xasprintf(&s, "filter %lld: %s", (long long)h.filter_id,
		    h.filter_reason != NULL ? h.filter_reason : "");
		ui_view_pair(l, UI_ATTR_FILTERED, 0, "filtered", s, w);
		free(s);
	}
	ui_list_add(l, UI_ATTR_HEADING, 0, "  Why it matched: its output");
	if (db_query_hit_output(ui->db, h.id, &out) == 0) {
		for (i = 0; i < out.n; i++)
			ui_view_pair(l, UI_ATTR_NORMAL, 0, out.names[i],
			    out.values[i], w);
		db_query_pairs_clear(&out);
	}
	ui_view_detection(ui, l, h.detection);
	db_query_hit_clear(&h);
out:
	ui_list_set(l, 0);
	l->off = 0;
}

static void
ui_view_build_timeline(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_TIMELINE];
	struct db_query_event	*ev, *e;
	struct db_proc		 p;
	struct buf		 b = { 0 };
	char			 from[32], to[32], *s, *line, *start;
	char			 day[11] = "";
	size_t			 n, i;
	int			 more;
	enum ui_attr		 attr;

	ui_list_clear(l);
	if (ui->centre == 0 || db_tree_get(ui->db, ui->centre, &p) != 0) {
		ui_list_add(l, UI_ATTR_DIM, 0, "No process selected.");
		return;
	}
	if (ui_view_shift(p.time, -ui->window, from, sizeof from) != 0 ||
	    ui_view_shift(p.time, ui->window, to, sizeof to) != 0) {
		ui_list_add(l, UI_ATTR_WARN, 0, "The process has no time.");
		db_tree_clear(&p);
		return;
	}
	/* "~" sorts after any fraction: all of the last second. */
	snprintf(to + strlen(to), sizeof to - strlen(to), "~");
	db_query_timeline(ui->db, p.dest, from, to, UI_VIEW_TIMELINE_MAX,
	    &ev, &n, &more);
	free(ui->timeline);
	s = ui_list_escape(p.dest != NULL ? p.dest : "unknown host");
	start = ui_list_time(p.time, 1);
	if (ui->window >= 60)
		xasprintf(&ui->timeline, "Timeline of %s, %s %d min either "
		    "side (< >)", s, start, ui->window / 60);
	else
		xasprintf(&ui->timeline, "Timeline of %s, %s %d s either "
		    "side (< >)", s, start, ui->window);
	free(start);
	free(s);
	for (i = 0; i < n; i++) {
		e = &ev[i];
		/* Days and clock in the browser's zone. */
		s = ui_list_time(e->time, UI_TIME_DAY);
		if (e->time != NULL && strcmp(day, s) != 0) {
			snprintf(day, sizeof day, "%s", s);
			ui_list_addf(l, UI_ATTR_HEADING, 0, "%s", day);
		}
		free(s);
		s = ui_list_time(e->time, UI_TIME_MILLI);
		buf_printf(&b, "  %-12s ", s);
		free(s);
		if (e->process_id >= 0)
			buf_printf(&b, "%6lld ", (long long)e->process_id);
		else
			buf_printf(&b, "%6s ", "?");
		s = ui_list_escape(e->process_name != NULL ?
		    e->process_name : e->process_path);
		ui_list_fit(&b, s, 16);
		free(s);
		if (e->end)
			buf_append_str(&b, " ended");
		else {
			s = ui_list_escape(e->process);
			buf_printf(&b, " %s", s);
			free(s);
		}
		attr = e->end ? UI_ATTR_DIM : UI_ATTR_NORMAL;
		if (!e->end && e->id == ui->centre)
			attr = UI_ATTR_HIT;
		line = buf_take(&b);
		ui_list_add(l, attr, e->end ? -e->id : e->id, line);
		free(line);
	}
	if (more)
		ui_list_addf(l, UI_ATTR_WARN, 0, "(only the first %d events; "
		    "< narrows the window)", UI_VIEW_TIMELINE_MAX);
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No events.");
	db_query_timeline_free(ev, n);
	db_tree_clear(&p);
	l->tag = ui->centre;
	ui_list_restore(l);
}

static void
ui_view_build_evidence(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_EVIDENCE];
	struct db_evidence	*e;
	struct db_query_problem	*p;
	size_t			 n, i, np, j;
	int64_t			 total;
	char			*s;

	ui_list_clear(l);
	db_load_evidence(ui->db, &e, &n);
	for (i = 0; i < n; i++) {
		s = ui_list_escape(e[i].path);
		ui_list_add(l, UI_ATTR_HEADING, e[i].id, s);
		free(s);
		/* Inside a container (more than one link): the chain. */
		if (e[i].chain != NULL && strcmp(e[i].chain, e[i].path) != 0)
			ui_list_add_wrapped(l, UI_ATTR_NORMAL, e[i].id,
			    "  from ", e[i].chain, ui->width);
		if (e[i].provenance != NULL &&
		    strstr(e[i].provenance, "},{") != NULL)
			ui_list_add_wrapped(l, UI_ATTR_NORMAL, e[i].id,
			    "  provenance ", e[i].provenance, ui->width);
		ui_list_addf(l, UI_ATTR_NORMAL, e[i].id, "  sha256 %s",
		    e[i].sha256);
		s = ui_list_time(e[i].mtime, UI_TIME_EXACT);
		ui_list_addf(l, UI_ATTR_NORMAL, e[i].id, "  %lld bytes, "
		    "modified %s, format %s%s%s, status %s",
		    (long long)e[i].size, s,
		    e[i].format_version != NULL ? e[i].format_version : "?",
		    e[i].dirty ? ", dirty" : "",
		    e[i].corrupted ? ", corrupted" : "", e[i].status);
		free(s);
		ui_list_addf(l, e[i].unreadable > 0 ? UI_ATTR_WARN :
		    UI_ATTR_NORMAL, e[i].id, "  records %lld, recovered %lld, "
		    "unreadable %lld; process events %lld, terminations %lld",
		    (long long)e[i].records, (long long)e[i].recovered,
		    (long long)e[i].unreadable, (long long)e[i].process_events,
		    (long long)e[i].end_events);
		if (e[i].message != NULL)
			ui_list_add_wrapped(l, UI_ATTR_WARN, e[i].id, "  ",
			    e[i].message, ui->width);
		db_query_problems(ui->db, e[i].id, UI_VIEW_PROBLEMS, &p, &np,
		    &total);
		for (j = 0; j < np; j++) {
			if (p[j].record_index >= 0)
				xasprintf(&s, "  %s, record %lld%s: ",
				    p[j].kind, (long long)p[j].record_index,
				    p[j].recovered ? " (recovered)" : "");
			else
				xasprintf(&s, "  %s: ", p[j].kind);
			ui_list_add_wrapped(l, UI_ATTR_WARN, e[i].id, s,
			    p[j].reason, ui->width);
			free(s);
		}
		if (total > (int64_t)np)
			ui_list_addf(l, UI_ATTR_WARN, e[i].id, "  and %lld more "
			    "problems", (long long)(total - (int64_t)np));
		db_query_problems_free(p, np);
	}
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No evidence in the case.");
	db_load_evidence_free(e, n);
	ui_list_restore(l);
}

/* Rebuild a view's lines from the case. */
void
ui_view_build(struct ui *ui, enum ui_view v)
{
	switch (v) {
	case UI_HITS:
		ui_view_build_hits(ui);
		break;
	case UI_TREE:
		if (ui->tree_hit != ui->hit || ui->tree_row == 0 ||
		    ui->tree->root == NULL) {
			if (ui_view_tree_for(ui, ui->hit, ui->hit != 0 ? 0 :
			    ui->proc) != 0)
				ui_tree_build(ui->tree, 0, NULL, 0);
		} else
			ui_tree_flatten(ui->tree);
		break;
	case UI_DETAILS:
		ui_view_build_details(ui);
		break;
	case UI_TIMELINE:
		if (ui->centre == 0)
			ui->centre = ui->proc;
		ui_view_build_timeline(ui);
		break;
	case UI_EVIDENCE:
		ui_view_build_evidence(ui);
		break;
	case UI_HELP:
	case UI_NVIEWS:
		break;
	}
}

/* Follow the current line: which hit and which process are selected. */
void
ui_view_select(struct ui *ui)
{
	struct ui_list		*l = ui_view_list(ui);
	struct ui_tree_node	*n;
	struct db_query_hit	*h;

	if (l->n == 0)
		return;
	switch (ui->view) {
	case UI_HITS:
		if ((h = ui_view_hit(ui, l->lines[l->cur].tag)) != NULL) {
			ui->hit = h->id;
			ui->proc = h->row;
		}
		break;
	case UI_TREE:
		if ((n = ui_tree_current(ui->tree)) != NULL &&
		    !n->placeholder)
			ui->proc = n->proc.id;
		break;
	case UI_TIMELINE:
		if (l->lines[l->cur].tag > 0)
			ui->proc = l->lines[l->cur].tag;
		break;
	default:
		break;
	}
}

/* Go to view v, remembering where we were for q. */
void
ui_view_open(struct ui *ui, enum ui_view v)
{
	if (v == ui->view)
		return;
	if (ui->nback == (int)(sizeof ui->back / sizeof ui->back[0])) {
		memmove(ui->back, ui->back + 1,
		    (ui->nback - 1) * sizeof *ui->back);
		ui->nback--;
	}
	ui->back[ui->nback++] = ui->view;
	ui->view = v;
	if (v == UI_TIMELINE)
		ui->centre = ui->proc;
	ui_view_build(ui, v);
}

/* Return to the view before; 0 if there was none (q then quits). */
int
ui_view_back(struct ui *ui)
{
	if (ui->nback == 0)
		return (0);
	ui->view = ui->back[--ui->nback];
	ui_view_build(ui, ui->view);
	return (1);
}

/* The line under the tab bar: what the view shows. */
char *
ui_view_header(struct ui *ui)
{
	struct ui_tree_node	*n;
	struct db_query_hit	*h;
	size_t			 filtered = 0, i;
	char			*s = NULL, *e;

	switch (ui->view) {
	case UI_HITS:
		for (i = 0; i < ui->nhits; i++) {
			if (ui->hits[i].filter_id != 0)
				filtered++;
		}
		if (ui->show_filtered)
			xasprintf(&s, "%zu hits, %s first, %zu filtered shown "
			    "(F hides)", ui->nhits - filtered, ui->order ==
			    DB_QUERY_RISKIEST ? "riskiest" : "newest",
			    filtered);
		else
			xasprintf(&s, "%zu hits, %s first, filtered hidden "
			    "(F shows)", ui->nhits, ui->order ==
			    DB_QUERY_RISKIEST ? "riskiest" : "newest");
		break;
	case UI_TREE:
		h = ui_view_hit(ui, ui->tree_hit);
		n = ui->tree->root != NULL ? ui_tree_current(ui->tree) : NULL;
		if (h != NULL) {
			e = ui_list_escape(h->detection);
			xasprintf(&s, "Tree of hit %lld of %s",
			    (long long)h->id, e);
			free(e);
		} else if (n != NULL)
			xasprintf(&s, "Tree of process row %lld",
			    (long long)ui->tree->focus);
		else
			s = xstrdup("No process selected");
		break;
	case UI_DETAILS:
		s = xstrdup("Details");
		break;
	case UI_TIMELINE:
		s = xstrdup(ui->timeline != NULL ? ui->timeline : "Timeline");
		break;
	case UI_EVIDENCE:
		s = xstrdup("Evidence files, coverage and problems");
		break;
	default:
		s = xstrdup("Keys");
		break;
	}
	return (s);
}

/*
 * Is a field one a false-positive filter should not hold by default:
 * a process id, a count or a time, which differ from one run of the
 * same benign thing to the next?
 */
static int
ui_view_fp_volatile(const char *name)
{
	size_t	len = strlen(name);

	if (strcasestr(name, "time") != NULL || strcmp(name, "count") == 0 ||
	    strcasestr(name, "pid") != NULL)
		return (1);
	return (len >= 3 && strcmp(name + len - 3, "_id") == 0);
}

/* Fill the checklist's lines from the fields and what is checked. */
static void
ui_view_fp_lines(struct ui *ui)
{
	struct ui_list	*l = &ui->fplist;
	size_t		 i, cur = l->cur;
	char		*v;

	ui_list_clear(l);
	ui_list_add(l, UI_ATTR_HEADING, -1, "Filter on which fields? "
	    "Space checks, Enter asks the reason, Escape cancels");
	for (i = 0; i < ui->fp.n; i++) {
		v = ui_list_escape(ui->fp.values[i] != NULL ?
		    ui->fp.values[i] : "unknown");
		ui_list_addf(l, UI_ATTR_NORMAL, (int64_t)i, "[%c] %-20s %s",
		    ui->fpon[i] ? 'x' : ' ', ui->fp.names[i], v);
		free(v);
	}
	ui_list_set(l, cur >= 1 && cur < l->n ? cur : (l->n > 1 ? 1 : 0));
}

/*
 * Start marking the selected hit a false positive: the checklist of its
 * output fields, checked where the detection names them notable and for
 * the process and its parent, never pids, counts or times.
 */
int
ui_view_fp_begin(struct ui *ui, char **cause)
{
	struct db_query_hit	 h;
	struct db_query_pairs	 det;
	const char		*notable = NULL, *n, *p;
	size_t			 i, len;
	static const char	*always[] = { "process", "parent_process",
	    "parent_process_name", "parent_process_path", NULL };
	int			 k;

	ui_view_fp_end(ui);
	if (db_query_hit(ui->db, ui->hit, &h) != 0) {
		xasprintf(cause, "no hit %lld", (long long)ui->hit);
		return (-1);
	}
	db_query_hit_match(ui->db, h.id, &ui->fp);
	memset(&det, 0, sizeof det);
	if (db_query_detection(ui->db, h.detection, &det) == 0)
		notable = db_query_pairs_get(&det, "notable_fields");
	ui->fpon = xcalloc(ui->fp.n + 1, sizeof *ui->fpon);
	for (i = 0; i < ui->fp.n; i++) {
		n = ui->fp.names[i];
		if (ui_view_fp_volatile(n))
			continue;
		for (k = 0; always[k] != NULL; k++) {
			if (strcmp(always[k], n) == 0)
				ui->fpon[i] = 1;
		}
		/* notable_fields is "user, dest": a list of names. */
		len = strlen(n);
		for (p = notable; p != NULL && *p != '\0'; p++) {
			if (strncmp(p, n, len) == 0 && (p == notable ||
			    p[-1] == ' ' || p[-1] == ',') && (p[len] == '\0' ||
			    p[len] == ',' || p[len] == ' '))
				ui->fpon[i] = 1;
		}
	}
	db_query_pairs_clear(&det);
	db_query_hit_clear(&h);
	ui->fplist.cur = 1;
	ui_view_fp_lines(ui);
	ui->prompt = UI_PROMPT_FIELDS;
	return (0);
}

/* Check or uncheck the field under the cursor. */
void
ui_view_fp_toggle(struct ui *ui)
{
	struct ui_list	*l = &ui->fplist;
	int64_t		 i;

	if (l->n == 0 || (i = l->lines[l->cur].tag) < 0 ||
	    (size_t)i >= ui->fp.n)
		return;
	ui->fpon[i] = !ui->fpon[i];
	ui_view_fp_lines(ui);
}

void
ui_view_fp_end(struct ui *ui)
{
	db_query_pairs_clear(&ui->fp);
	free(ui->fpon);
	ui->fpon = NULL;
	ui_list_clear(&ui->fplist);
}

/*
 * Add a filter on the checked fields of the selected hit, their values
 * as the case matches them (times in UTC, text unescaped), and update
 * the stored hits it suppresses.  A '*' in a value is a wildcard there,
 * which matches the value itself and more.
 */
int
ui_view_false_positive(struct ui *ui, const char *reason, char **cause)
{
	struct db_query_hit	 h;
	struct db_filter	 f;
	size_t			 i, changed;
	int64_t			 id;
	int			 rc = -1;

	if (ui->hit == 0) {
		*cause = xstrdup("no hit selected");
		return (-1);
	}
	if (ui->readonly) {
		*cause = xstrdup("the case is read-only");
		return (-1);
	}
	if (db_query_hit(ui->db, ui->hit, &h) != 0) {
		xasprintf(cause, "no hit %lld", (long long)ui->hit);
		return (-1);
	}
	if (h.filter_id != 0) {
		xasprintf(cause, "hit %lld is already filtered",
		    (long long)h.id);
		db_query_hit_clear(&h);
		return (-1);
	}
	if (ui->fpon == NULL)
		ui_view_fp_begin(ui, cause);
	ui->prompt = UI_PROMPT_NONE;
	memset(&f, 0, sizeof f);
	f.detection = h.detection;
	f.reason = (char *)reason;
	f.added_by = db_filter_user();
	f.conds = xcalloc(ui->fp.n + 1, sizeof *f.conds);
	for (i = 0; i < ui->fp.n; i++) {
		if (!ui->fpon[i])
			continue;
		f.conds[f.nconds].field = ui->fp.names[i];
		f.conds[f.nconds].pattern = ui->fp.values[i] != NULL ?
		    ui->fp.values[i] : (char *)"unknown";
		f.nconds++;
	}
	if (f.nconds == 0)
		*cause = xstrdup("not marked: no field was checked");
	else if (db_filter_add(ui->db, &f, &id, cause) == 0 &&
	    db_filter_apply(ui->db, h.detection, &changed, cause) == 0) {
		ui_view_status(ui, "hit %lld marked false positive: filter %lld "
		    "on %zu field%s, %zu hit%s filtered", (long long)h.id,
		    (long long)id,
		    f.nconds, f.nconds == 1 ? "" : "s", changed,
		    changed == 1 ? "" : "s");
		rc = 0;
	}
	free(f.conds);
	free(f.added_by);
	ui_view_fp_end(ui);
	db_query_hit_clear(&h);
	if (rc == 0)
		ui_view_build(ui, UI_HITS);
	return (rc);
}

/* Remove the filter of the selected hit; its hits are shown again. */
int
ui_view_unfilter(struct ui *ui, char **cause)
{
	size_t	changed;

	if (db_filter_rm(ui->db, ui->fpfilter, cause) != 0 ||
	    db_filter_apply(ui->db, NULL, &changed, cause) != 0)
		return (-1);
	ui_view_status(ui, "filter %lld removed: %zu hit%s no longer "
	    "filtered by it", (long long)ui->fpfilter, changed,
	    changed == 1 ? "" : "s");
	ui->fpfilter = 0;
	ui_view_build(ui, UI_HITS);
	return (0);
}

/*
 * Print a hit (its detection, output and the tree of its first process)
 * or, with hit 0, the tree of a process row.  This is evtriage tree's
 * output and the browser's export.
 */
int
ui_view_tree_text(struct db *db, int64_t hit, int64_t row, FILE *f,
    char **cause)
{
	struct db_query_hit	 h;
	struct db_query_pairs	 out, det;
	struct ui_tree		*t;
	int64_t			*rows = NULL;
	size_t			 nrows = 0, i;
	const char		*title = NULL;
	char			*s;

	if (hit != 0) {
		if (db_query_hit(db, hit, &h) != 0) {
			xasprintf(cause, "no hit %lld", (long long)hit);
			return (-1);
		}
		if (db_query_detection(db, h.detection, &det) == 0)
			title = db_query_pairs_get(&det, "title");
		fprintf(f, "hit %lld of ", (long long)h.id);
		escape_print(f, h.detection);
		if (title != NULL) {
			fprintf(f, ": ");
			escape_print(f, title);
		}
		fprintf(f, "\nrisk %d, ", h.risk_score);
		escape_print(f, h.mitre != NULL ? h.mitre : "no ATT&CK id");
		s = ui_list_time(h.time, UI_TIME_EXACT);
		fprintf(f, ", first seen %s\n", s);
		free(s);
		if (h.risk_message != NULL) {
			escape_print(f, h.risk_message);
			fputc('\n', f);
		}
		if (h.filter_id != 0) {
			fprintf(f, "filtered by filter %lld: ",
			    (long long)h.filter_id);
			escape_print(f, h.filter_reason);
			fputc('\n', f);
		}
		if (db_query_hit_output(db, hit, &out) == 0) {
			for (i = 0; i < out.n; i++) {
				fprintf(f, "    %-20s ", out.names[i]);
				escape_print(f, out.values[i] != NULL ?
				    out.values[i] : "null");
				fputc('\n', f);
			}
			db_query_pairs_clear(&out);
		}
		fputc('\n', f);
		if (title != NULL)
			db_query_pairs_clear(&det);
		db_query_hit_rows(db, hit, &rows, &nrows);
		row = nrows > 0 ? rows[0] : 0;
		db_query_hit_clear(&h);
	}
	t = ui_tree_create(db);
	if (ui_tree_build(t, row, rows, nrows) != 0) {
		if (hit != 0)
			xasprintf(cause, "hit %lld has no process row",
			    (long long)hit);
		else
			xasprintf(cause, "no process row %lld",
			    (long long)row);
		ui_tree_free(t);
		free(rows);
		return (-1);
	}
	ui_tree_print(t, f);
	ui_tree_free(t);
	free(rows);
	return (0);
}

/* Write the selected hit and its tree to evtriage-hit-NAME-SEQ.txt. */
int
ui_view_export(struct ui *ui, char **path, char **cause)
{
	struct db_query_hit	 h;
	FILE			*f;
	char			*p;
	int			 rc;

	*path = NULL;
	if (ui->hit == 0 || db_query_hit(ui->db, ui->hit, &h) != 0) {
		*cause = xstrdup("no hit selected");
		return (-1);
	}
	/* The name comes from a detection file: keep it a plain name. */
	for (p = h.detection; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", *p) == NULL || (*p == '.' &&
		    p == h.detection))
			*p = '_';
	}
	xasprintf(path, "evtriage-hit-%s-%lld.txt", h.detection,
	    (long long)h.id);
	db_query_hit_clear(&h);
	if ((f = fopen(*path, "w")) == NULL) {
		xasprintf(cause, "cannot write '%s': %s", *path,
		    strerror(errno));
		return (-1);
	}
	rc = ui_view_tree_text(ui->db, ui->hit, 0, f, cause);
	if (fclose(f) != 0 && rc == 0) {
		xasprintf(cause, "cannot write '%s': %s", *path,
		    strerror(errno));
		rc = -1;
	}
	return (rc);
}
