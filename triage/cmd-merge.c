/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The merge command: combine cases, one per host or per batch, into one,
 * then run the detections they carry again over the whole.
 */

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

static int	cmd_merge_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.args = "d:hq",
	.usage = "[-hq] -d case case ...",
	.summary = "merge cases into one and run their detections again",
	.exec = cmd_merge_exec
};

/* Is a the same file as b? */
static int
cmd_merge_same(const char *a, const char *b)
{
	char	ra[PATH_MAX], rb[PATH_MAX];

	if (realpath(a, ra) == NULL || realpath(b, rb) == NULL)
		return (0);
	return (strcmp(ra, rb) == 0);
}

static int
cmd_merge_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db		*db;
	struct db_merge_stats	 ms;
	struct db_detection	*d;
	struct db_evidence	*e;
	struct db_window	 w;
	const char		*path = NULL;
	struct db_run		 r;
	char			*cause = NULL;
	size_t			 nd, ne, i, hits, nfailed;
	int			 ch, quiet = 0, partial = 0;

	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'q':
			quiet = 1;
			break;
		default:
			usage_cmd(self, 0);
		}
	}
	argc -= optind;
	argv += optind;
	if (path == NULL || argc == 0)
		usage_cmd(self, 0);
	if (db_open(path, DB_CREATE, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	db_set_info(db, "command", evtriage_cmdline);
	for (i = 0; i < (size_t)argc; i++) {
		if (cmd_merge_same(argv[i], path)) {
			log_warnx("not merging '%s' into itself", argv[i]);
			continue;
		}
		if (db_merge_case(db, argv[i], &ms, &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			cause = NULL;
			partial = 1;
			continue;
		}
		if (!quiet) {
			log_warnx("merged '%s': %lld new evidence files "
			    "(%lld read better), %lld process events, "
			    "%lld terminations, %lld filters", argv[i],
			    (long long)ms.evidence, (long long)ms.better,
			    (long long)ms.rows, (long long)ms.end_rows,
			    (long long)ms.filters);
		}
	}

	/* Hits depend on the whole case, so they are made again. */
	memset(&w, 0, sizeof w);
	memset(&r, 0, sizeof r);
	db_merge_detections(db, &d, &nd);
	db_run_each(db, &r, d, nd, &w);
	db_detect_free_all(d, nd);
	if (!quiet) {
		log_warnx("%zu detection%s run again: %zu hit%s, %zu filtered",
		    nd, nd == 1 ? "" : "s", r.nhits, r.nhits == 1 ? "" : "s",
		    r.nfiltered);
	}
	nfailed = r.failed;
	hits = r.nhits;
	db_run_finish(&r);
	db_evidence_list(db, &e, &ne);
	for (i = 0; i < ne; i++) {
		if (strcmp(e[i].status, "done") != 0 || e[i].unreadable > 0)
			partial = 1;
	}
	db_evidence_free(e, ne);
	db_close(db);
	if (nfailed > 0)
		return (EXIT_USAGE);
	if (hits > 0)
		return (partial ? EXIT_HITS_PARTIAL : EXIT_HITS);
	return (partial ? EXIT_PARTIAL : EXIT_CLEAN);
}
