/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the CrowdStrike FDR reader as a worker runs it
 * (parsers/fdr-read.c): the probe, open (plain or gzip), every line,
 * the normaliser and the wire format of each row and problem.
 *
 * FUZZ_SOURCES: triage/ingest-wire.c
 */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz-reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_window	 w = { 0, -1, 0 };
	struct source		 src;
	char			 path[64], *cause = NULL;
	int			 fd;

	fdr_read_reader.probe(data, size);
	fd = fuzz_file(data, size, path, sizeof path);
	if (evidence_walk_source(path, &src, &cause) == 0) {
		fuzz_reader_run(&fdr_read_reader, &src, &w);
		src.path = NULL;		/* borrowed */
		source_clear(&src);
	} else
		free(cause);
	close(fd);
	return (0);
}
