/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Case time (casetime.c), which every layer may use: the case keeps
 * times as ISO 8601 UTC text, "2024-03-05T10:14:07.1234567Z"; this
 * parses that text and shows it in a zone.  Zones are tz database
 * names; NULL is UTC.
 */

#ifndef CASETIME_H
#define CASETIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CASETIME_ISO	0	/* 2024-03-05T10:14:07.1234567Z */
#define CASETIME_HUMAN	1	/* 2024-03-05 10:14:07.1234567Z */
#define CASETIME_MICRO	2	/* 2024-03-05T10:14:07.123456+00:00 */
#define CASETIME_CTIME	3	/* 03/05/2024 10:14:07, as Splunk's ctime */

/* casetime.c */
int	 casetime_zone_check(const char *, char **);
int	 casetime_zone_set(const char *, char **, char **);
void	 casetime_zone_restore(const char *, char *);
const char *casetime_parse(const char *, time_t *, char *, size_t);
char	*casetime_format(const char *, const char *, int);
void	 casetime_tm(time_t, const char *, struct tm *);
time_t	 casetime_mktime(struct tm *, const char *);
char	*casetime_filetime(uint64_t);

#endif
