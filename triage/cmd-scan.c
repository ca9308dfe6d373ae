/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The scan and load commands: evidence into the case, then (scan) the
 * detections and their hits.
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"
#include "ui/ui.h"

static const struct option cmd_scan_longopts[] = {
	{ "case", required_argument, NULL, 'd' },
	{ "earliest", required_argument, NULL, 'E' },
	{ "filters", required_argument, NULL, 'F' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "latest", required_argument, NULL, 'L' },
	{ "no-browse", no_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-recovered", no_argument, NULL, 'R' },
	{ "rules", required_argument, NULL, 'r' },
	{ "show-filtered", no_argument, NULL, 'S' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "tz", required_argument, NULL, 'z' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
cmd_scan_summary(const struct ingest_stats *s)
{
	log_warnx("%lld EVTX file%s (%lld read, %lld already in the case, "
	    "%lld failed, %lld damaged), %lld other files skipped; "
	    "%lld records, "
	    "%lld recovered, %lld unreadable; %lld process events added",
	    (long long)s->files, s->files == 1 ? "" : "s",
	    (long long)s->loaded, (long long)s->known, (long long)s->failed,
	    (long long)s->damaged, (long long)s->skipped, (long long)s->records,
	    (long long)s->recovered, (long long)s->unreadable,
	    (long long)(s->rows + s->end_rows));
}

static int
cmd_scan_main(int argc, char **argv, int detect)
{
	struct ingest_opts	 io;
	struct ingest_stats	 st;
	struct detect_opts	 dopt;
	struct db		*db;
	const char		*path = NULL, *outdir = NULL, *filters = NULL;
	const char		*name = detect ? "scan" : "load";
	char			*cause = NULL, *dbpath = NULL, *end;
	size_t			 nh = 0, nf = 0;
	int			 ch, quiet = 0, rc, partial, browse = 1;

	ingest_default_opts(&io);
	cmd_detect_init(&dopt);
	while ((ch = getopt_long(argc, argv, "d:E:F:hj:L:no:qRr:ST:vz:",
	    cmd_scan_longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'E':
			dopt.earliest = optarg;
			break;
		case 'F':
			filters = optarg;
			break;
		case 'h':
			usage_cmd(cmd_find(name), 1);
		case 'j':
			io.jobs = strtol(optarg, &end, 10);
			if (*end != '\0' || io.jobs < 1 || io.jobs > 256) {
				log_warnx("bad -j '%s'", optarg);
				usage_cmd(cmd_find(name), 0);
			}
			break;
		case 'L':
			dopt.latest = optarg;
			break;
		case 'n':
			browse = 0;
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'R':
			io.recovered = 0;
			break;
		case 'r':
			cmd_detect_add_dir(&dopt, optarg);
			break;
		case 'S':
			dopt.show_filtered = 1;
			break;
		case 'T':
			io.timeout = strtol(optarg, &end, 10);
			if (*end != '\0' || io.timeout < 0) {
				log_warnx("bad -T '%s'", optarg);
				usage_cmd(cmd_find(name), 0);
			}
			break;
		case 'v':
			log_level++;
			break;
		case 'z':
			dopt.tz = optarg;
			break;
		default:
			usage_cmd(cmd_find(name), 0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage_cmd(cmd_find(name), 0);
	if (outdir != NULL) {
		if (mkdir(outdir, 0777) == -1 && errno != EEXIST) {
			log_warnx("cannot create '%s': %s", outdir,
			    strerror(errno));
			return (EXIT_USAGE);
		}
		if (path == NULL)
			xasprintf(&dbpath, "%s/evtriage.db", outdir);
	}
	if (dbpath == NULL)
		dbpath = xstrdup(path != NULL ? path : "evtriage.db");
	io.progress = !quiet && log_level == 0 && isatty(STDERR_FILENO);
	dopt.quiet = quiet;

	if (db_open(dbpath, DB_CREATE, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(dbpath);
		return (EXIT_USAGE);
	}
	db_set_info(db, "command", evtriage_cmdline);
	if (filters != NULL && cmd_filter_import(db, filters, &cause) != 0) {
		log_warnx("%s", cause);
		db_close(db);
		free(dbpath);
		return (EXIT_USAGE);
	}
	rc = ingest_run(db, (const char **)argv, argc, &io, &st);
	if (!quiet)
		cmd_scan_summary(&st);
	partial = (rc != 0 || st.failed > 0 || st.unreadable > 0 ||
	    st.damaged > 0);
	if (rc != 0) {
		db_close(db);
		free(dbpath);
		return (EXIT_PARTIAL);
	}
	/* In a terminal, scan ends in the browser; elsewhere it prints. */
	browse = detect && browse && outdir == NULL &&
	    isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (detect && cmd_detect_run(db, &dopt, browse ? NULL : stdout, &nh,
	    &nf) != 0) {
		db_close(db);
		free(dbpath);
		return (EXIT_USAGE);
	}
	if (outdir != NULL && report_write_all(db, outdir, dopt.tz,
	    &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		db_close(db);
		free(dbpath);
		return (EXIT_USAGE);
	}
	if (browse) {
		if (db_query_init(db, &cause) != 0 ||
		    ui_run(db, dopt.show_filtered ? UI_SHOW_FILTERED : 0,
		    &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			cause = NULL;
		}
	}
	db_close(db);
	free(dbpath);
	/* A detection that could not run leaves the verdict unknown. */
	if (dopt.failed > 0)
		return (EXIT_USAGE);
	if (nh > 0)
		return (partial ? EXIT_HITS_PARTIAL : EXIT_HITS);
	return (partial ? EXIT_PARTIAL : EXIT_CLEAN);
}

int
cmd_scan_exec(int argc, char **argv)
{
	return (cmd_scan_main(argc, argv, 1));
}

int
cmd_load_exec(int argc, char **argv)
{
	return (cmd_scan_main(argc, argv, 0));
}
