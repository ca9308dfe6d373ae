/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evidence command: the case's chain of custody and coverage, one
 * file a paragraph, and the problems found in each; or as CSV, one file
 * a row, the list a chain-of-custody form asks for (also written by
 * scan -o as evidence.csv).
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

#define CMD_EVIDENCE_NCOLS 19

static const char *cmd_evidence_cols[CMD_EVIDENCE_NCOLS] = {
	"path", "sha256", "size", "modified", "loaded_at", "format_version",
	"dirty", "corrupted", "records", "recovered", "unreadable",
	"process_events", "terminations", "status", "complete", "message",
	"also_seen_as", "slack_candidates", "provenance"
};

/* Is the file not read in full?  As scan judges it: see db_load_complete. */
static int
cmd_evidence_incomplete(const struct db_evidence *e)
{
	return (strcmp(e->status, "done") != 0 || e->unreadable > 0 ||
	    e->corrupted || e->records + e->recovered == 0);
}

/*
 * Write one row; to a terminal, with control characters escaped.  As
 * JSON (term < 0), an object a line with the CSV's columns as keys.
 */
static void
cmd_evidence_csv_row(FILE *f, const char **cells, int term)
{
	const char	*out[CMD_EVIDENCE_NCOLS];
	char		*esc[CMD_EVIDENCE_NCOLS];
	struct buf	 b;
	size_t		 c;

	if (term < 0) {
		memset(&b, 0, sizeof b);
		for (c = 0; c < CMD_EVIDENCE_NCOLS; c++) {
			buf_append(&b, c == 0 ? "{" : ",", 1);
			report_json_string(&b, cmd_evidence_cols[c]);
			buf_append(&b, ":", 1);
			report_json_string(&b, cells[c]);
		}
		buf_append(&b, "}\n", 2);
		fwrite(b.data, 1, b.len, f);
		buf_free(&b);
		return;
	}

	for (c = 0; c < CMD_EVIDENCE_NCOLS; c++) {
		out[c] = cells[c];
		esc[c] = NULL;
		if (term && cells[c] != NULL) {
			memset(&b, 0, sizeof b);
			escape_term(&b, cells[c]);
			out[c] = esc[c] = buf_take(&b);
		}
	}
	csv_write_row(f, out, CMD_EVIDENCE_NCOLS);
	for (c = 0; c < CMD_EVIDENCE_NCOLS; c++)
		free(esc[c]);
}

static int cmd_evidence_rows(struct db *, FILE *, int);

/* Write the evidence of the case as CSV to f, a row a file. */
int
cmd_evidence_csv(struct db *db, FILE *f)
{
	return (cmd_evidence_rows(db, f, 0));
}

/* The rows as CSV or (json) JSON lines. */
static int
cmd_evidence_rows(struct db *db, FILE *f, int json)
{
	struct db_evidence	*e;
	struct db_unread	*u;
	struct buf		 b;
	const char		*cells[CMD_EVIDENCE_NCOLS];
	char			*num[10], **paths, *also;
	size_t			 n, i, np, k;
	int			 term;

	/* CSV to a file keeps the bytes; to a terminal, no controls. */
	term = json ? -1 : isatty(fileno(f));
	if (db_load_evidence(db, &e, &n) != 0)
		return (-1);
	if (!json)
		csv_write_row(f, cmd_evidence_cols, CMD_EVIDENCE_NCOLS);
	for (i = 0; i < n; i++) {
		xasprintf(&num[0], "%lld", (long long)e[i].size);
		xasprintf(&num[1], "%d", e[i].dirty);
		xasprintf(&num[2], "%d", e[i].corrupted);
		xasprintf(&num[3], "%lld", (long long)e[i].records);
		xasprintf(&num[4], "%lld", (long long)e[i].recovered);
		xasprintf(&num[5], "%lld", (long long)e[i].unreadable);
		xasprintf(&num[6], "%lld", (long long)e[i].process_events);
		xasprintf(&num[7], "%lld", (long long)e[i].end_events);
		num[8] = xstrdup(cmd_evidence_incomplete(&e[i]) ? "no" : "yes");
		xasprintf(&num[9], "%lld", (long long)e[i].slack);

		/* Every other path the same content was seen under. */
		memset(&b, 0, sizeof b);
		paths = db_report_paths(db, e[i].id, &np);
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
		cmd_evidence_csv_row(f, cells, term);
		for (k = 0; k < 10; k++)
			free(num[k]);
		free(also);
	}
	db_load_evidence_free(e, n);

	/* Files found and never read: no hash, and never complete. */
	if (db_load_unread(db, &u, &n) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		memset(cells, 0, sizeof cells);
		cells[0] = u[i].path;
		cells[13] = "not read";
		cells[14] = "no";
		cells[15] = u[i].reason;
		cmd_evidence_csv_row(f, cells, term);
	}
	db_load_unread_free(u, n);
	return (ferror(f) ? -1 : 0);
}

/* Write the CSV to path, whole or not at all. */
int
cmd_evidence_csv_file(struct db *db, const char *path, char **cause)
{
	FILE	*f;
	char	*tmp;
	int	 fd;
	mode_t	 mask;

	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "cannot create '%s': %s", tmp,
		    strerror(errno));
		free(tmp);
		return (-1);
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if ((f = fdopen(fd, "w")) == NULL)
		fatal("fdopen");
	if (cmd_evidence_csv(db, f) != 0 || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    errno != 0 ? strerror(errno) : "cannot read the case");
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}

static void
cmd_evidence_text(struct db *db, const struct db_evidence *e, size_t n)
{
	struct db_unread	*u;
	size_t			 i, nu;

	for (i = 0; i < n; i++) {
		escape_print(stdout, e[i].path);
		/* A file inside a container: the chain it was reached by. */
		if (e[i].chain != NULL && strcmp(e[i].chain, e[i].path) != 0) {
			printf("\n    from ");
			escape_print(stdout, e[i].chain);
		}
		printf("\n    sha256 %s, %lld bytes, modified %s\n",
		    e[i].sha256, (long long)e[i].size,
		    e[i].mtime != NULL ? e[i].mtime : "?");
		printf("    format %s%s%s, status %s\n",
		    e[i].format_version != NULL ? e[i].format_version : "?",
		    e[i].dirty ? ", dirty" : "",
		    e[i].corrupted ? ", corrupted" : "", e[i].status);
		printf("    records %lld, recovered %lld, unreadable %lld, "
		    "process events %lld, terminations %lld\n",
		    (long long)e[i].records, (long long)e[i].recovered,
		    (long long)e[i].unreadable,
		    (long long)e[i].process_events,
		    (long long)e[i].end_events);
		if (e[i].slack > 0)
			printf("    slack space: %lld candidates, %lld "
			    "recovered\n", (long long)e[i].slack,
			    (long long)e[i].recovered);
		if (e[i].message != NULL) {
			printf("    ");
			escape_print(stdout, e[i].message);
			fputc('\n', stdout);
		}
	}
	if (db_load_unread(db, &u, &nu) != 0)
		return;
	for (i = 0; i < nu; i++) {
		escape_print(stdout, u[i].path);
		printf("\n    not read: ");
		escape_print(stdout, u[i].reason);
		fputc('\n', stdout);
	}
	db_load_unread_free(u, nu);
}

int
cmd_evidence_exec(int argc, char **argv)
{
	struct db		*db;
	struct db_evidence	*e;
	struct db_unread	*u;
	const char		*path = "evtriage.db";
	char			*cause = NULL;
	size_t			 n, nu, i;
	int			 ch, csv = 0, json = 0, incomplete = 0, rc;

	while ((ch = getopt(argc, argv, "d:f:h")) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'f':
			csv = json = 0;
			if (strcmp(optarg, "csv") == 0)
				csv = 1;
			else if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0) {
				log_warnx("bad format '%s' (use text, csv or "
				    "json)", optarg);
				usage_cmd(cmd_find("evidence"), 0);
			}
			break;
		case 'h':
			usage_cmd(cmd_find("evidence"), 1);
		default:
			usage_cmd(cmd_find("evidence"), 0);
		}
	}
	if (optind != argc)
		usage_cmd(cmd_find("evidence"), 0);
	if (db_open(path, DB_READONLY, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (db_load_evidence(db, &e, &n) != 0) {
		log_warnx("cannot read the evidence of '%s'", path);
		db_close(db);
		return (EXIT_USAGE);
	}
	for (i = 0; i < n; i++) {
		if (cmd_evidence_incomplete(&e[i]))
			incomplete = 1;
	}
	if (db_load_unread(db, &u, &nu) == 0) {
		if (nu > 0)
			incomplete = 1;
		db_load_unread_free(u, nu);
	}
	rc = incomplete ? EXIT_PARTIAL : EXIT_CLEAN;
	if (!csv && !json)
		cmd_evidence_text(db, e, n);
	else if (cmd_evidence_rows(db, stdout, json) != 0) {
		log_warnx("cannot write the evidence of '%s'", path);
		rc = EXIT_USAGE;
	}
	db_load_evidence_free(e, n);
	db_close(db);
	if (fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return (rc);
}
