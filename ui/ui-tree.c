/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The process tree model, the way htop shows its tree: the chain of
 * ancestors of one process up to the oldest the logs know (or a
 * placeholder built from what the oldest says of its parent), then that
 * process and all its descendants.  Nodes come from db-tree.c's lineage
 * walk (the HTML report draws the same one), which links Sysmon events
 * by GUID and 4688 events by host, pid and lifetime.
 * Expanded nodes flatten into lines; the current line is kept by its tag
 * (the process row id) across rebuilds.  No curses here.
 */

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

#define UI_TREE_DEPTH	256	/* ancestors or descendants, at most */

static struct ui_tree_node *
ui_tree_node_new(struct ui_tree *t, struct db_proc *p)
{
	struct ui_tree_node	*n;
	size_t			 i;

	n = xcalloc(1, sizeof *n);
	n->proc = *p;			/* takes ownership of the strings */
	memset(p, 0, sizeof *p);
	n->tag = n->proc.id;
	for (i = 0; i < t->nmarks; i++) {
		if (t->marks[i] == n->proc.id && n->proc.id != 0)
			n->hit = 1;
	}
	t->nodes++;
	return (n);
}

static void
ui_tree_node_free(struct ui_tree_node *n)
{
	size_t	i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nchildren; i++)
		ui_tree_node_free(n->children[i]);
	free(n->children);
	db_process_clear(&n->proc);
	free(n);
}

struct ui_tree *
ui_tree_create(struct db *db)
{
	struct ui_tree	*t;

	t = xcalloc(1, sizeof *t);
	t->db = db;
	return (t);
}

static void
ui_tree_reset(struct ui_tree *t)
{
	ui_tree_node_free(t->root);
	t->root = NULL;
	t->nodes = 0;
	t->truncated = 0;
	ui_list_clear(&t->list);
	free(t->visible);
	t->visible = NULL;
}

void
ui_tree_free(struct ui_tree *t)
{
	if (t == NULL)
		return;
	ui_tree_reset(t);
	free(t->marks);
	free(t);
}

/*
 * Read all the children of n.  A child already in the tree (the next
 * process in the chain of ancestors) keeps its node and subtree.
 */
static void
ui_tree_load(struct ui_tree *t, struct ui_tree_node *n)
{
	struct db_proc		*all;
	struct ui_tree_node	**old = n->children, *c;
	size_t			 nall, nold = n->nchildren, i, j;

	if (n->loaded)
		return;
	n->loaded = 1;
	if (n->placeholder && n->proc.process_guid == NULL)
		return;
	db_tree_children(t->db, &n->proc, &all, &nall);
	n->children = NULL;
	n->nchildren = 0;
	for (i = 0; i < nall; i++) {
		c = NULL;
		for (j = 0; j < nold; j++) {
			if (old[j] != NULL && old[j]->tag == all[i].id) {
				c = old[j];
				old[j] = NULL;
				db_process_clear(&all[i]);
				break;
			}
		}
		if (c == NULL)
			c = ui_tree_node_new(t, &all[i]);
		c->parent = n;
		n->children = xreallocarray(n->children, n->nchildren + 1,
		    sizeof *n->children);
		n->children[n->nchildren++] = c;
	}
	free(all);
	/* A chain child the query does not return stays, first. */
	for (j = 0; j < nold; j++) {
		if (old[j] == NULL)
			continue;
		n->children = xreallocarray(n->children, n->nchildren + 1,
		    sizeof *n->children);
		memmove(n->children + 1, n->children,
		    n->nchildren * sizeof *n->children);
		n->children[0] = old[j];
		n->nchildren++;
	}
	free(old);
}

/* Read and expand the descendants of n, up to UI_TREE_MAX nodes. */
static void
ui_tree_load_all(struct ui_tree *t, struct ui_tree_node *n, int depth)
{
	size_t	i;

	if (depth > UI_TREE_DEPTH || t->nodes >= UI_TREE_MAX) {
		t->truncated = 1;
		return;
	}
	ui_tree_load(t, n);
	n->expanded = 1;
	for (i = 0; i < n->nchildren; i++)
		ui_tree_load_all(t, n->children[i], depth + 1);
}

/*
 * Build the tree around process row from its lineage (db-tree.c): its
 * ancestors, itself and its descendants.  A node some of whose children
 * the limits left out is expanded but not loaded, so that expanding it
 * reads the rest.  marks are the rows to highlight (the hit's).  -1 if
 * there is no such row.
 */
int
ui_tree_build(struct ui_tree *t, int64_t row, const int64_t *marks,
    size_t nmarks)
{
	struct db_tree_lineage	 l;
	struct db_tree_node	*x;
	struct ui_tree_node	*n, *p, **stack;
	size_t			 i;

	ui_tree_reset(t);
	if (db_tree_lineage(t->db, row, UI_TREE_DEPTH - 1, 2 * UI_TREE_DEPTH,
	    UI_TREE_MAX, &l) != 0)
		return (-1);
	if (marks != t->marks) {
		free(t->marks);
		t->marks = NULL;
		t->nmarks = nmarks;
		if (nmarks > 0) {
			t->marks = xreallocarray(NULL, nmarks,
			    sizeof *t->marks);
			memcpy(t->marks, marks, nmarks * sizeof *t->marks);
		}
	}
	t->focus = row;

	/* stack[d] is the last node at depth d; "more" nodes go one deeper. */
	stack = xcalloc(2 * UI_TREE_DEPTH + 2, sizeof *stack);
	for (i = 0; i < l.n; i++) {
		x = &l.nodes[i];
		p = x->depth > 0 ? stack[x->depth - 1] : NULL;
		if (x->more > 0) {
			p->loaded = 0;
			t->truncated = 1;
			continue;
		}
		n = ui_tree_node_new(t, &x->proc);
		n->expanded = 1;
		/* Ancestors have only the next of the chain read. */
		n->loaded = (i >= l.focus);
		if (i < l.focus && n->proc.id == 0) {
			n->placeholder = 1;
			n->tag = -l.nodes[i + 1].proc.id;
		}
		if (p != NULL) {
			p->children = xreallocarray(p->children,
			    p->nchildren + 1, sizeof *p->children);
			p->children[p->nchildren++] = n;
			n->parent = p;
		} else
			t->root = n;
		stack[x->depth] = n;
	}
	free(stack);
	db_tree_lineage_clear(&l);
	/* Keep the selection if the new tree has it (tmux mode_tree). */
	if (t->list.tag == 0 || ui_tree_find(t, t->list.tag) == NULL)
		t->list.tag = row;
	ui_tree_flatten(t);
	return (0);
}

/* The name a process goes by: its file name, or the path's last part. */
static char *
ui_tree_name(const struct db_proc *p)
{
	const char	*s;

	if (p->process_name != NULL && *p->process_name != '\0')
		return (ui_list_escape(p->process_name));
	if (p->process_path != NULL && *p->process_path != '\0') {
		s = strrchr(p->process_path, '\\');
		return (ui_list_escape(s != NULL ? s + 1 : p->process_path));
	}
	return (xstrdup("?"));
}

static void
ui_tree_line(struct ui_tree *t, struct ui_tree_node *n, const char *prefix,
    int last)
{
	struct buf	 b = { 0 };
	char		*s, *start, *end, *line, *d1, *d2;
	const char	*mark;
	enum ui_attr	 attr = UI_ATTR_NORMAL;

	buf_append_str(&b, n->hit ? "* " : "  ");
	buf_append_str(&b, prefix);
	if (n->parent != NULL)
		buf_append_str(&b, last ? "`- " : "|- ");
	if (!n->loaded)
		mark = n->expanded ? "[~] " : "[+] ";
	else if (n->nchildren == 0)
		mark = "";
	else
		mark = n->expanded ? "[-] " : "[+] ";
	buf_append_str(&b, mark);

	s = ui_tree_name(&n->proc);
	buf_append_str(&b, s);
	free(s);
	if (n->proc.process_id >= 0)
		buf_printf(&b, " (%lld)", (long long)n->proc.process_id);
	else
		buf_append_str(&b, " (?)");
	if (n->placeholder) {
		attr = UI_ATTR_PLACEHOLDER;
		buf_append_str(&b, " not in the logs; its child says: ");
		s = ui_list_escape(n->proc.process != NULL ?
		    n->proc.process : n->proc.process_path != NULL ?
		    n->proc.process_path : "nothing more");
		buf_append_str(&b, s);
		free(s);
	} else {
		start = ui_list_time(n->proc.time, UI_TIME_DATE);
		buf_printf(&b, " %s", start);
		if (n->proc.end_time != NULL) {
			/* The end's date only if it is another day there. */
			d1 = ui_list_time(n->proc.time, UI_TIME_DAY);
			d2 = ui_list_time(n->proc.end_time, UI_TIME_DAY);
			end = ui_list_time(n->proc.end_time,
			    strcmp(d1, d2) != 0 ? UI_TIME_DATE : UI_TIME_CLOCK);
			free(d1);
			free(d2);
			buf_printf(&b, "-%s", end);
			free(end);
		}
		free(start);
		s = ui_list_escape(n->proc.process != NULL ?
		    n->proc.process : n->proc.process_path);
		buf_printf(&b, " %s", s);
		free(s);
		if (n->hit)
			attr = UI_ATTR_HIT;
	}
	line = buf_take(&b);
	ui_list_add(&t->list, attr, n->tag, line);
	free(line);
	t->visible = xreallocarray(t->visible, t->list.n,
	    sizeof *t->visible);
	t->visible[t->list.n - 1] = n;
}

static void
ui_tree_walk(struct ui_tree *t, struct ui_tree_node *n, struct buf *prefix,
    int last)
{
	size_t	i, len;

	ui_tree_line(t, n, prefix->data != NULL ? (char *)prefix->data : "",
	    last);
	if (!n->expanded)
		return;
	len = prefix->len;
	if (n->parent != NULL)
		buf_append_str(prefix, last ? "   " : "|  ");
	for (i = 0; i < n->nchildren; i++)
		ui_tree_walk(t, n->children[i], prefix, i == n->nchildren - 1);
	prefix->len = len;
	if (prefix->data != NULL)
		prefix->data[len] = '\0';
}

/* Turn the expanded nodes into lines; keep the current line by tag. */
void
ui_tree_flatten(struct ui_tree *t)
{
	struct buf		 prefix = { 0 };
	struct ui_tree_node	*n, *p;

	/* A selected node a collapse hid gives way to its shown ancestor. */
	if ((n = ui_tree_find(t, t->list.tag)) != NULL) {
		for (p = n->parent; p != NULL; p = p->parent) {
			if (!p->expanded)
				n = p;
		}
		t->list.tag = n->tag;
	}
	ui_list_clear(&t->list);
	free(t->visible);
	t->visible = NULL;
	if (t->root != NULL)
		ui_tree_walk(t, t->root, &prefix, 1);
	buf_free(&prefix);
	ui_list_restore(&t->list);
}

struct ui_tree_node *
ui_tree_current(struct ui_tree *t)
{
	if (t->list.n == 0)
		return (NULL);
	return (t->visible[t->list.cur]);
}

static struct ui_tree_node *
ui_tree_find_in(struct ui_tree_node *n, int64_t tag)
{
	struct ui_tree_node	*found;
	size_t			 i;

	if (n == NULL || n->tag == tag)
		return (n);
	for (i = 0; i < n->nchildren; i++) {
		if ((found = ui_tree_find_in(n->children[i], tag)) != NULL)
			return (found);
	}
	return (NULL);
}

/* The node tagged tag, expanded or not, or NULL. */
struct ui_tree_node *
ui_tree_find(struct ui_tree *t, int64_t tag)
{
	return (ui_tree_find_in(t->root, tag));
}

/*
 * Expand the current node, reading its children first if need be;
 * 1 if the lines changed.
 */
int
ui_tree_expand(struct ui_tree *t)
{
	struct ui_tree_node	*n;

	if ((n = ui_tree_current(t)) == NULL)
		return (0);
	if (n->loaded && n->expanded)
		return (0);
	ui_tree_load(t, n);
	n->expanded = 1;
	ui_tree_flatten(t);
	return (1);
}

/* Collapse the current node, or go to its parent if it has none shown. */
int
ui_tree_collapse(struct ui_tree *t)
{
	struct ui_tree_node	*n;

	if ((n = ui_tree_current(t)) == NULL)
		return (0);
	if (n->expanded && n->nchildren > 0)
		n->expanded = 0;
	else if (n->parent != NULL)
		t->list.tag = n->parent->tag;
	else
		return (0);
	ui_tree_flatten(t);
	return (1);
}

int
ui_tree_toggle(struct ui_tree *t)
{
	struct ui_tree_node	*n;

	if ((n = ui_tree_current(t)) == NULL)
		return (0);
	if (n->expanded && n->loaded) {
		if (n->nchildren == 0)
			return (0);
		n->expanded = 0;
		ui_tree_flatten(t);
		return (1);
	}
	return (ui_tree_expand(t));
}

/* Read and expand everything below the current node. */
int
ui_tree_expand_all(struct ui_tree *t)
{
	struct ui_tree_node	*n;

	if ((n = ui_tree_current(t)) == NULL)
		return (0);
	t->truncated = 0;
	if (t->nodes >= UI_TREE_MAX)
		t->nodes = 0;	/* a fresh allowance for this subtree */
	ui_tree_load_all(t, n, 0);
	ui_tree_flatten(t);
	return (1);
}

/* Rebuild the tree around the current node; -1 for a placeholder. */
int
ui_tree_refocus(struct ui_tree *t)
{
	struct ui_tree_node	*n;

	if ((n = ui_tree_current(t)) == NULL || n->placeholder)
		return (-1);
	return (ui_tree_build(t, n->proc.id, t->marks, t->nmarks));
}

/* Print the lines, as evtriage tree and the export do. */
void
ui_tree_print(struct ui_tree *t, FILE *f)
{
	size_t	i;

	for (i = 0; i < t->list.n; i++)
		fprintf(f, "%s\n", t->list.lines[i].text);
	if (t->truncated)
		fprintf(f, "  (more than %d processes: the rest not shown)\n",
		    UI_TREE_MAX);
}
