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

/*
 * Where the timeline is: the host and the instant at its centre.  A
 * process to centre on (ui_view_go sets it from the selection) gives
 * both; else the place a key left (T, C, [ ]); else the first host's
 * first event, so that a case with no hits has a timeline too.
 */
static int
ui_timeline_place(struct ui *ui)
{
	struct db_proc	 p;

	if (ui->centre == 0 && ui->tl_dest == NULL)
		ui->centre = ui->proc;
	if (ui->centre != 0 && db_process_get(ui->db, ui->centre, &p) == 0) {
		if (p.dest != NULL && p.time != NULL) {
			free(ui->tl_dest);
			free(ui->tl_time);
			ui->tl_dest = p.dest;
			ui->tl_time = p.time;
			p.dest = p.time = NULL;
		}
		db_process_clear(&p);
	}
	if (ui->tl_dest == NULL) {
		if ((ui->tl_dest = db_process_host(ui->db, NULL)) == NULL)
			return (-1);
		free(ui->tl_time);
		ui->tl_time = NULL;
	}
	if (ui->tl_time == NULL &&
	    (ui->tl_time = db_process_step(ui->db, ui->tl_dest, "", 1)) ==
	    NULL)
		return (-1);
	return (0);
}

void
ui_timeline_build(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_TIMELINE];
	struct db_proc		*ev, *e;
	struct buf		 b = { 0 };
	char			 from[32], to[32], *s, *line, *start;
	char			 day[11] = "";
	size_t			 n, i;
	int			 more;
	int64_t			 first = 0;
	enum ui_attr		 attr;

	ui_list_clear(l);
	free(ui->tl_last);
	ui->tl_last = NULL;
	if (ui_timeline_place(ui) != 0) {
		ui_list_add(l, UI_ATTR_DIM, 0, "No process events in the "
		    "case.");
		return;
	}
	if (ui_list_shift(ui->tl_time, -ui->window, from, sizeof from) != 0 ||
	    ui_list_shift(ui->tl_time, ui->window, to, sizeof to) != 0) {
		ui_list_add(l, UI_ATTR_WARN, 0, "The process has no time.");
		return;
	}
	/* "~" sorts after any fraction: all of the last second. */
	snprintf(to + strlen(to), sizeof to - strlen(to), "~");
	db_process_timeline(ui->db, ui->tl_dest, from, to, UI_TIMELINE_MAX,
	    &ev, &n, &more);
	free(ui->timeline);
	s = ui_list_escape(ui->tl_dest);
	start = ui_list_time(ui->tl_time, 1);
	if (ui->window >= 60)
		xasprintf(&ui->timeline, "Timeline of %s, %s %d min either "
		    "side (< > [ ] T C)", s, start, ui->window / 60);
	else
		xasprintf(&ui->timeline, "Timeline of %s, %s %d s either "
		    "side (< > [ ] T C)", s, start, ui->window);
	free(start);
	free(s);
	for (i = 0; i < n; i++) {
		e = &ev[i];
		/* The line to start on: the first at or after the centre. */
		if (first == 0 && !e->end && e->time != NULL &&
		    strcmp(e->time, ui->tl_time) >= 0)
			first = e->id;
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
	if (more) {
		/* ] goes on from the last event shown. */
		ui->tl_last = xstrdup(ev[n - 1].time != NULL ?
		    ev[n - 1].time : to);
		ui_list_addf(l, UI_ATTR_WARN, 0, "(only the first %d events; "
		    "] goes on, < narrows the window)", UI_TIMELINE_MAX);
	}
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No events.");
	db_process_free_array(ev, n);
	l->tag = ui->centre != 0 ? ui->centre : first;
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

/*
 * ] (dir 1) and [ (dir -1): the next or the previous window of the
 * host, from its next event after this window (or after the last one
 * shown, when the window had more than a screenful) or its last before.
 */
int
ui_timeline_page(struct ui *ui, int dir)
{
	char	 edge[32], *t;
	char	 shifted[32];

	if (ui->view != UI_TIMELINE || ui->tl_dest == NULL ||
	    ui->tl_time == NULL) {
		ui_view_status(ui, "that key works in the timeline");
		return (UI_REDRAW);
	}
	if (dir > 0 && ui->tl_last != NULL)
		snprintf(edge, sizeof edge, "%s", ui->tl_last);
	else if (ui_list_shift(ui->tl_time, dir * ui->window, edge,
	    sizeof edge) != 0)
		return (UI_REDRAW);
	else if (dir > 0)
		snprintf(edge + strlen(edge), sizeof edge - strlen(edge), "~");
	if ((t = db_process_step(ui->db, ui->tl_dest, edge, dir)) == NULL) {
		ui_view_status(ui, dir > 0 ? "no later events on this host" :
		    "no earlier events on this host");
		return (UI_REDRAW);
	}
	/* The window starts (or, going back, ends) at that event. */
	if (ui_list_shift(t, dir * ui->window, shifted, sizeof shifted) != 0)
		snprintf(shifted, sizeof shifted, "%s", t);
	free(t);
	free(ui->tl_time);
	ui->tl_time = xstrdup(shifted);
	ui->centre = 0;
	ui->lists[UI_TIMELINE].cur = ui->lists[UI_TIMELINE].off = 0;
	ui->lists[UI_TIMELINE].tag = 0;
	return (UI_REBUILD | UI_SELECT);
}

/* T (UI_PROMPT_TIME) and C (UI_PROMPT_HOST): ask where to go. */
int
ui_timeline_ask(struct ui *ui, int what)
{
	ui->prompt = what;
	free(ui->input);
	ui->input = xstrdup("");
	return (UI_REDRAW);
}

/*
 * Enter on T's or C's prompt: a time as -E takes it ("2024-03-05
 * 10:00", "-2h" from the newest event; in the browser's -z zone unless
 * it says Z or an offset), or a host by name or the start of one.
 */
int
ui_timeline_go(struct ui *ui)
{
	char	*cause = NULL, *t = NULL, *dest, *s;
	char	 from[32], to[32];
	int	 what = ui->prompt, f;

	ui->prompt = UI_PROMPT_NONE;
	if (*ui->input == '\0')
		return (UI_REDRAW);
	if (what == UI_PROMPT_HOST) {
		if ((dest = db_process_host(ui->db, ui->input)) == NULL) {
			s = ui_list_escape(ui->input);
			ui_view_status(ui, "no host '%s'", s);
			free(s);
			return (UI_REDRAW);
		}
		/*
		 * The same instant on the other host if it has events in
		 * the window, else its nearest: lateral movement is read
		 * across hosts at one time.
		 */
		if (ui->tl_time == NULL)
			t = db_process_step(ui->db, dest, "", 1);
		else if (ui_list_shift(ui->tl_time, -ui->window, from,
		    sizeof from) == 0 && ui_list_shift(ui->tl_time,
		    ui->window, to, sizeof to) == 0) {
			t = db_process_step(ui->db, dest, from, 1);
			if (t != NULL && strcmp(t, to) <= 0) {
				free(t);
				t = xstrdup(ui->tl_time);
			} else if (t == NULL) {
				t = db_process_step(ui->db, dest,
				    ui->tl_time, -1);
			}
		}
		free(ui->tl_dest);
		ui->tl_dest = dest;
	} else {
		if (db_run_time(ui->db, ui->input, ui_list_zone(), &t,
		    &cause) != 0) {
			s = ui_list_escape(cause);
			ui_view_status(ui, "%s", s);
			free(s);
			free(cause);
			return (UI_REDRAW);
		}
		if (*t == '\0') {
			free(t);
			ui_view_status(ui, "no events in the case");
			return (UI_REDRAW);
		}
	}
	if (t != NULL) {
		free(ui->tl_time);
		ui->tl_time = t;
	}
	ui->centre = 0;
	ui->lists[UI_TIMELINE].cur = ui->lists[UI_TIMELINE].off = 0;
	ui->lists[UI_TIMELINE].tag = 0;
	if (ui->view == UI_TIMELINE)
		return (UI_REBUILD | UI_SELECT);
	/* Opening the timeline centres it on the selection: not now. */
	f = ui_view_open(ui, UI_TIMELINE);
	ui->centre = 0;
	return (f | UI_SELECT);
}
