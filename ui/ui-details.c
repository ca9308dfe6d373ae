/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The details view: everything the case holds of the selected process
 * (times, command line, evidence, every field) and of the selected hit
 * (risk, why it matched, the detection and its SQL).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "ui/ui.h"

static void
ui_details_pair(struct ui_list *l, enum ui_attr attr, int64_t tag,
    const char *name, const char *value, int width)
{
	char	label[64];

	snprintf(label, sizeof label, "  %-26s ", name);
	ui_list_add_wrapped(l, attr, tag, label, value != NULL ? value :
	    "(null)", width);
}

static void
ui_details_detection(struct ui *ui, struct ui_list *l, const char *name)
{
	struct db_pairs	 p;
	size_t			 i;
	char			*s, *sql, *line, *next;
	int			 body = 0;

	s = ui_list_escape(name);
	ui_list_addf(l, UI_ATTR_HEADING, 0, "Detection %s", s);
	free(s);
	if (db_detection_get(ui->db, name, &p) != 0) {
		ui_list_add(l, UI_ATTR_DIM, 0, "  (not in the case)");
		return;
	}
	for (i = 0; i < p.n; i++) {
		if (strcmp(p.names[i], "sql") != 0)
			ui_details_pair(l, UI_ATTR_NORMAL, 0, p.names[i],
			    p.values[i], ui->width);
	}
	/* The query itself, without its header of comments. */
	ui_list_add(l, UI_ATTR_HEADING, 0, "  Matched by this SQL");
	sql = xstrdup(db_pairs_get(&p, "sql") != NULL ?
	    db_pairs_get(&p, "sql") : "");
	for (line = sql; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (!body && (strncmp(line, "--", 2) == 0 || *line == '\0'))
			continue;
		body = 1;
		s = ui_list_escape(line);
		ui_list_addf(l, UI_ATTR_NORMAL, 0, "    %s", s);
		free(s);
	}
	free(sql);
	db_pairs_clear(&p);
}

void
ui_details_build(struct ui *ui)
{
	struct ui_list		*l = &ui->lists[UI_DETAILS];
	struct db_proc		 p;
	struct db_hit		 h;
	struct db_pairs		 out, f;
	char			*s;
	size_t			 i;
	int			 w = ui->width;

	ui_list_clear(l);
	if (ui->proc != 0 && db_process_get(ui->db, ui->proc, &p) == 0) {
		s = ui_list_escape(p.process_name);
		ui_list_addf(l, UI_ATTR_HEADING, 0, "Process %s (%lld), row "
		    "%lld", s, (long long)p.process_id, (long long)p.id);
		free(s);
		s = ui_list_time(p.time, UI_TIME_EXACT);
		ui_details_pair(l, UI_ATTR_NORMAL, 0, "started", s, w);
		free(s);
		s = p.end_time != NULL ? ui_list_time(p.end_time,
		    UI_TIME_EXACT) : xstrdup("not in the logs");
		ui_details_pair(l, UI_ATTR_NORMAL, 0, "ended", s, w);
		free(s);
		ui_list_add(l, UI_ATTR_HEADING, 0, "Command line");
		ui_list_add_wrapped(l, UI_ATTR_NORMAL, 0, "  ", p.process, w);
		ui_list_add(l, UI_ATTR_HEADING, 0, "Evidence");
		ui_details_pair(l, UI_ATTR_NORMAL, 0, "file", p.evidence_path,
		    w);
		if (p.evidence_chain != NULL &&
		    strcmp(p.evidence_chain, p.evidence_path) != 0)
			ui_details_pair(l, UI_ATTR_NORMAL, 0, "from",
			    p.evidence_chain, w);
		s = NULL;
		xasprintf(&s, "%lld%s", (long long)p.record_id,
		    p.recovered ? " (recovered)" : "");
		ui_details_pair(l, UI_ATTR_NORMAL, 0, "record id", s, w);
		free(s);
		if (p.reader != NULL)
			ui_details_pair(l, UI_ATTR_NORMAL, 0, "read by",
			    p.reader, w);
		ui_details_pair(l, UI_ATTR_NORMAL, 0, "sha256",
		    p.evidence_sha256, w);
		ui_list_add(l, UI_ATTR_HEADING, 0, "Fields");
		if (db_process_fields(ui->db, p.id, &f) == 0) {
			for (i = 0; i < f.n; i++)
				ui_details_pair(l, UI_ATTR_NORMAL, 0, f.names[i],
				    f.values[i], w);
			db_pairs_clear(&f);
		}
		db_process_clear(&p);
	} else
		ui_list_add(l, UI_ATTR_DIM, 0, "No process selected.");
	if (ui->hit == 0 || db_hit_get(ui->db, ui->hit, &h) != 0)
		goto out;
	s = ui_list_escape(h.detection);
	ui_list_addf(l, UI_ATTR_HEADING, 0, "Hit %lld of %s",
	    (long long)h.id, s);
	free(s);
	xasprintf(&s, "%d (%s)", h.risk_score, db_risk_level(h.risk_score));
	ui_details_pair(l, UI_ATTR_NORMAL, 0, "risk score", s, w);
	free(s);
	ui_details_pair(l, UI_ATTR_NORMAL, 0, "risk message", h.risk_message,
	    w);
	ui_details_pair(l, UI_ATTR_NORMAL, 0, "mitre", h.mitre, w);
	if (h.filter_id != 0) {
		xasprintf(&s, "filter %lld: %s", (long long)h.filter_id,
		    h.filter_reason != NULL ? h.filter_reason : "");
		ui_details_pair(l, UI_ATTR_FILTERED, 0, "filtered", s, w);
		free(s);
	}
	ui_list_add(l, UI_ATTR_HEADING, 0, "  Why it matched: its output");
	if (db_hit_output(ui->db, h.id, &out) == 0) {
		for (i = 0; i < out.n; i++)
			ui_details_pair(l, UI_ATTR_NORMAL, 0, out.names[i],
			    out.values[i], w);
		db_pairs_clear(&out);
	}
	ui_details_detection(ui, l, h.detection);
	db_hit_clear(&h);
out:
	ui_list_set(l, 0);
	l->off = 0;
}
