/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Make text from evidence safe to print.  Everything in an event is the
 * attacker's to choose, so before it reaches a terminal every control
 * character (C0, DEL, C1) and every byte that is not valid UTF-8 is
 * shown as \xNN, and a backslash before one of those is doubled only
 * where ambiguity would arise: the escapes are for reading, JSON output
 * keeps the original text.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xmalloc.h"
#include "escape.h"
#include "parsers/parsers.h"

/*
 * Length of the valid UTF-8 sequence at s, or 0 if it is not one
 * (overlong, a surrogate, past U+10FFFF, cut short).  The code point
 * goes to cpp if not NULL.
 */
size_t
escape_utf8_seq(const unsigned char *s, uint32_t *cpp)
{
	uint32_t	cp;
	size_t		n, i;

	if (s[0] < 0x80) {
		if (cpp != NULL)
			*cpp = s[0];
		return (1);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	if (cpp != NULL)
		*cpp = cp;
	return (n);
}

/*
 * Length of the UTF-8 sequence at s if it may be shown as it is, or 0:
 * invalid UTF-8, the C1 controls and the bidirectional overrides are
 * escaped.
 */
size_t
escape_utf8_len(const unsigned char *s)
{
	uint32_t	cp;
	size_t		n;

	if ((n = escape_utf8_seq(s, &cp)) == 0)
		return (0);
	if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return (0);
	return (n);
}

/*
 * The two-character escape of a newline, carriage return or tab, which
 * the terminal and JSON escapes share; NULL for any other byte.
 */
const char *
escape_c0(unsigned char c)
{
	switch (c) {
	case '\n':
		return ("\\n");
	case '\r':
		return ("\\r");
	case '\t':
		return ("\\t");
	}
	return (NULL);
}

/* Append s to b, escaped for a terminal. */
void
escape_term(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	const char		*e;
	size_t			 n;
	char			 tmp[8];

	if (s == NULL)
		return;
	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f) {
			if ((e = escape_c0(*p)) != NULL)
				buf_append(b, e, 2);
			else {
				snprintf(tmp, sizeof tmp, "\\x%02x", *p);
				buf_append(b, tmp, 4);
			}
			p++;
			continue;
		}
		n = escape_utf8_len(p);
		if (n == 0) {
			/* Not UTF-8 or a control: escape each byte. */
			n = 1;
			if ((p[0] & 0xe0) == 0xc0 && (p[1] & 0xc0) == 0x80)
				n = 2;
			else if ((p[0] & 0xf0) == 0xe0 &&
			    (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80)
				n = 3;
			while (n-- > 0) {
				snprintf(tmp, sizeof tmp, "\\x%02x", *p++);
				buf_append(b, tmp, 4);
			}
			continue;
		}
		buf_append(b, p, n);
		p += n;
	}
}

/* Print s to f, escaped; NULL prints as "unknown" where asked. */
void
escape_print(FILE *f, const char *s)
{
	struct buf	b = { 0 };

	escape_term(&b, s);
	if (b.data != NULL)
		fwrite(b.data, 1, b.len, f);
	buf_free(&b);
}
