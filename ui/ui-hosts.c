/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The hosts view: each host of the case with its sources, process
 * events, first and last event, files and problems (db-host.c), and
 * the flags that say the detections are blind there (no process
 * creations to see).  Enter opens the
 * host's timeline at its first process event; the browser opens here
 * when the case has no hits.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

void
ui_hosts_build(struct ui *ui)
{
	struct ui_list	*l = &ui->lists[UI_HOSTS];
	struct db_host	*h;
	struct buf	 b = { 0 };
	const char	*flag;
	char		 src[64], *s, *t0, *t1, *line;
	size_t		 n, i;

	ui_list_clear(l);
	db_host_list(ui->db, &h, &n);
	for (i = 0; i < n; i++) {
		if (h[i].dest != NULL)
			s = ui_list_escape(h[i].dest);
		else
			s = xstrdup(h[i].unknown ?
			    "(logs with no process events)" :
			    "(events with no computer name)");
		ui_list_add(l, UI_ATTR_HEADING, h[i].first_id, s);
		free(s);
		db_host_sources(&h[i], src, sizeof src);
		t0 = ui_list_time(h[i].first, UI_TIME_DATE);
		t1 = ui_list_time(h[i].last, UI_TIME_DATE);
		buf_printf(&b, "  %s: %lld process events, %s to %s",
		    src, (long long)h[i].events, h[i].first != NULL ? t0 : "-",
		    h[i].last != NULL ? t1 : "-");
		free(t0);
		free(t1);
		line = buf_take(&b);
		ui_list_add(l, UI_ATTR_NORMAL, h[i].first_id, line);
		free(line);
		ui_list_addf(l, h[i].problems + h[i].incomplete > 0 ?
		    UI_ATTR_WARN : UI_ATTR_NORMAL, h[i].first_id,
		    "  %lld file%s, %lld problem%s%s", (long long)h[i].files,
		    h[i].files == 1 ? "" : "s", (long long)h[i].problems,
		    h[i].problems == 1 ? "" : "s", h[i].incomplete > 0 ?
		    ", some files not read in full" : "");
		if ((flag = db_host_flag_text(&h[i])) != NULL)
			ui_list_addf(l, UI_ATTR_WARN, h[i].first_id,
			    "  ! %s", flag);
	}
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No hosts: nothing was read.");
	db_host_free(h, n);
	ui_list_restore(l);
}

char *
ui_hosts_header(struct ui *ui)
{
	return (xstrdup("Hosts: sources, process events, first and last"));
}

/* Enter: the host's timeline from its first process event. */
int
ui_hosts_enter(struct ui *ui, int arg)
{
	struct ui_list	*l = &ui->lists[UI_HOSTS];

	if (l->n == 0 || l->lines[l->cur].tag <= 0) {
		ui_view_status(ui, "no process events on this host");
		return (UI_REDRAW);
	}
	ui->proc = l->lines[l->cur].tag;
	return (ui_view_open(ui, UI_TIMELINE));
}
