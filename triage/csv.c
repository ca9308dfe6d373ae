/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * CSV as RFC 4180 has it, made safe for spreadsheets.  A cell that
 * starts with =, +, -, @, a tab or a carriage return is run as a formula
 * by Excel and LibreOffice; such a cell, and one that starts with a
 * single quote, is written with a leading single quote.  Reading undoes
 * it, so the quoting is reversible: see CSV OUTPUT in evtriage(1).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "csv.h"
#include "escape.h"
#include "parsers/parsers.h"

void
csv_write(FILE *f, const char *s)
{
	const char	*p;

	if (s == NULL)
		return;
	fputc('"', f);
	if (strchr("=+-@\t\r'", *s) != NULL && *s != '\0')
		fputc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* Write a row of n cells and the line end. */
void
csv_write_row(FILE *f, const char * const *cells, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		csv_write(f, cells[i]);
	}
	fputs("\r\n", f);
}

/*
 * Write a row for a terminal: each cell escaped as text output is
 * (\x1b), since a control from the evidence would act on the terminal.
 * A file gets csv_write_row's exact bytes instead.
 */
void
csv_write_row_term(FILE *f, const char * const *cells, size_t n)
{
	struct buf	 b;
	char		*s;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		if (cells[i] == NULL)
			continue;
		memset(&b, 0, sizeof b);
		escape_term(&b, cells[i]);
		s = buf_take(&b);
		csv_write(f, s);
		free(s);
	}
	fputs("\r\n", f);
}

/*
 * Read one row into cells (the caller frees each and the array).
 * Returns the number of cells, 0 at end of file, -1 on an unterminated
 * quote.
 */
int
csv_read_row(FILE *f, char ***cells)
{
	struct buf	 b = { 0 };
	char		**out = NULL;
	int		 c, n = 0, quoted = 0, any = 0, started = 0;

	*cells = NULL;
	for (;;) {
		c = fgetc(f);
		if (c == EOF) {
			if (quoted) {
				buf_free(&b);
				while (n > 0)
					free(out[--n]);
				free(out);
				return (-1);
			}
			if (!any)
				return (0);
			break;
		}
		any = 1;
		if (quoted) {
			if (c == '"') {
				c = fgetc(f);
				if (c == '"') {
					buf_append(&b, "\"", 1);
					continue;
				}
				quoted = 0;
				if (c == EOF)
					break;
				ungetc(c, f);
				continue;
			}
			buf_append(&b, (char *)&c, 1);
			continue;
		}
		if (c == '"' && !started) {
			quoted = 1;
			started = 1;
			continue;
		}
		if (c == ',' || c == '\n') {
			out = xreallocarray(out, n + 1, sizeof *out);
			out[n++] = buf_take(&b);
			started = 0;
			if (c == '\n')
				break;
			continue;
		}
		if (c == '\r')
			continue;
		started = 1;
		buf_append(&b, (char *)&c, 1);
	}
	if (c == EOF || b.len > 0 || started) {
		out = xreallocarray(out, n + 1, sizeof *out);
		out[n++] = buf_take(&b);
	}
	buf_free(&b);
	/* Undo the formula guard. */
	for (c = 0; c < n; c++) {
		if (out[c][0] == '\'' && out[c][1] != '\0' &&
		    strchr("=+-@\t\r'", out[c][1]) != NULL)
			memmove(out[c], out[c] + 1, strlen(out[c]));
	}
	*cells = out;
	return (n);
}

void
csv_free_row(char **cells, int n)
{
	while (n > 0)
		free(cells[--n]);
	free(cells);
}
