/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target for the fast EVTX decoder (parsers/evtx-fast.c): the
 * input is one chunk.  Inputs of even size get their chunk checksums
 * made right first, so that the fuzzer reaches the records and their
 * Binary XML; odd sizes keep theirs and test the checksum path.  Every
 * string of every record is read, so that ASan sees a bad pointer.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "triage/xmalloc.h"
#include "parsers/parsers.h"

static uint32_t
fuzz_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	uint32_t	c = ~crc;
	int		k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320 & -(c & 1));
	}
	return (~c);
}

static void
fuzz_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static size_t	fuzz_sink;

static void
fuzz_str(const char *s)
{
	if (s != NULL)
		fuzz_sink += strlen(s);
}

static int
fuzz_record(struct evt_record *e, void *arg)
{
	size_t	i;

	fuzz_str(e->time);
	fuzz_str(e->provider);
	fuzz_str(e->channel);
	fuzz_str(e->computer);
	fuzz_str(e->user_sid);
	for (i = 0; i < e->nfields; i++) {
		fuzz_str(e->fields[i].name);
		fuzz_str(e->fields[i].value);
	}
	return (0);
}

static void
fuzz_decline(int index, int64_t off, const char *why, void *arg)
{
	fuzz_str(why);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct evtx_fast	*f;
	static uint8_t		 c[65536];
	uint32_t		 free_off, crc;
	int			 index = 0;

	if (f == NULL)
		f = evtx_fast_create();
	memset(c, 0, sizeof c);
	memcpy(c, data, size < sizeof c ? size : sizeof c);
	if (size % 2 == 0) {
		crc = fuzz_crc32(0, c, 120);
		fuzz_le32(c + 124, fuzz_crc32(crc, c + 128, 384));
		free_off = c[48] | c[49] << 8 | c[50] << 16 |
		    (uint32_t)c[51] << 24;
		if (free_off >= 512 && free_off <= sizeof c)
			fuzz_le32(c + 52, fuzz_crc32(0, c + 512,
			    free_off - 512));
	}
	evtx_fast_chunk(f, c, 4096, &index, fuzz_record, fuzz_decline, NULL);
	return (0);
}
