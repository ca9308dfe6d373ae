/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the EVTX readers as a worker runs them, through
 * both: the ingest's (parsers/evtx-fast-read.c: the fast decoder, with
 * libevtx for the facts, declined records and slack space) and libevtx
 * alone (evtx-read.c): open, every record and every recovered one, the
 * normaliser and the wire format; then a window over the second chunk
 * alone, as a worker reads a share of a large file.
 *
 * FUZZ_SOURCES: triage/ingest-wire.c
 */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz-reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_evtx_read(const char *path, int64_t chunk, int64_t count)
{
	struct reader_window	 w = { chunk, count, 1 };
	struct source		 src;
	char			*cause = NULL;

	if (evidence_walk_source(path, &src, &cause) != 0) {
		free(cause);
		return;
	}
	fuzz_reader_run(&evtx_fast_reader, &src, &w);
	fuzz_reader_run(&evtx_read_reader, &src, &w);
	src.path = NULL;		/* borrowed */
	source_clear(&src);
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
