/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * A window on an EVTX file for libevtx: the file header followed by a
 * range of its chunks, presented as a file of its own through a libbfio
 * handle.  libevtx keeps an entry for every record of a file it opens
 * (about 125 bytes each, so a 2,000,000-record log costs 250 MB before
 * a record is read); a worker that opens a window holds only its
 * window's, whatever the size of the file, and reads only its chunks.
 *
 * libevtx reads a file as a header, then chunks of 65536 bytes from the
 * header's block size to the last whole chunk; a chunk's records depend
 * on nothing outside it.  So the records of the windows, one after
 * another, are the records of the file, in libevtx's order.  The header
 * the window shows is the file's own with some fields changed so that
 * libevtx judges each chunk as it would in the whole file: the block
 * size (the window's chunks follow the header directly), the number of
 * chunks (those of the header's count in the window: past it, a chunk's
 * records are recovered ones unless the file is dirty, and a good chunk
 * is a sign of damage) and the first and last chunk numbers, which must
 * agree with it; the checksum is made again.  Only a file whose header
 * is sound is read in windows (evtx_window_chunks), each window holding
 * at least one chunk of the header's count, the last all the chunks
 * after; then a file is damaged if, and only if, one of its windows is.
 *
 * A file of more than 65,535 chunks (past 4 GiB) has a header whose
 * 16-bit count is saturated or wrapped, its 64-bit chunk numbers past
 * 65,535; its
 * chunks are found by their signatures to the end of the file
 * (evtx_window_log), and every window, the whole file's too, shows
 * libevtx a sound file of them: libevtx's own index of such a file
 * would wrap, and it would call it corrupted.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libbfio.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define EVTX_HEADER_SIZE	4096
#define EVTX_CHUNK_SIZE		65536

struct evtx_window {
	struct source_stream *s;	/* the reader's: not ours to close */
	unsigned char	header[EVTX_HEADER_SIZE];
	off_t		base;		/* file offset of the first chunk */
	off_t		size;		/* of the window as a file */
	off_t		pos;
	int		open;
	int		whole;		/* the file as it is, header and all */
};

/* The CRC-32 of EVTX headers (IEEE 802.3, reflected). */
static uint32_t
evtx_window_crc32(const unsigned char *p, size_t n)
{
	uint32_t	c = 0xffffffff;
	int		k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320 & -(c & 1));
	}
	return (c ^ 0xffffffff);
}

static int
evtx_window_free(intptr_t **io, libbfio_error_t **error)
{
	struct evtx_window	*w = (struct evtx_window *)*io;

	free(w);
	*io = NULL;
	return (1);
}

static int
evtx_window_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **error)
{
	struct evtx_window	*w = (struct evtx_window *)src, *c;

	if (w == NULL)
		return (-1);
	c = xmalloc(sizeof *c);
	memcpy(c, w, sizeof *c);
	*dst = (intptr_t *)c;
	return (1);
}

static int
evtx_window_open(intptr_t *io, int flags, libbfio_error_t **error)
{
	struct evtx_window	*w = (struct evtx_window *)io;

	/* Evidence is only ever read. */
	if (flags & LIBBFIO_ACCESS_FLAG_WRITE)
		return (-1);
	w->open = 1;
	w->pos = 0;
	return (1);
}

static int
evtx_window_close(intptr_t *io, libbfio_error_t **error)
{
	((struct evtx_window *)io)->open = 0;
	return (0);
}

static ssize_t
evtx_window_read(intptr_t *io, uint8_t *buf, size_t size,
    libbfio_error_t **error)
{
	struct evtx_window	*w = (struct evtx_window *)io;
	size_t			 done = 0, n;
	ssize_t			 r;

	if (w->pos >= w->size)
		return (0);
	if ((off_t)size > w->size - w->pos)
		size = w->size - w->pos;
	while (done < size) {
		if (w->whole) {
			r = source_pread(w->s, buf + done, size - done,
			    w->pos);
			if (r == -1)
				return (-1);
			if (r == 0)
				break;
		} else if (w->pos < EVTX_HEADER_SIZE) {
			n = EVTX_HEADER_SIZE - w->pos;
			if (n > size - done)
				n = size - done;
			memcpy(buf + done, w->header + w->pos, n);
			r = n;
		} else {
			r = source_pread(w->s, buf + done, size - done,
			    w->base + w->pos - EVTX_HEADER_SIZE);
			if (r == -1)
				return (-1);
			if (r == 0)	/* the file shrank: what was read */
				break;
		}
		done += r;
		w->pos += r;
	}
	return (done);
}

static ssize_t
evtx_window_write(intptr_t *io, const uint8_t *buf, size_t size,
    libbfio_error_t **error)
{
	return (-1);
}

static off64_t
evtx_window_seek(intptr_t *io, off64_t off, int whence,
    libbfio_error_t **error)
{
	struct evtx_window	*w = (struct evtx_window *)io;

	if (whence == SEEK_CUR)
		off += w->pos;
	else if (whence == SEEK_END)
		off += w->size;
	else if (whence != SEEK_SET)
		return (-1);
	if (off < 0)
		return (-1);
	w->pos = off;
	return (off);
}

static int
evtx_window_exists(intptr_t *io, libbfio_error_t **error)
{
	return (1);
}

static int
evtx_window_is_open(intptr_t *io, libbfio_error_t **error)
{
	return (((struct evtx_window *)io)->open);
}

static int
evtx_window_get_size(intptr_t *io, size64_t *size, libbfio_error_t **error)
{
	*size = ((struct evtx_window *)io)->size;
	return (1);
}

/*
 * Make a libbfio handle on chunks [first, first + count) of the stream s
 * (count < 0: to the end); or, with first < 0, on the whole stream as it
 * is, which libevtx would open itself were it a file, but for O_NOATIME.
 * The handle reads s, which must outlive it.  0 and *hp set, or -1 and
 * *cause.
 */
int
evtx_window_handle(struct source_stream *s, int64_t first, int64_t count,
    libbfio_handle_t **hp, char **cause)
{
	struct evtx_window	*w;
	libbfio_handle_t	*h = NULL;
	int64_t			 fsize;
	uint32_t		 crc, stored, u32;
	uint64_t		 u64;
	uint16_t		 block, chunks;
	int64_t			 avail, expect;
	int			 scan;

	w = xcalloc(1, sizeof *w);
	w->s = s;
	if ((fsize = source_size(s)) == -1) {
		xasprintf(cause, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (first < 0) {
		w->whole = 1;
		w->size = fsize;
		goto handle;
	}
	if (source_pread(s, w->header, sizeof w->header, 0) !=
	    sizeof w->header || memcmp(w->header, "ElfFile", 8) != 0) {
		*cause = xstrdup("cannot open: no EVTX file header");
		goto fail;
	}
	memcpy(&stored, w->header + 124, 4);
	stored = le32toh(stored);
	crc = evtx_window_crc32(w->header, 120);

	memcpy(&block, w->header + 40, 2);
	block = le16toh(block);
	memcpy(&chunks, w->header + 42, 2);
	chunks = le16toh(chunks);
	/*
	 * The chunks of the header's count that fall in the window: libevtx
	 * calls a file damaged whose count of good chunks differs, so a
	 * window short of the count would be, and the last window keeps
	 * what lies beyond its end (the file has fewer chunks than said).
	 */
	if ((expect = evtx_window_log(s, first, count, &scan)) == -1) {
		expect = chunks > first ? chunks - first : 0;
		if (count >= 0 && expect > count)
			expect = count;
	}
	w->base = (off_t)block + first * EVTX_CHUNK_SIZE;
	avail = fsize > w->base ? (fsize - w->base) / EVTX_CHUNK_SIZE : 0;
	if (count < 0 || count > avail)
		count = avail;
	w->size = EVTX_HEADER_SIZE + count * EVTX_CHUNK_SIZE;

	block = htole16(EVTX_HEADER_SIZE);
	memcpy(w->header + 40, &block, 2);
	/* First and last chunk numbers agree with the count, as they do
	 * in the file (evtx_window_chunks windows no other file). */
	u64 = 0;
	memcpy(w->header + 8, &u64, 8);
	u64 = htole64(expect > 0 ? expect - 1 : 0);
	memcpy(w->header + 16, &u64, 8);
	chunks = htole16(expect);
	memcpy(w->header + 42, &chunks, 2);
	u32 = evtx_window_crc32(w->header, 120);
	if (crc != stored)
		u32 = ~u32;
	u32 = htole32(u32);
	memcpy(w->header + 124, &u32, 4);

handle:
	if (libbfio_handle_initialize(&h, (intptr_t *)w, evtx_window_free,
	    evtx_window_clone, evtx_window_open, evtx_window_close,
	    evtx_window_read, evtx_window_write, evtx_window_seek,
	    evtx_window_exists, evtx_window_is_open, evtx_window_get_size,
	    LIBBFIO_FLAG_IO_HANDLE_MANAGED |
	    LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION, NULL) != 1) {
		*cause = xstrdup("cannot open: libbfio failed");
		goto fail;
	}
	*hp = h;
	return (0);

fail:
	free(w);
	return (-1);
}

/*
 * Read the file header of s into h (128 bytes) and judge it: 0 if it is
 * sound (good checksum, the usual block size) with its 16-bit chunk
 * count in *count and, in *scan, whether the chunks are to be found by
 * their signatures instead (the count is saturated, 65,535, or the
 * 64-bit chunk numbers say more than 65,535 chunks: past 4 GiB, where
 * 16 bits cannot count them); -1 if the header is unsound or its chunk
 * numbers disagree with its count in a file the count could describe,
 * and then the file is read whole, as libevtx judges it.
 *
 * A header whose count and chunk numbers agree is believed in a clean
 * file, as libevtx believes it: chunks past its count are slack space
 * (Windows writes the header when it closes the log), read for
 * recovered records, and in a dirty file they are log (libevtx's rule).
 */
static int
evtx_window_header(struct source_stream *s, unsigned char *h,
    int64_t *count, int *scan)
{
	uint64_t	 first, last;
	uint32_t	 stored;
	uint16_t	 block, chunks;

	if (source_pread(s, h, 128, 0) != 128 || memcmp(h, "ElfFile", 8) != 0)
		return (-1);
	memcpy(&first, h + 8, 8);
	memcpy(&last, h + 16, 8);
	memcpy(&block, h + 40, 2);
	memcpy(&chunks, h + 42, 2);
	memcpy(&stored, h + 124, 4);
	first = le64toh(first);
	last = le64toh(last);
	*count = le16toh(chunks);
	if (le32toh(stored) != evtx_window_crc32(h, 120) ||
	    le16toh(block) != EVTX_HEADER_SIZE)
		return (-1);
	*scan = *count == 0xffff ||
	    (last >= first && last - first + 1 > 0xffff);
	if (*scan)
		return (0);
	/* libevtx reads the chunk numbers as 16 bits. */
	first = (uint16_t)first;
	last = (uint16_t)last;
	if (first > last || (uint64_t)*count != last - first + 1)
		return (-1);
	return (0);
}

/*
 * The log chunks (not slack space) of a file whose chunks are found by
 * their signatures, among those from chunk first to the end: up to the
 * last with a signature ("ElfChnk\0"; one pread of 8 bytes a chunk), or
 * to the last the 64-bit chunk numbers of the header h count, if more
 * (damaged chunks are log chunks still), numbered from first.  A chunk
 * whose signature is damaged keeps its slot: the numbering is the whole
 * file's.
 */
static int64_t
evtx_window_scan(struct source_stream *s, const unsigned char *h,
    int64_t first)
{
	unsigned char	 sig[8];
	uint64_t	 f, l;
	int64_t		 fsize, avail, k, n = 0;

	if ((fsize = source_size(s)) == -1 || fsize < EVTX_HEADER_SIZE)
		return (0);
	avail = (fsize - EVTX_HEADER_SIZE) / EVTX_CHUNK_SIZE;
	for (k = first; k < avail; k++) {
		if (source_pread(s, sig, sizeof sig, EVTX_HEADER_SIZE +
		    k * EVTX_CHUNK_SIZE) != sizeof sig)
			break;
		if (memcmp(sig, "ElfChnk\0", 8) == 0)
			n = k + 1;
	}
	memcpy(&f, h + 8, 8);
	memcpy(&l, h + 16, 8);
	f = le64toh(f);
	l = le64toh(l);
	if (l >= f && l - f < (uint64_t)avail && (int64_t)(l - f + 1) > n)
		n = l - f + 1;
	return (n > first ? n - first : 0);
}

/*
 * The log chunks of chunks [first, first + count) of the stream s (count
 * < 0: to the end of the file), those a window on them shows libevtx
 * as counted by its header; *scan says whether they were found by their
 * signatures.  -1 if the header is unsound: the file is read whole.
 */
int64_t
evtx_window_log(struct source_stream *s, int64_t first, int64_t count,
    int *scan)
{
	unsigned char	 h[128];
	int64_t		 hcount, n;

	*scan = 0;
	if (evtx_window_header(s, h, &hcount, scan) != 0)
		return (-1);
	if (!*scan)
		n = hcount > first ? hcount - first : 0;
	else if (count >= 0)
		n = count;	/* the planner's: a window of log chunks */
	else
		n = evtx_window_scan(s, h, first);
	if (count >= 0 && n > count)
		n = count;
	return (n);
}

/*
 * The number of log chunks of the stream, for the planner: the header's
 * count if it is sound and believed, those found by their signatures if
 * the count is saturated or short; -1 if the header is unsound, and then
 * the file is read whole.
 */
int64_t
evtx_window_chunks(struct source_stream *s)
{
	int	scan;

	return (evtx_window_log(s, 0, -1, &scan));
}
