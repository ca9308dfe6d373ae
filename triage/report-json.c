/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * JSON Lines reports: one object per hit or per timeline row, and the
 * timeline in the form Timesketch imports (message, datetime, timestamp
 * in microseconds, timestamp_desc, then the CIM fields).  Strings keep
 * the case's text exactly, except bytes that are not UTF-8: see
 * buf_json_unicode.
 */

#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

static void
report_json_key(struct buf *b, const char *key, int first)
{
	if (!first)
		buf_append(b, ",", 1);
	buf_json_unicode(b, key);
	buf_append(b, ":", 1);
}

static void
report_json_end(struct report *r, struct buf *b)
{
	buf_append(b, "}\n", 2);
	fwrite(b->data, 1, b->len, r->f);
	buf_free(b);
}

int
report_json_hits(struct report *r)
{
	struct db_hit			*hits, *h;
	struct db_detection_info	*d;
	struct db_proc			*rows;
	struct buf			 b = { 0 };
	size_t				 n, nd, nrows, i, j;
	char				 tmp[256], *t;
	const char			*title, *zone;
	struct db_detection_info	*dd;

	db_detect_hits(r->db, NULL, 1, &hits, &n);
	db_detection_list(r->db, &d, &nd);
	for (i = 0; i < n; i++) {
		h = &hits[i];
		title = zone = NULL;
		dd = NULL;
		for (j = 0; j < nd; j++) {
			if (strcmp(d[j].name, h->detection) == 0) {
				title = d[j].title;
				zone = d[j].ctime_zone;
				dd = &d[j];
			}
		}
		buf_append(&b, "{", 1);
		report_json_key(&b, "detection", 1);
		buf_json_unicode(&b, h->detection);
		report_json_key(&b, "title", 0);
		buf_json_unicode(&b, title);
		report_json_key(&b, "hit", 0);
		buf_printf(&b, "%lld", (long long)h->id);
		report_json_key(&b, "filtered", 0);
		buf_append_str(&b, h->filter_id > 0 ? "true" : "false");
		report_json_key(&b, "filter_id", 0);
		if (h->filter_id > 0)
			buf_printf(&b, "%lld", (long long)h->filter_id);
		else
			buf_append_str(&b, "null");
		report_json_key(&b, "filter_reason", 0);
		buf_json_unicode(&b, h->filter_reason);
		report_json_key(&b, "risk_score", 0);
		buf_printf(&b, "%d", h->risk_score);
		report_json_key(&b, "risk_level", 0);
		buf_json_unicode(&b, db_risk_level(h->risk_score));
		report_json_key(&b, "risk_message", 0);
		buf_json_unicode(&b, h->risk_message);
		report_json_key(&b, "mitre", 0);
		buf_json_unicode(&b, h->mitre);
		report_json_key(&b, "time", 0);
		t = report_time(r, h->first_time, REPORT_TIME_ISO);
		buf_json_unicode(&b, t);
		free(t);
		/* The zone of the ctime columns (firstTime, lastTime). */
		report_json_key(&b, "ctime_zone", 0);
		buf_json_unicode(&b, zone != NULL ? zone : "UTC");
		for (j = 0; j < h->nvalues; j++) {
			report_json_key(&b, report_field_name(h->fields[j],
			    tmp, sizeof tmp), 0);
			buf_json_unicode(&b, h->values[j]);
		}
		report_json_key(&b, "evidence", 0);
		buf_append(&b, "[", 1);
		report_hit_rows(r, h, &rows, &nrows);
		for (j = 0; j < nrows; j++) {
			if (j > 0)
				buf_append(&b, ",", 1);
			buf_append(&b, "{", 1);
			report_json_key(&b, "row", 1);
			buf_printf(&b, "%lld", (long long)rows[j].id);
			report_json_key(&b, "path", 0);
			buf_json_unicode(&b, rows[j].evidence_path);
			report_json_key(&b, "sha256", 0);
			buf_json_unicode(&b, rows[j].evidence_sha256);
			/* A string: the chain as the case keeps it. */
			report_json_key(&b, "provenance", 0);
			buf_json_unicode(&b, rows[j].evidence_provenance);
			report_json_key(&b, "record_id", 0);
			buf_printf(&b, "%lld", (long long)rows[j].record_id);
			report_json_key(&b, "recovered", 0);
			buf_append_str(&b, rows[j].recovered ? "true" :
			    "false");
			/* Which reader decoded it: null in older cases. */
			report_json_key(&b, "reader", 0);
			buf_json_unicode(&b, rows[j].reader);
			report_json_key(&b, "event_id", 0);
			buf_printf(&b, "%d", rows[j].event_id);
			report_json_key(&b, "_time", 0);
			t = report_time(r, rows[j].time, REPORT_TIME_ISO);
			buf_json_unicode(&b, t);
			free(t);
			buf_append(&b, "}", 1);
		}
		buf_append(&b, "]", 1);
		db_process_free_array(rows, nrows);
		/* The run's window: null bounds are no bounds. */
		report_json_key(&b, "window_earliest", 0);
		t = dd != NULL ? report_time(r, dd->run.earliest,
		    REPORT_TIME_ISO) : NULL;
		buf_json_unicode(&b, t);
		free(t);
		report_json_key(&b, "window_earliest_given", 0);
		buf_json_unicode(&b, dd != NULL ? dd->run.earliest_given :
		    NULL);
		report_json_key(&b, "window_latest", 0);
		t = dd != NULL ? report_time(r, dd->run.latest,
		    REPORT_TIME_ISO) : NULL;
		buf_json_unicode(&b, t);
		free(t);
		report_json_key(&b, "window_latest_given", 0);
		buf_json_unicode(&b, dd != NULL ? dd->run.latest_given :
		    NULL);
		report_json_key(&b, "window_tz", 0);
		buf_json_unicode(&b, dd != NULL ? dd->run.tz : NULL);
		report_json_end(r, &b);
	}
	db_detection_list_free(d, nd);
	db_detect_hits_free(hits, n);
	return (ferror(r->f) ? -1 : 0);
}

/* Append the fields of a timeline row, _time in the report's zone. */
static void
report_json_fields(struct report *r, struct buf *b, const char **names,
    const char **values, const int *isint, size_t n, int first, int skip)
{
	size_t	 i;
	char	*t;

	for (i = 0; i < n; i++) {
		if (skip && strcmp(names[i], "_time") == 0)
			continue;
		report_json_key(b, names[i], first);
		first = 0;
		if (values[i] == NULL)
			buf_append_str(b, "null");
		else if (isint[i])
			buf_append_str(b, values[i]);
		else if (strcmp(names[i], "_time") == 0) {
			t = report_time(r, values[i], REPORT_TIME_ISO);
			buf_json_unicode(b, t);
			free(t);
		} else
			buf_json_unicode(b, values[i]);
	}
}

static int
report_json_timeline_row(void *arg, const char **names, const char **values,
    const int *isint, size_t n)
{
	struct report	*r = arg;
	struct buf	 b = { 0 };

	if (values == NULL)
		return (0);
	buf_append(&b, "{", 1);
	report_json_fields(r, &b, names, values, isint, n, 1, 0);
	report_json_end(r, &b);
	return (ferror(r->f) ? -1 : 0);
}

int
report_json_timeline(struct report *r)
{
	return (db_process_all(r->db, report_json_timeline_row, r));
}

static const char *
report_json_value(const char **names, const char **values, size_t n,
    const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return (values[i]);
	}
	return (NULL);
}

#define V(name) report_json_value(names, values, n, name)

static int
report_json_timesketch_row(void *arg, const char **names,
    const char **values, const int *isint, size_t n)
{
	struct report	*r = arg;
	struct buf	 b = { 0 }, m = { 0 };
	const char	*what, *pid;
	char		*t;
	int		 end;

	if (values == NULL)
		return (0);
	end = strcmp(V("record_type"), "process_end") == 0;
	/* The line Timesketch shows: host, who, what and its pid. */
	buf_printf(&m, "%s: ", V("dest") != NULL ? V("dest") : "unknown");
	what = V("process_path") != NULL ? V("process_path") :
	    V("process_name");
	pid = V("process_id");
	if (end) {
		buf_printf(&m, "%s (pid %s) terminated",
		    what != NULL ? what : "unknown",
		    pid != NULL ? pid : "unknown");
	} else {
		buf_printf(&m, "%s started %s (pid %s)",
		    V("user") != NULL ? V("user") : "unknown",
		    what != NULL ? what : "unknown",
		    pid != NULL ? pid : "unknown");
		if (V("process") != NULL)
			buf_printf(&m, ": %s", V("process"));
	}
	buf_append(&b, "{", 1);
	report_json_key(&b, "message", 1);
	buf_json_unicode(&b, (char *)m.data);
	report_json_key(&b, "datetime", 0);
	t = report_time(r, V("_time"), REPORT_TIME_MICRO);
	buf_json_unicode(&b, t);
	free(t);
	report_json_key(&b, "timestamp", 0);
	buf_printf(&b, "%lld", (long long)report_time_usec(V("_time")));
	report_json_key(&b, "timestamp_desc", 0);
	buf_json_unicode(&b, end ? "Process Terminated" :
	    "Process Created");
	/* _time is left out: datetime has it, and _ names are Elastic's. */
	report_json_fields(r, &b, names, values, isint, n, 0, 1);
	report_json_end(r, &b);
	buf_free(&m);
	return (ferror(r->f) ? -1 : 0);
}

#undef V

int
report_json_timesketch(struct report *r)
{
	return (db_process_all(r->db, report_json_timesketch_row, r));
}
