/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * evtriage: find the process-creation events in Windows event logs, load
 * them into a case database and run detections written in SQL.  This
 * file holds main and the table of subcommands.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libevtx.h>
#include <libfwnt.h>
#include <sqlite3.h>
#ifdef HAVE_MIMALLOC
#include <mimalloc.h>
#endif

#include "evtriage.h"

char	*evtriage_cmdline;


/* The commands, in the order usage lists them. */
const struct cmd_entry *cmd_table[] = {
	&cmd_scan_entry,
	&cmd_load_entry,
	&cmd_detect_entry,
	&cmd_rules_entry,
	&cmd_filter_entry,
	&cmd_evidence_entry,
	&cmd_hosts_entry,
	&cmd_report_entry,
	&cmd_merge_entry,
	&cmd_browse_entry,
	&cmd_tree_entry,
	&cmd_search_entry,
	NULL
};

/*
 * 'evtriage command -h': one line an option, in the order of the
 * synopsis, as evtriage(1) describes them at length.
 */
static const struct {
	const char	*cmd;
	const char	*option;
	const char	*help;
} cmd_options[] = {
	{ "scan", "-A", "in images, every EVTX log, not only winevt/Logs" },
	{ "scan", "-H", "hash each disk image's files (SHA-256): slow" },
	{ "scan", "-h", "print this help and exit" },
	{ "scan", "-l", "read EVTX logs with libevtx alone, not the fast reader" },
	{ "scan", "-n", "print the hits instead of opening the browser" },
	{ "scan", "-q", "no progress and no summary" },
	{ "scan", "-R", "do not load recovered records" },
	{ "scan", "-S", "show the hits a filter suppressed too" },
	{ "scan", "-v", "say more; twice, libevtx's backtraces" },
	{ "scan", "-d case", "the case to create or add to (evtriage.db)" },
	{ "scan", "-E earliest", "only events at or after this time" },
	{ "scan", "-F filters", "import false-positive filters from CSV" },
	{ "scan", "-j jobs", "worker processes (the number of processors)" },
	{ "scan", "-L latest", "only events before this time" },
	{ "scan", "-M aid_master", "CrowdStrike agent ids to host names (JSON)" },
	{ "scan", "-m risk", "only hits of this risk or more (score or level)" },
	{ "scan", "-o dir", "write the case and every report into dir" },
	{ "scan", "-r rules", "also load the detections in this folder" },
	{ "scan", "-T seconds", "stop a worker or lister without progress (600; "
	    "0 none)" },
	{ "scan", "-z zone", "show times in this tz database zone" },
	{ "load", "-A", "in images, every EVTX log, not only winevt/Logs" },
	{ "load", "-H", "hash each disk image's files (SHA-256): slow" },
	{ "load", "-h", "print this help and exit" },
	{ "load", "-l", "read EVTX logs with libevtx alone, not the fast reader" },
	{ "load", "-q", "no progress and no summary" },
	{ "load", "-R", "do not load recovered records" },
	{ "load", "-v", "say more; twice, libevtx's backtraces" },
	{ "load", "-d case", "the case to create or add to (evtriage.db)" },
	{ "load", "-j jobs", "worker processes (the number of processors)" },
	{ "load", "-M aid_master", "CrowdStrike agent ids to host names (JSON)" },
	{ "load", "-T seconds", "stop a worker or lister without progress (600; "
	    "0 none)" },
	{ "detect", "-h", "print this help and exit" },
	{ "detect", "-q", "print no summary" },
	{ "detect", "-S", "show the hits a filter suppressed too" },
	{ "detect", "-v", "say more" },
	{ "detect", "-d case", "the case (evtriage.db)" },
	{ "detect", "-E earliest", "only events at or after this time" },
	{ "detect", "-f text|tsv", "print hits as text or one a line" },
	{ "detect", "-L latest", "only events before this time" },
	{ "detect", "-m risk", "only hits of this risk or more (score or level)" },
	{ "detect", "-r rules", "also load the detections in this folder" },
	{ "detect", "-z zone", "show times in this tz database zone" },
	{ "rules", "-h", "print this help and exit" },
	{ "rules", "-v", "all of each detection's metadata" },
	{ "rules", "-r rules", "also load the detections in this folder" },
	{ "filter", "-h", "print this help and exit" },
	{ "filter", "-d case", "the case (evtriage.db)" },
	{ "filter", "add", "[-a] -D detection -R reason [-b by] "
	    "[-x expires] [-z zone] [field=pattern ...]" },
	{ "filter", "list", "[-D detection]" },
	{ "filter", "rm", "id" },
	{ "filter", "import", "file.csv" },
	{ "filter", "export", "[-o file.csv]" },
	{ "evidence", "-h", "print this help and exit" },
	{ "evidence", "-d case", "the case (evtriage.db)" },
	{ "evidence", "-f text|csv|json", "a paragraph a file, CSV a row a "
	    "file, or JSON an object a line" },
	{ "hosts", "-h", "print this help and exit" },
	{ "hosts", "-d case", "the case (evtriage.db)" },
	{ "hosts", "-f text|tsv|csv|json", "a table, TSV or CSV a row a "
	    "host, or JSON an object a line" },
	{ "report", "-h", "print this help and exit" },
	{ "report", "-d case", "the case (evtriage.db)" },
	{ "report", "-f format", "html, csv, jsonl or timesketch (html)" },
	{ "report", "-m risk", "only hits of this risk or more (score or level)" },
	{ "report", "-o file", "write to file (standard output)" },
	{ "report", "-t type", "hits, timeline or hosts (hits)" },
	{ "report", "-z zone", "show times in this tz database zone" },
	{ "merge", "-h", "print this help and exit" },
	{ "merge", "-q", "print no summary" },
	{ "merge", "-d case", "the case to merge into, created if need be" },
	{ "browse", "-F", "show filtered hits from the start" },
	{ "browse", "-h", "print this help and exit" },
	{ "browse", "-d case", "the case (evtriage.db)" },
	{ "browse", "-m risk", "only hits of this risk or more (score or level)" },
	{ "browse", "-z zone", "show times in this tz database zone" },
	{ "tree", "-h", "print this help and exit" },
	{ "tree", "-d case", "the case (evtriage.db)" },
	{ "tree", "-H hit", "the tree of this hit (its id in the case)" },
	{ "tree", "-p row", "the tree of this process row" },
	{ "search", "-e", "the pattern is a regular expression (POSIX ERE)" },
	{ "search", "-h", "print this help and exit" },
	{ "search", "-c host", "only the events of this host (Computer)" },
	{ "search", "-d case", "the case (evtriage.db)" },
	{ "search", "-E earliest", "only events at or after this time" },
	{ "search", "-f text|csv|jsonl", "a line a match, CSV or JSON lines" },
	{ "search", "-L latest", "only events before this time" },
	{ "search", "-z zone", "show times in this tz database zone" },
	{ NULL, NULL, NULL }
};

static __attribute__((noreturn)) void
usage(int to_stdout)
{
	const struct cmd_entry	**c;
	FILE			 *f = to_stdout ? stdout : stderr;

	fprintf(f, "usage: evtriage [-hV] command [arguments]\n\n"
	    "commands:\n");
	for (c = cmd_table; *c != NULL; c++)
		fprintf(f, "    %-9s %s\n", (*c)->name, (*c)->summary);
	fprintf(f, "\n'evtriage command -h' shows a command's options; "
	    "see evtriage(1)\n");
	exit(to_stdout ? 0 : EXIT_USAGE);
}

void
usage_cmd(const struct cmd_entry *c, int to_stdout)
{
	FILE	*f = to_stdout ? stdout : stderr;

	size_t	 i;

	fprintf(f, "usage: evtriage %s %s\n", c->name, c->usage);
	if (!to_stdout)
		exit(EXIT_USAGE);
	printf("\n%s\n\n", c->summary);
	for (i = 0; cmd_options[i].cmd != NULL; i++) {
		if (strcmp(cmd_options[i].cmd, c->name) == 0)
			printf("    %-13s %s\n", cmd_options[i].option,
			    cmd_options[i].help);
	}
	printf("\nSee evtriage(1).\n");
	exit(0);
}

/* -m: a risk score from 0 to 100 or a level's name, or a usage error. */
int
cmd_min_risk(const struct cmd_entry *c, const char *arg)
{
	int	min;

	if (db_risk_parse(arg, &min) != 0) {
		log_warnx("bad risk '%s' (a score from 0 to 100, or "
		    "informational, low, medium, high or critical)", arg);
		usage_cmd(c, 0);
	}
	return (min);
}

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry	**c;

	for (c = cmd_table; *c != NULL; c++) {
		if (strcmp((*c)->name, name) == 0)
			return (*c);
	}
	return (NULL);
}

/* The command line as typed, for the case and its reports. */
static void
evtriage_save_cmdline(int argc, char **argv)
{
	struct buf	b = { 0 };
	int		i;

	for (i = 0; i < argc; i++) {
		if (i > 0)
			buf_append(&b, " ", 1);
		if (argv[i][strcspn(argv[i], " \t'\"\\$`")] != '\0') {
			buf_append(&b, "'", 1);
			buf_append_str(&b, argv[i]);
			buf_append(&b, "'", 1);
		} else
			buf_append_str(&b, argv[i]);
	}
	evtriage_cmdline = buf_take(&b);
}

/* The version, and those of the libraries that decide what is read. */
static void
evtriage_version(void)
{
	printf("%s (libevtx %s, libfwnt %s, SQLite %s", PACKAGE_STRING,
	    libevtx_get_version(), libfwnt_get_version(), sqlite3_libversion());
#ifdef HAVE_MIMALLOC
	/* Also what links mimalloc in: nothing else names it. */
	printf(", mimalloc %d.%d.%d", mi_version() / 100,
	    mi_version() / 10 % 10, mi_version() % 10);
#endif
	printf(")\n");
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	*c;

	evtriage_save_cmdline(argc, argv);
	if (argc < 2)
		usage(0);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		usage(1);
	if (strcmp(argv[1], "-V") == 0) {
		evtriage_version();
		return (0);
	}
	if ((c = cmd_find(argv[1])) == NULL) {
		log_warnx("unknown command '%s'", argv[1]);
		usage(0);
	}
	return (c->exec(c, argc - 1, argv + 1));
}
