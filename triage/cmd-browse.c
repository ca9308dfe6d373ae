/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The browse command: open a case in the ncurses browser.  The case is
 * opened for writing so that f can add filters; a case that cannot be
 * written is browsed read-only.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "evtriage.h"
#include "ui/ui.h"

int
cmd_browse_exec(int argc, char **argv)
{
	struct db	*db;
	const char	*path = "evtriage.db";
	char		*cause = NULL;
	int		 ch, flags = 0;

	while ((ch = getopt(argc, argv, "Fd:h")) != -1) {
		switch (ch) {
		case 'F':
			flags |= UI_SHOW_FILTERED;
			break;
		case 'd':
			path = optarg;
			break;
		case 'h':
			usage_cmd(cmd_find("browse"), 1);
		default:
			usage_cmd(cmd_find("browse"), 0);
		}
	}
	if (optind != argc)
		usage_cmd(cmd_find("browse"), 0);
	if (db_open(path, DB_MAYREAD, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	if (db->readonly)
		flags |= UI_READONLY;
	else if (db_query_init(db, &cause) != 0) {
		log_warnx("cannot index '%s': %s", path, cause);
		free(cause);
		cause = NULL;
	}
	db_read_mode(db);
	if (ui_run(db, flags, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		db_close(db);
		return (EXIT_USAGE);
	}
	db_close(db);
	return (EXIT_CLEAN);
}
