/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The listers of the ingest engine.  A folder's compressed archive (a
 * tar.gz, a .gz) can only be read from its start, so it is not listed in
 * the walk but here, during the run, by a lister: a process of its own
 * (it parses what the evidence holds) that walks the archive once and
 * hands out each log in it as it reaches it (container_archive_list),
 * most with their bytes in one of the run's slots, memory files its
 * worker maps.  So a tar.gz is decompressed once in all, and its logs
 * are read while the lister goes on.  The slots bound the memory: a
 * lister waits for a free one, and the loader frees one when the worker
 * of its log has ended.  A lister that crashes, hangs or sends what
 * cannot be taken costs the rest of its archive, which is reported as
 * not read; the logs it handed out are read as any other.
 */


#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"

#define INGEST_LIST_SLOTS	65	/* at most, whatever the workers */

/* The lister's side: what it sends down out, and the slots it may fill. */
struct ingest_list_out {
	int		 out;
	int		 back;
	struct buf	 b;
	int		*free;		/* per slot: 1 if it may fill it */
	int		 nslots;
	time_t		 sent;
};

static struct ingest_list_out	*ingest_list_current;

static void
ingest_list_flush(struct ingest_list_out *o)
{
	ingest_wire_send(o->out, &o->b);
	o->sent = time(NULL);
}

/* A free slot, waiting for the loader to free one if need be. */
static int
ingest_list_take(void *arg)
{
	struct ingest_list_out	*o = arg;
	int32_t			 i;
	ssize_t			 n;

	if (o->nslots == 0)
		return (-1);
	for (;;) {
		for (i = 0; i < o->nslots; i++) {
			if (o->free[i]) {
				o->free[i] = 0;
				return (i);
			}
		}
		n = read(o->back, &i, sizeof i);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != sizeof i)
			_exit(3);	/* the loader is gone */
		if (i >= 0 && i < o->nslots)
			o->free[i] = 1;
	}
}

static void
ingest_list_give(int slot, void *arg)
{
	struct ingest_list_out	*o = arg;

	if (slot >= 0 && slot < o->nslots)
		o->free[slot] = 1;
}

/*
 * Bytes read count as progress: a long entry that is not a log is
 * skipped by decompressing it, and a lister sends nothing meanwhile.
 */
static void
ingest_list_beat(void)
{
	struct ingest_list_out	*o = ingest_list_current;

	if (o == NULL || time(NULL) == o->sent)
		return;
	ingest_wire_put_beat(&o->b);
	ingest_list_flush(o);
}

/*
 * Hand out a part, and for the tests, fault injection: a lister that
 * crashes (EVTRIAGE_TEST_LIST_CRASH) or hangs (EVTRIAGE_TEST_LIST_HANG)
 * once it has handed out as many parts as the variable says.
 */
static void
ingest_list_send(const void *rec, size_t len, int slot, void *arg)
{
	struct ingest_list_out	*o = arg;
	static int64_t		 sent;
	const char		*s;

	ingest_wire_put_listed(&o->b, slot, rec, len);
	ingest_list_flush(o);
	sent++;
	if ((s = getenv("EVTRIAGE_TEST_LIST_CRASH")) != NULL &&
	    sent >= atoi(s))
		abort();
	if ((s = getenv("EVTRIAGE_TEST_LIST_HANG")) != NULL &&
	    sent >= atoi(s)) {
		for (;;)
			pause();
	}
}

/* The lister: walk arc, hand out what is in it, and end. */
static __attribute__((noreturn)) void
ingest_list_main(struct ingest_run *run, const struct source *arc, int out,
    int back)
{
	struct ingest_list_out	 o;
	struct archive_lister	 ls;
	int			 i;

	memset(&o, 0, sizeof o);
	o.out = out;
	o.back = back;
	o.nslots = run->nslots;
	o.free = xcalloc(run->nslots + 1, sizeof *o.free);
	for (i = 0; i < run->nslots; i++)
		o.free[i] = run->slot_file[i] == NULL;
	o.sent = time(NULL);
	ingest_list_current = &o;
	source_progress = ingest_list_beat;

	memset(&ls, 0, sizeof ls);
	ls.slots = run->slots;
	ls.take = ingest_list_take;
	ls.give = ingest_list_give;
	ls.send = ingest_list_send;
	ls.arg = &o;
	container_archive_list(arc, &ls);
	ingest_wire_put_done(&o.b);
	ingest_list_flush(&o);
	_exit(0);
}

/*
 * The slots, made when the first lister starts: one for each worker and
 * one for the lister to fill meanwhile.  Without them (no memfd_create),
 * each log is read out of the archive by its worker.
 */
static void
ingest_list_slots(struct ingest_run *run)
{
	int	i, n, fd;

	if (run->slots != NULL)
		return;
	n = (run->opts->jobs > 0 ? run->opts->jobs : 1) + 1;
	if (n > INGEST_LIST_SLOTS)
		n = INGEST_LIST_SLOTS;
	/* For the tests: as without memfd_create. */
	if (getenv("EVTRIAGE_TEST_NO_SLOTS") != NULL)
		n = 0;
	run->slots = xcalloc(n, sizeof *run->slots);
	run->slot_file = xcalloc(n, sizeof *run->slot_file);
	for (i = 0; i < n; i++) {
		if ((fd = memfd_create("evtriage-slot", MFD_CLOEXEC)) == -1) {
			log_debug("%s: memfd_create: %s", __func__,
			    strerror(errno));
			break;
		}
		run->slots[run->nslots++] = fd;
	}
}

/* Fork the lister of arc. */
void
ingest_list_start(struct ingest_run *run, const struct source *arc)
{
	struct ingest_lister	*l;
	int			 out[2], back[2];
	pid_t			 pid;

	ingest_list_slots(run);
	if (pipe(out) == -1 || pipe(back) == -1)
		fatal("pipe");
	if ((pid = ingest_fork(run)) == 0) {
		close(out[0]);
		close(back[1]);
		ingest_list_main(run, arc, out[1], back[0]);
	}
	close(out[1]);
	close(back[0]);
	/* The loader never waits for a lister (its notes are few). */
	if (fcntl(back[1], F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	l = xcalloc(1, sizeof *l);
	l->pid = pid;
	l->fd = out[0];
	l->back = back[1];
	l->arc = arc;
	l->progress = time(NULL);
	/* Its logs, guessed at ten times the archive until they are in. */
	l->guess = arc->size < INT64_MAX / 10 ? arc->size * 10 : arc->size;
	run->lister = l;
	log_debug("%s: '%s': listed by %ld", __func__, arc->path, (long)pid);
}

/* The lister sent part of the record: make its sources files to read. */
static int
ingest_list_take_part(struct ingest_run *run, struct ingest_lister *l,
    const unsigned char *p, size_t len)
{
	struct ingest_stats	*s = run->stats;
	struct evidence_list	 got;
	struct ingest_file	*f;
	const unsigned char	*rec;
	size_t			 rlen, i;
	int			 slot;

	if (ingest_wire_get_listed(p, len, &slot, &rec, &rlen) != 0 ||
	    slot >= run->nslots || (slot >= 0 && run->slot_file[slot] != NULL))
		return (-1);
	memset(&got, 0, sizeof got);
	if (container_archive_take(&l->taken, l->arc, rec, rlen,
	    slot >= 0 ? run->slots[slot] : -1, &got, ingest_load_walk_report,
	    run) != 0 || (slot >= 0 && got.nsources != 1)) {
		evidence_list_free(&got);
		return (-1);
	}
	s->skipped += got.skipped;
	s->unreadable_parts += got.failed;
	s->unsupported += got.unsupported;
	s->notevtx += got.notevtx;
	for (i = 0; i < got.nsources; i++) {
		f = xcalloc(1, sizeof *f);
		f->src = xmalloc(sizeof *f->src);
		*f->src = got.sources[i];	/* its own now */
		f->listed = 1;
		f->slot = slot;
		if (slot >= 0)
			run->slot_file[slot] = f;
		f->nparts = f->src->reader->parts(f->src, run->opts->window);
		f->parts = xcalloc(f->nparts, sizeof *f->parts);
		run->listed = xreallocarray(run->listed, run->nlisted + 1,
		    sizeof *run->listed);
		run->listed[run->nlisted++] = f;
		run->nfiles++;
		/* Counted in the guess, or past it. */
		if (l->guess >= f->src->size)
			l->guess -= f->src->size;
		else {
			run->bytes_total += f->src->size - l->guess;
			l->guess = 0;
		}
		s->files++;
		if (f->src->kind == EVIDENCE_EVTX_XML)
			s->xml++;
		else if (f->src->kind == EVIDENCE_FDR_JSON)
			s->fdr++;
		l->logs++;
	}
	free(got.sources);
	return (0);
}

/* Read what the lister has sent; 0 when it is to be ended. */
int
ingest_list_read(struct ingest_run *run)
{
	struct ingest_lister	*l = run->lister;
	const unsigned char	*p;
	size_t			 off = 0, len;
	char			 type;
	int			 r;

	if (!ingest_wire_read(l->fd, &l->in, &l->progress))
		return (0);
	while ((r = ingest_wire_next(&l->in, &off, &type, &p, &len)) == 1) {
		switch (type) {
		case 'L':
			if (ingest_list_take_part(run, l, p, len) != 0) {
				l->bad = 1;
				return (0);
			}
			break;
		case 'B':
			break;
		case 'D':
			/* Done, with an archive inside still open: cut short. */
			if (ingest_wire_get_done(p, len) != 0 ||
			    l->taken.depth != 0) {
				l->bad = 1;
				return (0);
			}
			l->done = 1;
			break;
		default:
			l->bad = 1;
			return (0);
		}
	}
	if (r == -1) {
		l->bad = 1;
		return (0);
	}
	return (1);
}

/*
 * Is the lister stuck: no word from it for the time limit, while it has
 * a slot to fill (waiting for one, it is not)?
 */
int
ingest_list_stuck(struct ingest_run *run, time_t now)
{
	struct ingest_lister	*l = run->lister;
	int			 i;

	if (l == NULL || run->opts->timeout <= 0 ||
	    now - l->progress <= run->opts->timeout)
		return (0);
	for (i = 0; i < run->nslots; i++) {
		if (run->slot_file[i] == NULL)
			break;
	}
	if (run->nslots > 0 && i == run->nslots) {
		l->progress = now;	/* waiting for a slot */
		return (0);
	}
	l->timedout = 1;
	return (1);
}

/*
 * End the lister: if it did not say it was done, the rest of its archive
 * was not read (unless the run was interrupted, which says so).
 */
void
ingest_list_end(struct ingest_run *run, int interrupted)
{
	struct ingest_lister	*l = run->lister;
	char			*why, *how;
	int			 status;

	close(l->fd);
	close(l->back);
	if (!l->done || l->bad)
		kill(l->pid, SIGKILL);
	while (waitpid(l->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!interrupted && (!l->done || l->bad)) {
		if (l->bad)
			how = xstrdup("went wrong (it sent what cannot be "
			    "read)");
		else if (l->timedout)
			xasprintf(&how, "made no progress for %d s",
			    run->opts->timeout);
		else if (WIFSIGNALED(status))
			xasprintf(&how, "crashed (%s)",
			    strsignal(WTERMSIG(status)));
		else
			xasprintf(&how, "failed (exit %d)",
			    WEXITSTATUS(status));
		xasprintf(&why, "listing the archive %s after %lld log%s, "
		    "the rest not read", how, (long long)l->logs,
		    l->logs == 1 ? "" : "s");
		ingest_load_walk_report(l->arc->path, why,
		    EVIDENCE_WALK_FAILED, run);
		free(how);
		free(why);
		run->stats->unreadable_parts++;
	}
	container_archive_taken_clear(&l->taken);
	run->bytes_total -= l->guess;
	run->listing--;
	free(l->in.buf);
	free(l);
	run->lister = NULL;
}

/*
 * The worker of f's log has ended: empty its slot (its pages go back)
 * and tell the lister it may fill it again.
 */
void
ingest_list_free_slot(struct ingest_run *run, struct ingest_file *f)
{
	int32_t	i = f->slot;

	if (i < 0)
		return;
	f->slot = -1;
	run->slot_file[i] = NULL;
	if (ftruncate(run->slots[i], 0) == -1)
		log_debug("%s: ftruncate: %s", __func__, strerror(errno));
	if (run->lister != NULL) {
		if (write(run->lister->back, &i, sizeof i) != sizeof i)
			log_debug("%s: the lister is gone", __func__);
		run->lister->progress = time(NULL);
	}
}

/* The run is over: the slots and the listed logs. */
void
ingest_list_clear(struct ingest_run *run)
{
	size_t	i;
	int	j;

	for (i = 0; i < run->nlisted; i++) {
		source_clear(run->listed[i]->src);
		free(run->listed[i]->src);
		free(run->listed[i]->message);
		free(run->listed[i]->parts);
		free(run->listed[i]);
	}
	free(run->listed);
	for (j = 0; j < run->nslots; j++)
		close(run->slots[j]);
	free(run->slots);
	free(run->slot_file);
}
