/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The CrowdStrike Falcon Data Replicator reader: JSON lines, one event
 * an object, plain or gzip-compressed (zlib over source_pread).  A strict
 * scanner of flat objects checks every line; ProcessRollup2 lines become
 * records for event-norm.c, other events are counted, and a line that is
 * not a good event is a problem carrying its line number.  Memory stays
 * bounded: a line longer than FDR_READ_LINE_MAX is a problem, skipped.
 */

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define FDR_READ_LINE_MAX	(1 << 20)	/* bytes in a line */
#define FDR_READ_FIELDS_MAX	1024		/* members of a line */
#define FDR_READ_DEPTH_MAX	16		/* nesting of a value */
#define FDR_READ_BLOCK		(1 << 16)

/* What a member's value was. */
enum fdr_read_type {
	FDR_READ_STRING,
	FDR_READ_NUMBER,
	FDR_READ_LITERAL,		/* true or false */
	FDR_READ_NULL,
	FDR_READ_NESTED			/* an object or array: not kept */
};

/* One line's members, decoded into text (NUL-ended, UTF-8). */
struct fdr_read_json {
	struct buf	 text;
	size_t		*name, *value;	/* offsets into text */
	unsigned char	*type;		/* enum fdr_read_type */
	size_t		 n, size;
};

struct fdr_read_scan {
	const unsigned char	*p, *end;
	struct fdr_read_json	*j;
	const char		*why;	/* why the line is bad */
};

struct fdr_reader {
	struct source_stream	 s;
	int			 gzip;
	z_stream		 z;
	int			 zinit, zend;
	int			 ztrail;	/* data after the last member */
	int64_t			 off;	/* of the source, read so far */
	unsigned char		 in[FDR_READ_BLOCK], out[FDR_READ_BLOCK];
	struct buf		 line;
	int			 toolong;
	int64_t			 lineno;	/* of the line in line */
	int64_t			 lineoff;	/* its offset (uncompressed) */
	int64_t			 pos;		/* uncompressed bytes so far */
	struct fdr_read_json	 json;
};

/* Bytes a string holds as they are: printable ASCII but '"' and '\\'. */
static unsigned char	fdr_read_plain[256];

/* The aid_master table: agent id to host name, sorted by aid. */
struct fdr_read_aid {
	char	*aid;
	char	*name;
	size_t	 line;		/* ties: the later line wins */
};
static struct fdr_read_aid	*fdr_read_aids;
static size_t			 fdr_read_naids;

static void
fdr_read_json_reset(struct fdr_read_json *j)
{
	j->text.len = 0;
	j->n = 0;
}

static void
fdr_read_json_free(struct fdr_read_json *j)
{
	buf_free(&j->text);
	free(j->name);
	free(j->value);
	free(j->type);
	memset(j, 0, sizeof *j);
}

static void
fdr_read_ws(struct fdr_read_scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\r' || *s->p == '\n'))
		s->p++;
}

/*
 * Append to the decoded text without growing it: fdr_read_object makes
 * room for the most a line can decode to before it scans.
 */
static inline void
fdr_read_put(struct buf *b, const void *p, size_t n)
{
	assert(b->len + n <= b->size);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void
fdr_read_utf8(struct buf *b, uint32_t cp)
{
	unsigned char	u[4];
	size_t		n;

	if (cp < 0x80) {
		u[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = 0xc0 | (cp >> 6);
		u[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | (cp >> 12);
		u[1] = 0x80 | ((cp >> 6) & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | (cp >> 18);
		u[1] = 0x80 | ((cp >> 12) & 0x3f);
		u[2] = 0x80 | ((cp >> 6) & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	fdr_read_put(b, u, n);
}

/* The length of a well-formed UTF-8 sequence at p, or 0 (RFC 3629). */
static size_t
fdr_read_utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char	lo = 0x80, hi = 0xbf;
	size_t		n, i;

	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef) {
		n = 3;
		if (*p == 0xe0)
			lo = 0xa0;
		else if (*p == 0xed)
			hi = 0x9f;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		n = 4;
		if (*p == 0xf0)
			lo = 0x90;
		else if (*p == 0xf4)
			hi = 0x8f;
	} else
		return (0);
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (n);
}

static int
fdr_read_hex4(const unsigned char *p, const unsigned char *end, uint32_t *v)
{
	int	i, d;

	if (end - p < 4)
		return (-1);
	*v = 0;
	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			d = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			d = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			d = p[i] - 'A' + 10;
		else
			return (-1);
		*v = (*v << 4) | d;
	}
	return (0);
}

/*
 * Scan a string at s->p (a '"'), appending it decoded and NUL-ended to
 * b if b is not NULL.  What a C string cannot hold or is not text
 * becomes U+FFFD: \u0000, a lone surrogate, a byte that is not UTF-8.
 */
static int
fdr_read_string(struct fdr_read_scan *s, struct buf *b)
{
	const unsigned char	*p = s->p + 1, *run;
	uint32_t		 cp, lo;
	size_t			 n;

	for (;;) {
		run = p;
		while (p < s->end && fdr_read_plain[*p])
			p++;
		if (b != NULL && p > run)
			fdr_read_put(b, run, p - run);
		if (p == s->end) {
			s->why = "a string is not closed";
			return (-1);
		}
		if (*p == '"')
			break;
		if (*p < 0x20) {
			s->why = "a control character in a string";
			return (-1);
		}
		if (*p >= 0x80) {
			if ((n = fdr_read_utf8_len(p, s->end)) == 0) {
				if (b != NULL)
					fdr_read_utf8(b, 0xfffd);
				p++;
			} else {
				if (b != NULL)
					fdr_read_put(b, p, n);
				p += n;
			}
			continue;
		}
		/* A backslash. */
		if (++p == s->end) {
			s->why = "a string is not closed";
			return (-1);
		}
		switch (*p) {
		case '"':
		case '\\':
		case '/':
			cp = *p;
			break;
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'n':
			cp = '\n';
			break;
		case 'r':
			cp = '\r';
			break;
		case 't':
			cp = '\t';
			break;
		case 'u':
			if (fdr_read_hex4(p + 1, s->end, &cp) != 0) {
				s->why = "a bad \\u escape";
				return (-1);
			}
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && s->end - p >= 7 &&
			    p[1] == '\\' && p[2] == 'u' &&
			    fdr_read_hex4(p + 3, s->end, &lo) == 0 &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 0xfffd;
			break;
		default:
			s->why = "a bad escape in a string";
			return (-1);
		}
		p++;
		if (b != NULL)
			fdr_read_utf8(b, cp);
	}
	s->p = p + 1;
	if (b != NULL)
		fdr_read_put(b, "", 1);
	return (0);
}

/* Scan a number as RFC 8259 writes it. */
static int
fdr_read_number(struct fdr_read_scan *s)
{
	const unsigned char	*p = s->p;

#define DIGIT(q) ((q) < s->end && *(q) >= '0' && *(q) <= '9')
	if (p < s->end && *p == '-')
		p++;
	if (p < s->end && *p == '0')
		p++;
	else if (DIGIT(p)) {
		while (DIGIT(p))
			p++;
	} else
		goto bad;
	if (p < s->end && *p == '.') {
		if (!DIGIT(p + 1))
			goto bad;
		p++;
		while (DIGIT(p))
			p++;
	}
	if (p < s->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < s->end && (*p == '+' || *p == '-'))
			p++;
		if (!DIGIT(p))
			goto bad;
		while (DIGIT(p))
			p++;
	}
#undef DIGIT
	s->p = p;
	return (0);
bad:
	s->why = "a bad number";
	return (-1);
}

static int
fdr_read_literal(struct fdr_read_scan *s, const char *word)
{
	size_t	n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0) {
		s->why = "not JSON";
		return (-1);
	}
	s->p += n;
	return (0);
}

/* Scan and drop an object or array, no deeper than FDR_READ_DEPTH_MAX. */
static int
fdr_read_skip(struct fdr_read_scan *s, int depth)
{
	unsigned char	close = *s->p == '{' ? '}' : ']';
	int		first = 1;

	if (depth > FDR_READ_DEPTH_MAX) {
		s->why = "nested too deeply";
		return (-1);
	}
	s->p++;
	for (;;) {
		fdr_read_ws(s);
		if (s->p == s->end) {
			s->why = "an object or array is not closed";
			return (-1);
		}
		if (*s->p == close) {
			s->p++;
			return (0);
		}
		if (!first) {
			if (*s->p != ',') {
				s->why = "a ',' is missing";
				return (-1);
			}
			s->p++;
			fdr_read_ws(s);
		}
		first = 0;
		if (close == '}') {
			if (s->p == s->end || *s->p != '"') {
				s->why = "a member name is not a string";
				return (-1);
			}
			if (fdr_read_string(s, NULL) != 0)
				return (-1);
			fdr_read_ws(s);
			if (s->p == s->end || *s->p != ':') {
				s->why = "a ':' is missing";
				return (-1);
			}
			s->p++;
			fdr_read_ws(s);
		}
		if (s->p == s->end) {
			s->why = "a value is missing";
			return (-1);
		}
		switch (*s->p) {
		case '"':
			if (fdr_read_string(s, NULL) != 0)
				return (-1);
			break;
		case '{':
		case '[':
			if (fdr_read_skip(s, depth + 1) != 0)
				return (-1);
			break;
		case 't':
			if (fdr_read_literal(s, "true") != 0)
				return (-1);
			break;
		case 'f':
			if (fdr_read_literal(s, "false") != 0)
				return (-1);
			break;
		case 'n':
			if (fdr_read_literal(s, "null") != 0)
				return (-1);
			break;
		default:
			if (fdr_read_number(s) != 0)
				return (-1);
			break;
		}
	}
}

/* Scan one member's value into j. */
static int
fdr_read_value(struct fdr_read_scan *s)
{
	struct fdr_read_json	*j = s->j;
	const unsigned char	*start = s->p;

	j->value[j->n] = j->text.len;
	switch (*s->p) {
	case '"':
		j->type[j->n] = FDR_READ_STRING;
		return (fdr_read_string(s, &j->text));
	case '{':
	case '[':
		j->type[j->n] = FDR_READ_NESTED;
		return (fdr_read_skip(s, 1));
	case 't':
	case 'f':
		j->type[j->n] = FDR_READ_LITERAL;
		if (fdr_read_literal(s, *s->p == 't' ? "true" : "false") != 0)
			return (-1);
		break;
	case 'n':
		j->type[j->n] = FDR_READ_NULL;
		return (fdr_read_literal(s, "null"));
	default:
		j->type[j->n] = FDR_READ_NUMBER;
		if (fdr_read_number(s) != 0)
			return (-1);
		break;
	}
	fdr_read_put(&j->text, start, s->p - start);
	fdr_read_put(&j->text, "", 1);
	return (0);
}

/*
 * Scan a line that must be one JSON object into j: 0, or -1 and *why.
 * Nested values are checked and dropped: FDR events are flat.
 */
static int
fdr_read_object(const unsigned char *p, size_t len, struct fdr_read_json *j,
    const char **why)
{
	struct fdr_read_scan	s;
	int			i;

	if (!fdr_read_plain['a']) {
		for (i = 0x20; i < 0x80; i++)
			fdr_read_plain[i] = (i != '"' && i != '\\');
	}
	s.p = p;
	s.end = p + len;
	s.j = j;
	s.why = NULL;
	fdr_read_json_reset(j);
	/*
	 * A byte decodes to at most three (a bad one to U+FFFD), an escape
	 * to fewer than its own, and each string or value ends in a NUL.
	 */
	if (j->text.size < 4 * len + 16) {
		j->text.size = 4 * len + 16;
		j->text.data = xreallocarray(j->text.data, 1, j->text.size);
	}
	fdr_read_ws(&s);
	if (s.p == s.end || *s.p != '{') {
		*why = "not a JSON object";
		return (-1);
	}
	s.p++;
	fdr_read_ws(&s);
	if (s.p < s.end && *s.p == '}')
		s.p++;
	else for (;;) {
		if (j->n == FDR_READ_FIELDS_MAX) {
			*why = "too many members";
			return (-1);
		}
		if (j->n == j->size) {
			j->size = j->size == 0 ? 64 : j->size * 2;
			j->name = xreallocarray(j->name, j->size,
			    sizeof *j->name);
			j->value = xreallocarray(j->value, j->size,
			    sizeof *j->value);
			j->type = xreallocarray(j->type, j->size, 1);
		}
		if (s.p == s.end || *s.p != '"') {
			s.why = "a member name is not a string";
			goto bad;
		}
		j->name[j->n] = j->text.len;
		if (fdr_read_string(&s, &j->text) != 0)
			goto bad;
		fdr_read_ws(&s);
		if (s.p == s.end || *s.p != ':') {
			s.why = "a ':' is missing";
			goto bad;
		}
		s.p++;
		fdr_read_ws(&s);
		if (s.p == s.end) {
			s.why = "a value is missing";
			goto bad;
		}
		if (fdr_read_value(&s) != 0)
			goto bad;
		j->n++;
		fdr_read_ws(&s);
		if (s.p < s.end && *s.p == ',') {
			s.p++;
			fdr_read_ws(&s);
			continue;
		}
		if (s.p < s.end && *s.p == '}') {
			s.p++;
			break;
		}
		s.why = s.p == s.end ? "the object is not closed" :
		    "a ',' is missing";
		goto bad;
	}
	fdr_read_ws(&s);
	if (s.p != s.end) {
		*why = "data after the object";
		return (-1);
	}
	return (0);
bad:
	*why = s.why;
	return (-1);
}

/* A member's value by name: its text, or NULL if absent or null. */
static const char *
fdr_read_get(const struct fdr_read_json *j, const char *name, int *type)
{
	size_t	i;

	for (i = 0; i < j->n; i++) {
		if (strcmp((char *)j->text.data + j->name[i], name) != 0)
			continue;
		if (type != NULL)
			*type = j->type[i];
		if (j->type[i] == FDR_READ_NULL ||
		    j->type[i] == FDR_READ_NESTED)
			return (NULL);
		return ((char *)j->text.data + j->value[i]);
	}
	if (type != NULL)
		*type = FDR_READ_NULL;
	return (NULL);
}

/*
 * Epoch time text ("1709633647123" in ms, "1709633647.123" in s) to
 * evtriage's ISO form with 100 ns; NULL if it is not a time from 1970
 * to 9999.  The fraction is cut, not rounded, at 100 ns.
 */
static char *
fdr_read_time(const char *s, int ms)
{
	const char	*p = s;
	uint64_t	 whole = 0, frac = 0;
	int		 digits = 0, fd = 0;
	struct tm	 tm;
	time_t		 t;
	char		 out[64], date[32];

	while (*p >= '0' && *p <= '9' && digits < 18) {
		whole = whole * 10 + (*p++ - '0');
		digits++;
	}
	if (digits == 0 || (*p >= '0' && *p <= '9'))
		return (NULL);
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (fd < 7) {
				frac = frac * 10 + (*p - '0');
				fd++;
			}
			p++;
		}
	}
	if (*p != '\0')
		return (NULL);
	for (; fd < 7; fd++)
		frac *= 10;
	if (ms) {
		/* Milliseconds: the fraction of a millisecond moves down. */
		frac = (whole % 1000) * 10000 + frac / 1000;
		whole /= 1000;
	}
	if (whole > 253402300799ULL)	/* 9999-12-31T23:59:59Z */
		return (NULL);
	t = (time_t)whole;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return (NULL);
	snprintf(out, sizeof out, "%s.%07lluZ", date, (unsigned long long)frac);
	return (xstrdup(out));
}

/* The host name the aid_master file gives an agent id, or NULL. */
static const char *
fdr_read_aid_host(const char *aid)
{
	size_t	lo = 0, hi = fdr_read_naids, mid;
	int	c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(aid, fdr_read_aids[mid].aid)) == 0)
			return (fdr_read_aids[mid].name);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (NULL);
}

static int
fdr_read_aid_cmp(const void *a, const void *b)
{
	const struct fdr_read_aid	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->aid, y->aid)) != 0)
		return (c);
	return (x->line < y->line ? -1 : x->line > y->line);
}

/*
 * Load an aid_master file (JSON lines with aid and ComputerName, as FDR
 * writes them) before the workers are forked, who inherit it.  Bad
 * lines are warned about and skipped; an aid given twice keeps its last
 * name.  0, or -1 and *cause if the file cannot be read.
 */
int
fdr_read_aid_master(const char *path, char **cause)
{
	struct fdr_read_json	 j;
	FILE			*f;
	char			*line = NULL;
	const char		*why, *aid, *name;
	size_t			 size = 0, i, o;
	ssize_t			 n;
	long long		 lineno = 0;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	memset(&j, 0, sizeof j);
	while ((n = getline(&line, &size, f)) != -1) {
		lineno++;
		if (n > FDR_READ_LINE_MAX) {
			log_warnx("'%s': line %lld: longer than %d bytes",
			    path, lineno, FDR_READ_LINE_MAX);
			continue;
		}
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		if (fdr_read_object((unsigned char *)line, n, &j, &why) != 0) {
			log_warnx("'%s': line %lld: %s", path, lineno, why);
			continue;
		}
		aid = fdr_read_get(&j, "aid", NULL);
		name = fdr_read_get(&j, "ComputerName", NULL);
		if (aid == NULL || *aid == '\0' || name == NULL ||
		    *name == '\0') {
			log_warnx("'%s': line %lld: no aid or ComputerName",
			    path, lineno);
			continue;
		}
		fdr_read_aids = xreallocarray(fdr_read_aids,
		    fdr_read_naids + 1, sizeof *fdr_read_aids);
		fdr_read_aids[fdr_read_naids].aid = xstrdup(aid);
		fdr_read_aids[fdr_read_naids].name = xstrdup(name);
		fdr_read_aids[fdr_read_naids].line = lineno;
		fdr_read_naids++;
	}
	free(line);
	fdr_read_json_free(&j);
	if (ferror(f)) {
		xasprintf(cause, "cannot read '%s': %s", path,
		    strerror(errno));
		fclose(f);
		return (-1);
	}
	fclose(f);
	qsort(fdr_read_aids, fdr_read_naids, sizeof *fdr_read_aids,
	    fdr_read_aid_cmp);
	for (i = 0, o = 0; i < fdr_read_naids; i++) {
		if (i + 1 < fdr_read_naids && strcmp(fdr_read_aids[i].aid,
		    fdr_read_aids[i + 1].aid) == 0) {
			free(fdr_read_aids[i].aid);
			free(fdr_read_aids[i].name);
			continue;
		}
		fdr_read_aids[o++] = fdr_read_aids[i];
	}
	fdr_read_naids = o;
	log_info("'%s': %zu agent ids", path, fdr_read_naids);
	return (0);
}

/* Does this look like FDR JSON lines: an object with event_simpleName? */
static int
fdr_read_probe(const unsigned char *p, size_t n)
{
	return (evidence_identify_fdr(p, n));
}

/* Is the gzip stream whose first bytes these are FDR JSON lines? */
int
fdr_read_probe_gzip(const unsigned char *p, size_t n)
{
	z_stream	z;
	unsigned char	out[4096];
	int		rc;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return (0);
	z.next_in = (unsigned char *)p;
	z.avail_in = n;
	z.next_out = out;
	z.avail_out = sizeof out;
	rc = inflate(&z, Z_SYNC_FLUSH);
	n = sizeof out - z.avail_out;
	inflateEnd(&z);
	if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
		return (0);
	return (fdr_read_probe(out, n));
}

static int
fdr_read_parts(const struct source *src, int64_t window)
{
	(void)src;
	(void)window;
	return (1);
}

static int
fdr_read_open(const struct source *src, const struct reader_window *w,
    void **rp, struct evt_file_info *info, char **cause)
{
	struct fdr_reader	*r;
	unsigned char		 h[3];
	char			*why = NULL;

	(void)w;
	r = xcalloc(1, sizeof *r);
	if (source_open(src, &r->s, &why) != 0) {
		xasprintf(cause, "cannot open: %s", why);
		free(why);
		free(r);
		return (-1);
	}
	if (source_pread(&r->s, h, sizeof h, 0) == sizeof h &&
	    memcmp(h, "\037\213\010", 3) == 0) {
		r->gzip = 1;
		if (inflateInit2(&r->z, 16 + MAX_WBITS) != Z_OK) {
			*cause = xstrdup("cannot initialise zlib");
			source_close(&r->s);
			free(r);
			return (-1);
		}
		r->zinit = 1;
	}
	memset(info, 0, sizeof *info);
	*rp = r;
	return (0);
}

static void
fdr_read_close(void *p)
{
	struct fdr_reader	*r = p;

	if (r == NULL)
		return;
	if (r->zinit)
		inflateEnd(&r->z);
	source_close(&r->s);
	buf_free(&r->line);
	fdr_read_json_free(&r->json);
	free(r);
}

/* Report a line (lineno > 0) or the stream from off on as unreadable. */
static void
fdr_read_problem(evtx_problem_cb pcb, void *arg, int64_t lineno, int64_t off,
    const char *why)
{
	struct evt_problem	pb;

	memset(&pb, 0, sizeof pb);
	pb.record_index = lineno > 0 ? (int)(lineno - 1) : -1;
	pb.offset = off;
	if (lineno > 0)
		xasprintf(&pb.reason, "line %lld: %s", (long long)lineno, why);
	else
		xasprintf(&pb.reason, "cannot read past byte %lld: %s",
		    (long long)off, why);
	pcb(&pb, arg);
	free(pb.reason);
}

/*
 * The next block of the stream into r->out: its length, 0 at the end,
 * -1 with *why if it cannot be read or inflated.
 */
static ssize_t
fdr_read_fill(struct fdr_reader *r, const char **why)
{
	ssize_t	n;
	int	rc;

	if (!r->gzip) {
		n = source_pread(&r->s, r->out, sizeof r->out, r->off);
		if (n == -1) {
			*why = strerror(errno);
			return (-1);
		}
		r->off += n;
		return (n);
	}
	if (r->zend) {
		if (!r->ztrail)
			return (0);
		r->ztrail = 0;
		*why = "data after the gzip stream";
		return (-1);
	}
	r->z.next_out = r->out;
	r->z.avail_out = sizeof r->out;
	while (r->z.avail_out == sizeof r->out) {
		if (r->z.avail_in == 0) {
			n = source_pread(&r->s, r->in, sizeof r->in, r->off);
			if (n == -1) {
				*why = strerror(errno);
				return (-1);
			}
			if (n == 0) {
				*why = "the gzip stream is cut short";
				return (-1);
			}
			r->off += n;
			r->z.next_in = r->in;
			r->z.avail_in = n;
		}
		rc = inflate(&r->z, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			/* Members one after another (RFC 1952 2.2). */
			if (r->z.avail_in == 0 && (n = source_pread(&r->s,
			    r->in, sizeof r->in, r->off)) > 0) {
				r->off += n;
				r->z.next_in = r->in;
				r->z.avail_in = n;
			}
			if (r->z.avail_in == 0 || r->z.next_in[0] != 0x1f) {
				r->zend = 1;
				r->ztrail = r->z.avail_in > 0;
				break;
			}
			inflateReset(&r->z);
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			*why = r->z.msg != NULL ? r->z.msg :
			    "the gzip stream is damaged";
			return (-1);
		}
	}
	return (sizeof r->out - r->z.avail_out);
}

/* Turn a scanned line into a record for the callback. */
static int
fdr_read_line(struct fdr_reader *r, evtx_record_cb cb, evtx_problem_cb pcb,
    void *arg)
{
	struct fdr_read_json	*j = &r->json;
	struct evt_record	 e;
	const char		*why, *name, *v, *host;
	size_t			 i, k;
	int			 type, stop, kind;

	if (r->line.len == 0 || strspn((char *)r->line.data, " \t\r\n") ==
	    r->line.len)
		return (0);
	if (fdr_read_object(r->line.data, r->line.len, j, &why) != 0) {
		fdr_read_problem(pcb, arg, r->lineno, r->lineoff, why);
		return (0);
	}
	name = fdr_read_get(j, "event_simpleName", &type);
	if (name == NULL || type != FDR_READ_STRING || *name == '\0') {
		fdr_read_problem(pcb, arg, r->lineno, r->lineoff,
		    "no event_simpleName string");
		return (0);
	}
	memset(&e, 0, sizeof e);
	e.offset = r->lineoff;
	e.index = (int)(r->lineno - 1);
	e.record_id = r->lineno;
	e.version = -1;
	/*
	 * The record borrows its strings from the scanned line (the
	 * callback keeps nothing of it): only time and fields are its own.
	 */
	e.provider = (char *)"CrowdStrike";
	e.channel = (char *)name;
	if ((kind = event_norm_is_fdr(name)) == 0)
		goto done;

	why = NULL;
	if ((v = fdr_read_get(j, "timestamp", &type)) != NULL) {
		if (type == FDR_READ_LITERAL ||
		    (e.time = fdr_read_time(v, 1)) == NULL)
			why = "timestamp is not epoch milliseconds";
	} else if ((v = fdr_read_get(j, "ProcessStartTime", &type)) != NULL) {
		if (type == FDR_READ_LITERAL ||
		    (e.time = fdr_read_time(v, 0)) == NULL)
			why = "ProcessStartTime is not epoch seconds";
	} else
		why = "no timestamp or ProcessStartTime";
	if (why == NULL && (v = fdr_read_get(j, "RawProcessId", &type)) !=
	    NULL && (type == FDR_READ_LITERAL || event_norm_pid(v) < 0))
		why = "RawProcessId is not a process id";
	host = fdr_read_get(j, "ComputerName", &type);
	if (host == NULL || *host == '\0') {
		host = NULL;
		if ((v = fdr_read_get(j, "aid", NULL)) != NULL && *v != '\0' &&
		    (host = fdr_read_aid_host(v)) == NULL)
			host = v;
	}
	if (why == NULL && host == NULL)
		why = "no ComputerName or aid";
	if (why == NULL && kind == 1 &&
	    fdr_read_get(j, "ImageFileName", NULL) == NULL &&
	    fdr_read_get(j, "CommandLine", NULL) == NULL)
		why = "no ImageFileName or CommandLine";
	if (why == NULL && kind == 2 &&
	    fdr_read_get(j, "TargetProcessId", NULL) == NULL &&
	    fdr_read_get(j, "RawProcessId", NULL) == NULL)
		why = "no TargetProcessId or RawProcessId";
	for (i = 0; why == NULL && i < j->n; i++) {
		if (j->type[i] == FDR_READ_NESTED)
			why = "a nested value in a process event";
	}
	if (why != NULL) {
		fdr_read_problem(pcb, arg, r->lineno, r->lineoff, why);
		free(e.time);
		return (0);
	}
	e.computer = (char *)host;
	e.fields = xreallocarray(NULL, j->n, sizeof *e.fields);
	for (i = 0, k = 0; i < j->n; i++) {
		if (j->type[i] == FDR_READ_NULL)
			continue;
		e.fields[k].name = (char *)j->text.data + j->name[i];
		e.fields[k].value = (char *)j->text.data + j->value[i];
		k++;
	}
	e.nfields = k;
done:
	stop = cb(&e, arg);
	free(e.fields);
	free(e.time);
	return (stop);
}

/*
 * Read the stream line by line.  A line is held whole, up to
 * FDR_READ_LINE_MAX; a longer one is reported and skipped to its end.
 */
static int
fdr_read_read(void *p, evtx_record_cb cb, evtx_problem_cb pcb, void *arg)
{
	struct fdr_reader	*r = p;
	const unsigned char	*q, *nl, *end;
	const char		*why = NULL;
	ssize_t			 n;
	size_t			 take;

	r->lineno = 1;
	for (;;) {
		if ((n = fdr_read_fill(r, &why)) <= 0)
			break;
		q = r->out;
		end = r->out + n;
		while (q < end) {
			nl = memchr(q, '\n', end - q);
			take = (nl != NULL ? nl : end) - q;
			if (!r->toolong && r->line.len + take >
			    FDR_READ_LINE_MAX) {
				r->toolong = 1;
				r->line.len = 0;
			}
			if (!r->toolong)
				buf_append(&r->line, q, take);
			r->pos += take;
			q += take;
			if (nl == NULL)
				break;
			q++;
			r->pos++;
			if (r->toolong)
				fdr_read_problem(pcb, arg, r->lineno,
				    r->lineoff, "longer than 1 MB");
			else {
				buf_append(&r->line, "", 1);
				r->line.len--;
				if (fdr_read_line(r, cb, pcb, arg) != 0)
					return (-1);
			}
			r->toolong = 0;
			r->line.len = 0;
			r->lineno++;
			r->lineoff = r->pos;
		}
	}
	if (r->toolong)
		fdr_read_problem(pcb, arg, r->lineno, r->lineoff,
		    "longer than 1 MB");
	else if (r->line.len > 0) {
		buf_append(&r->line, "", 1);
		r->line.len--;
		if (fdr_read_line(r, cb, pcb, arg) != 0)
			return (-1);
	}
	if (n == -1)
		fdr_read_problem(pcb, arg, -1, r->pos, why);
	return (0);
}

const struct reader fdr_read_reader = {
	"fdr",
	EVIDENCE_FDR_JSON,
	fdr_read_probe,
	fdr_read_parts,
	fdr_read_open,
	fdr_read_read,
	fdr_read_close
};
