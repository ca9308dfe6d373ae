/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * A growing byte buffer, used to build JSON text and the messages that
 * parser workers send to the loader, and the one JSON string escaper and
 * UTF-8 encoder every layer uses.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage/xmalloc.h"
#include "triage/escape.h"
#include "parsers.h"

/* Make room for n more bytes and the NUL; where they go. */
static unsigned char *
buf_room(struct buf *b, size_t n)
{
	if (b->len + n + 1 > b->size) {
		if (b->size == 0)
			b->size = 256;
		while (b->len + n + 1 > b->size)
			b->size *= 2;
		b->data = xreallocarray(b->data, 1, b->size);
	}
	return (b->data + b->len);
}

void
buf_append(struct buf *b, const void *p, size_t n)
{
	memcpy(buf_room(b, n), p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_append_str(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	buf_append(b, s, n);
	free(s);
}

/*
 * Append s as a JSON string, NULL as null.  Quotes, backslashes, the C0
 * controls and DEL are escaped and every other byte is kept, so that the
 * case holds the original text.  With unicode the text is made valid
 * Unicode for output: a byte that is not part of valid UTF-8 becomes
 * U+FFFD and the C1 controls (U+0080 to U+009F, which a terminal takes
 * as CSI and the like) become \u escapes, so that no line of JSON
 * carries a control to a terminal.
 */
static void
buf_json_escape(struct buf *b, const char *s, int unicode)
{
	const unsigned char	*p, *run;
	const char		*e;
	uint32_t		 cp;
	size_t			 n;
	char			 tmp[8];

	if (s == NULL) {
		buf_append(b, "null", 4);
		return;
	}
	buf_append(b, "\"", 1);
	for (p = run = (const unsigned char *)s; *p != '\0'; p += n) {
		n = 1;
		if (*p >= 0x80 && unicode) {
			n = escape_utf8_seq(p, &cp);
			if (n != 0 && cp > 0x9f)
				continue;
			buf_append(b, run, p - run);
			if (n == 0) {
				buf_append(b, "\xef\xbf\xbd", 3);
				n = 1;
			} else {
				snprintf(tmp, sizeof tmp, "\\u%04x",
				    (unsigned)cp);
				buf_append(b, tmp, 6);
			}
			run = p + n;
			continue;
		}
		/* Runs of bytes that need no escape are copied at once. */
		if (*p >= 0x20 && *p != 0x7f && *p != '"' && *p != '\\')
			continue;
		buf_append(b, run, p - run);
		run = p + 1;
		if (*p == '"')
			buf_append(b, "\\\"", 2);
		else if (*p == '\\')
			buf_append(b, "\\\\", 2);
		else if ((e = escape_c0(*p)) != NULL)
			buf_append(b, e, 2);
		else {
			snprintf(tmp, sizeof tmp, "\\u%04x", *p);
			buf_append(b, tmp, 6);
		}
	}
	buf_append(b, run, p - run);
	buf_append(b, "\"", 1);
}

/*
 * Does the 8-byte word w hold a byte that JSON escapes for the case: a
 * C0 control, a quote, a backslash or DEL?  Each test is exact about
 * whether some byte matches (the borrow can only follow a match).
 */
#define BUF_ONES	0x0101010101010101ULL
#define BUF_HIGHS	0x8080808080808080ULL
#define BUF_ZERO(w)	(((w) - BUF_ONES) & ~(w) & BUF_HIGHS)
#define BUF_LESS(w, n)	(((w) - BUF_ONES * (n)) & ~(w) & BUF_HIGHS)
#define BUF_BYTE(w, c)	BUF_ZERO((w) ^ (BUF_ONES * (c)))

static uint64_t
buf_json_word(uint64_t w)
{
	return (BUF_LESS(w, 0x20) | BUF_BYTE(w, '"') | BUF_BYTE(w, '\\') |
	    BUF_BYTE(w, 0x7f));
}

/* Eight bytes at p as a little-endian word, whatever the machine. */
static uint64_t
buf_json_load(const unsigned char *p)
{
	return ((uint64_t)p[0] | (uint64_t)p[1] << 8 |
	    (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	    (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56);
}

/*
 * Append s as a JSON string, its bytes kept: for the case.  As
 * buf_json_escape without unicode, written in place: room for the
 * string unescaped is made once, and again only at an escape; text that
 * needs none is copied eight bytes at a time.
 */
void
buf_json_string(struct buf *b, const char *s)
{
	const unsigned char	*p, *end;
	unsigned char		*o;
	const char		*e;
	uint64_t		 m;
	size_t			 len, k;

	if (s == NULL) {
		buf_append(b, "null", 4);
		return;
	}
	len = strlen(s);
	p = (const unsigned char *)s;
	end = p + len;
	o = buf_room(b, len + 2);
	*o++ = '"';
	while (p < end) {
		/*
		 * Eight bytes, of which those before the lowest flagged one
		 * are kept: a borrow flags only bytes above one that matches.
		 * There is room for eight, the rest written over after.
		 */
		if (end - p >= 8) {
			memcpy(o, p, 8);
			if ((m = buf_json_word(buf_json_load(p))) == 0) {
				o += 8;
				p += 8;
				continue;
			}
			k = __builtin_ctzll(m) / 8;
			o += k;
			p += k;
		} else if (*p >= 0x20 && *p != 0x7f && *p != '"' &&
		    *p != '\\') {
			*o++ = *p++;
			continue;
		}
		/* At most six bytes for this one, then the rest and '"'. */
		b->len = o - b->data;
		o = buf_room(b, 6 + (end - p) + 1);
		if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = *p;
		} else if ((e = escape_c0(*p)) != NULL) {
			memcpy(o, e, 2);
			o += 2;
		} else {
			memcpy(o, "\\u00", 4);
			o[4] = "0123456789abcdef"[*p >> 4];
			o[5] = "0123456789abcdef"[*p & 15];
			o += 6;
		}
		p++;
	}
	*o++ = '"';
	*o = '\0';
	b->len = o - b->data;
}

/* Append s as a JSON string of valid Unicode: for output. */
void
buf_json_unicode(struct buf *b, const char *s)
{
	buf_json_escape(b, s, 1);
}

/*
 * Append code point cp as UTF-8; past U+10FFFF nothing is appended.
 * The caller decides what to do with surrogates.
 */
void
buf_append_utf8(struct buf *b, uint32_t cp)
{
	unsigned char	u[4];

	if (cp < 0x80) {
		u[0] = cp;
		buf_append(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = 0xc0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3f);
		buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		buf_append(b, u, 3);
	} else if (cp < 0x110000) {
		u[0] = 0xf0 | (cp >> 18);
		u[1] = 0x80 | ((cp >> 12) & 0x3f);
		u[2] = 0x80 | ((cp >> 6) & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		buf_append(b, u, 4);
	}
}

/*
 * Add n bytes for the caller to write, NUL-terminated after them; where
 * they begin.  For a message whose size is known before it is written.
 */
void *
buf_extend(struct buf *b, size_t n)
{
	unsigned char	*p;

	p = buf_room(b, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (p);
}

/* Return the contents as a string the caller owns and empty the buffer. */
char *
buf_take(struct buf *b)
{
	char	*s;

	if (b->data == NULL)
		return (xstrdup(""));
	s = (char *)b->data;
	b->data = NULL;
	b->len = b->size = 0;
	return (s);
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}
