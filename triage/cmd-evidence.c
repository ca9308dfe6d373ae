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

static int
cmd_evidence_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db		*db;
	struct db_evidence	*e;
	struct db_unread	*u;
	const char		*path = "evtriage.db";
	char			*cause = NULL;
	size_t			 n, nu, i;
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
	for (i = 0; i < n; i++) {
		if (report_evidence_incomplete(&e[i]))
			incomplete = 1;
	}
	if (db_evidence_unread(db, &u, &nu) == 0) {
		if (nu > 0)
			incomplete = 1;
		db_evidence_unread_free(u, nu);
	}
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
