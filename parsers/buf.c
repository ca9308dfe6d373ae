/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * A growing byte buffer, used to build JSON text and the messages that
 * parser workers send to the loader.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage/xmalloc.h"
#include "parsers.h"

void
buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->size) {
		if (b->size == 0)
			b->size = 256;
		while (b->len + n + 1 > b->size)
			b->size *= 2;
		b->data = xreallocarray(b->data, 1, b->size);
	}
	memcpy(b->data + b->len, p, n);
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

/* Append s as a JSON string: quotes, backslashes and controls escaped. */
void
buf_json_string(struct buf *b, const char *s)
{
	const unsigned char	*p, *run;
	char			 tmp[8];

	buf_append(b, "\"", 1);
	for (p = run = (const unsigned char *)s; *p != '\0'; p++) {
		/* Runs of bytes that need no escape are copied at once. */
		if (*p >= 0x20 && *p != 0x7f && *p != '"' && *p != '\\')
			continue;
		buf_append(b, run, p - run);
		run = p + 1;
		switch (*p) {
		case '"':
			buf_append(b, "\\\"", 2);
			break;
		case '\\':
			buf_append(b, "\\\\", 2);
			break;
		case '\n':
			buf_append(b, "\\n", 2);
			break;
		case '\r':
			buf_append(b, "\\r", 2);
			break;
		case '\t':
			buf_append(b, "\\t", 2);
			break;
		default:
			snprintf(tmp, sizeof tmp, "\\u%04x", *p);
			buf_append(b, tmp, 6);
			break;
		}
	}
	buf_append(b, run, p - run);
	buf_append(b, "\"", 1);
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
