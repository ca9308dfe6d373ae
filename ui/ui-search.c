/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The search view: every process creation of the case matching a
 * pattern (db_search), hit or not, oldest first, so that a case with no
 * hits can be browsed too.  S prompts for the pattern; one between
 * slashes, /like this/, is a regular expression.  T sets a window and
 * C a host, as the timeline's keys of the same names go to a time and a
 * host.  Enter opens the process's tree; the selected process is the
 * timeline's too.
 */

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

#define UI_SEARCH_MAX	5000	/* matches the view shows */

/* What the search covers: " on HOST from T1 until T2", or "". */
static char *
ui_search_scope(struct ui *ui)
{
	struct buf	 b = { 0 };
	char		*s;

	buf_append_str(&b, "");
	if (ui->s_dest != NULL) {
		s = ui_list_escape(ui->s_dest);
		buf_printf(&b, " on %s", s);
		free(s);
	}
	if (ui->s_from != NULL) {
		s = ui_list_time(ui->s_from, UI_TIME_DATE);
		buf_printf(&b, " from %s", s);
		free(s);
	}
	if (ui->s_to != NULL) {
		s = ui_list_time(ui->s_to, UI_TIME_DATE);
		buf_printf(&b, " until %s", s);
		free(s);
	}
	return (buf_take(&b));
}

void
ui_search_build(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_SEARCH];
	struct db_search	 s;
	struct db_proc		*ev = NULL, *e;
	struct buf		 b = { 0 };
	char			*pat = NULL, *cause = NULL, *t, *line;
	char			*scope;
	size_t			 n = 0, i, len;
	int			 more = 0;

	ui_list_clear(l);
	free(ui->found);
	ui->found = NULL;
	if (ui->events == NULL) {
		ui_list_add(l, UI_ATTR_DIM, 0, "No search yet: S searches "
		    "every process event of the case.");
		return;
	}
	memset(&s, 0, sizeof s);
	len = strlen(ui->events);
	if (len > 2 && ui->events[0] == '/' && ui->events[len - 1] == '/') {
		pat = xstrndup(ui->events + 1, len - 2);
		s.regex = 1;
	} else
		pat = xstrdup(ui->events);
	s.pattern = pat;
	s.earliest = ui->s_from;
	s.latest = ui->s_to;
	s.dest = ui->s_dest;
	s.limit = UI_SEARCH_MAX;
	if (db_search(ui->db, &s, &ev, &n, &more, &cause) != 0) {
		t = ui_list_escape(cause);
		ui_list_add(l, UI_ATTR_WARN, 0, t);
		free(t);
		free(cause);
		free(pat);
		return;
	}
	t = ui_list_escape(ui->events);
	scope = ui_search_scope(ui);
	xasprintf(&ui->found, "Search %s%s: %s%zu process event%s", t, scope,
	    more ? "the first " : "", n, n == 1 ? "" : "s");
	free(scope);
	free(t);
	for (i = 0; i < n; i++) {
		e = &ev[i];
		t = ui_list_time(e->time, UI_TIME_SHORT);
		buf_printf(&b, "%-15s ", t != NULL ? t : "?");
		free(t);
		t = ui_list_escape(e->dest != NULL ? e->dest : "?");
		ui_list_fit(&b, t, 12);
		free(t);
		if (e->process_id >= 0)
			buf_printf(&b, " %6lld ", (long long)e->process_id);
		else
			buf_printf(&b, " %6s ", "?");
		t = ui_list_escape(e->process_name != NULL ?
		    e->process_name : e->process_path);
		ui_list_fit(&b, t, 16);
		free(t);
		t = ui_list_escape(e->process);
		buf_printf(&b, " %s", t);
		free(t);
		line = buf_take(&b);
		ui_list_add(l, UI_ATTR_NORMAL, e->id, line);
		free(line);
	}
	if (more)
		ui_list_addf(l, UI_ATTR_WARN, 0, "(only the first %d matches; "
		    "evtriage search lists them all)", UI_SEARCH_MAX);
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No process event matches.");
	db_process_free_array(ev, n);
	free(pat);
	ui_list_restore(l);
}

void
ui_search_select(struct ui *ui)
{
	struct ui_list	*l = &ui->lists[UI_SEARCH];

	if (l->lines[l->cur].tag > 0)
		ui->proc = l->lines[l->cur].tag;
}

char *
ui_search_header(struct ui *ui)
{
	char	*scope, *s;

	if (ui->found != NULL)
		return (xstrdup(ui->found));
	scope = ui_search_scope(ui);
	xasprintf(&s, "Search every process event%s", scope);
	free(scope);
	return (s);
}

/* Enter: the tree around the process. */
int
ui_search_enter(struct ui *ui, int arg)
{
	struct ui_list	*l = &ui->lists[UI_SEARCH];

	if (l->n == 0 || l->lines[l->cur].tag <= 0) {
		ui_view_status(ui, "not a process: S searches");
		return (UI_REDRAW);
	}
	ui->proc = l->lines[l->cur].tag;
	ui->tree_next = ui->proc;
	return (ui_view_open(ui, UI_TREE));
}

/* S: ask for the pattern. */
int
ui_search_begin(struct ui *ui, int arg)
{
	ui->prompt = UI_PROMPT_EVENTS;
	free(ui->input);
	ui->input = xstrdup("");
	return (UI_REDRAW);
}

/* Enter on the prompt: search with its text and show the results. */
int
ui_search_done(struct ui *ui)
{
	ui->prompt = UI_PROMPT_NONE;
	if (*ui->input == '\0')
		return (UI_REDRAW);
	free(ui->events);
	ui->events = xstrdup(ui->input);
	ui->lists[UI_SEARCH].tag = 0;
	ui->lists[UI_SEARCH].cur = ui->lists[UI_SEARCH].off = 0;
	if (ui->view == UI_SEARCH)
		return (UI_REBUILD | UI_SELECT);
	return (ui_view_open(ui, UI_SEARCH) | UI_SELECT);
}

/* T (UI_PROMPT_SWINDOW) and C (UI_PROMPT_SHOST) in the search view. */
int
ui_search_ask(struct ui *ui, int what)
{
	ui->prompt = what;
	free(ui->input);
	ui->input = xstrdup("");
	return (UI_REDRAW);
}

/*
 * One end of T's window, as -E or -L takes it, in the browser's zone
 * unless it says Z or an offset: into *out, NULL for an empty end.
 */
static int
ui_search_time(struct ui *ui, const char *s, char **out, char **cause)
{
	*out = NULL;
	if (*s == '\0')
		return (0);
	if (db_run_time(ui->db, s, ui_list_zone(), out, cause) != 0)
		return (-1);
	return (0);
}

/*
 * Enter on T's or C's prompt in the search view.  T takes "from..until"
 * (either side may be left out; one time alone is from), C a host by
 * name or the start of one; an empty answer is all times or all hosts.
 * A bad answer is refused and the search stays as it was.
 */
int
ui_search_set(struct ui *ui)
{
	char	*cause = NULL, *dest, *from = NULL, *to = NULL, *s, *dots;
	int	 what = ui->prompt;

	ui->prompt = UI_PROMPT_NONE;
	if (what == UI_PROMPT_SHOST) {
		dest = NULL;
		if (*ui->input != '\0' &&
		    (dest = db_process_host(ui->db, ui->input)) == NULL) {
			s = ui_list_escape(ui->input);
			ui_view_status(ui, "no host '%s'", s);
			free(s);
			return (UI_REDRAW);
		}
		free(ui->s_dest);
		ui->s_dest = dest;
	} else {
		s = xstrdup(ui->input);
		if ((dots = strstr(s, "..")) != NULL) {
			*dots = '\0';
			dots += 2;
		}
		if (ui_search_time(ui, s, &from, &cause) != 0 ||
		    (dots != NULL && ui_search_time(ui, dots, &to,
		    &cause) != 0)) {
			free(s);
			free(from);
			s = ui_list_escape(cause);
			ui_view_status(ui, "%s", s);
			free(s);
			free(cause);
			return (UI_REDRAW);
		}
		free(s);
		free(ui->s_from);
		free(ui->s_to);
		ui->s_from = from;
		ui->s_to = to;
	}
	ui->lists[UI_SEARCH].tag = 0;
	ui->lists[UI_SEARCH].cur = ui->lists[UI_SEARCH].off = 0;
	if (ui->view == UI_SEARCH)
		return (UI_REBUILD | UI_SELECT);
	return (ui_view_open(ui, UI_SEARCH) | UI_SELECT);
}
