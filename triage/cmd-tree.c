/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The tree command: print the process tree of a hit or of a process row
 * as the browser shows it, escaped, for scripts and golden tests.
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "evtriage.h"
#include "ui/ui.h"

static int	cmd_tree_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_tree_entry = {
	.name = "tree",
	.args = "H:d:hp:",
	.usage = "[-h] [-d case] -H hit | -p row",
	.summary = "print the process tree of a hit or of a process",
	.exec = cmd_tree_exec
};

static int64_t
cmd_tree_id(const char *s)
{
	char		*end;
	long long	 v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0) {
		log_warnx("bad row id '%s'", s);
		usage_cmd(&cmd_tree_entry, 0);
	}
	return (v);
}

static int
cmd_tree_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db	*db;
	const char	*path = "evtriage.db";
	char		*cause = NULL;
	int64_t		 hit = 0, row = 0;
	int		 ch, rc = EXIT_CLEAN;

	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'H':
			hit = cmd_tree_id(optarg);
			break;
		case 'd':
			path = optarg;
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'p':
			row = cmd_tree_id(optarg);
			break;
		default:
			usage_cmd(self, 0);
		}
	}
	if (optind != argc || (hit == 0) == (row == 0))
		usage_cmd(self, 0);
	if (db_open(path, DB_READONLY, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	db_read_mode(db);
	if (ui_tree_view_text(db, hit, row, stdout, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		rc = EXIT_USAGE;
	}
	db_close(db);
	return (rc);
}
