/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The case database: schema, loading, detections, filters and the
 * queries the browser and reports are built from.  This directory is the
 * only one that includes sqlite3.h; callers see struct db as a handle
 * and the rows as plain C.
 */

#ifndef DB_H
#define DB_H

#include <stdint.h>
#include <stdio.h>

#include "parsers/parsers.h"

/* A case; what it holds is private to db/ (db-int.h). */
struct db;

#define DB_CREATE	0x1	/* create the case if it does not exist */
#define DB_READONLY	0x2
#define DB_MAYREAD	0x4	/* read-only if it cannot be written */

/* db.c */
extern const char db_schema[];
int	db_open(const char *, int, struct db **, char **);
void	db_close(struct db *);
char	*db_uri(const char *, int);
int	db_exec(struct db *, const char *, char **);
int	db_begin(struct db *);
int	db_commit(struct db *);
void	db_set_info(struct db *, const char *, const char *);
char	*db_get_info(struct db *, const char *);
char	*db_now(void);
void	db_read_mode(struct db *);
const char *db_path(struct db *);
int	db_readonly(struct db *);
void	db_set_min_risk(struct db *, int);
int	db_min_risk(struct db *);
int	db_hits_below(struct db *);
const char *db_risk_level(int);
const char *db_risk_abbrev(int);
int	db_risk_parse(const char *, int *);
int	db_indexes(struct db *, char **);
int64_t	db_count(struct db *, const char *);
char	*db_plan(struct db *, const char *);
/* Names and values (NULL where SQL NULL), in order. */
struct db_pairs {
	char		**names;
	char		**values;
	size_t		  n;
};
const char *db_pairs_get(const struct db_pairs *, const char *);
void	db_pairs_clear(struct db_pairs *);

/* db-load.c */
int	db_load_find(struct db *, const char *, int64_t *, char **);
int64_t	db_load_begin(struct db *, const char *, const char *, int64_t,
	    int64_t);
void	db_load_add_path(struct db *, int64_t, const char *);
void	db_load_provenance(struct db *, int64_t, const char *, const char *);
void	db_load_forget_walk(struct db *, const char *);
int	db_load_complete(struct db *, int64_t);
void	db_load_file_info(struct db *, int64_t, const struct evt_file_info *);
int	db_load_row(struct db *, int64_t, const struct proc_row *);
void	db_load_problem(struct db *, int64_t, const char *, const char *,
	    const struct evt_problem *);
void	db_load_finish(struct db *, int64_t, const char *, const char *,
	    int64_t, int64_t, int64_t);
void	db_load_fast(struct db *, int64_t, int64_t);
int	db_load_bulk_begin(struct db *, int64_t);
void	db_load_bulk_end(struct db *, int);

/* db-evidence.c */
struct db_evidence {
	int64_t		 id;
	char		 sha256[65];
	char		*path;
	int64_t		 size;
	char		*mtime;
	char		*format_version;
	int		 dirty, corrupted;
	int64_t		 records, recovered, unreadable;
	int64_t		 slack;		/* candidates in slack space */
	int64_t		 process_events, end_events;
	char		*status;
	char		*message;
	char		*loaded_at;
	char		*provenance;	/* of path: JSON, NULL if not kept */
	char		*chain;		/* the same to read: "a.zip > b.evtx" */
	int64_t		 fast_records;	/* read by the fast reader; -1: NULL */
};
struct db_unread {
	char		*path;
	char		*kind;		/* file, unsupported */
	char		*reason;
};
/* A problem of a file, or (grouped) of all those with its kind and reason. */
struct db_problem {
	char		*kind;		/* record, file, warning */
	char		*reason;
	int64_t		 record_index;	/* (the first) record, -1: the file */
	int		 recovered;	/* grouped: 0 */
	int64_t		 offset;	/* -1 where unknown, or grouped */
	int64_t		 count;		/* 1, or how many in the group */
};
int	db_evidence_list(struct db *, struct db_evidence **, size_t *);
void	db_evidence_free(struct db_evidence *, size_t);
char	**db_evidence_paths(struct db *, int64_t, size_t *);
int	db_evidence_unread(struct db *, struct db_unread **, size_t *);
void	db_evidence_unread_free(struct db_unread *, size_t);
int	db_evidence_problems(struct db *, int64_t, size_t,
	    struct db_problem **, size_t *, int64_t *);
int	db_evidence_problem_groups(struct db *, int64_t, size_t,
	    struct db_problem **, size_t *, int64_t *, int64_t *);
void	db_problem_free_array(struct db_problem *, size_t);

/* db-host.c */
#define DB_HOST_SYSMON		0x1	/* Microsoft-Windows-Sysmon 1, 5 */
#define DB_HOST_SECURITY	0x2	/* Security auditing 4688, 4689 */
#define DB_HOST_FDR		0x4	/* CrowdStrike FDR */
#define DB_HOST_NO_4688		0x1	/* Security log, no 4688 at all */
#define DB_HOST_NO_CMDLINE	0x2	/* 4688 without a command line */
struct db_host {
	char		*dest;		/* System/Computer; NULL: not known */
	int		 sources;	/* DB_HOST_SYSMON ... */
	int		 flags;		/* DB_HOST_NO_4688 ... */
	int64_t		 events;	/* process creations */
	int64_t		 ends;		/* terminations */
	int64_t		 security_events; /* of events, 4688 */
	int64_t		 no_cmdline;	/* of those, without command line */
	char		*first, *last;	/* of events and ends, ISO UTC */
	int64_t		 files;		/* distinct evidence files */
	int64_t		 records;	/* dest NULL only: records read */
	int64_t		 unreadable;	/* their records not read */
	int64_t		 problems;	/* their problem rows */
	int64_t		 incomplete;	/* files not done (failed, ...) */
	int64_t		 first_id;	/* process.id of its first creation */
	int		 unknown;	/* the logs with no process event */
};
int	db_host_list(struct db *, struct db_host **, size_t *);
void	db_host_free(struct db_host *, size_t);
void	db_host_sources(const struct db_host *, char *, size_t);
const char *db_host_flag_text(const struct db_host *);

/* db-process.c */
/* A process creation or end, wherever it is shown. */
struct db_proc {
	int64_t		 id;		/* process.id or process_end.id; 0
					   for a placeholder */
	int		 end;		/* a Sysmon 5 / 4689 row */
	int64_t		 evidence_id;
	int64_t		 record_id;	/* EventRecordID */
	int		 recovered;
	int		 event_id;	/* 1, 4688; 5, 4689 for an end */
	char		*time;		/* _time */
	char		*end_time;	/* from Sysmon 5 / 4689, or NULL */
	char		*dest;
	char		*user;
	char		*process;	/* command line; NULL for an end */
	char		*process_name;
	char		*process_path;
	int64_t		 process_id;	/* -1 if unknown */
	char		*process_guid;
	char		*parent_process;
	char		*parent_process_name;
	char		*parent_process_path;
	int64_t		 parent_process_id;
	char		*parent_process_guid;
	char		*original_file_name;
	char		*evidence_path;
	char		*evidence_sha256;
	char		*evidence_provenance;	/* JSON, or NULL */
	char		*evidence_chain;	/* "a.zip > b.evtx", or NULL */
	char		*reader;	/* what decoded the record, or NULL */
};
int	db_process_get(struct db *, int64_t, struct db_proc *);
int	db_process_evidence(struct db *, int64_t, struct db_proc *);
void	db_process_clear(struct db_proc *);
void	db_process_free_array(struct db_proc *, size_t);
int	db_process_fields(struct db *, int64_t, struct db_pairs *);
void	db_process_span(struct db *, char **, char **);
int	db_process_timeline(struct db *, const char *, const char *,
	    const char *, size_t, struct db_proc **, size_t *, int *);
char	*db_process_host(struct db *, const char *);
char	*db_process_step(struct db *, const char *, const char *, int);
int	db_process_all(struct db *, int (*)(void *, const char **,
	    const char **, const int *, size_t), void *);

/* db-search.c */
/* What db_search looks for; times ISO UTC, NULL: no bound. */
struct db_search {
	const char	*pattern;
	int		 regex;		/* POSIX ERE, ignoring case */
	const char	*earliest;	/* at or after */
	const char	*latest;	/* before */
	const char	*dest;		/* one host, or NULL: all */
	size_t		 limit;		/* 0: no limit */
};
int	db_search(struct db *, const struct db_search *, struct db_proc **,
	    size_t *, int *, char **);

/* db-tree.c */
/* One line of a lineage: a process, or a count of those left out. */
struct db_tree_node {
	struct db_proc	 proc;
	int		 depth;		/* 0: the oldest ancestor */
	size_t		 more;		/* not 0: this many siblings left
					   out by the limits, no process */
};
struct db_tree_lineage {
	struct db_tree_node *nodes;	/* each parent before its children */
	size_t		 n;
	size_t		 focus;		/* the process asked for */
	size_t		 left_out;	/* in all the "more" nodes */
};
int	db_tree_parent(struct db *, const struct db_proc *, struct db_proc *);
int	db_tree_children(struct db *, const struct db_proc *,
	    struct db_proc **, size_t *);
int	db_tree_lineage(struct db *, int64_t, int, int, size_t,
	    struct db_tree_lineage *);
void	db_tree_lineage_clear(struct db_tree_lineage *);

/* db-hit.c */
#define DB_HIT_NEWEST		0
#define DB_HIT_RISKIEST		1
/*
 * A hit.  The browser's list and db_hit_get fill what a line shows
 * (dest, user, process, row); db_detect_hits fills the output and rows.
 */
struct db_hit {
	int64_t		 id;
	char		*detection;
	int		 seq;
	char		*dest;
	char		*user;
	char		*process;		/* output's command line */
	char		**values;		/* one per output field */
	char		**fields;		/* output field names */
	size_t		 nvalues;
	char		*first_time;		/* firstTime, ISO UTC */
	int		 risk_score;
	char		*risk_message;
	char		*mitre;
	int64_t		 filter_id;		/* 0: not filtered */
	char		*filter_reason;
	int64_t		 row;			/* first process.id; 0 none */
	int64_t		*rows;			/* process.id behind it */
	size_t		 nrows;
};
int	db_hit_list(struct db *, int, int, struct db_hit **, size_t *);
void	db_hit_list_free(struct db_hit *, size_t);
int	db_hit_get(struct db *, int64_t, struct db_hit *);
void	db_hit_clear(struct db_hit *);
int	db_hit_rows(struct db *, int64_t, int64_t **, size_t *);
int	db_hit_output(struct db *, int64_t, struct db_pairs *);
int	db_hit_match(struct db *, int64_t, struct db_pairs *);
int	db_hit_filter(struct db *, int64_t, int64_t, const char *,
	    char **);

/* db-detect.c */
enum db_detect_key {
	DETECT_NAME, DETECT_TITLE, DETECT_DESCRIPTION, DETECT_MITRE,
	DETECT_TACTIC, DETECT_KILL_CHAIN, DETECT_NIST, DETECT_CIS,
	DETECT_THREAT_ACTORS, DETECT_DATA_SOURCES, DETECT_FALSE_POSITIVES,
	DETECT_REFERENCES, DETECT_IMPACT, DETECT_CONFIDENCE,
	DETECT_RISK_MESSAGE, DETECT_NOTABLE_FIELDS, DETECT_OUTPUT,
	DETECT_SPL, DETECT_AUTHOR, DETECT_NKEYS
};
struct db_detection {
	char		*path;
	char		*meta[DETECT_NKEYS];	/* NULL where not given */
	char		*sql;
	int		 impact, confidence, risk_score;
	char		**output;		/* output field names */
	size_t		 noutput;
};
struct db_window {
	const char	*earliest;		/* ISO UTC, or NULL */
	const char	*latest;
	const char	*earliest_given;	/* -E, -L as typed, or NULL */
	const char	*latest_given;
	const char	*tz;			/* NULL: UTC */
	int		 show_filtered;
};
/* A detection's last run as the case records it (table detection_run). */
struct db_detect_ran {
	char		*earliest_given;	/* NULL: no bound given */
	char		*latest_given;
	char		*earliest;		/* ISO UTC; NULL: no bound */
	char		*latest;
	char		*tz;			/* tz name or "UTC" */
	char		*status;		/* done, failed */
	char		*error;
	char		*ran_at;
};
const char *db_detect_key_name(enum db_detect_key);
int	db_detect_parse(const char *, struct db_detection *, char **);
void	db_detect_clear(struct db_detection *);
int	db_detect_load_dirs(const char **, size_t, struct db_detection **,
	    size_t *, char **);
void	db_detect_free_all(struct db_detection *, size_t);
size_t	db_detect_lookup(const struct db_detection *, size_t, const char *);
int	db_detect_run(struct db *, const struct db_detection *,
	    const struct db_window *, size_t *, size_t *, char **);
int	db_detect_hits(struct db *, const char *, int, struct db_hit **,
	    size_t *);
void	db_detect_hits_free(struct db_hit *, size_t);
char	*db_detect_ctime(const char *, const char *);
int	db_detect_newest(struct db *, char **);
char	*db_detect_render(const char *, char **, char **, size_t);
int	db_detect_check(struct db *, const struct db_detection *, char **);
void	db_detect_failed(struct db *, const struct db_detection *,
	    const struct db_window *, const char *);
int	db_detect_ran_get(struct db *, const char *, struct db_detect_ran *);
void	db_detect_ran_clear(struct db_detect_ran *);
int	db_detect_output_fields(struct db *, const char *, char ***,
	    size_t *);

/* db-filter.c */
struct db_filter_cond {
	char		*field;
	char		*pattern;
};
struct db_filter {
	int64_t		 id;
	char		*detection;
	char		*reason;
	char		*added_by;
	char		*added_at;
	char		*expires;
	struct db_filter_cond *conds;
	size_t		 nconds;
};
int	db_filter_add(struct db *, const struct db_filter *, int64_t *,
	    char **);
int	db_filter_rm(struct db *, int64_t, char **);
int	db_filter_list(struct db *, const char *, struct db_filter **,
	    size_t *);
void	db_filter_free(struct db_filter *, size_t);
int	db_filter_wildcard(const char *, const char *);
char	*db_filter_user(void);
int64_t	db_filter_match(const struct db_filter *, size_t, const char *,
	    char **, char **, size_t, const char *);
int	db_filter_all(const struct db_filter *);
int	db_filter_apply(struct db *, const char *, size_t *, char **);
int64_t	db_filter_count(struct db *, int64_t);
int	db_filter_zone(struct db_filter *, const char *, char **);
int	db_filter_check(struct db *, const struct db_filter *, int, char **);
int	db_filter_import(struct db *, const char *, char **);
void	db_filter_export(struct db *, FILE *);

/* db-merge.c */
struct db_merge_stats {
	int64_t		 evidence;		/* files new to the case */
	int64_t		 better;		/* files the source read better */
	int64_t		 rows;			/* process rows added */
	int64_t		 end_rows;
	int64_t		 filters;
};
int	db_merge_case(struct db *, const char *, struct db_merge_stats *,
	    char **);
int	db_merge_detections(struct db *, struct db_detection **, size_t *);

/* db-detection.c */
/* A detection as the case records it: its metadata, counts, last run. */
struct db_detection_info {
	char		*name;
	char		*title;
	char		*mitre;
	char		*tactic;
	char		*description;
	char		*false_positives;
	char		*references;
	int		 risk_score;		/* impact * confidence / 100 */
	char		*ran_at;
	int64_t		 hits, filtered;
	char		*ctime_zone;		/* zone of firstTime, lastTime */
	struct db_detect_ran run;		/* window, zone, status */
};
int	db_detection_get(struct db *, const char *, struct db_pairs *);
int	db_detection_list(struct db *, struct db_detection_info **,
	    size_t *);
void	db_detection_list_free(struct db_detection_info *, size_t);

/* db-run.c */
struct db_run {
	const char	**dirs;		/* detection folders */
	size_t		  ndirs;
	char		**names;	/* detections to run; all if none */
	int		  nnames;
	const char	 *earliest, *latest;	/* -E, -L as the user gave them */
	const char	 *tz;		/* -z, NULL for UTC */
	int		  show_filtered;
	void		(*ran)(struct db *, const struct db_detection *, size_t,
			    size_t, void *);	/* after each that ran */
	void		 *arg;
	char		 *window_earliest;	/* out: case time, "" if none */
	char		 *window_latest;
	size_t		  nhits, nfiltered;	/* out: totals */
	size_t		  nbelow;	/* out: hits under the risk threshold
					   (db_set_min_risk), not in nhits */
	int		  min_risk;	/* out: that threshold */
	size_t		  failed;	/* out: detections whose SQL failed */
	struct buf	  failed_names;	/* out: their names, ", " between */
};
void	db_run_init(struct db_run *);
void	db_run_add_dir(struct db_run *, const char *);
int	db_run_time(struct db *, const char *, const char *, char **, char **);
int	db_run_find(const char *, struct db_detection *, char **);
void	db_run_each(struct db *, struct db_run *, const struct db_detection *,
	    size_t, const struct db_window *);
int	db_run_catalogue(struct db *, struct db_run *, char **);
void	db_run_finish(struct db_run *);

#endif
