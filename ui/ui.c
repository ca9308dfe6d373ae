/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Set curses up, run the loop (key, action, flags, draw) and give the
 * terminal back however we leave: on q, on a signal, on a crash, and
 * before fatal() prints.  While curses is up nothing is written to
 * stdout or stderr: log_curses holds messages in the log, the newest is
 * shown on the status line, and all are printed once the terminal is
 * back.
 */

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "xmalloc.h"
#include "ui/ui.h"

static volatile sig_atomic_t	ui_up;
static volatile sig_atomic_t	ui_signalled;

/* Give the terminal back; safe to call twice. */
static void
ui_end(void)
{
	if (!ui_up)
		return;
	ui_up = 0;
	endwin();
	log_curses = 0;
	log_close();
}

static void
ui_quit_signal(int sig)
{
	ui_signalled = sig;
}

/*
 * A crash: restore the terminal, then die of the same signal.  endwin()
 * is not async-signal-safe, but a shell left in raw mode is worse (htop
 * CRT_handleSIGSEGV does the same).
 */
static void
ui_crash_signal(int sig)
{
	if (ui_up)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
ui_signals(int on)
{
	struct sigaction	sa;
	static const int	quit[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int	crash[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
				    SIGILL };
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on ? ui_quit_signal : SIG_DFL;
	for (i = 0; i < sizeof quit / sizeof quit[0]; i++)
		sigaction(quit[i], &sa, NULL);
	sa.sa_handler = on ? ui_crash_signal : SIG_DFL;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof crash / sizeof crash[0]; i++)
		sigaction(crash[i], &sa, NULL);
}

static void
ui_size(struct ui *ui)
{
	ui->width = COLS;
	ui->height = LINES;
}

static int
ui_key(struct ui *ui, wint_t wch, int code)
{
	MEVENT	m;
	int	what;

	if (code == KEY_CODE_YES && wch == KEY_RESIZE) {
		ui_size(ui);
		if (ui->view == UI_HITS)
			return (UI_REBUILD | UI_SELECT);
		return (UI_REBUILD);
	}
	if (code == KEY_CODE_YES && wch == KEY_MOUSE) {
		if (getmouse(&m) != OK)
			return (0);
		if (m.bstate & BUTTON1_DOUBLE_CLICKED)
			what = UI_KEYS_DOUBLE;
		else if (m.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
			what = UI_KEYS_CLICK;
		else if (m.bstate & BUTTON4_PRESSED)
			what = UI_KEYS_WHEEL_UP;
#ifdef BUTTON5_PRESSED
		else if (m.bstate & BUTTON5_PRESSED)
			what = UI_KEYS_WHEEL_DOWN;
#endif
		else
			return (0);
		return (ui_keys_mouse(ui, m.y, m.x, what));
	}
	if (ui->prompt != UI_PROMPT_NONE)
		return (ui_keys_prompt(ui, (int)wch, code == KEY_CODE_YES));
	ui_view_status(ui, NULL);
	return (ui_keys_dispatch(ui, (int)wch));
}

/* Rebuild what an action's flags ask for, in their order. */
static void
ui_rebuild(struct ui *ui, int f)
{
	if (f & UI_REBUILD_HITS)
		ui_view_build(ui, UI_HITS);
	if ((f & UI_REBUILD) &&
	    !(ui->view == UI_HITS && (f & UI_REBUILD_HITS)))
		ui_view_build(ui, ui->view);
	if (f & UI_REBUILD_FIELDS)
		ui_filter_build(ui);
	if (f & UI_SELECT)
		ui_view_select(ui);
}

/*
 * Browse a case until the user quits.  flags: UI_SHOW_FILTERED,
 * UI_READONLY.  -1 with a cause if there is no terminal to browse on.
 */
int
ui_run(struct db *db, int flags, char **cause)
{
	struct ui	*ui;
	wint_t		 wch;
	const char	*last;
	size_t		 nlog, seen = 0;
	int		 code, f;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*cause = xstrdup("browse needs a terminal");
		return (-1);
	}
	setlocale(LC_ALL, "");
	log_set_fatal_hook(ui_end);
	ui_signals(1);
	if (initscr() == NULL) {
		ui_signals(0);
		*cause = xstrdup("cannot start curses");
		return (-1);
	}
	log_open(log_level, NULL);
	ui_up = 1;
	log_curses = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	timeout(250);		/* to see signals */
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
	    BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	    | BUTTON5_PRESSED
#endif
	    , NULL);
	curs_set(0);
	ui_draw_init();

	ui = ui_view_create(db, flags & UI_SHOW_FILTERED);
	ui->readonly = (flags & UI_READONLY) != 0;
	ui_size(ui);
	ui_rebuild(ui, UI_REBUILD_HITS | UI_SELECT);
	/* No hits: open on the hosts, from which every timeline opens. */
	if (ui->nhits == 0) {
		ui->view = UI_HOSTS;
		ui_rebuild(ui, UI_REBUILD | UI_SELECT);
		ui_view_status(ui, "no hits in this case: Enter opens a "
		    "host's timeline");
	}
	f = UI_REDRAW;
	while (!ui_signalled) {
		if (f & UI_QUIT)
			break;
		ui_rebuild(ui, f);
		if ((last = log_last(&nlog)) != NULL && nlog != seen) {
			seen = nlog;
			ui_view_status(ui, "%s", last);
			f |= UI_REDRAW;
		}
		/* Every flag but UI_QUIT asks for a draw. */
		if (f != 0)
			ui_draw(ui, f);
		code = get_wch(&wch);
		if (code == ERR) {
			f = 0;
			continue;
		}
		f = ui_key(ui, wch, code);
	}
	ui_end();
	ui_signals(0);
	log_set_fatal_hook(NULL);
	ui_view_free(ui);
	return (0);
}
