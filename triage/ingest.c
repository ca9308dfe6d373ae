/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The ingest engine: walk the evidence, parse files in worker processes
 * and load what they send into the case.  Each worker reads one part of
 * one file (a large file is split into windows of chunks, so that no
 * worker holds libevtx's list of a whole large file), so a file that
 * crashes or hangs libevtx costs that file alone.  Workers stream framed
 * messages over a pipe; this process is the only writer of the case and
 * loads in large transactions.
 *
 * A message is a 32-bit length (of the type byte and payload), a type
 * byte and the payload:
 *	H  SHA-256 hex and size (part 0 only, before anything else)
 *	I  facts of the part's window: version, flags, counts (every part)
 *	R  a process row		P  an unreadable record
 *	N  counts of this part: records, unreadable records, slack-space
 *	   candidates recovered, candidates that could not be read
 *	E  the file could not be opened: the reason
 *	D  done
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "evtriage.h"

#define INGEST_COMMIT_ROWS	20000

/* What a part of a file found when it opened its window. */
struct ingest_part {
	int			 info;		/* its I message is in */
	int			 ended;		/* its worker is gone */
	int64_t			 records, recovered, declared;
};

struct ingest_file {
	struct source		*src;
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
	int64_t			 hashed;	/* size the hash is of */
	char			 sha[65];
};

struct ingest_worker {
	pid_t			 pid;
	int			 fd;
	struct ingest_file	*file;
	int			 part;
	int			 done;		/* D received */
	time_t			 started;
	unsigned char		*buf;
	size_t			 len, size;
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
};

static volatile sig_atomic_t ingest_interrupted;

void
ingest_default_opts(struct ingest_opts *o)
{
	const char	*s;
	long		 n;

	memset(o, 0, sizeof *o);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = n > 0 ? (int)n : 1;
	o->recovered = 1;
	o->timeout = 600;
	o->window = EVTX_WINDOW_CHUNKS;
	/* Smaller windows, for the tests: every file in many parts. */
	if ((s = getenv("EVTRIAGE_WINDOW_CHUNKS")) != NULL && atoi(s) > 0)
		o->window = atoi(s);
}

/* --- The worker side. ------------------------------------------------ */

struct ingest_child {
	int		fd;
	struct buf	out;
	int64_t		records, recovered, unreadable, slack_bad;
};

static void
ingest_child_flush(struct ingest_child *c)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < c->out.len) {
		n = write(c->fd, c->out.data + off, c->out.len - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			_exit(3);
		}
		off += n;
	}
	c->out.len = 0;
}

/* Frame the payload that follows the length word written at start. */
static void
ingest_child_begin(struct ingest_child *c, char type, size_t *start)
{
	uint32_t	zero = 0;

	*start = c->out.len;
	buf_append(&c->out, &zero, sizeof zero);
	buf_append(&c->out, &type, 1);
}

static void
ingest_child_end(struct ingest_child *c, size_t start)
{
	uint32_t	len;

	len = c->out.len - start - sizeof len;
	memcpy(c->out.data + start, &len, sizeof len);
	if (c->out.len > (1 << 16))
		ingest_child_flush(c);
}

static int
ingest_child_record(struct evt_record *e, void *arg)
{
	struct ingest_child	*c = arg;
	struct proc_row		 row;
	size_t			 start;

	if (e->recovered)
		c->recovered++;
	else
		c->records++;
	if (event_norm(e, &row) != 0)
		return (0);
	ingest_child_begin(c, 'R', &start);
	event_wire_put_row(&c->out, &row);
	ingest_child_end(c, start);
	event_norm_clear(&row);
	return (0);
}

static void
ingest_child_problem(const struct evt_problem *pb, void *arg)
{
	struct ingest_child	*c = arg;
	size_t			 start;

	/* libevtx tries what it finds in slack space: most of it fails. */
	if (pb->recovered)
		c->slack_bad++;
	else
		c->unreadable++;
	ingest_child_begin(c, 'P', &start);
	event_wire_put_problem(&c->out, pb);
	ingest_child_end(c, start);
}

/*
 * Fault injection for the tests: a parser that crashes or hangs on the
 * file whose name ends as EVTRIAGE_TEST_CRASH, EVTRIAGE_TEST_CRASH_EARLY
 * or EVTRIAGE_TEST_HANG says, or (EVTRIAGE_TEST_STOP) stops itself with
 * SIGSTOP once it has hashed the file, for the test to change it.
 */
static int
ingest_child_fault_on(const char *path, const char *var)
{
	const char	*s;
	size_t		 n, len = strlen(path);

	return ((s = getenv(var)) != NULL && (n = strlen(s)) <= len &&
	    strcmp(path + len - n, s) == 0);
}

static void
ingest_child_fault(const char *path, int part, int early)
{
	/* EVTRIAGE_TEST_CRASH_EARLY: the first part, before it hashes. */
	if (early) {
		if (part == 0 &&
		    ingest_child_fault_on(path, "EVTRIAGE_TEST_CRASH_EARLY"))
			abort();
		return;
	}
	if (ingest_child_fault_on(path, "EVTRIAGE_TEST_CRASH"))
		abort();
	if (part == 0 && ingest_child_fault_on(path, "EVTRIAGE_TEST_STOP"))
		raise(SIGSTOP);
	if (ingest_child_fault_on(path, "EVTRIAGE_TEST_HANG")) {
		for (;;)
			pause();
	}
}

static __attribute__((noreturn)) void
ingest_child_main(int fd, const struct source *src, int part,
    const struct reader_window *win)
{
	struct ingest_child	 c;
	const struct reader	*rd = src->reader;
	const char		*path = src->path;
	void			*r;
	struct evt_file_info	 fi;
	char			 sha[65], *cause = NULL;
	int64_t			 size = 0;
	size_t			 start;
	uint64_t		 v[7];

	memset(&c, 0, sizeof c);
	c.fd = fd;
	ingest_child_fault(path, part, 1);
	if (part == 0) {
		if (source_sha256(src, sha, &size, &cause) != 0) {
			ingest_child_begin(&c, 'E', &start);
			buf_append_str(&c.out, cause);
			ingest_child_end(&c, start);
			ingest_child_flush(&c);
			_exit(0);
		}
		ingest_child_begin(&c, 'H', &start);
		buf_append(&c.out, sha, 64);
		v[0] = size;
		buf_append(&c.out, v, sizeof v[0]);
		ingest_child_end(&c, start);
		ingest_child_flush(&c);
	}
	ingest_child_fault(path, part, 0);
	memset(&fi, 0, sizeof fi);
	if (rd->open(src, win, &r, &fi, &cause) != 0) {
		ingest_child_begin(&c, 'E', &start);
		buf_append_str(&c.out, cause);
		ingest_child_end(&c, start);
		ingest_child_flush(&c);
		_exit(0);
	}
	v[0] = fi.major;
	v[1] = fi.minor;
	v[2] = fi.dirty;
	v[3] = fi.corrupted;
	v[4] = fi.records;
	v[5] = fi.recovered;
	v[6] = (uint64_t)fi.declared;
	ingest_child_begin(&c, 'I', &start);
	buf_append(&c.out, v, sizeof v);
	ingest_child_end(&c, start);
	/* Send it now: the loader waits for it to number later parts. */
	ingest_child_flush(&c);
	rd->read(r, ingest_child_record, ingest_child_problem, &c);
	rd->close(r);
	v[0] = c.records;
	v[1] = c.unreadable;
	v[2] = c.recovered;
	v[3] = c.slack_bad;
	ingest_child_begin(&c, 'N', &start);
	buf_append(&c.out, v, 4 * sizeof v[0]);
	ingest_child_end(&c, start);
	ingest_child_begin(&c, 'D', &start);
	ingest_child_end(&c, start);
	ingest_child_flush(&c);
	_exit(0);
}

/* --- The loader side. ------------------------------------------------ */

static void
ingest_interrupt(int sig)
{
	ingest_interrupted = 1;
}

static void
ingest_commit(struct ingest_run *run)
{
	db_commit(run->db);
	run->pending = 0;
}

static int
ingest_begun(struct ingest_run *run, int64_t id)
{
	size_t	i;

	for (i = 0; i < run->nbegun; i++) {
		if (run->begun[i] == id)
			return (1);
	}
	return (0);
}

static void
ingest_spawn(struct ingest_run *run, struct ingest_file *f, int part)
{
	struct ingest_worker	*w;
	struct reader_window	 win;
	int			 fds[2], i;
	pid_t			 pid, parent;

	/* The last part takes all after the windows before it. */
	win.first = part * run->opts->window;
	win.count = part == f->nparts - 1 ? -1 : run->opts->window;
	win.recovered = run->opts->recovered;

	if (pipe(fds) == -1)
		fatal("pipe");
	fflush(stdout);
	fflush(stderr);
	parent = getpid();
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		/*
		 * Die with the loader, even killed by SIGKILL: a worker stuck
		 * in the parser would otherwise live on.  If it died before
		 * prctl, the worker has a new parent already.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent)
			_exit(3);
		close(fds[0]);
		close(run->lock);
		for (i = 0; i < run->nworkers; i++)
			close(run->workers[i].fd);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		ingest_child_main(fds[1], f->src, part, &win);
	}
	close(fds[1]);
	run->workers = xreallocarray(run->workers, run->nworkers + 1,
	    sizeof *run->workers);
	w = &run->workers[run->nworkers++];
	memset(w, 0, sizeof *w);
	w->pid = pid;
	w->fd = fds[0];
	w->file = f;
	w->part = part;
	w->started = time(NULL);
	f->started++;
}

/* Record a problem with a whole file (no record) in the case. */
static void
ingest_file_problem(struct ingest_run *run, int64_t evid, const char *path,
    const char *kind, const char *reason)
{
	struct evt_problem	pb;

	memset(&pb, 0, sizeof pb);
	pb.record_index = -1;
	pb.offset = -1;
	pb.reason = (char *)reason;
	db_begin(run->db);
	db_load_problem(run->db, evid, path, kind, &pb);
}

/* A warning, unless -q: the summary line says it all then. */
static void __attribute__((format(printf, 2, 3)))
ingest_warn(struct ingest_run *run, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (run->opts->quiet)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		fatal("vasprintf");
	va_end(ap);
	log_warnx("%s", msg);
	free(msg);
}

/*
 * Record what the parts found when they opened their windows, and what
 * it says of the file: its version and flags, damage, and the records
 * its chunk headers declare that libevtx did not return.  Each file is
 * named at -v; by default a line at the end counts them.
 */
static void
ingest_finish_info(struct ingest_run *run, struct ingest_file *f)
{
	int64_t	 records = 0, recovered = 0, declared = 0, missing;
	char	*reason;
	int	 j, all = 1;

	if (!f->parts[0].info)
		return;
	for (j = 0; j < f->nparts; j++) {
		if (!f->parts[j].info || f->parts[j].declared < 0) {
			all = 0;
			continue;
		}
		records += f->parts[j].records;
		recovered += f->parts[j].recovered;
		declared += f->parts[j].declared;
	}
	db_begin(run->db);
	db_load_file_info(run->db, f->evid, &f->fi);
	/* Normal in a log copied from a running system. */
	if (f->fi.dirty) {
		run->stats->dirty++;
		log_info("'%s' is marked dirty: not closed cleanly (a copy "
		    "of a live log)", f->src->path);
	}
	if (f->fi.corrupted)
		log_info("'%s' is damaged (libevtx flags it corrupted: a "
		    "bad checksum or header)", f->src->path);
	/* Records the chunks declare that libevtx did not return. */
	missing = declared - (records + recovered);
	if (all && missing > 0) {
		xasprintf(&reason, "%lld records that the chunk "
		    "headers declare were not returned by libevtx",
		    (long long)missing);
		log_info("'%s': %s", f->src->path, reason);
		ingest_file_problem(run, f->evid, f->src->path,
		    "missing", reason);
		free(reason);
		f->unreadable += missing;
	}
}

/*
 * Did the file change since the walk saw it: its size, times, or the
 * size its hash was taken of?  Then what was read is not the file the
 * hash names, whole.
 */
static int
ingest_changed(struct ingest_file *f)
{
	return (f->hashed != f->src->size || source_changed(f->src));
}

static void
ingest_finish_file(struct ingest_run *run, struct ingest_file *f)
{
	struct ingest_stats	*s = run->stats;
	const char		*status = "done";

	run->files_done++;
	run->bytes_done += f->src->size;
	if (f->skip)
		return;
	if (f->evid == 0) {
		/* Never hashed: could not be read at all. */
		s->failed++;
		ingest_warn(run, "cannot read '%s': %s", f->src->path,
		    f->message != NULL ? f->message : "worker failed");
		ingest_file_problem(run, 0, f->src->path, "file",
		    f->message != NULL ? f->message :
		    "worker failed before hashing");
		return;
	}
	ingest_finish_info(run, f);
	if (f->failed)
		status = "failed";
	else if (f->timedout)
		status = "timeout";
	else if (f->crashed)
		status = "crashed";
	else if (ingest_changed(f)) {
		/* Not done: a rerun reads it again. */
		status = "changed";
		free(f->message);
		f->message = xstrdup("the file changed while it was read");
		s->changed++;
	}
	if (strcmp(status, "done") != 0) {
		s->failed++;
		ingest_warn(run, "cannot fully read '%s': %s", f->src->path,
		    f->message != NULL ? f->message : status);
		ingest_file_problem(run, f->evid, f->src->path, "file",
		    f->message != NULL ? f->message : status);
	} else
		s->loaded++;
	/* As db_load_complete judges it, so that a rescan agrees. */
	if (f->records + f->recovered == 0)
		log_info("'%s' has no readable records", f->src->path);
	if (f->fi.corrupted || f->records + f->recovered == 0)
		s->damaged++;
	if (f->unreadable > 0) {
		s->with_unreadable++;
		log_info("'%s': %lld of its records could not be read",
		    f->src->path, (long long)f->unreadable);
	}
	if (f->recovered + f->slack_bad > 0)
		log_info("'%s': %lld candidates in slack space, %lld "
		    "recovered", f->src->path,
		    (long long)(f->recovered + f->slack_bad),
		    (long long)f->recovered);
	s->records += f->records;
	s->unreadable += f->unreadable;
	s->slack += f->recovered + f->slack_bad;
	s->recovered += f->recovered;
	db_begin(run->db);
	db_load_finish(run->db, f->evid, status, f->message, f->records,
	    f->recovered, f->unreadable);
	ingest_commit(run);
}

/*
 * The index in the whole file of a part's first record (or recovered
 * record): the records of the parts before it, once all of them have
 * said; -1 while one has not, -2 if one never will (its worker failed
 * before, and the file is reported as not read in full).
 */
static int64_t
ingest_part_base(struct ingest_file *f, int part, int recovered)
{
	int64_t	base = 0;
	int	j;

	for (j = 0; j < part; j++) {
		if (!f->parts[j].info)
			return (f->parts[j].ended ? -2 : -1);
		base += recovered ? f->parts[j].recovered : f->parts[j].records;
	}
	return (base);
}

/* Handle one complete message from a worker. */
static void
ingest_message(struct ingest_run *run, struct ingest_worker *w, char type,
    const unsigned char *p, size_t len)
{
	struct ingest_file	*f = w->file;
	struct proc_row		 row;
	struct evt_problem	 pb;
	char			*status = NULL;
	uint64_t		 v[7];
	int64_t			 id, base;

	if (f->skip)
		return;
	switch (type) {
	case 'H':
		if (len != 64 + 8)
			goto bad;
		memcpy(f->sha, p, 64);
		f->sha[64] = '\0';
		memcpy(&v[0], p + 64, sizeof v[0]);
		f->hashed = (int64_t)v[0];
		db_begin(run->db);
		if (db_load_find(run->db, f->sha, &id, &status) &&
		    (strcmp(status, "done") == 0 || ingest_begun(run, id))) {
			log_info("'%s' is already in the case", f->src->path);
			db_load_add_path(run->db, id, f->src->path);
			f->skip = 1;
			run->stats->known++;
			/* What the case could not read then, it still lacks. */
			if (!ingest_begun(run, id) &&
			    !db_load_complete(run->db, id)) {
				log_info("'%s' is in the case, but was not "
				    "read in full", f->src->path);
				run->stats->known_partial++;
			}
			free(status);
			return;
		}
		free(status);
		if (!run->bulk_decided) {
			run->bulk_decided = 1;
			run->bulk = db_load_bulk_begin(run->db,
			    run->bytes_total - run->bytes_done);
			if (run->bulk)
				log_info("indexes dropped for the load");
		}
		f->evid = db_load_begin(run->db, f->sha, f->src->path,
		    f->src->size, f->src->mtime);
		run->begun = xreallocarray(run->begun, run->nbegun + 1,
		    sizeof *run->begun);
		run->begun[run->nbegun++] = f->evid;
		ingest_commit(run);
		break;
	case 'I':
		if (len != sizeof v || f->evid == 0 || f->parts[w->part].info)
			goto bad;
		memcpy(v, p, sizeof v);
		if (w->part == 0) {
			f->fi.major = v[0];
			f->fi.minor = v[1];
			f->fi.dirty = v[2];
		}
		f->fi.corrupted |= v[3] != 0;
		f->parts[w->part].records = v[4];
		f->parts[w->part].recovered = v[5];
		f->parts[w->part].declared = (int64_t)v[6];
		f->parts[w->part].info = 1;
		break;
	case 'R':
		if (f->evid == 0 || event_wire_get_row(p, len, &row) != 0)
			goto bad;
		if ((base = ingest_part_base(f, w->part, row.recovered)) < 0) {
			event_norm_clear(&row);
			goto unnumbered;
		}
		row.record_index += base;
		db_begin(run->db);
		if (db_load_row(run->db, f->evid, &row)) {
			if (row.kind == PROC_KIND_START)
				run->stats->rows++;
			else
				run->stats->end_rows++;
		}
		event_norm_clear(&row);
		if (++run->pending >= INGEST_COMMIT_ROWS)
			ingest_commit(run);
		break;
	case 'P':
		if (f->evid == 0 || event_wire_get_problem(p, len, &pb) != 0)
			goto bad;
		if ((base = ingest_part_base(f, w->part, pb.recovered)) < 0) {
			free(pb.reason);
			goto unnumbered;
		}
		pb.record_index += base;
		db_begin(run->db);
		db_load_problem(run->db, f->evid, f->src->path, "record", &pb);
		/* Slack space is mostly not records: those at -vv. */
		if (pb.recovered)
			log_debug("'%s': slack-space candidate %d: %s",
			    f->src->path, pb.record_index, pb.reason);
		else
			log_info("'%s': record %d: %s", f->src->path,
			    pb.record_index, pb.reason);
		free(pb.reason);
		break;
	case 'N':
		if (len != 4 * sizeof v[0])
			goto bad;
		memcpy(v, p, 4 * sizeof v[0]);
		f->records += v[0];
		f->unreadable += v[1];
		f->recovered += v[2];
		f->slack_bad += v[3];
		break;
	case 'E':
		f->failed = 1;
		free(f->message);
		f->message = xstrndup((const char *)p, len);
		break;
	case 'D':
		w->done = 1;
		break;
	default:
		goto bad;
	}
	return;
bad:
	f->crashed = 1;
	if (f->message == NULL)
		f->message = xstrdup("worker sent a malformed message");
	return;
unnumbered:
	/* An earlier part failed before it counted its records. */
	f->crashed = 1;
	if (f->message == NULL)
		f->message = xstrdup("an earlier part of the file failed");
}

/* Read what a worker has sent; 0 at end of stream. */
static int
ingest_read(struct ingest_run *run, struct ingest_worker *w)
{
	ssize_t		n;
	size_t		off = 0;
	uint32_t	len;

	if (w->size - w->len < 65536) {
		w->size = w->size == 0 ? 131072 : w->size * 2;
		w->buf = xreallocarray(w->buf, 1, w->size);
	}
	n = read(w->fd, w->buf + w->len, w->size - w->len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return (1);
	if (n <= 0)
		return (0);
	w->len += n;
	while (w->len - off >= sizeof len) {
		memcpy(&len, w->buf + off, sizeof len);
		if (len == 0 || len > (64U << 20)) {
			w->file->crashed = 1;
			return (0);
		}
		if (w->len - off - sizeof len < len)
			break;
		ingest_message(run, w, w->buf[off + sizeof len],
		    w->buf + off + sizeof len + 1, len - 1);
		off += sizeof len + len;
		if (w->file->skip)
			return (0);
	}
	memmove(w->buf, w->buf + off, w->len - off);
	w->len -= off;
	return (1);
}

static void
ingest_reap(struct ingest_run *run, int i)
{
	struct ingest_worker	*w = &run->workers[i];
	struct ingest_file	*f = w->file;
	int			 status;

	close(w->fd);
	if (f->skip || (!w->done && !f->failed))
		kill(w->pid, SIGKILL);
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!f->skip && !w->done && !f->failed && !f->timedout) {
		f->crashed = 1;
		free(f->message);
		if (WIFSIGNALED(status))
			xasprintf(&f->message, "parser crashed (%s) in part "
			    "%d of %d", strsignal(WTERMSIG(status)),
			    w->part + 1, f->nparts);
		else
			xasprintf(&f->message, "parser stopped (status %d) "
			    "in part %d of %d", WEXITSTATUS(status),
			    w->part + 1, f->nparts);
	}
	free(w->buf);
	f->parts[w->part].ended = 1;
	f->finished++;
	if (f->finished == f->nparts)
		ingest_finish_file(run, f);
	memmove(&run->workers[i], &run->workers[i + 1],
	    (run->nworkers - i - 1) * sizeof *run->workers);
	run->nworkers--;
}

static void
ingest_draw(struct ingest_run *run, int final)
{
	struct ingest_stats	*s = run->stats;
	time_t			 now = time(NULL);
	double			 el, rate, mb, tot;

	if (!run->opts->progress || (!final && now == run->last_draw))
		return;
	run->last_draw = now;
	el = difftime(now, run->start);
	rate = el > 0 ? (s->records + s->recovered) / el : 0;
	mb = run->bytes_done / 1048576.0;
	tot = run->bytes_total / 1048576.0;
	fprintf(stderr, "\r\033[Kfiles %zu/%zu, %.0f/%.0f MB, %lld events, "
	    "%.0f records/s", run->files_done, run->nfiles, mb, tot,
	    (long long)(s->rows + s->end_rows), rate);
	if (el > 0 && mb > 0 && !final)
		fprintf(stderr, ", %.0f s left", el * (tot - mb) / mb);
	if (final)
		fputc('\n', stderr);
}

static void
ingest_walk_report(const char *path, const char *why,
    enum evidence_walk_what what, void *arg)
{
	struct ingest_run	*run = arg;

	switch (what) {
	case EVIDENCE_WALK_SKIPPED:
		log_info("skipped '%s': %s", path, why);
		break;
	case EVIDENCE_WALK_FAILED:
		ingest_warn(run, "cannot read '%s': %s", path, why);
		ingest_file_problem(run, 0, path, "file", why);
		break;
	case EVIDENCE_WALK_UNSUPPORTED:
		ingest_warn(run, "'%s' is %s", path, why);
		ingest_file_problem(run, 0, path, "unsupported", why);
		break;
	case EVIDENCE_WALK_NOT_EVTX:
		ingest_warn(run, "cannot read '%s': named as a log, but %s",
		    path, why);
		ingest_file_problem(run, 0, path, "file", why);
		break;
	}
}

/*
 * One writer at a time: another scan of the same case waits (its files
 * are "loading" until the first is done).  flock(2) on the case file is
 * apart from SQLite's fcntl(2) locks on Linux.  Returns the descriptor
 * holding the lock, or -1 if it cannot be taken (interrupted).
 */
static int
ingest_lock(struct ingest_run *run)
{
	const char	*path = run->db->path;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-2);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return (fd);
	if (errno != EWOULDBLOCK) {
		close(fd);
		return (-2);
	}
	ingest_warn(run, "waiting for another evtriage writing '%s'", path);
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR || ingest_interrupted) {
			close(fd);
			return (-1);
		}
	}
	return (fd);
}

/* Larger files first; the same size in path order. */
static int
ingest_file_cmp(const void *a, const void *b)
{
	const struct ingest_file	*fa = a, *fb = b;

	if (fa->src->size != fb->src->size)
		return (fa->src->size > fb->src->size ? -1 : 1);
	return (strcmp(fa->src->path, fb->src->path));
}

/* Load the evidence under paths into the case. */
int
ingest_run(struct db *db, const char **paths, int npaths,
    const struct ingest_opts *opts, struct ingest_stats *stats)
{
	struct ingest_run	 run;
	struct evidence_list	 list;
	struct pollfd		*pfd = NULL;
	struct ingest_file	*f;
	struct sigaction	 sa, oint, oterm;
	size_t			 next = 0, i;
	int			 part = 0, n, j, jobs;
	time_t			 now;

	memset(&run, 0, sizeof run);
	memset(&list, 0, sizeof list);
	memset(stats, 0, sizeof *stats);
	run.db = db;
	run.opts = opts;
	run.stats = stats;
	run.start = time(NULL);
	jobs = opts->jobs > 0 ? opts->jobs : 1;
	ingest_interrupted = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ingest_interrupt;
	sigaction(SIGINT, &sa, &oint);
	sigaction(SIGTERM, &sa, &oterm);
	signal(SIGPIPE, SIG_IGN);
	if ((run.lock = ingest_lock(&run)) == -1) {
		stats->interrupted = 1;
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGTERM, &oterm, NULL);
		return (-1);
	}

	evidence_walk(paths, npaths, &list, ingest_walk_report, &run);
	db_commit(db);
	stats->files = list.nsources;
	stats->skipped = list.skipped;
	stats->failed = list.failed;
	stats->unsupported = list.unsupported;
	stats->notevtx = list.notevtx;
	if (list.nsources == 0)
		ingest_warn(&run, "no EVTX log found in the evidence: "
		    "nothing was read");
	run.nfiles = list.nsources;
	run.files = xcalloc(list.nsources + 1, sizeof *run.files);
	for (i = 0; i < list.nsources; i++) {
		run.files[i].src = &list.sources[i];
		run.bytes_total += list.sources[i].size;
	}
	stats->bytes = run.bytes_total;
	/*
	 * Largest first, so that the small files fill the gaps at the end
	 * and the workers finish together (with one worker, the order of
	 * the walk: evidence is numbered in path order).  A file of more
	 * than a window of chunks is read in windows, each by a worker of
	 * its own.
	 */
	if (jobs > 1)
		qsort(run.files, run.nfiles, sizeof *run.files,
		    ingest_file_cmp);
	for (i = 0; i < run.nfiles; i++) {
		f = &run.files[i];
		/* As many parts as its reader makes windows of it. */
		f->nparts = f->src->reader->parts(f->src, opts->window);
		f->parts = xcalloc(f->nparts, sizeof *f->parts);
	}

	while (!ingest_interrupted) {
		/* Part 0 of each file goes first: it hashes the file. */
		while (run.nworkers < jobs && next < run.nfiles) {
			f = &run.files[next];
			ingest_spawn(&run, f, part);
			if (++part == f->nparts) {
				part = 0;
				next++;
			}
		}
		if (run.nworkers == 0)
			break;
		pfd = xreallocarray(pfd, run.nworkers, sizeof *pfd);
		for (j = 0; j < run.nworkers; j++) {
			pfd[j].fd = run.workers[j].fd;
			pfd[j].events = POLLIN;
			pfd[j].revents = 0;
			/*
			 * Hold later parts back until the file's hash is in,
			 * and until the parts before have counted theirs.
			 */
			if (run.workers[j].part != 0 &&
			    !run.workers[j].file->skip &&
			    (run.workers[j].file->evid == 0 ||
			    ingest_part_base(run.workers[j].file,
			    run.workers[j].part, 0) == -1))
				pfd[j].fd = -1;
		}
		n = poll(pfd, run.nworkers, 500);
		if (n == -1 && errno != EINTR)
			fatal("poll");
		now = time(NULL);
		for (j = run.nworkers - 1; j >= 0; j--) {
			struct ingest_worker *w = &run.workers[j];

			/* The first part ended without a hash: give up. */
			if (w->part != 0 && w->file->evid == 0 &&
			    !w->file->skip && !w->file->failed &&
			    w->file->parts[0].ended) {
				w->file->failed = 1;
				kill(w->pid, SIGKILL);
				if (w->file->message == NULL)
					w->file->message = xstrdup("the first "
					    "part failed before the file was "
					    "hashed");
			}

			if (w->file->skip || w->file->failed ||
			    (pfd[j].fd != -1 && (pfd[j].revents &
			    (POLLIN | POLLHUP | POLLERR)) &&
			    !ingest_read(&run, w))) {
				ingest_reap(&run, j);
				continue;
			}
			if (opts->timeout > 0 &&
			    now - w->started > opts->timeout) {
				w->file->timedout = 1;
				free(w->file->message);
				xasprintf(&w->file->message, "parser took "
				    "longer than %d s on part %d of %d",
				    opts->timeout, w->part + 1,
				    w->file->nparts);
				ingest_reap(&run, j);
			}
		}
		ingest_draw(&run, 0);
	}
	if (ingest_interrupted) {
		for (j = run.nworkers - 1; j >= 0; j--) {
			kill(run.workers[j].pid, SIGKILL);
			run.workers[j].file->skip = 1;
			ingest_reap(&run, j);
		}
	}
	ingest_commit(&run);
	if (run.bulk) {
		log_info("building the indexes");
		db_load_bulk_end(db, jobs);
	}
	ingest_draw(&run, 1);
	{
		struct rusage	self, kids;

		getrusage(RUSAGE_SELF, &self);
		getrusage(RUSAGE_CHILDREN, &kids);
		log_info("loader CPU %.2f s, parsers CPU %.2f s, wall %.0f s",
		    self.ru_utime.tv_sec + self.ru_stime.tv_sec +
		    (self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6,
		    kids.ru_utime.tv_sec + kids.ru_stime.tv_sec +
		    (kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6,
		    difftime(time(NULL), run.start));
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGTERM, &oterm, NULL);
	if (run.lock >= 0)
		close(run.lock);

	/* The files one by one are at -v; by default, how many. */
	if (log_level == 0 && (stats->damaged > 0 ||
	    stats->with_unreadable > 0))
		ingest_warn(&run, "%lld file%s damaged, %lld with unreadable "
		    "records: see evtriage evidence",
		    (long long)stats->damaged, stats->damaged == 1 ? "" : "s",
		    (long long)stats->with_unreadable);
	if (log_level == 0 && stats->known_partial > 0)
		ingest_warn(&run, "%lld file%s in the case %s not read in "
		    "full: see evtriage evidence",
		    (long long)stats->known_partial,
		    stats->known_partial == 1 ? "" : "s",
		    stats->known_partial == 1 ? "was" : "were");

	for (i = 0; i < run.nfiles; i++) {
		free(run.files[i].message);
		free(run.files[i].parts);
	}
	free(run.files);
	free(run.workers);
	free(run.begun);
	free(pfd);
	evidence_list_free(&list);
	if (ingest_interrupted) {
		stats->interrupted = 1;
		log_warnx("interrupted: run the same command again to "
		    "complete the case");
		return (-1);
	}
	return (0);
}
