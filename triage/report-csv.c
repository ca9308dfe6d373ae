/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * CSV reports: the hits, one row each with the evidence behind it, and
 * the whole timeline.  Cells go through csv_write, so a value can break
 * out of neither its cell nor its row and no cell runs as a formula.
 */

#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

/*
 * Write a row.  CSV keeps the case's bytes exactly, except on a
 * terminal: there a control (ESC, BEL, C1) would act on the terminal, so
 * each cell is escaped as text output is (\x1b, \n).
 */
static void
report_csv_row(struct report *r, const char * const *cells, size_t n)
{
	struct buf	*b;
	const char	**esc;
	size_t		  i;

	if (!r->tty) {
		csv_write_row(r->f, cells, n);
		return;
	}
	b = xcalloc(n + 1, sizeof *b);
	esc = xcalloc(n + 1, sizeof *esc);
	for (i = 0; i < n; i++) {
		escape_term(&b[i], cells[i]);
		buf_append(&b[i], "", 1);
		esc[i] = cells[i] != NULL ? (char *)b[i].data : NULL;
	}
	csv_write_row(r->f, esc, n);
	for (i = 0; i < n; i++)
		buf_free(&b[i]);
	free(b);
	free(esc);
}

/*
 * The union of the hits' output field names, in first-seen order, as
 * labelled for the header (report_ctime_label): a ctime column of
 * detections run in different zones is two columns.
 */
static char **
report_csv_fields(struct db_hit *hits, size_t n,
    struct db_detection_info *d, size_t nd, size_t *nout)
{
	char		**all = NULL, tmp[256];
	const char	 *name, *zone;
	size_t		  i, j, k, count = 0;

	for (i = 0; i < n; i++) {
		zone = report_detection_zone(d, nd, hits[i].detection);
		for (j = 0; j < hits[i].nvalues; j++) {
			name = report_ctime_label(hits[i].fields[j], zone, tmp,
			    sizeof tmp);
			for (k = 0; k < count; k++) {
				if (strcmp(all[k], name) == 0)
					break;
			}
			if (k < count)
				continue;
			all = xreallocarray(all, count + 1, sizeof *all);
			all[count++] = xstrdup(name);
		}
	}
	*nout = count;
	return (all);
}

static struct db_detection_info *
report_csv_detection(struct db_detection_info *d, size_t nd,
    const char *name)
{
	size_t	i;

	for (i = 0; i < nd; i++) {
		if (strcmp(d[i].name, name) == 0)
			return (&d[i]);
	}
	return (NULL);
}

int
report_csv_hits(struct report *r)
{
	static const char		*head[] = { "detection", "title", "hit",
	    "filtered", "filter_id", "filter_reason", "risk_score",
	    "risk_message", "mitre", "time" };
	static const char		*tail[] = { "evidence_rows",
	    "evidence_path", "evidence_record_id", "evidence_sha256",
	    "window_earliest", "window_earliest_given", "window_latest",
	    "window_latest_given", "window_tz", "evidence_provenance",
	    "risk_level", "evidence_reader" };
	struct db_detection_info	*dd;
	char				*we, *wl;
	struct db_hit			*hits;
	struct db_detection_info	*d;
	struct db_proc			*rows;
	struct buf			 ev[4], pv, rd;
	size_t				 n, nd, nf, nrows, i, j, k, nh, nt;
	char				**fields, tmp[256], seq[32], fid[32];
	char				 score[32], *t;
	const char			**cells, *name, *zone;

	nh = sizeof head / sizeof head[0];
	nt = sizeof tail / sizeof tail[0];
	db_detect_hits(r->db, NULL, 1, &hits, &n);
	db_detection_list(r->db, &d, &nd);
	fields = report_csv_fields(hits, n, d, nd, &nf);
	cells = xcalloc(nh + nf + nt, sizeof *cells);
	for (i = 0; i < nh; i++)
		cells[i] = head[i];
	for (i = 0; i < nf; i++) {
		cells[nh + i] = xstrdup(report_field_name(fields[i], tmp,
		    sizeof tmp));
	}
	for (i = 0; i < nt; i++)
		cells[nh + nf + i] = tail[i];
	report_csv_row(r, cells, nh + nf + nt);
	for (i = 0; i < nf; i++)
		free((char *)cells[nh + i]);

	for (i = 0; i < n; i++) {
		memset(cells, 0, (nh + nf + nt) * sizeof *cells);
		snprintf(seq, sizeof seq, "%lld", (long long)hits[i].id);
		snprintf(score, sizeof score, "%d", hits[i].risk_score);
		snprintf(fid, sizeof fid, "%lld", (long long)hits[i].filter_id);
		t = report_time(r, hits[i].first_time, REPORT_TIME_ISO);
		dd = report_csv_detection(d, nd, hits[i].detection);
		cells[0] = hits[i].detection;
		cells[1] = dd != NULL ? dd->title : NULL;
		cells[2] = seq;
		cells[3] = hits[i].filter_id > 0 ? "true" : "false";
		cells[4] = hits[i].filter_id > 0 ? fid : "";
		cells[5] = hits[i].filter_reason;
		cells[6] = score;
		cells[7] = hits[i].risk_message;
		cells[8] = hits[i].mitre;
		cells[9] = t;
		zone = report_detection_zone(d, nd, hits[i].detection);
		for (j = 0; j < hits[i].nvalues; j++) {
			name = report_ctime_label(hits[i].fields[j], zone, tmp,
			    sizeof tmp);
			for (k = 0; k < nf; k++) {
				if (strcmp(fields[k], name) == 0)
					break;
			}
			cells[nh + k] = hits[i].values[j];
		}
		/* One line per row behind the hit, in every evidence cell. */
		memset(ev, 0, sizeof ev);
		memset(&pv, 0, sizeof pv);
		memset(&rd, 0, sizeof rd);
		report_hit_rows(r, &hits[i], &rows, &nrows);
		for (j = 0; j < nrows; j++) {
			for (k = 0; k < 4 && j > 0; k++)
				buf_append(&ev[k], "\n", 1);
			if (j > 0)
				buf_append(&pv, "\n", 1);
			if (rows[j].evidence_provenance != NULL)
				buf_append_str(&pv, rows[j].evidence_provenance);
			buf_printf(&ev[0], "%lld", (long long)rows[j].id);
			buf_append_str(&ev[1], rows[j].evidence_path);
			buf_printf(&ev[2], "%lld%s", (long long)rows[j].record_id,
			    rows[j].recovered ? " (recovered)" : "");
			buf_append_str(&ev[3], rows[j].evidence_sha256);
			if (j > 0)
				buf_append(&rd, "\n", 1);
			if (rows[j].reader != NULL)
				buf_append_str(&rd, rows[j].reader);
		}
		for (k = 0; k < 4; k++)
			cells[nh + nf + k] = ev[k].data != NULL ?
			    (char *)ev[k].data : "";
		/* The run's window, so that a windowed run shows as one. */
		we = wl = NULL;
		if (dd != NULL) {
			we = report_time(r, dd->run.earliest, REPORT_TIME_ISO);
			wl = report_time(r, dd->run.latest, REPORT_TIME_ISO);
			cells[nh + nf + 4] = we;
			cells[nh + nf + 5] = dd->run.earliest_given;
			cells[nh + nf + 6] = wl;
			cells[nh + nf + 7] = dd->run.latest_given;
			cells[nh + nf + 8] = dd->run.tz;
		}
		cells[nh + nf + 9] = pv.data != NULL ? (char *)pv.data : "";
		/* Last, so that the columns before keep their places. */
		cells[nh + nf + 10] = db_risk_level(hits[i].risk_score);
		cells[nh + nf + 11] = rd.data != NULL ? (char *)rd.data : "";
		report_csv_row(r, cells, nh + nf + nt);
		free(we);
		free(wl);
		for (k = 0; k < 4; k++)
			buf_free(&ev[k]);
		buf_free(&pv);
		buf_free(&rd);
		db_process_free_array(rows, nrows);
		free(t);
	}
	free(cells);
	for (i = 0; i < nf; i++)
		free(fields[i]);
	free(fields);
	db_detection_list_free(d, nd);
	db_detect_hits_free(hits, n);
	return (0);
}

static int
report_csv_timeline_row(void *arg, const char **names, const char **values,
    const int *isint, size_t n)
{
	struct report	*r = arg;
	const char	**cells;
	char		*t = NULL;
	size_t		 i;

	if (values == NULL) {
		report_csv_row(r, names, n);
		return (0);
	}
	cells = xcalloc(n, sizeof *cells);
	for (i = 0; i < n; i++) {
		cells[i] = values[i] != NULL ? values[i] : "";
		if (strcmp(names[i], "_time") == 0) {
			t = report_time(r, values[i], REPORT_TIME_ISO);
			cells[i] = t;
		}
	}
	report_csv_row(r, cells, n);
	free(t);
	free(cells);
	return (ferror(r->f) ? -1 : 0);
}

int
report_csv_timeline(struct report *r)
{
	return (db_process_all(r->db, report_csv_timeline_row, r));
}
