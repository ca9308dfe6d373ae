/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The case database: schema, loading, detections, filters and the
 * queries the browser and reports are built from.  This directory is the
 * only one that includes sqlite3.h; callers see struct db and plain C.
 */

#ifndef DB_H
#define DB_H

#include <stdint.h>
#include <stdio.h>

#include "parsers/parsers.h"

struct sqlite3;
struct sqlite3_stmt;

struct db {
	struct sqlite3		*h;
	char			*path;
	struct sqlite3_stmt	*ins_process;
	struct sqlite3_stmt	*ins_end;
	struct sqlite3_stmt	*ins_problem;
	int			 in_txn;
	int			 readonly;	/* opened read-only */
};

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

/* db-load.c */
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
};
/*
 * The provenance of evidence id under path, and that chain as text: the
 * paths of its links (file, archive entry, fs) joined by " > ".
 */
#define DB_LOAD_CHAIN(id, path)						\
	"(SELECT ep.provenance FROM evidence_path ep WHERE "		\
	"ep.evidence_id = " id " AND ep.path = " path "), "		\
	"(SELECT group_concat(json_extract(j.value, '$.path'), ' > ') "	\
	"FROM evidence_path ep, json_each(CASE WHEN "			\
	"json_valid(ep.provenance) THEN ep.provenance END) j WHERE "	\
	"ep.evidence_id = " id " AND ep.path = " path " AND "		\
	"json_extract(j.value, '$.path') IS NOT NULL)"
int	db_load_find(struct db *, const char *, int64_t *, char **);
int64_t	db_load_begin(struct db *, const char *, const char *, int64_t,
	    int64_t);
void	db_load_add_path(struct db *, int64_t, const char *);
void	db_load_provenance(struct db *, int64_t, const char *, const char *);
int	db_load_complete(struct db *, int64_t);
void	db_load_file_info(struct db *, int64_t, const struct evt_file_info *);
int	db_load_row(struct db *, int64_t, const struct proc_row *);
void	db_load_problem(struct db *, int64_t, const char *, const char *,
	    const struct evt_problem *);
void	db_load_finish(struct db *, int64_t, const char *, const char *,
	    int64_t, int64_t, int64_t);
int	db_load_evidence(struct db *, struct db_evidence **, size_t *);
void	db_load_evidence_free(struct db_evidence *, size_t);
struct db_unread {
	char		*path;
	char		*kind;		/* file, unsupported */
	char		*reason;
};
int	db_load_unread(struct db *, struct db_unread **, size_t *);
void	db_load_unread_free(struct db_unread *, size_t);
int	db_load_bulk_begin(struct db *, int64_t);
void	db_load_bulk_end(struct db *, int);

/* db-tree.c */
struct db_proc {
	int64_t		 id;		/* process.id; 0 for a placeholder */
	int64_t		 evidence_id;
	int64_t		 record_id;	/* EventRecordID */
	int		 recovered;
	int		 event_id;	/* 1 or 4688 */
	char		*time;		/* _time */
	char		*end_time;	/* from Sysmon 5 / 4689, or NULL */
	char		*dest;
	char		*user;
	char		*process;	/* command line */
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
};
int	db_tree_get(struct db *, int64_t, struct db_proc *);
int	db_tree_parent(struct db *, const struct db_proc *, struct db_proc *);
int	db_tree_children(struct db *, const struct db_proc *,
	    struct db_proc **, size_t *);
void	db_tree_clear(struct db_proc *);
void	db_tree_free_array(struct db_proc *, size_t);
int	db_tree_fields(struct db *, int64_t, char ***, char ***, size_t *);

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
struct db_hit {
	int64_t		 id;
	char		*detection;
	int		 seq;
	char		**values;		/* one per output field */
	char		**fields;		/* output field names */
	size_t		 nvalues;
	char		*first_time;		/* ISO UTC */
	int		 risk_score;
	char		*risk_message;
	char		*mitre;
	int64_t		 filter_id;		/* 0: not filtered */
	char		*filter_reason;
	int64_t		*rows;			/* process.id behind it */
	size_t		 nrows;
};
const char *db_detect_key_name(enum db_detect_key);
int	db_detect_parse(const char *, struct db_detection *, char **);
void	db_detect_clear(struct db_detection *);
int	db_detect_load_dirs(const char **, size_t, struct db_detection **,
	    size_t *, char **);
void	db_detect_free_all(struct db_detection *, size_t);
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

/* db-report.c */
struct db_report_problem {
	char		*kind;			/* record, file, warning */
	char		*reason;
	int64_t		 count;
	int64_t		 first;			/* first record index, or -1 */
};
struct db_report_detection {
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
int	db_report_timeline(struct db *, int (*)(void *, const char **,
	    const char **, const int *, size_t), void *);
int	db_report_problems(struct db *, int64_t, size_t,
	    struct db_report_problem **, size_t *, int64_t *, int64_t *);
void	db_report_problems_free(struct db_report_problem *, size_t);
char	**db_report_paths(struct db *, int64_t, size_t *);
int	db_report_detections(struct db *, struct db_report_detection **,
	    size_t *);
void	db_report_detections_free(struct db_report_detection *, size_t);
int64_t	db_report_count(struct db *, const char *);
/* db-query.c */
#define DB_QUERY_NEWEST		0
#define DB_QUERY_RISKIEST	1
struct db_query_hit {
	int64_t		 id;
	char		*detection;
	int		 seq;
	char		*dest;
	char		*user;
	char		*time;			/* firstTime, ISO UTC */
	int		 risk_score;
	char		*risk_message;
	char		*mitre;
	char		*process;		/* output's command line */
	int64_t		 filter_id;		/* 0: not filtered */
	char		*filter_reason;
	int64_t		 row;			/* first process.id; 0 none */
};
struct db_query_pairs {
	char		**names;
	char		**values;		/* NULL where SQL NULL */
	size_t		  n;
};
struct db_query_event {
	int64_t		 id;			/* process.id or process_end.id */
	int		 end;			/* 1 for Sysmon 5 / 4689 */
	char		*time;
	int64_t		 process_id;		/* -1 if unknown */
	char		*process_name;
	char		*process_path;
	char		*process;		/* NULL for an end */
	char		*user;
	int		 event_id;
};
struct db_query_problem {
	char		*kind;
	int64_t		 record_index;		/* -1 for the file */
	int		 recovered;
	int64_t		 offset;		/* -1 where unknown */
	char		*reason;
};
int	db_query_init(struct db *, char **);
void	db_query_span(struct db *, char **, char **);
int	db_query_hits(struct db *, int, int, struct db_query_hit **,
	    size_t *);
void	db_query_hits_free(struct db_query_hit *, size_t);
void	db_query_hit_clear(struct db_query_hit *);
int	db_query_hit(struct db *, int64_t, struct db_query_hit *);
int	db_query_hit_rows(struct db *, int64_t, int64_t **, size_t *);
int	db_query_hit_output(struct db *, int64_t, struct db_query_pairs *);
int	db_query_hit_match(struct db *, int64_t, struct db_query_pairs *);
int	db_query_detection(struct db *, const char *,
	    struct db_query_pairs *);
const char *db_query_pairs_get(const struct db_query_pairs *, const char *);
void	db_query_pairs_clear(struct db_query_pairs *);
int	db_query_hit_filter(struct db *, int64_t, int64_t, const char *,
	    char **);
int	db_query_timeline(struct db *, const char *, const char *,
	    const char *, size_t, struct db_query_event **, size_t *, int *);
void	db_query_timeline_free(struct db_query_event *, size_t);
int	db_query_problems(struct db *, int64_t, size_t,
	    struct db_query_problem **, size_t *, int64_t *);
void	db_query_problems_free(struct db_query_problem *, size_t);
char	*db_query_plan(struct db *, const char *);

#endif
