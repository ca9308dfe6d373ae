/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The hosts of a case (db-host.c) as the hosts command prints them, as
 * the short table after the scan summary, and as hosts.csv and
 * hosts.jsonl beside the other reports.  Host names are evidence: each
 * format escapes them its own way.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

#define REPORT_HOSTS_NCOLS 15
static const char *report_hosts_cols[REPORT_HOSTS_NCOLS] = {
	"host", "sources", "process_events", "end_events", "first", "last",
	"files", "unreadable", "problems", "incomplete_files",
	"security_4688", "no_command_line", "auditing_off", "flag",
	"records"
};

/* The host's name for people: escaped, or what stands for none. */
static char *
report_hosts_name(const struct db_host *h)
{
	struct buf	b;

	if (h->unknown)
		return (xstrdup("(no process events)"));
	if (h->dest == NULL)
		return (xstrdup("(no computer name)"));
	memset(&b, 0, sizeof b);
	if (*h->dest == '\0')
		buf_append_str(&b, "(empty)");
	else
		escape_term(&b, h->dest);
	return (buf_take(&b));
}

/* A time to the minute, "2024-03-05T10:40Z", into s: the table's width. */
static const char *
report_hosts_time(const char *iso, char *s, size_t size)
{
	if (iso == NULL || strlen(iso) < 19)
		return ("-");
	snprintf(s, size, "%.16sZ", iso);
	return (s);
}

/*
 * Print the hosts as a table, at most limit of them (0: all), then "and
 * N more hosts".  Returns how many hosts there are, or -1.
 */
int
report_hosts_text(struct db *db, FILE *f, size_t limit)
{
	struct db_host	*h;
	char		**names, src[64], t0[32], t1[32];
	const char	*flag;
	size_t		 n, i, shown, w = 4, ws = 7, len;

	if (db_host_list(db, &h, &n) != 0)
		return (-1);
	shown = (limit != 0 && n > limit) ? limit : n;
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < shown; i++) {
		names[i] = report_hosts_name(&h[i]);
		len = strlen(names[i]);
		if (len > w)
			w = len > 40 ? 40 : len;
		db_host_sources(&h[i], src, sizeof src);
		if (strlen(src) > ws)
			ws = strlen(src);
	}
	if (n > 0)
		fprintf(f, "%-*s %-*s %7s %-17s %-17s %5s %8s\n", (int)w,
		    "HOST", (int)ws, "SOURCES", "EVENTS", "FIRST", "LAST",
		    "FILES", "PROBLEMS");
	for (i = 0; i < shown; i++) {
		db_host_sources(&h[i], src, sizeof src);
		fprintf(f, "%-*s %-*s %7lld %-17s %-17s %5lld %8lld",
		    (int)w, names[i], (int)ws, src, (long long)h[i].events,
		    report_hosts_time(h[i].first, t0, sizeof t0),
		    report_hosts_time(h[i].last, t1, sizeof t1),
		    (long long)h[i].files,
		    (long long)(h[i].problems + h[i].incomplete));
		if ((flag = db_host_flag_text(&h[i])) != NULL)
			fprintf(f, "  ! %s", flag);
		if (h[i].flags & DB_HOST_NO_CMDLINE)
			fprintf(f, " (%lld of %lld)",
			    (long long)h[i].no_cmdline,
			    (long long)h[i].security_events);
		if (h[i].incomplete > 0)
			fprintf(f, "  %lld file%s not read in full",
			    (long long)h[i].incomplete,
			    h[i].incomplete == 1 ? "" : "s");
		fputc('\n', f);
	}
	if (shown < n)
		fprintf(f, "and %zu more host%s\n", n - shown,
		    n - shown == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	db_host_free(h, n);
	return (ferror(f) ? -1 : (int)n);
}

/* The cells of a host, as text, written into the caller's nums and src. */
static void
report_hosts_cells(const struct db_host *h, const char **cells,
    char nums[][32], char *src, size_t srcsize)
{
	db_host_sources(h, src, srcsize);
	cells[0] = h->dest;
	cells[1] = src;
	snprintf(nums[0], 32, "%lld", (long long)h->events);
	snprintf(nums[1], 32, "%lld", (long long)h->ends);
	snprintf(nums[2], 32, "%lld", (long long)h->files);
	snprintf(nums[3], 32, "%lld", (long long)h->unreadable);
	snprintf(nums[4], 32, "%lld", (long long)h->problems);
	snprintf(nums[5], 32, "%lld", (long long)h->incomplete);
	snprintf(nums[6], 32, "%lld", (long long)h->security_events);
	snprintf(nums[7], 32, "%lld", (long long)h->no_cmdline);
	snprintf(nums[8], 32, "%d", (h->flags & DB_HOST_NO_4688) ? 1 : 0);
	snprintf(nums[9], 32, "%lld", (long long)h->records);
	cells[2] = nums[0];
	cells[3] = nums[1];
	cells[4] = h->first;
	cells[5] = h->last;
	cells[6] = nums[2];
	cells[7] = nums[3];
	cells[8] = nums[4];
	cells[9] = nums[5];
	cells[10] = nums[6];
	cells[11] = nums[7];
	cells[12] = nums[8];
	cells[13] = db_host_flag_text(h);
	cells[14] = nums[9];
}

/*
 * The hosts one a row: CSV (to a terminal, no raw controls), TSV (every
 * control escaped, so a tab or line end in a name cannot make a cell),
 * or JSON Lines.  In CSV and JSON the unknown host is empty / null.
 */
int
report_hosts_rows(struct db *db, FILE *f, enum report_hosts_format fmt)
{
	struct db_host	*h;
	struct buf	 b, e;
	const char	*cells[REPORT_HOSTS_NCOLS];
	char		*esc[REPORT_HOSTS_NCOLS];
	char		 nums[10][32], src[64];
	size_t		 n, i, k;
	int		 term;

	if (db_host_list(db, &h, &n) != 0)
		return (-1);
	term = isatty(fileno(f));
	memset(&b, 0, sizeof b);
	if (fmt == REPORT_HOSTS_CSV)
		csv_write_row(f, report_hosts_cols, REPORT_HOSTS_NCOLS);
	else if (fmt == REPORT_HOSTS_TSV) {
		for (k = 0; k < REPORT_HOSTS_NCOLS; k++)
			fprintf(f, "%s%s", k ? "\t" : "", report_hosts_cols[k]);
		fputc('\n', f);
	}
	for (i = 0; i < n; i++) {
		report_hosts_cells(&h[i], cells, nums, src, sizeof src);
		b.len = 0;
		for (k = 0; k < REPORT_HOSTS_NCOLS; k++) {
			switch (fmt) {
			case REPORT_HOSTS_JSON:
				buf_append_str(&b, k ? "," : "{");
				buf_json_string(&b, report_hosts_cols[k]);
				buf_append_str(&b, ":");
				if (cells[k] == NULL)
					buf_append_str(&b, "null");
				else if (k == 0 || k == 1 || k == 4 ||
				    k == 5 || k == 13)
					buf_json_unicode(&b, cells[k]);
				else
					buf_append_str(&b, cells[k]);
				break;
			case REPORT_HOSTS_TSV:
				if (k > 0)
					buf_append_str(&b, "\t");
				if (cells[k] != NULL)
					escape_term(&b, cells[k]);
				break;
			default:
				esc[k] = NULL;
				if (term && cells[k] != NULL) {
					memset(&e, 0, sizeof e);
					escape_term(&e, cells[k]);
					cells[k] = esc[k] = buf_take(&e);
				}
				break;
			}
		}
		if (fmt == REPORT_HOSTS_CSV) {
			csv_write_row(f, cells, REPORT_HOSTS_NCOLS);
			for (k = 0; k < REPORT_HOSTS_NCOLS; k++)
				free(esc[k]);
			continue;
		}
		if (fmt == REPORT_HOSTS_JSON)
			buf_append_str(&b, "}");
		buf_append_str(&b, "\n");
		fwrite(b.data, 1, b.len, f);
	}
	buf_free(&b);
	db_host_free(h, n);
	return (ferror(f) ? -1 : 0);
}

struct report_hosts_file {
	struct db			*db;
	enum report_hosts_format	 fmt;
};

static int
report_hosts_file_cb(FILE *f, void *arg, char **cause)
{
	struct report_hosts_file	*rf = arg;

	if (report_hosts_rows(rf->db, f, rf->fmt) != 0) {
		*cause = xstrdup(errno != 0 ? strerror(errno) :
		    "cannot read the case");
		return (-1);
	}
	return (0);
}

/* Write the hosts to path, whole or not at all. */
int
report_hosts_file(struct db *db, enum report_hosts_format fmt,
    const char *path, char **cause)
{
	struct report_hosts_file	rf;

	rf.db = db;
	rf.fmt = fmt;
	return (outfile_write(path, report_hosts_file_cb, &rf, cause));
}
