/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The search command: every process creation of the case whose command
 * line, names, paths or user match a pattern, hit or not (db_search),
 * as text, CSV or JSON lines.  The exit status is grep's, for scripts:
 * 0 something matched, 1 nothing did, 2 an error.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

#define CMD_SEARCH_TEXT		0
#define CMD_SEARCH_CSV		1
#define CMD_SEARCH_JSONL	2

static int	cmd_search_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_search_entry = {
	.name = "search",
	.args = "E:L:c:d:ef:hz:",
	.usage = "[-eh] [-c host] [-d case] [-E earliest] "
	    "[-f text|csv|jsonl] [-L latest] [-z zone] pattern",
	.summary = "find process events by command line, name or user",
	.exec = cmd_search_exec
};

/* The columns of csv and jsonl, in order. */
static const char *cmd_search_fields[] = {
	"row", "_time", "dest", "user", "process_id", "process_name",
	"process_path", "process", "parent_process_id",
	"parent_process_name", "parent_process", "event_id", "evidence_path"
};
#define CMD_SEARCH_NFIELDS \
	(sizeof cmd_search_fields / sizeof cmd_search_fields[0])

/* A match's values in the order of cmd_search_fields; the caller frees. */
static void
cmd_search_values(const struct db_proc *p, const char *tz, char **v)
{
	xasprintf(&v[0], "%lld", (long long)p->id);
	v[1] = p->time != NULL ? casetime_format(p->time, tz,
	    CASETIME_ISO) : NULL;
	v[2] = p->dest != NULL ? xstrdup(p->dest) : NULL;
	v[3] = p->user != NULL ? xstrdup(p->user) : NULL;
	v[4] = NULL;
	if (p->process_id >= 0)
		xasprintf(&v[4], "%lld", (long long)p->process_id);
	v[5] = p->process_name != NULL ? xstrdup(p->process_name) : NULL;
	v[6] = p->process_path != NULL ? xstrdup(p->process_path) : NULL;
	v[7] = p->process != NULL ? xstrdup(p->process) : NULL;
	v[8] = NULL;
	if (p->parent_process_id >= 0)
		xasprintf(&v[8], "%lld", (long long)p->parent_process_id);
	v[9] = p->parent_process_name != NULL ?
	    xstrdup(p->parent_process_name) : NULL;
	v[10] = p->parent_process != NULL ? xstrdup(p->parent_process) :
	    NULL;
	xasprintf(&v[11], "%d", p->event_id);
	v[12] = p->evidence_path != NULL ? xstrdup(p->evidence_path) : NULL;
}

/* One line a match: row, time, host, user, pid, command line. */
static void
cmd_search_text(char **v)
{
	static const int	 cols[] = { 0, 1, 2, 3, 4, 7 };
	size_t			 i;
	const char		*s;

	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (i != 0)
			fputc(' ', stdout);
		s = v[cols[i]];
		/* The command line of a 4688 without one is empty. */
		if (cols[i] == 7 && s == NULL)
			s = v[6] != NULL ? v[6] : v[5];
		escape_print(stdout, s != NULL ? s : "-");
	}
	fputc('\n', stdout);
}

static void
cmd_search_json(char **v)
{
	struct buf	 b = { 0 };
	char		*s;
	size_t		 i;

	buf_append_str(&b, "{");
	for (i = 0; i < CMD_SEARCH_NFIELDS; i++) {
		if (i != 0)
			buf_append_str(&b, ",");
		buf_printf(&b, "\"%s\":", cmd_search_fields[i]);
		if (v[i] == NULL)
			buf_append_str(&b, "null");
		else if (i == 0 || i == 4 || i == 8 || i == 11)
			buf_append_str(&b, v[i]);
		else
			buf_json_unicode(&b, v[i]);
	}
	buf_append_str(&b, "}\n");
	s = buf_take(&b);
	fputs(s, stdout);
	free(s);
}

static int
cmd_search_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db		*db = NULL;
	struct db_search	 s;
	struct db_proc		*p = NULL;
	const char		*path = "evtriage.db", *tz = NULL;
	const char		*earliest = NULL, *latest = NULL;
	char			*cause = NULL, *from = NULL, *to = NULL;
	char			*v[CMD_SEARCH_NFIELDS];
	size_t			 n = 0, i, j;
	int			 ch, format = CMD_SEARCH_TEXT, more;
	int			 rc = EXIT_USAGE;
	void			(*write_row)(FILE *, const char * const *,
				    size_t) = csv_write_row;

	memset(&s, 0, sizeof s);
	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'E':
			earliest = optarg;
			break;
		case 'L':
			latest = optarg;
			break;
		case 'c':
			s.dest = optarg;
			break;
		case 'd':
			path = optarg;
			break;
		case 'e':
			s.regex = 1;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				format = CMD_SEARCH_TEXT;
			else if (strcmp(optarg, "csv") == 0)
				format = CMD_SEARCH_CSV;
			else if (strcmp(optarg, "jsonl") == 0)
				format = CMD_SEARCH_JSONL;
			else {
				log_warnx("bad format '%s' (use text, csv or "
				    "jsonl)", optarg);
				usage_cmd(self, 0);
			}
			break;
		case 'h':
			usage_cmd(self, 1);
		case 'z':
			tz = optarg;
			break;
		default:
			usage_cmd(self, 0);
		}
	}
	if (argc - optind != 1)
		usage_cmd(self, 0);
	s.pattern = argv[optind];
	if (tz != NULL && casetime_zone_check(tz, &cause) != 0)
		goto out;
	if (db_open(path, DB_READONLY, &db, &cause) != 0)
		goto out;
	if (db_run_time(db, earliest, tz, &from, &cause) != 0 ||
	    db_run_time(db, latest, tz, &to, &cause) != 0)
		goto out;
	s.earliest = from;
	s.latest = to;
	if (db_search(db, &s, &p, &n, &more, &cause) != 0)
		goto out;
	/* CSV keeps the bytes, but to a terminal no control from them. */
	if (isatty(STDOUT_FILENO))
		write_row = csv_write_row_term;
	if (format == CMD_SEARCH_CSV)
		write_row(stdout, cmd_search_fields, CMD_SEARCH_NFIELDS);
	for (i = 0; i < n; i++) {
		cmd_search_values(&p[i], tz, v);
		if (format == CMD_SEARCH_CSV)
			write_row(stdout, (const char * const *)v,
			    CMD_SEARCH_NFIELDS);
		else if (format == CMD_SEARCH_JSONL)
			cmd_search_json(v);
		else
			cmd_search_text(v);
		for (j = 0; j < CMD_SEARCH_NFIELDS; j++)
			free(v[j]);
	}
	rc = n > 0 ? 0 : 1;
	if (fflush(stdout) != 0) {
		log_warnx("cannot write the results");
		rc = EXIT_USAGE;
	}

out:
	if (cause != NULL) {
		log_warnx("%s", cause);
		free(cause);
	}
	db_process_free_array(p, n);
	free(from);
	free(to);
	if (db != NULL)
		db_close(db);
	return (rc);
}
