/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The browse command: open a case in the ncurses browser.  The case is
 * opened for writing so that f can add filters; a case that cannot be
 * written is browsed read-only.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtriage.h"
#include "ui/ui.h"

static int	cmd_browse_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_browse_entry = {
	.name = "browse",
	.args = "Fd:hm:z:",
	.usage = "[-Fh] [-d case] [-m risk] [-z zone]",
	.summary = "browse the hits, process trees and timelines of a case",
	.exec = cmd_browse_exec
};

static int
cmd_browse_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db	*db;
	const char	*path = "evtriage.db";
	const char	*tz = NULL;
	char		*cause = NULL, *first, *last, *y1, *y2, *old;
	int		 ch, flags = 0, rc = EXIT_CLEAN, min_risk = 0;

	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'F':
			flags |= UI_SHOW_FILTERED;
			break;
		case 'd':
			path = optarg;
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'm':
			min_risk = cmd_min_risk(self, optarg);
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
	if (tz != NULL && (strcmp(tz, "UTC") == 0 || strcmp(tz, "Z") == 0))
		tz = NULL;
	/* The browser only shows times: its zone is the process's. */
	if (casetime_zone_set(tz, &old, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	free(old);
	if (db_open(path, DB_MAYREAD, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (EXIT_USAGE);
	}
	db_set_min_risk(db, min_risk);
	if (db_readonly(db))
		flags |= UI_READONLY;
	else if (db_indexes(db, &cause) != 0) {
		log_warnx("cannot index '%s': %s", path, cause);
		free(cause);
		cause = NULL;
	}
	db_read_mode(db);
	ui_list_set_time(tz != NULL, 0);
	db_process_span(db, &first, &last);
	if (first != NULL && last != NULL) {
		y1 = ui_list_time(first, UI_TIME_DAY);
		y2 = ui_list_time(last, UI_TIME_DAY);
		ui_list_set_time(tz != NULL, strncmp(y1, y2, 4) != 0);
		free(y1);
		free(y2);
	}
	free(first);
	free(last);
	if (ui_run(db, flags, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		rc = EXIT_USAGE;
	}
	db_close(db);
	return (rc);
}
