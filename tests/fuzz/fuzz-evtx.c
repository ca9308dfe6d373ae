/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the EVTX reader as a worker runs it (parsers/
 * evtx-read.c over libevtx): open, every record and every recovered one,
 * the normaliser and the wire format; then a window over the second
 * chunk alone, as a worker reads a share of a large file.
 *
 * FUZZ_SOURCES: triage/ingest-wire.c
 */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "parsers/parsers.h"
#include "triage/ingest.h"
#include "tests/fuzz/fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_evtx_record(struct evt_record *e, void *arg)
{
	struct proc_row		 row, back;
	struct buf		 b = { 0 };
	const unsigned char	*payload;
	size_t			 plen;
	char			 type;

	if (event_norm(e, &row) != 0)
		return (0);
	ingest_wire_put_row(&b, &row);
	if (ingest_wire_frame(b.data, b.len, &type, &payload, &plen) > 0 &&
	    ingest_wire_get_row(payload, plen, &back) == 0)
		event_norm_clear(&back);
	buf_free(&b);
	event_norm_clear(&row);
	return (0);
}

static void
fuzz_evtx_problem(const struct evt_problem *pb, void *arg)
{
}

static void
fuzz_evtx_read(const char *path, int64_t chunk, int64_t count)
{
	struct evtx_reader	*r;
	struct evt_file_info	 info;
	struct source		 src;
	char			*cause = NULL;

	if (evidence_walk_source(path, &src, &cause) != 0 ||
	    evtx_read_open(&src, chunk, count, &r, &info, &cause) != 0) {
		free(cause);
		return;
	}
	evtx_read_records(r, 0, -1, 1, fuzz_evtx_record, fuzz_evtx_problem,
	    NULL);
	evtx_read_close(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	path[64];
	int	fd;

	fd = fuzz_file(data, size, path, sizeof path);
	fuzz_evtx_read(path, 0, -1);
	if (size > 4096 + 65536)
		fuzz_evtx_read(path, 1, 1);
	close(fd);
	return (0);
}
