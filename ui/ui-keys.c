/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The key table: every key the browser knows, what help says of it and
 * the action it runs.  Actions change the model and return UI_REDRAW,
 * UI_REBUILD or UI_QUIT; they never draw (htop Action.c).  The status
 * line prompt and the mouse end up in the same actions.
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
ui_keys_page(struct ui *ui)
{
	return (ui->height > 5 ? ui->height - 4 : 1);
}

static int
ui_keys_moved(struct ui *ui, long delta)
{
	ui_list_move(ui_view_list(ui), delta);
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_up(struct ui *ui)
{
	return (ui_keys_moved(ui, -1));
}

static int
ui_keys_down(struct ui *ui)
{
	return (ui_keys_moved(ui, 1));
}

static int
ui_keys_page_up(struct ui *ui)
{
	return (ui_keys_moved(ui, -ui_keys_page(ui)));
}

static int
ui_keys_page_down(struct ui *ui)
{
	return (ui_keys_moved(ui, ui_keys_page(ui)));
}

static int
ui_keys_home(struct ui *ui)
{
	ui_list_set(ui_view_list(ui), 0);
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_end(struct ui *ui)
{
	struct ui_list	*l = ui_view_list(ui);

	ui_list_set(l, l->n > 0 ? l->n - 1 : 0);
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_enter(struct ui *ui)
{
	struct ui_list	*l = ui_view_list(ui);

	switch (ui->view) {
	case UI_HITS:
		if (ui->hit == 0) {
			ui_view_status(ui, "no hit to open");
			break;
		}
		ui_view_open(ui, UI_TREE);
		break;
	case UI_TREE:
		ui_view_select(ui);
		ui_view_open(ui, UI_DETAILS);
		break;
	case UI_TIMELINE:
		if (l->n == 0 || l->lines[l->cur].tag <= 0) {
			ui_view_status(ui, "not a process creation");
			break;
		}
		ui->proc = l->lines[l->cur].tag;
		if (ui_view_tree_for(ui, ui->hit, ui->proc) == 0)
			ui_view_open(ui, UI_TREE);
		break;
	default:
		break;
	}
	return (UI_REDRAW);
}

static int
ui_keys_go(struct ui *ui, enum ui_view v)
{
	ui->view = v;
	if (v == UI_TIMELINE)
		ui->centre = ui->proc;
	ui_view_build(ui, v);
	return (UI_REDRAW);
}

static int
ui_keys_next_view(struct ui *ui)
{
	return (ui_keys_go(ui, (ui->view + 1) % UI_HELP));
}

static int
ui_keys_prev_view(struct ui *ui)
{
	return (ui_keys_go(ui, (ui->view + UI_HELP - 1) % UI_HELP));
}

static int
ui_keys_view_hits(struct ui *ui)
{
	return (ui_keys_go(ui, UI_HITS));
}

static int
ui_keys_view_tree(struct ui *ui)
{
	return (ui_keys_go(ui, UI_TREE));
}

static int
ui_keys_view_details(struct ui *ui)
{
	return (ui_keys_go(ui, UI_DETAILS));
}

static int
ui_keys_view_timeline(struct ui *ui)
{
	return (ui_keys_go(ui, UI_TIMELINE));
}

static int
ui_keys_view_evidence(struct ui *ui)
{
	return (ui_keys_go(ui, UI_EVIDENCE));
}

static int
ui_keys_help_view(struct ui *ui)
{
	ui_view_open(ui, UI_HELP);
	return (UI_REDRAW);
}

static int
ui_keys_search(struct ui *ui)
{
	ui->prompt = UI_PROMPT_SEARCH;
	free(ui->input);
	ui->input = xstrdup("");
	return (UI_REDRAW);
}

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
ui_keys_search_next(struct ui *ui)
{
	return (ui_keys_find(ui, 1));
}

static int
ui_keys_search_prev(struct ui *ui)
{
	return (ui_keys_find(ui, -1));
}

static int
ui_keys_back(struct ui *ui)
{
	if (ui_view_back(ui))
		return (UI_REDRAW);
	if (ui->view != UI_HITS)
		return (ui_keys_go(ui, UI_HITS));
	return (UI_QUIT);
}

static int
ui_keys_quit(struct ui *ui)
{
	return (UI_QUIT);
}

static int
ui_keys_refresh(struct ui *ui)
{
	clearok(curscr, TRUE);
	return (UI_REDRAW);
}

static int
ui_keys_sort(struct ui *ui)
{
	ui->order = ui->order == DB_QUERY_NEWEST ? DB_QUERY_RISKIEST :
	    DB_QUERY_NEWEST;
	ui_view_build(ui, UI_HITS);
	ui_view_status(ui, "hits %s first", ui->order == DB_QUERY_NEWEST ?
	    "newest" : "riskiest");
	return (UI_REDRAW);
}

static int
ui_keys_filtered(struct ui *ui)
{
	ui->show_filtered = !ui->show_filtered;
	ui_view_build(ui, UI_HITS);
	if (ui->view == UI_HITS)
		ui_view_select(ui);
	ui_view_status(ui, "filtered hits %s", ui->show_filtered ? "shown" :
	    "hidden");
	return (UI_REDRAW);
}

static int
ui_keys_false_positive(struct ui *ui)
{
	struct db_query_hit	 h;
	char			*cause = NULL;

	if (ui->hit == 0) {
		ui_view_status(ui, "no hit selected");
		return (UI_REDRAW);
	}
	if (ui->readonly) {
		ui_view_status(ui, "the case is read-only");
		return (UI_REDRAW);
	}
	if (db_query_hit(ui->db, ui->hit, &h) != 0) {
		ui_view_status(ui, "no hit selected");
		return (UI_REDRAW);
	}
	/* A filtered hit (shown with F) offers to lift its filter. */
	if (h.filter_id != 0) {
		ui->fpfilter = h.filter_id;
		ui->prompt = UI_PROMPT_UNFILTER;
		ui_view_status(ui, "hit %lld is filtered by filter %lld "
		    "(%s), which suppresses %lld hit%s: remove it? y/n",
		    (long long)h.id,
		    (long long)h.filter_id, h.filter_reason != NULL ?
		    h.filter_reason : "", (long long)db_filter_count(ui->db,
		    h.filter_id), db_filter_count(ui->db, h.filter_id) == 1 ?
		    "" : "s");
		db_query_hit_clear(&h);
		return (UI_REDRAW);
	}
	db_query_hit_clear(&h);
	if (ui_view_fp_begin(ui, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
	}
	return (UI_REDRAW);
}

static int
ui_keys_export(struct ui *ui)
{
	char	*path, *cause = NULL;

	if (ui_view_export(ui, &path, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
	} else
		ui_view_status(ui, "exported to %s", path);
	free(path);
	return (UI_REDRAW);
}

static int
ui_keys_tree_only(struct ui *ui)
{
	if (ui->view == UI_TREE)
		return (1);
	ui_view_status(ui, "that key works in the tree");
	return (0);
}

static int
ui_keys_expand(struct ui *ui)
{
	if (ui_keys_tree_only(ui) && !ui_tree_expand(ui->tree))
		ui_view_status(ui, "no more children");
	return (UI_REDRAW);
}

static int
ui_keys_collapse(struct ui *ui)
{
	if (ui_keys_tree_only(ui))
		ui_tree_collapse(ui->tree);
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_toggle(struct ui *ui)
{
	if (ui->view != UI_TREE)
		return (ui_keys_page_down(ui));
	ui_tree_toggle(ui->tree);
	return (UI_REDRAW);
}

static int
ui_keys_expand_all(struct ui *ui)
{
	if (ui_keys_tree_only(ui))
		ui_tree_expand_all(ui->tree);
	return (UI_REDRAW);
}

static int
ui_keys_focus(struct ui *ui)
{
	if (!ui_keys_tree_only(ui))
		return (UI_REDRAW);
	if (ui_tree_refocus(ui->tree) != 0)
		ui_view_status(ui, "a process not in the logs cannot be the "
		    "focus");
	else
		ui->tree_row = ui->tree->focus;
	ui_view_select(ui);
	return (UI_REDRAW);
}

static int
ui_keys_window(struct ui *ui, int wider)
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

static int
ui_keys_widen(struct ui *ui)
{
	return (ui_keys_window(ui, 1));
}

static int
ui_keys_narrow(struct ui *ui)
{
	return (ui_keys_window(ui, 0));
}

static int
ui_keys_timeline(struct ui *ui)
{
	ui_view_open(ui, UI_TIMELINE);
	return (UI_REDRAW);
}

/* name NULL: the same action as the entry above, listed with it. */
const struct ui_keys_entry ui_keys_table[] = {
	{ KEY_UP, "Up, k", "previous line", ui_keys_up },
	{ 'k', NULL, NULL, ui_keys_up },
	{ KEY_DOWN, "Down, j", "next line", ui_keys_down },
	{ 'j', NULL, NULL, ui_keys_down },
	{ KEY_PPAGE, "PgUp, C-b", "previous page", ui_keys_page_up },
	{ UI_KEYS_CTRL('b'), NULL, NULL, ui_keys_page_up },
	{ KEY_NPAGE, "PgDn, C-f", "next page", ui_keys_page_down },
	{ UI_KEYS_CTRL('f'), NULL, NULL, ui_keys_page_down },
	{ KEY_HOME, "Home, g", "first line", ui_keys_home },
	{ 'g', NULL, NULL, ui_keys_home },
	{ KEY_END, "End, G", "last line", ui_keys_end },
	{ 'G', NULL, NULL, ui_keys_end },
	{ '\r', "Enter", "open: a hit's tree, a process's details, "
	  "a timeline event's tree", ui_keys_enter },
	{ '\n', NULL, NULL, ui_keys_enter },
	{ KEY_ENTER, NULL, NULL, ui_keys_enter },
	{ '\t', "Tab", "next view", ui_keys_next_view },
	{ KEY_BTAB, "S-Tab", "previous view", ui_keys_prev_view },
	{ '1', "1", "hits", ui_keys_view_hits },
	{ '2', "2", "process tree of the selected hit", ui_keys_view_tree },
	{ '3', "3", "details of the selected process",
	  ui_keys_view_details },
	{ '4', "4, t", "timeline of the selected process's host",
	  ui_keys_view_timeline },
	{ 't', NULL, NULL, ui_keys_timeline },
	{ '5', "5", "evidence files", ui_keys_view_evidence },
	{ '/', "/", "search forward", ui_keys_search },
	{ 'n', "n", "next match", ui_keys_search_next },
	{ 'N', "N", "previous match", ui_keys_search_prev },
	{ 's', "s", "hits newest or riskiest first", ui_keys_sort },
	{ 'F', "F", "show or hide filtered hits", ui_keys_filtered },
	{ 'f', "f", "mark the hit a false positive (choose fields), or "
	  "unfilter it",
	  ui_keys_false_positive },
	{ 'e', "e", "export the selected hit and its tree to a file",
	  ui_keys_export },
	{ KEY_RIGHT, "Right, l, +", "tree: expand, reading all children",
	  ui_keys_expand },
	{ 'l', NULL, NULL, ui_keys_expand },
	{ '+', NULL, NULL, ui_keys_expand },
	{ KEY_LEFT, "Left, h, -", "tree: collapse, or go to the parent",
	  ui_keys_collapse },
	{ 'h', NULL, NULL, ui_keys_collapse },
	{ '-', NULL, NULL, ui_keys_collapse },
	{ ' ', "Space", "tree: expand or collapse; elsewhere next page",
	  ui_keys_toggle },
	{ '*', "*", "tree: expand everything below", ui_keys_expand_all },
	{ 'c', "c", "tree: make the selected process the focus",
	  ui_keys_focus },
	{ '>', ">", "timeline: widen the window", ui_keys_widen },
	{ '<', "<", "timeline: narrow the window", ui_keys_narrow },
	{ UI_KEYS_CTRL('l'), "C-l", "redraw the screen", ui_keys_refresh },
	{ '?', "?", "this help", ui_keys_help_view },
	{ 'q', "q", "back to the view before; quit from the hits",
	  ui_keys_back },
	{ 'Q', "Q", "quit", ui_keys_quit },
	{ 0, NULL, NULL, NULL }
};

/* Run the action bound to key; its flags, or 0 for an unbound key. */
int
ui_keys_dispatch(struct ui *ui, int key)
{
	const struct ui_keys_entry	*e;

	for (e = ui_keys_table; e->action != NULL; e++) {
		if (e->key == key)
			return (e->action(ui));
	}
	ui_view_status(ui, "unknown key: ? shows the keys");
	return (UI_REDRAW);
}

/* Fill the help view from the table. */
void
ui_keys_help(struct ui_list *l)
{
	const struct ui_keys_entry	*e;

	ui_list_clear(l);
	ui_list_add(l, UI_ATTR_HEADING, 0, "Keys");
	for (e = ui_keys_table; e->action != NULL; e++) {
		if (e->name != NULL)
			ui_list_addf(l, UI_ATTR_NORMAL, 0, "  %-12s %s",
			    e->name, e->help);
	}
	ui_list_add(l, UI_ATTR_HEADING, 0, "Mouse");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  click        select a line or "
	    "a view in the tab bar");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  double-click open, as Enter");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  wheel        scroll");
	ui_list_add(l, UI_ATTR_HEADING, 0, "Prompt");
	ui_list_add(l, UI_ATTR_NORMAL, 0, "  Enter accepts, Escape or C-g "
	    "cancels, Backspace deletes");
	ui_list_set(l, 0);
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
		return (ui_keys_moved(ui, -3));
	if (what == UI_KEYS_WHEEL_DOWN)
		return (ui_keys_moved(ui, 3));
	if (y == 0) {
		for (v = 0; v < UI_HELP; v++) {
			if (x >= ui->tabx[v] && x < ui->tabx[v + 1])
				return (ui_keys_go(ui, v));
		}
		return (0);
	}
	l = ui_view_list(ui);
	if (y < 2 || y >= ui->height - 1 || l->off + (y - 2) >= l->n)
		return (0);
	ui_list_set(l, l->off + (y - 2));
	ui_view_select(ui);
	if (what == UI_KEYS_DOUBLE)
		return (ui_keys_enter(ui));
	return (UI_REDRAW);
}

static void
ui_keys_prompt_done(struct ui *ui)
{
	enum ui_prompt	 p = ui->prompt;
	char		*cause = NULL;

	ui->prompt = UI_PROMPT_NONE;
	if (p == UI_PROMPT_SEARCH) {
		if (*ui->input == '\0')
			return;
		free(ui->search);
		ui->search = xstrdup(ui->input);
		ui_keys_find(ui, 1);
		return;
	}
	if (*ui->input == '\0') {
		ui_view_fp_end(ui);
		ui_view_status(ui, "not marked: a reason is needed");
		return;
	}
	if (ui_view_false_positive(ui, ui->input, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
	}
	if (ui->view == UI_HITS)
		ui_view_select(ui);
	else
		ui_view_build(ui, ui->view);
}

/* A key in the false-positive checklist. */
static int
ui_keys_prompt_fields(struct ui *ui, int ch, int is_key)
{
	struct ui_list	*l = &ui->fplist;

	if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
		if (l->cur > 1)
			ui_list_set(l, l->cur - 1);
	} else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
		ui_list_move(l, 1);
	else if (!is_key && (ch == ' ' || ch == 'x'))
		ui_view_fp_toggle(ui);
	else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\r' ||
	    ch == '\n'))) {
		ui->prompt = UI_PROMPT_REASON;
		free(ui->input);
		ui->input = xstrdup("");
	} else if (!is_key && (ch == 27 || ch == UI_KEYS_CTRL('g') ||
	    ch == UI_KEYS_CTRL('c') || ch == 'q')) {
		ui->prompt = UI_PROMPT_NONE;
		ui_view_fp_end(ui);
		ui_view_status(ui, "cancelled");
	} else
		return (0);
	return (UI_REDRAW);
}

/* A key while the status line prompts; is_key if a KEY_ code. */
int
ui_keys_prompt(struct ui *ui, int ch, int is_key)
{
	char	 mb[MB_LEN_MAX];
	size_t	 n, len;
	mbstate_t ps;
	char	*cause = NULL;

	if (ui->prompt == UI_PROMPT_FIELDS)
		return (ui_keys_prompt_fields(ui, ch, is_key));
	if (ui->prompt == UI_PROMPT_UNFILTER) {
		ui->prompt = UI_PROMPT_NONE;
		if (is_key || (ch != 'y' && ch != 'Y')) {
			ui_view_status(ui, "the filter stays");
			return (UI_REDRAW);
		}
		if (ui_view_unfilter(ui, &cause) != 0) {
			ui_view_status(ui, "%s", cause);
			free(cause);
		}
		if (ui->view == UI_HITS)
			ui_view_select(ui);
		return (UI_REDRAW);
	}
	len = strlen(ui->input);

	if (!is_key && (ch == '\r' || ch == '\n')) {
		ui_keys_prompt_done(ui);
		return (UI_REDRAW);
	}
	if ((is_key && ch == KEY_ENTER)) {
		ui_keys_prompt_done(ui);
		return (UI_REDRAW);
	}
	if (!is_key && (ch == 27 || ch == UI_KEYS_CTRL('g') ||
	    ch == UI_KEYS_CTRL('c'))) {
		ui->prompt = UI_PROMPT_NONE;
		ui_view_fp_end(ui);
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
