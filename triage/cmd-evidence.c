/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evidence command: the case's chain of custody and coverage, one
 * file a paragraph, and the problems found in each.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

int
cmd_evidence_exec(int argc, char **argv)
{
	struct db		*db;
	struct db_evidence	*e;
	struct db_unread	*u;
	const char		*path = "evtriage.db";
	char			*cause = NULL;
	size_t			 n, i;
	int			 ch, incomplete = 0;

	while ((ch = getopt(argc, argv, "d:h")) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'h':
			usage_cmd(cmd_find("evidence"), 1);
		default:
			usage_cmd(cmd_find("evidence"), 0);
		}
	}
	if (db_open(path, DB_READONLY, &db, &cause) != 0) {
		log_warnx("%s", cause);
		return (EXIT_USAGE);
	}
	db_load_evidence(db, &e, &n);
	for (i = 0; i < n; i++) {
		escape_print(stdout, e[i].path);
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
		/* As scan judges it: see db_load_complete. */
		if (strcmp(e[i].status, "done") != 0 || e[i].unreadable > 0 ||
		    e[i].corrupted || e[i].records + e[i].recovered == 0)
			incomplete = 1;
	}
	db_load_evidence_free(e, n);
	db_load_unread(db, &u, &n);
	for (i = 0; i < n; i++) {
		escape_print(stdout, u[i].path);
		printf("\n    not read: ");
		escape_print(stdout, u[i].reason);
		fputc('\n', stdout);
		incomplete = 1;
	}
	db_load_unread_free(u, n);
	db_close(db);
	return (incomplete ? EXIT_PARTIAL : EXIT_CLEAN);
}
