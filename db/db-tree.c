/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Link processes into trees.  Sysmon names each process and its parent
 * by GUID.  Security 4688 gives only process ids, which Windows reuses:
 * the parent of a 4688 process is the latest earlier creation of that
 * pid on the same host that had not ended by then, and a process's
 * children are those started while it lived.  A parent that never shows
 * in the logs (it started before logging did) becomes a placeholder
 * built from what the child says of it, never a silent gap.  The
 * lineage of a process, drawn by the browser and the HTML report, is
 * walked here once.
 */

#include <stdlib.h>
#include <string.h>

#include "db-int.h"

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
		st = db_prepare(db, DB_PROCESS_SELECT
		    "WHERE p.process_guid = ? AND +p.dest IS ? AND p.id != ? "
		    "ORDER BY p._time, p.id LIMIT 1");
		sqlite3_bind_text(st, 1, c->parent_process_guid, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 2, c->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, c->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			db_process_fill(db, st, parent);
			found = 1;
		}
		sqlite3_finalize(st);
	}
	if (!found && c->parent_process_id >= 0) {
		st = db_prepare(db, DB_PROCESS_SELECT
		    "WHERE p.dest IS ? AND p.process_id = ? AND p._time <= ? "
		    "AND p.id != ? ORDER BY p._time DESC, p.id DESC LIMIT 1");
		sqlite3_bind_text(st, 1, c->dest, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, c->parent_process_id);
		sqlite3_bind_text(st, 3, c->time, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, c->id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			db_process_fill(db, st, parent);
			found = 1;
			/* A pid that ended before the child began is reused. */
			if (parent->end_time != NULL &&
			    strcmp(parent->end_time, c->time) < 0) {
				db_process_clear(parent);
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
		st = db_prepare(db, DB_PROCESS_SELECT
		    "WHERE p.parent_process_guid = ? AND +p.dest IS ? "
		    "ORDER BY p._time, p.id");
		sqlite3_bind_text(st, 1, p->process_guid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->dest, -1, SQLITE_STATIC);
	} else {
		/* Alive from its start until it ended or its pid was reused. */
		limit = db_process_pid_time(db, p, "SELECT min(_time) FROM "
		    "process WHERE dest IS ? AND process_id = ? AND _time > ?");
		if (p->end_time != NULL && (limit == NULL ||
		    strcmp(p->end_time, limit) < 0)) {
			free(limit);
			limit = xstrdup(p->end_time);
		}
		st = db_prepare(db, DB_PROCESS_SELECT
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
		db_process_fill(db, st, &all[n++]);
	}
	sqlite3_finalize(st);
	free(limit);
	*out = all;
	*nout = n;
	return (0);
}



/* Is id a process of l already?  Placeholders (id 0) never are. */
static int
db_tree_seen(const struct db_tree_lineage *l, int64_t id)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (l->nodes[i].proc.id == id && id != 0)
			return (1);
	}
	return (0);
}

/* Add a node at depth; takes ownership of p's strings. */
static struct db_tree_node *
db_tree_add(struct db_tree_lineage *l, struct db_proc *p, int depth)
{
	struct db_tree_node	*x;

	l->nodes = xreallocarray(l->nodes, l->n + 1, sizeof *l->nodes);
	x = &l->nodes[l->n++];
	x->proc = *p;
	x->depth = depth;
	x->more = 0;
	memset(p, 0, sizeof *p);
	return (x);
}

/*
 * Add the descendants of p at depth and below, oldest child first, each
 * followed by its own.  A child already in the lineage (links that make
 * a loop) is passed over; one deeper than max_depth, or past max_nodes
 * in all, is counted in a "more" node after its shown siblings.
 */
static void
db_tree_down(struct db *db, struct db_tree_lineage *l,
    const struct db_proc *p, int depth, int max_depth, size_t max_nodes)
{
	struct db_proc	*c, none;
	size_t		 nc, i, skipped = 0;

	/* p may be in l->nodes, which grows: it is not used after this. */
	if (db_tree_children(db, p, &c, &nc) != 0)
		return;
	for (i = 0; i < nc; i++) {
		if (db_tree_seen(l, c[i].id))
			continue;
		if (depth > max_depth || l->n >= max_nodes) {
			skipped++;
			continue;
		}
		db_tree_add(l, &c[i], depth);
		db_tree_down(db, l, &l->nodes[l->n - 1].proc, depth + 1,
		    max_depth, max_nodes);
	}
	if (skipped > 0) {
		memset(&none, 0, sizeof none);
		db_tree_add(l, &none, depth)->more = skipped;
		l->left_out += skipped;
	}
	db_process_free_array(c, nc);
}

/*
 * The lineage of process row: its ancestors from the oldest, at most
 * max_up of them, then the process, then its descendants.  The walk up
 * stops at a placeholder (a parent not in the logs) and at a process
 * already in the chain, since a forged GUID can make a loop.  No node
 * is deeper than max_depth (the oldest ancestor is depth 0) and there
 * are at most max_nodes; what that leaves out is counted in "more"
 * nodes.  -1 if there is no such row.
 */
int
db_tree_lineage(struct db *db, int64_t row, int max_up, int max_depth,
    size_t max_nodes, struct db_tree_lineage *l)
{
	struct db_proc		*chain, focus;
	const struct db_proc	*cur;
	int			 n = 0, i, rc;

	memset(l, 0, sizeof *l);
	if (db_process_get(db, row, &focus) != 0)
		return (-1);
	chain = xcalloc(max_up + 1, sizeof *chain);
	l->nodes = xcalloc(1, sizeof *l->nodes);
	l->nodes[0].proc.id = focus.id;		/* for db_tree_seen only */
	l->n = 1;
	cur = &focus;
	while (n < max_up) {
		rc = db_tree_parent(db, cur, &chain[n]);
		if (rc < 0)
			break;
		if (rc == 1 && db_tree_seen(l, chain[n].id)) {
			db_process_clear(&chain[n]);
			break;
		}
		l->nodes = xreallocarray(l->nodes, l->n + 1,
		    sizeof *l->nodes);
		memset(&l->nodes[l->n], 0, sizeof *l->nodes);
		l->nodes[l->n++].proc.id = chain[n].id;
		cur = &chain[n++];
		if (rc == 0)
			break;
	}
	l->n = 0;
	for (i = n; i > 0; i--)
		db_tree_add(l, &chain[i - 1], n - i);
	free(chain);
	l->focus = l->n;
	db_tree_add(l, &focus, n);
	db_tree_down(db, l, &l->nodes[l->focus].proc, n + 1, max_depth,
	    max_nodes);
	return (0);
}

void
db_tree_lineage_clear(struct db_tree_lineage *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		db_process_clear(&l->nodes[i].proc);
	free(l->nodes);
	memset(l, 0, sizeof *l);
}

