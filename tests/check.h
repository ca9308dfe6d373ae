/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The unit tests' assertion: CHECK(name, cond) prints the TAP line
 * "ok - name", or "not ok - name" with file:line and the condition, and
 * counts it.  CHECK_STR(name, got, want) is the same for two strings
 * (either may be NULL) and prints both when they differ.  check_finish()
 * prints the plan and returns the exit status.
 */

#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int	check_count;
static int	check_failed;

#define CHECK(name, cond) do {						\
	check_count++;							\
	if (cond)							\
		printf("ok - %s\n", (name));				\
	else {								\
		printf("not ok - %s\n#   %s:%d: %s\n", (name), __FILE__,	\
		    __LINE__, #cond);					\
		check_failed = 1;					\
	}								\
} while (0)

#define CHECK_STR(name, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	check_count++;							\
	if ((g_ == NULL && w_ == NULL) ||				\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0))		\
		printf("ok - %s\n", (name));				\
	else {								\
		printf("not ok - %s\n#   %s:%d: got '%s', want '%s'\n",	\
		    (name), __FILE__, __LINE__, g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
		check_failed = 1;					\
	}								\
} while (0)

static int
check_finish(void)
{
	printf("1..%d\n", check_count);
	return (check_failed);
}

#endif
