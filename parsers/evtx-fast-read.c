/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The EVTX reader the ingest uses: the fast decoder (evtx-fast.c) over
 * the chunks of a part, with libevtx as the reference and the safety
 * net.  libevtx opens the part as it always has (evtx_read_open, the
 * same window), so the facts of the part (format version, dirty,
 * corrupted, records, recovered, declared) are libevtx's, as before.
 * The chunks are then read through source_pread, forwards, on a stream
 * of our own (so an archive's entry is read in one pass), and each
 * record is decoded by evtx_fast_chunk.  A record it declines is read by
 * libevtx by its index in the same window, so that nothing is lost and
 * nothing is read twice; recovered records (slack space) are libevtx's.
 *
 * The fast decoder numbers records as libevtx 20181227 does.  A file of
 * more than 65,535 chunks (whose header's 16-bit count is saturated or
 * short) is shown to libevtx as a sound file of its chunks, found by
 * their signatures (evtx-window.c), and the fast decoder reads the same
 * chunks; only a file whose header is unsound and saturated, where
 * libevtx's own index wraps, and every part when evtx_libevtx_only is
 * set (-l), is read by libevtx alone.  A record the fast decoder read
 * has fast set.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define EVTX_FAST_READ_HEADER	4096
#define EVTX_FAST_READ_CHUNK	65536

/* Read every EVTX part with libevtx alone (scan -l, load -l). */
int	evtx_libevtx_only;

struct evtx_fast_read {
	const struct source	*src;
	struct evtx_reader	*lr;		/* libevtx over the window */
	struct evt_file_info	 info;
	int64_t			 first, count;
	int			 recovered;

	/* While reading. */
	struct evtx_fast	*f;
	evtx_record_cb		 cb;
	evtx_problem_cb		 pcb;
	void			*arg;
	int			 stop;
	int			 declined;
};

static int
evtx_fast_read_open(const struct source *src, const struct reader_window *w,
    void **rp, struct evt_file_info *info, char **cause)
{
	struct evtx_fast_read	*r;

	r = xcalloc(1, sizeof *r);
	if (evtx_read_open(src, w->first, w->count, &r->lr, info,
	    cause) != 0) {
		free(r);
		return (-1);
	}
	r->src = src;
	r->info = *info;
	r->first = w->first;
	r->count = w->count;
	r->recovered = w->recovered;
	*rp = r;
	return (0);
}

/* A record the fast decoder read: to the caller, marked as its. */
static int
evtx_fast_read_record(struct evt_record *e, void *arg)
{
	struct evtx_fast_read	*r = arg;

	if (r->stop)
		return (1);
	e->fast = 1;
	if (r->cb(e, r->arg) != 0)
		r->stop = 1;
	return (r->stop);
}

/* A record the fast decoder declines: libevtx reads it, by its index. */
static void
evtx_fast_read_decline(int index, int64_t offset, const char *why,
    void *arg)
{
	struct evtx_fast_read	*r = arg;

	if (index < 0) {
		/* A chunk libevtx holds no allocated record of either. */
		log_debug("'%s': chunk at %lld left to libevtx: %s",
		    r->src->path, (long long)offset, why);
		return;
	}
	log_debug("'%s': record %d at %lld left to libevtx: %s",
	    r->src->path, index, (long long)offset, why);
	r->declined++;
	if (r->stop || index >= r->info.records)
		return;
	if (evtx_read_records(r->lr, index, index + 1, 0, r->cb, r->pcb,
	    r->arg) != 0)
		r->stop = 1;
}

/* Walk the part's chunks with the fast decoder; -1 if it cannot start. */
static int
evtx_fast_read_chunks(struct evtx_fast_read *r, int *index)
{
	struct source_stream	 s;
	unsigned char		 h[128], *c;
	int64_t			 k, hcount, off, limit;
	int			 dirty, scan;
	char			*cause = NULL;

	if (source_open(r->src, &s, &cause) != 0) {
		log_debug("'%s': %s", r->src->path, cause);
		free(cause);
		return (-1);
	}
	if (source_pread(&s, h, sizeof h, 0) != sizeof h ||
	    memcmp(h, "ElfFile", 8) != 0) {
		source_close(&s);
		return (-1);
	}
	dirty = (h[120] & 1) != 0;
	/* The chunks of the part libevtx is shown as log, not slack. */
	if ((limit = evtx_window_log(&s, r->first, r->count, &scan)) == -1) {
		/* An odd header: libevtx reads the file whole. */
		hcount = h[42] | (h[43] << 8);
		if (hcount == 0xffff) {
			/* Its 16-bit index wraps: its numbering is its own. */
			source_close(&s);
			return (-1);
		}
		limit = hcount - r->first;
	}
	r->f = evtx_fast_create();
	c = xmalloc(EVTX_FAST_READ_CHUNK);
	for (k = r->first; r->count < 0 || k < r->first + r->count; k++) {
		off = EVTX_FAST_READ_HEADER + k * EVTX_FAST_READ_CHUNK;
		/* Only whole chunks, as libevtx reads them. */
		if (source_pread(&s, c, EVTX_FAST_READ_CHUNK, off) !=
		    EVTX_FAST_READ_CHUNK)
			break;
		if (!dirty && k >= r->first + limit)
			break;		/* recovered records: libevtx's */
		if (evtx_fast_chunk(r->f, c, off, index,
		    evtx_fast_read_record, evtx_fast_read_decline, r) != 0 ||
		    r->stop)
			break;
	}
	free(c);
	evtx_fast_free(r->f);
	r->f = NULL;
	source_close(&s);
	return (0);
}

static int
evtx_fast_read_read(void *rp, evtx_record_cb cb, evtx_problem_cb pcb,
    void *arg)
{
	struct evtx_fast_read	*r = rp;
	int			 index = 0, fast;

	r->cb = cb;
	r->pcb = pcb;
	r->arg = arg;
	fast = !evtx_libevtx_only && evtx_fast_read_chunks(r, &index) == 0;
	if (r->stop)
		return (-1);
	if (!fast)
		index = 0;
	else if (index != r->info.records)
		log_info("'%s': the fast reader found %d records, libevtx %d",
		    r->src->path, index, r->info.records);
	/* What the fast decoder did not reach, libevtx reads. */
	if (index < r->info.records && evtx_read_records(r->lr, index,
	    r->info.records, 0, cb, pcb, arg) != 0)
		return (-1);
	if (r->recovered && evtx_read_records(r->lr, 0, 0, 1, cb, pcb,
	    arg) != 0)
		return (-1);
	return (0);
}

static void
evtx_fast_read_close(void *rp)
{
	struct evtx_fast_read	*r = rp;

	if (r == NULL)
		return;
	evtx_read_close(r->lr);
	free(r);
}

const struct reader evtx_fast_reader = {
	"evtx",
	EVIDENCE_EVTX,
	evtx_read_probe,
	evtx_read_parts,
	evtx_fast_read_open,
	evtx_fast_read_read,
	evtx_fast_read_close
};
