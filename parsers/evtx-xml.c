/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Pick the System values and EventData fields out of the XML text that
 * libevtx renders for a record.  The text is libevtx's own output, so
 * this is a small scanner for that shape, not a general XML parser: it
 * knows elements, attributes, text and the five entities plus character
 * references, and maps EventData by each Data element's Name attribute.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "triage/xmalloc.h"
#include "parsers.h"

struct evtx_xml_state {
	const char	*p, *end;
	int		 in_system, in_eventdata;
	char		*data_name;	/* Name of the open Data element */
	char		*elem;		/* name of the open System element */
};

/* Decode text between s and e, entities and character references. */
static char *
evtx_xml_decode(const char *s, const char *e)
{
	struct buf	 b = { 0 };
	const char	*amp, *semi;
	unsigned long	 cp;
	char		*endp;

	while (s < e) {
		amp = memchr(s, '&', e - s);
		if (amp == NULL) {
			buf_append(&b, s, e - s);
			break;
		}
		buf_append(&b, s, amp - s);
		semi = memchr(amp, ';', e - amp);
		if (semi == NULL || semi - amp > 12) {
			buf_append(&b, "&", 1);
			s = amp + 1;
			continue;
		}
		if (strncmp(amp, "&lt;", 4) == 0)
			buf_append(&b, "<", 1);
		else if (strncmp(amp, "&gt;", 4) == 0)
			buf_append(&b, ">", 1);
		else if (strncmp(amp, "&amp;", 5) == 0)
			buf_append(&b, "&", 1);
		else if (strncmp(amp, "&quot;", 6) == 0)
			buf_append(&b, "\"", 1);
		else if (strncmp(amp, "&apos;", 6) == 0)
			buf_append(&b, "'", 1);
		else if (amp[1] == '#') {
			if (amp[2] == 'x' || amp[2] == 'X')
				cp = strtoul(amp + 3, &endp, 16);
			else
				cp = strtoul(amp + 2, &endp, 10);
			if (endp != semi) {
				buf_append(&b, amp, semi + 1 - amp);
			} else if (cp <= 0x10ffff)
				buf_append_utf8(&b, cp);
		} else
			buf_append(&b, amp, semi + 1 - amp);
		s = semi + 1;
	}
	return (buf_take(&b));
}

/* Find attribute name in the tag text [s, e); return its decoded value. */
static char *
evtx_xml_attr(const char *s, const char *e, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p, *q;
	char		 quote;

	for (p = s; p + n + 2 < e; p++) {
		if (!isspace((unsigned char)p[0]) || strncmp(p + 1, name, n))
			continue;
		q = p + 1 + n;
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (q >= e || *q != '=')
			continue;
		q++;
		while (q < e && isspace((unsigned char)*q))
			q++;
		if (q >= e || (*q != '"' && *q != '\''))
			continue;
		quote = *q++;
		p = memchr(q, quote, e - q);
		if (p == NULL)
			return (NULL);
		return (evtx_xml_decode(q, p));
	}
	return (NULL);
}

/*
 * Turn "2017-12-26T13:10:29.136879200Z" into seven fractional digits
 * (also for the XML export reader, xml-read.c).
 */
char *
evtx_xml_time(const char *t)
{
	char	 out[40], frac[8];
	size_t	 i, n;
	const char *dot;

	if (strlen(t) < 19)
		return (xstrdup(t));
	dot = (t[19] == '.') ? t + 20 : NULL;
	memset(frac, '0', 7);
	frac[7] = '\0';
	if (dot != NULL) {
		n = strspn(dot, "0123456789");
		for (i = 0; i < n && i < 7; i++)
			frac[i] = dot[i];
	}
	snprintf(out, sizeof out, "%.19s.%sZ", t, frac);
	return (xstrdup(out));
}

static void
evtx_xml_add_field(struct evt_record *r, char *name, char *value)
{
	r->fields = xreallocarray(r->fields, r->nfields + 1,
	    sizeof *r->fields);
	r->fields[r->nfields].name = name;
	r->fields[r->nfields].value = value;
	r->nfields++;
}

/*
 * Fill r's System values and fields from the XML text.  Values already
 * set in r are kept where the XML lacks them.
 */
int
evtx_xml_parse(const char *xml, size_t len, struct evt_record *r,
    char **cause)
{
	const char	*p = xml, *end = xml + len, *lt, *gt, *name, *ne;
	const char	*text = NULL;
	char		*v, *elem = NULL, *data_name = NULL;
	int		 in_system = 0, in_data = 0, closing, empty;
	size_t		 nl;

	while (p < end && (lt = memchr(p, '<', end - p)) != NULL) {
		gt = memchr(lt, '>', end - lt);
		if (gt == NULL) {
			if (cause != NULL)
				*cause = xstrdup("unterminated XML tag");
			free(elem);
			free(data_name);
			return (-1);
		}
		closing = (lt[1] == '/');
		empty = (gt[-1] == '/');
		name = lt + 1 + closing;
		for (ne = name; ne < gt && !isspace((unsigned char)*ne) &&
		    *ne != '/' && *ne != '>'; ne++)
			;
		nl = ne - name;

		if (closing) {
			if (nl == 6 && strncmp(name, "System", 6) == 0)
				in_system = 0;
			else if (nl == 9 && strncmp(name, "EventData", 9) == 0)
				in_data = 0;
			else if (in_data && data_name != NULL && text != NULL) {
				evtx_xml_add_field(r, data_name,
				    evtx_xml_decode(text, lt));
				data_name = NULL;
			} else if (in_system && elem != NULL && text != NULL) {
				v = evtx_xml_decode(text, lt);
				if (strcmp(elem, "EventID") == 0)
					r->event_id = strtoul(v, NULL, 10);
				else if (strcmp(elem, "Version") == 0)
					r->version = atoi(v);
				else if (strcmp(elem, "EventRecordID") == 0)
					r->record_id = strtoull(v, NULL, 10);
				else if (strcmp(elem, "Channel") == 0) {
					free(r->channel);
					r->channel = v;
					v = NULL;
				} else if (strcmp(elem, "Computer") == 0) {
					free(r->computer);
					r->computer = v;
					v = NULL;
				}
				free(v);
			}
			free(elem);
			elem = NULL;
			text = NULL;
			p = gt + 1;
			continue;
		}
		if (nl == 6 && strncmp(name, "System", 6) == 0)
			in_system = !empty;
		else if (nl == 9 && strncmp(name, "EventData", 9) == 0)
			in_data = !empty;
		else if (in_data && nl == 4 && strncmp(name, "Data", 4) == 0) {
			free(data_name);
			data_name = evtx_xml_attr(ne, gt, "Name");
			if (data_name == NULL)
				xasprintf(&data_name, "Data%zu", r->nfields);
			if (empty) {
				evtx_xml_add_field(r, data_name, xstrdup(""));
				data_name = NULL;
			} else
				text = gt + 1;
		} else if (in_system) {
			free(elem);
			elem = xstrndup(name, nl);
			text = empty ? NULL : gt + 1;
			if (strcmp(elem, "Provider") == 0 &&
			    (v = evtx_xml_attr(ne, gt, "Name")) != NULL) {
				free(r->provider);
				r->provider = v;
			} else if (strcmp(elem, "TimeCreated") == 0 &&
			    (v = evtx_xml_attr(ne, gt, "SystemTime")) != NULL) {
				free(r->time);
				r->time = evtx_xml_time(v);
				free(v);
			} else if (strcmp(elem, "Security") == 0 &&
			    (v = evtx_xml_attr(ne, gt, "UserID")) != NULL) {
				free(r->user_sid);
				r->user_sid = v;
			}
		}
		p = gt + 1;
	}
	free(elem);
	/* A Data element left open holds text to the end: keep it. */
	if (data_name != NULL && text != NULL)
		evtx_xml_add_field(r, data_name, evtx_xml_decode(text, end));
	else
		free(data_name);
	return (0);
}
