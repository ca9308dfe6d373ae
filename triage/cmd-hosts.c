/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The hosts command: the hosts of a case and the scope of what was read
 * of each (db-host.c), as a table, TSV, CSV or JSON Lines
 * (report-hosts.c, also written by scan -o as hosts.csv, hosts.jsonl).
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

static int	cmd_hosts_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_hosts_entry = {
	.name = "hosts",
	.args = "d:f:h",
	.usage = "[-h] [-d case] [-f text|tsv|csv|json]",
	.summary = "list the hosts of a case and what was read of each",
	.exec = cmd_hosts_exec
};

static int
cmd_hosts_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db	*db;
	const char	*path = "evtriage.db";
	char		*cause = NULL;
	int		 ch, fmt = -1, rc;

	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "csv") == 0)
				fmt = REPORT_HOSTS_CSV;
			else if (strcmp(optarg, "tsv") == 0)
				fmt = REPORT_HOSTS_TSV;
			else if (strcmp(optarg, "json") == 0)
				fmt = REPORT_HOSTS_JSON;
			else if (strcmp(optarg, "text") == 0)
				fmt = -1;
			else {
				log_warnx("bad format '%s' (use text, tsv, csv "
				    "or json)", optarg);
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
	if (fmt == -1)
		rc = report_hosts_text(db, stdout, 0) < 0 ? -1 : 0;
	else
		rc = report_hosts_rows(db, stdout, fmt);
	db_close(db);
	if (rc != 0 || fflush(stdout) != 0) {
		log_warnx("cannot write the hosts of '%s'", path);
		return (EXIT_USAGE);
	}
	return (EXIT_CLEAN);
}
