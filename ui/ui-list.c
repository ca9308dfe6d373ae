/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Lists of lines with a current line, the shape of every browser view,
 * and the text helpers that make those lines: escaping, display width,
 * fitting to columns, wrapping.  The current line is remembered by its
 * tag so that it survives a rebuild (tmux mode_tree_build).
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "xmalloc.h"
#include "escape.h"
#include "casetime.h"
#include "ui/ui.h"

void
ui_list_clear(struct ui_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->lines[i].text);
	free(l->lines);
	l->lines = NULL;
	l->n = 0;
}

/* Add a line of text that is already safe to show. */
void
ui_list_add(struct ui_list *l, enum ui_attr attr, int64_t tag,
    const char *text)
{
	l->lines = xreallocarray(l->lines, l->n + 1, sizeof *l->lines);
	l->lines[l->n].text = xstrdup(text);
	l->lines[l->n].attr = attr;
	l->lines[l->n].tag = tag;
	l->n++;
}

void
ui_list_addf(struct ui_list *l, enum ui_attr attr, int64_t tag,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	ui_list_add(l, attr, tag, s);
	free(s);
}

/* Escape text from evidence for the terminal; NULL becomes "". */
char *
ui_list_escape(const char *s)
{
	struct buf	b = { 0 };

	escape_term(&b, s);
	return (buf_take(&b));
}

/* Length in bytes and display width of the character at s. */
static size_t
ui_list_char(const char *s, int *width)
{
	mbstate_t	ps;
	wchar_t		wc;
	size_t		n;
	int		w;

	memset(&ps, 0, sizeof ps);
	n = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*width = 1;
		return (1);
	}
	w = wcwidth(wc);
	*width = w < 0 ? 1 : w;
	return (n);
}

/* The display width of s, counting a byte that is not a character as 1. */
int
ui_list_width(const char *s)
{
	int	w, total = 0;

	while (*s != '\0') {
		s += ui_list_char(s, &w);
		total += w;
	}
	return (total);
}

/* Append s to b cut or padded to exactly cols display columns. */
void
ui_list_fit(struct buf *b, const char *s, int cols)
{
	size_t	n;
	int	w, used = 0;

	if (s == NULL)
		s = "";
	while (*s != '\0') {
		n = ui_list_char(s, &w);
		if (used + w > cols)
			break;
		buf_append(b, s, n);
		used += w;
		s += n;
	}
	while (used++ < cols)
		buf_append(b, " ", 1);
}

/*
 * Add value, escaped, as lines of at most width columns: the first
 * begins with label, the others are indented as far.
 */
void
ui_list_add_wrapped(struct ui_list *l, enum ui_attr attr, int64_t tag,
    const char *label, const char *value, int width)
{
	struct buf	 b = { 0 };
	char		*esc, *line, *p;
	int		 indent, w, used;
	size_t		 n;

	esc = ui_list_escape(value != NULL ? value : "");
	indent = ui_list_width(label);
	if (width < indent + 10)
		width = indent + 10;
	p = esc;
	do {
		if (p == esc)
			buf_append_str(&b, label);
		else
			buf_printf(&b, "%*s", indent, "");
		for (used = indent; *p != '\0'; p += n) {
			n = ui_list_char(p, &w);
			if (used + w > width)
				break;
			buf_append(&b, p, n);
			used += w;
		}
		line = buf_take(&b);
		ui_list_add(l, attr, tag, line);
		free(line);
	} while (*p != '\0');
	free(esc);
}

/* Make the line tagged l->tag current again after a rebuild. */
void
ui_list_restore(struct ui_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (l->lines[i].tag == l->tag && l->tag != 0) {
			l->cur = i;
			return;
		}
	}
	ui_list_set(l, l->cur);
}

void
ui_list_set(struct ui_list *l, size_t i)
{
	if (l->n == 0) {
		l->cur = l->off = 0;
		return;
	}
	if (i >= l->n)
		i = l->n - 1;
	l->cur = i;
	l->tag = l->lines[i].tag;
}

void
ui_list_move(struct ui_list *l, long delta)
{
	long	i = (long)l->cur + delta;

	if (i < 0)
		i = 0;
	ui_list_set(l, (size_t)i);
}

/* Keep the current line among the height lines shown. */
void
ui_list_scroll(struct ui_list *l, int height)
{
	if (height < 1)
		height = 1;
	if (l->cur < l->off)
		l->off = l->cur;
	if (l->cur >= l->off + (size_t)height)
		l->off = l->cur - height + 1;
	if (l->n <= (size_t)height)
		l->off = 0;
	else if (l->off > l->n - height)
		l->off = l->n - height;
}

/* Case-insensitive substring search, ASCII only. */
static int
ui_list_match(const char *text, const char *s)
{
	size_t	n = strlen(s);

	for (; *text != '\0'; text++) {
		if (strncasecmp(text, s, n) == 0)
			return (1);
	}
	return (0);
}

/*
 * Move to the next line (dir 1) or previous (-1) containing s, going
 * round the end; 0 if found, -1 if no line contains it.
 */
int
ui_list_find(struct ui_list *l, const char *s, int dir)
{
	size_t	i, k;

	if (l->n == 0 || s == NULL || *s == '\0')
		return (-1);
	for (k = 1; k <= l->n; k++) {
		if (dir > 0)
			i = (l->cur + k) % l->n;
		else
			i = (l->cur + l->n - k) % l->n;
		if (ui_list_match(l->lines[i].text, s)) {
			ui_list_set(l, i);
			return (0);
		}
	}
	return (-1);
}

/*
 * How the browser shows times: in UTC, or in the zone TZ names (browse
 * -z sets TZ for the whole process), and with the year in short forms
 * only when the case spans more than one year.
 */
static int	ui_list_local;
static int	ui_list_years;

void
ui_list_set_time(int local, int years)
{
	ui_list_local = local;
	ui_list_years = years;
}

/*
 * The browser's zone, for reading a time typed without Z or an offset
 * as -E and -L read one: the zone TZ names, NULL for UTC.
 */
const char *
ui_list_zone(void)
{
	return (ui_list_local ? getenv("TZ") : NULL);
}

/*
 * Case time text (ISO 8601 UTC) as shown, in the browser's zone:
 * UI_TIME_CLOCK "10:00:11Z", UI_TIME_DATE "2024-03-05 10:00:11Z",
 * UI_TIME_SHORT "03-05 10:00:11Z" (with the year if the case spans
 * years), UI_TIME_DAY "2024-03-05", UI_TIME_MILLI "10:00:11.123",
 * UI_TIME_EXACT "2024-03-05T10:00:11.1234567Z"; Z is the offset
 * ("+01:00") in another zone.  Other text is returned escaped.
 */
char *
ui_list_time(const char *iso, int kind)
{
	struct tm	 tm;
	time_t		 t;
	char		 frac[8], off[32], date[32], *s;
	const char	*e;
	long		 g;
	size_t		 n;

	if (iso == NULL)
		return (xstrdup("?"));
	e = casetime_parse(iso, &t, frac, sizeof frac);
	if (e == NULL || (*e != 'Z' && *e != '\0'))
		return (ui_list_escape(iso));
	n = strlen(frac);
	if (ui_list_local) {
		localtime_r(&t, &tm);
		g = tm.tm_gmtoff;
		snprintf(off, sizeof off, "%c%02ld:%02ld", g < 0 ? '-' : '+',
		    labs(g) / 3600, labs(g) % 3600 / 60);
	} else {
		gmtime_r(&t, &tm);
		snprintf(off, sizeof off, "Z");
	}
	switch (kind) {
	case UI_TIME_CLOCK:
		strftime(date, sizeof date, "%H:%M:%S", &tm);
		break;
	case UI_TIME_SHORT:
		strftime(date, sizeof date, ui_list_years ?
		    "%Y-%m-%d %H:%M:%S" : "%m-%d %H:%M:%S", &tm);
		break;
	case UI_TIME_DAY:
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		return (xstrdup(date));
	case UI_TIME_MILLI:
		strftime(date, sizeof date, "%H:%M:%S", &tm);
		xasprintf(&s, "%s.%.3s", date, n >= 3 ? frac : "000");
		return (s);
	case UI_TIME_EXACT:
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
		xasprintf(&s, "%s%s%s%s", date, n > 0 ? "." : "", frac, off);
		return (s);
	default:
		strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	}
	xasprintf(&s, "%s%s", date, off);
	return (s);
}

/*
 * Move an ISO UTC time by secs seconds into out, to the second:
 * "2024-03-05T10:05:11".  -1 if the time cannot be read.
 */
int
ui_list_shift(const char *iso, int secs, char *out, size_t len)
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
