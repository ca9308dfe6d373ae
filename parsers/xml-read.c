/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The XML export reader: events as XML (wevtutil qe /f:xml, Event
 * Viewer's "Save as XML", Splunk's XmlWinEventLog, one <Event> per line),
 * UTF-8 or UTF-16, with or without a root element, parsed with expat.
 * A small scanner frames each <Event>...</Event> in the stream (it
 * knows comments and CDATA, so a "</Event>" in one does not end the
 * event) and each is parsed as a document of its own, so a malformed
 * event is reported and skipped and the next one still loads; stray text
 * between events is reported too, since it may be a damaged event.  The file is streamed: a
 * buffer, one event's values and expat's state, never the whole file.
 * This is the only file that includes expat.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define XML_READ_BUF	(1 << 18)
#define XML_READ_LOOK	128		/* bytes a tag name is looked at in */
#define XML_READ_EVENT_MAX (16 << 20)	/* bytes: an EVTX record is < 64 KB */

enum xml_read_enc {
	XML_READ_UTF8,
	XML_READ_LATIN1,		/* declared ISO-8859-1 or US-ASCII */
	XML_READ_UTF16LE,
	XML_READ_UTF16BE
};

/* Which System value an element's text is. */
enum xml_read_sys {
	XML_READ_SYS_NONE,
	XML_READ_SYS_EVENTID,
	XML_READ_SYS_VERSION,
	XML_READ_SYS_RECORDID,
	XML_READ_SYS_CHANNEL,
	XML_READ_SYS_COMPUTER
};

struct xml_reader {
	struct source_stream	 s;
	enum xml_read_enc	 enc;
	const char		*encname;	/* for expat */
	int			 unit;		/* bytes a code unit */
	unsigned char		*buf;
	size_t			 len, pos;	/* bytes held, scanned */
	int64_t			 bufoff;	/* file offset of buf[0] */
	int			 eof;
	int			 ioerr;

	XML_Parser		 p;
	int			 root;		/* a root element is open */
	int			 roots;		/* root elements closed */
	int			 events;	/* events framed so far */
	int64_t			 junk;		/* offset of stray text, or -1 */

	/* The event being framed. */
	int			 in_event;
	int64_t			 ev_off;
	size_t			 feed;		/* buf position fed up to */
	size_t			 ev_len;	/* bytes fed */
	char			*bad;		/* why the event is bad */

	/* What expat has shown of it. */
	struct evt_record	 e;
	int			 depth;
	int			 section;	/* 1 System, 2 EventData */
	enum xml_read_sys	 sys;
	int			 has_id;
	int			 collect;
	char			*data_name;
	struct buf		 text;
};

/* The local name of an element or attribute: after any prefix. */
static const char *
xml_read_local(const char *name)
{
	const char	*c;

	if ((c = strrchr(name, ':')) != NULL)
		return (c + 1);
	return (name);
}

static const char *
xml_read_attr(const char **atts, const char *name)
{
	for (; atts[0] != NULL; atts += 2) {
		if (strcmp(xml_read_local(atts[0]), name) == 0)
			return (atts[1]);
	}
	return (NULL);
}

static void XMLCALL
xml_read_start(void *arg, const char *name, const char **atts)
{
	struct xml_reader	*r = arg;
	struct evt_record	*e = &r->e;
	const char		*ln = xml_read_local(name), *v;

	r->depth++;
	if (r->depth == 2) {
		if (strcmp(ln, "System") == 0)
			r->section = 1;
		else if (strcmp(ln, "EventData") == 0)
			r->section = 2;
		else
			r->section = 0;
		return;
	}
	if (r->depth != 3)
		return;
	r->sys = XML_READ_SYS_NONE;
	r->text.len = 0;
	if (r->section == 1) {
		if (strcmp(ln, "Provider") == 0 &&
		    (v = xml_read_attr(atts, "Name")) != NULL) {
			free(e->provider);
			e->provider = xstrdup(v);
		} else if (strcmp(ln, "TimeCreated") == 0 &&
		    (v = xml_read_attr(atts, "SystemTime")) != NULL) {
			free(e->time);
			e->time = evtx_xml_time(v);
		} else if (strcmp(ln, "Security") == 0 &&
		    (v = xml_read_attr(atts, "UserID")) != NULL) {
			free(e->user_sid);
			e->user_sid = xstrdup(v);
		} else if (strcmp(ln, "EventID") == 0)
			r->sys = XML_READ_SYS_EVENTID;
		else if (strcmp(ln, "Version") == 0)
			r->sys = XML_READ_SYS_VERSION;
		else if (strcmp(ln, "EventRecordID") == 0)
			r->sys = XML_READ_SYS_RECORDID;
		else if (strcmp(ln, "Channel") == 0)
			r->sys = XML_READ_SYS_CHANNEL;
		else if (strcmp(ln, "Computer") == 0)
			r->sys = XML_READ_SYS_COMPUTER;
		r->collect = r->sys != XML_READ_SYS_NONE;
	} else if (r->section == 2 && strcmp(ln, "Data") == 0) {
		/* Only process events need their fields (System comes first). */
		if (r->has_id && !event_norm_is_process(e->event_id,
		    e->provider))
			return;
		free(r->data_name);
		if ((v = xml_read_attr(atts, "Name")) != NULL)
			r->data_name = xstrdup(v);
		else
			xasprintf(&r->data_name, "Data%zu", e->nfields);
		r->collect = 1;
	}
}

static void XMLCALL
xml_read_end(void *arg, const char *name)
{
	struct xml_reader	*r = arg;
	struct evt_record	*e = &r->e;
	char			*v;

	if (r->depth-- != 3 || !r->collect)
		return;
	r->collect = 0;
	buf_append(&r->text, "", 1);
	r->text.len--;
	v = (char *)r->text.data;
	if (r->section == 2) {
		e->fields = xreallocarray(e->fields, e->nfields + 1,
		    sizeof *e->fields);
		e->fields[e->nfields].name = r->data_name;
		e->fields[e->nfields].value = xstrdup(v);
		e->nfields++;
		r->data_name = NULL;
		return;
	}
	switch (r->sys) {
	case XML_READ_SYS_EVENTID:
		e->event_id = strtoul(v, NULL, 10);
		r->has_id = 1;
		break;
	case XML_READ_SYS_VERSION:
		e->version = atoi(v);
		break;
	case XML_READ_SYS_RECORDID:
		e->record_id = strtoull(v, NULL, 10);
		break;
	case XML_READ_SYS_CHANNEL:
		free(e->channel);
		e->channel = xstrdup(v);
		break;
	case XML_READ_SYS_COMPUTER:
		free(e->computer);
		e->computer = xstrdup(v);
		break;
	case XML_READ_SYS_NONE:
		break;
	}
}

static void XMLCALL
xml_read_text(void *arg, const char *s, int len)
{
	struct xml_reader	*r = arg;

	if (r->collect)
		buf_append(&r->text, s, len);
}

/* The code unit at buf position i (which must be held). */
static unsigned
xml_read_at(struct xml_reader *r, size_t i)
{
	switch (r->enc) {
	case XML_READ_UTF16LE:
		return (r->buf[i] | (r->buf[i + 1] << 8));
	case XML_READ_UTF16BE:
		return ((r->buf[i] << 8) | r->buf[i + 1]);
	default:
		return (r->buf[i]);
	}
}

/* Give expat the event's bytes up to buf position to. */
static void
xml_read_feed(struct xml_reader *r, size_t to)
{
	size_t	n = to - r->feed;

	if (!r->in_event || n == 0) {
		r->feed = to;
		return;
	}
	r->feed = to;
	if (r->bad != NULL)
		return;
	r->ev_len += n;
	if (r->ev_len > XML_READ_EVENT_MAX) {
		xasprintf(&r->bad, "event larger than %d MB: not read",
		    XML_READ_EVENT_MAX >> 20);
		return;
	}
	if (XML_Parse(r->p, (char *)r->buf + to - n, n, 0) ==
	    XML_STATUS_ERROR)
		xasprintf(&r->bad, "malformed XML event: %s (line %lu)",
		    XML_ErrorString(XML_GetErrorCode(r->p)),
		    (unsigned long)XML_GetCurrentLineNumber(r->p));
}

/*
 * Hold at least n bytes from pos, unless the stream ends first; return
 * whether they are there.  What of an event is scanned is fed to expat
 * before the buffer moves.
 */
static int
xml_read_fill(struct xml_reader *r, size_t n)
{
	ssize_t	 got;

	if (r->len - r->pos >= n)
		return (1);
	if (r->eof)
		return (0);
	xml_read_feed(r, r->pos);
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->bufoff += r->pos;
	r->len -= r->pos;
	r->pos = r->feed = 0;
	while (r->len < n && !r->eof) {
		got = source_pread(&r->s, r->buf + r->len,
		    XML_READ_BUF - r->len, r->bufoff + r->len);
		if (got <= 0) {
			r->eof = 1;
			r->ioerr = got < 0;
		} else
			r->len += got;
	}
	return (r->len - r->pos >= n);
}

/* Does the ASCII text s stand at pos (in code units)? */
static int
xml_read_is(struct xml_reader *r, const char *s)
{
	size_t	i, n = strlen(s);

	if (!xml_read_fill(r, n * r->unit))
		return (0);
	for (i = 0; i < n; i++) {
		if (xml_read_at(r, r->pos + i * r->unit) != (unsigned char)s[i])
			return (0);
	}
	return (1);
}

/* Move past the next s; 0 if the stream ends first. */
static int
xml_read_skip(struct xml_reader *r, const char *s)
{
	while (xml_read_fill(r, r->unit)) {
		if (xml_read_is(r, s)) {
			r->pos += strlen(s) * r->unit;
			return (1);
		}
		r->pos += r->unit;
	}
	return (0);
}

static int
xml_read_space(unsigned c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/*
 * Look at the tag at pos ('<'): its local name into name (empty if it
 * is not a plain ASCII name) and whether it closes.  Returns the code
 * unit after the name.
 */
static unsigned
xml_read_tag(struct xml_reader *r, char *name, size_t size, int *closing)
{
	size_t		 i, n = 0, at;
	unsigned	 c = 0;

	xml_read_fill(r, XML_READ_LOOK);
	at = r->pos + r->unit;
	*closing = 0;
	if (at + r->unit <= r->len && xml_read_at(r, at) == '/') {
		*closing = 1;
		at += r->unit;
	}
	name[0] = '\0';
	for (i = at; i + r->unit <= r->len; i += r->unit) {
		c = xml_read_at(r, i);
		if (xml_read_space(c) || c == '>' || c == '/')
			return (n > 0 ? c : 0);
		if (c >= 0x80 || n + 1 >= size)
			break;
		if (c == ':')
			n = 0;
		else
			name[n++] = c;
		name[n] = '\0';
	}
	name[0] = '\0';
	return (0);
}

static void
xml_read_problem(struct xml_reader *r, evtx_problem_cb pcb, void *arg,
    int index, int64_t off, const char *reason)
{
	struct evt_problem	pb;

	memset(&pb, 0, sizeof pb);
	pb.record_index = index;
	pb.offset = off;
	pb.reason = (char *)reason;
	pcb(&pb, arg);
}

/* Report stray text outside the events: it may be a damaged one. */
static void
xml_read_junk(struct xml_reader *r, evtx_problem_cb pcb, void *arg)
{
	if (r->junk < 0)
		return;
	xml_read_problem(r, pcb, arg, -1, r->junk,
	    "text outside any <Event> element (a damaged event?)");
	r->junk = -1;
}

/* Start an event at pos. */
static void
xml_read_begin(struct xml_reader *r)
{
	XML_ParserReset(r->p, r->encname);
	XML_SetUserData(r->p, r);
	XML_SetElementHandler(r->p, xml_read_start, xml_read_end);
	XML_SetCharacterDataHandler(r->p, xml_read_text);
	/*
	 * Expat sees only the <Event> element, never a DOCTYPE, so no
	 * entity can be declared: none but the five and character
	 * references expands (a bomb's &lol9; is an undefined entity), and
	 * nothing external is fetched.  Expat's own billion laughs
	 * protection (2.4 and later) stays on as well.
	 */
	XML_SetParamEntityParsing(r->p, XML_PARAM_ENTITY_PARSING_NEVER);
	memset(&r->e, 0, sizeof r->e);
	r->e.version = -1;
	r->e.index = r->events;
	r->depth = r->section = r->has_id = r->collect = 0;
	r->sys = XML_READ_SYS_NONE;
	r->in_event = 1;
	r->ev_off = r->bufoff + r->pos;
	r->e.offset = r->ev_off;
	r->feed = r->pos;
	r->ev_len = 0;
}

/*
 * End the event: up to pos is fed; why is set if it has no end tag.
 * Returns the record callback's answer.
 */
static int
xml_read_finish(struct xml_reader *r, const char *why, evtx_record_cb cb,
    evtx_problem_cb pcb, void *arg)
{
	int	 stop = 0;

	xml_read_feed(r, r->pos);
	r->in_event = 0;
	if (r->bad == NULL && why != NULL)
		r->bad = xstrdup(why);
	if (r->bad == NULL &&
	    XML_Parse(r->p, "", 0, 1) == XML_STATUS_ERROR)
		xasprintf(&r->bad, "malformed XML event: %s (line %lu)",
		    XML_ErrorString(XML_GetErrorCode(r->p)),
		    (unsigned long)XML_GetCurrentLineNumber(r->p));
	if (r->bad == NULL && !r->has_id)
		r->bad = xstrdup("no System/EventID");
	if (r->bad != NULL)
		xml_read_problem(r, pcb, arg, r->events, r->ev_off, r->bad);
	else
		stop = cb(&r->e, arg);
	free(r->bad);
	r->bad = NULL;
	free(r->data_name);
	r->data_name = NULL;
	evtx_record_clear(&r->e);
	r->events++;
	return (stop);
}

/*
 * A tag outside the events: the root, its end, or stray.  A root opens
 * before the first event, or after one closed (exports concatenated).
 */
static void
xml_read_outside_tag(struct xml_reader *r, int closing, unsigned after)
{
	if (!closing && !r->root && after != 0 &&
	    (r->events == 0 || r->roots > 0)) {
		r->root = 1;
		xml_read_skip(r, ">");
		return;
	}
	if (closing && r->root && after != 0) {
		r->root = 0;
		r->roots++;
		xml_read_skip(r, ">");
		return;
	}
	if (r->junk < 0)
		r->junk = r->bufoff + r->pos;
	r->pos += r->unit;
}

static int
xml_read_read(void *h, evtx_record_cb cb, evtx_problem_cb pcb, void *arg)
{
	struct xml_reader	*r = h;
	unsigned char		*lt;
	unsigned		 c, after;
	char			 name[64];
	int			 closing, stop = 0;

	while (!stop && xml_read_fill(r, r->unit)) {
		if (r->in_event && r->unit == 1) {
			lt = memchr(r->buf + r->pos, '<', r->len - r->pos);
			if (lt == NULL) {
				r->pos = r->len;
				continue;
			}
			r->pos = lt - r->buf;
		}
		c = xml_read_at(r, r->pos);
		if (c != '<') {
			if (!r->in_event && !xml_read_space(c) &&
			    r->junk < 0)
				r->junk = r->bufoff + r->pos;
			r->pos += r->unit;
			continue;
		}
		if (xml_read_is(r, "<![CDATA[")) {
			if (!r->in_event && r->junk < 0)
				r->junk = r->bufoff + r->pos;
			xml_read_skip(r, "]]>");
			continue;
		}
		if (xml_read_is(r, "<!--")) {
			xml_read_skip(r, "-->");
			continue;
		}
		if (!r->in_event && xml_read_is(r, "<?")) {
			xml_read_skip(r, "?>");
			continue;
		}
		if (!r->in_event && xml_read_is(r, "<!")) {
			/* A DOCTYPE: skipped, its entities never defined. */
			while (xml_read_fill(r, r->unit)) {
				c = xml_read_at(r, r->pos);
				r->pos += r->unit;
				if (c == '[')
					xml_read_skip(r, "]");
				else if (c == '>')
					break;
			}
			continue;
		}
		after = xml_read_tag(r, name, sizeof name, &closing);
		if (strcmp(name, "Event") != 0 || after == 0) {
			if (r->in_event)
				r->pos += r->unit;
			else
				xml_read_outside_tag(r, closing, after);
			continue;
		}
		if (closing && r->in_event) {
			xml_read_skip(r, ">");
			stop = xml_read_finish(r, NULL, cb, pcb, arg);
			continue;
		}
		if (closing) {
			if (r->junk < 0)
				r->junk = r->bufoff + r->pos;
			r->pos += r->unit;
			continue;
		}
		if (r->in_event) {
			stop = xml_read_finish(r,
			    "event without its end tag", cb, pcb, arg);
			if (stop)
				break;
		}
		xml_read_junk(r, pcb, arg);
		xml_read_begin(r);
		r->pos += r->unit;
	}
	if (!stop && r->in_event) {
		r->pos = r->len;
		stop = xml_read_finish(r, "event cut short: the file ends "
		    "inside it (truncated?)", cb, pcb, arg);
	}
	if (!stop)
		xml_read_junk(r, pcb, arg);
	if (r->ioerr)
		xml_read_problem(r, pcb, arg, -1, r->bufoff + r->len,
		    "read error: the rest of the file is not read");
	return (stop ? -1 : 0);
}

/* The encoding named in an XML declaration in the first bytes, or NULL. */
static char *
xml_read_declared(const unsigned char *p, size_t n)
{
	const unsigned char	*e, *q;
	char			 quote;

	if (n < 5 || memcmp(p, "<?xml", 5) != 0)
		return (NULL);
	if ((e = memmem(p, n, "?>", 2)) == NULL)
		return (NULL);
	if ((q = memmem(p, e - p, "encoding", 8)) == NULL)
		return (NULL);
	q += 8;
	while (q < e && (xml_read_space(*q) || *q == '='))
		q++;
	if (q >= e || (*q != '"' && *q != '\''))
		return (NULL);
	quote = *q++;
	if ((p = memchr(q, quote, e - q)) == NULL)
		return (NULL);
	return (xstrndup((const char *)q, p - q));
}

/*
 * Choose the encoding: a BOM, UTF-16 by its zero bytes, or what the
 * declaration says of an 8-bit file.  -1 if it is one expat lacks.
 */
static int
xml_read_encoding(struct xml_reader *r, char **cause)
{
	unsigned char	*p;
	char		*d;

	xml_read_fill(r, 4096);
	p = r->buf;
	r->enc = XML_READ_UTF8;
	if (r->len >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		r->enc = XML_READ_UTF16LE;
		r->pos = 2;
	} else if (r->len >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		r->enc = XML_READ_UTF16BE;
		r->pos = 2;
	} else if (r->len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
	else if (r->len >= 2 && p[0] == '<' && p[1] == 0)
		r->enc = XML_READ_UTF16LE;
	else if (r->len >= 2 && p[0] == 0 && p[1] == '<')
		r->enc = XML_READ_UTF16BE;
	else if ((d = xml_read_declared(p, r->len)) != NULL) {
		if (strcasecmp(d, "ISO-8859-1") == 0 ||
		    strcasecmp(d, "US-ASCII") == 0)
			r->enc = XML_READ_LATIN1;
		else if (strcasecmp(d, "UTF-8") != 0 &&
		    strncasecmp(d, "UTF-16", 6) != 0) {
			xasprintf(cause, "XML in encoding '%s', which evtriage "
			    "cannot read (UTF-8, UTF-16, ISO-8859-1)", d);
			free(d);
			return (-1);
		}
		free(d);
	}
	switch (r->enc) {
	case XML_READ_UTF8:
		r->encname = "UTF-8";
		break;
	case XML_READ_LATIN1:
		r->encname = "ISO-8859-1";
		break;
	case XML_READ_UTF16LE:
		r->encname = "UTF-16LE";
		break;
	case XML_READ_UTF16BE:
		r->encname = "UTF-16BE";
		break;
	}
	r->unit = r->enc >= XML_READ_UTF16LE ? 2 : 1;
	return (0);
}

static void
xml_read_close(void *h)
{
	struct xml_reader	*r = h;

	if (r == NULL)
		return;
	if (r->p != NULL)
		XML_ParserFree(r->p);
	evtx_record_clear(&r->e);
	buf_free(&r->text);
	free(r->data_name);
	free(r->bad);
	free(r->buf);
	source_close(&r->s);
	free(r);
}

static int
xml_read_open(const struct source *src, const struct reader_window *w,
    void **rp, struct evt_file_info *info, char **cause)
{
	struct xml_reader	*r;
	char			*why = NULL;

	r = xcalloc(1, sizeof *r);
	if (source_open(src, &r->s, &why) != 0) {
		xasprintf(cause, "cannot open: %s", why);
		free(why);
		free(r);
		return (-1);
	}
	r->buf = xmalloc(XML_READ_BUF);
	r->junk = -1;
	r->unit = 1;
	if (xml_read_encoding(r, cause) != 0) {
		xml_read_close(r);
		return (-1);
	}
	if ((r->p = XML_ParserCreate(r->encname)) == NULL)
		fatal("XML_ParserCreate");
	memset(info, 0, sizeof *info);
	*rp = r;
	return (0);
}

/* The same test evidence_identify makes. */
static int
xml_read_probe(const unsigned char *p, size_t len)
{
	return (evidence_identify_xml(p, len));
}

/* A stream of events has no windows to read in parallel. */
static int
xml_read_parts(const struct source *src, int64_t window)
{
	return (1);
}

const struct reader xml_read_reader = {
	"xml",
	EVIDENCE_EVTX_XML,
	xml_read_probe,
	xml_read_parts,
	xml_read_open,
	xml_read_read,
	xml_read_close
};
