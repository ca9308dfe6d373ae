/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The hosts of a case and the scope of what was read of each: the
 * sources (Sysmon, Security auditing, CrowdStrike FDR), process events,
 * first and last event, evidence files and their problems, and the flags
 * that say the seed detection is blind there (auditing off, no command
 * lines).  One list for hosts, the scan summary, reports and browser.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db-int.h"

/*
 * A host is a process.dest (System/Computer, FDR ComputerName); the case
 * keeps no computer name of a log none of whose records is a process
 * event, so those files are gathered in one last entry with dest NULL.
 * Sources come from the rows: Sysmon by provider (its 5 by event ID, as
 * process_end keeps no provider), Security by 4688/4689, FDR by provider.
 */
static const char db_host_sql[] =
    "WITH r (dest, evidence_id, _time, start, sysmon, security, fdr, "
    "sec4688, nocmd) AS ("
    "SELECT dest, evidence_id, _time, 1, "
    "provider = 'Microsoft-Windows-Sysmon', event_id = 4688, "
    "provider = 'CrowdStrike', event_id = 4688, "
    "event_id = 4688 AND (process IS NULL OR process = '') FROM process "
    "UNION ALL SELECT dest, evidence_id, _time, 0, event_id = 5, "
    "event_id = 4689, event_id NOT IN (5, 4689), 0, 0 FROM process_end), "
    /* One pass over the rows: a host's part of each file, then the host. */
    "de AS (SELECT dest, evidence_id, max(sysmon) s, max(security) sec, "
    "max(fdr) f, sum(start) ev, sum(1 - start) ends, sum(sec4688) n4688, "
    "sum(nocmd) nocmd, min(_time) t0, max(_time) t1 FROM r "
    "GROUP BY dest, evidence_id) "
    "SELECT de.dest, max(s), max(sec), max(f), sum(ev), sum(ends), "
    "sum(n4688), sum(nocmd), min(t0), max(t1), count(*), "
    "sum(e.unreadable), sum((SELECT count(*) FROM problem p "
    "WHERE p.evidence_id = de.evidence_id)), sum(e.status <> 'done'), "
    "(SELECT id FROM process p WHERE p.dest = de.dest ORDER BY _time "
    "LIMIT 1) FROM de JOIN evidence e ON e.id = de.evidence_id "
    "GROUP BY de.dest ORDER BY de.dest IS NULL, de.dest";

/* Does path name a Security log (Security.evtx, its XML export...)? */
static int
db_host_is_security(const char *path)
{
	const char	*base;

	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	return (strncasecmp(base, "Security.", 9) == 0);
}

/* The first process creation with no computer name, or 0. */
static int64_t
db_host_first_unnamed(struct db *db)
{
	sqlite3_stmt	*st;
	int64_t		 id = 0;

	st = db_prepare(db, "SELECT id FROM process WHERE dest IS NULL "
	    "ORDER BY _time LIMIT 1");
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (id);
}

/* The files with no process event at all: the host is not known. */
static void
db_host_unknown(struct db *db, struct db_host *x)
{
	sqlite3_stmt	*st;
	const char	*path;

	memset(x, 0, sizeof *x);
	st = db_prepare(db, "SELECT path, records, unreadable, status, "
	    "(SELECT count(*) FROM problem p WHERE p.evidence_id = e.id) "
	    "FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM process "
	    "WHERE evidence_id = e.id) AND NOT EXISTS (SELECT 1 FROM "
	    "process_end WHERE evidence_id = e.id)");
	while (sqlite3_step(st) == SQLITE_ROW) {
		path = (const char *)sqlite3_column_text(st, 0);
		x->files++;
		x->records += sqlite3_column_int64(st, 1);
		x->unreadable += sqlite3_column_int64(st, 2);
		if (strcmp((const char *)sqlite3_column_text(st, 3),
		    "done") != 0)
			x->incomplete++;
		x->problems += sqlite3_column_int64(st, 4);
		if (path != NULL && db_host_is_security(path)) {
			x->sources |= DB_HOST_SECURITY;
			x->flags |= DB_HOST_NO_4688;
		}
	}
	sqlite3_finalize(st);
}

/*
 * Every host of the case, sorted by name, then (if there are such files)
 * one entry with dest NULL for the logs with no process event.
 */
int
db_host_list(struct db *db, struct db_host **out, size_t *n)
{
	sqlite3_stmt	*st;
	struct db_host	*h = NULL, *x, unknown;
	size_t		 count = 0;

	st = db_prepare(db, db_host_sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		h = xreallocarray(h, count + 1, sizeof *h);
		x = &h[count++];
		memset(x, 0, sizeof *x);
		x->dest = db_column_text(st, 0);
		if (sqlite3_column_int(st, 1))
			x->sources |= DB_HOST_SYSMON;
		if (sqlite3_column_int(st, 2))
			x->sources |= DB_HOST_SECURITY;
		if (sqlite3_column_int(st, 3))
			x->sources |= DB_HOST_FDR;
		x->events = sqlite3_column_int64(st, 4);
		x->ends = sqlite3_column_int64(st, 5);
		x->security_events = sqlite3_column_int64(st, 6);
		x->no_cmdline = sqlite3_column_int64(st, 7);
		x->first = db_column_text(st, 8);
		x->last = db_column_text(st, 9);
		x->files = sqlite3_column_int64(st, 10);
		x->unreadable = sqlite3_column_int64(st, 11);
		x->problems = sqlite3_column_int64(st, 12);
		x->incomplete = sqlite3_column_int64(st, 13);
		x->first_id = sqlite3_column_int64(st, 14);
		/* Events with no System/Computer: their first by hand. */
		if (x->dest == NULL)
			x->first_id = db_host_first_unnamed(db);
		/* Terminations logged but no creation: auditing is off. */
		if ((x->sources & DB_HOST_SECURITY) && x->security_events == 0)
			x->flags |= DB_HOST_NO_4688;
		if (x->no_cmdline > 0)
			x->flags |= DB_HOST_NO_CMDLINE;
	}
	sqlite3_finalize(st);
	db_host_unknown(db, &unknown);
	unknown.unknown = 1;
	if (unknown.files > 0) {
		h = xreallocarray(h, count + 1, sizeof *h);
		h[count++] = unknown;
	}
	*out = h;
	*n = count;
	return (0);
}

void
db_host_free(struct db_host *h, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(h[i].dest);
		free(h[i].first);
		free(h[i].last);
	}
	free(h);
}

/* The sources of a host as words: "Sysmon, Security, FDR" or "none". */
void
db_host_sources(const struct db_host *h, char *s, size_t size)
{
	snprintf(s, size, "%s%s%s%s%s",
	    (h->sources & DB_HOST_SYSMON) ? "Sysmon" : "",
	    (h->sources & DB_HOST_SYSMON) &&
	    (h->sources & (DB_HOST_SECURITY|DB_HOST_FDR)) ? "," : "",
	    (h->sources & DB_HOST_SECURITY) ? "Security" : "",
	    (h->sources & DB_HOST_SECURITY) && (h->sources & DB_HOST_FDR) ?
	    "," : "",
	    (h->sources & DB_HOST_FDR) ? "FDR" : "");
	if (*s == '\0')
		snprintf(s, size, "none");
}

/* Why the seed detection may be blind on a host, or NULL. */
const char *
db_host_flag_text(const struct db_host *h)
{
	/* Logs with no process event: no 4689 either, auditing or the log. */
	if ((h->flags & DB_HOST_NO_4688) && h->unknown)
		return ("Security logs without 4688 or 4689: auditing off?");
	if (h->flags & DB_HOST_NO_4688)
		return ("Security log without 4688: process auditing off");
	if (h->flags & DB_HOST_NO_CMDLINE)
		return ("4688 without command lines");
	return (NULL);
}
