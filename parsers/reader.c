/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The readers evtriage has, and which one reads a kind of evidence.  A
 * new reader is a file that defines a struct reader, and a line here.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "parsers.h"

static const struct reader *reader_table[] = {
	&evtx_fast_reader,	/* libevtx's evtx_read_reader behind it */
	&xml_read_reader,
	&fdr_read_reader,
};
#define READER_COUNT (sizeof reader_table / sizeof reader_table[0])

/* The reader of evidence of this kind, or NULL if there is none yet. */
const struct reader *
reader_find(enum evidence_kind kind)
{
	size_t	i;

	for (i = 0; i < READER_COUNT; i++) {
		if (reader_table[i]->kind == kind)
			return (reader_table[i]);
	}
	return (NULL);
}

/* The reader that knows these first bytes of a stream, or NULL. */
const struct reader *
reader_probe(const unsigned char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < READER_COUNT; i++) {
		if (reader_table[i]->probe != NULL &&
		    reader_table[i]->probe(p, len))
			return (reader_table[i]);
	}
	return (NULL);
}
