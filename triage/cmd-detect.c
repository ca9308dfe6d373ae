/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The detect and rules commands: run the catalogue's detections over a
 * case and print their hits (the run is db/db-run.c's, the text
 * report-text.c's), or list and check the catalogue.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

static int	cmd_detect_exec(const struct cmd_entry *, int, char **);
static int	cmd_rules_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_detect_entry = {
	.name = "detect",
	.args = "d:E:f:hL:m:qr:Svz:",
	.usage =
	    "[-hqSv] [-d case] [-E earliest] [-f text|tsv] [-L latest] "
	    "[-m risk] [-r rules] [-z zone] [detection ...]",
	.summary = "run all or the named detections on a case",
	.exec = cmd_detect_exec
};

const struct cmd_entry cmd_rules_entry = {
	.name = "rules",
	.args = "hr:v",
	.usage = "[-hv] [-r rules]",
	.summary = "list the detection catalogue",
	.exec = cmd_rules_exec
};

static int
cmd_detect_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db_run	 o;
	struct db	*db;
	const char	*path = "evtriage.db";
	char		*cause = NULL;
	size_t		 nfiles, nbad;
	int		 ch, quiet = 0, tsv = 0, partial, rc, min_risk = 0;

	db_run_init(&o);
	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'E':
			o.earliest = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else if (strcmp(optarg, "text") != 0) {
				log_warnx("unknown format '%s' (text or tsv)",
				    optarg);
				usage_cmd(self, 0);
			}
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'L':
			o.latest = optarg;
			break;
		case 'm':
			min_risk = cmd_min_risk(self, optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			db_run_add_dir(&o, optarg);
			break;
		case 'S':
			o.show_filtered = 1;
			break;
		case 'v':
			log_level++;
			break;
		case 'z':
			o.tz = optarg;
			break;
		default:
			usage_cmd(self, 0);
		}
	}
	o.names = argv + optind;
	o.nnames = argc - optind;
	if (db_open(path, 0, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	db_set_min_risk(db, min_risk);
	if (report_text_run(db, &o, stdout, tsv, quiet) != 0 ||
	    o.failed > 0)
		rc = EXIT_USAGE;
	else {
		/* Hits or none, over evidence the case holds in full? */
		partial = cmd_evidence_partial(db, &nfiles, &nbad) != 0 ||
		    cmd_evidence_warn(nfiles, nbad);
		if (o.nhits > 0)
			rc = partial ? EXIT_HITS_PARTIAL : EXIT_HITS;
		else
			rc = partial ? EXIT_PARTIAL : EXIT_CLEAN;
	}
	db_close(db);
	return (rc);
}

static int
cmd_rules_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db_run		 o;
	struct db_detection	*d;
	struct db		*db;
	size_t			 nd, i, broken = 0;
	char			*cause = NULL;
	int			 ch, verbose = 0, k, rc = EXIT_CLEAN;

	db_run_init(&o);
	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'h':
			usage_cmd(self, 1);
		case 'r':
			db_run_add_dir(&o, optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage_cmd(self, 0);
		}
	}
	if (db_detect_load_dirs(o.dirs, o.ndirs, &d, &nd, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	/* Every detection's SQL is prepared against an empty case. */
	if (db_open(":memory:", DB_CREATE, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		rc = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < nd; i++) {
		if (db_detect_check(db, &d[i], &cause) != 0) {
			log_warnx("detection '%s' is broken: %s",
			    d[i].meta[DETECT_NAME], cause);
			free(cause);
			cause = NULL;
			broken++;
		}
		if (!verbose) {
			printf("%-45s %-10s %3d %-4s  %s\n",
			    d[i].meta[DETECT_NAME], d[i].meta[DETECT_MITRE],
			    d[i].risk_score, db_risk_abbrev(d[i].risk_score),
			    d[i].meta[DETECT_TITLE]);
			continue;
		}
		printf("%s\n", d[i].meta[DETECT_NAME]);
		for (k = 1; k < DETECT_NKEYS; k++) {
			if (d[i].meta[k] == NULL || k == DETECT_SPL)
				continue;
			printf("    %-22s %s\n", db_detect_key_name(k),
			    d[i].meta[k]);
		}
		printf("    %-22s %d (%s)\n", "risk_score", d[i].risk_score,
		    db_risk_level(d[i].risk_score));
		printf("    %-22s %s\n\n", "file", d[i].path);
	}
	db_close(db);
	if (broken > 0) {
		log_warnx("%zu of %zu detections are broken", broken, nd);
		rc = EXIT_USAGE;
	}
out:
	db_detect_free_all(d, nd);
	return (rc);
}
