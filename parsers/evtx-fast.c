/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * A fast EVTX decoder beside libevtx.  It walks the chunks and records of
 * a file (or a window of it) and decodes each record's Binary XML only as
 * far as evtriage needs: the System values of every record, and the
 * EventData fields only of the process events it loads.  Nothing is
 * rendered as XML and nothing is allocated per record: strings go into an
 * arena and a field table kept between records.
 *
 * Records are numbered as libevtx 20181227 numbers its allocated records
 * (libevtx_file.c, libevtx_chunk.c): chunks in file order, from the
 * header's end, while a whole chunk remains; in a chunk with a good
 * signature, the records from offset 512 for as long as each has the
 * signature, a size of at least 24 that leaves 4 bytes to the chunk's
 * end and a matching size copy, up to the chunk's last record offset.
 * Chunks past the header's chunk count hold recovered records unless the
 * file is dirty.  A chunk whose checksums fail is still numbered record
 * by record, but its records are declined, so that the caller reads them
 * with libevtx; so is a record whose Binary XML this decoder cannot
 * read.  Recovered records (free space, chunks past the count) are left
 * to libevtx.
 *
 * A template is found once a chunk (cached by its offset) and given a
 * plan the first time a record of the chunk uses it: where the text of
 * each System value evtriage keeps is in the template (its text tokens),
 * which substitutions come before System's end, and where the walk goes
 * on after it.  Each later record of that template reads those values
 * with its own substitution values through the same functions as the
 * walk, decides from the event id and provider whether it is a process
 * event, and walks the rest (EventData) only if it is.  A template
 * whose System holds anything else (Binary XML in a value, a template,
 * CDATA, an element inside a value) has no plan and is walked.
 *
 * UTF-16 is decoded whole, surrogate pairs included.  A lone surrogate
 * is kept as the six characters \uD800 and an embedded NUL as \u0000
 * (trailing NULs, the strings' terminators, are dropped), so nothing is
 * cut or replaced silently.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define EVTX_FAST_HEADER	4096
#define EVTX_FAST_CHUNK		65536
#define EVTX_FAST_DEPTH		64	/* elements open at once */
#define EVTX_FAST_NEST		6	/* templates and BinXml values */
#define EVTX_FAST_TEMPLATES	128	/* cached per chunk, a power of 2 */
#define EVTX_FAST_PLAN_CAPS	8	/* System values a plan keeps */
#define EVTX_FAST_PLAN_IDS	32	/* substitutions before System ends */
#define EVTX_FAST_PLAN_DEPTH	8

/* What an element is to evtriage, from its name and where it is. */
enum evtx_fast_kind {
	EVTX_FAST_K_OTHER,
	EVTX_FAST_K_SYSTEM,
	EVTX_FAST_K_PROVIDER,
	EVTX_FAST_K_EVENTID,
	EVTX_FAST_K_VERSION,
	EVTX_FAST_K_TIME,
	EVTX_FAST_K_RECID,
	EVTX_FAST_K_CHANNEL,
	EVTX_FAST_K_COMPUTER,
	EVTX_FAST_K_SECURITY,
	EVTX_FAST_K_EVENTDATA,
	EVTX_FAST_K_DATA
};

/* A value: a substitution's or a value token's type and bytes. */
struct evtx_fast_val {
	uint32_t	 pos;		/* chunk offset of the data */
	uint16_t	 len;
	uint8_t		 type;
};

/* Where a System value's text is in a template: its text tokens. */
struct evtx_fast_pcap {
	uint32_t	 a, b;		/* [a, b): chunk offsets */
	int8_t		 field;		/* enum evtx_fast_kind */
	uint8_t		 depth;
	uint8_t		 attr;		/* an attribute, not content */
};

/*
 * A template's plan, made the first time a chunk's record uses it: the
 * text tokens of each System value evtriage keeps, the substitutions
 * read up to the end of System, and where the walk goes on after it.
 * A record of that template then reads its System values from its own
 * substitutions without walking the template's System again, and walks
 * the rest only if it is a process event.
 */
struct evtx_fast_plan {
	int		 state;		/* 0 not made, 1 made, -1 cannot be */
	uint32_t	 sys_end;	/* chunk offset past System's end */
	int		 depth;		/* elements open there */
	enum evtx_fast_kind stack[EVTX_FAST_PLAN_DEPTH];
	struct evtx_fast_pcap cap[EVTX_FAST_PLAN_CAPS];
	int		 ncap;
	int		 cap_open;	/* element content being read */
	uint16_t	 id[EVTX_FAST_PLAN_IDS];
	int		 nid;
};

struct evtx_fast_tpl {
	uint32_t	 off;		/* definition offset, 0 = empty slot */
	uint32_t	 body, end;	/* the fragment, chunk offsets */
	struct evtx_fast_plan plan;
};

struct evtx_fast {
	const uint8_t	*c;		/* the chunk being read */
	unsigned char	*cbuf;		/* a chunk read from a file */
	struct evtx_fast_tpl tpl[EVTX_FAST_TEMPLATES];

	/* Per record, reused. */
	struct buf	 arena;		/* NUL-terminated strings */
	struct evtx_fast_val *vals;	/* substitution values, all levels */
	size_t		 nvals, vcap;
	size_t		*fname, *fvalue;	/* arena offsets of fields */
	size_t		 nfields, fcap;
	struct evt_field *fields;
	size_t		 fieldscap;
	enum evtx_fast_kind stack[EVTX_FAST_DEPTH];
	int		 depth;
	int		 in_system, in_data;
	int		 system_done;	/* System closed: process event? */
	int		 want_data;
	int		 stop;		/* not a process event: done */
	int		 capture;	/* element depth whose text is kept */
	int		 cap_field;	/* enum kind being captured */
	int		 cap_null;	/* a NULL substitution was read */
	size_t		 cap_start;
	ssize_t		 data_name;	/* arena offset, -1 none */
	/* Results, as arena offsets (-1 absent). */
	ssize_t		 s_provider, s_channel, s_computer, s_user, s_time;
	ssize_t		 s_eventid, s_version, s_recid;
	int		 have_ft;
	uint64_t	 ft;		/* TimeCreated as a FILETIME */
	uint32_t	 event_id;
	int		 have_event_id;
	const char	*why;		/* why a record was declined */
	struct evtx_fast_plan *plan;	/* being made, or NULL */
	int		 plan_nest;	/* the nesting of the walk making it */
};

static uint32_t	evtx_fast_crc_table[8][256];

static void
evtx_fast_crc_init(void)
{
	uint32_t	c;
	int		i, k;

	if (evtx_fast_crc_table[0][1] != 0)
		return;
	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320 & -(c & 1));
		evtx_fast_crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = evtx_fast_crc_table[0][i];
		for (k = 1; k < 8; k++) {
			c = evtx_fast_crc_table[0][c & 0xff] ^ (c >> 8);
			evtx_fast_crc_table[k][i] = c;
		}
	}
}

/* The CRC-32 of EVTX (IEEE 802.3, reflected), eight bytes at a time. */
static uint32_t
evtx_fast_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
	uint32_t	c = ~crc, a, b;

	while (n >= 8) {
		a = (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24) ^ c;
		b = p[4] | p[5] << 8 | p[6] << 16 | (uint32_t)p[7] << 24;
		c = evtx_fast_crc_table[7][a & 0xff] ^
		    evtx_fast_crc_table[6][(a >> 8) & 0xff] ^
		    evtx_fast_crc_table[5][(a >> 16) & 0xff] ^
		    evtx_fast_crc_table[4][a >> 24] ^
		    evtx_fast_crc_table[3][b & 0xff] ^
		    evtx_fast_crc_table[2][(b >> 8) & 0xff] ^
		    evtx_fast_crc_table[1][(b >> 16) & 0xff] ^
		    evtx_fast_crc_table[0][b >> 24];
		p += 8;
		n -= 8;
	}
	while (n-- > 0)
		c = evtx_fast_crc_table[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return (~c);
}

static uint16_t
evtx_fast_u16(const uint8_t *p)
{
	return (p[0] | p[1] << 8);
}

static uint32_t
evtx_fast_u32(const uint8_t *p)
{
	return (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
}

static uint64_t
evtx_fast_u64(const uint8_t *p)
{
	return (evtx_fast_u32(p) | (uint64_t)evtx_fast_u32(p + 4) << 32);
}

struct evtx_fast *
evtx_fast_create(void)
{
	struct evtx_fast	*f;

	evtx_fast_crc_init();
	f = xcalloc(1, sizeof *f);
	return (f);
}

void
evtx_fast_free(struct evtx_fast *f)
{
	if (f == NULL)
		return;
	free(f->cbuf);
	buf_free(&f->arena);
	free(f->vals);
	free(f->fname);
	free(f->fvalue);
	free(f->fields);
	free(f);
}

/*
 * Append n UTF-16LE units as UTF-8.  Trailing NULs are terminators and
 * dropped; an inner NUL and a lone surrogate are written \u0000, \uD800.
 */
static void
evtx_fast_utf16(struct buf *b, const uint8_t *p, size_t n)
{
	static const char	 x[] = "0123456789ABCDEF";
	unsigned char		*o;
	uint64_t		 w;
	uint32_t		 u, v;
	size_t			 i;

	while (n > 0 && p[2 * n - 2] == 0 && p[2 * n - 1] == 0)
		n--;
	/* At most six bytes a unit (\uD800): make room once. */
	if (b->len + 6 * n + 1 > b->size) {
		if (b->size == 0)
			b->size = 256;
		while (b->len + 6 * n + 1 > b->size)
			b->size *= 2;
		b->data = xreallocarray(b->data, 1, b->size);
	}
	o = b->data + b->len;
	for (i = 0; i < n; i++) {
		/*
		 * Four ASCII units at once: no high byte, no bit 7, and no
		 * unit 0 (the borrow of w - 1 reaches bit 15 of a unit only
		 * from a zero one, or above one).
		 */
		while (i + 4 <= n) {
			w = evtx_fast_u64(p + 2 * i);
			if ((w & 0xff80ff80ff80ff80ULL) != 0 ||
			    ((w - 0x0001000100010001ULL) &
			    0x8000800080008000ULL) != 0)
				break;
			o[0] = p[2 * i];
			o[1] = p[2 * i + 2];
			o[2] = p[2 * i + 4];
			o[3] = p[2 * i + 6];
			o += 4;
			i += 4;
		}
		if (i == n)
			break;
		u = p[2 * i] | p[2 * i + 1] << 8;
		if (u < 0x80 && u != 0) {
			*o++ = u;
			continue;
		}
		if (u >= 0xd800 && u < 0xdc00 && i + 1 < n &&
		    (v = evtx_fast_u16(p + 2 * (i + 1))) >= 0xdc00 &&
		    v < 0xe000) {
			u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
			*o++ = 0xf0 | (u >> 18);
			*o++ = 0x80 | ((u >> 12) & 0x3f);
			*o++ = 0x80 | ((u >> 6) & 0x3f);
			*o++ = 0x80 | (u & 0x3f);
			i++;
		} else if (u == 0 || (u >= 0xd800 && u < 0xe000)) {
			*o++ = '\\';
			*o++ = 'u';
			*o++ = x[u >> 12];
			*o++ = x[(u >> 8) & 15];
			*o++ = x[(u >> 4) & 15];
			*o++ = x[u & 15];
		} else if (u < 0x800) {
			*o++ = 0xc0 | (u >> 6);
			*o++ = 0x80 | (u & 0x3f);
		} else {
			*o++ = 0xe0 | (u >> 12);
			*o++ = 0x80 | ((u >> 6) & 0x3f);
			*o++ = 0x80 | (u & 0x3f);
		}
	}
	*o = '\0';
	b->len = o - b->data;
}

/* Write v in decimal at o; the end. */
static char *
evtx_fast_dec(char *o, uint64_t v)
{
	char	t[20];
	int	n = 0;

	do {
		t[n++] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*o++ = t[--n];
	return (o);
}

/* Write v as w hexadecimal digits at o (upper case if up); the end. */
static char *
evtx_fast_hexw(char *o, uint64_t v, int w, int up)
{
	const char	*x = up ? "0123456789ABCDEF" : "0123456789abcdef";
	int		 i;

	for (i = w - 1; i >= 0; i--) {
		o[i] = x[v & 15];
		v >>= 4;
	}
	return (o + w);
}

/* Write a signed value in decimal at o; the end. */
static char *
evtx_fast_sdec(char *o, int64_t v)
{
	if (v >= 0)
		return (evtx_fast_dec(o, v));
	*o++ = '-';
	return (evtx_fast_dec(o, -(uint64_t)v));
}

/* Append a FILETIME as ISO UTC text with digits fractional digits. */
static void
evtx_fast_filetime(struct buf *b, uint64_t ft, int digits)
{
	char		 out[48], *o;
	uint64_t	 secs = ft / 10000000ULL;
	int64_t		 days, z, era, doe, yoe, y, doy, mp, d, m, s;
	uint32_t	 frac = ft % 10000000ULL;
	int		 i;

	/* Days since 1970 (civil_from_days, H. Hinnant's algorithm). */
	s = (int64_t)secs - 11644473600LL;
	days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	s -= days * 86400;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	o = out;
	if (y < 1000)
		*o++ = '0';
	o = evtx_fast_dec(o, y);
	*o++ = '-';
	*o++ = '0' + m / 10;
	*o++ = '0' + m % 10;
	*o++ = '-';
	*o++ = '0' + d / 10;
	*o++ = '0' + d % 10;
	*o++ = 'T';
	*o++ = '0' + s / 36000;
	*o++ = '0' + (s / 3600) % 10;
	*o++ = ':';
	*o++ = '0' + (s / 60 % 60) / 10;
	*o++ = '0' + (s / 60 % 60) % 10;
	*o++ = ':';
	*o++ = '0' + (s % 60) / 10;
	*o++ = '0' + (s % 60) % 10;
	*o++ = '.';
	for (i = 6; i >= 0; i--) {
		o[i] = '0' + frac % 10;
		frac /= 10;
	}
	o += 7;
	for (i = 7; i < digits; i++)
		*o++ = '0';
	*o++ = 'Z';
	buf_append(b, out, o - out);
}

static void
evtx_fast_hex(struct buf *b, const uint8_t *p, size_t n)
{
	static const char	 x[] = "0123456789ABCDEF";
	char			 h[2];
	size_t			 i;

	for (i = 0; i < n; i++) {
		h[0] = x[p[i] >> 4];
		h[1] = x[p[i] & 15];
		buf_append(b, h, 2);
	}
}

/* Append a SID as S-1-5-21-...; 0 if it is not one. */
static int
evtx_fast_sid(struct buf *b, const uint8_t *p, size_t n)
{
	uint64_t	auth = 0;
	char		t[16 + 11 * 256], *o = t;
	int		i;

	if (n < 8 || n < 8 + 4 * (size_t)p[1])
		return (0);
	for (i = 2; i < 8; i++)
		auth = auth << 8 | p[i];
	*o++ = 'S';
	*o++ = '-';
	o = evtx_fast_dec(o, p[0]);
	*o++ = '-';
	if (auth >> 32) {
		*o++ = '0';
		*o++ = 'x';
		o = evtx_fast_hexw(o, auth, 12, 0);
	} else
		o = evtx_fast_dec(o, auth);
	for (i = 0; i < p[1]; i++) {
		*o++ = '-';
		o = evtx_fast_dec(o, evtx_fast_u32(p + 8 + 4 * i));
	}
	buf_append(b, t, o - t);
	return (1);
}

/*
 * Append one value of a scalar type (not an array, not BinXml) as text,
 * the way libevtx renders it; -1 if the bytes do not fit the type.
 */
static int
evtx_fast_scalar(struct buf *b, uint8_t type, const uint8_t *p, size_t n)
{
	char		 t[64], *o;
	int		 k = -1;
	uint16_t	 st[8];
	size_t		 i;
	float		 fl;
	double		 db;

	switch (type) {
	case 0x00:
		return (0);
	case 0x01:
		evtx_fast_utf16(b, p, n / 2);
		return (0);
	case 0x02:
		while (n > 0 && p[n - 1] == '\0')
			n--;
		for (i = 0; i < n; i++) {
			if (p[i] == 0)
				buf_append(b, "\\u0000", 6);
			else
				buf_append_utf8(b, p[i]);
		}
		return (0);
	case 0x03:
		if (n == 1)
			k = evtx_fast_sdec(t, (int8_t)p[0]) - t;
		break;
	case 0x04:
		if (n == 1)
			k = evtx_fast_dec(t, p[0]) - t;
		break;
	case 0x05:
		if (n == 2)
			k = evtx_fast_sdec(t, (int16_t)evtx_fast_u16(p)) - t;
		break;
	case 0x06:
		if (n == 2)
			k = evtx_fast_dec(t, evtx_fast_u16(p)) - t;
		break;
	case 0x07:
		if (n == 4)
			k = evtx_fast_sdec(t, (int32_t)evtx_fast_u32(p)) - t;
		break;
	case 0x08:
		if (n == 4)
			k = evtx_fast_dec(t, evtx_fast_u32(p)) - t;
		break;
	case 0x09:
		if (n == 8)
			k = evtx_fast_sdec(t, (int64_t)evtx_fast_u64(p)) - t;
		break;
	case 0x0a:
		if (n == 8)
			k = evtx_fast_dec(t, evtx_fast_u64(p)) - t;
		break;
	case 0x0b:
		if (n == 4) {
			memcpy(&fl, p, 4);
			k = snprintf(t, sizeof t, "%g", fl);
		}
		break;
	case 0x0c:
		if (n == 8) {
			memcpy(&db, p, 8);
			k = snprintf(t, sizeof t, "%g", db);
		}
		break;
	case 0x0d:
		if (n == 4 || n == 1 || n == 2 || n == 8) {
			for (i = 0; i < n && p[i] == 0; i++)
				;
			k = snprintf(t, sizeof t, "%s",
			    i == n ? "false" : "true");
		}
		break;
	case 0x0e:
		evtx_fast_hex(b, p, n);
		return (0);
	case 0x0f:
		if (n == 16) {
			o = t;
			*o++ = '{';
			o = evtx_fast_hexw(o, evtx_fast_u32(p), 8, 1);
			*o++ = '-';
			o = evtx_fast_hexw(o, evtx_fast_u16(p + 4), 4, 1);
			*o++ = '-';
			o = evtx_fast_hexw(o, evtx_fast_u16(p + 6), 4, 1);
			*o++ = '-';
			for (i = 8; i < 16; i++) {
				if (i == 10)
					*o++ = '-';
				o = evtx_fast_hexw(o, p[i], 2, 1);
			}
			*o++ = '}';
			k = o - t;
		}
		break;
	case 0x10:
	case 0x14:
	case 0x15:
		t[0] = '0';
		t[1] = 'x';
		if (n == 4)
			k = evtx_fast_hexw(t + 2, evtx_fast_u32(p), 8, 0) - t;
		else if (n == 8)
			k = evtx_fast_hexw(t + 2, evtx_fast_u64(p), 16, 0) - t;
		break;
	case 0x11:
		if (n == 8) {
			evtx_fast_filetime(b, evtx_fast_u64(p), 9);
			return (0);
		}
		break;
	case 0x12:
		if (n == 16) {
			for (i = 0; i < 8; i++)
				st[i] = evtx_fast_u16(p + 2 * i);
			k = snprintf(t, sizeof t,
			    "%04u-%02u-%02uT%02u:%02u:%02u.%03u000000Z",
			    st[0], st[1], st[3], st[4], st[5], st[6], st[7]);
		}
		break;
	case 0x13:
		if (evtx_fast_sid(b, p, n))
			return (0);
		break;
	}
	if (k < 0)
		return (-1);
	buf_append(b, t, k);
	return (0);
}

/* The size of one element of an array type; 0 for strings and SIDs. */
static size_t
evtx_fast_elemsize(uint8_t type)
{
	switch (type) {
	case 0x03: case 0x04:
		return (1);
	case 0x05: case 0x06:
		return (2);
	case 0x07: case 0x08: case 0x0b: case 0x0d: case 0x14:
		return (4);
	case 0x09: case 0x0a: case 0x0c: case 0x11: case 0x15:
		return (8);
	case 0x0f: case 0x12:
		return (16);
	}
	return (0);
}

/* Append a value of any type but BinXml; arrays are joined with ", ". */
static int
evtx_fast_value(struct buf *b, uint8_t type, const uint8_t *p, size_t n)
{
	uint8_t		 et = type & 0x7f;
	size_t		 es, i, j, k;

	if ((type & 0x80) == 0)
		return (evtx_fast_scalar(b, type, p, n));
	if (et == 0x01) {
		/* NUL-terminated UTF-16 strings. */
		for (i = j = 0; i + 1 < n; i += 2) {
			if (evtx_fast_u16(p + i) != 0)
				continue;
			if (j != 0)
				buf_append(b, ", ", 2);
			evtx_fast_utf16(b, p + j, (i - j) / 2);
			j = i + 2;
		}
		if (j + 1 < n) {
			if (j != 0)
				buf_append(b, ", ", 2);
			evtx_fast_utf16(b, p + j, (n - j) / 2);
		}
		return (0);
	}
	if (et == 0x02) {
		for (i = j = 0; i <= n; i++) {
			if (i < n && p[i] != 0)
				continue;
			if (i == j && i == n)
				break;
			if (j != 0)
				buf_append(b, ", ", 2);
			for (k = j; k < i; k++)
				buf_append_utf8(b, p[k]);
			j = i + 1;
		}
		return (0);
	}
	if (et == 0x13) {
		for (i = 0, j = 0; i + 8 <= n; j++) {
			k = 8 + 4 * (size_t)p[i + 1];
			if (i + k > n)
				return (-1);
			if (j != 0)
				buf_append(b, ", ", 2);
			evtx_fast_sid(b, p + i, k);
			i += k;
		}
		return (0);
	}
	if (et == 0x10)
		et = 0x15;
	if ((es = evtx_fast_elemsize(et)) == 0 || n % es != 0)
		return (-1);
	for (i = 0; i < n; i += es) {
		if (i != 0)
			buf_append(b, ", ", 2);
		if (evtx_fast_scalar(b, et, p + i, es) != 0)
			return (-1);
	}
	return (0);
}

/* Does the name at chunk offset off read s? */
static int
evtx_fast_name_is(const uint8_t *c, uint32_t off, const char *s, size_t n)
{
	const uint8_t	*p = c + off + 8;
	size_t		 i;

	if (evtx_fast_u16(c + off + 6) != n)
		return (0);
	for (i = 0; i < n; i++) {
		if (p[2 * i] != (uint8_t)s[i] || p[2 * i + 1] != 0)
			return (0);
	}
	return (1);
}

#define EVTX_FAST_NAME(c, o, s) evtx_fast_name_is(c, o, s, sizeof s - 1)

/* Check the name at chunk offset off; its size if it is inline at pos. */
static int
evtx_fast_name(struct evtx_fast *f, uint32_t off, uint32_t pos, uint32_t end,
    uint32_t *skip)
{
	uint32_t	n;

	*skip = 0;
	if (off > EVTX_FAST_CHUNK - 8)
		return (-1);
	n = evtx_fast_u16(f->c + off + 6);
	if (off + 8 + 2 * n + 2 > EVTX_FAST_CHUNK)
		return (-1);
	if (off == pos) {
		*skip = 8 + 2 * n + 2;
		if (pos + *skip > end)
			return (-1);
	}
	return (0);
}

/* What an element named at chunk offset name is, opened where it is. */
static enum evtx_fast_kind
evtx_fast_kind(struct evtx_fast *f, uint32_t name)
{
	const uint8_t	*c = f->c;

	if (f->in_data) {
		if (EVTX_FAST_NAME(c, name, "Data"))
			return (EVTX_FAST_K_DATA);
		return (EVTX_FAST_K_OTHER);
	}
	if (f->in_system) {
		switch (evtx_fast_u16(c + name + 6)) {
		case 7:
			if (EVTX_FAST_NAME(c, name, "EventID"))
				return (EVTX_FAST_K_EVENTID);
			if (EVTX_FAST_NAME(c, name, "Version"))
				return (EVTX_FAST_K_VERSION);
			if (EVTX_FAST_NAME(c, name, "Channel"))
				return (EVTX_FAST_K_CHANNEL);
			break;
		case 8:
			if (EVTX_FAST_NAME(c, name, "Provider"))
				return (EVTX_FAST_K_PROVIDER);
			if (EVTX_FAST_NAME(c, name, "Computer"))
				return (EVTX_FAST_K_COMPUTER);
			if (EVTX_FAST_NAME(c, name, "Security"))
				return (EVTX_FAST_K_SECURITY);
			break;
		case 11:
			if (EVTX_FAST_NAME(c, name, "TimeCreated"))
				return (EVTX_FAST_K_TIME);
			break;
		case 13:
			if (EVTX_FAST_NAME(c, name, "EventRecordID"))
				return (EVTX_FAST_K_RECID);
			break;
		}
		return (EVTX_FAST_K_OTHER);
	}
	if (EVTX_FAST_NAME(c, name, "System"))
		return (EVTX_FAST_K_SYSTEM);
	if (EVTX_FAST_NAME(c, name, "EventData"))
		return (EVTX_FAST_K_EVENTDATA);
	return (EVTX_FAST_K_OTHER);
}

/* Which attribute of an element of kind k evtriage keeps, or -1. */
static int
evtx_fast_attr_wanted(struct evtx_fast *f, enum evtx_fast_kind k,
    uint32_t name)
{
	const uint8_t	*c = f->c;

	switch (k) {
	case EVTX_FAST_K_PROVIDER:
		if (EVTX_FAST_NAME(c, name, "Name"))
			return (k);
		break;
	case EVTX_FAST_K_TIME:
		if (EVTX_FAST_NAME(c, name, "SystemTime"))
			return (k);
		break;
	case EVTX_FAST_K_SECURITY:
		if (EVTX_FAST_NAME(c, name, "UserID"))
			return (k);
		break;
	case EVTX_FAST_K_DATA:
		if (f->want_data && EVTX_FAST_NAME(c, name, "Name"))
			return (k);
		break;
	default:
		break;
	}
	return (-1);
}

static int	evtx_fast_walk(struct evtx_fast *, uint32_t, uint32_t,
		    size_t, size_t, int);
static int	evtx_fast_walk_at(struct evtx_fast *, uint32_t, uint32_t,
		    size_t, size_t, int, int);

/* The template cannot have a plan: it is walked each time. */
static void
evtx_fast_plan_fail(struct evtx_fast *f)
{
	f->plan->state = -1;
	f->plan = NULL;
}

/* Is a plan being made by the walk at this nesting? */
static int
evtx_fast_planning(struct evtx_fast *f, int nest)
{
	if (f->plan == NULL)
		return (0);
	if (nest != f->plan_nest) {
		/* BinXml in a value or a template in a template. */
		evtx_fast_plan_fail(f);
		return (0);
	}
	return (1);
}

/* A System value's text begins at pos. */
static void
evtx_fast_plan_cap(struct evtx_fast *f, int field, uint32_t pos, int attr)
{
	struct evtx_fast_pcap	*pc;

	if (f->plan->ncap == EVTX_FAST_PLAN_CAPS) {
		evtx_fast_plan_fail(f);
		return;
	}
	pc = &f->plan->cap[f->plan->ncap];
	pc->a = pos;
	pc->field = field;
	pc->depth = f->depth;
	pc->attr = attr;
}

/* It ends at pos. */
static void
evtx_fast_plan_cap_end(struct evtx_fast *f, uint32_t pos)
{
	f->plan->cap[f->plan->ncap++].b = pos;
}

/* System ended at pos: the plan is made if the state is as expected. */
static void
evtx_fast_plan_done(struct evtx_fast *f, uint32_t pos)
{
	struct evtx_fast_plan	*pl = f->plan;

	if (f->depth > EVTX_FAST_PLAN_DEPTH || f->nfields != 0 ||
	    f->capture >= 0 || f->in_data || pl->cap_open) {
		evtx_fast_plan_fail(f);
		return;
	}
	pl->sys_end = pos;
	pl->depth = f->depth;
	memcpy(pl->stack, f->stack, f->depth * sizeof *f->stack);
	pl->state = 1;
	f->plan = NULL;
}

/*
 * Append a substitution value as text.  A value whose type is an integer
 * is also remembered as a number for EventID.
 */
static int
evtx_fast_subst(struct evtx_fast *f, const struct evtx_fast_val *v,
    int nest)
{
	const uint8_t	*p = f->c + v->pos;

	if (v->type == 0x21)
		return (evtx_fast_walk(f, v->pos, v->pos + v->len, 0, 0,
		    nest + 1));
	if (f->capture != f->depth)
		return (0);
	if (f->cap_field == EVTX_FAST_K_TIME && v->type == 0x11 &&
	    v->len == 8 && f->arena.len == f->cap_start) {
		f->ft = evtx_fast_u64(p);
		f->have_ft = 1;
		return (0);	/* written once the record is read */
	}
	if (f->cap_field == EVTX_FAST_K_EVENTID && v->type == 0x06 &&
	    v->len == 2 && f->arena.len == f->cap_start) {
		f->event_id = evtx_fast_u16(p);
		f->have_event_id = 1;
		return (0);	/* the number is all that is needed */
	}
	if (evtx_fast_value(&f->arena, v->type, p, v->len) != 0) {
		f->why = "value does not fit its type";
		return (-1);
	}
	return (0);
}

/* Start keeping the text of the current element or attribute. */
static void
evtx_fast_cap_begin(struct evtx_fast *f, int field)
{
	f->capture = f->depth;
	f->cap_field = field;
	f->cap_start = f->arena.len;
	f->cap_null = 0;
	if (field == EVTX_FAST_K_TIME)
		f->have_ft = 0;
	if (field == EVTX_FAST_K_EVENTID)
		f->have_event_id = 0;
}

/* Stop keeping text: terminate it and file it under its field. */
static void
evtx_fast_cap_end(struct evtx_fast *f)
{
	ssize_t	 s = f->cap_start;

	if (f->capture < 0)
		return;
	buf_append(&f->arena, "", 1);
	switch (f->cap_field) {
	case EVTX_FAST_K_PROVIDER:
		f->s_provider = s;
		break;
	case EVTX_FAST_K_EVENTID:
		f->s_eventid = s;
		break;
	case EVTX_FAST_K_VERSION:
		f->s_version = s;
		break;
	case EVTX_FAST_K_TIME:
		f->s_time = s;
		break;
	case EVTX_FAST_K_RECID:
		f->s_recid = s;
		break;
	case EVTX_FAST_K_CHANNEL:
		f->s_channel = s;
		break;
	case EVTX_FAST_K_COMPUTER:
		f->s_computer = s;
		break;
	case EVTX_FAST_K_SECURITY:
		f->s_user = s;
		break;
	case -EVTX_FAST_K_DATA:		/* the Name attribute */
		f->data_name = s;
		break;
	case EVTX_FAST_K_DATA:
		if (f->nfields == f->fcap) {
			f->fcap = f->fcap == 0 ? 32 : f->fcap * 2;
			f->fname = xreallocarray(f->fname, f->fcap,
			    sizeof *f->fname);
			f->fvalue = xreallocarray(f->fvalue, f->fcap,
			    sizeof *f->fvalue);
		}
		f->fname[f->nfields] = f->data_name;
		f->fvalue[f->nfields] = s;
		f->nfields++;
		f->data_name = -1;
		break;
	}
	f->capture = -1;
}

/* An element of kind k ends (close empty or end tag). */
static void
evtx_fast_elem_end(struct evtx_fast *f, enum evtx_fast_kind k)
{
	if (f->capture == f->depth)
		evtx_fast_cap_end(f);
	else if (k == EVTX_FAST_K_DATA && f->want_data) {
		/* <Data Name="x"/>: an empty field. */
		evtx_fast_cap_begin(f, EVTX_FAST_K_DATA);
		evtx_fast_cap_end(f);
	}
	if (k == EVTX_FAST_K_SYSTEM) {
		f->in_system = 0;
		f->system_done = 1;
		if (f->have_event_id && f->s_provider >= 0 &&
		    event_norm_is_process(f->event_id,
		    (char *)f->arena.data + f->s_provider))
			f->want_data = 1;
		else if (f->s_eventid >= 0 && f->s_provider >= 0 &&
		    event_norm_is_process(strtoul((char *)f->arena.data +
		    f->s_eventid, NULL, 10), (char *)f->arena.data +
		    f->s_provider))
			f->want_data = 1;
		else
			f->stop = 1;
	} else if (k == EVTX_FAST_K_EVENTDATA)
		f->in_data = 0;
}

/*
 * Read value-ish tokens (value text, substitutions, character and entity
 * references) at *pos as the text of the current attribute or content.
 */
static int
evtx_fast_text(struct evtx_fast *f, uint32_t *pos, uint32_t end,
    size_t vals, size_t nvals, int nest)
{
	const uint8_t	*c = f->c;
	uint32_t	 p = *pos, n, name, skip;
	uint16_t	 id;
	uint8_t		 tok = c[p];
	const struct evtx_fast_val *v;
	int		 keep = f->capture == f->depth;

	switch (tok & 0xbf) {
	case 0x05:
		if (p + 4 > end)
			return (-1);
		n = evtx_fast_u16(c + p + 2);
		if (p + 4 + 2 * n > end)
			return (-1);
		if (keep && evtx_fast_value(&f->arena, c[p + 1], c + p + 4,
		    2 * n) != 0)
			return (-1);
		p += 4 + 2 * n;
		break;
	case 0x08:
		if (p + 3 > end)
			return (-1);
		if (keep)
			buf_append_utf8(&f->arena, evtx_fast_u16(c + p + 1));
		p += 3;
		break;
	case 0x09:
		if (p + 5 > end)
			return (-1);
		name = evtx_fast_u32(c + p + 1);
		if (evtx_fast_name(f, name, p + 5, end, &skip) != 0)
			return (-1);
		if (keep) {
			if (EVTX_FAST_NAME(c, name, "lt"))
				buf_append(&f->arena, "<", 1);
			else if (EVTX_FAST_NAME(c, name, "gt"))
				buf_append(&f->arena, ">", 1);
			else if (EVTX_FAST_NAME(c, name, "amp"))
				buf_append(&f->arena, "&", 1);
			else if (EVTX_FAST_NAME(c, name, "quot"))
				buf_append(&f->arena, "\"", 1);
			else if (EVTX_FAST_NAME(c, name, "apos"))
				buf_append(&f->arena, "'", 1);
			else {
				buf_append(&f->arena, "&", 1);
				evtx_fast_utf16(&f->arena, c + name + 8,
				    evtx_fast_u16(c + name + 6));
				buf_append(&f->arena, ";", 1);
			}
		}
		p += 5 + skip;
		break;
	case 0x0d:
	case 0x0e:
		if (p + 4 > end)
			return (-1);
		id = evtx_fast_u16(c + p + 1);
		if (nvals == 0 || id >= nvals) {
			f->why = "substitution out of range";
			return (-1);
		}
		if (evtx_fast_planning(f, nest)) {
			if (f->plan->nid == EVTX_FAST_PLAN_IDS)
				evtx_fast_plan_fail(f);
			else
				f->plan->id[f->plan->nid++] = id;
		}
		v = &f->vals[vals + id];
		p += 4;
		*pos = p;
		if (v->type == 0x00) {
			f->cap_null |= keep;
			return (0);
		}
		return (evtx_fast_subst(f, v, nest));
	default:
		return (-1);
	}
	*pos = p;
	return (0);
}

/* Is this token one that evtx_fast_text reads? */
static int
evtx_fast_is_text(uint8_t tok)
{
	switch (tok & 0xbf) {
	case 0x05: case 0x08: case 0x09: case 0x0d: case 0x0e:
		return (1);
	}
	return (0);
}

/*
 * Read a record's System values through its template's plan: the text
 * tokens of each value, with the record's substitutions, as the walk
 * reads them; then the rest of the template, as the walk goes on after
 * System, if the record is a process event.  Returns what the walk
 * would, or 2 if the record's values need the walk (a substitution out
 * of range or holding Binary XML before System's end).
 */
static int
evtx_fast_plan_run(struct evtx_fast *f, const struct evtx_fast_plan *pl,
    uint32_t end, size_t vals, size_t nvals, int nest)
{
	const struct evtx_fast_pcap	*pc;
	uint32_t			 p;
	int				 i, rc;

	for (i = 0; i < pl->nid; i++) {
		if (pl->id[i] >= nvals || f->vals[vals + pl->id[i]].type == 0x21)
			return (2);
	}
	f->in_system = 1;
	for (i = 0; i < pl->ncap; i++) {
		pc = &pl->cap[i];
		f->depth = pc->depth;
		evtx_fast_cap_begin(f, pc->field);
		for (p = pc->a; p < pc->b;) {
			/*
			 * A plan holds text only: the walk gives up a plan
			 * at anything else (0x01, 0x07, 0x0a, 0x0b, 0x0f).
			 * Should one slip in, the record is declined with a
			 * reason, and libevtx reads it.
			 */
			if (!evtx_fast_is_text(f->c[p])) {
				f->why = "a template plan met a token not text";
				return (-1);
			}
			if ((rc = evtx_fast_text(f, &p, end, vals, nvals,
			    nest)) != 0)
				return (rc);
		}
		/* As the walk: libevtx leaves out a NULL attribute. */
		if (pc->attr && f->cap_null && f->arena.len == f->cap_start)
			f->capture = -1;
		else
			evtx_fast_cap_end(f);
	}
	f->depth = pl->depth + 1;
	evtx_fast_elem_end(f, EVTX_FAST_K_SYSTEM);
	f->depth = pl->depth;
	memcpy(f->stack, pl->stack, pl->depth * sizeof *f->stack);
	if (f->stop)
		return (1);
	return (evtx_fast_walk_at(f, pl->sys_end, end, vals, nvals, nest, 0));
}

/*
 * Read a template instance at pos (its 0x0c token) and walk the
 * template with its values; *pos is set past the values.
 */
static int
evtx_fast_template(struct evtx_fast *f, uint32_t *pos, uint32_t end, int nest)
{
	const uint8_t		*c = f->c;
	struct evtx_fast_tpl	*t;
	uint32_t		 p = *pos, def, body, tend, n, i, vp, h;
	size_t			 base;
	int			 rc;

	if (p + 10 > end)
		return (-1);
	def = evtx_fast_u32(c + p + 6);
	p += 10;
	h = (def * 2654435761U) >> 25 & (EVTX_FAST_TEMPLATES - 1);
	t = &f->tpl[h];
	if (t->off == def && def != 0) {
		body = t->body;
		tend = t->end;
	} else {
		if (def < 512 || def > EVTX_FAST_CHUNK - 24)
			return (-1);
		body = def + 24;
		n = evtx_fast_u32(c + def + 20);
		if (n > EVTX_FAST_CHUNK - body)
			return (-1);
		tend = body + n;
		t->off = def;
		t->body = body;
		t->end = tend;
		t->plan.state = 0;
	}
	/* Defined here, at first use: the values follow the definition. */
	if (def == p) {
		if (tend > end)
			return (-1);
		p = tend;
	}
	if (p + 4 > end)
		return (-1);
	n = evtx_fast_u32(c + p);
	p += 4;
	if (n > (end - p) / 4)
		return (-1);
	base = f->nvals;
	if (f->nvals + n > f->vcap) {
		while (f->nvals + n > f->vcap)
			f->vcap = f->vcap == 0 ? 64 : f->vcap * 2;
		f->vals = xreallocarray(f->vals, f->vcap, sizeof *f->vals);
	}
	vp = p + 4 * n;
	for (i = 0; i < n; i++) {
		f->vals[base + i].len = evtx_fast_u16(c + p + 4 * i);
		f->vals[base + i].type = c[p + 4 * i + 2];
		f->vals[base + i].pos = vp;
		if (f->vals[base + i].len > end - vp)
			return (-1);
		vp += f->vals[base + i].len;
	}
	f->nvals += n;
	/* A record's own template, read from its start: plan it, or use one. */
	if (nest == 0 && f->depth == 0 && !f->system_done && !f->in_system &&
	    !f->in_data && f->nfields == 0 && f->capture < 0 &&
	    f->plan == NULL) {
		if (t->plan.state == 1 &&
		    (rc = evtx_fast_plan_run(f, &t->plan, tend, base, n,
		    nest + 1)) != 2) {
			f->nvals = base;
			*pos = vp;
			return (rc);
		}
		if (t->plan.state == 0) {
			memset(&t->plan, 0, sizeof t->plan);
			f->plan = &t->plan;
			f->plan_nest = nest + 1;
		}
	}
	rc = evtx_fast_walk(f, body, tend, base, n, nest + 1);
	if (f->plan != NULL) {
		/* System never ended: no plan, or none yet if it was bad. */
		f->plan->state = rc < 0 ? 0 : -1;
		f->plan = NULL;
	}
	f->nvals = base;
	*pos = vp;
	return (rc);
}

/*
 * Walk the Binary XML in [pos, end) of the chunk: elements, attributes,
 * content and template instances, with the substitution values
 * f->vals[vals, vals + nvals).  Returns 0 at the end or at an EOF token,
 * 1 once evtriage has what it needs, -1 on bad data.
 */
static int
evtx_fast_walk(struct evtx_fast *f, uint32_t pos, uint32_t end, size_t vals,
    size_t nvals, int nest)
{
	return (evtx_fast_walk_at(f, pos, end, vals, nvals, nest, f->depth));
}

/* The same, ending no element opened below depth base. */
static int
evtx_fast_walk_at(struct evtx_fast *f, uint32_t pos, uint32_t end,
    size_t vals, size_t nvals, int nest, int base)
{
	const uint8_t		*c = f->c;
	uint32_t		 name, skip, n;
	enum evtx_fast_kind	 k;
	uint8_t			 tok;
	int			 a, rc;

	if (nest > EVTX_FAST_NEST) {
		f->why = "Binary XML nested too deep";
		return (-1);
	}
	(void)evtx_fast_planning(f, nest);
	while (pos < end) {
		if (f->stop)
			return (1);
		tok = c[pos];
		switch (tok) {
		case 0x00:
			return (0);
		case 0x0f:
			/* Not text: a plan cannot replay it (as 0x0a). */
			if (f->plan != NULL && f->plan->cap_open)
				evtx_fast_plan_fail(f);
			pos += 4;
			break;
		case 0x0c:
			if ((rc = evtx_fast_template(f, &pos, end, nest)) != 0)
				return (rc);
			break;
		case 0x01:
		case 0x41:
			if (pos + 11 > end)
				return (-1);
			name = evtx_fast_u32(c + pos + 7);
			pos += 11;
			if (evtx_fast_name(f, name, pos, end, &skip) != 0)
				return (-1);
			pos += skip;
			if (tok == 0x41)
				pos += 4;
			if (f->depth == EVTX_FAST_DEPTH) {
				f->why = "elements nested too deep";
				return (-1);
			}
			k = evtx_fast_kind(f, name);
			if (f->plan != NULL && (f->plan->cap_open ||
			    k == EVTX_FAST_K_EVENTDATA))
				evtx_fast_plan_fail(f);
			f->stack[f->depth++] = k;
			if (k == EVTX_FAST_K_SYSTEM)
				f->in_system = 1;
			else if (k == EVTX_FAST_K_EVENTDATA)
				f->in_data = 1;
			else if (k == EVTX_FAST_K_DATA)
				f->data_name = -1;
			while (pos < end && (c[pos] & 0xbf) == 0x06) {
				if (pos + 5 > end)
					return (-1);
				name = evtx_fast_u32(c + pos + 1);
				pos += 5;
				if (evtx_fast_name(f, name, pos, end,
				    &skip) != 0)
					return (-1);
				pos += skip;
				a = evtx_fast_attr_wanted(f, k, name);
				if (a >= 0)
					evtx_fast_cap_begin(f, a ==
					    EVTX_FAST_K_DATA ? -a : a);
				if (a >= 0 && f->plan != NULL)
					evtx_fast_plan_cap(f, a, pos, 1);
				while (pos < end && evtx_fast_is_text(c[pos])) {
					if ((rc = evtx_fast_text(f, &pos, end,
					    vals, nvals, nest)) != 0)
						return (rc);
				}
				if (a >= 0 && f->plan != NULL)
					evtx_fast_plan_cap_end(f, pos);
				/* libevtx leaves out a NULL attribute. */
				if (a >= 0 && f->cap_null &&
				    f->arena.len == f->cap_start)
					f->capture = -1;
				else if (a >= 0)
					evtx_fast_cap_end(f);
			}
			if (pos >= end)
				return (-1);
			if (c[pos] == 0x03) {
				pos++;
				evtx_fast_elem_end(f, k);
				f->depth--;
				if (k == EVTX_FAST_K_SYSTEM && f->plan != NULL)
					evtx_fast_plan_done(f, pos);
			} else if (c[pos] == 0x02) {
				pos++;
				switch (k) {
				case EVTX_FAST_K_EVENTID:
				case EVTX_FAST_K_VERSION:
				case EVTX_FAST_K_RECID:
				case EVTX_FAST_K_CHANNEL:
				case EVTX_FAST_K_COMPUTER:
					evtx_fast_cap_begin(f, k);
					if (f->plan == NULL)
						break;
					evtx_fast_plan_cap(f, k, pos, 0);
					if (f->plan != NULL)
						f->plan->cap_open = 1;
					break;
				case EVTX_FAST_K_DATA:
					if (f->want_data)
						evtx_fast_cap_begin(f, k);
					break;
				default:
					break;
				}
			} else
				return (-1);
			break;
		case 0x02:
		case 0x03:
			return (-1);
		case 0x04:
			if (f->depth <= base)
				return (-1);
			k = f->stack[f->depth - 1];
			if (f->plan != NULL && f->plan->cap_open) {
				evtx_fast_plan_cap_end(f, pos);
				f->plan->cap_open = 0;
			}
			evtx_fast_elem_end(f, k);
			f->depth--;
			pos++;
			if (k == EVTX_FAST_K_SYSTEM && f->plan != NULL)
				evtx_fast_plan_done(f, pos);
			break;
		case 0x07:
		case 0x47:
		case 0x0b:
			/* CDATA and PI data: text, kept as it is. */
			if (pos + 3 > end)
				return (-1);
			n = evtx_fast_u16(c + pos + 1);
			if (pos + 3 + 2 * n > end)
				return (-1);
			if (f->capture == f->depth && tok != 0x0b)
				evtx_fast_utf16(&f->arena, c + pos + 3, n);
			if (f->plan != NULL && f->plan->cap_open)
				evtx_fast_plan_fail(f);
			pos += 3 + 2 * n;
			break;
		case 0x0a:
			if (pos + 5 > end)
				return (-1);
			if (f->plan != NULL && f->plan->cap_open)
				evtx_fast_plan_fail(f);
			name = evtx_fast_u32(c + pos + 1);
			pos += 5;
			if (evtx_fast_name(f, name, pos, end, &skip) != 0)
				return (-1);
			pos += skip;
			break;
		default:
			if (!evtx_fast_is_text(tok)) {
				f->why = "unknown Binary XML token";
				return (-1);
			}
			if ((rc = evtx_fast_text(f, &pos, end, vals, nvals,
			    nest)) != 0)
				return (rc);
			break;
		}
	}
	return (0);
}

/* Reset the per-record state. */
static void
evtx_fast_reset(struct evtx_fast *f)
{
	f->arena.len = 0;
	f->nvals = 0;
	f->nfields = 0;
	f->depth = 0;
	f->in_system = f->in_data = 0;
	f->system_done = f->want_data = f->stop = 0;
	f->capture = -1;
	f->data_name = -1;
	f->s_provider = f->s_channel = f->s_computer = f->s_user = -1;
	f->s_time = f->s_eventid = f->s_version = f->s_recid = -1;
	f->have_ft = f->have_event_id = 0;
	f->why = NULL;
}

/* Normalise SystemTime text to seven fractional digits (as evtx-xml.c). */
static void
evtx_fast_time_text(struct evtx_fast *f)
{
	size_t	 i, n, at = f->arena.len;
	char	 frac[8], t[20];

	if (strlen((char *)f->arena.data + f->s_time) < 19)
		return;
	memcpy(t, f->arena.data + f->s_time, 19);
	t[19] = '\0';
	/* The fraction is read in place, before the arena may move. */
	memset(frac, '0', 7);
	frac[7] = '\0';
	if (f->arena.data[f->s_time + 19] == '.') {
		n = strspn((char *)f->arena.data + f->s_time + 20,
		    "0123456789");
		for (i = 0; i < n && i < 7; i++)
			frac[i] = f->arena.data[f->s_time + 20 + i];
	}
	buf_append(&f->arena, t, 19);
	buf_append(&f->arena, ".", 1);
	buf_append(&f->arena, frac, 7);
	buf_append(&f->arena, "Z", 2);
	f->s_time = at;
}

/*
 * Decode the record at chunk offset off (its header checked) into e.
 * Returns 0, or -1 with f->why set if the record is declined.
 */
static int
evtx_fast_record(struct evtx_fast *f, uint32_t off, uint32_t size,
    struct evt_record *e)
{
	const uint8_t	*c = f->c;
	uint64_t	 written;
	size_t		 i, at;
	int		 rc;
	char		*a;

	evtx_fast_reset(f);
	written = evtx_fast_u64(c + off + 16);
	e->record_id = evtx_fast_u64(c + off + 8);
	rc = evtx_fast_walk(f, off + 24, off + size - 4, 0, 0, 0);
	if (rc < 0) {
		if (f->why == NULL)
			f->why = "bad Binary XML";
		return (-1);
	}
	if (!f->system_done) {
		f->why = "no System element";
		return (-1);
	}
	/* Everything goes into the arena first, then strings are taken. */
	if (f->have_ft || f->s_time < 0) {
		at = f->arena.len;
		evtx_fast_filetime(&f->arena, f->have_ft ? f->ft : written, 7);
		buf_append(&f->arena, "", 1);
		f->s_time = at;
	} else
		evtx_fast_time_text(f);
	for (i = 0; i < f->nfields; i++) {
		if (f->fname[i] != (size_t)-1)
			continue;
		/* As evtx-xml.c names a Data without a Name. */
		f->fname[i] = f->arena.len;
		buf_printf(&f->arena, "Data%zu", i);
		buf_append(&f->arena, "", 1);
	}
	a = (char *)f->arena.data;
	if (f->have_event_id)
		e->event_id = f->event_id;
	else if (f->s_eventid >= 0)
		e->event_id = strtoul(a + f->s_eventid, NULL, 10);
	e->version = f->s_version >= 0 ? atoi(a + f->s_version) : -1;
	/* As the libevtx path: the header's identifier, XML's if loaded. */
	if (f->want_data && f->s_recid >= 0)
		e->record_id = strtoull(a + f->s_recid, NULL, 10);
	e->time = a + f->s_time;
	e->provider = f->s_provider >= 0 ? a + f->s_provider : NULL;
	e->channel = f->s_channel >= 0 ? a + f->s_channel : NULL;
	e->computer = f->s_computer >= 0 ? a + f->s_computer : NULL;
	e->user_sid = f->s_user >= 0 ? a + f->s_user : NULL;
	if (!f->want_data)
		return (0);
	if (f->nfields > f->fieldscap) {
		f->fieldscap = f->nfields;
		f->fields = xreallocarray(f->fields, f->fieldscap,
		    sizeof *f->fields);
	}
	for (i = 0; i < f->nfields; i++) {
		f->fields[i].name = a + f->fname[i];
		f->fields[i].value = a + f->fvalue[i];
	}
	e->fields = f->fields;
	e->nfields = f->nfields;
	return (0);
}

/*
 * Check a record header at chunk offset off as libevtx does; its size,
 * or 0 where libevtx stops reading the chunk's records.
 */
static uint32_t
evtx_fast_record_size(const uint8_t *c, uint32_t off)
{
	uint32_t	size;
	int		i;

	if (off >= EVTX_FAST_CHUNK || EVTX_FAST_CHUNK - off < 28)
		return (0);
	for (i = 0; i < 24 && c[off + i] == 0; i++)
		;
	if (i == 24 || memcmp(c + off, "**\0\0", 4) != 0)
		return (0);
	size = evtx_fast_u32(c + off + 4);
	if (size < 24 || size > EVTX_FAST_CHUNK - off - 4)
		return (0);
	if (evtx_fast_u32(c + off + size - 4) != size)
		return (0);
	return (size);
}

/*
 * Read the allocated records of one chunk of 65536 bytes at file offset
 * foff.  *index is the next record index and is advanced past the
 * chunk's records; each is passed to cb or declined through dcb.
 * Returns 1 if cb asked to stop, else 0.
 */
int
evtx_fast_chunk(struct evtx_fast *f, const unsigned char *c, int64_t foff,
    int *index, evtx_record_cb cb, evtx_fast_decline_cb dcb, void *arg)
{
	struct evt_record	 e;
	const char		*why = NULL;
	uint32_t		 last, free_off, off, size, crc;
	size_t			 i;

	f->c = c;
	for (i = 0; i < EVTX_FAST_TEMPLATES; i++)
		f->tpl[i].off = 0;	/* and so their plans */
	if (memcmp(c, "ElfChnk", 8) != 0) {
		for (i = 0; i < EVTX_FAST_CHUNK && c[i] == 0; i++)
			;
		if (i != EVTX_FAST_CHUNK)
			dcb(-1, foff, "bad chunk signature", arg);
		return (0);
	}
	last = evtx_fast_u32(c + 44);
	free_off = evtx_fast_u32(c + 48);
	if (evtx_fast_u32(c + 40) != 128 || free_off < 512 ||
	    free_off > EVTX_FAST_CHUNK) {
		/* libevtx fails to open such a file at all. */
		dcb(-1, foff, "bad chunk header", arg);
		return (0);
	}
	crc = evtx_fast_crc32(0, c, 120);
	crc = evtx_fast_crc32(crc, c + 128, 384);
	if (crc != evtx_fast_u32(c + 124))
		why = "chunk header checksum mismatch";
	else if (evtx_fast_crc32(0, c + 512, free_off - 512) !=
	    evtx_fast_u32(c + 52))
		why = "chunk records checksum mismatch";
	for (off = 512; off <= last; off += size) {
		if ((size = evtx_fast_record_size(c, off)) == 0)
			break;
		if (why != NULL) {
			dcb(*index, foff + off, why, arg);
			(*index)++;
			continue;
		}
		memset(&e, 0, sizeof e);
		e.offset = foff + off;
		e.index = (*index)++;
		if (evtx_fast_record(f, off, size, &e) != 0) {
			dcb(e.index, e.offset, f->why, arg);
			continue;
		}
		if (cb(&e, arg) != 0)
			return (1);
	}
	return (0);
}

/*
 * Read chunks [chunk, chunk + count) of a file (count < 0: to the end),
 * numbering records from 0 as libevtx numbers those of the window
 * evtx_read_open opens.  The header's chunk count says which chunks hold
 * allocated records, unless the file is dirty or the count is
 * saturated (65,535 chunks or more: then every chunk does, where
 * libevtx's 16-bit chunk index wraps).  Memory is one chunk, whatever
 * the size of the file.
 */
int
evtx_fast_read_file(struct evtx_fast *f, const char *path, int64_t chunk,
    int64_t count, evtx_record_cb cb, evtx_fast_decline_cb dcb, void *arg,
    char **cause)
{
	unsigned char	 h[128];
	struct stat	 st;
	int64_t		 k, hcount;
	off_t		 off;
	int		 fd, dirty, index = 0, rc = 0;

	if ((fd = open(path, O_RDONLY | O_NOCTTY)) == -1) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) != 0 || pread(fd, h, sizeof h, 0) != sizeof h ||
	    memcmp(h, "ElfFile", 8) != 0) {
		xasprintf(cause, "'%s' is not an EVTX file", path);
		close(fd);
		return (-1);
	}
	hcount = evtx_fast_u16(h + 42);
	dirty = (evtx_fast_u32(h + 120) & 1) != 0;
	if (f->cbuf == NULL)
		f->cbuf = xmalloc(EVTX_FAST_CHUNK);
	for (k = chunk; count < 0 || k < chunk + count; k++) {
		off = EVTX_FAST_HEADER + k * EVTX_FAST_CHUNK;
		if (off + EVTX_FAST_CHUNK > st.st_size)
			break;
		if (pread(fd, f->cbuf, EVTX_FAST_CHUNK, off) !=
		    EVTX_FAST_CHUNK) {
			xasprintf(cause, "cannot read '%s'", path);
			rc = -1;
			break;
		}
		if (!dirty && k >= hcount && hcount != 0xffff)
			continue;	/* recovered records: libevtx's */
		if (evtx_fast_chunk(f, f->cbuf, off, &index, cb, dcb,
		    arg) != 0)
			break;
	}
	close(fd);
	return (rc);
}
