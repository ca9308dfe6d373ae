/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Case time: making the case's ISO 8601 UTC text from a FILETIME,
 * parsing it and showing it in a zone.  The C library knows one zone at a time, the one TZ names, so
 * this is the one place that changes TZ: for a call (casetime_tm,
 * casetime_mktime) or, for a report or the browser that show every time
 * in one zone, for as long as they run (casetime_zone_set).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"
#include "casetime.h"

/*
 * Check a zone name against the tz database; NULL means UTC.  Names are
 * taken as files under TZDIR only, so that a typing error is an error
 * and never silently UTC.
 */
int
casetime_zone_check(const char *tz, char **cause)
{
	const char	*dir;
	char		*path;
	int		 ok;

	if (tz == NULL)
		return (0);
	if (*tz == '\0' || *tz == '/' || strstr(tz, "..") != NULL) {
		xasprintf(cause, "bad time zone '%s'", tz);
		return (-1);
	}
	if ((dir = getenv("TZDIR")) == NULL)
		dir = "/usr/share/zoneinfo";
	xasprintf(&path, "%s/%s", dir, tz);
	ok = (access(path, R_OK) == 0);
	free(path);
	if (!ok) {
		xasprintf(cause, "unknown time zone '%s' (not in %s)", tz,
		    dir);
		return (-1);
	}
	return (0);
}

/*
 * Make tz the zone localtime and mktime use, and return 1 with the old
 * TZ (NULL if unset) in old.  For one call (force 0), a tz that is the
 * zone already (casetime_zone_set made it so) is left alone and 0
 * returned, which saves reading the zone's file twice a call.
 */
static int
casetime_zone_push(const char *tz, char **old, int force)
{
	const char	*now;

	*old = NULL;
	now = getenv("TZ");
	if (!force && now != NULL && strcmp(now, tz) == 0)
		return (0);
	if (now != NULL)
		*old = xstrdup(now);
	setenv("TZ", tz, 1);
	tzset();
	return (1);
}

/* Put back what casetime_zone_push replaced, and free old. */
static void
casetime_zone_pop(int pushed, char *old)
{
	if (!pushed)
		return;
	if (old != NULL)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/*
 * Make tz (checked as casetime_zone_check does) the zone until
 * casetime_zone_restore; NULL leaves the zone alone.  The old TZ, NULL
 * if it was unset, goes to old.
 */
int
casetime_zone_set(const char *tz, char **old, char **cause)
{
	*old = NULL;
	if (tz == NULL)
		return (0);
	if (casetime_zone_check(tz, cause) != 0)
		return (-1);
	casetime_zone_push(tz, old, 1);
	return (0);
}

/* Put back the TZ that casetime_zone_set replaced, and free old. */
void
casetime_zone_restore(const char *tz, char *old)
{
	casetime_zone_pop(tz != NULL, old);
}

/* Break the instant t down in zone tz. */
void
casetime_tm(time_t t, const char *tz, struct tm *tm)
{
	char	*old;
	int	 pushed;

	if (tz == NULL) {
		gmtime_r(&t, tm);
		return;
	}
	pushed = casetime_zone_push(tz, &old, 0);
	localtime_r(&t, tm);
	casetime_zone_pop(pushed, old);
}

/* The instant of wall-clock time tm in zone tz, or (time_t)-1. */
time_t
casetime_mktime(struct tm *tm, const char *tz)
{
	char	*old;
	time_t	 t;
	int	 pushed;

	if (tz == NULL)
		return (timegm(tm));
	pushed = casetime_zone_push(tz, &old, 0);
	tm->tm_isdst = -1;
	t = mktime(tm);
	casetime_zone_pop(pushed, old);
	return (t);
}

/*
 * Parse case time text into seconds and its fraction digits (at most
 * fsize - 1 of them; frac may be NULL).  Return where the text stops,
 * after the fraction, or NULL if it does not start with a time.
 */
const char *
casetime_parse(const char *iso, time_t *t, char *frac, size_t fsize)
{
	struct tm	 tm;
	const char	*e;
	size_t		 n = 0;

	memset(&tm, 0, sizeof tm);
	if (iso == NULL ||
	    (e = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return (NULL);
	if (*e == '.') {
		for (e++; *e >= '0' && *e <= '9'; e++) {
			if (frac != NULL && n + 1 < fsize)
				frac[n++] = *e;
		}
	}
	if (frac != NULL)
		frac[n] = '\0';
	*t = timegm(&tm);
	return (e);
}

/*
 * Show case time text in zone tz, as a string the caller owns.  In UTC
 * the text is the case's own; in another zone the same instant with the
 * zone's offset.  CASETIME_HUMAN puts a space for the T, CASETIME_MICRO
 * cuts the fraction to microseconds and writes UTC as +00:00, which is
 * what Timesketch takes, and CASETIME_CTIME is security_content_ctime's
 * "%m/%d/%Y %H:%M:%S", which carries no zone and no fraction.  Text that
 * is not a time is returned as it is, NULL as NULL.
 */
char *
casetime_format(const char *iso, const char *tz, int style)
{
	struct tm	 tm;
	time_t		 t;
	char		 frac[16], date[64], off[32], *out;
	const char	*e;
	long		 g;

	if (iso == NULL)
		return (NULL);
	if (style == CASETIME_CTIME) {
		/* What follows the seconds is not looked at. */
		memset(&tm, 0, sizeof tm);
		if (strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) == NULL)
			return (xstrdup(iso));
		if (tz != NULL)
			casetime_tm(timegm(&tm), tz, &tm);
		strftime(date, sizeof date, "%m/%d/%Y %H:%M:%S", &tm);
		return (xstrdup(date));
	}
	e = casetime_parse(iso, &t, frac, sizeof frac);
	if (e == NULL || (*e != 'Z' && *e != '\0'))
		return (xstrdup(iso));
	if (style == CASETIME_MICRO) {
		frac[6] = '\0';
		while (strlen(frac) < 6)
			strcat(frac, "0");
	}
	casetime_tm(t, tz, &tm);
	if (tz == NULL) {
		snprintf(off, sizeof off, "%s",
		    style == CASETIME_MICRO ? "+00:00" : "Z");
	} else {
		g = tm.tm_gmtoff;
		snprintf(off, sizeof off, "%c%02ld:%02ld", g < 0 ? '-' : '+',
		    labs(g) / 3600, labs(g) % 3600 / 60);
	}
	strftime(date, sizeof date, style == CASETIME_HUMAN ?
	    "%Y-%m-%d %H:%M:%S" : "%Y-%m-%dT%H:%M:%S", &tm);
	xasprintf(&out, "%s%s%s%s", date, *frac != '\0' ? "." : "", frac,
	    off);
	return (out);
}

/* Render a FILETIME (100 ns since 1601, UTC) as case time text. */
char *
casetime_filetime(uint64_t ft)
{
	struct tm	tm;
	time_t		secs;
	char		out[40], date[24];

	secs = (time_t)(ft / 10000000ULL) - 11644473600LL;
	if (gmtime_r(&secs, &tm) == NULL)
		return (xstrdup("1601-01-01T00:00:00.0000000Z"));
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sizeof out, "%s.%07lluZ", date,
	    (unsigned long long)(ft % 10000000ULL));
	return (xstrdup(out));
}
