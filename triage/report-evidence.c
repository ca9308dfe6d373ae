/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evidence of a case as CSV, one file a row: the list a
 * chain-of-custody form asks for (evidence -f csv, and scan -o's
 * evidence.csv), written whole or not at all.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

#define REPORT_EVIDENCE_NCOLS 20

static const char *report_evidence_cols[REPORT_EVIDENCE_NCOLS] = {
	"path", "sha256", "size", "modified", "loaded_at", "format_version",
	"dirty", "corrupted", "records", "recovered", "unreadable",
	"process_events", "terminations", "status", "complete", "message",
	"also_seen_as", "slack_candidates", "provenance", "fast_records"
};

/* Is the file not read in full?  As scan judges it: see db_load_complete. */
int
report_evidence_incomplete(const struct db_evidence *e)
{
	return (strcmp(e->status, "done") != 0 || e->unreadable > 0 ||
	    e->corrupted || e->records + e->recovered == 0);
}

/*
 * Write one row; to a terminal, with control characters escaped.  As
 * JSON (term < 0), an object a line with the CSV's columns as keys.
 */
static void
report_evidence_csv_row(FILE *f, const char **cells, int term)
{
	const char	*out[REPORT_EVIDENCE_NCOLS];
	char		*esc[REPORT_EVIDENCE_NCOLS];
	struct buf	 b;
	size_t		 c;

	if (term < 0) {
		memset(&b, 0, sizeof b);
		for (c = 0; c < REPORT_EVIDENCE_NCOLS; c++) {
			buf_append(&b, c == 0 ? "{" : ",", 1);
			buf_json_unicode(&b, report_evidence_cols[c]);
			buf_append(&b, ":", 1);
			buf_json_unicode(&b, cells[c]);
		}
		buf_append(&b, "}\n", 2);
		fwrite(b.data, 1, b.len, f);
		buf_free(&b);
		return;
	}
	for (c = 0; c < REPORT_EVIDENCE_NCOLS; c++) {
		out[c] = cells[c];
		esc[c] = NULL;
		if (term && cells[c] != NULL) {
			memset(&b, 0, sizeof b);
			escape_term(&b, cells[c]);
			out[c] = esc[c] = buf_take(&b);
		}
	}
	csv_write_row(f, out, REPORT_EVIDENCE_NCOLS);
	for (c = 0; c < REPORT_EVIDENCE_NCOLS; c++)
		free(esc[c]);
}

static int report_evidence_rows(struct db *, FILE *, int);

/* Write the evidence of the case as CSV to f, a row a file. */
int
report_evidence_csv(struct db *db, FILE *f)
{
	return (report_evidence_rows(db, f, 0));
}

/* The same as JSON lines, an object a file with the CSV's columns. */
int
report_evidence_json(struct db *db, FILE *f)
{
	return (report_evidence_rows(db, f, 1));
}

static int
report_evidence_rows(struct db *db, FILE *f, int json)
{
	struct db_evidence	*e;
	struct db_unread	*u;
	struct buf		 b;
	const char		*cells[REPORT_EVIDENCE_NCOLS];
	char			*num[11], **paths, *also;
	size_t			 n, i, np, k;
	int			 term;

	/* CSV to a file keeps the bytes; to a terminal, no controls. */
	term = json ? -1 : isatty(fileno(f));
	if (db_evidence_list(db, &e, &n) != 0)
		return (-1);
	if (!json)
		csv_write_row(f, report_evidence_cols, REPORT_EVIDENCE_NCOLS);
	for (i = 0; i < n; i++) {
		xasprintf(&num[0], "%lld", (long long)e[i].size);
		xasprintf(&num[1], "%d", e[i].dirty);
		xasprintf(&num[2], "%d", e[i].corrupted);
		xasprintf(&num[3], "%lld", (long long)e[i].records);
		xasprintf(&num[4], "%lld", (long long)e[i].recovered);
		xasprintf(&num[5], "%lld", (long long)e[i].unreadable);
		xasprintf(&num[6], "%lld", (long long)e[i].process_events);
		xasprintf(&num[7], "%lld", (long long)e[i].end_events);
		num[8] = xstrdup(report_evidence_incomplete(&e[i]) ? "no" : "yes");
		xasprintf(&num[9], "%lld", (long long)e[i].slack);
		/* Empty for evidence the fast reader does not read. */
		num[10] = NULL;
		if (e[i].fast_records >= 0)
			xasprintf(&num[10], "%lld",
			    (long long)e[i].fast_records);

		/* Every other path the same content was seen under. */
		memset(&b, 0, sizeof b);
		paths = db_evidence_paths(db, e[i].id, &np);
		for (k = 0; k < np; k++) {
			if (strcmp(paths[k], e[i].path) != 0) {
				if (b.len > 0)
					buf_append(&b, "\n", 1);
				buf_append_str(&b, paths[k]);
			}
			free(paths[k]);
		}
		free(paths);
		also = buf_take(&b);

		cells[0] = e[i].path;
		cells[1] = e[i].sha256;
		cells[2] = num[0];
		cells[3] = e[i].mtime;
		cells[4] = e[i].loaded_at;
		cells[5] = e[i].format_version;
		cells[6] = num[1];
		cells[7] = num[2];
		for (k = 0; k < 5; k++)
			cells[8 + k] = num[3 + k];
		cells[13] = e[i].status;
		cells[14] = num[8];
		cells[15] = e[i].message;
		cells[16] = also;
		cells[17] = num[9];
		cells[18] = e[i].provenance;
		cells[19] = num[10];
		report_evidence_csv_row(f, cells, term);
		for (k = 0; k < 11; k++)
			free(num[k]);
		free(also);
	}
	db_evidence_free(e, n);

	/* Files found and never read: no hash, and never complete. */
	if (db_evidence_unread(db, &u, &n) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		memset(cells, 0, sizeof cells);
		cells[0] = u[i].path;
		cells[13] = "not read";
		cells[14] = "no";
		cells[15] = u[i].reason;
		report_evidence_csv_row(f, cells, term);
	}
	db_evidence_unread_free(u, n);
	return (ferror(f) ? -1 : 0);
}

static int
report_evidence_csv_cb(FILE *f, void *arg, char **cause)
{
	if (report_evidence_csv(arg, f) != 0) {
		*cause = xstrdup(errno != 0 ? strerror(errno) :
		    "cannot read the case");
		return (-1);
	}
	return (0);
}

/* Write the CSV to path, whole or not at all. */
int
report_evidence_csv_file(struct db *db, const char *path, char **cause)
{
	return (outfile_write(path, report_evidence_csv_cb, db, cause));
}
