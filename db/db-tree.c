/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Link processes into trees.  Sysmon names each process and its parent
 * by GUID.  Security 4688 gives only process ids, which Windows reuses:
 * the parent of a 4688 process is the latest earlier creation of that
 * pid on the same host that had not ended by then, and a process's
 * children are those started while it lived.  A parent that never shows
 * in the logs (it started before logging did) becomes a placeholder
 * built from what the child says of it, never a silent gap.
 */

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "triage/xmalloc.h"
#include "db.h"

/*
 * In the queries by GUID, "+dest" keeps SQLite from choosing the
 * (dest, _time) index of the timeline, which would read all of a host's
 * events, over the GUID index, which reads a handful.
 */
#define DB_TREE_COLUMNS \
	"p.id, p.evidence_id, p.record_id, p.recovered, p.event_id, " \
	"p._time, p.dest, p.user, p.process, p.process_name, " \
	"p.process_path, p.process_id, p.process_guid, p.parent_process, " \
	"p.parent_process_name, p.parent_process_path, p.parent_process_id, " \
	"p.parent_process_guid, p.original_file_name, e.path, e.sha256, " \
	DB_LOAD_CHAIN("e.id", "e.path") " "

static char *
db_tree_text(sqlite3_stmt *st, int i)
{
	const char	*s;

	s = (const char *)sqlite3_column_text(st, i);
	return (s != NULL ? xstrdup(s) : NULL);
}

static int64_t
db_tree_int(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return (-1);
	return (sqlite3_column_int64(st, i));
}

static sqlite3_stmt *
db_tree_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		fatalx("tree: %s", sqlite3_errmsg(db->h));
	return (st);
}

/* When did this process end?  From Sysmon 5 or 4689, or NULL. */
static char *
db_tree_end(struct db *db, const struct db_proc *p)
{
	sqlite3_stmt	*st;
	char		*t = NULL;

	if (p->process_guid != NULL) {
		st = db_tree_prepare(db, "SELECT min(_time) FROM process_end "
		    "WHERE process_guid = ? AND +dest IS ?");
		sqlite3_bind_text(st, 1, p->process_guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->dest, -1, SQLITE_STATIC);
	} else {
		st = db_tree_prepare(db, "SELECT min(_time) FROM process_end "
		    "WHERE dest IS ? AND process_id = ? AND _time >= ?");
		sqlite3_bind_text(st, 1, p->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, p->process_id);
		sqlite3_bind_text(st, 3, p->time, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		t = db_tree_text(st, 0);
	sqlite3_finalize(st);
	if (p->process_guid != NULL && t == NULL) {
		st = db_tree_prepare(db, "SELECT min(_time) FROM process_end "
		    "WHERE process_guid IS NULL AND dest IS ? AND "
		    "process_id = ? AND _time >= ?");
		sqlite3_bind_text(st, 1, p->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, p->process_id);
		sqlite3_bind_text(st, 3, p->time, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			t = db_tree_text(st, 0);
		sqlite3_finalize(st);
	}
	return (t);
}

static void
db_tree_fill(struct db *db, sqlite3_stmt *st, struct db_proc *p)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->evidence_id = sqlite3_column_int64(st, 1);
	p->record_id = sqlite3_column_int64(st, 2);
	p->recovered = sqlite3_column_int(st, 3);
	p->event_id = sqlite3_column_int(st, 4);
	p->time = db_tree_text(st, 5);
	p->dest = db_tree_text(st, 6);
	p->user = db_tree_text(st, 7);
	p->process = db_tree_text(st, 8);
	p->process_name = db_tree_text(st, 9);
	p->process_path = db_tree_text(st, 10);
	p->process_id = db_tree_int(st, 11);
	p->process_guid = db_tree_text(st, 12);
	p->parent_process = db_tree_text(st, 13);
	p->parent_process_name = db_tree_text(st, 14);
	p->parent_process_path = db_tree_text(st, 15);
	p->parent_process_id = db_tree_int(st, 16);
	p->parent_process_guid = db_tree_text(st, 17);
	p->original_file_name = db_tree_text(st, 18);
	p->evidence_path = db_tree_text(st, 19);
	p->evidence_sha256 = db_tree_text(st, 20);
	p->evidence_provenance = db_tree_text(st, 21);
	p->evidence_chain = db_tree_text(st, 22);
	p->end_time = db_tree_end(db, p);
}

/* The process row id; 0 if found, -1 if no such row. */
int
db_tree_get(struct db *db, int64_t id, struct db_proc *p)
{
	sqlite3_stmt	*st;
	int		 rc = -1;

	st = db_tree_prepare(db, "SELECT " DB_TREE_COLUMNS "FROM process p "
	    "JOIN evidence e ON e.id = p.evidence_id WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		db_tree_fill(db, st, p);
		rc = 0;
	}
	sqlite3_finalize(st);
	return (rc);
}

/*
 * The parent of c: 1 if it is in the case, 0 if parent is a placeholder
 * made from c's own account of it, -1 if c names no parent at all.
 */
int
db_tree_parent(struct db *db, const struct db_proc *c, struct db_proc *parent)
{
	sqlite3_stmt	*st;
	int		 found = 0;

	memset(parent, 0, sizeof *parent);
	if (c->parent_process_guid == NULL && c->parent_process_id < 0 &&
	    c->parent_process_path == NULL)
		return (-1);
	if (c->parent_process_guid != NULL) {
		st = db_tree_prepare(db, "SELECT " DB_TREE_COLUMNS
		    "FROM process p JOIN evidence e ON e.id = p.evidence_id "
		    "WHERE p.process_guid = ? AND +p.dest IS ? AND p.id != ? "
		    "ORDER BY p._time, p.id LIMIT 1");
		sqlite3_bind_text(st, 1, c->parent_process_guid, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, c->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			db_tree_fill(db, st, parent);
			found = 1;
		}
		sqlite3_finalize(st);
	}
	if (!found && c->parent_process_id >= 0) {
		st = db_tree_prepare(db, "SELECT " DB_TREE_COLUMNS
		    "FROM process p JOIN evidence e ON e.id = p.evidence_id "
		    "WHERE p.dest IS ? AND p.process_id = ? AND p._time <= ? "
		    "AND p.id != ? ORDER BY p._time DESC, p.id DESC LIMIT 1");
		sqlite3_bind_text(st, 1, c->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->parent_process_id);
		sqlite3_bind_text(st, 3, c->time, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, c->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			db_tree_fill(db, st, parent);
			found = 1;
			/* A pid that ended before the child began is reused. */
			if (parent->end_time != NULL &&
			    strcmp(parent->end_time, c->time) < 0) {
				db_tree_clear(parent);
				found = 0;
			}
		}
		sqlite3_finalize(st);
	}
	if (found)
		return (1);
	parent->id = 0;
	parent->event_id = 0;
	parent->dest = c->dest != NULL ? xstrdup(c->dest) : NULL;
	parent->process = c->parent_process != NULL ?
	    xstrdup(c->parent_process) : NULL;
	parent->process_path = c->parent_process_path != NULL ?
	    xstrdup(c->parent_process_path) : NULL;
	parent->process_name = c->parent_process_name != NULL ?
	    xstrdup(c->parent_process_name) : NULL;
	parent->process_id = c->parent_process_id;
	parent->process_guid = c->parent_process_guid != NULL ?
	    xstrdup(c->parent_process_guid) : NULL;
	parent->parent_process_id = -1;
	return (0);
}

/* The children of p, oldest first. */
int
db_tree_children(struct db *db, const struct db_proc *p,
    struct db_proc **out, size_t *nout)
{
	sqlite3_stmt	*st;
	struct db_proc	*all = NULL;
	size_t		 n = 0;
	char		*limit = NULL;

	*out = NULL;
	*nout = 0;
	if (p->id == 0 && p->process_guid == NULL)
		return (0);
	if (p->process_guid != NULL) {
		st = db_tree_prepare(db, "SELECT " DB_TREE_COLUMNS
		    "FROM process p JOIN evidence e ON e.id = p.evidence_id "
		    "WHERE p.parent_process_guid = ? AND +p.dest IS ? "
		    "ORDER BY p._time, p.id");
		sqlite3_bind_text(st, 1, p->process_guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->dest, -1, SQLITE_STATIC);
	} else {
		/* Alive from its start until it ended or its pid was reused. */
		st = db_tree_prepare(db, "SELECT min(_time) FROM process "
		    "WHERE dest IS ? AND process_id = ? AND _time > ?");
		sqlite3_bind_text(st, 1, p->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, p->process_id);
		sqlite3_bind_text(st, 3, p->time, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			limit = db_tree_text(st, 0);
		sqlite3_finalize(st);
		if (p->end_time != NULL && (limit == NULL ||
		    strcmp(p->end_time, limit) < 0)) {
			free(limit);
			limit = xstrdup(p->end_time);
		}
		st = db_tree_prepare(db, "SELECT " DB_TREE_COLUMNS
		    "FROM process p JOIN evidence e ON e.id = p.evidence_id "
		    "WHERE p.dest IS ? AND p.parent_process_id = ? AND "
		    "p.parent_process_guid IS NULL AND p._time >= ? AND "
		    "(? IS NULL OR p._time <= ?) AND p.id != ? "
		    "ORDER BY p._time, p.id");
		sqlite3_bind_text(st, 1, p->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, p->process_id);
		sqlite3_bind_text(st, 3, p->time, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, limit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, limit, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, p->id);
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		all = xreallocarray(all, n + 1, sizeof *all);
		db_tree_fill(db, st, &all[n++]);
	}
	sqlite3_finalize(st);
	free(limit);
	*out = all;
	*nout = n;
	return (0);
}

void
db_tree_clear(struct db_proc *p)
{
	free(p->time);
	free(p->end_time);
	free(p->dest);
	free(p->user);
	free(p->process);
	free(p->process_name);
	free(p->process_path);
	free(p->process_guid);
	free(p->parent_process);
	free(p->parent_process_name);
	free(p->parent_process_path);
	free(p->parent_process_guid);
	free(p->original_file_name);
	free(p->evidence_path);
	free(p->evidence_sha256);
	free(p->evidence_provenance);
	free(p->evidence_chain);
	memset(p, 0, sizeof *p);
}

void
db_tree_free_array(struct db_proc *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		db_tree_clear(&a[i]);
	free(a);
}

/* Every column of a process row as name/value pairs, for details. */
int
db_tree_fields(struct db *db, int64_t id, char ***names, char ***values,
    size_t *n)
{
	sqlite3_stmt	*st;
	int		 i, cols;

	*names = *values = NULL;
	*n = 0;
	st = db_tree_prepare(db, "SELECT p.*, e.path AS evidence_path, "
	    "e.sha256 AS evidence_sha256, (SELECT ep.provenance FROM "
	    "evidence_path ep WHERE ep.evidence_id = e.id AND ep.path = "
	    "e.path) AS evidence_provenance FROM process p JOIN evidence e "
	    "ON e.id = p.evidence_id WHERE p.id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return (-1);
	}
	cols = sqlite3_column_count(st);
	*names = xcalloc(cols, sizeof **names);
	*values = xcalloc(cols, sizeof **values);
	for (i = 0; i < cols; i++) {
		(*names)[i] = xstrdup(sqlite3_column_name(st, i));
		(*values)[i] = db_tree_text(st, i);
	}
	*n = cols;
	sqlite3_finalize(st);
	return (0);
}
