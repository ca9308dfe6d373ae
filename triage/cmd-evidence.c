/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evidence command: the case's chain of custody and coverage, one
 * file a paragraph, and the problems found in each; or as CSV, one file
 * a row (report-evidence.c, also written by scan -o as evidence.csv).
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

static int	cmd_evidence_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_evidence_entry = {
	.name = "evidence",
	.args = "d:f:h",
	.usage = "[-h] [-d case] [-f text|csv|json]",
	.summary = "list the evidence files of a case and what was read of them",
	.exec = cmd_evidence_exec
};

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
		/* Which reader read the records: the rest are libevtx's. */
		if (e[i].fast_records >= 0)
			printf("    read by the fast reader %lld, by libevtx "
			    "%lld\n", (long long)e[i].fast_records,
			    (long long)(e[i].records + e[i].recovered -
			    e[i].fast_records));
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
	if (db_evidence_unread(db, &u, &nu) != 0)
		return;
	for (i = 0; i < nu; i++) {
		escape_print(stdout, u[i].path);
		printf("\n    not read: ");
		escape_print(stdout, u[i].reason);
		fputc('\n', stdout);
	}
	db_evidence_unread_free(u, nu);
}

/*
 * Judge the case's evidence as scan judges a run: the files not read in
 * full (and those not read at all) in *bad, all of them in *files.  A
 * case with no evidence read nothing, which is no clean verdict either.
 * 0, or -1 if the case cannot say.
 */
int
cmd_evidence_partial(struct db *db, size_t *files, size_t *bad)
{
	struct db_evidence	*e;
	struct db_unread	*u;
	size_t			 n, nu, i;

	*files = *bad = 0;
	if (db_evidence_list(db, &e, &n) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (report_evidence_incomplete(&e[i]))
			(*bad)++;
	}
	db_evidence_free(e, n);
	*files = n;
	if (db_evidence_unread(db, &u, &nu) == 0) {
		*files += nu;
		*bad += nu;
		db_evidence_unread_free(u, nu);
	}
	return (0);
}

/* Say what cmd_evidence_partial found; 1 if the case is not all read. */
int
cmd_evidence_warn(size_t files, size_t bad)
{
	if (files == 0) {
		log_warnx("the case holds no evidence: nothing was read");
		return (1);
	}
	if (bad > 0) {
		log_warnx("%zu evidence file%s of the case not read in full: "
		    "see evtriage evidence", bad, bad == 1 ? "" : "s");
		return (1);
	}
	return (0);
}

static int
cmd_evidence_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db		*db;
	struct db_evidence	*e;
	const char		*path = "evtriage.db";
	char			*cause = NULL;
	size_t			 n, nfiles, nbad;
	int			 ch, csv = 0, json = 0, incomplete = 0, rc;

	while ((ch = getopt(argc, argv, self->args)) != -1) {
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
				usage_cmd(self, 0);
			}
			break;
		case 'h':
			usage_cmd(self, 1);
		default:
			usage_cmd(self, 0);
		}
	}
	if (optind != argc)
		usage_cmd(self, 0);
	if (db_open(path, DB_READONLY, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (db_evidence_list(db, &e, &n) != 0) {
		log_warnx("cannot read the evidence of '%s'", path);
		db_close(db);
		return (EXIT_USAGE);
	}
	if (cmd_evidence_partial(db, &nfiles, &nbad) == 0)
		incomplete = nfiles == 0 ? cmd_evidence_warn(0, 0) : nbad > 0;
	rc = incomplete ? EXIT_PARTIAL : EXIT_CLEAN;
	if (!csv && !json)
		cmd_evidence_text(db, e, n);
	else if ((json ? report_evidence_json(db, stdout) :
	    report_evidence_csv(db, stdout)) != 0) {
		log_warnx("cannot write the evidence of '%s'", path);
		rc = EXIT_USAGE;
	}
	db_evidence_free(e, n);
	db_close(db);
	if (fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return (rc);
}
