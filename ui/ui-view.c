/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The browser's state and its table of views (htop ScreenManager.c): a
 * view is entered, left for q to return to, built and followed through
 * its entry.  Which hit and which process are selected is kept in
 * struct ui; each view's file says how its current line changes them.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "escape.h"
#include "ui/ui.h"

#define UI_VIEW_HINT	"Tab next view  / search  ? help  q back"

/* In the order of enum ui_view, which is the tab bar's. */
const struct ui_view_entry ui_view_table[UI_NVIEWS] = {
	{ "Hits", NULL, "Enter tree  f false positive  e export  s sort  "
	  "F filtered  ? help  q quit",
	  ui_hits_build, ui_hits_select, ui_hits_header, ui_hits_enter },
	{ "Tree", NULL, "Enter details  +/- expand  c focus  t timeline  "
	  "e export  ? help  q back",
	  ui_tree_view_build, ui_tree_view_select, ui_tree_view_header,
	  ui_tree_view_enter },
	{ "Details", "Details", UI_VIEW_HINT,
	  ui_details_build, NULL, NULL, NULL },
	{ "Timeline", NULL, "Enter tree  < > window  [ ] page  T time  "
	  "C host  ? help  q back",
	  ui_timeline_build, ui_timeline_select, ui_timeline_header,
	  ui_timeline_enter },
	{ "Evidence", "Evidence files, coverage and problems", UI_VIEW_HINT,
	  ui_evidence_build, NULL, NULL, NULL },
	{ "Hosts", NULL, "Enter timeline  / search  ? help  q back",
	  ui_hosts_build, NULL, ui_hosts_header, ui_hosts_enter },
	{ "Search", NULL, "Enter tree  S search again  T window  C host  "
	  "t timeline  ? help  q back",
	  ui_search_build, ui_search_select, ui_search_header,
	  ui_search_enter },
	{ "Help", "Keys", UI_VIEW_HINT,
	  ui_help_build, NULL, NULL, NULL }
};

/* The false-positive checklist, drawn in the view's place (ui-filter.c). */
const struct ui_view_entry ui_view_fields = {
	"Filter", "Mark a false positive: the filter's fields",
	"Space check  Up/Down move  Enter reason  Esc cancel",
	ui_filter_build, NULL, NULL, NULL
};

/* The browser on the hits view; nothing is built until the loop asks. */
struct ui *
ui_view_create(struct db *db, int show_filtered)
{
	struct ui	*ui;

	ui = xcalloc(1, sizeof *ui);
	ui->db = db;
	ui->tree = ui_tree_create(db);
	ui->order = DB_HIT_NEWEST;
	ui->show_filtered = show_filtered;
	ui->window = 300;
	ui->width = 80;
	ui->height = 24;
	ui->view = UI_HITS;
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
	db_hit_list_free(ui->hits, ui->nhits);
	free(ui->search);
	free(ui->events);
	free(ui->found);
	free(ui->s_dest);
	free(ui->s_from);
	free(ui->s_to);
	free(ui->timeline);
	free(ui->tl_dest);
	free(ui->tl_time);
	free(ui->tl_last);
	free(ui->status);
	free(ui->input);
	ui_filter_end(ui);
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

/* Rebuild a view's lines from the case; only ui.c's loop calls this. */
void
ui_view_build(struct ui *ui, enum ui_view v)
{
	ui_view_table[v].build(ui);
}

/* Follow the current line: which hit and which process are selected. */
void
ui_view_select(struct ui *ui)
{
	const struct ui_view_entry	*e = &ui_view_table[ui->view];

	if (ui_view_list(ui)->n != 0 && e->select != NULL)
		e->select(ui);
}

/* Show view v instead of this one (Tab, 1 to 5, the tab bar). */
int
ui_view_go(struct ui *ui, enum ui_view v)
{
	ui->view = v;
	if (v == UI_TIMELINE)
		ui->centre = ui->proc;
	return (UI_REBUILD);
}

/* Go to view v, remembering where we were for q. */
int
ui_view_open(struct ui *ui, enum ui_view v)
{
	if (v == ui->view)
		return (UI_REDRAW);
	if (ui->nback == (int)(sizeof ui->back / sizeof ui->back[0])) {
		memmove(ui->back, ui->back + 1,
		    (ui->nback - 1) * sizeof *ui->back);
		ui->nback--;
	}
	ui->back[ui->nback++] = ui->view;
	return (ui_view_go(ui, v));
}

/* Return to the view before; 0 if there was none (q then quits). */
int
ui_view_back(struct ui *ui)
{
	if (ui->nback == 0)
		return (0);
	ui->view = ui->back[--ui->nback];
	return (UI_REBUILD);
}

/* The line under the tab bar: what the view, or the checklist, shows. */
char *
ui_view_header(struct ui *ui)
{
	const struct ui_view_entry	*e = &ui_view_table[ui->view];

	if (ui->prompt == UI_PROMPT_FIELDS)
		e = &ui_view_fields;
	if (e->header == NULL)
		return (xstrdup(e->title));
	return (e->header(ui));
}
