/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The evtriage program: subcommands, options, and the ingest engine that
 * drives parsers and the case database.
 */

#ifndef EVTRIAGE_H
#define EVTRIAGE_H

#include <stdint.h>
#include <stdio.h>

#include "xmalloc.h"
#include "db/db.h"

/* Exit statuses, stable for scripts (see EXIT STATUS in evtriage(1)). */
#define EXIT_CLEAN	0	/* everything read, no hits */
#define EXIT_PARTIAL	1	/* some evidence could not be fully read */
#define EXIT_USAGE	2	/* usage or fatal error */
#define EXIT_HITS	3	/* hits found, all evidence read */
#define EXIT_HITS_PARTIAL 4	/* hits found, some evidence not fully read */

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		(*exec)(int, char **);
};

/* evtriage.c */
extern const struct cmd_entry cmd_table[];
extern char	*evtriage_cmdline;
__attribute__((noreturn)) void usage_cmd(const struct cmd_entry *, int);
const struct cmd_entry *cmd_find(const char *);

/* ingest.c */
struct ingest_opts {
	int		 jobs;		/* worker processes */
	int		 recovered;	/* read recovered records */
	int		 timeout;	/* seconds a file part may take */
	int		 progress;	/* draw progress on stderr */
	int64_t		 split;		/* split files larger than this */
};
struct ingest_stats {
	int64_t		 files;		/* EVTX files found */
	int64_t		 loaded;	/* read now */
	int64_t		 known;		/* already in the case */
	int64_t		 skipped;	/* not EVTX and the like */
	int64_t		 failed;	/* unreadable, crashed, timed out */
	int64_t		 records;
	int64_t		 recovered;
	int64_t		 unreadable;
	int64_t		 rows;		/* process rows added */
	int64_t		 end_rows;
	int64_t		 bytes;
};
void	ingest_default_opts(struct ingest_opts *);
int	ingest_run(struct db *, const char **, int, const struct ingest_opts *,
	    struct ingest_stats *);

/* csv.c */
void	csv_write(FILE *, const char *);
void	csv_write_row(FILE *, const char * const *, size_t);
int	csv_read_row(FILE *, char ***);
void	csv_free_row(char **, int);

/* escape.c */
void	escape_term(struct buf *, const char *);
void	escape_print(FILE *, const char *);

/* cmd-detect.c */
struct detect_opts {
	const char	**dirs;		/* detection folders */
	size_t		  ndirs;
	char		**names;	/* detections to run; all if none */
	int		  nnames;
	const char	 *earliest, *latest;	/* as the user gave them */
	const char	 *tz;
	int		  show_filtered;
	int		  quiet;
};
void	cmd_detect_init(struct detect_opts *);
void	cmd_detect_add_dir(struct detect_opts *, const char *);
int	cmd_detect_run(struct db *, struct detect_opts *, FILE *, size_t *,
	    size_t *);

/* cmd-*.c */
int	cmd_scan_exec(int, char **);
int	cmd_load_exec(int, char **);
int	cmd_detect_exec(int, char **);
int	cmd_rules_exec(int, char **);
int	cmd_filter_exec(int, char **);
int	cmd_evidence_exec(int, char **);
int	cmd_browse_exec(int, char **);
int	cmd_tree_exec(int, char **);
int	cmd_filter_import(struct db *, const char *, char **);

#endif
