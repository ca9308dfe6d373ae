/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The wire between workers and the loader, all of it.  A message is a
 * 32-bit length (of the type byte and payload), a type byte and the
 * payload:
 *	H  SHA-256 hex and size (part 0 only, before anything else)
 *	I  facts of the part's window: version, flags, counts (every part)
 *	R  a process row		P  an unreadable record
 *	N  counts of this part: records, unreadable records, slack-space
 *	   candidates recovered, candidates that could not be read
 *	E  the source could not be opened: the reason
 *	D  done
 * and from a lister (ingest-list.c):
 *	L  a part of the archive's record (container_archive_take) and
 *	   the slot holding the bytes of the log it ends with, or -1
 *	B  still at work: a beat		D  done
 * Integers are host order (both ends are the same binary); a string is
 * a 32-bit length and its bytes, with 0xffffffff for NULL.  A decoder
 * never trusts a length: a short, long or malformed payload is an error.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"

#define INGEST_WIRE_NULL	0xffffffffU

struct ingest_wire_in {
	const unsigned char	*p, *end;
	int			 bad;
};

/* Start a message of this type; ingest_wire_end frames it. */
static size_t
ingest_wire_begin(struct buf *b, char type)
{
	uint32_t	zero = 0;
	size_t		start = b->len;

	buf_append(b, &zero, sizeof zero);
	buf_append(b, &type, 1);
	return (start);
}

static void
ingest_wire_end(struct buf *b, size_t start)
{
	uint32_t	len;

	len = b->len - start - sizeof len;
	memcpy(b->data + start, &len, sizeof len);
}

static void
ingest_wire_u64(struct buf *b, uint64_t v)
{
	buf_append(b, &v, sizeof v);
}

static void
ingest_wire_str(struct buf *b, const char *s)
{
	uint32_t	n;

	n = (s == NULL) ? INGEST_WIRE_NULL : (uint32_t)strlen(s);
	buf_append(b, &n, sizeof n);
	if (s != NULL)
		buf_append(b, s, n);
}

static uint64_t
ingest_wire_get_u64(struct ingest_wire_in *in)
{
	uint64_t	v = 0;

	if (in->end - in->p < (long)sizeof v) {
		in->bad = 1;
		return (0);
	}
	memcpy(&v, in->p, sizeof v);
	in->p += sizeof v;
	return (v);
}

static char *
ingest_wire_get_str(struct ingest_wire_in *in)
{
	uint32_t	n;

	if (in->end - in->p < (long)sizeof n) {
		in->bad = 1;
		return (NULL);
	}
	memcpy(&n, in->p, sizeof n);
	in->p += sizeof n;
	if (n == INGEST_WIRE_NULL)
		return (NULL);
	if ((uint64_t)(in->end - in->p) < n) {
		in->bad = 1;
		return (NULL);
	}
	in->p += n;
	return (xstrndup((const char *)in->p - n, n));
}

/* Is the payload read exactly, and well? */
static int
ingest_wire_done(struct ingest_wire_in *in)
{
	return (in->bad || in->p != in->end ? -1 : 0);
}

/* H: the 64 hex digits of the source's SHA-256 and the size hashed. */
void
ingest_wire_put_hash(struct buf *b, const char *sha, int64_t size)
{
	size_t	start;

	start = ingest_wire_begin(b, 'H');
	buf_append(b, sha, 64);
	ingest_wire_u64(b, (uint64_t)size);
	ingest_wire_end(b, start);
}

/* I: what the reader said of the part when it opened it. */
void
ingest_wire_put_info(struct buf *b, const struct evt_file_info *fi)
{
	size_t	start;

	start = ingest_wire_begin(b, 'I');
	ingest_wire_u64(b, fi->major);
	ingest_wire_u64(b, fi->minor);
	ingest_wire_u64(b, fi->dirty);
	ingest_wire_u64(b, fi->corrupted);
	ingest_wire_u64(b, fi->records);
	ingest_wire_u64(b, fi->recovered);
	ingest_wire_u64(b, (uint64_t)fi->declared);
	ingest_wire_end(b, start);
}

void
ingest_wire_put_row(struct buf *b, const struct proc_row *r)
{
	uint64_t	 v[6];
	uint32_t	 len[PROC_NCOLS], n;
	size_t		 size;
	unsigned char	*p;
	int		 i;

	/*
	 * As ingest_wire_begin, _u64, _str and _end write it, in one piece:
	 * the size is known first (a row is the most common message).
	 */
	v[0] = r->kind;
	v[1] = (uint64_t)r->record_index;
	v[2] = r->record_id;
	v[3] = (r->recovered ? 1 : 0) | (r->fast ? 2 : 0);
	v[4] = r->event_id;
	v[5] = (uint64_t)(int64_t)r->version;
	size = sizeof n + 1 + sizeof v;
	for (i = 0; i < PROC_NCOLS; i++) {
		len[i] = r->col[i] == NULL ? INGEST_WIRE_NULL :
		    (uint32_t)strlen(r->col[i]);
		size += sizeof n + (r->col[i] == NULL ? 0 : len[i]);
	}
	p = buf_extend(b, size);
	n = size - sizeof n;
	memcpy(p, &n, sizeof n);
	p[sizeof n] = 'R';
	p += sizeof n + 1;
	memcpy(p, v, sizeof v);
	p += sizeof v;
	for (i = 0; i < PROC_NCOLS; i++) {
		memcpy(p, &len[i], sizeof len[i]);
		p += sizeof len[i];
		if (r->col[i] != NULL) {
			memcpy(p, r->col[i], len[i]);
			p += len[i];
		}
	}
}

void
ingest_wire_put_problem(struct buf *b, const struct evt_problem *pb)
{
	size_t	start;

	start = ingest_wire_begin(b, 'P');
	ingest_wire_u64(b, (uint64_t)(int64_t)pb->record_index);
	ingest_wire_u64(b, pb->recovered);
	ingest_wire_u64(b, (uint64_t)pb->offset);
	ingest_wire_str(b, pb->reason);
	ingest_wire_end(b, start);
}

void
ingest_wire_put_counts(struct buf *b, const struct ingest_counts *n)
{
	size_t	start;

	start = ingest_wire_begin(b, 'N');
	ingest_wire_u64(b, (uint64_t)n->records);
	ingest_wire_u64(b, (uint64_t)n->unreadable);
	ingest_wire_u64(b, (uint64_t)n->recovered);
	ingest_wire_u64(b, (uint64_t)n->slack_bad);
	ingest_wire_u64(b, (uint64_t)n->fast);
	ingest_wire_end(b, start);
}

/* E: the reason, as bytes (no length: the frame has it). */
void
ingest_wire_put_error(struct buf *b, const char *cause)
{
	size_t	start;

	start = ingest_wire_begin(b, 'E');
	buf_append_str(b, cause);
	ingest_wire_end(b, start);
}

void
ingest_wire_put_done(struct buf *b)
{
	ingest_wire_end(b, ingest_wire_begin(b, 'D'));
}

/*
 * In a worker or a lister: write the messages in b down fd, all of
 * them, and empty b; if the loader is gone, end.
 */
void
ingest_wire_send(int fd, struct buf *b)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < b->len) {
		n = write(fd, b->data + off, b->len - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			_exit(3);
		}
		off += n;
	}
	b->len = 0;
}

/*
 * Read what fd has sent into in: 1, or 0 at its end or on an error; if
 * bytes came, *progress is now (the time limit is on progress).
 */
int
ingest_wire_read(int fd, struct ingest_inbuf *in, time_t *progress)
{
	ssize_t	n;

	if (in->size - in->len < 65536) {
		in->size = in->size == 0 ? 131072 : in->size * 2;
		in->buf = xreallocarray(in->buf, 1, in->size);
	}
	n = read(fd, in->buf + in->len, in->size - in->len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return (1);
	if (n <= 0)
		return (0);
	in->len += n;
	*progress = time(NULL);
	return (1);
}

/*
 * The next whole message in in at *off: 1, and *off past it; 0 if the
 * rest is not whole yet (the messages before are dropped then: their
 * payloads with them); -1 if the stream is lost.
 */
int
ingest_wire_next(struct ingest_inbuf *in, size_t *off, char *type,
    const unsigned char **p, size_t *len)
{
	int	used;

	used = ingest_wire_frame(in->buf + *off, in->len - *off, type, p, len);
	if (used > 0) {
		*off += used;
		return (1);
	}
	if (used == 0) {
		memmove(in->buf, in->buf + *off, in->len - *off);
		in->len -= *off;
		*off = 0;
	}
	return (used);
}

/* L: the slot as 64 bits (-1 for none), then the part's bytes. */
void
ingest_wire_put_listed(struct buf *b, int slot, const void *rec, size_t len)
{
	size_t	start;

	start = ingest_wire_begin(b, 'L');
	ingest_wire_u64(b, (uint64_t)(int64_t)slot);
	buf_append(b, rec, len);
	ingest_wire_end(b, start);
}

void
ingest_wire_put_beat(struct buf *b)
{
	ingest_wire_end(b, ingest_wire_begin(b, 'B'));
}

/*
 * Find the first message in the len bytes at p: its type and payload.
 * Returns the bytes it takes, 0 if it is not all there yet, or -1 if
 * the length cannot be one (the stream is lost).
 */
int
ingest_wire_frame(const unsigned char *p, size_t len, char *type,
    const unsigned char **payload, size_t *plen)
{
	uint32_t	n;

	if (len < sizeof n)
		return (0);
	memcpy(&n, p, sizeof n);
	if (n == 0 || n > INGEST_WIRE_MAX)
		return (-1);
	if (len - sizeof n < n)
		return (0);
	*type = (char)p[sizeof n];
	*payload = p + sizeof n + 1;
	*plen = n - 1;
	return ((int)(sizeof n + n));
}

/* The hash into sha (65 bytes) and the size it is of. */
int
ingest_wire_get_hash(const unsigned char *p, size_t len, char *sha,
    int64_t *size)
{
	struct ingest_wire_in	in;

	if (len < 64)
		return (-1);
	in.p = p + 64;
	in.end = p + len;
	in.bad = 0;
	*size = (int64_t)ingest_wire_get_u64(&in);
	if (ingest_wire_done(&in) != 0)
		return (-1);
	memcpy(sha, p, 64);
	sha[64] = '\0';
	return (0);
}

int
ingest_wire_get_info(const unsigned char *p, size_t len,
    struct evt_file_info *fi)
{
	struct ingest_wire_in	in = { p, p + len, 0 };

	memset(fi, 0, sizeof *fi);
	fi->major = ingest_wire_get_u64(&in);
	fi->minor = ingest_wire_get_u64(&in);
	fi->dirty = ingest_wire_get_u64(&in);
	fi->corrupted = ingest_wire_get_u64(&in) != 0;
	fi->records = ingest_wire_get_u64(&in);
	fi->recovered = ingest_wire_get_u64(&in);
	fi->declared = (int64_t)ingest_wire_get_u64(&in);
	return (ingest_wire_done(&in));
}

/* A row into r, which the caller clears (event_norm_clear) on success. */
int
ingest_wire_get_row(const unsigned char *p, size_t len, struct proc_row *r)
{
	struct ingest_wire_in	in = { p, p + len, 0 };
	uint64_t		v;
	int			i;

	memset(r, 0, sizeof *r);
	r->kind = ingest_wire_get_u64(&in) ? PROC_KIND_END : PROC_KIND_START;
	r->record_index = (int64_t)ingest_wire_get_u64(&in);
	r->record_id = ingest_wire_get_u64(&in);
	v = ingest_wire_get_u64(&in);
	r->recovered = (v & 1) != 0;
	r->fast = (v & 2) != 0;
	r->event_id = ingest_wire_get_u64(&in);
	r->version = (int)(int64_t)ingest_wire_get_u64(&in);
	for (i = 0; i < PROC_NCOLS && !in.bad; i++)
		r->col[i] = ingest_wire_get_str(&in);
	if (ingest_wire_done(&in) != 0) {
		event_norm_clear(r);
		return (-1);
	}
	return (0);
}

/* A problem into pb; the caller frees pb->reason on success. */
int
ingest_wire_get_problem(const unsigned char *p, size_t len,
    struct evt_problem *pb)
{
	struct ingest_wire_in	in = { p, p + len, 0 };

	memset(pb, 0, sizeof *pb);
	pb->record_index = (int)(int64_t)ingest_wire_get_u64(&in);
	pb->recovered = ingest_wire_get_u64(&in) != 0;
	pb->offset = (int64_t)ingest_wire_get_u64(&in);
	pb->reason = ingest_wire_get_str(&in);
	if (ingest_wire_done(&in) != 0 || pb->reason == NULL) {
		free(pb->reason);
		pb->reason = NULL;
		return (-1);
	}
	return (0);
}

int
ingest_wire_get_counts(const unsigned char *p, size_t len,
    struct ingest_counts *n)
{
	struct ingest_wire_in	in = { p, p + len, 0 };

	n->records = (int64_t)ingest_wire_get_u64(&in);
	n->unreadable = (int64_t)ingest_wire_get_u64(&in);
	n->recovered = (int64_t)ingest_wire_get_u64(&in);
	n->slack_bad = (int64_t)ingest_wire_get_u64(&in);
	n->fast = (int64_t)ingest_wire_get_u64(&in);
	return (ingest_wire_done(&in));
}

/* The reason an E message gives, which the caller frees. */
char *
ingest_wire_get_error(const unsigned char *p, size_t len)
{
	return (xstrndup((const char *)p, len));
}

int
ingest_wire_get_done(const unsigned char *p, size_t len)
{
	return (len == 0 ? 0 : -1);
}

int
ingest_wire_get_listed(const unsigned char *p, size_t len, int *slot,
    const unsigned char **rec, size_t *rlen)
{
	struct ingest_wire_in	in;
	int64_t			v;

	in.p = p;
	in.end = p + len;
	in.bad = 0;
	v = (int64_t)ingest_wire_get_u64(&in);
	if (in.bad || v < -1 || v > INT32_MAX)
		return (-1);
	*slot = (int)v;
	*rec = in.p;
	*rlen = in.end - in.p;
	return (0);
}
