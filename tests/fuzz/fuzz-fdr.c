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
	fuzz_reader_file(&fdr_read_reader, data, size);
	return (0);
}
