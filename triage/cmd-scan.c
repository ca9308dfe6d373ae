/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The scan and load commands: evidence into the case, then (scan) the
 * detections and their hits.
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"
#include "ui/ui.h"

static int	cmd_scan_exec(const struct cmd_entry *, int, char **);
static int	cmd_load_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_scan_entry = {
	.name = "scan",
	.args = "Ad:E:F:Hhj:lL:M:m:no:qRr:ST:vz:",
	.usage = "[-AHhlnqRSv] [-d case] [-E earliest] [-F filters] [-j jobs] "
	    "[-L latest] [-M aid_master] [-m risk] [-o dir] [-r rules] "
	    "[-T seconds] [-z zone] path ...",
	.summary = "load evidence, run the detections and show the hits",
	.exec = cmd_scan_exec
};

const struct cmd_entry cmd_load_entry = {
	.name = "load",
	.args = "Ad:E:F:Hhj:lL:M:no:qRr:ST:vz:",
	.usage = "[-AHhlqRv] [-d case] [-j jobs] [-M aid_master] [-T seconds] "
	    "path ...",
	.summary = "load evidence into a case without running detections",
	.exec = cmd_load_exec
};

/*
 * The one-line summary, even with -q: what was read, what was not, and
 * of the log's own records apart from the candidates libevtx finds in
 * slack space (most of which are not records at all).
 */
/* Hosts the scan's table shows before "and N more hosts". */
#define CMD_SCAN_HOSTS	20

static void
cmd_scan_summary(const struct ingest_stats *s)
{
	char	what[128];

	/* All EVTX, as most runs are: say so; else what the logs are. */
	if (s->xml == 0 && s->fdr == 0)
		snprintf(what, sizeof what, "%lld EVTX file%s",
		    (long long)s->files, s->files == 1 ? "" : "s");
	else
		snprintf(what, sizeof what, "%lld log%s (%lld EVTX, %lld XML "
		    "export%s, %lld FDR export%s)", (long long)s->files,
		    s->files == 1 ? "" : "s",
		    (long long)(s->files - s->xml - s->fdr), (long long)s->xml,
		    s->xml == 1 ? "" : "s", (long long)s->fdr,
		    s->fdr == 1 ? "" : "s");
	log_warnx("%s (%lld read, %lld already in the case "
	    "(%lld not in full), %lld failed, %lld damaged); "
	    "%lld records, %lld unreadable; "
	    "%lld candidates in slack space, %lld recovered; "
	    "%lld process events added; other files: %lld not read yet, "
	    "%lld not EVTX, %lld skipped, %lld unreadable", what,
	    (long long)s->loaded, (long long)s->known,
	    (long long)s->known_partial, (long long)s->failed,
	    (long long)s->damaged, (long long)s->records,
	    (long long)s->unreadable, (long long)s->slack,
	    (long long)s->recovered, (long long)(s->rows + s->end_rows),
	    (long long)s->unsupported, (long long)s->notevtx,
	    (long long)s->skipped, (long long)s->unreadable_parts);
}

/*
 * The evidence operand that the folder dir lies in, or NULL.  dir may
 * not exist yet (-o): then its parent is resolved.
 */
static const char *
cmd_scan_inside(const char *dir, char **argv, int argc)
{
	struct stat	 sb;
	char		 rd[PATH_MAX], ro[PATH_MAX], *copy, *base;
	size_t		 len;
	int		 i;

	if (realpath(dir, rd) == NULL) {
		copy = xstrdup(dir);
		if (realpath(dirname(copy), rd) == NULL) {
			free(copy);
			return (NULL);
		}
		free(copy);
		copy = xstrdup(dir);
		base = basename(copy);
		len = strlen(rd);
		if (snprintf(rd + len, sizeof rd - len, "%s%s",
		    strcmp(rd, "/") == 0 ? "" : "/", base) >= (int)(sizeof rd -
		    len)) {
			free(copy);
			return (NULL);
		}
		free(copy);
	}
	for (i = 0; i < argc; i++) {
		if (stat(argv[i], &sb) != 0 || !S_ISDIR(sb.st_mode) ||
		    realpath(argv[i], ro) == NULL)
			continue;
		len = strlen(ro);
		if (strcmp(ro, "/") == 0 || (strncmp(rd, ro, len) == 0 &&
		    (rd[len] == '\0' || rd[len] == '/')))
			return (argv[i]);
	}
	return (NULL);
}

static int
cmd_scan_main(const struct cmd_entry *self, int argc, char **argv)
{
	struct ingest_opts	 io;
	struct ingest_stats	 st;
	struct db_run		 dopt;
	struct db		*db;
	const char		*path = NULL, *outdir = NULL, *filters = NULL;
	const char		*inside, *aids = NULL;
	char			*cause = NULL, *dbpath = NULL, *end, *csvpath;
	struct stat		 sb;
	int			 ch, quiet = 0, rc, partial, browse = 1, i;
	int			 min_risk = 0;
	int			 detect = (self == &cmd_scan_entry);

	ingest_default_opts(&io);
	db_run_init(&dopt);
	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'A':
			container_image_all(1);
			break;
		case 'd':
			path = optarg;
			break;
		case 'E':
			dopt.earliest = optarg;
			break;
		case 'F':
			filters = optarg;
			break;
		case 'H':
			container_image_hash(1);
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'j':
			io.jobs = strtol(optarg, &end, 10);
			if (*end != '\0' || io.jobs < 1 || io.jobs > 256) {
				log_warnx("bad -j '%s'", optarg);
				usage_cmd(self, 0);
			}
			break;
		case 'l':
			evtx_libevtx_only = 1;
			break;
		case 'L':
			dopt.latest = optarg;
			break;
		case 'M':
			aids = optarg;
			break;
		case 'm':
			min_risk = cmd_min_risk(self, optarg);
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
			db_run_add_dir(&dopt, optarg);
			break;
		case 'S':
			dopt.show_filtered = 1;
			break;
		case 'T':
			io.timeout = strtol(optarg, &end, 10);
			if (*end != '\0' || io.timeout < 0) {
				log_warnx("bad -T '%s'", optarg);
				usage_cmd(self, 0);
			}
			break;
		case 'v':
			log_level++;
			break;
		case 'z':
			dopt.tz = optarg;
			break;
		default:
			usage_cmd(self, 0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage_cmd(self, 0);
	/* Before the case is made: a mistyped path must not make one. */
	for (i = 0; i < argc; i++) {
		if (stat(argv[i], &sb) == -1) {
			log_warnx("cannot read evidence '%s': %s", argv[i],
			    strerror(errno));
			usage_cmd(self, 0);
		}
	}
	/* The workers inherit the table: load it before they are forked. */
	if (aids != NULL && fdr_read_aid_master(aids, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		usage_cmd(self, 0);
	}
	/* Nothing is written inside the evidence unless -d asks for it. */
	if (outdir != NULL &&
	    (inside = cmd_scan_inside(outdir, argv, argc)) != NULL) {
		log_warnx("not writing into '%s': it is inside the evidence "
		    "'%s'; give -o a folder outside it", outdir, inside);
		return (EXIT_USAGE);
	}
	if (outdir == NULL && path == NULL &&
	    (inside = cmd_scan_inside(".", argv, argc)) != NULL) {
		log_warnx("not writing the case 'evtriage.db' inside the "
		    "evidence '%s': name it with -d (outside the evidence, or "
		    "inside it if that is what you want)", inside);
		return (EXIT_USAGE);
	}
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
	io.quiet = quiet;

	if (db_open(dbpath, DB_CREATE, &db, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		free(dbpath);
		return (EXIT_USAGE);
	}
	evidence_walk_skip_case(dbpath);
	db_set_min_risk(db, min_risk);
	db_set_info(db, "command", evtriage_cmdline);
	if (aids != NULL)
		db_set_info(db, "aid_master", aids);
	rc = EXIT_USAGE;
	if (filters != NULL && db_filter_import(db, filters, &cause) != 0)
		goto fail;
	i = ingest_run(db, (const char **)argv, argc, &io, &st);
	cmd_scan_summary(&st);
	/* Then the hosts and the scope of each, as hosts prints them. */
	if (!quiet && detect)
		report_hosts_text(db, stderr, CMD_SCAN_HOSTS);
	/*
	 * Not read in full: the log's own records, whole files, files cut
	 * short or changed, evidence not read yet, or nothing at all.  Not
	 * slack-space candidates libevtx cannot make sense of, nor a
	 * dirty flag.
	 */
	partial = (i != 0 || st.files == 0 || st.failed > 0 ||
	    st.unreadable_parts > 0 ||
	    st.unreadable > 0 || st.damaged > 0 || st.known_partial > 0 ||
	    st.unsupported > 0 || st.notevtx > 0);
	if (i != 0) {
		rc = st.interrupted ? EXIT_INTERRUPTED : EXIT_PARTIAL;
		goto out;
	}
	/* In a terminal, scan ends in the browser; elsewhere it prints. */
	browse = detect && browse && outdir == NULL &&
	    isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (detect && report_text_run(db, &dopt, browse ? NULL : stdout, 0,
	    quiet) != 0)
		goto out;
	if (outdir != NULL) {
		xasprintf(&csvpath, "%s/evidence.csv", outdir);
		i = report_evidence_csv_file(db, csvpath, &cause);
		free(csvpath);
		if (i != 0 || report_write_all(db, outdir, dopt.tz,
		    &cause) != 0)
			goto fail;
	}
	if (browse) {
		if (db_indexes(db, &cause) != 0 ||
		    ui_run(db, dopt.show_filtered ? UI_SHOW_FILTERED : 0,
		    &cause) != 0) {
			log_warnx("%s", cause);
			free(cause);
			cause = NULL;
		}
	}
	/* A detection that could not run leaves the verdict unknown. */
	if (dopt.failed > 0)
		rc = EXIT_USAGE;
	else if (dopt.nhits > 0)
		rc = partial ? EXIT_HITS_PARTIAL : EXIT_HITS;
	else
		rc = partial ? EXIT_PARTIAL : EXIT_CLEAN;
	goto out;

fail:
	log_warnx("%s", cause);
	free(cause);
out:
	db_close(db);
	free(dbpath);
	return (rc);
}

static int
cmd_scan_exec(const struct cmd_entry *self, int argc, char **argv)
{
	return (cmd_scan_main(self, argc, argv));
}

static int
cmd_load_exec(const struct cmd_entry *self, int argc, char **argv)
{
	return (cmd_scan_main(self, argc, argv));
}
