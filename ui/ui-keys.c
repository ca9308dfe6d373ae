/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The key table: every key the browser knows, what help says of it and
 * the action it runs.  The actions of one view are in that view's file;
 * the ones here move, search and go from view to view.  Actions change
 * the model and return flags (UI_REDRAW, UI_REBUILD...); they never
 * draw or rebuild (htop Action.c).  The status line prompt and the
 * mouse end up in the same actions.
 */

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "xmalloc.h"
#include "ui/ui.h"

#define UI_KEYS_CTRL(c)	((c) & 0x1f)

static int
ui_keys_move(struct ui *ui, int n)
{
	ui_list_move(ui_view_list(ui), n);
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_page(struct ui *ui, int n)
{
	return (ui_keys_move(ui, n * (ui->height > 5 ? ui->height - 4 : 1)));
}

/* The first line (end 0) or the last (end 1). */
static int
ui_keys_edge(struct ui *ui, int end)
{
	struct ui_list	*l = ui_view_list(ui);

	ui_list_set(l, end && l->n > 0 ? l->n - 1 : 0);
	ui_view_select(ui);
	return (UI_REDRAW);
}

/* Enter: whatever the view opens. */
static int
ui_keys_enter(struct ui *ui, int arg)
{
	const struct ui_view_entry	*e = &ui_view_table[ui->view];

	if (e->enter == NULL)
		return (UI_REDRAW);
	return (e->enter(ui, arg));
}

/* Tab (1) and S-Tab (-1): the next or the previous view but help. */
static int
ui_keys_cycle(struct ui *ui, int n)
{
	return (ui_view_go(ui, (ui->view + UI_HELP + n) % UI_HELP));
}

static int
ui_keys_view(struct ui *ui, int v)
{
	return (ui_view_go(ui, v));
}

static int
ui_keys_help(struct ui *ui, int arg)
{
	return (ui_view_open(ui, UI_HELP));
}

static int
ui_keys_search(struct ui *ui, int arg)
{
	ui->prompt = UI_PROMPT_SEARCH;
	free(ui->input);
	ui->input = xstrdup("");
	return (UI_REDRAW);
}

/* n (dir 1) and N (dir -1): the next or the previous match. */
static int
ui_keys_find(struct ui *ui, int dir)
{
	if (ui->search == NULL) {
		ui_view_status(ui, "no search yet: / searches");
		return (UI_REDRAW);
	}
	if (ui_list_find(ui_view_list(ui), ui->search, dir) != 0)
		ui_view_status(ui, "not found: %s", ui->search);
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_back(struct ui *ui, int arg)
{
	int	f;

	if ((f = ui_view_back(ui)) != 0)
		return (f);
	if (ui->view != UI_HITS)
		return (ui_view_go(ui, UI_HITS));
	return (UI_QUIT);
}

static int
ui_keys_quit(struct ui *ui, int arg)
{
	return (UI_QUIT);
}

static int
ui_keys_refresh(struct ui *ui, int arg)
{
	return (UI_CLEAR);
}

/* Space: the tree's toggle, the next page in any other view. */
static int
ui_keys_space(struct ui *ui, int arg)
{
	if (ui->view == UI_TREE)
		return (ui_tree_view_key(ui, UI_TREE_VIEW_TOGGLE));
	return (ui_keys_page(ui, 1));
}

/*
 * T and C: in the search view its window and its host, elsewhere where
 * the timeline goes.
 */
static int
ui_keys_ask(struct ui *ui, int what)
{
	if (ui->view == UI_SEARCH)
		return (ui_search_ask(ui, what == UI_PROMPT_TIME ?
		    UI_PROMPT_SWINDOW : UI_PROMPT_SHOST));
	return (ui_timeline_ask(ui, what));
}

/*
 * name NULL: the same action as the entry above, listed with it.  arg
 * is the action's second argument: lines, a view, a direction.
 */
const struct ui_keys_entry ui_keys_table[] = {
	{ KEY_UP, "Up, k", "previous line", ui_keys_move, -1 },
	{ 'k', NULL, NULL, ui_keys_move, -1 },
	{ KEY_DOWN, "Down, j", "next line", ui_keys_move, 1 },
	{ 'j', NULL, NULL, ui_keys_move, 1 },
	{ KEY_PPAGE, "PgUp, C-b", "previous page", ui_keys_page, -1 },
	{ UI_KEYS_CTRL('b'), NULL, NULL, ui_keys_page, -1 },
	{ KEY_NPAGE, "PgDn, C-f", "next page", ui_keys_page, 1 },
	{ UI_KEYS_CTRL('f'), NULL, NULL, ui_keys_page, 1 },
	{ KEY_HOME, "Home, g", "first line", ui_keys_edge, 0 },
	{ 'g', NULL, NULL, ui_keys_edge, 0 },
	{ KEY_END, "End, G", "last line", ui_keys_edge, 1 },
	{ 'G', NULL, NULL, ui_keys_edge, 1 },
	{ '\r', "Enter", "open: a hit's tree, a process's details, "
	  "a timeline event's tree", ui_keys_enter, 0 },
	{ '\n', NULL, NULL, ui_keys_enter, 0 },
	{ KEY_ENTER, NULL, NULL, ui_keys_enter, 0 },
	{ '\t', "Tab", "next view", ui_keys_cycle, 1 },
	{ KEY_BTAB, "S-Tab", "previous view", ui_keys_cycle, -1 },
	{ '1', "1", "hits", ui_keys_view, UI_HITS },
	{ '2', "2", "process tree of the selected hit", ui_keys_view,
	  UI_TREE },
	{ '3', "3", "details of the selected process", ui_keys_view,
	  UI_DETAILS },
	{ '4', "4, t", "timeline of the selected process's host",
	  ui_keys_view, UI_TIMELINE },
	{ 't', NULL, NULL, ui_timeline_open, 0 },
	{ '5', "5", "evidence files", ui_keys_view, UI_EVIDENCE },
	{ '6', "6", "hosts: sources, events, first and last", ui_keys_view,
	  UI_HOSTS },
	{ '/', "/", "search forward", ui_keys_search, 0 },
	{ 'n', "n", "next match", ui_keys_find, 1 },
	{ 'N', "N", "previous match", ui_keys_find, -1 },
	{ 's', "s", "hits newest or riskiest first", ui_hits_sort, 0 },
	{ 'F', "F", "show or hide filtered hits", ui_hits_filtered, 0 },
	{ 'f', "f", "mark the hit a false positive (choose fields), or "
	  "unfilter it",
	  ui_filter_begin, 0 },
	{ 'e', "e", "export the selected hit and its tree to a file",
	  ui_hits_export, 0 },
	{ KEY_RIGHT, "Right, l, +", "tree: expand, reading all children",
	  ui_tree_view_key, UI_TREE_VIEW_EXPAND },
	{ 'l', NULL, NULL, ui_tree_view_key, UI_TREE_VIEW_EXPAND },
	{ '+', NULL, NULL, ui_tree_view_key, UI_TREE_VIEW_EXPAND },
	{ KEY_LEFT, "Left, h, -", "tree: collapse, or go to the parent",
	  ui_tree_view_key, UI_TREE_VIEW_COLLAPSE },
	{ 'h', NULL, NULL, ui_tree_view_key, UI_TREE_VIEW_COLLAPSE },
	{ '-', NULL, NULL, ui_tree_view_key, UI_TREE_VIEW_COLLAPSE },
	{ ' ', "Space", "tree: expand or collapse; elsewhere next page",
	  ui_keys_space, 0 },
	{ '*', "*", "tree: expand everything below",
	  ui_tree_view_key, UI_TREE_VIEW_ALL },
	{ 'c', "c", "tree: make the selected process the focus",
	  ui_tree_view_key, UI_TREE_VIEW_FOCUS },
	{ '>', ">", "timeline: widen the window", ui_timeline_window, 1 },
	{ '<', "<", "timeline: narrow the window", ui_timeline_window, 0 },
	{ ']', "]", "timeline: the next window with events",
	  ui_timeline_page, 1 },
	{ '[', "[", "timeline: the previous window with events",
	  ui_timeline_page, -1 },
	{ 'T', "T", "timeline: a time as -E takes it; search: a window, "
	  "from..until", ui_keys_ask, UI_PROMPT_TIME },
	{ 'C', "C", "timeline: another host; search: its host (a name or "
	  "its start)", ui_keys_ask, UI_PROMPT_HOST },
	{ '7', "7", "the last search of every process event", ui_keys_view,
	  UI_SEARCH },
	{ 'S', "S", "search every process event (/re/: a regular "
	  "expression)", ui_search_begin, 0 },
	{ UI_KEYS_CTRL('l'), "C-l", "redraw the screen", ui_keys_refresh,
	  0 },
	{ '?', "?", "this help", ui_keys_help, 0 },
	{ 'q', "q", "back to the view before; quit from the hits",
	  ui_keys_back, 0 },
	{ 'Q', "Q", "quit", ui_keys_quit, 0 },
	{ 0, NULL, NULL, NULL, 0 }
};

/* Run the action bound to key; its flags, or 0 for an unbound key. */
int
ui_keys_dispatch(struct ui *ui, int key)
{
	const struct ui_keys_entry	*e;

	for (e = ui_keys_table; e->action != NULL; e++) {
		if (e->key == key)
			return (e->action(ui, e->arg));
	}
	ui_view_status(ui, "unknown key: ? shows the keys");
	return (UI_REDRAW);
}

/*
 * Mouse at screen row y, column x: the tab bar picks a view, a click on
 * a line selects it, a double click opens it, the wheel scrolls.
 */
int
ui_keys_mouse(struct ui *ui, int y, int x, int what)
{
	struct ui_list	*l;
	int		 v;

	if (what == UI_KEYS_WHEEL_UP)
		return (ui_keys_move(ui, -3));
	if (what == UI_KEYS_WHEEL_DOWN)
		return (ui_keys_move(ui, 3));
	if (y == 0) {
		for (v = 0; v < UI_HELP; v++) {
			if (x >= ui->tabx[v] && x < ui->tabx[v + 1])
				return (ui_view_go(ui, v));
		}
		return (0);
	}
	l = ui_view_list(ui);
	if (y < 2 || y >= ui->height - 1 || l->off + (y - 2) >= l->n)
		return (0);
	ui_list_set(l, l->off + (y - 2));
	ui_view_select(ui);
	if (what == UI_KEYS_DOUBLE)
		return (ui_keys_enter(ui, 0));
	return (UI_REDRAW);
}

/* Enter on the prompt: search, or the reason for a filter. */
static int
ui_keys_prompt_done(struct ui *ui)
{
	if (ui->prompt == UI_PROMPT_REASON)
		return (ui_filter_reason(ui));
	if (ui->prompt == UI_PROMPT_EVENTS)
		return (ui_search_done(ui));
	if (ui->prompt == UI_PROMPT_TIME || ui->prompt == UI_PROMPT_HOST)
		return (ui_timeline_go(ui));
	if (ui->prompt == UI_PROMPT_SWINDOW || ui->prompt == UI_PROMPT_SHOST)
		return (ui_search_set(ui));
	ui->prompt = UI_PROMPT_NONE;
	if (*ui->input == '\0')
		return (UI_REDRAW);
	free(ui->search);
	ui->search = xstrdup(ui->input);
	return (ui_keys_find(ui, 1));
}

/* A key while the status line prompts; is_key if a KEY_ code. */
int
ui_keys_prompt(struct ui *ui, int ch, int is_key)
{
	char	 mb[MB_LEN_MAX];
	size_t	 n, len;
	mbstate_t ps;

	if (ui->prompt == UI_PROMPT_FIELDS ||
	    ui->prompt == UI_PROMPT_UNFILTER)
		return (ui_filter_key(ui, ch, is_key));
	len = strlen(ui->input);

	if ((!is_key && (ch == '\r' || ch == '\n')) ||
	    (is_key && ch == KEY_ENTER))
		return (ui_keys_prompt_done(ui));
	if (!is_key && (ch == 27 || ch == UI_KEYS_CTRL('g') ||
	    ch == UI_KEYS_CTRL('c'))) {
		ui->prompt = UI_PROMPT_NONE;
		ui_filter_end(ui);
		ui_view_status(ui, "cancelled");
		return (UI_REDRAW);
	}
	if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 ||
	    ch == UI_KEYS_CTRL('h')))) {
		/* Drop the last character, not the last byte. */
		while (len > 0 && (ui->input[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		ui->input[len] = '\0';
		return (UI_REDRAW);
	}
	if (is_key || ch < 0x20 || ch == 0x7f || len > 1000)
		return (0);
	memset(&ps, 0, sizeof ps);
	if ((n = wcrtomb(mb, (wchar_t)ch, &ps)) == (size_t)-1)
		return (0);
	ui->input = xreallocarray(ui->input, len + n + 1, 1);
	memcpy(ui->input + len, mb, n);
	ui->input[len + n] = '\0';
	return (UI_REDRAW);
}
