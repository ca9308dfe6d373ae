/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the CrowdStrike FDR reader as a worker runs it
 * (parsers/fdr-read.c): open (plain or gzip), every line, the normaliser
 * and the wire format of each row and problem.
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
fuzz_fdr_record(struct evt_record *e, void *arg)
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
fuzz_fdr_problem(const struct evt_problem *pb, void *arg)
{
	struct buf	b = { 0 };

	ingest_wire_put_problem(&b, pb);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct reader	*rd = &fdr_read_reader;
	struct reader_window	 w = { 0, -1, 0 };
	struct evt_file_info	 info;
	struct source		 src;
	char			 path[64], *cause = NULL;
	void			*r;
	int			 fd;

	fd = fuzz_file(data, size, path, sizeof path);
	if (evidence_walk_source(path, &src, &cause) != 0) {
		free(cause);
		close(fd);
		return (0);
	}
	if (rd->open(&src, &w, &r, &info, &cause) == 0) {
		rd->read(r, fuzz_fdr_record, fuzz_fdr_problem, NULL);
		rd->close(r);
	} else
		free(cause);
	src.path = NULL;		/* borrowed */
	source_clear(&src);
	close(fd);
	return (0);
}
