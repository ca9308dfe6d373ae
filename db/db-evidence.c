/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evidence of a case as the commands, reports and browser list it:
 * each file read, the paths it was seen under, the files not read, and
 * the problems found in them, one by one or grouped by reason.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

/* Every evidence file of the case, in the order they were added. */
int
db_evidence_list(struct db *db, struct db_evidence **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct db_evidence	*e = NULL, *x;
	size_t			 count = 0;

	st = db_prepare(db, "SELECT id, sha256, path, size, mtime, "
	    "format_version, dirty, corrupted, records, recovered, "
	    "unreadable, process_events, end_events, status, message, "
	    "loaded_at, recovered + (SELECT count(*) FROM problem p WHERE "
	    "p.evidence_id = evidence.id AND p.kind = 'record' AND "
	    "p.recovered = 1), " DB_CHAIN("evidence.id", "evidence.path")
	    ", fast_records FROM evidence ORDER BY path, id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		e = xreallocarray(e, count + 1, sizeof *e);
		x = &e[count++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(st, 0);
		snprintf(x->sha256, sizeof x->sha256, "%s",
		    (const char *)sqlite3_column_text(st, 1));
		x->path = db_column_text(st, 2);
		x->size = sqlite3_column_int64(st, 3);
		x->mtime = db_column_text(st, 4);
		x->format_version = db_column_text(st, 5);
		x->dirty = sqlite3_column_int(st, 6);
		x->corrupted = sqlite3_column_int(st, 7);
		x->records = sqlite3_column_int64(st, 8);
		x->recovered = sqlite3_column_int64(st, 9);
		x->unreadable = sqlite3_column_int64(st, 10);
		x->process_events = sqlite3_column_int64(st, 11);
		x->end_events = sqlite3_column_int64(st, 12);
		x->status = db_column_text(st, 13);
		x->message = db_column_text(st, 14);
		x->loaded_at = db_column_text(st, 15);
		x->slack = sqlite3_column_int64(st, 16);
		x->provenance = db_column_text(st, 17);
		x->chain = db_column_text(st, 18);
		x->fast_records = sqlite3_column_type(st, 19) == SQLITE_NULL ?
		    -1 : sqlite3_column_int64(st, 19);
	}
	sqlite3_finalize(st);
	*out = e;
	*n = count;
	return (0);
}

void
db_evidence_free(struct db_evidence *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(e[i].path);
		free(e[i].mtime);
		free(e[i].format_version);
		free(e[i].status);
		free(e[i].message);
		free(e[i].loaded_at);
		free(e[i].provenance);
		free(e[i].chain);
	}
	free(e);
}

/* Every path an evidence file was seen under, sorted. */
char **
db_evidence_paths(struct db *db, int64_t evidence_id, size_t *nout)
{
	sqlite3_stmt	*st;
	char		**all = NULL;
	size_t		 n = 0;

	st = db_prepare(db, "SELECT path FROM evidence_path "
	    "WHERE evidence_id = ? ORDER BY path");
	sqlite3_bind_int64(st, 1, evidence_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		all[n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	*nout = n;
	return (all);
}

/*
 * The files of the evidence that were not read at all: unreadable, not
 * EVTX though named so, or evidence evtriage cannot read yet (a zip).
 * They have no evidence row, only their problem (one a run: listed once).
 */
int
db_evidence_unread(struct db *db, struct db_unread **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct db_unread	*u = NULL, *x;
	size_t			 count = 0;

	/* A file read since (its permissions fixed) is no longer unread. */
	st = db_prepare(db, "SELECT path, kind, reason FROM problem "
	    "WHERE evidence_id IS NULL AND path IS NOT NULL AND path NOT IN "
	    "(SELECT path FROM evidence_path) "
	    "GROUP BY path, kind, reason ORDER BY path, kind");
	while (sqlite3_step(st) == SQLITE_ROW) {
		u = xreallocarray(u, count + 1, sizeof *u);
		x = &u[count++];
		x->path = db_column_text(st, 0);
		x->kind = db_column_text(st, 1);
		x->reason = db_column_text(st, 2);
	}
	sqlite3_finalize(st);
	*out = u;
	*n = count;
	return (0);
}

void
db_evidence_unread_free(struct db_unread *u, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(u[i].path);
		free(u[i].kind);
		free(u[i].reason);
	}
	free(u);
}

/* The first limit problems of an evidence file and how many there are. */
int
db_evidence_problems(struct db *db, int64_t evidence, size_t limit,
    struct db_problem **out, size_t *nout, int64_t *total)
{
	sqlite3_stmt		*st;
	struct db_problem	*all = NULL, *p;
	size_t			 n = 0;

	*total = 0;
	st = db_prepare(db, "SELECT count(*) FROM problem "
	    "WHERE evidence_id = ?");
	sqlite3_bind_int64(st, 1, evidence);
	if (sqlite3_step(st) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = db_prepare(db, "SELECT kind, record_index, recovered, "
	    "offset, reason FROM problem WHERE evidence_id = ? ORDER BY id "
	    "LIMIT ?");
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		p = &all[n++];
		p->kind = db_column_text(st, 0);
		p->count = 1;
		p->record_index = db_column_id(st, 1);
		p->recovered = sqlite3_column_int(st, 2);
		p->offset = db_column_id(st, 3);
		p->reason = db_column_text(st, 4);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

/*
 * The problems of an evidence file grouped by kind and reason, the most
 * frequent first, at most limit groups.  The number of groups and of
 * problems in all go to ngroups and total.
 */
int
db_evidence_problem_groups(struct db *db, int64_t evidence_id, size_t limit,
    struct db_problem **out, size_t *nout, int64_t *ngroups,
    int64_t *total)
{
	sqlite3_stmt		*st;
	struct db_problem	*all = NULL, *p;
	size_t			 n = 0;

	*ngroups = *total = 0;
	st = db_prepare(db, "SELECT kind, reason, count(*), "
	    "min(record_index) FROM problem WHERE evidence_id = ? "
	    "GROUP BY kind, reason ORDER BY count(*) DESC, kind, reason");
	sqlite3_bind_int64(st, 1, evidence_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		(*ngroups)++;
		*total += sqlite3_column_int64(st, 2);
		if (n == limit)
			continue;
		all = xreallocarray(all, n + 1, sizeof *all);
		p = &all[n++];
		p->kind = xstrdup((const char *)sqlite3_column_text(st, 0));
		p->reason = xstrdup((const char *)sqlite3_column_text(st, 1));
		p->count = sqlite3_column_int64(st, 2);
		p->record_index = db_column_id(st, 3);
		p->recovered = 0;
		p->offset = -1;
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}

void
db_problem_free_array(struct db_problem *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].kind);
		free(p[i].reason);
	}
	free(p);
}
