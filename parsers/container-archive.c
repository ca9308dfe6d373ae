/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The archive container: a collection that arrives as a zip, a tar, a
 * tar.gz (.tar.bz2, .tar.xz, .tar.zst), a 7z or a lone .gz (.bz2, .xz,
 * .zst) of a log, read through libarchive (the only file
 * that includes it).  The walk makes a source of every log inside, one
 * level of archives inside it too, and stops at the limits that keep a
 * zip bomb from taking the run (ARCHIVE_* in parsers.h).  Nothing is
 * ever extracted: an entry is a stream read straight out of the archive,
 * and the archive itself is read through its own source, so an archive
 * inside another (or inside an image) reads the same way.
 *
 * libarchive reads forwards only, while readers read at offsets.  An
 * entry of up to ARCHIVE_WHOLE bytes (most logs) is read into memory
 * once, when it is first opened, and shared by every stream of it (a
 * worker hashes the entry, then libevtx and the fast reader read it).
 * A folder's compressed archive (a tar.gz, a .gz) is not listed in the
 * walk but during the run (container_archive_list), by a lister that
 * reads it once and hands each log out as it reaches it, its bytes in
 * one of the run's slots (memory files): the worker of a log finds them
 * there and never decompresses the archive itself, so a tar.gz is
 * decompressed once in all.  Any other archive is listed in the walk,
 * in a child that hands over what it found (container_archive_probe),
 * and each worker reads its entry straight out of it.  A larger entry's
 * stream keeps the last ARCHIVE_CACHE bytes it read; a read behind that
 * starts the entry again from the archive's start (counted: libevtx
 * reading a whole file makes two).  So readers read an entry in one
 * part (container.sequential).
 */

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "triage/xmalloc.h"
#include "parsers.h"

#define ARCHIVE_BLOCK	(1 << 16)	/* read from libarchive at a time */
#define ARCHIVE_PART	(1 << 20)	/* a lister's part of a record, about */
#define ARCHIVE_TAIL	(10240 + 1024)	/* a tar's end, padded, at most */
#define ARCHIVE_CACHE	(2 << 20)	/* an entry's last bytes, kept */
#define ARCHIVE_PROBE_SECONDS 3600	/* a child's walk of one archive */

static const char *container_archive_error(struct archive *);

/* An entry's description (source.data): enough to open it in a worker. */
struct container_archive_entry {
	struct source	 parent;	/* the archive: a copy of its own */
	int64_t		 index;		/* of the entry, from 0 */
	int		 raw;		/* a .gz: one stream, no entries */
	int		 slot;		/* its bytes, the lister's: or -1 */
};

/* The archive as libarchive reads it: its parent's stream. */
struct container_archive_in {
	struct source_stream s;
	int64_t		 off;
	int64_t		 size;		/* -1 if unknown */
	unsigned char	 buf[ARCHIVE_BLOCK];
};

/* An opened entry. */
struct container_archive_stream {
	const struct source *src;
	struct container_archive_in *in;
	struct archive	*a;
	int64_t		 pos;		/* of the next byte libarchive gives */
	unsigned char	*cache;		/* bytes [pos - clen, pos) */
	size_t		 clen;
	int		 restarts;
	struct container_archive_whole *whole; /* the entry, if read whole */
};

/*
 * An entry read whole, shared by every stream of it that is open (the
 * hash, libevtx's and the fast reader's) and kept after the last closes
 * for the next open: read-only once read, so counted, never copied.
 */
struct container_archive_whole {
	int		 refs;
	unsigned char	*data;
	size_t		 len;
	int		 mapped;	/* data is a slot's, mapped */
};

/* The entry last read whole: its path and index, and a reference. */
static struct {
	char		*path;
	int64_t		 index, size;
	int		 slot;
	struct container_archive_whole *whole;
} container_archive_kept;

static struct container_archive_whole *
container_archive_whole_ref(struct container_archive_whole *w)
{
	w->refs++;
	return (w);
}

static void
container_archive_whole_unref(struct container_archive_whole *w)
{
	if (w == NULL || --w->refs > 0)
		return;
	if (w->mapped)
		munmap(w->data, w->len);
	else
		free(w->data);
	free(w);
}

/* Keep w, src read whole, for the next open of src. */
static void
container_archive_keep(const struct source *src,
    struct container_archive_whole *w)
{
	const struct container_archive_entry	*e = src->data;

	container_archive_whole_ref(w);
	container_archive_whole_unref(container_archive_kept.whole);
	free(container_archive_kept.path);
	container_archive_kept.path = xstrdup(src->path);
	container_archive_kept.index = e->index;
	container_archive_kept.size = src->size;
	container_archive_kept.slot = e->slot;
	container_archive_kept.whole = w;
}

/* The entry src if it is the one kept, else NULL. */
static struct container_archive_whole *
container_archive_kept_for(const struct source *src)
{
	const struct container_archive_entry	*e = src->data;
	struct stat				 sb;

	if (container_archive_kept.whole == NULL ||
	    container_archive_kept.slot != e->slot ||
	    container_archive_kept.index != e->index ||
	    container_archive_kept.size != src->size ||
	    strcmp(container_archive_kept.path, src->path) != 0)
		return (NULL);
	/*
	 * A slot's mapping shows what the slot holds now, src's; but a
	 * slot made shorter since (emptied, filled with a smaller log)
	 * would fault past its end.
	 */
	if (container_archive_kept.whole->mapped &&
	    (fstat(e->slot, &sb) == -1 ||
	    sb.st_size != (off_t)container_archive_kept.whole->len))
		return (NULL);
	return (container_archive_kept.whole);
}

/*
 * Read the entry whose header a has just read, of size bytes (at most
 * ARCHIVE_WHOLE), whole: in blocks as libarchive holds them, copied once.
 * 0 and *wp (one reference), or -1 and *cause.
 */
static int
container_archive_read_whole(struct archive *a, int64_t size,
    struct container_archive_whole **wp, char **cause)
{
	struct container_archive_whole	*w;
	const void			*p;
	size_t				 n;
	uint64_t			 gap;
	la_int64_t			 off;
	int				 r;

	w = xcalloc(1, sizeof *w);
	w->refs = 1;
	w->data = xmalloc(size > 0 ? size : 1);
	while (w->len < (size_t)size) {
		r = archive_read_data_block(a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_OK) {
			xasprintf(cause, "cannot read entry: %s",
			    container_archive_error(a));
			container_archive_whole_unref(w);
			return (-1);
		}
		/* A sparse entry's holes read as zeros, as archive_read_data. */
		if (off < 0 || (uint64_t)off < w->len) {
			xasprintf(cause, "cannot read entry: Encountered "
			    "out-of-order sparse blocks");
			container_archive_whole_unref(w);
			return (-1);
		}
		if ((uint64_t)off > w->len) {
			gap = (uint64_t)off - w->len;
			if (gap > size - w->len)
				gap = size - w->len;
			memset(w->data + w->len, 0, gap);
			w->len += gap;
		}
		if (n > size - w->len)
			n = size - w->len;
		memcpy(w->data + w->len, p, n);
		w->len += n;
	}
	*wp = w;
	return (0);
}

static ssize_t
container_archive_read_cb(struct archive *a, void *arg, const void **buf)
{
	struct container_archive_in	*in = arg;
	ssize_t				 n;

	n = source_pread(&in->s, in->buf, sizeof in->buf, in->off);
	if (n == -1) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return (-1);
	}
	in->off += n;
	*buf = in->buf;
	return (n);
}

static int64_t
container_archive_seek_cb(struct archive *a, void *arg, int64_t off,
    int whence)
{
	struct container_archive_in	*in = arg;
	int64_t				 to;

	switch (whence) {
	case SEEK_SET:
		to = off;
		break;
	case SEEK_CUR:
		to = in->off + off;
		break;
	default:
		if (in->size < 0)
			return (ARCHIVE_FATAL);
		to = in->size + off;
		break;
	}
	if (to < 0)
		return (ARCHIVE_FATAL);
	in->off = to;
	return (to);
}

static int64_t
container_archive_skip_cb(struct archive *a, void *arg, int64_t n)
{
	struct container_archive_in	*in = arg;

	if (in->size >= 0 && in->off + n > in->size)
		n = in->size > in->off ? in->size - in->off : 0;
	in->off += n;
	return (n);
}

/*
 * Open the archive src with libarchive (a raw stream too, for a .gz
 * that holds no tar).  0, or -1 and *cause.
 */
static int
container_archive_open_archive(const struct source *src, int raw,
    struct archive **ap, struct container_archive_in **inp, char **cause)
{
	struct container_archive_in	*in;
	struct archive			*a;
	char				*why = NULL;

	log_debug("%s: '%s'", __func__, src->path);
	in = xcalloc(1, sizeof *in);
	if (source_open(src, &in->s, &why) != 0) {
		xasprintf(cause, "cannot open: %s", why);
		free(why);
		free(in);
		return (-1);
	}
	in->size = source_size(&in->s);
	if ((a = archive_read_new()) == NULL)
		fatalx("archive_read_new failed");
	/* Only what a collection comes as: no external programs. */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_7zip(a);
	if (raw)
		archive_read_support_format_raw(a);
	archive_read_set_read_callback(a, container_archive_read_cb);
	archive_read_set_seek_callback(a, container_archive_seek_cb);
	archive_read_set_skip_callback(a, container_archive_skip_cb);
	archive_read_set_callback_data(a, in);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		xasprintf(cause, "damaged archive: %s",
		    archive_error_string(a) != NULL ?
		    container_archive_error(a) : "not an archive");
		archive_read_free(a);
		source_close(&in->s);
		free(in);
		return (-1);
	}
	*ap = a;
	*inp = in;
	return (0);
}

static void
container_archive_close_archive(struct archive *a,
    struct container_archive_in *in)
{
	if (a != NULL)
		archive_read_free(a);
	if (in != NULL) {
		source_close(&in->s);
		free(in);
	}
}

/* libarchive's message, without the newline some of them end in. */
static const char *
container_archive_error(struct archive *a)
{
	static char	 msg[1024];
	const char	*s;
	size_t		 len;

	if ((s = archive_error_string(a)) == NULL)
		return ("unknown error");
	snprintf(msg, sizeof msg, "%s", s);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r' ||
	    msg[len - 1] == ' '))
		msg[--len] = '\0';
	return (msg);
}

/*
 * The entry's bytes, if the lister left them in a slot: mapped, read
 * only, as one entry read whole.  0 and *wp, or -1 (read it from the
 * archive).
 */
static int
container_archive_open_slot(const struct source *src,
    struct container_archive_whole **wp)
{
	const struct container_archive_entry	*e = src->data;
	struct container_archive_whole		*w;
	struct stat				 sb;
	void					*p;

	if (e == NULL || e->slot < 0 || src->size > ARCHIVE_WHOLE)
		return (-1);
	if (fstat(e->slot, &sb) == -1 || sb.st_size != src->size) {
		log_info("'%s': its slot holds %lld bytes, not %lld", src->path,
		    (long long)sb.st_size, (long long)src->size);
		return (-1);
	}
	w = xcalloc(1, sizeof *w);
	w->refs = 1;
	if (src->size == 0) {
		w->data = xmalloc(1);
		*wp = w;
		return (0);
	}
	p = mmap(NULL, src->size, PROT_READ, MAP_SHARED | MAP_POPULATE,
	    e->slot, 0);
	if (p == MAP_FAILED) {
		free(w);
		log_info("'%s': cannot map its slot: %s", src->path,
		    strerror(errno));
		return (-1);
	}
	w->data = p;
	w->len = src->size;
	w->mapped = 1;
	*wp = w;
	log_debug("%s: '%s': the lister's slot %d", __func__, src->path,
	    e->slot);
	return (0);
}

/* Open the archive and go to the entry: 0, or -1 and *cause. */
static int
container_archive_seek_entry(struct container_archive_stream *cs,
    char **cause)
{
	const struct container_archive_entry	*e = cs->src->data;
	struct archive_entry			*ae;
	int64_t					 i = 0;
	int					 r;

	log_debug("%s: '%s': from the archive's start", __func__,
	    cs->src->path);
	if (container_archive_open_archive(&e->parent, e->raw, &cs->a,
	    &cs->in, cause) != 0)
		return (-1);
	for (; i <= e->index; i++) {
		r = archive_read_next_header(cs->a, &ae);
		if (r == ARCHIVE_EOF || r < ARCHIVE_WARN) {
			xasprintf(cause, "entry %lld not found: %s",
			    (long long)e->index, r == ARCHIVE_EOF ?
			    "the archive ends first" :
			    container_archive_error(cs->a));
			container_archive_close_archive(cs->a, cs->in);
			cs->a = NULL;
			cs->in = NULL;
			return (-1);
		}
	}
	cs->pos = 0;
	cs->clen = 0;
	return (0);
}

static int
container_archive_open(const struct source *src, void **hp, char **cause)
{
	struct container_archive_stream	*cs;
	struct container_archive_whole	*w;

	cs = xcalloc(1, sizeof *cs);
	cs->src = src;
	if (src->size <= ARCHIVE_WHOLE &&
	    (w = container_archive_kept_for(src)) != NULL) {
		/* Shared: another stream may read the entry beside this. */
		cs->whole = container_archive_whole_ref(w);
		*hp = cs;
		return (0);
	}
	if (container_archive_open_slot(src, &cs->whole) == 0) {
		container_archive_keep(src, cs->whole);
		*hp = cs;
		return (0);
	}
	if (container_archive_seek_entry(cs, cause) != 0) {
		free(cs);
		return (-1);
	}
	if (src->size > ARCHIVE_WHOLE) {
		cs->cache = xmalloc(ARCHIVE_CACHE);
		*hp = cs;
		return (0);
	}
	if (container_archive_read_whole(cs->a, src->size, &cs->whole,
	    cause) != 0) {
		container_archive_close_archive(cs->a, cs->in);
		free(cs);
		return (-1);
	}
	container_archive_close_archive(cs->a, cs->in);
	cs->a = NULL;
	cs->in = NULL;
	/*
	 * A second stream of the entry opened while this one is (the fast
	 * reader's beside libevtx's) or after it shares the bytes instead
	 * of decompressing the archive again up to here.
	 */
	container_archive_keep(src, cs->whole);
	*hp = cs;
	return (0);
}

/* Read the next block of the entry into the cache: its size, or -1. */
static ssize_t
container_archive_fill(struct container_archive_stream *cs)
{
	la_ssize_t	n;
	size_t		keep;

	if (cs->clen + ARCHIVE_BLOCK > ARCHIVE_CACHE) {
		keep = ARCHIVE_CACHE / 2;
		memmove(cs->cache, cs->cache + cs->clen - keep, keep);
		cs->clen = keep;
	}
	n = archive_read_data(cs->a, cs->cache + cs->clen, ARCHIVE_BLOCK);
	if (n < 0) {
		log_info("'%s': %s", cs->src->path,
		    container_archive_error(cs->a));
		errno = EIO;
		return (-1);
	}
	cs->clen += n;
	cs->pos += n;
	return (n);
}

/*
 * Read at off: from the cache, or on along the stream; behind the cache,
 * from the entry's start again.
 */
static ssize_t
container_archive_pread(void *h, void *buf, size_t len, int64_t off)
{
	struct container_archive_stream	*cs = h;
	unsigned char			*out = buf;
	size_t				 done = 0, k;
	int64_t				 o;
	ssize_t				 n;
	char				*cause = NULL;

	if (off < 0) {
		errno = EINVAL;
		return (-1);
	}
	if (cs->whole != NULL) {
		if (off >= (int64_t)cs->whole->len)
			return (0);
		if (len > cs->whole->len - off)
			len = cs->whole->len - off;
		memcpy(buf, cs->whole->data + off, len);
		return (len);
	}
	if (off >= cs->src->size)
		return (0);
	if ((int64_t)len > cs->src->size - off)
		len = cs->src->size - off;
	while (done < len) {
		o = off + done;
		if (o < cs->pos - (int64_t)cs->clen) {
			container_archive_close_archive(cs->a, cs->in);
			cs->a = NULL;
			cs->in = NULL;
			cs->restarts++;
			if (container_archive_seek_entry(cs, &cause) != 0) {
				log_info("'%s': %s", cs->src->path, cause);
				free(cause);
				errno = EIO;
				return (-1);
			}
		}
		if (o < cs->pos) {
			k = cs->pos - o;
			if (k > len - done)
				k = len - done;
			memcpy(out + done, cs->cache + cs->clen -
			    (cs->pos - o), k);
			done += k;
			continue;
		}
		if ((n = container_archive_fill(cs)) == -1)
			return (-1);
		if (n == 0)
			break;
	}
	return (done);
}

static int64_t
container_archive_size(void *h)
{
	struct container_archive_stream	*cs = h;

	return (cs->src->size);
}

static void
container_archive_close(void *h)
{
	struct container_archive_stream		*cs = h;

	if (cs->restarts > 0)
		log_debug("%s: '%s': read again from the start %d times",
		    __func__, cs->src->path, cs->restarts);
	container_archive_whole_unref(cs->whole);
	container_archive_close_archive(cs->a, cs->in);
	free(cs->cache);
	free(cs);
}

/* An entry changed if its archive did. */
static int
container_archive_changed(const struct source *src)
{
	const struct container_archive_entry	*e = src->data;

	return (source_changed(&e->parent));
}

static void
container_archive_clear(void *data)
{
	struct container_archive_entry	*e = data;

	source_clear(&e->parent);
	free(e);
}

static void *container_archive_copy(const void *);

static const struct container container_archive_container = {
	"archive",
	container_archive_open,
	container_archive_pread,
	container_archive_size,
	container_archive_close,
	container_archive_changed,
	container_archive_clear,
	container_archive_copy,
	1
};

/* A deep copy of src into dst (its path, chain and description). */
static void
container_archive_copy_source(struct source *dst, const struct source *src)
{
	*dst = *src;
	dst->path = xstrdup(src->path);
	dst->provenance = src->provenance != NULL ?
	    xstrdup(src->provenance) : NULL;
	if (src->data != NULL) {
		assert(src->container->copy != NULL);
		dst->data = src->container->copy(src->data);
	}
}

static void *
container_archive_copy(const void *data)
{
	const struct container_archive_entry	*e = data;
	struct container_archive_entry		*c;

	c = xcalloc(1, sizeof *c);
	container_archive_copy_source(&c->parent, &e->parent);
	c->index = e->index;
	c->raw = e->raw;
	c->slot = e->slot;
	return (c);
}

struct container_archive_walk {
	const struct source	*arc;
	struct evidence_list	*list;
	evidence_walk_cb	 cb;
	void			*arg;
	int			 depth;		/* of arc: 0 in a folder */
	struct buf		*out;		/* the child's record, or NULL */
	const struct archive_lister *ls;	/* the lister's, or NULL */
};

/*
 * What the walk's child found, handed to the walk's process so that it
 * need not walk the archive again (for a tar.gz, decompress it all
 * again): a record of items, each a type byte and its fields (integers
 * as int64_t, strings as a length and the bytes), in the walk's order.
 */
#define CONTAINER_ARCHIVE_REPORT 'R'	/* what, path, why */
#define CONTAINER_ARCHIVE_SOURCE 'S'	/* index, size, mtime, kind, name */
#define CONTAINER_ARCHIVE_NEST	 'N'	/* the same: an archive, then its */
#define CONTAINER_ARCHIVE_END	 'E'	/* the end of a nested archive */
#define CONTAINER_ARCHIVE_EMPTY	 'Z'	/* an archive with no entries */
#define CONTAINER_ARCHIVE_DONE	 'F'	/* the record's length before it */

static void
container_archive_put_int(struct buf *b, int64_t v)
{
	buf_append(b, &v, sizeof v);
}

static void
container_archive_put_str(struct buf *b, const char *s)
{
	size_t	len = strlen(s);

	container_archive_put_int(b, len);
	buf_append(b, s, len);
}

/* An entry's item: the facts its source is made of. */
static void
container_archive_put_entry(struct buf *b, int type, int64_t index,
    int64_t size, time_t mtime, enum evidence_kind kind, const char *name)
{
	unsigned char	t = type;

	buf_append(b, &t, 1);
	container_archive_put_int(b, index);
	container_archive_put_int(b, size);
	container_archive_put_int(b, mtime);
	container_archive_put_int(b, kind);
	container_archive_put_str(b, name);
}

/* The record read back: where, and whether it has gone wrong. */
struct container_archive_got {
	const unsigned char	*p;
	size_t			 len, off;
	int			 bad;
};

static int
container_archive_get_type(struct container_archive_got *g)
{
	if (g->bad || g->off >= g->len) {
		g->bad = 1;
		return (-1);
	}
	return (g->p[g->off++]);
}

static int64_t
container_archive_get_int(struct container_archive_got *g)
{
	int64_t	v;

	if (g->bad || g->len - g->off < sizeof v) {
		g->bad = 1;
		return (0);
	}
	memcpy(&v, g->p + g->off, sizeof v);
	g->off += sizeof v;
	return (v);
}

static char *
container_archive_get_str(struct container_archive_got *g)
{
	int64_t	len = container_archive_get_int(g);
	char	*s;

	if (g->bad || len < 0 || (uint64_t)len > g->len - g->off) {
		g->bad = 1;
		return (xstrdup(""));
	}
	s = xstrndup((const char *)g->p + g->off, len);
	g->off += len;
	return (s);
}

static void
container_archive_report(struct container_archive_walk *w,
    const char *name, enum evidence_walk_what what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
container_archive_count(struct evidence_list *list,
    enum evidence_walk_what what)
{
	switch (what) {
	case EVIDENCE_WALK_SKIPPED:
		list->skipped++;
		break;
	case EVIDENCE_WALK_FAILED:
		list->failed++;
		break;
	case EVIDENCE_WALK_UNSUPPORTED:
		list->unsupported++;
		break;
	case EVIDENCE_WALK_NOT_EVTX:
		list->notevtx++;
		break;
	case EVIDENCE_WALK_AGAIN:
		break;
	}
}

/* Report what became of an entry (name NULL: the archive itself). */
static void
container_archive_report(struct container_archive_walk *w,
    const char *name, enum evidence_walk_what what, const char *fmt, ...)
{
	va_list		 ap;
	char		*path, *why;
	unsigned char	 t = CONTAINER_ARCHIVE_REPORT;

	container_archive_count(w->list, what);
	if (w->cb == NULL && w->out == NULL)
		return;
	if (name != NULL)
		xasprintf(&path, "%s > %s", w->arc->path, name);
	else
		path = xstrdup(w->arc->path);
	va_start(ap, fmt);
	xvasprintf(&why, fmt, ap);
	va_end(ap);
	if (w->out != NULL) {
		buf_append(w->out, &t, 1);
		container_archive_put_int(w->out, what);
		container_archive_put_str(w->out, path);
		container_archive_put_str(w->out, why);
	} else
		w->cb(path, why, what, w->arg);
	free(why);
	free(path);
}

/* The entry's chain: the archive's, then the archive and the entry. */
static char *
container_archive_provenance(const struct source *arc, const char *name,
    int64_t size, time_t mtime)
{
	struct buf	 b;
	struct tm	 tm;
	char		 t[32];
	const char	*p = arc->provenance, *format;
	size_t		 len;

	memset(&b, 0, sizeof b);
	len = p != NULL ? strlen(p) : 0;
	while (len > 0 && p[len - 1] != ']')
		len--;
	if (len > 2) {
		buf_append(&b, p, len - 1);
		buf_append_str(&b, ",");
	} else
		buf_append_str(&b, "[");
	switch (arc->kind) {
	case EVIDENCE_ZIP:
		format = "zip";
		break;
	case EVIDENCE_TAR:
		format = "tar";
		break;
	case EVIDENCE_7Z:
		format = "7z";
		break;
	case EVIDENCE_BZIP2:
		format = "bzip2";
		break;
	case EVIDENCE_XZ:
		format = "xz";
		break;
	case EVIDENCE_ZSTD:
		format = "zstd";
		break;
	default:
		format = "gzip";
		break;
	}
	buf_printf(&b, "{\"container\":\"archive\",\"format\":\"%s\"",
	    format);
	buf_printf(&b, "},{\"container\":\"entry\",\"path\":");
	buf_json_string(&b, name);
	buf_printf(&b, ",\"size\":%lld", (long long)size);
	if (gmtime_r(&mtime, &tm) != NULL &&
	    strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm) != 0)
		buf_printf(&b, ",\"mtime\":\"%s\"", t);
	buf_append_str(&b, "}]");
	return (buf_take(&b));
}

/*
 * The name of a .gz's (.bz2's, .xz's, .zst's) one stream: the archive's
 * name without its suffix.
 */
static char *
container_archive_raw_name(const char *path)
{
	static const char	*suffix[] = { ".gz", ".bz2", ".xz", ".zst" };
	const char		*base = path, *p;
	size_t			 len, n, i;

	/* The last name of the path, or of the entry's inside an archive. */
	for (p = path; (p = strstr(p, " > ")) != NULL; p += 3)
		base = p + 3;
	if (strrchr(base, '/') != NULL)
		base = strrchr(base, '/') + 1;
	len = strlen(base);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		n = strlen(suffix[i]);
		if (len > n && strcasecmp(base + len - n, suffix[i]) == 0)
			return (xstrndup(base, len - n));
	}
	return (xstrdup(base));
}

/* The source of entry index of arc, named name in it. */
static void
container_archive_entry_source(struct source *src, const struct source *arc,
    int64_t index, int64_t size, time_t mtime,
    enum evidence_kind kind, const char *name)
{
	struct container_archive_entry	*e;

	memset(src, 0, sizeof *src);
	e = xcalloc(1, sizeof *e);
	container_archive_copy_source(&e->parent, arc);
	e->index = index;
	e->raw = evidence_identify_compressed(arc->kind);
	e->slot = -1;
	src->container = &container_archive_container;
	src->reader = reader_find(kind);
	src->kind = kind;
	xasprintf(&src->path, "%s > %s", arc->path, name);
	src->provenance = container_archive_provenance(arc, name, size, mtime);
	src->data = e;
	src->size = size;
	src->mtime = mtime;
	src->mtim.tv_sec = src->mtime;
	src->ctim = arc->ctim;
}

static void container_archive_walk_depth(const struct source *,
    struct evidence_list *, evidence_walk_cb, void *, int, struct buf *,
    const struct archive_lister *);

/*
 * The lister's: hand out what the walk has recorded since the last
 * time, with the slot that holds the bytes of the entry it ends with.
 */
static void
container_archive_send(struct container_archive_walk *w, int slot)
{
	if (w->ls == NULL || (w->out->len == 0 && slot < 0))
		return;
	/* Inside an archive inside: in parts, of a bounded size. */
	if (w->depth > 0 && w->out->len < ARCHIVE_PART)
		return;
	w->ls->send(w->out->data, w->out->len, slot, w->ls->arg);
	w->out->len = 0;
}

/*
 * The lister's: read the rest of the entry whose first n bytes (head)
 * the walk has read into a free slot, size bytes (-1 if its header does
 * not say).  Returns the slot, or -1 if the entry is not all in one:
 * larger than ARCHIVE_WHOLE, shorter than its header says, or a read
 * failed (*err).  *got is the bytes of it read, *end whether that is
 * all of them.
 */
static int
container_archive_fill_slot(struct container_archive_walk *w,
    struct archive *a, const unsigned char *head, size_t n, int64_t size,
    int64_t *got, int *end, int *err)
{
	static unsigned char	 block[ARCHIVE_BLOCK];
	unsigned char		*map = NULL;
	la_ssize_t		 r = 0;
	int64_t			 off = n;
	int			 slot, fd;

	*got = n;
	*end = 0;
	*err = 0;
	if (size > ARCHIVE_WHOLE || (slot = w->ls->take(w->ls->arg)) < 0)
		return (-1);
	fd = w->ls->slots[slot];
	if (size >= 0) {
		/* As large as the header says: read straight into it. */
		if (ftruncate(fd, size) == -1 || (size > 0 &&
		    (map = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_SHARED, fd, 0)) == MAP_FAILED)) {
			log_debug("%s: a slot of %lld bytes: %s", __func__,
			    (long long)size, strerror(errno));
			goto give;
		}
		if (n > (size_t)size)
			n = size;
		if (n > 0)
			memcpy(map, head, n);
		for (off = n; off < size; off += r) {
			if ((r = archive_read_data(a, map + off,
			    size - off)) <= 0)
				break;
		}
		if (map != NULL)
			munmap(map, size);
		*got = off;
		*end = 1;
		if (r < 0)
			*err = 1;
		if (off == size && r >= 0)
			return (slot);
		goto give;
	}
	/* A .gz's one stream: its size is what it holds. */
	if (ftruncate(fd, 0) == -1 || pwrite(fd, head, n, 0) != (ssize_t)n)
		goto give;
	while ((r = archive_read_data(a, block, sizeof block)) > 0) {
		*got = off + r;
		if (off + r > ARCHIVE_WHOLE)
			goto give;
		if (pwrite(fd, block, r, off) != r) {
			log_debug("%s: a slot of %lld bytes: %s", __func__,
			    (long long)(off + r), strerror(errno));
			goto give;
		}
		off += r;
	}
	*end = 1;
	if (r == 0)
		return (slot);
	*err = 1;
give:
	if (ftruncate(fd, 0) == -1)
		log_debug("%s: ftruncate: %s", __func__, strerror(errno));
	w->ls->give(slot, w->ls->arg);
	return (-1);
}

/*
 * A tar ends at two zero blocks.  A header that says its entry is longer
 * than it is makes the end come early, in a later entry's data, and the
 * entries after vanish: so what follows the end is looked at.  More of
 * it than the end's padding to a 10 KiB record (ARCHIVE_TAIL), or in a
 * tar anything but zeros, is named: a tar.gz's length is the one its
 * gzip trailer gives.  Other compressions do not say theirs.
 */
static void
container_archive_tail(struct container_archive_walk *w, struct archive *a,
    struct container_archive_in *in)
{
	static unsigned char	 block[ARCHIVE_BLOCK];
	unsigned char		 isize[4];
	int64_t			 off, used, whole;
	ssize_t			 n, i;

	if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) !=
	    ARCHIVE_FORMAT_TAR || in->size <= 0)
		return;
	used = archive_filter_bytes(a, 0);
	switch (archive_filter_code(a, 0)) {
	case ARCHIVE_FILTER_NONE:
		whole = in->size;
		if (whole - used > ARCHIVE_TAIL)
			goto early;
		for (off = used; off < in->size; off += n) {
			if ((n = source_pread(&in->s, block, sizeof block,
			    off)) <= 0)
				return;
			for (i = 0; i < n && block[i] == 0; i++)
				;
			if (i < n)
				goto early;
		}
		return;
	case ARCHIVE_FILTER_GZIP:
		if (in->size < 18 || source_pread(&in->s, isize, sizeof isize,
		    in->size - 4) != sizeof isize)
			return;
		whole = (int64_t)isize[0] | (int64_t)isize[1] << 8 |
		    (int64_t)isize[2] << 16 | (int64_t)isize[3] << 24;
		/* The trailer has the length modulo 4 GiB. */
		while (whole < used)
			whole += (int64_t)1 << 32;
		if (whole - used > ARCHIVE_TAIL)
			goto early;
		return;
	default:
		return;
	}
early:
	container_archive_report(w, NULL, EVIDENCE_WALK_FAILED, "the archive "
	    "ends after %lld of its %lld bytes and the rest is not read: "
	    "an entry's header may say it is longer than it is", (long long)used,
	    (long long)whole);
}

/*
 * Walk the archive arc at depth: a source for each log in it (to
 * list), a walk of each archive in it if depth allows, and a report
 * of every other entry and of damage and limits.  With out, record
 * them there instead; with ls too (a lister), hand each log out as it
 * is reached, with its bytes in a slot.
 */
static void
container_archive_walk_depth(const struct source *arc,
    struct evidence_list *list, evidence_walk_cb cb, void *arg, int depth,
    struct buf *out, const struct archive_lister *ls)
{
	struct container_archive_walk	 w;
	struct container_archive_in	*in = NULL;
	struct archive			*a = NULL;
	struct archive_entry		*ae;
	struct source			 src;
	enum evidence_kind		 kind;
	const struct reader		*reader;
	unsigned char			 head[EVIDENCE_IDENTIFY_HEAD], foot[8];
	static unsigned char		 scratch[ARCHIVE_BLOCK];
	const char			*pn;
	char				*name, *cause = NULL;
	int64_t				 index, size, total = 0, limit, off, got;
	la_ssize_t			 r;
	size_t				 n, len;
	time_t				 mtime;
	int				 raw, rc, named, known, slot, end, err;
	unsigned char			 t;

	memset(&w, 0, sizeof w);
	w.arc = arc;
	w.list = list;
	w.cb = cb;
	w.arg = arg;
	w.depth = depth;
	w.out = out;
	w.ls = out != NULL ? ls : NULL;
	raw = evidence_identify_compressed(arc->kind);
	/* Its entries must carry a copy of it: a container must say how. */
	if (arc->data != NULL && arc->container->copy == NULL) {
		container_archive_report(&w, NULL, EVIDENCE_WALK_FAILED,
		    "%s inside a %s, which evtriage cannot read yet",
		    evidence_identify_name(arc->kind), arc->container->name);
		container_archive_send(&w, -1);
		return;
	}
	if (container_archive_open_archive(arc, raw, &a, &in, &cause) != 0) {
		container_archive_report(&w, NULL, EVIDENCE_WALK_FAILED, "%s",
		    cause);
		free(cause);
		container_archive_send(&w, -1);
		return;
	}
	limit = ARCHIVE_RATIO_FLOOR;
	if (in->size > 0 && in->size < INT64_MAX / ARCHIVE_RATIO_MAX &&
	    in->size * ARCHIVE_RATIO_MAX > limit)
		limit = in->size * ARCHIVE_RATIO_MAX;
	for (index = 0;; index++) {
		container_archive_send(&w, -1);
		rc = archive_read_next_header(a, &ae);
		if (rc == ARCHIVE_EOF) {
			container_archive_tail(&w, a, in);
			break;
		}
		if (rc < ARCHIVE_WARN) {
			if (index == 0)
				container_archive_report(&w, NULL,
				    EVIDENCE_WALK_FAILED, "damaged archive: %s",
				    container_archive_error(a));
			else
				container_archive_report(&w, NULL,
				    EVIDENCE_WALK_FAILED, "damaged archive "
				    "after %lld entries, the rest not read: %s",
				    (long long)index,
				    container_archive_error(a));
			break;
		}
		if (index >= ARCHIVE_ENTRIES_MAX) {
			container_archive_report(&w, NULL,
			    EVIDENCE_WALK_FAILED, "zip bomb limit: more than "
			    "%d entries, the rest not read",
			    ARCHIVE_ENTRIES_MAX);
			break;
		}
		if (archive_entry_filetype(ae) != AE_IFREG &&
		    archive_format(a) != ARCHIVE_FORMAT_RAW)
			continue;
		if (raw && archive_format(a) == ARCHIVE_FORMAT_RAW)
			name = container_archive_raw_name(arc->path);
		else if ((pn = archive_entry_pathname_utf8(ae)) != NULL ||
		    (pn = archive_entry_pathname(ae)) != NULL)
			name = xstrdup(pn);
		else
			xasprintf(&name, "entry %lld", (long long)index);
		known = archive_entry_size_is_set(ae);
		size = known ? archive_entry_size(ae) : 0;
		if (size > ARCHIVE_ENTRY_MAX || total + size > limit) {
			container_archive_report(&w, name,
			    EVIDENCE_WALK_FAILED, "zip bomb limit: expands "
			    "to %lld bytes in all from %lld, the rest not "
			    "read", (long long)(total + size),
			    (long long)in->size);
			free(name);
			break;
		}
		total += size;
		n = 0;
		while (n < sizeof head && (r = archive_read_data(a, head + n,
		    sizeof head - n)) > 0)
			n += r;
		if (n < sizeof head && r < 0) {
			container_archive_report(&w, name,
			    EVIDENCE_WALK_FAILED, "cannot read entry: %s",
			    container_archive_error(a));
			free(name);
			continue;
		}
		kind = evidence_identify_buf(head, n, NULL);
		/* A fixed VHD is known by its footer: read to the end. */
		if (kind == EVIDENCE_OTHER && known &&
		    evidence_identify_foot_wanted(name, head, n, size)) {
			memset(foot, 0, sizeof foot);
			evidence_identify_foot(foot, size, 0, head, n);
			for (off = n; (r = archive_read_data(a, scratch,
			    sizeof scratch)) > 0; off += r)
				evidence_identify_foot(foot, size, off,
				    scratch, r);
			kind = evidence_identify_buf(head, n, foot);
		}
		len = strlen(name);
		named = len > 5 && strcasecmp(name + len - 5, ".evtx") == 0;
		reader = reader_find(kind);
		if (kind == EVIDENCE_OTHER || (reader == NULL &&
		    !evidence_identify_archive(kind))) {
			if (named)
				container_archive_report(&w, name,
				    EVIDENCE_WALK_NOT_EVTX,
				    "no EVTX signature");
			else if (kind == EVIDENCE_OTHER)
				container_archive_report(&w, name,
				    EVIDENCE_WALK_SKIPPED, "no EVTX signature");
			else
				container_archive_report(&w, name,
				    EVIDENCE_WALK_UNSUPPORTED, "%s, which "
				    "evtriage cannot read yet",
				    evidence_identify_name(kind));
			free(name);
			continue;
		}
		if (evidence_identify_archive(kind) &&
		    depth + 1 > ARCHIVE_DEPTH_MAX) {
			container_archive_report(&w, name,
			    EVIDENCE_WALK_FAILED, "%s inside an archive inside "
			    "an archive, not read (nesting limit %d)",
			    evidence_identify_name(kind), ARCHIVE_DEPTH_MAX);
			free(name);
			continue;
		}
		/*
		 * A lister reads a log into a slot now, on its way through
		 * the archive, for its worker; a .gz's one stream, whose
		 * header has no size, is counted as it is read.
		 */
		slot = -1;
		got = n;
		end = err = 0;
		if (w.ls != NULL && depth == 0 && reader != NULL)
			slot = container_archive_fill_slot(&w, a, head, n,
			    known ? size : -1, &got, &end, &err);
		/* No size in the header (a .gz): count it, to the limit. */
		if (!known) {
			size = got;
			r = err ? -1 : 0;
			while (!end && !err && (r = archive_read_data(a,
			    scratch, sizeof scratch)) > 0 &&
			    size <= ARCHIVE_ENTRY_MAX && total + size <= limit)
				size += r;
			if (r < 0) {
				container_archive_report(&w, name,
				    EVIDENCE_WALK_FAILED, "cannot read entry: "
				    "%s", container_archive_error(a));
				free(name);
				continue;
			}
			if (size > ARCHIVE_ENTRY_MAX || total + size > limit) {
				container_archive_report(&w, name,
				    EVIDENCE_WALK_FAILED, "zip bomb limit: "
				    "expands to more than %lld bytes from "
				    "%lld, the rest not read",
				    (long long)limit, (long long)in->size);
				free(name);
				if (slot >= 0) {
					(void)ftruncate(w.ls->slots[slot], 0);
					w.ls->give(slot, w.ls->arg);
				}
				break;
			}
			total += size;
		}

		mtime = archive_entry_mtime(ae);
		if (evidence_identify_archive(kind)) {
			if (out != NULL)
				container_archive_put_entry(out,
				    CONTAINER_ARCHIVE_NEST, index, size, mtime,
				    kind, name);
			container_archive_entry_source(&src, arc, index, size,
			    mtime, kind, name);
			free(name);
			container_archive_walk_depth(&src, list, cb, arg,
			    depth + 1, out, w.ls);
			source_clear(&src);
			if (out != NULL) {
				t = CONTAINER_ARCHIVE_END;
				buf_append(out, &t, 1);
			}
			continue;
		}
		if (out != NULL) {
			container_archive_put_entry(out,
			    CONTAINER_ARCHIVE_SOURCE, index, size, mtime, kind,
			    name);
			free(name);
			container_archive_send(&w, slot);
			continue;
		}
		container_archive_entry_source(&src, arc, index, size, mtime,
		    kind, name);
		free(name);
		list->sources = xreallocarray(list->sources,
		    list->nsources + 1, sizeof *list->sources);
		list->sources[list->nsources++] = src;
	}
	if (index == 0) {
		if (out != NULL) {
			t = CONTAINER_ARCHIVE_EMPTY;
			buf_append(out, &t, 1);
		} else
			log_info("'%s': an archive with no entries", arc->path);
	}
	container_archive_send(&w, -1);
	container_archive_close_archive(a, in);
}

/*
 * Replay the part g of a record of arc into list and cb, the sources and
 * reports the walk would make here, with t the archives inside arc left
 * open by the parts before (a lister hands a large one out in parts),
 * and the bytes of a log of arc itself in slot if it is not -1 (a
 * lister's): 0, or -1 if g is not a part of a record the walk writes.
 */
static int
container_archive_replay(struct archive_taken *t,
    struct container_archive_got *g, const struct source *arc,
    struct evidence_list *list, evidence_walk_cb cb, void *arg, int slot)
{
	struct container_archive_entry	*e;
	const struct source		*in;
	struct source			 src;
	int64_t				 what, index, size, mtime, kind;
	char				*path, *why, *name;
	int				 type;

	while (g->off < g->len) {
		in = t->depth > 0 ? &t->nest[t->depth - 1] : arc;
		switch ((type = container_archive_get_type(g))) {
		case CONTAINER_ARCHIVE_REPORT:
			what = container_archive_get_int(g);
			path = container_archive_get_str(g);
			why = container_archive_get_str(g);
			if (what < EVIDENCE_WALK_SKIPPED ||
			    what > EVIDENCE_WALK_NOT_EVTX)
				g->bad = 1;
			if (!g->bad) {
				container_archive_count(list, what);
				if (cb != NULL)
					cb(path, why, what, arg);
			}
			free(why);
			free(path);
			if (g->bad)
				return (-1);
			break;
		case CONTAINER_ARCHIVE_SOURCE:
		case CONTAINER_ARCHIVE_NEST:
			index = container_archive_get_int(g);
			size = container_archive_get_int(g);
			mtime = container_archive_get_int(g);
			kind = container_archive_get_int(g);
			name = container_archive_get_str(g);
			if (kind <= EVIDENCE_OTHER || kind >= EVIDENCE_NKINDS ||
			    (type == CONTAINER_ARCHIVE_SOURCE &&
			    reader_find(kind) == NULL) ||
			    (type == CONTAINER_ARCHIVE_NEST &&
			    (!evidence_identify_archive(kind) ||
			    t->depth == ARCHIVE_DEPTH_MAX)))
				g->bad = 1;
			if (g->bad) {
				free(name);
				return (-1);
			}
			if (type == CONTAINER_ARCHIVE_NEST) {
				container_archive_entry_source(
				    &t->nest[t->depth++], in, index, size,
				    mtime, kind, name);
				free(name);
				break;
			}
			container_archive_entry_source(&src, in, index, size,
			    mtime, kind, name);
			free(name);
			e = src.data;
			if (t->depth == 0)
				e->slot = slot;
			list->sources = xreallocarray(list->sources,
			    list->nsources + 1, sizeof *list->sources);
			list->sources[list->nsources++] = src;
			break;
		case CONTAINER_ARCHIVE_EMPTY:
			log_info("'%s': an archive with no entries", in->path);
			break;
		case CONTAINER_ARCHIVE_END:
			if (t->depth == 0)
				return (-1);
			source_clear(&t->nest[--t->depth]);
			break;
		default:
			return (-1);
		}
	}
	return (0);
}

/* The archives a record left open, closed: a record cut short. */
void
container_archive_taken_clear(struct archive_taken *t)
{
	while (t->depth > 0)
		source_clear(&t->nest[--t->depth]);
}

/* Replay a whole record: 0, or -1 if it is not one. */
static int
container_archive_replay_all(const unsigned char *p, size_t len,
    const struct source *arc, struct evidence_list *list,
    evidence_walk_cb cb, void *arg)
{
	struct archive_taken		t;
	struct container_archive_got	g;
	int				rc;

	memset(&t, 0, sizeof t);
	memset(&g, 0, sizeof g);
	g.p = p;
	g.len = len;
	rc = container_archive_replay(&t, &g, arc, list, cb, arg, -1);
	if (rc == 0 && t.depth != 0)
		rc = -1;
	container_archive_taken_clear(&t);
	return (rc);
}

/* In the walk's child: write the record rec down fd, whole. */
static int
container_archive_hand_over(int fd, struct buf *rec)
{
	unsigned char	 t = CONTAINER_ARCHIVE_DONE;
	size_t		 done = 0;
	ssize_t		 n;

	buf_append(rec, &t, 1);
	container_archive_put_int(rec, rec->len - 1);
	while (done < rec->len) {
		n = write(fd, rec->data + done, rec->len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		done += n;
	}
	return (0);
}

/*
 * libarchive parses what the evidence holds, and the walk runs in the
 * process that runs the whole scan: a crash or a hang there would end
 * the run.  So each archive is walked in a child that keeps nothing and
 * hands over a record of what it found (container_archive_replay), read
 * here only if the child ends well: the archive is parsed once, here
 * never (a tar.gz's walk decompresses it all).  0 and *rec; 1 if the
 * archive is to be walked here (no child to spare, or no record); -1
 * and *why.
 */
static int
container_archive_probe(const struct source *arc, struct buf *rec,
    char **why)
{
	struct evidence_list	 scratch;
	struct buf		 out;
	unsigned char		 block[ARCHIVE_BLOCK];
	pid_t			 pid, parent = getpid();
	int			 status, fds[2], readerr = 0;
	int64_t			 len;
	ssize_t			 n;

	if (pipe(fds) == -1)
		return (1);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return (1);		/* no child to spare: walk it here */
	}
	if (pid == 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 ||
		    getppid() != parent)
			_exit(3);
		close(fds[0]);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		log_level = 0;
		alarm(ARCHIVE_PROBE_SECONDS);
		memset(&scratch, 0, sizeof scratch);
		memset(&out, 0, sizeof out);
		container_archive_walk_depth(arc, &scratch, NULL, NULL, 0,
		    &out, NULL);
		if (container_archive_hand_over(fds[1], &out) != 0)
			_exit(4);
		_exit(0);
	}
	close(fds[1]);
	for (;;) {
		n = read(fds[0], block, sizeof block);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			readerr = 1;
		if (n <= 0)
			break;
		buf_append(rec, block, n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			xasprintf(why, "cannot wait for the archive's walk: %s",
			    strerror(errno));
			return (-1);
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		/* Whole: it ends in its own length. */
		if (readerr || rec->len < 1 + sizeof len)
			return (1);
		memcpy(&len, rec->data + rec->len - sizeof len, sizeof len);
		if (rec->data[rec->len - 1 - sizeof len] !=
		    CONTAINER_ARCHIVE_DONE ||
		    len != (int64_t)(rec->len - 1 - sizeof len))
			return (1);
		rec->len = len;
		return (0);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		xasprintf(why, "walking the archive took more than %d s, "
		    "not read", ARCHIVE_PROBE_SECONDS);
	else if (WIFSIGNALED(status))
		xasprintf(why, "walking the archive crashed (%s), not read",
		    strsignal(WTERMSIG(status)));
	else
		xasprintf(why, "walking the archive failed (exit %d), not "
		    "read", WEXITSTATUS(status));
	return (-1);
}

/*
 * Walk the archive source arc (a folder's file, an entry of another
 * archive or a file in an image), adding a source to list for each log
 * in it and telling cb of every other entry, as the folder walk does;
 * in a child (container_archive_probe).
 */
void
container_archive_walk(const struct source *arc, struct evidence_list *list,
    evidence_walk_cb cb, void *arg)
{
	struct container_archive_walk	 w;
	struct buf			 rec;
	char				*why = NULL;
	int				 rc;

	memset(&rec, 0, sizeof rec);
	if ((rc = container_archive_probe(arc, &rec, &why)) == -1) {
		memset(&w, 0, sizeof w);
		w.arc = arc;
		w.list = list;
		w.cb = cb;
		w.arg = arg;
		container_archive_report(&w, NULL, EVIDENCE_WALK_FAILED, "%s",
		    why);
		free(why);
		buf_free(&rec);
		return;
	}
	if (rc == 1) {
		log_debug("%s: '%s': walked here", __func__, arc->path);
		container_archive_walk_depth(arc, list, cb, arg, 0, NULL,
		    NULL);
		buf_free(&rec);
		return;
	}
	if (container_archive_replay_all(rec.data, rec.len, arc, list, cb,
	    arg) != 0)
		fatalx("%s: '%s': the walk's record is damaged", __func__,
		    arc->path);
	buf_free(&rec);
}

/*
 * The same, without the child: for the fuzz target, which so reads the
 * record the child would hand over as well.
 */
void
container_archive_walk_here(const struct source *arc,
    struct evidence_list *list, evidence_walk_cb cb, void *arg)
{
	struct evidence_list		 scratch;
	struct buf			 rec;

	memset(&scratch, 0, sizeof scratch);
	memset(&rec, 0, sizeof rec);
	container_archive_walk_depth(arc, &scratch, NULL, NULL, 0, &rec,
	    NULL);
	if (container_archive_replay_all(rec.data, rec.len, arc, list, cb,
	    arg) != 0)
		fatalx("%s: '%s': the walk's record is damaged", __func__,
		    arc->path);
	buf_free(&rec);
}

/*
 * Is arc, an archive the walk found, listed during the run instead
 * (container_archive_list)?  A folder's compressed stream: a tar.gz or
 * a .gz, which can only be read from its start.
 */
int
container_archive_deferred(const struct source *arc)
{
	return (evidence_identify_compressed(arc->kind) &&
	    arc->container != NULL &&
	    strcmp(arc->container->name, "folder") == 0);
}

/*
 * In the lister, a process of the run's (it parses what the evidence
 * holds): walk the archive arc as the walk's child would, and hand out
 * each part of the record as it is made (ls->send), a log's with its
 * bytes in a slot.
 */
void
container_archive_list(const struct source *arc,
    const struct archive_lister *ls)
{
	struct evidence_list	 scratch;
	struct buf		 out;

	memset(&scratch, 0, sizeof scratch);
	memset(&out, 0, sizeof out);
	container_archive_walk_depth(arc, &scratch, NULL, NULL, 0, &out, ls);
	buf_free(&out);
}

/*
 * In the loader: what a lister handed out, rec of len bytes (and slot,
 * the descriptor of the slot it filled, or -1), made into sources in
 * list and reports to cb, as the walk would have; t holds what the parts
 * before left open (an archive inside arc), from zero at the first.  0,
 * or -1 if rec is not a part of a record the lister writes.
 */
int
container_archive_take(struct archive_taken *t, const struct source *arc,
    const void *rec, size_t len, int slot, struct evidence_list *list,
    evidence_walk_cb cb, void *arg)
{
	struct container_archive_got	g;

	memset(&g, 0, sizeof g);
	g.p = rec;
	g.len = len;
	return (container_archive_replay(t, &g, arc, list, cb, arg, slot));
}
