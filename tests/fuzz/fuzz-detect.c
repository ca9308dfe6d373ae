/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the detection file format (db/db-detect.c,
 * db_detect_parse: "-- key: value" header, then SQL), and the risk
 * message template rendered with the file's own output fields.
 */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "db/db.h"
#include "tests/fuzz/fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct db_detection	 d;
	char			 path[64], *cause = NULL;
	int			 fd;

	fd = fuzz_file(data, size, path, sizeof path);
	if (db_detect_parse(path, &d, &cause) == 0) {
		free(db_detect_render(d.meta[DETECT_RISK_MESSAGE], d.output,
		    d.output, d.noutput));
		db_detect_clear(&d);
	} else
		free(cause);
	close(fd);
	return (0);
}
