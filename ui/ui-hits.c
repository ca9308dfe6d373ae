/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The hits view: one line a hit, newest or riskiest first, filtered ones
 * hidden or marked.  Its actions sort, show the filtered and export the
 * selected hit with its tree to a file.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

/* The hit with this id among those read, or NULL. */
struct db_hit *
ui_hits_find(struct ui *ui, int64_t id)
{
	size_t	i;

	for (i = 0; i < ui->nhits; i++) {
		if (ui->hits[i].id == id)
			return (&ui->hits[i]);
	}
	return (NULL);
}

/* Append s escaped, fitted to cols columns, and a blank. */
static void
ui_hits_column(struct buf *b, const char *s, int cols)
{
	char	*e;

	e = ui_list_escape(s);
	ui_list_fit(b, e, cols);
	free(e);
	buf_append(b, " ", 1);
}

void
ui_hits_build(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_HITS];
	struct db_hit	*h;
	struct buf		 b = { 0 };
	char			*s, *line;
	size_t			 i;
	int			 wide = ui->width >= 110;

	db_hit_list_free(ui->hits, ui->nhits);
	db_hit_list(ui->db, ui->order, ui->show_filtered, &ui->hits,
	    &ui->nhits);
	ui_list_clear(l);
	for (i = 0; i < ui->nhits; i++) {
		h = &ui->hits[i];
		/*
		 * The hit's number (tree -H takes it), then its risk: its
		 * level in a word, and its score too where there is room
		 * (Details has both).
		 */
		buf_printf(&b, "%c#%-3lld ", h->filter_id != 0 ? 'F' : ' ',
		    (long long)h->id);
		if (wide)
			buf_printf(&b, "%3d ", h->risk_score);
		buf_printf(&b, "%-4s ", db_risk_abbrev(h->risk_score));
		s = ui_list_time(h->first_time, UI_TIME_SHORT);
		buf_printf(&b, "%s ", s);
		free(s);
		ui_hits_column(&b, h->dest, 12);
		ui_hits_column(&b, h->user, 13);
		if (wide)
			ui_hits_column(&b, h->detection, 32);
		s = ui_list_escape(h->process);
		buf_append_str(&b, s);
		free(s);
		line = buf_take(&b);
		ui_list_add(l, h->filter_id != 0 ? UI_ATTR_FILTERED :
		    UI_ATTR_NORMAL, h->id, line);
		free(line);
	}
	ui_list_restore(l);
}

void
ui_hits_select(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_HITS];
	struct db_hit	*h;

	if ((h = ui_hits_find(ui, l->lines[l->cur].tag)) != NULL) {
		ui->hit = h->id;
		ui->proc = h->row;
	}
}

char *
ui_hits_header(struct ui *ui)
{
	size_t	 filtered = 0, i;
	char	*s, *t;
	int	 min = db_min_risk(ui->db);

	for (i = 0; i < ui->nhits; i++) {
		if (ui->hits[i].filter_id != 0)
			filtered++;
	}
	if (ui->show_filtered)
		xasprintf(&s, "%zu hits, %s first, %zu filtered shown "
		    "(F hides)", ui->nhits - filtered, ui->order ==
		    DB_HIT_RISKIEST ? "riskiest" : "newest", filtered);
	else
		xasprintf(&s, "%zu hits, %s first, filtered hidden "
		    "(F shows)", ui->nhits, ui->order ==
		    DB_HIT_RISKIEST ? "riskiest" : "newest");
	/* -m: the hits left out are not a clean bill. */
	if (min > 0) {
		xasprintf(&t, "%s; risk %s+ only, %d below", s,
		    db_risk_level(min), db_hits_below(ui->db));
		free(s);
		s = t;
	}
	return (s);
}

/* Enter: the selected hit's tree. */
int
ui_hits_enter(struct ui *ui, int arg)
{
	if (ui->hit == 0) {
		ui_view_status(ui, "no hit to open");
		return (UI_REDRAW);
	}
	return (ui_view_open(ui, UI_TREE));
}

int
ui_hits_sort(struct ui *ui, int arg)
{
	ui->order = ui->order == DB_HIT_NEWEST ? DB_HIT_RISKIEST :
	    DB_HIT_NEWEST;
	ui_view_status(ui, "hits %s first", ui->order == DB_HIT_NEWEST ?
	    "newest" : "riskiest");
	return (UI_REBUILD_HITS);
}

int
ui_hits_filtered(struct ui *ui, int arg)
{
	ui->show_filtered = !ui->show_filtered;
	ui_view_status(ui, "filtered hits %s", ui->show_filtered ? "shown" :
	    "hidden");
	if (ui->view == UI_HITS)
		return (UI_REBUILD_HITS | UI_SELECT);
	return (UI_REBUILD_HITS);
}

/* Write the selected hit and its tree to evtriage-hit-NAME-SEQ.txt. */
static int
ui_hits_write(struct ui *ui, char **path, char **cause)
{
	struct db_hit	 h;
	FILE			*f;
	char			*p;
	int			 rc;

	*path = NULL;
	if (ui->hit == 0 || db_hit_get(ui->db, ui->hit, &h) != 0) {
		*cause = xstrdup("no hit selected");
		return (-1);
	}
	/* The name comes from a detection file: keep it a plain name. */
	for (p = h.detection; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", *p) == NULL || (*p == '.' &&
		    p == h.detection))
			*p = '_';
	}
	xasprintf(path, "evtriage-hit-%s-%lld.txt", h.detection,
	    (long long)h.id);
	db_hit_clear(&h);
	if ((f = fopen(*path, "w")) == NULL) {
		xasprintf(cause, "cannot write '%s': %s", *path,
		    strerror(errno));
		return (-1);
	}
	rc = ui_tree_view_text(ui->db, ui->hit, 0, f, cause);
	if (fclose(f) != 0 && rc == 0) {
		xasprintf(cause, "cannot write '%s': %s", *path,
		    strerror(errno));
		rc = -1;
	}
	return (rc);
}

int
ui_hits_export(struct ui *ui, int arg)
{
	char	*path, *cause = NULL;

	if (ui_hits_write(ui, &path, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
	} else
		ui_view_status(ui, "exported to %s", path);
	free(path);
	return (UI_REDRAW);
}
