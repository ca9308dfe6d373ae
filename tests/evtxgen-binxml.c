/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: the Binary XML writer: output buffers, UTF-16 text, typed
 * values and the event template.
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

const char *evtxgen_namestr[N_COUNT] = {
	"Event", "xmlns", "System", "Provider", "Name", "Guid", "EventID",
	"Version", "Level", "Task", "Opcode", "Keywords", "TimeCreated",
	"SystemTime", "EventRecordID", "Correlation", "Execution",
	"ProcessID", "ThreadID", "Channel", "Computer", "Security", "UserID",
	"EventData", "Data"
};

uint16_t	evtxgen_namehash[N_COUNT];

/* ---- output buffer ---------------------------------------------------- */

void
evtxgen_put(struct evtxgen_buf *w, const void *p, size_t n)
{
	if (w->ovf || n > w->cap - w->pos) {
		w->ovf = 1;
		return;
	}
	memcpy(w->b + w->pos, p, n);
	w->pos += n;
}

void
evtxgen_put8(struct evtxgen_buf *w, uint8_t v)
{
	evtxgen_put(w, &v, 1);
}

void
evtxgen_put16(struct evtxgen_buf *w, uint16_t v)
{
	uint8_t	b[2];

	evtxgen_le16(b, v);
	evtxgen_put(w, b, 2);
}

void
evtxgen_put32(struct evtxgen_buf *w, uint32_t v)
{
	uint8_t	b[4];

	evtxgen_le32(b, v);
	evtxgen_put(w, b, 4);
}

void
evtxgen_put64(struct evtxgen_buf *w, uint64_t v)
{
	uint8_t	b[8];

	evtxgen_le64(b, v);
	evtxgen_put(w, b, 8);
}

void
evtxgen_patch32(struct evtxgen_buf *w, size_t at, uint32_t v)
{
	if (!w->ovf && at + 4 <= w->pos)
		evtxgen_le32(w->b + at, v);
}
/* ---- text ------------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence; return its length or 0 if invalid.
 */
static int
evtxgen_utf8(const unsigned char *s, uint32_t *cp)
{
	uint32_t	c;
	int		n, i;

	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Append the UTF-16LE form of s to w; return the number of code units
 * or -1 if s is not valid UTF-8.
 */
static long
evtxgen_put_utf16(struct evtxgen_buf *w, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	long			 n = 0;
	int			 l;

	while (*p != '\0') {
		if (*p < 0x80) {
			evtxgen_put16(w, *p++);
			n++;
			continue;
		}
		if ((l = evtxgen_utf8(p, &cp)) == 0)
			return -1;
		p += l;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			evtxgen_put16(w, 0xd800 | (cp >> 10));
			evtxgen_put16(w, 0xdc00 | (cp & 0x3ff));
			n += 2;
		} else {
			evtxgen_put16(w, cp);
			n++;
		}
	}
	return n;
}

int
evtxgen_valid_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	int			 l;

	while (*p != '\0') {
		if ((l = evtxgen_utf8(p, &cp)) == 0)
			return 0;
		p += l;
	}
	return 1;
}

/*
 * The name hash Windows stores with each string table entry: h = h *
 * 65599 + c over the UTF-16 code units, truncated to 16 bits.
 */
uint16_t
evtxgen_name_hash(const char *s)
{
	uint32_t	h = 0;

	while (*s != '\0')
		h = h * 65599 + (unsigned char)*s++;
	return h & 0xffff;
}

/* ---- typed values ----------------------------------------------------- */

int
evtxgen_parse_dec(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t	x = 0;

	if (*s == '\0' || (*s == '0' && s[1] != '\0'))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (x > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return 0;
}

int
evtxgen_parse_hex(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t	x = 0;
	int		c, d;

	if (s[0] != '0' || s[1] != 'x' || s[2] == '\0')
		return -1;
	s += 2;
	if (*s == '0' && s[1] != '\0')
		return -1;
	for (; *s != '\0'; s++) {
		c = *s;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		if (x > (max >> 4))
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

int
evtxgen_hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, upper case, to 16 bytes. */
static int
evtxgen_parse_guid(const char *s, uint8_t g[16])
{
	static const int	 order[16] = {
		3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
	};
	uint8_t			 raw[16];
	int			 i, j, hi, lo;

	if (strlen(s) != 38 || s[0] != '{' || s[37] != '}' || s[9] != '-' ||
	    s[14] != '-' || s[19] != '-' || s[24] != '-')
		return -1;
	for (i = 1, j = 0; i < 37; ) {
		if (s[i] == '-') {
			i++;
			continue;
		}
		if ((hi = evtxgen_hexdig(s[i])) < 0 ||
		    (lo = evtxgen_hexdig(s[i + 1])) < 0)
			return -1;
		raw[j++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	if (j != 16)
		return -1;
	for (i = 0; i < 16; i++)
		g[order[i]] = raw[i];
	return 0;
}

/* S-1-5-21-...: revision, authority (< 2^32) and up to 15 sub-authorities. */
static int
evtxgen_parse_sid(const char *s, uint8_t *out, size_t *len)
{
	char		 tmp[256], *p, *q;
	uint64_t	 v, auth;
	int		 n = 0;

	if (strncmp(s, "S-", 2) != 0 || strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s + 2);
	p = tmp;
	if ((q = strchr(p, '-')) == NULL)
		return -1;
	*q = '\0';
	if (evtxgen_parse_dec(p, 255, &v) == -1)
		return -1;
	out[0] = (uint8_t)v;
	p = q + 1;
	q = strchr(p, '-');
	if (q != NULL)
		*q = '\0';
	if (evtxgen_parse_dec(p, 0xffffffffULL, &auth) == -1)
		return -1;
	out[2] = out[3] = 0;
	out[4] = (auth >> 24) & 0xff;
	out[5] = (auth >> 16) & 0xff;
	out[6] = (auth >> 8) & 0xff;
	out[7] = auth & 0xff;
	while (q != NULL) {
		p = q + 1;
		if ((q = strchr(p, '-')) != NULL)
			*q = '\0';
		if (n == 15 || evtxgen_parse_dec(p, 0xffffffffULL, &v) == -1)
			return -1;
		evtxgen_le32(out + 8 + 4 * n, (uint32_t)v);
		n++;
	}
	out[1] = (uint8_t)n;
	*len = 8 + 4 * (size_t)n;
	return 0;
}

/* Does s have the canonical text form of type t? */
int
evtxgen_type_ok(int t, const char *s)
{
	uint64_t	v;
	uint8_t		b[80];
	size_t		l;

	switch (t) {
	case T_U8:
		return evtxgen_parse_dec(s, 0xff, &v) == 0;
	case T_U16:
		return evtxgen_parse_dec(s, 0xffff, &v) == 0;
	case T_U32:
		return evtxgen_parse_dec(s, 0xffffffffULL, &v) == 0;
	case T_U64:
		return evtxgen_parse_dec(s, UINT64_MAX, &v) == 0;
	case T_HEX32:
		return evtxgen_parse_hex(s, 0xffffffffULL, &v) == 0;
	case T_HEX64:
		return evtxgen_parse_hex(s, UINT64_MAX, &v) == 0;
	case T_GUID:
		return evtxgen_parse_guid(s, b) == 0;
	case T_SID:
		return evtxgen_parse_sid(s, b, &l) == 0;
	default:
		return 1;
	}
}

/* Encode a value of type t (already validated) into w. */
int
evtxgen_put_value(struct evtxgen_buf *w, int t, const char *s)
{
	uint64_t	v = 0;
	uint8_t		b[80];
	size_t		l;

	switch (t) {
	case T_U8:
		evtxgen_parse_dec(s, 0xff, &v);
		evtxgen_put8(w, (uint8_t)v);
		break;
	case T_U16:
		evtxgen_parse_dec(s, 0xffff, &v);
		evtxgen_put16(w, (uint16_t)v);
		break;
	case T_U32:
		evtxgen_parse_dec(s, 0xffffffffULL, &v);
		evtxgen_put32(w, (uint32_t)v);
		break;
	case T_U64:
		evtxgen_parse_dec(s, UINT64_MAX, &v);
		evtxgen_put64(w, v);
		break;
	case T_HEX32:
		evtxgen_parse_hex(s, 0xffffffffULL, &v);
		evtxgen_put32(w, (uint32_t)v);
		break;
	case T_HEX64:
		evtxgen_parse_hex(s, UINT64_MAX, &v);
		evtxgen_put64(w, v);
		break;
	case T_GUID:
		evtxgen_parse_guid(s, b);
		evtxgen_put(w, b, 16);
		break;
	case T_SID:
		evtxgen_parse_sid(s, b, &l);
		evtxgen_put(w, b, l);
		break;
	default:
		if (evtxgen_put_utf16(w, s) < 0)
			return -1;
		break;
	}
	return 0;
}
/* ---- binary XML ------------------------------------------------------- */

static void
evtxgen_put_name(struct evtxgen_chunk *ch, struct evtxgen_buf *w, int n,
    int *undo, int *nundo)
{
	uint32_t	here = (uint32_t)w->pos;
	int		b;

	if (ch->nameoff[n] != 0) {
		evtxgen_put32(w, ch->nameoff[n]);
		return;
	}
	/* First use in this chunk: define the name inline. */
	evtxgen_put32(w, here + 4);
	b = evtxgen_namehash[n] % 64;
	evtxgen_put32(w, ch->strhead[b]);
	evtxgen_put16(w, evtxgen_namehash[n]);
	evtxgen_put16(w, (uint16_t)strlen(evtxgen_namestr[n]));
	evtxgen_put_utf16(w, evtxgen_namestr[n]);
	evtxgen_put16(w, 0);
	if (w->ovf)
		return;
	ch->strhead[b] = here + 4;
	ch->nameoff[n] = here + 4;
	undo[(*nundo)++] = n;
}

/* Open element; returns the position of its size field. */
static size_t
evtxgen_open(struct evtxgen_tctx *t, int name, int attrs, size_t *apos)
{
	size_t	sz;

	evtxgen_put8(t->w, attrs ? 0x41 : 0x01);
	evtxgen_put16(t->w, 0xffff);
	sz = t->w->pos;
	evtxgen_put32(t->w, 0);
	evtxgen_put_name(t->ch, t->w, name, t->undo, &t->nundo);
	if (attrs) {
		*apos = t->w->pos;
		evtxgen_put32(t->w, 0);
	}
	return sz;
}

static void
evtxgen_attr(struct evtxgen_tctx *t, int name, int more)
{
	evtxgen_put8(t->w, more ? 0x46 : 0x06);
	evtxgen_put_name(t->ch, t->w, name, t->undo, &t->nundo);
}

static void
evtxgen_text(struct evtxgen_tctx *t, const char *s)
{
	size_t	at;
	long	n;

	evtxgen_put8(t->w, 0x05);
	evtxgen_put8(t->w, T_STR);
	at = t->w->pos;
	evtxgen_put16(t->w, 0);
	n = evtxgen_put_utf16(t->w, s);
	if (!t->w->ovf)
		evtxgen_le16(t->w->b + at, (uint16_t)n);
}

static void
evtxgen_subst(struct evtxgen_tctx *t, int optional, uint16_t idx, int type)
{
	evtxgen_put8(t->w, optional ? 0x0e : 0x0d);
	evtxgen_put16(t->w, idx);
	evtxgen_put8(t->w, (uint8_t)type);
}

static void
evtxgen_endattrs(struct evtxgen_tctx *t, size_t apos)
{
	evtxgen_patch32(t->w, apos, (uint32_t)(t->w->pos - apos - 4));
}

static void
evtxgen_close(struct evtxgen_tctx *t, size_t sz, int empty)
{
	evtxgen_put8(t->w, empty ? 0x03 : 0x04);
	evtxgen_patch32(t->w, sz, (uint32_t)(t->w->pos - sz - 4));
}

/* <Name>[subst]</Name> */
static void
evtxgen_simple(struct evtxgen_tctx *t, int name, uint16_t idx, int type)
{
	size_t	sz;

	sz = evtxgen_open(t, name, 0, NULL);
	evtxgen_put8(t->w, 0x02);
	evtxgen_subst(t, 1, idx, type);
	/* -P: a PI target inside EventID, after its value (libevtx refuses
	   it; a reader must not lose the template's later records). */
	if (name == N_EVENTID && evtxgen_pi) {
		evtxgen_put8(t->w, 0x0a);
		evtxgen_put_name(t->ch, t->w, N_NAME, t->undo, &t->nundo);
	}
	evtxgen_close(t, sz, 0);
}

const char *
evtxgen_fname(const struct evtxgen_field *f)
{
	return f->extra ? A(f->noff) : f->name;
}

void
evtxgen_template_body(struct evtxgen_tctx *t, const struct evtxgen_event *ev)
{
	const struct evtxgen_kind	*k = ev->kind;
	size_t				 ev_sz, sys_sz, sz, ap, ed_sz;
	int				 i;

	/* Fragment header. */
	evtxgen_put8(t->w, 0x0f);
	evtxgen_put8(t->w, 1);
	evtxgen_put8(t->w, 1);
	evtxgen_put8(t->w, 0);

	ev_sz = evtxgen_open(t, N_EVENT, 1, &ap);
	evtxgen_attr(t, N_XMLNS, 0);
	evtxgen_text(t, "http://schemas.microsoft.com/win/2004/08/events/event");
	evtxgen_endattrs(t, ap);
	evtxgen_put8(t->w, 0x02);

	sys_sz = evtxgen_open(t, N_SYSTEM, 0, NULL);
	evtxgen_put8(t->w, 0x02);

	sz = evtxgen_open(t, N_PROVIDER, 1, &ap);
	evtxgen_attr(t, N_NAME, 1);
	evtxgen_text(t, k->provider);
	evtxgen_attr(t, N_GUID, 0);
	evtxgen_text(t, k->guid);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	evtxgen_simple(t, N_EVENTID, S_EVENTID, T_U16);
	evtxgen_simple(t, N_VERSION, S_VERSION, T_U8);
	evtxgen_simple(t, N_LEVEL, S_LEVEL, T_U8);
	evtxgen_simple(t, N_TASK, S_TASK, T_U16);
	evtxgen_simple(t, N_OPCODE, S_OPCODE, T_U8);
	evtxgen_simple(t, N_KEYWORDS, S_KEYWORDS, T_HEX64);

	sz = evtxgen_open(t, N_TIMECREATED, 1, &ap);
	evtxgen_attr(t, N_SYSTEMTIME, 0);
	evtxgen_subst(t, 1, S_TIME, T_FT);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	evtxgen_simple(t, N_EVENTRECORDID, S_RECORDID, T_U64);

	sz = evtxgen_open(t, N_CORRELATION, 0, NULL);
	evtxgen_close(t, sz, 1);

	sz = evtxgen_open(t, N_EXECUTION, 1, &ap);
	evtxgen_attr(t, N_PROCESSID, 1);
	evtxgen_subst(t, 1, S_PID, T_U32);
	evtxgen_attr(t, N_THREADID, 0);
	evtxgen_subst(t, 1, S_TID, T_U32);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	sz = evtxgen_open(t, N_CHANNEL, 0, NULL);
	evtxgen_put8(t->w, 0x02);
	evtxgen_text(t, k->channel);
	evtxgen_close(t, sz, 0);

	evtxgen_simple(t, N_COMPUTER, S_COMPUTER, T_STR);

	sz = evtxgen_open(t, N_SECURITY, 1, &ap);
	evtxgen_attr(t, N_USERID, 0);
	evtxgen_subst(t, 1, S_USERID, T_SID);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	evtxgen_close(t, sys_sz, 0);

	ed_sz = evtxgen_open(t, N_EVENTDATA, 0, NULL);
	if (ev->nfield == 0)
		evtxgen_close(t, ed_sz, 1);
	else {
		evtxgen_put8(t->w, 0x02);
		for (i = 0; i < ev->nfield; i++) {
			sz = evtxgen_open(t, N_DATA, 1, &ap);
			evtxgen_attr(t, N_NAME, 0);
			evtxgen_text(t, evtxgen_fname(&ev->field[i]));
			evtxgen_endattrs(t, ap);
			evtxgen_put8(t->w, 0x02);
			evtxgen_subst(t, 0, (uint16_t)(S_NSYS + i),
			    ev->field[i].type);
			evtxgen_close(t, sz, 0);
		}
		evtxgen_close(t, ed_sz, 0);
	}
	evtxgen_close(t, ev_sz, 0);
	evtxgen_put8(t->w, 0x00);	/* end of fragment */
}

uint64_t
evtxgen_template_key(const struct evtxgen_event *ev)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	const char	*s;
	uint8_t		t;
	int		i;

	h = evtxgen_fnv(h, ev->kind->kw, strlen(ev->kind->kw) + 1);
	for (i = 0; i < ev->nfield; i++) {
		s = evtxgen_fname(&ev->field[i]);
		h = evtxgen_fnv(h, s, strlen(s) + 1);
		t = (uint8_t)ev->field[i].type;
		h = evtxgen_fnv(h, &t, 1);
	}
	return h;
}
