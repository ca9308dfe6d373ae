/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Messages on stderr, or into a log file while curses owns the terminal.
 * Each -v raises log_level: 0 warnings, 1 info, 2 debug.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

int		 log_level;
int		 log_curses;	/* curses is up: never write to stderr */
static FILE	*log_file;
static void	(*log_fatal_hook)(void);

void
log_open(int level, const char *path)
{
	log_level = level;
	if (path != NULL && (log_file = fopen(path, "a")) != NULL)
		setvbuf(log_file, NULL, _IOLBF, 0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

void
log_set_fatal_hook(void (*hook)(void))
{
	log_fatal_hook = hook;
}

static void
log_vwrite(const char *prefix, const char *fmt, va_list ap)
{
	FILE	*f;

	if (log_curses)
		f = log_file;
	else
		f = stderr;
	if (f == NULL)
		return;
	fprintf(f, "evtriage: %s", prefix);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
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
