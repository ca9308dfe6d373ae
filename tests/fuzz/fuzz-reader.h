/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Shared by the targets over a reader (fuzz-evtx, fuzz-xml, fuzz-fdr,
 * fuzz-archive): a part read through the reader interface as a worker
 * reads it, each record through the normaliser and each row and problem
 * through the wire format and back.  Such a target names
 * triage/ingest-wire.c on its FUZZ_SOURCES line.
 */

#ifndef FUZZ_READER_H
#define FUZZ_READER_H

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "parsers/parsers.h"
#include "triage/ingest.h"
#include "tests/fuzz/fuzz.h"

static int
fuzz_reader_record(struct evt_record *e, void *arg)
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
fuzz_reader_problem(const struct evt_problem *pb, void *arg)
{
	struct buf	b = { 0 };

	ingest_wire_put_problem(&b, pb);
	buf_free(&b);
}

/* Read the part w of src through rd, as a worker would. */
static void
fuzz_reader_run(const struct reader *rd, const struct source *src,
    const struct reader_window *w)
{
	struct evt_file_info	 info;
	void			*r;
	char			*cause = NULL;

	if (rd->open(src, w, &r, &info, &cause) != 0) {
		free(cause);
		return;
	}
	rd->read(r, fuzz_reader_record, fuzz_reader_problem, NULL);
	rd->close(r);
}

/*
 * A target over one reader and a whole file: the probe, then the input
 * as a source read in one part (tests/fuzz/fuzz.h's memory file).
 */
static inline void
fuzz_reader_file(const struct reader *rd, const uint8_t *data, size_t size)
{
	struct reader_window	 w = { 0, -1, 0 };
	struct source		 src;
	char			 path[64], *cause = NULL;
	int			 fd;

	rd->probe(data, size);
	fd = fuzz_file(data, size, path, sizeof path);
	if (evidence_walk_source(path, &src, &cause) == 0) {
		fuzz_reader_run(rd, &src, &w);
		src.path = NULL;		/* borrowed */
		source_clear(&src);
	} else
		free(cause);
	close(fd);
}

#endif
