/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The FDR reader alone, for tests/bench/fdr-bench.sh: read each file
 * given through parsers/fdr-read.c and normalise its process events, as
 * a worker does, without the case; print lines, rows and seconds.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "parsers/parsers.h"

static long long fdr_parse_lines, fdr_parse_rows, fdr_parse_bad;

static int
fdr_parse_record(struct evt_record *e, void *arg)
{
	struct proc_row	row;

	fdr_parse_lines++;
	if (event_norm(e, &row) == 0) {
		fdr_parse_rows++;
		event_norm_clear(&row);
	}
	return (0);
}

static void
fdr_parse_problem(const struct evt_problem *pb, void *arg)
{
	fdr_parse_bad++;
}

int
main(int argc, char **argv)
{
	struct reader_window	 w = { 0, -1, 0 };
	struct evt_file_info	 info;
	struct source		 src;
	struct timespec		 t0, t1;
	char			*cause = NULL;
	void			*r;
	int			 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i < argc; i++) {
		if (evidence_walk_source(argv[i], &src, &cause) != 0 ||
		    fdr_read_reader.open(&src, &w, &r, &info, &cause) != 0) {
			fprintf(stderr, "%s: %s\n", argv[i], cause);
			return (1);
		}
		fdr_read_reader.read(r, fdr_parse_record, fdr_parse_problem,
		    NULL);
		fdr_read_reader.close(r);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lld %lld %lld %.3f\n", fdr_parse_lines, fdr_parse_rows,
	    fdr_parse_bad, (t1.tv_sec - t0.tv_sec) +
	    (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return (0);
}
