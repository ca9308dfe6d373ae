/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The report command: render a report from an existing case, to a file
 * or to stdout, for batch runs and pipelines.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

static int	cmd_report_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.args = "d:f:hm:o:t:z:",
	.usage = "[-h] [-d case] [-f format] [-m risk] [-o file] [-t type] "
	    "[-z zone]",
	.summary = "write a report of a case: html, csv, jsonl or timesketch",
	.exec = cmd_report_exec
};

static int
cmd_report_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db		*db;
	enum report_format	 fmt = REPORT_HTML;
	enum report_type	 type = REPORT_HITS;
	const char		*path = "evtriage.db", *out = NULL, *tz = NULL;
	char			*cause = NULL;
	int			 ch, rc = EXIT_CLEAN, min_risk = 0;

	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'f':
			if (report_parse_format(optarg, &fmt) != 0) {
				log_warnx("bad format '%s' (use html, csv, "
				    "jsonl or timesketch)", optarg);
				usage_cmd(self, 0);
			}
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'm':
			min_risk = cmd_min_risk(self, optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 't':
			if (strcmp(optarg, "hits") == 0)
				type = REPORT_HITS;
			else if (strcmp(optarg, "timeline") == 0)
				type = REPORT_TIMELINE;
			else if (strcmp(optarg, "hosts") == 0)
				type = REPORT_HOSTS;
			else {
				log_warnx("bad type '%s' (use hits, timeline "
				    "or hosts)", optarg);
				usage_cmd(self, 0);
			}
			break;
		case 'z':
			tz = optarg;
			break;
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
	db_read_mode(db);
	db_set_min_risk(db, min_risk);
	if (report_write_file(db, fmt, type, tz, out, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		rc = EXIT_USAGE;
	}
	db_close(db);
	return (rc);
}
