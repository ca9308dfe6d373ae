/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The tree view: the process tree (ui-tree.c) of the selected hit, its
 * rows marked, or of a process row, and the keys that expand, collapse
 * and refocus it.  The same tree as text is evtriage tree's output and
 * the browser's export.
 */

#include <stdio.h>
#include <stdlib.h>

#include "xmalloc.h"
#include "escape.h"
#include "ui/ui.h"

/* Build the tree for a hit (its rows marked) or for a process row. */
static int
ui_tree_view_for(struct ui *ui, int64_t hit, int64_t row)
{
	int64_t	*rows = NULL;
	size_t	 nrows = 0;
	int	 rc;

	if (hit != 0) {
		db_hit_rows(ui->db, hit, &rows, &nrows);
		if (row == 0 && nrows > 0)
			row = rows[0];
	}
	if (row == 0) {
		free(rows);
		return (-1);
	}
	ui->tree->list.tag = 0;		/* select the focus */
	rc = ui_tree_build(ui->tree, row, rows, nrows);
	free(rows);
	if (rc == 0) {
		ui->tree_hit = hit;
		ui->tree_row = row;
	}
	return (rc);
}

/*
 * Build the tree around tree_next if an action asked for that, again if
 * the selected hit has changed, or else only flatten it.
 */
void
ui_tree_view_build(struct ui *ui)
{
	int64_t	next = ui->tree_next;

	ui->tree_next = 0;
	if (next != 0 && ui_tree_view_for(ui, ui->hit, next) == 0)
		ui_tree_flatten(ui->tree);
	else if (ui->tree_hit != ui->hit || ui->tree_row == 0 ||
	    ui->tree->root == NULL) {
		if (ui_tree_view_for(ui, ui->hit, ui->hit != 0 ? 0 :
		    ui->proc) != 0)
			ui_tree_build(ui->tree, 0, NULL, 0);
	} else
		ui_tree_flatten(ui->tree);
}

void
ui_tree_view_select(struct ui *ui)
{
	struct ui_tree_node	*n;

	if ((n = ui_tree_current(ui->tree)) != NULL && !n->placeholder)
		ui->proc = n->proc.id;
}

char *
ui_tree_view_header(struct ui *ui)
{
	struct ui_tree_node	*n;
	struct db_hit	*h;
	char			*s, *e;

	h = ui_hits_find(ui, ui->tree_hit);
	n = ui->tree->root != NULL ? ui_tree_current(ui->tree) : NULL;
	if (h != NULL) {
		e = ui_list_escape(h->detection);
		xasprintf(&s, "Tree of hit %lld of %s", (long long)h->id, e);
		free(e);
	} else if (n != NULL)
		xasprintf(&s, "Tree of process row %lld",
		    (long long)ui->tree->focus);
	else
		s = xstrdup("No process selected");
	return (s);
}

/* Enter: the details of the selected process. */
int
ui_tree_view_enter(struct ui *ui, int arg)
{
	ui_view_select(ui);
	return (ui_view_open(ui, UI_DETAILS));
}

/* 1 in the tree; elsewhere say that the key works there. */
static int
ui_tree_view_only(struct ui *ui)
{
	if (ui->view == UI_TREE)
		return (1);
	ui_view_status(ui, "that key works in the tree");
	return (0);
}

/* A key of the tree's, what is one of UI_TREE_VIEW_*. */
int
ui_tree_view_key(struct ui *ui, int what)
{
	if (!ui_tree_view_only(ui)) {
		if (what == UI_TREE_VIEW_COLLAPSE)
			ui_view_select(ui);
		return (UI_REDRAW);
	}
	switch (what) {
	case UI_TREE_VIEW_EXPAND:
		if (!ui_tree_expand(ui->tree))
			ui_view_status(ui, "no more children");
		break;
	case UI_TREE_VIEW_COLLAPSE:
		ui_tree_collapse(ui->tree);
		ui_view_select(ui);
		break;
	case UI_TREE_VIEW_TOGGLE:
		ui_tree_toggle(ui->tree);
		break;
	case UI_TREE_VIEW_ALL:
		ui_tree_expand_all(ui->tree);
		break;
	case UI_TREE_VIEW_FOCUS:
		if (ui_tree_refocus(ui->tree) != 0)
			ui_view_status(ui, "a process not in the logs cannot "
			    "be the focus");
		else
			ui->tree_row = ui->tree->focus;
		ui_view_select(ui);
		break;
	}
	return (UI_REDRAW);
}

/* Print a hit's detection, risk and output, as the tree's heading. */
static void
ui_tree_view_hit(struct db *db, struct db_hit *h, FILE *f)
{
	struct db_pairs	 out, det;
	const char		*title = NULL;
	size_t			 i;
	char			*s;

	if (db_detection_get(db, h->detection, &det) == 0)
		title = db_pairs_get(&det, "title");
	fprintf(f, "hit %lld of ", (long long)h->id);
	escape_print(f, h->detection);
	if (title != NULL) {
		fprintf(f, ": ");
		escape_print(f, title);
	}
	fprintf(f, "\nrisk %d (%s), ", h->risk_score,
	    db_risk_level(h->risk_score));
	escape_print(f, h->mitre != NULL ? h->mitre : "no ATT&CK id");
	s = ui_list_time(h->first_time, UI_TIME_EXACT);
	fprintf(f, ", first seen %s\n", s);
	free(s);
	if (h->risk_message != NULL) {
		escape_print(f, h->risk_message);
		fputc('\n', f);
	}
	if (h->filter_id != 0) {
		fprintf(f, "filtered by filter %lld: ",
		    (long long)h->filter_id);
		escape_print(f, h->filter_reason);
		fputc('\n', f);
	}
	if (db_hit_output(db, h->id, &out) == 0) {
		for (i = 0; i < out.n; i++) {
			fprintf(f, "    %-20s ", out.names[i]);
			escape_print(f, out.values[i] != NULL ?
			    out.values[i] : "null");
			fputc('\n', f);
		}
		db_pairs_clear(&out);
	}
	fputc('\n', f);
	if (title != NULL)
		db_pairs_clear(&det);
}

/*
 * Print a hit (its detection, output and the tree of its first process)
 * or, with hit 0, the tree of a process row.  This is evtriage tree's
 * output and the browser's export.
 */
int
ui_tree_view_text(struct db *db, int64_t hit, int64_t row, FILE *f,
    char **cause)
{
	struct db_hit	 h;
	struct ui_tree		*t;
	int64_t			*rows = NULL;
	size_t			 nrows = 0;

	if (hit != 0) {
		if (db_hit_get(db, hit, &h) != 0) {
			xasprintf(cause, "no hit %lld", (long long)hit);
			return (-1);
		}
		ui_tree_view_hit(db, &h, f);
		db_hit_rows(db, hit, &rows, &nrows);
		row = nrows > 0 ? rows[0] : 0;
		db_hit_clear(&h);
	}
	t = ui_tree_create(db);
	if (ui_tree_build(t, row, rows, nrows) != 0) {
		if (hit != 0)
			xasprintf(cause, "hit %lld has no process row",
			    (long long)hit);
		else
			xasprintf(cause, "no process row %lld",
			    (long long)row);
		ui_tree_free(t);
		free(rows);
		return (-1);
	}
	ui_tree_print(t, f);
	ui_tree_free(t);
	free(rows);
	return (0);
}
