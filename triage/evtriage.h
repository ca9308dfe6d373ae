/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evtriage program: subcommands, options and reports; the ingest
 * engine that drives readers and the case has its own header (ingest.h).
 */

#ifndef EVTRIAGE_H
#define EVTRIAGE_H

#include <stdint.h>
#include <stdio.h>

#include "xmalloc.h"
#include "escape.h"
#include "casetime.h"
#include "csv.h"
#include "db/db.h"
#include "ingest.h"

/* Exit statuses, stable for scripts (see EXIT STATUS in evtriage(1)). */
#define EXIT_CLEAN	0	/* everything read, no hits */
#define EXIT_PARTIAL	1	/* some evidence could not be fully read */
#define EXIT_USAGE	2	/* usage or fatal error */
#define EXIT_HITS	3	/* hits found, all evidence read */
#define EXIT_HITS_PARTIAL 4	/* hits found, some evidence not fully read */
#define EXIT_INTERRUPTED 130	/* SIGINT or SIGTERM: 128 + SIGINT */

/*
 * A command, as tmux has them: its name and its getopt(3) string beside
 * the usage it documents (the man page's SYNOPSIS, byte for byte).  The
 * lines -h prints are cmd_options in evtriage.c.
 */
struct cmd_entry {
	const char	*name;
	const char	*args;		/* getopt(3) string */
	const char	*usage;
	const char	*summary;
	int		(*exec)(const struct cmd_entry *, int, char **);
};

/* evtriage.c */
extern const struct cmd_entry *cmd_table[];
extern char	*evtriage_cmdline;
__attribute__((noreturn)) void usage_cmd(const struct cmd_entry *, int);
int	cmd_min_risk(const struct cmd_entry *, const char *);
const struct cmd_entry *cmd_find(const char *);

/* outfile.c */
int	outfile_write(const char *, int (*)(FILE *, void *, char **), void *,
	    char **);

/* report-hosts.c */
enum report_hosts_format {
	REPORT_HOSTS_CSV,
	REPORT_HOSTS_TSV,
	REPORT_HOSTS_JSON
};
int	report_hosts_text(struct db *, FILE *, size_t);
int	report_hosts_rows(struct db *, FILE *, enum report_hosts_format);
int	report_hosts_file(struct db *, enum report_hosts_format, const char *,
	    char **);

/* report.c */
enum report_format {
	REPORT_HTML,
	REPORT_CSV,
	REPORT_JSONL,
	REPORT_TIMESKETCH
};
enum report_type {
	REPORT_HITS,
	REPORT_TIMELINE,
	REPORT_HOSTS		/* report-hosts.c: csv and jsonl */
};
#define REPORT_TIME_ISO		CASETIME_ISO
#define REPORT_TIME_HUMAN	CASETIME_HUMAN
#define REPORT_TIME_MICRO	CASETIME_MICRO
struct report {
	struct db	*db;
	FILE		*f;
	const char	*tz;		/* zone name, NULL for UTC */
	char		*now;		/* when made: db_now, EVTRIAGE_NOW */
	int		 tty;		/* f is a terminal: no raw controls */
};
int	report_parse_format(const char *, enum report_format *);
const char *report_ctime_label(const char *, const char *, char *, size_t);
const char *report_detection_zone(const struct db_detection_info *, size_t,
	    const char *);
char	*report_time(const struct report *, const char *, int);
int64_t	report_time_usec(const char *);
const char *report_field_name(const char *, char *, size_t);
void	report_hit_rows(struct report *, const struct db_hit *,
	    struct db_proc **, size_t *);
int	report_write(struct db *, enum report_format, enum report_type,
	    const char *, FILE *, char **);
int	report_write_file(struct db *, enum report_format, enum report_type,
	    const char *, const char *, char **);
int	report_write_all(struct db *, const char *, const char *, char **);

/* report-text.c */
int	report_text_run(struct db *, struct db_run *, FILE *, int, int);

/* report-html.c */
int	report_html_write(struct report *);

/* report-csv.c */
int	report_csv_hits(struct report *);
int	report_csv_timeline(struct report *);

/* report-json.c */
int	report_json_hits(struct report *);
int	report_json_timeline(struct report *);
int	report_json_timesketch(struct report *);

/* report-evidence.c */
int	report_evidence_incomplete(const struct db_evidence *);
int	report_evidence_csv(struct db *, FILE *);
int	report_evidence_json(struct db *, FILE *);
int	report_evidence_csv_file(struct db *, const char *, char **);

/* cmd-evidence.c */
int	cmd_evidence_partial(struct db *, size_t *, size_t *);
int	cmd_evidence_warn(size_t, size_t);

/* cmd-*.c */
extern const struct cmd_entry cmd_scan_entry;
extern const struct cmd_entry cmd_load_entry;
extern const struct cmd_entry cmd_detect_entry;
extern const struct cmd_entry cmd_rules_entry;
extern const struct cmd_entry cmd_filter_entry;
extern const struct cmd_entry cmd_evidence_entry;
extern const struct cmd_entry cmd_hosts_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_merge_entry;
extern const struct cmd_entry cmd_browse_entry;
extern const struct cmd_entry cmd_tree_entry;
extern const struct cmd_entry cmd_search_entry;

#endif
