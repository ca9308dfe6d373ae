/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The floor of what libevtx can do: open each file and read every
 * record's event identifier, nothing else.  tests/bench/ingest-bench.sh
 * compares evtriage's ingest with this loop.
 */

#include <stdio.h>

#include <libevtx.h>

int
main(int argc, char **argv)
{
	libevtx_file_t		*f;
	libevtx_record_t	*r;
	uint32_t		 id;
	unsigned long long	 n = 0, sum = 0;
	int			 i, j, count;

	for (i = 1; i < argc; i++) {
		f = NULL;
		if (libevtx_file_initialize(&f, NULL) != 1 ||
		    libevtx_file_open(f, argv[i], LIBEVTX_OPEN_READ,
		    NULL) != 1) {
			fprintf(stderr, "floor: cannot open '%s'\n", argv[i]);
			continue;
		}
		if (libevtx_file_get_number_of_records(f, &count, NULL) != 1)
			count = 0;
		for (j = 0; j < count; j++) {
			r = NULL;
			if (libevtx_file_get_record_by_index(f, j, &r,
			    NULL) != 1)
				continue;
			if (libevtx_record_get_event_identifier(r, &id,
			    NULL) == 1)
				sum += id;
			n++;
			libevtx_record_free(&r, NULL);
		}
		libevtx_file_close(f, NULL);
		libevtx_file_free(&f, NULL);
	}
	printf("%llu records (event id sum %llu)\n", n, sum);
	return (0);
}
