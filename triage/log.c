/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Messages on stderr.  While curses owns the terminal (log_curses) they
 * are held in memory, where the browser shows the newest on its status
 * line, and written to a log file if one was opened; log_close prints
 * the held ones to stderr once the terminal is back, so none is lost.
 * Each -v raises log_level: 0 warnings, 1 info, 2 debug.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"
#include "escape.h"
#include "parsers/parsers.h"

int		 log_level;
int		 log_curses;	/* curses is up: never write to stderr */
static FILE	*log_file;
static void	(*log_fatal_hook)(void);

/* Held while curses is up; past LOG_HELD_MAX only counted. */
#define LOG_HELD_MAX 1000
static char	**log_held;
static size_t	  log_nheld;
static size_t	  log_total;

/* Start logging at level; path, if not NULL, also gets every message. */
void
log_open(int level, const char *path)
{
	log_level = level;
	if (path != NULL && (log_file = fopen(path, "a")) != NULL)
		setvbuf(log_file, NULL, _IOLBF, 0);
}

/* Print and forget the held messages, and close the log file. */
void
log_close(void)
{
	size_t	i;

	for (i = 0; i < log_nheld; i++) {
		if (!log_curses)
			fprintf(stderr, "evtriage: %s\n", log_held[i]);
		free(log_held[i]);
	}
	if (!log_curses && log_total > log_nheld) {
		fprintf(stderr, "evtriage: %zu more messages not kept\n",
		    log_total - log_nheld);
	}
	free(log_held);
	log_held = NULL;
	log_nheld = log_total = 0;
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

/* The newest message held while curses is up, or NULL; n counts all. */
const char *
log_last(size_t *n)
{
	if (n != NULL)
		*n = log_total;
	return (log_nheld > 0 ? log_held[log_nheld - 1] : NULL);
}

void
log_set_fatal_hook(void (*hook)(void))
{
	log_fatal_hook = hook;
}

/*
 * Messages name evidence (file names, paths inside it, reasons taken
 * from it), which is the attacker's to choose: every message is escaped
 * as text from the evidence is, wherever it goes.
 */
static void
log_vwrite(const char *prefix, const char *fmt, va_list ap)
{
	struct buf	 b;
	char		*s, *m;

	xvasprintf(&s, fmt, ap);
	memset(&b, 0, sizeof b);
	buf_append_str(&b, prefix);
	escape_term(&b, s);
	free(s);
	m = buf_take(&b);
	if (!log_curses) {
		fprintf(stderr, "evtriage: %s\n", m);
		free(m);
		return;
	}
	if (log_file != NULL)
		fprintf(log_file, "evtriage: %s\n", m);
	log_total++;
	if (log_nheld == LOG_HELD_MAX) {
		free(m);
		return;
	}
	log_held = xreallocarray(log_held, log_nheld + 1, sizeof *log_held);
	log_held[log_nheld++] = m;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_vwrite("", fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < 2)
		return;
	va_start(ap, fmt);
	log_vwrite("debug: ", fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	if (log_fatal_hook != NULL)
		log_fatal_hook();
	va_start(ap, fmt);
	fprintf(stderr, "evtriage: fatal: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(saved));
	va_end(ap);
	exit(2);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	if (log_fatal_hook != NULL)
		log_fatal_hook();
	va_start(ap, fmt);
	fprintf(stderr, "evtriage: fatal: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}
