/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: damaged logs (-D) for robustness tests.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtxgen.h"

/* ---- damaged logs (-D) ------------------------------------------------ */

const char *evtxgen_damages[] = {
	"dirty", "truncated", "badcrc", "badheadercrc", "garbage", "random",
	"hugesizes", "zero", "badmagic", NULL
};

static void
evtxgen_chunk_recrc(uint8_t *c)
{
	uint32_t	free_off, crc;

	free_off = evtxgen_rd32(c + 48);
	if (free_off >= EVTXGEN_CHUNK_HDR && free_off <= EVTXGEN_CHUNK)
		evtxgen_le32(c + 52, evtxgen_crc32(0, c + EVTXGEN_CHUNK_HDR,
		    free_off - EVTXGEN_CHUNK_HDR));
	crc = evtxgen_crc32(0, c, 120);
	crc = evtxgen_crc32(crc, c + 128, 384);
	evtxgen_le32(c + 124, crc);
}

/* Offsets of the records of one chunk. */
static int
evtxgen_chunk_records(const uint8_t *c, uint32_t *offs, int max)
{
	uint32_t	off = EVTXGEN_CHUNK_HDR, free_off, sz;
	int		n = 0;

	free_off = evtxgen_rd32(c + 48);
	while (off + 28 <= free_off && n < max &&
	    evtxgen_rd32(c + off) == 0x2a2a) {
		sz = evtxgen_rd32(c + off + 4);
		if (sz < 28 || off + sz > free_off)
			break;
		offs[n++] = off;
		off += sz;
	}
	return n;
}

void
evtxgen_damage(const char *path, const char *kind)
{
	uint8_t		*d, *c;
	uint32_t	 offs[4096];
	uint64_t	 s = 0x5eed5eedULL, x;
	size_t		 len, nch, i, j;
	struct stat	 sb;
	FILE		*fp;
	int		 nrec;

	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &sb) == -1)
		evtxgen_die("%s: %s", path, strerror(errno));
	len = (size_t)sb.st_size;
	if ((d = malloc(len + 1)) == NULL)
		evtxgen_die("out of memory");
	if (fread(d, 1, len, fp) != len)
		evtxgen_die("%s: short read", path);
	fclose(fp);
	nch = (len - EVTXGEN_FILE_HDR) / EVTXGEN_CHUNK;
	if (nch < 2 && strcmp(kind, "zero") != 0 &&
	    strcmp(kind, "random") != 0)
		evtxgen_die("-D %s needs a log of at least 2 chunks", kind);

	if (strcmp(kind, "dirty") == 0) {
		/* Header as if only the first chunk had been written. */
		c = d + EVTXGEN_FILE_HDR;
		evtxgen_file_header(d, 1,
		    ((uint64_t)evtxgen_rd32(c + 16) |
		    (uint64_t)evtxgen_rd32(c + 20) << 32) + 1, 1);
	} else if (strcmp(kind, "truncated") == 0) {
		len = EVTXGEN_FILE_HDR + (nch - 1) * EVTXGEN_CHUNK + 30011;
	} else if (strcmp(kind, "badcrc") == 0) {
		/* Chunk 0: header CRC; chunk 1: records CRC; chunk 2+: a
		 * flipped record byte under the old CRC. */
		c = d + EVTXGEN_FILE_HDR;
		c[124] ^= 0x5a;
		c = d + EVTXGEN_FILE_HDR + EVTXGEN_CHUNK;
		c[52] ^= 0xa5;
		if (nch > 2) {
			c = d + EVTXGEN_FILE_HDR + 2 * EVTXGEN_CHUNK;
			c[EVTXGEN_CHUNK_HDR + 100] ^= 0x01;
		}
	} else if (strcmp(kind, "badheadercrc") == 0) {
		d[124] ^= 0xff;
	} else if (strcmp(kind, "garbage") == 0) {
		/* Overwrite whole records (the 2nd of every chunk and the
		 * body of the 5th) with random bytes; CRCs recomputed so
		 * only parsing can notice. */
		for (i = 0; i < nch; i++) {
			c = d + EVTXGEN_FILE_HDR + i * EVTXGEN_CHUNK;
			nrec = evtxgen_chunk_records(c, offs, 4096);
			if (nrec > 1) {
				x = evtxgen_rd32(c + offs[1] + 4);
				for (j = 0; j < x; j++)
					c[offs[1] + j] = (uint8_t)
					    evtxgen_rand(&s);
			}
			if (nrec > 4) {
				x = evtxgen_rd32(c + offs[4] + 4);
				for (j = 24; j + 4 < x; j++)
					c[offs[4] + j] = (uint8_t)
					    evtxgen_rand(&s);
			}
			evtxgen_chunk_recrc(c);
		}
	} else if (strcmp(kind, "random") == 0) {
		len = EVTXGEN_FILE_HDR + 3 * EVTXGEN_CHUNK;
		free(d);
		if ((d = malloc(len)) == NULL)
			evtxgen_die("out of memory");
		for (i = 0; i < len; i++)
			d[i] = (uint8_t)evtxgen_rand(&s);
		memcpy(d, "ElfFile", 8);
		for (i = 0; i < 3; i++)
			memcpy(d + EVTXGEN_FILE_HDR + i * EVTXGEN_CHUNK,
			    "ElfChnk", 8);
	} else if (strcmp(kind, "hugesizes") == 0) {
		evtxgen_le64(d + 16, 0xffffffffffffffffULL);
		evtxgen_le64(d + 24, 0x7fffffffffffffffULL);
		evtxgen_le32(d + 32, 0xffffffffU);
		evtxgen_le16(d + 42, 0xffff);
		evtxgen_le32(d + 124, evtxgen_crc32(0, d, 120));
		for (i = 0; i < nch; i++) {
			c = d + EVTXGEN_FILE_HDR + i * EVTXGEN_CHUNK;
			nrec = evtxgen_chunk_records(c, offs, 4096);
			for (j = 1; j < (size_t)nrec; j += 3) {
				x = evtxgen_rand(&s) % 3;
				evtxgen_le32(c + offs[j] + 4, x == 0 ?
				    0xffffffffU : x == 1 ? 0x7ffffff0U :
				    EVTXGEN_CHUNK);
			}
			switch (i % 3) {
			case 0:
				evtxgen_le32(c + 40, 0xffffffffU);
				evtxgen_le32(c + 44, 0xfffffff0U);
				break;
			case 1:
				evtxgen_le32(c + 48, 0xffffffffU);
				evtxgen_le64(c + 16, 0xffffffffffffffffULL);
				evtxgen_le64(c + 32, 0xffffffffffffffffULL);
				break;
			default:
				evtxgen_le32(c + 44, EVTXGEN_CHUNK - 8);
				evtxgen_le32(c + 128, 0xfffffff0U);
				evtxgen_le32(c + 384, 0x7ffffff0U);
				break;
			}
			evtxgen_chunk_recrc(c);
		}
	} else if (strcmp(kind, "zero") == 0) {
		len = 0;
	} else if (strcmp(kind, "badmagic") == 0) {
		c = d + EVTXGEN_FILE_HDR + EVTXGEN_CHUNK;
		memcpy(c, "ElfChnX", 8);
		evtxgen_chunk_recrc(c);
	}
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(d, 1, len, fp) != len || fclose(fp) == EOF)
		evtxgen_die("%s: write: %s", path, strerror(errno));
	free(d);
}
