/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evidence view: every file the case read, with its hash, format,
 * status, counts of records read, recovered and unreadable, and the
 * first of its problems, so that what was not read shows.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

#define UI_EVIDENCE_PROBLEMS	20	/* problems shown per evidence file */

void
ui_evidence_build(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_EVIDENCE];
	struct db_evidence	*e;
	struct db_problem	*p;
	size_t			 n, i, np, j;
	int64_t			 total;
	char			*s;

	ui_list_clear(l);
	db_evidence_list(ui->db, &e, &n);
	for (i = 0; i < n; i++) {
		s = ui_list_escape(e[i].path);
		ui_list_add(l, UI_ATTR_HEADING, e[i].id, s);
		free(s);
		/* Inside a container (more than one link): the chain. */
		if (e[i].chain != NULL && strcmp(e[i].chain, e[i].path) != 0)
			ui_list_add_wrapped(l, UI_ATTR_NORMAL, e[i].id,
			    "  from ", e[i].chain, ui->width);
		if (e[i].provenance != NULL &&
		    strstr(e[i].provenance, "},{") != NULL)
			ui_list_add_wrapped(l, UI_ATTR_NORMAL, e[i].id,
			    "  provenance ", e[i].provenance, ui->width);
		ui_list_addf(l, UI_ATTR_NORMAL, e[i].id, "  sha256 %s",
		    e[i].sha256);
		s = ui_list_time(e[i].mtime, UI_TIME_EXACT);
		ui_list_addf(l, UI_ATTR_NORMAL, e[i].id, "  %lld bytes, "
		    "modified %s, format %s%s%s, status %s",
		    (long long)e[i].size, s,
		    e[i].format_version != NULL ? e[i].format_version : "?",
		    e[i].dirty ? ", dirty" : "",
		    e[i].corrupted ? ", corrupted" : "", e[i].status);
		free(s);
		ui_list_addf(l, e[i].unreadable > 0 ? UI_ATTR_WARN :
		    UI_ATTR_NORMAL, e[i].id, "  records %lld, recovered %lld, "
		    "unreadable %lld; process events %lld, terminations %lld",
		    (long long)e[i].records, (long long)e[i].recovered,
		    (long long)e[i].unreadable, (long long)e[i].process_events,
		    (long long)e[i].end_events);
		if (e[i].message != NULL)
			ui_list_add_wrapped(l, UI_ATTR_WARN, e[i].id, "  ",
			    e[i].message, ui->width);
		db_evidence_problems(ui->db, e[i].id, UI_EVIDENCE_PROBLEMS, &p,
		    &np, &total);
		for (j = 0; j < np; j++) {
			if (p[j].record_index >= 0)
				xasprintf(&s, "  %s, record %lld%s: ",
				    p[j].kind, (long long)p[j].record_index,
				    p[j].recovered ? " (recovered)" : "");
			else
				xasprintf(&s, "  %s: ", p[j].kind);
			ui_list_add_wrapped(l, UI_ATTR_WARN, e[i].id, s,
			    p[j].reason, ui->width);
			free(s);
		}
		if (total > (int64_t)np)
			ui_list_addf(l, UI_ATTR_WARN, e[i].id, "  and %lld more "
			    "problems", (long long)(total - (int64_t)np));
		db_problem_free_array(p, np);
	}
	if (n == 0)
		ui_list_add(l, UI_ATTR_DIM, 0, "No evidence in the case.");
	db_evidence_free(e, n);
	ui_list_restore(l);
}
