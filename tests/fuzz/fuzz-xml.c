/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the XML export reader as a worker runs it (parsers/
 * xml-read.c over expat): the probe, open, every event, the normaliser
 * and the wire format.
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

	xml_read_reader.probe(data, size);
	fd = fuzz_file(data, size, path, sizeof path);
	if (evidence_walk_source(path, &src, &cause) == 0) {
		fuzz_reader_run(&xml_read_reader, &src, &w);
		src.path = NULL;		/* borrowed */
		source_clear(&src);
	} else
		free(cause);
	close(fd);
	return (0);
}
