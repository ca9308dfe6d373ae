/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The timeline view: every process a host started or ended within a
 * window either side of the selected process, by day.  < and > narrow
 * and widen the window; Enter opens an event's tree.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

#define UI_TIMELINE_MAX	5000	/* events a timeline shows */

void
ui_timeline_build(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_TIMELINE];
	struct db_proc	*ev, *e;
	struct db_proc		 p;
	struct buf		 b = { 0 };
	char			 from[32], to[32], *s, *line, *start;
	char			 day[11] = "";
	size_t			 n, i;
	int			 more;
	enum ui_attr		 attr;

	if (ui->centre == 0)
		ui->centre = ui->proc;
	ui_list_clear(l);
	if (ui->centre == 0 || db_process_get(ui->db, ui->centre, &p) != 0) {
		ui_list_add(l, UI_ATTR_DIM, 0, "No process selected.");
		return;
	}
	if (ui_list_shift(p.time, -ui->window, from, sizeof from) != 0 ||
	    ui_list_shift(p.time, ui->window, to, sizeof to) != 0) {
		ui_list_add(l, UI_ATTR_WARN, 0, "The process has no time.");
		db_process_clear(&p);
		return;
	}
	/* "~" sorts after any fraction: all of the last second. */
	snprintf(to + strlen(to), sizeof to - strlen(to), "~");
	db_process_timeline(ui->db, p.dest, from, to, UI_TIMELINE_MAX,
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
		    "< narrows the window)", UI_TIMELINE_MAX);
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No events.");
	db_process_free_array(ev, n);
	db_process_clear(&p);
	l->tag = ui->centre;
	ui_list_restore(l);
}

void
ui_timeline_select(struct ui *ui)
{
	struct ui_list	*l = &ui->lists[UI_TIMELINE];

	if (l->lines[l->cur].tag > 0)
		ui->proc = l->lines[l->cur].tag;
}

char *
ui_timeline_header(struct ui *ui)
{
	return (xstrdup(ui->timeline != NULL ? ui->timeline : "Timeline"));
}

/* Enter: the tree around the process the event started. */
int
ui_timeline_enter(struct ui *ui, int arg)
{
	struct ui_list	*l = &ui->lists[UI_TIMELINE];

	if (l->n == 0 || l->lines[l->cur].tag <= 0) {
		ui_view_status(ui, "not a process creation");
		return (UI_REDRAW);
	}
	ui->proc = l->lines[l->cur].tag;
	ui->tree_next = ui->proc;
	return (ui_view_open(ui, UI_TREE));
}

/* t: the timeline around the selected process. */
int
ui_timeline_open(struct ui *ui, int arg)
{
	return (ui_view_open(ui, UI_TIMELINE));
}

/* > (wider 1) and < (wider 0): double or halve the window. */
int
ui_timeline_window(struct ui *ui, int wider)
{
	if (ui->view != UI_TIMELINE) {
		ui_view_status(ui, "that key works in the timeline");
		return (UI_REDRAW);
	}
	if (wider && ui->window < 7 * 86400)
		ui->window *= 2;
	else if (!wider && ui->window > 15)
		ui->window /= 2;
	return (UI_REBUILD);
}
