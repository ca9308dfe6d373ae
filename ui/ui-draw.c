/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Drawing, and the only drawing: the tab bar, the view's header, its
 * lines and the status line.  Lines arrive escaped from the model; here
 * they are only cut to the screen's width, by display columns.  Colour
 * where the terminal has it; attributes alone must read as well.
 */

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "xmalloc.h"
#include "ui/ui.h"

enum {
	UI_DRAW_BAR = 1,
	UI_DRAW_HEADING,
	UI_DRAW_HIT,
	UI_DRAW_FILTERED,
	UI_DRAW_PLACEHOLDER,
	UI_DRAW_WARN
};

static int	ui_draw_colour;

void
ui_draw_init(void)
{
	if (!has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(UI_DRAW_BAR, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_DRAW_HEADING, COLOR_CYAN, -1);
	init_pair(UI_DRAW_HIT, COLOR_RED, -1);
	init_pair(UI_DRAW_FILTERED, COLOR_BLUE, -1);
	init_pair(UI_DRAW_PLACEHOLDER, COLOR_MAGENTA, -1);
	init_pair(UI_DRAW_WARN, COLOR_YELLOW, -1);
	ui_draw_colour = 1;
}

static attr_t
ui_draw_attr(enum ui_attr a)
{
	switch (a) {
	case UI_ATTR_HEADING:
		return (A_BOLD | (ui_draw_colour ?
		    COLOR_PAIR(UI_DRAW_HEADING) : 0));
	case UI_ATTR_HIT:
		return (A_BOLD | (ui_draw_colour ?
		    COLOR_PAIR(UI_DRAW_HIT) : A_UNDERLINE));
	case UI_ATTR_FILTERED:
		return (ui_draw_colour ? COLOR_PAIR(UI_DRAW_FILTERED) : A_DIM);
	case UI_ATTR_PLACEHOLDER:
		return (ui_draw_colour ? COLOR_PAIR(UI_DRAW_PLACEHOLDER) :
		    A_DIM);
	case UI_ATTR_DIM:
		return (A_DIM);
	case UI_ATTR_WARN:
		return (ui_draw_colour ? COLOR_PAIR(UI_DRAW_WARN) : A_BOLD);
	default:
		return (A_NORMAL);
	}
}

/*
 * Draw s at y, x in at most cols columns, padding with blanks if fill.
 * A character the terminal cannot show (no width) is drawn as '?'.
 * Returns the columns used.
 */
static int
ui_draw_text(int y, int x, const char *s, int cols, int fill)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		n;
	int		w, used = 0;

	move(y, x);
	memset(&ps, 0, sizeof ps);
	while (*s != '\0' && used < cols) {
		n = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof ps);
			addch('?');
			used++;
			s++;
			continue;
		}
		w = wcwidth(wc);
		if (w < 0) {
			addch('?');
			w = 1;
		} else if (used + w > cols)
			break;
		else
			addnstr(s, (int)n);
		used += w;
		s += n;
	}
	while (fill && used < cols) {
		addch(' ');
		used++;
	}
	return (used);
}

static void
ui_draw_tabs(struct ui *ui)
{
	char	label[32];
	int	v, x = 0;

	attrset(A_REVERSE | (ui_draw_colour ? COLOR_PAIR(UI_DRAW_BAR) : 0));
	move(0, 0);
	hline(' ', COLS);
	for (v = 0; v < UI_HELP; v++) {
		ui->tabx[v] = x;
		snprintf(label, sizeof label, " %d %s ", v + 1,
		    ui_view_table[v].name);
		if ((int)ui->view == v)
			attrset(A_BOLD | (ui_draw_colour ? 0 : A_UNDERLINE));
		if (x < COLS)
			x += ui_draw_text(0, x, label, COLS - x, 0);
		attrset(A_REVERSE | (ui_draw_colour ?
		    COLOR_PAIR(UI_DRAW_BAR) : 0));
	}
	ui->tabx[UI_HELP] = x;
	if (x + 8 < COLS)
		ui_draw_text(0, COLS - 8, " ? help ", 8, 0);
	attrset(A_NORMAL);
}

/* What the status line prompt asks for. */
static const char *
ui_draw_prompt(struct ui *ui)
{
	switch (ui->prompt) {
	case UI_PROMPT_SEARCH:
		return ("/");
	case UI_PROMPT_EVENTS:
		return ("search every process event: ");
	case UI_PROMPT_TIME:
		return ("go to time: ");
	case UI_PROMPT_HOST:
		return ("timeline of host: ");
	case UI_PROMPT_SWINDOW:
		return ("search window, from..until as -E and -L take "
		    "them (empty: all times): ");
	case UI_PROMPT_SHOST:
		return ("search on host (empty: all hosts): ");
	default:
		return ("false positive, reason: ");
	}
}

static void
ui_draw_status(struct ui *ui)
{
	char	*s;
	int	 x;

	move(LINES - 1, 0);
	clrtoeol();
	if (ui->prompt == UI_PROMPT_FIELDS) {
		attrset(A_DIM);
		ui_draw_text(LINES - 1, 0, ui_view_fields.hint, COLS, 0);
		attrset(A_NORMAL);
		curs_set(0);
		return;
	}
	/* UI_PROMPT_UNFILTER's question is the status, drawn below. */
	if (ui->prompt != UI_PROMPT_NONE && ui->prompt != UI_PROMPT_UNFILTER) {
		s = ui_list_escape(ui->input);
		attrset(A_BOLD);
		x = ui_draw_text(LINES - 1, 0, ui_draw_prompt(ui), COLS, 0);
		attrset(A_NORMAL);
		/* Keep the end of a long entry in view. */
		while (ui_list_width(s) > COLS - x - 1 && *s != '\0')
			memmove(s, s + 1, strlen(s));
		x += ui_draw_text(LINES - 1, x, s, COLS - x, 0);
		free(s);
		move(LINES - 1, x < COLS ? x : COLS - 1);
		curs_set(1);
		return;
	}
	curs_set(0);
	if (ui->status != NULL) {
		attrset(A_BOLD);
		s = ui_list_escape(ui->status);
		ui_draw_text(LINES - 1, 0, s, COLS, 0);
		free(s);
		attrset(A_NORMAL);
		return;
	}
	attrset(A_DIM);
	ui_draw_text(LINES - 1, 0, ui_view_table[ui->view].hint, COLS, 0);
	attrset(A_NORMAL);
}

/* Draw the whole screen from the model; all of it again if UI_CLEAR. */
void
ui_draw(struct ui *ui, int flags)
{
	struct ui_list	*l = ui_view_list(ui);
	struct ui_line	*line;
	char		*s;
	int		 y, height = LINES - 3;
	size_t		 i;

	/* The false-positive checklist takes the view's place. */
	if (ui->prompt == UI_PROMPT_FIELDS)
		l = &ui->fplist;
	if (flags & UI_CLEAR)
		clearok(curscr, TRUE);
	erase();
	ui_draw_tabs(ui);
	s = ui_view_header(ui);
	attrset(A_BOLD);
	ui_draw_text(1, 0, s, COLS, 0);
	attrset(A_NORMAL);
	free(s);
	ui_list_scroll(l, height);
	for (y = 0; y < height; y++) {
		i = l->off + y;
		if (i >= l->n)
			break;
		line = &l->lines[i];
		if (i == l->cur) {
			attrset(ui_draw_attr(line->attr) | A_REVERSE);
			ui_draw_text(2 + y, 0, line->text, COLS, 1);
		} else {
			attrset(ui_draw_attr(line->attr));
			ui_draw_text(2 + y, 0, line->text, COLS, 0);
		}
		attrset(A_NORMAL);
	}
	if (l->n > (size_t)height) {
		/* Where we are, as less does. */
		char	pos[32];

		snprintf(pos, sizeof pos, " %zu/%zu ", l->cur + 1, l->n);
		if ((int)strlen(pos) < COLS)
			ui_draw_text(1, COLS - (int)strlen(pos), pos,
			    (int)strlen(pos), 0);
	}
	ui_draw_status(ui);
	refresh();
}
