/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The EVTX reader: read the records of an EVTX source with libevtx, a
 * window of its chunks at a time (evtx-window.c).  Every record is looked
 * at; only process events are rendered to XML and parsed field by field,
 * since rendering is where libevtx spends its time.  A record libevtx
 * cannot read is reported through the problem callback and skipped.
 */

#include <endian.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libbfio.h>
#include <libevtx.h>

#include "triage/xmalloc.h"
#include "triage/casetime.h"
#include "parsers.h"

/* Most records render in less; larger ones get a buffer of their own. */
static uint8_t	evtx_read_xml_buf[1 << 16];

struct evtx_reader {
	struct source_stream s;
	libevtx_file_t	*file;
	libbfio_handle_t *window;	/* a window's handle, or NULL */
	int		 records;
	int		 recovered;
	int		 read_recovered;	/* the window asks for them */
};

/* Turn a libevtx error into a cause string and free it. */
static char *
evtx_read_cause(libevtx_error_t **error, const char *what)
{
	char	 msg[1024], *cause, *nl;

	msg[0] = '\0';
	if (error != NULL && *error != NULL) {
		libevtx_error_backtrace_sprint(*error, msg, sizeof msg);
		libevtx_error_free(error);
	}
	/*
	 * libevtx's message is a backtrace, innermost reason first: keep
	 * that line; the whole of it is for -vv.
	 */
	log_debug("%s: libevtx: %s", what, msg);
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	if (*msg == '\0')
		return (xstrdup(what));
	xasprintf(&cause, "%s: %s", what, msg);
	return (cause);
}

/*
 * Count the records the chunk headers declare (last minus first event
 * record number, plus one, for every chunk with a good signature), to
 * check libevtx against: it skips some records without saying so.
 */
static int64_t
evtx_read_declared(struct source_stream *s, int64_t chunk, int64_t count)
{
	unsigned char	 h[48];
	uint64_t	 first, last;
	int64_t		 n = 0, off;

	for (off = 4096 + chunk * 65536; count-- != 0 &&
	    source_pread(s, h, sizeof h, off) == sizeof h; off += 65536) {
		if (memcmp(h, "ElfChnk", 8) != 0)
			continue;
		memcpy(&first, h + 8, 8);
		memcpy(&last, h + 16, 8);
		first = le64toh(first);
		last = le64toh(last);
		/* A chunk holds at most 65024 / 24 records. */
		if (last >= first && last - first < 2710)
			n += last - first + 1;
	}
	return (n);
}

/*
 * Open the source, or only chunks [chunk, chunk + count) of it (count <
 * 0: to the end) through a window (evtx-window.c).  The records are then
 * numbered from 0 in the window.
 */
int
evtx_read_open(const struct source *src, int64_t chunk, int64_t count,
    struct evtx_reader **rp, struct evt_file_info *info, char **cause)
{
	struct evtx_reader	*r;
	libevtx_error_t		*error = NULL;
	uint16_t		 major = 0, minor = 0;
	uint32_t		 flags = 0;
	char			*why = NULL;
	int			 rc, scan;

	r = xcalloc(1, sizeof *r);
	if (libevtx_file_initialize(&r->file, &error) != 1) {
		*cause = evtx_read_cause(&error, "cannot initialise libevtx");
		free(r);
		return (-1);
	}
	if (source_open(src, &r->s, &why) != 0) {
		xasprintf(cause, "cannot open: %s", why);
		free(why);
		libevtx_file_free(&r->file, NULL);
		free(r);
		return (-1);
	}
	/*
	 * Through a handle of ours even whole: libevtx reads the stream.  A
	 * file whose chunks are found by their signatures (more than 65,535
	 * of them) is shown as a sound file of those chunks even whole.
	 */
	if (chunk == 0 && count < 0 &&
	    (evtx_window_log(&r->s, 0, -1, &scan) == -1 || !scan))
		chunk = -1;
	if (evtx_window_handle(&r->s, chunk, count, &r->window, cause) != 0) {
		source_close(&r->s);
		libevtx_file_free(&r->file, NULL);
		free(r);
		return (-1);
	}
	rc = libevtx_file_open_file_io_handle(r->file, r->window,
	    LIBEVTX_OPEN_READ, &error);
	if (rc != 1) {
		*cause = evtx_read_cause(&error, "cannot open");
		libevtx_file_free(&r->file, NULL);
		if (r->window != NULL)
			libbfio_handle_free(&r->window, NULL);
		source_close(&r->s);
		free(r);
		return (-1);
	}
	memset(info, 0, sizeof *info);
	if (libevtx_file_get_format_version(r->file, &major, &minor,
	    &error) == 1) {
		info->major = major;
		info->minor = minor;
	} else
		libevtx_error_free(&error);
	if (libevtx_file_get_flags(r->file, &flags, &error) == 1)
		info->dirty = (flags & LIBEVTX_FILE_FLAG_IS_DIRTY) != 0;
	else
		libevtx_error_free(&error);
	info->corrupted = libevtx_file_is_corrupted(r->file, &error) == 1;
	libevtx_error_free(&error);
	if (libevtx_file_get_number_of_records(r->file, &r->records,
	    &error) != 1) {
		libevtx_error_free(&error);
		r->records = 0;
	}
	if (libevtx_file_get_number_of_recovered_records(r->file,
	    &r->recovered, &error) != 1) {
		libevtx_error_free(&error);
		r->recovered = 0;
	}
	info->records = r->records;
	info->recovered = r->recovered;
	info->declared = evtx_read_declared(&r->s, chunk < 0 ? 0 : chunk,
	    count);
	*rp = r;
	return (0);
}

void
evtx_read_close(struct evtx_reader *r)
{
	if (r == NULL)
		return;
	libevtx_file_close(r->file, NULL);
	libevtx_file_free(&r->file, NULL);
	if (r->window != NULL)
		libbfio_handle_free(&r->window, NULL);
	source_close(&r->s);
	free(r);
}

void
evtx_record_clear(struct evt_record *e)
{
	size_t	i;

	for (i = 0; i < e->nfields; i++) {
		free(e->fields[i].name);
		free(e->fields[i].value);
	}
	free(e->fields);
	free(e->time);
	free(e->provider);
	free(e->channel);
	free(e->computer);
	free(e->user_sid);
	memset(e, 0, sizeof *e);
}

/* Read one record; 1 loaded or skipped, 0 unreadable (problem set). */
static int
evtx_read_one(libevtx_record_t *rec, struct evt_record *e,
    struct evt_problem *pb)
{
	libevtx_error_t	*error = NULL;
	off64_t		 off = -1;
	uint64_t	 ft = 0;
	size_t		 size = 0;
	uint8_t		*s;
	char		*cause = NULL;
	int		 rc;

	/* libevtx 20181227 answers 0 here: keep only a real offset. */
	if (libevtx_record_get_offset(rec, &off, &error) == 1 && off > 0)
		e->offset = off;
	else
		libevtx_error_free(&error);
	pb->offset = e->offset;
	if (libevtx_record_get_identifier(rec, &e->record_id, &error) != 1) {
		pb->reason = evtx_read_cause(&error, "no record identifier");
		return (0);
	}
	if (libevtx_record_get_event_identifier(rec, &e->event_id,
	    &error) != 1) {
		pb->reason = evtx_read_cause(&error, "no event identifier");
		return (0);
	}
	/* Most records end here, before the provider is looked up. */
	if (e->event_id != 1 && e->event_id != 5 && e->event_id != 4688 &&
	    e->event_id != 4689)
		return (1);
	if (libevtx_record_get_utf8_source_name_size(rec, &size,
	    &error) == 1 && size > 0) {
		s = xmalloc(size);
		if (libevtx_record_get_utf8_source_name(rec, s, size,
		    &error) == 1)
			e->provider = (char *)s;
		else {
			free(s);
			libevtx_error_free(&error);
		}
	} else
		libevtx_error_free(&error);
	if (!event_norm_is_process(e->event_id, e->provider))
		return (1);

	if (libevtx_record_get_written_time(rec, &ft, &error) == 1)
		e->time = casetime_filetime(ft);
	else
		libevtx_error_free(&error);
	/*
	 * Render into a buffer kept between records; only when it is too
	 * small ask libevtx for the size (which walks the record again).
	 */
	s = evtx_read_xml_buf;
	if (libevtx_record_get_utf8_xml_string(rec, s, sizeof evtx_read_xml_buf,
	    &error) == 1)
		size = sizeof evtx_read_xml_buf;
	else {
		libevtx_error_free(&error);
		if (libevtx_record_get_utf8_xml_string_size(rec, &size,
		    &error) != 1 || size == 0) {
			pb->reason = evtx_read_cause(&error,
			    "cannot render record");
			return (0);
		}
		s = xmalloc(size);
		if (libevtx_record_get_utf8_xml_string(rec, s, size,
		    &error) != 1) {
			free(s);
			pb->reason = evtx_read_cause(&error,
			    "cannot render record");
			return (0);
		}
	}
	rc = evtx_xml_parse((char *)s, strnlen((char *)s, size), e, &cause);
	if (s != evtx_read_xml_buf)
		free(s);
	if (rc != 0) {
		pb->reason = cause;
		return (0);
	}
	return (1);
}

/*
 * Read allocated records [first, last) and, if recovered is set, every
 * recovered record.  The callback gets each record (it may keep nothing:
 * the record is cleared afterwards) and returns non-zero to stop.
 */
int
evtx_read_records(struct evtx_reader *r, int first, int last, int recovered,
    evtx_record_cb cb, evtx_problem_cb pcb, void *arg)
{
	libevtx_record_t	*rec;
	libevtx_error_t		*error = NULL;
	struct evt_record	 e;
	struct evt_problem	 pb;
	int			 i, pass, n, stop = 0, ok;

	if (last < 0 || last > r->records)
		last = r->records;
	for (pass = 0; pass < 2 && !stop; pass++) {
		if (pass == 1 && !recovered)
			break;
		n = pass == 0 ? last : r->recovered;
		for (i = pass == 0 ? first : 0; i < n && !stop; i++) {
			memset(&e, 0, sizeof e);
			memset(&pb, 0, sizeof pb);
			e.index = pb.record_index = i;
			e.recovered = pb.recovered = pass;
			e.version = -1;
			e.offset = pb.offset = -1;
			rec = NULL;
			if (pass == 0)
				ok = libevtx_file_get_record_by_index(r->file,
				    i, &rec, &error);
			else
				ok = libevtx_file_get_recovered_record_by_index(
				    r->file, i, &rec, &error);
			if (ok != 1) {
				pb.reason = evtx_read_cause(&error,
				    "cannot read record");
				pcb(&pb, arg);
				free(pb.reason);
				continue;
			}
			if (evtx_read_one(rec, &e, &pb))
				stop = cb(&e, arg);
			else {
				pcb(&pb, arg);
				free(pb.reason);
			}
			evtx_record_clear(&e);
			libevtx_record_free(&rec, NULL);
		}
	}
	return (stop ? -1 : 0);
}

/* The reader interface over the functions above. */
int
evtx_read_probe(const unsigned char *p, size_t len)
{
	return (len >= 8 && memcmp(p, "ElfFile\0", 8) == 0);
}

/*
 * The windows of a file: of the chunks the header counts, the last
 * taking all after them; one for a small file or an odd header.
 */
int
evtx_read_parts(const struct source *src, int64_t window)
{
	struct source_stream	 s;
	int64_t			 chunks;
	char			*cause = NULL;
	int			 n = 1;

	/* A stream read forwards only (an archive's entry) is read whole. */
	if (window <= 0 || src->size <= 4096 + window * 65536 ||
	    src->container->sequential)
		return (1);
	if (source_open(src, &s, &cause) != 0) {
		free(cause);
		return (1);
	}
	if ((chunks = evtx_window_chunks(&s)) > window)
		n = (chunks + window - 1) / window;
	source_close(&s);
	if (n > 1)
		log_info("'%s': read in %d windows of %lld chunks",
		    src->path, n, (long long)window);
	return (n);
}

static int
evtx_read_reader_open(const struct source *src, const struct reader_window *w,
    void **rp, struct evt_file_info *info, char **cause)
{
	struct evtx_reader	*r;

	if (evtx_read_open(src, w->first, w->count, &r, info, cause) != 0)
		return (-1);
	r->read_recovered = w->recovered;
	*rp = r;
	return (0);
}

static int
evtx_read_reader_read(void *r, evtx_record_cb cb, evtx_problem_cb pcb,
    void *arg)
{
	struct evtx_reader	*er = r;

	return (evtx_read_records(er, 0, -1, er->read_recovered, cb, pcb,
	    arg));
}

static void
evtx_read_reader_close(void *r)
{
	evtx_read_close(r);
}

const struct reader evtx_read_reader = {
	"evtx",
	EVIDENCE_EVTX,
	evtx_read_probe,
	evtx_read_parts,
	evtx_read_reader_open,
	evtx_read_reader_read,
	evtx_read_reader_close
};
