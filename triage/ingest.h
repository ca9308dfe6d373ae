/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The ingest engine: the run (ingest.c: scheduler, progress, signals),
 * the workers (ingest-worker.c: readers only, never the case), the wire
 * between them (ingest-wire.c) and the loader (ingest-load.c: the case
 * only, never a format library).  This header needs no db.h, so that
 * the worker side cannot reach the case.
 */

#ifndef INGEST_H
#define INGEST_H

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#include "xmalloc.h"
#include "parsers/parsers.h"

struct db;

/* ingest.c */
struct ingest_opts {
	int		 jobs;		/* worker processes */
	int		 recovered;	/* read recovered records */
	int		 timeout;	/* seconds a part may go without progress */
	int		 progress;	/* draw progress on stderr */
	int		 quiet;		/* no warnings: the summary says it */
	int64_t		 window;	/* chunks a worker reads of a file */
};
struct ingest_stats {
	int64_t		 files;		/* logs found: EVTX and exports */
	int64_t		 xml;		/* of those, XML exports */
	int64_t		 fdr;		/* CrowdStrike FDR exports */
	int64_t		 loaded;	/* read now */
	int64_t		 known;		/* already in the case */
	int64_t		 known_partial;	/* of those, not read in full */
	int64_t		 skipped;	/* not evidence, links and the like */
	int64_t		 unsupported;	/* evidence not read yet: a zip */
	int64_t		 notevtx;	/* named .evtx, but not EVTX */
	int64_t		 failed;	/* logs unreadable, crashed, timed out */
	int64_t		 unreadable_parts; /* evidence that could not be read: a
					   file, a damaged archive or image, a
					   partition, a lister that failed */
	int64_t		 changed;	/* of those, changed while read */
	int64_t		 damaged;	/* EVTX read, but flagged corrupted */
	int64_t		 with_unreadable; /* files with unreadable records */
	int64_t		 dirty;		/* not closed: a live copy, normal */
	int64_t		 records;	/* the logs' own records read */
	int64_t		 unreadable;	/* the logs' own records not read */
	int64_t		 slack;		/* candidates found in slack space */
	int64_t		 recovered;	/* of those, read */
	int64_t		 rows;		/* process rows added */
	int64_t		 end_rows;
	int64_t		 bytes;
	int		 interrupted;	/* SIGINT or SIGTERM */
};

/* What a part of a source found when it opened its window. */
struct ingest_part {
	int			 info;		/* its I message is in */
	int			 ended;		/* its worker is gone */
	int64_t			 records, recovered, declared;
};

/* A source of the run, read in nparts parts. */
struct ingest_file {
	struct source		*src;		/* the walk's */
	int			 nparts;
	struct ingest_part	*parts;
	struct evt_file_info	 fi;		/* of all parts */
	int			 started, finished;
	int64_t			 evid;		/* 0 until the hash is in */
	int			 skip;		/* already in the case */
	int			 failed;	/* open failed: message set */
	int			 crashed, timedout;
	char			*message;
	int64_t			 records, recovered, unreadable;
	int64_t			 slack_bad;	/* candidates not read */
	int64_t			 fast;		/* records evtx-fast.c read */
	int64_t			 hashed;	/* size the hash is of */
	char			 sha[65];
	int			 slot;		/* holding its bytes, or -1 */
	int			 listed;	/* a lister's: src is its own */
};

/* What a worker or a lister has sent, read so far (ingest-wire.c). */
struct ingest_inbuf {
	unsigned char		*buf;
	size_t			 len, size;
};

/* A worker process, as the run sees it. */
struct ingest_worker {
	pid_t			 pid;
	int			 fd;
	struct ingest_file	*file;
	int			 part;
	int			 done;		/* D received */
	time_t			 progress;	/* last read from it */
	struct ingest_inbuf	 in;
};

/*
 * The lister of a deferred archive (a tar.gz): a process that reads it
 * once and hands out each log in it as it reaches it, most with their
 * bytes in one of the run's slots (ingest-list.c).  One at a time.
 */
struct ingest_lister {
	pid_t			 pid;
	int			 fd;		/* what it hands out */
	int			 back;		/* the slots it may fill again */
	const struct source	*arc;
	int			 done;		/* D received */
	int			 bad;		/* sent what cannot be taken */
	int			 timedout;
	time_t			 progress;
	int64_t			 logs;		/* handed out so far */
	int64_t			 guess;		/* bytes of logs still to come */
	struct archive_taken	 taken;		/* what its parts left open */
	struct ingest_inbuf	 in;
};

struct ingest_run {
	struct db			*db;
	const struct ingest_opts	*opts;
	struct ingest_stats		*stats;
	struct ingest_file		*files;
	size_t				 nfiles;
	struct ingest_worker		*workers;
	int				 nworkers;
	int64_t				 pending;	/* rows since commit */
	int64_t				*begun;		/* ids begun this run */
	size_t				 nbegun;
	time_t				 start;
	time_t				 last_draw;
	int64_t				 bytes_done;
	int64_t				 bytes_total;
	size_t				 files_done;
	int				 bulk;		/* indexes dropped */
	int				 bulk_decided;
	int				 lock;		/* flock on the case */
	/* The logs listers hand out, in their order, and the next to read. */
	struct ingest_file		**listed;
	size_t				 nlisted, next_listed;
	struct ingest_lister		*lister;	/* or NULL */
	size_t				 listing;	/* archives to list */
	int				*slots;		/* memory files */
	struct ingest_file		**slot_file;	/* whose, or NULL */
	int				 nslots;
};

void	ingest_default_opts(struct ingest_opts *);
pid_t	ingest_fork(struct ingest_run *);
int	ingest_run(struct db *, const char **, int, const struct ingest_opts *,
	    struct ingest_stats *);
void	ingest_warn(struct ingest_run *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* ingest-wire.c */
#define INGEST_WIRE_MAX		(64U << 20)	/* a frame's length, at most */
/* What a part counted when it was read (N). */
struct ingest_counts {
	int64_t		 records;	/* the log's own records read */
	int64_t		 unreadable;	/* the log's own records not read */
	int64_t		 recovered;	/* slack-space candidates read */
	int64_t		 slack_bad;	/* slack-space candidates not read */
	int64_t		 fast;		/* of all read, by evtx-fast.c */
};
void	ingest_wire_put_hash(struct buf *, const char *, int64_t);
void	ingest_wire_put_info(struct buf *, const struct evt_file_info *);
void	ingest_wire_put_row(struct buf *, const struct proc_row *);
void	ingest_wire_put_problem(struct buf *, const struct evt_problem *);
void	ingest_wire_put_counts(struct buf *, const struct ingest_counts *);
void	ingest_wire_put_error(struct buf *, const char *);
void	ingest_wire_put_done(struct buf *);
int	ingest_wire_frame(const unsigned char *, size_t, char *,
	    const unsigned char **, size_t *);
int	ingest_wire_get_hash(const unsigned char *, size_t, char *,
	    int64_t *);
int	ingest_wire_get_info(const unsigned char *, size_t,
	    struct evt_file_info *);
int	ingest_wire_get_row(const unsigned char *, size_t, struct proc_row *);
int	ingest_wire_get_problem(const unsigned char *, size_t,
	    struct evt_problem *);
int	ingest_wire_get_counts(const unsigned char *, size_t,
	    struct ingest_counts *);
char	*ingest_wire_get_error(const unsigned char *, size_t);
int	ingest_wire_get_done(const unsigned char *, size_t);
void	ingest_wire_put_listed(struct buf *, int, const void *, size_t);
int	ingest_wire_get_listed(const unsigned char *, size_t, int *,
	    const unsigned char **, size_t *);
void	ingest_wire_put_beat(struct buf *);
void	ingest_wire_send(int, struct buf *);
int	ingest_wire_read(int, struct ingest_inbuf *, time_t *);
int	ingest_wire_next(struct ingest_inbuf *, size_t *, char *,
	    const unsigned char **, size_t *);

/* ingest-list.c */
void	ingest_list_start(struct ingest_run *, const struct source *);
int	ingest_list_read(struct ingest_run *);
void	ingest_list_end(struct ingest_run *, int);
int	ingest_list_stuck(struct ingest_run *, time_t);
void	ingest_list_free_slot(struct ingest_run *, struct ingest_file *);
void	ingest_list_clear(struct ingest_run *);

/* ingest-worker.c */
__attribute__((noreturn)) void ingest_worker_main(int, const struct source *,
	    int, const struct reader_window *);

/* ingest-load.c */
void	ingest_load_message(struct ingest_run *, struct ingest_worker *, char,
	    const unsigned char *, size_t);
void	ingest_load_commit(struct ingest_run *);
void	ingest_load_finish_file(struct ingest_run *, struct ingest_file *);
int64_t	ingest_load_part_base(struct ingest_file *, int, int);
void	ingest_load_walk_report(const char *, const char *,
	    enum evidence_walk_what, void *);
void	ingest_load_walk_again(struct ingest_run *, const char *);
void	ingest_load_end(struct ingest_run *, int);

#endif
