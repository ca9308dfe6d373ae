/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The worker side of the ingest engine: in a process of its own, hash a
 * source (for part 0), read one part of it through its reader, normalise
 * the process events and send everything over a pipe to the loader
 * (ingest-wire.c).  A worker reaches parsers only through the reader
 * interface and never sees the case.
 */

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"

struct ingest_worker_out {
	int			fd;
	struct buf		out;
	struct ingest_counts	n;
	unsigned		beat;
	time_t			sent;
};

static void
ingest_worker_flush(struct ingest_worker_out *c)
{
	ingest_wire_send(c->fd, &c->out);
	c->sent = time(NULL);
}

/*
 * The loader's time limit is on progress: a worker sends what it has
 * and its counts since the last (the loader adds them up) at least
 * every second or so while it reads, so that a part of records it does
 * not load is not taken for a stuck one, and a part cut short still
 * counts the records it read.
 */
static void
ingest_worker_tick(struct ingest_worker_out *c)
{
	if (time(NULL) == c->sent)
		return;
	ingest_wire_put_counts(&c->out, &c->n);
	memset(&c->n, 0, sizeof c->n);
	ingest_worker_flush(c);
}

/* A record or a problem: now and then, see if a second has gone. */
static void
ingest_worker_beat(struct ingest_worker_out *c)
{
	if ((++c->beat & 1023) == 0)
		ingest_worker_tick(c);
}

/*
 * Bytes read count as progress too (source_progress): hashing a large
 * file, or libevtx opening a window, sends no record for a while.
 */
static struct ingest_worker_out	*ingest_worker_current;

static void
ingest_worker_read(void)
{
	if (ingest_worker_current != NULL)
		ingest_worker_tick(ingest_worker_current);
}

/* Send in large writes: flush once a message leaves much to send. */
static void
ingest_worker_sent(struct ingest_worker_out *c)
{
	if (c->out.len > (1 << 16))
		ingest_worker_flush(c);
}

static int
ingest_worker_record(struct evt_record *e, void *arg)
{
	struct ingest_worker_out	*c = arg;
	struct proc_row			 row;

	if (e->recovered)
		c->n.recovered++;
	else
		c->n.records++;
	if (e->fast)
		c->n.fast++;
	ingest_worker_beat(c);
	if (event_norm(e, &row) != 0)
		return (0);
	ingest_wire_put_row(&c->out, &row);
	ingest_worker_sent(c);
	event_norm_clear(&row);
	return (0);
}

static void
ingest_worker_problem(const struct evt_problem *pb, void *arg)
{
	struct ingest_worker_out	*c = arg;

	/* libevtx tries what it finds in slack space: most of it fails. */
	if (pb->recovered)
		c->n.slack_bad++;
	else
		c->n.unreadable++;
	ingest_worker_beat(c);
	ingest_wire_put_problem(&c->out, pb);
	ingest_worker_sent(c);
}

/*
 * Fault injection for the tests: a parser that crashes or hangs on the
 * file whose name ends as EVTRIAGE_TEST_CRASH, EVTRIAGE_TEST_CRASH_EARLY
 * or EVTRIAGE_TEST_HANG says, or (EVTRIAGE_TEST_STOP) stops itself with
 * SIGSTOP once it has hashed the file, for the test to change it, or
 * (EVTRIAGE_TEST_SPIN) reads its first bytes again and again, as a
 * parser caught in a loop over a chunk would.
 */
static int
ingest_worker_fault_on(const char *path, const char *var)
{
	const char	*s;
	size_t		 n, len = strlen(path);

	return ((s = getenv(var)) != NULL && (n = strlen(s)) <= len &&
	    strcmp(path + len - n, s) == 0);
}

static void
ingest_worker_fault(const char *path, int part, int early)
{
	/* EVTRIAGE_TEST_CRASH_EARLY: the first part, before it hashes. */
	if (early) {
		if (part == 0 &&
		    ingest_worker_fault_on(path, "EVTRIAGE_TEST_CRASH_EARLY"))
			abort();
		return;
	}
	if (ingest_worker_fault_on(path, "EVTRIAGE_TEST_CRASH"))
		abort();
	if (part == 0 && ingest_worker_fault_on(path, "EVTRIAGE_TEST_STOP"))
		raise(SIGSTOP);
	if (ingest_worker_fault_on(path, "EVTRIAGE_TEST_HANG")) {
		for (;;)
			pause();
	}
}

static void
ingest_worker_spin(const struct source *src)
{
	struct source_stream	 s;
	unsigned char		 b[4096];
	char			*cause = NULL;

	if (!ingest_worker_fault_on(src->path, "EVTRIAGE_TEST_SPIN") ||
	    source_open(src, &s, &cause) != 0) {
		free(cause);
		return;
	}
	for (;;)
		(void)source_pread(&s, b, sizeof b, 0);
}

/* Send that the source cannot be read, and end. */
static __attribute__((noreturn)) void
ingest_worker_fail(struct ingest_worker_out *c, const char *cause)
{
	ingest_wire_put_error(&c->out, cause);
	ingest_worker_flush(c);
	_exit(0);
}

/* Read part of the source in window w and send it all down fd. */
void
ingest_worker_main(int fd, const struct source *src, int part,
    const struct reader_window *w)
{
	struct ingest_worker_out	 c;
	const struct reader		*rd = src->reader;
	struct evt_file_info		 fi;
	void				*r;
	char				 sha[65], *cause = NULL;
	int64_t				 size = 0;

	memset(&c, 0, sizeof c);
	c.fd = fd;
	c.sent = time(NULL);
	ingest_worker_current = &c;
	source_progress = ingest_worker_read;
	ingest_worker_fault(src->path, part, 1);
	if (part == 0) {
		if (source_sha256(src, sha, &size, &cause) != 0)
			ingest_worker_fail(&c, cause);
		ingest_wire_put_hash(&c.out, sha, size);
		ingest_worker_flush(&c);
	}
	ingest_worker_fault(src->path, part, 0);
	ingest_worker_spin(src);
	memset(&fi, 0, sizeof fi);
	if (rd->open(src, w, &r, &fi, &cause) != 0)
		ingest_worker_fail(&c, cause);
	ingest_wire_put_info(&c.out, &fi);
	/* Send it now: the loader waits for it to number later parts. */
	ingest_worker_flush(&c);
	rd->read(r, ingest_worker_record, ingest_worker_problem, &c);
	rd->close(r);
	ingest_wire_put_counts(&c.out, &c.n);
	ingest_wire_put_done(&c.out);
	ingest_worker_flush(&c);
	_exit(0);
}
