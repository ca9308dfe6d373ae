/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The payloads that parser workers send to the loader over a pipe.
 * Integers are host order (both ends are the same binary); a string is
 * a 32-bit length and its bytes, with 0xffffffff for NULL.  A decoder
 * never trusts a length: a short or malformed payload is an error.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define EVENT_WIRE_NULL 0xffffffffU

struct event_wire_in {
	const unsigned char	*p, *end;
	int			 bad;
};

static void
event_wire_put_u64(struct buf *b, uint64_t v)
{
	buf_append(b, &v, sizeof v);
}

static void
event_wire_put_str(struct buf *b, const char *s)
{
	uint32_t	n;

	n = (s == NULL) ? EVENT_WIRE_NULL : (uint32_t)strlen(s);
	buf_append(b, &n, sizeof n);
	if (s != NULL)
		buf_append(b, s, n);
}

static uint64_t
event_wire_get_u64(struct event_wire_in *in)
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
event_wire_get_str(struct event_wire_in *in)
{
	uint32_t	n;

	if (in->end - in->p < (long)sizeof n) {
		in->bad = 1;
		return (NULL);
	}
	memcpy(&n, in->p, sizeof n);
	in->p += sizeof n;
	if (n == EVENT_WIRE_NULL)
		return (NULL);
	if ((uint64_t)(in->end - in->p) < n) {
		in->bad = 1;
		return (NULL);
	}
	in->p += n;
	return (xstrndup((const char *)in->p - n, n));
}

void
event_wire_put_row(struct buf *b, const struct proc_row *r)
{
	int	i;

	event_wire_put_u64(b, r->kind);
	event_wire_put_u64(b, (uint64_t)r->record_index);
	event_wire_put_u64(b, r->record_id);
	event_wire_put_u64(b, r->recovered);
	event_wire_put_u64(b, r->event_id);
	event_wire_put_u64(b, (uint64_t)(int64_t)r->version);
	for (i = 0; i < PROC_NCOLS; i++)
		event_wire_put_str(b, r->col[i]);
}

int
event_wire_get_row(const unsigned char *p, size_t len, struct proc_row *r)
{
	struct event_wire_in	in = { p, p + len, 0 };
	int			i;

	memset(r, 0, sizeof *r);
	r->kind = event_wire_get_u64(&in) ? PROC_KIND_END : PROC_KIND_START;
	r->record_index = (int64_t)event_wire_get_u64(&in);
	r->record_id = event_wire_get_u64(&in);
	r->recovered = event_wire_get_u64(&in) != 0;
	r->event_id = event_wire_get_u64(&in);
	r->version = (int)(int64_t)event_wire_get_u64(&in);
	for (i = 0; i < PROC_NCOLS && !in.bad; i++)
		r->col[i] = event_wire_get_str(&in);
	if (in.bad || in.p != in.end) {
		event_norm_clear(r);
		return (-1);
	}
	return (0);
}

void
event_wire_put_problem(struct buf *b, const struct evt_problem *pb)
{
	event_wire_put_u64(b, (uint64_t)(int64_t)pb->record_index);
	event_wire_put_u64(b, pb->recovered);
	event_wire_put_u64(b, (uint64_t)pb->offset);
	event_wire_put_str(b, pb->reason);
}

int
event_wire_get_problem(const unsigned char *p, size_t len,
    struct evt_problem *pb)
{
	struct event_wire_in	in = { p, p + len, 0 };

	memset(pb, 0, sizeof *pb);
	pb->record_index = (int)(int64_t)event_wire_get_u64(&in);
	pb->recovered = event_wire_get_u64(&in) != 0;
	pb->offset = (int64_t)event_wire_get_u64(&in);
	pb->reason = event_wire_get_str(&in);
	if (in.bad || in.p != in.end || pb->reason == NULL) {
		free(pb->reason);
		pb->reason = NULL;
		return (-1);
	}
	return (0);
}
