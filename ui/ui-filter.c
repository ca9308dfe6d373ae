/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Marking a false positive, the browser's one edit of the case: f opens
 * a checklist of the selected hit's fields in the view's place, Enter
 * asks the reason, and a filter on the checked fields is added.  f on a
 * filtered hit offers to remove its filter instead.
 */

#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "xmalloc.h"
#include "ui/ui.h"

#define UI_FILTER_CTRL(c)	((c) & 0x1f)

/*
 * Is a field one a false-positive filter should not hold by default:
 * a process id, a count or a time, which differ from one run of the
 * same benign thing to the next?
 */
static int
ui_filter_volatile(const char *name)
{
	size_t	len = strlen(name);

	if (strcasestr(name, "time") != NULL || strcmp(name, "count") == 0 ||
	    strcasestr(name, "pid") != NULL)
		return (1);
	return (len >= 3 && strcmp(name + len - 3, "_id") == 0);
}

/* Fill the checklist's lines from the fields and what is checked. */
void
ui_filter_build(struct ui *ui)
{
	struct ui_list	*l = &ui->fplist;
	size_t		 i, cur = l->cur;
	char		*v;

	ui_list_clear(l);
	ui_list_add(l, UI_ATTR_HEADING, -1, "Filter on which fields? "
	    "Space checks, Enter asks the reason, Escape cancels");
	for (i = 0; i < ui->fp.n; i++) {
		v = ui_list_escape(ui->fp.values[i] != NULL ?
		    ui->fp.values[i] : "unknown");
		ui_list_addf(l, UI_ATTR_NORMAL, (int64_t)i, "[%c] %-20s %s",
		    ui->fpon[i] ? 'x' : ' ', ui->fp.names[i], v);
		free(v);
	}
	ui_list_set(l, cur >= 1 && cur < l->n ? cur : (l->n > 1 ? 1 : 0));
}

/*
 * Start marking the selected hit a false positive: the checklist of its
 * output fields, checked where the detection names them notable and for
 * the process and its parent, never pids, counts or times.
 */
static int
ui_filter_fields(struct ui *ui, char **cause)
{
	struct db_hit	 h;
	struct db_pairs	 det;
	const char		*notable = NULL, *n, *p;
	size_t			 i, len;
	static const char	*always[] = { "process", "parent_process",
	    "parent_process_name", "parent_process_path", NULL };
	int			 k;

	ui_filter_end(ui);
	if (db_hit_get(ui->db, ui->hit, &h) != 0) {
		xasprintf(cause, "no hit %lld", (long long)ui->hit);
		return (-1);
	}
	db_hit_match(ui->db, h.id, &ui->fp);
	memset(&det, 0, sizeof det);
	if (db_detection_get(ui->db, h.detection, &det) == 0)
		notable = db_pairs_get(&det, "notable_fields");
	ui->fpon = xcalloc(ui->fp.n + 1, sizeof *ui->fpon);
	for (i = 0; i < ui->fp.n; i++) {
		n = ui->fp.names[i];
		if (ui_filter_volatile(n))
			continue;
		for (k = 0; always[k] != NULL; k++) {
			if (strcmp(always[k], n) == 0)
				ui->fpon[i] = 1;
		}
		/* notable_fields is "user, dest": a list of names. */
		len = strlen(n);
		for (p = notable; p != NULL && *p != '\0'; p++) {
			if (strncmp(p, n, len) == 0 && (p == notable ||
			    p[-1] == ' ' || p[-1] == ',') && (p[len] == '\0' ||
			    p[len] == ',' || p[len] == ' '))
				ui->fpon[i] = 1;
		}
	}
	db_pairs_clear(&det);
	db_hit_clear(&h);
	ui->fplist.cur = 1;
	ui->prompt = UI_PROMPT_FIELDS;
	return (0);
}

/* Check or uncheck the field under the cursor. */
static void
ui_filter_toggle(struct ui *ui)
{
	struct ui_list	*l = &ui->fplist;
	int64_t		 i;

	if (l->n == 0 || (i = l->lines[l->cur].tag) < 0 ||
	    (size_t)i >= ui->fp.n)
		return;
	ui->fpon[i] = !ui->fpon[i];
}

void
ui_filter_end(struct ui *ui)
{
	db_pairs_clear(&ui->fp);
	free(ui->fpon);
	ui->fpon = NULL;
	ui_list_clear(&ui->fplist);
}

/*
 * Add a filter on the checked fields of the selected hit, their values
 * as the case matches them (times in UTC, text unescaped), and update
 * the stored hits it suppresses; the caller has the hits rebuilt.  A
 * '*' in a value is a wildcard there, which matches the value itself and
 * more.
 */
static int
ui_filter_add(struct ui *ui, const char *reason, char **cause)
{
	struct db_hit	 h;
	struct db_filter	 f;
	size_t			 i, changed;
	int64_t			 id;
	int			 rc = -1;

	if (ui->hit == 0) {
		*cause = xstrdup("no hit selected");
		return (-1);
	}
	if (ui->readonly) {
		*cause = xstrdup("the case is read-only");
		return (-1);
	}
	if (db_hit_get(ui->db, ui->hit, &h) != 0) {
		xasprintf(cause, "no hit %lld", (long long)ui->hit);
		return (-1);
	}
	if (h.filter_id != 0) {
		xasprintf(cause, "hit %lld is already filtered",
		    (long long)h.id);
		db_hit_clear(&h);
		return (-1);
	}
	if (ui->fpon == NULL)
		ui_filter_fields(ui, cause);
	ui->prompt = UI_PROMPT_NONE;
	memset(&f, 0, sizeof f);
	f.detection = h.detection;
	f.reason = (char *)reason;
	f.added_by = db_filter_user();
	f.conds = xcalloc(ui->fp.n + 1, sizeof *f.conds);
	for (i = 0; i < ui->fp.n; i++) {
		if (!ui->fpon[i])
			continue;
		f.conds[f.nconds].field = ui->fp.names[i];
		f.conds[f.nconds].pattern = ui->fp.values[i] != NULL ?
		    ui->fp.values[i] : (char *)"unknown";
		f.nconds++;
	}
	if (f.nconds == 0)
		*cause = xstrdup("not marked: no field was checked");
	else if (db_filter_add(ui->db, &f, &id, cause) == 0 &&
	    db_filter_apply(ui->db, h.detection, &changed, cause) == 0) {
		ui_view_status(ui, "hit %lld marked false positive: filter %lld "
		    "on %zu field%s, %zu hit%s filtered", (long long)h.id,
		    (long long)id,
		    f.nconds, f.nconds == 1 ? "" : "s", changed,
		    changed == 1 ? "" : "s");
		rc = 0;
	}
	free(f.conds);
	free(f.added_by);
	ui_filter_end(ui);
	db_hit_clear(&h);
	return (rc);
}

/* Remove the filter of the selected hit; its hits show again. */
static int
ui_filter_remove(struct ui *ui, char **cause)
{
	size_t	changed;

	if (db_filter_rm(ui->db, ui->fpfilter, cause) != 0 ||
	    db_filter_apply(ui->db, NULL, &changed, cause) != 0)
		return (-1);
	ui_view_status(ui, "filter %lld removed: %zu hit%s no longer "
	    "filtered by it", (long long)ui->fpfilter, changed,
	    changed == 1 ? "" : "s");
	ui->fpfilter = 0;
	return (0);
}

/* f: the checklist for the selected hit, or lift its filter. */
int
ui_filter_begin(struct ui *ui, int arg)
{
	struct db_hit	 h;
	char			*cause = NULL;

	if (ui->hit == 0) {
		ui_view_status(ui, "no hit selected");
		return (UI_REDRAW);
	}
	if (ui->readonly) {
		ui_view_status(ui, "the case is read-only");
		return (UI_REDRAW);
	}
	if (db_hit_get(ui->db, ui->hit, &h) != 0) {
		ui_view_status(ui, "no hit selected");
		return (UI_REDRAW);
	}
	/* A filtered hit (shown with F) offers to lift its filter. */
	if (h.filter_id != 0) {
		ui->fpfilter = h.filter_id;
		ui->prompt = UI_PROMPT_UNFILTER;
		ui_view_status(ui, "hit %lld is filtered by filter %lld "
		    "(%s), which suppresses %lld hit%s: remove it? y/n",
		    (long long)h.id,
		    (long long)h.filter_id, h.filter_reason != NULL ?
		    h.filter_reason : "", (long long)db_filter_count(ui->db,
		    h.filter_id), db_filter_count(ui->db, h.filter_id) == 1 ?
		    "" : "s");
		db_hit_clear(&h);
		return (UI_REDRAW);
	}
	db_hit_clear(&h);
	if (ui_filter_fields(ui, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
		return (UI_REDRAW);
	}
	return (UI_REBUILD_FIELDS);
}

/* y or anything else, asked whether to remove a filter. */
static int
ui_filter_key_unfilter(struct ui *ui, int ch, int is_key)
{
	char	*cause = NULL;
	int	 f = UI_REDRAW;

	ui->prompt = UI_PROMPT_NONE;
	if (is_key || (ch != 'y' && ch != 'Y')) {
		ui_view_status(ui, "the filter stays");
		return (UI_REDRAW);
	}
	if (ui_filter_remove(ui, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
	} else
		f |= UI_REBUILD_HITS;
	if (ui->view == UI_HITS)
		f |= UI_SELECT;
	return (f);
}

/*
 * A key in the checklist or the unfilter question; is_key if a KEY_
 * code.  0 if the key means nothing there.
 */
int
ui_filter_key(struct ui *ui, int ch, int is_key)
{
	struct ui_list	*l = &ui->fplist;

	if (ui->prompt == UI_PROMPT_UNFILTER)
		return (ui_filter_key_unfilter(ui, ch, is_key));
	if ((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) {
		if (l->cur > 1)
			ui_list_set(l, l->cur - 1);
	} else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j'))
		ui_list_move(l, 1);
	else if (!is_key && (ch == ' ' || ch == 'x')) {
		ui_filter_toggle(ui);
		return (UI_REBUILD_FIELDS);
	} else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\r' ||
	    ch == '\n'))) {
		ui->prompt = UI_PROMPT_REASON;
		free(ui->input);
		ui->input = xstrdup("");
	} else if (!is_key && (ch == 27 || ch == UI_FILTER_CTRL('g') ||
	    ch == UI_FILTER_CTRL('c') || ch == 'q')) {
		ui->prompt = UI_PROMPT_NONE;
		ui_filter_end(ui);
		ui_view_status(ui, "cancelled");
	} else
		return (0);
	return (UI_REDRAW);
}

/* Enter on the reason: add the filter; the hits and the view change. */
int
ui_filter_reason(struct ui *ui)
{
	char	*cause = NULL;
	int	 f = UI_REDRAW;

	ui->prompt = UI_PROMPT_NONE;
	if (*ui->input == '\0') {
		ui_filter_end(ui);
		ui_view_status(ui, "not marked: a reason is needed");
		return (UI_REDRAW);
	}
	if (ui_filter_add(ui, ui->input, &cause) != 0) {
		ui_view_status(ui, "%s", cause);
		free(cause);
	} else
		f |= UI_REBUILD_HITS;
	if (ui->view == UI_HITS)
		return (f | UI_SELECT);
	return (f | UI_REBUILD);
}
