/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Read EVTX files with both readers, the libevtx path (evtx-read.c) and
 * the fast decoder (evtx-fast.c), and compare them record by record, by
 * libevtx's record index: record id and event id always, and for the
 * process events the libevtx path parses, the time, System values and
 * every EventData field.  Prints one TAP line per file; records only one
 * reader reads are listed as comments, differences fail.
 *
 * usage: test-evtx-fast [-v] [-w chunks] file ...
 *        test-evtx-fast -d file	dump what the fast decoder reads
 *        test-evtx-fast -b fast|fastnorm|lib|libnorm file
 *
 * -w compares window by window, as the workers read a file: windows of
 * that many chunks of the header's count, the last to the file's end.
 *
 * -b reads the file with one reader only, normalising the process events
 * with event_norm for *norm, and prints the counts: for callgrind.
 *
 * -d prints one line per record, tab-separated: offset, record id, event
 * id, time, provider, computer, user SID, then name=value for each field
 * of a process event, with \\, \t and \n escaped (tests/evtx-fast-py.py
 * compares it with python-evtx).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triage/xmalloc.h"
#include "parsers/parsers.h"

struct tef_rec {
	int		 have;
	char		*why;		/* declined or unreadable */
	struct evt_record e;		/* a deep copy */
};

struct tef_side {
	struct tef_rec	*r;
	size_t		 n;
	size_t		 read, missed;
};

static int	tef_verbose;
static int64_t	tef_window;	/* chunks a window, 0 whole files */
static size_t	tef_nproc;	/* process events compared */

static struct tef_rec *
tef_slot(struct tef_side *s, int index)
{
	size_t	n;

	if (index < 0)
		return (NULL);
	if ((size_t)index >= s->n) {
		n = index + 1024;
		s->r = xreallocarray(s->r, n, sizeof *s->r);
		memset(s->r + s->n, 0, (n - s->n) * sizeof *s->r);
		s->n = n;
	}
	return (&s->r[index]);
}

static char *
tef_dup(const char *s)
{
	return (s == NULL ? NULL : xstrdup(s));
}

static int
tef_keep(struct evt_record *e, void *arg)
{
	struct tef_side	*s = arg;
	struct tef_rec	*r = tef_slot(s, e->index);
	size_t		 i;

	r->have = 1;
	r->e = *e;
	r->e.time = tef_dup(e->time);
	r->e.provider = tef_dup(e->provider);
	r->e.channel = tef_dup(e->channel);
	r->e.computer = tef_dup(e->computer);
	r->e.user_sid = tef_dup(e->user_sid);
	r->e.fields = NULL;
	if (e->nfields != 0)
		r->e.fields = xreallocarray(NULL, e->nfields,
		    sizeof *e->fields);
	for (i = 0; i < e->nfields; i++) {
		r->e.fields[i].name = tef_dup(e->fields[i].name);
		r->e.fields[i].value = tef_dup(e->fields[i].value);
	}
	s->read++;
	return (0);
}

static void
tef_lib_problem(const struct evt_problem *pb, void *arg)
{
	struct tef_side	*s = arg;
	struct tef_rec	*r = tef_slot(s, pb->record_index);

	s->missed++;
	if (r != NULL) {
		free(r->why);
		r->why = tef_dup(pb->reason);
	}
}

static void
tef_fast_decline(int index, int64_t off, const char *why, void *arg)
{
	struct tef_side	*s = arg;
	struct tef_rec	*r = tef_slot(s, index);

	s->missed++;
	if (r != NULL) {
		free(r->why);
		r->why = tef_dup(why);
	} else if (tef_verbose)
		printf("# fast: chunk at %lld: %s\n", (long long)off, why);
}

/* Print a value with controls escaped, for the diff lines. */
static void
tef_print(const char *s)
{
	if (s == NULL) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static int
tef_str_differ(const char *what, int index, const char *a, const char *b)
{
	if (a == NULL && b == NULL)
		return (0);
	if (a != NULL && b != NULL && strcmp(a, b) == 0)
		return (0);
	printf("# record %d %s: libevtx ", index, what);
	tef_print(a);
	fputs(" fast ", stdout);
	tef_print(b);
	putchar('\n');
	return (1);
}

/* Compare one record both readers read; the number of differences. */
static int
tef_compare(int i, const struct evt_record *a, const struct evt_record *b)
{
	int	d = 0;
	size_t	k;
	char	an[32], bn[32];

	if (a->record_id != b->record_id) {
		printf("# record %d record id: libevtx %llu fast %llu\n", i,
		    (unsigned long long)a->record_id,
		    (unsigned long long)b->record_id);
		d++;
	}
	if (a->event_id != b->event_id) {
		printf("# record %d event id: libevtx %u fast %u\n", i,
		    a->event_id, b->event_id);
		d++;
	}
	if (a->offset > 0 && a->offset != b->offset) {
		printf("# record %d offset: libevtx %lld fast %lld\n", i,
		    (long long)a->offset, (long long)b->offset);
		d++;
	}
	/* The libevtx path parses the XML of process events only. */
	if (!event_norm_is_process(a->event_id, a->provider)) {
		if (event_norm_is_process(b->event_id, b->provider)) {
			printf("# record %d: a process event only to fast\n",
			    i);
			d++;
		}
		return (d);
	}
	tef_nproc++;
	d += tef_str_differ("time", i, a->time, b->time);
	d += tef_str_differ("provider", i, a->provider, b->provider);
	d += tef_str_differ("channel", i, a->channel, b->channel);
	d += tef_str_differ("computer", i, a->computer, b->computer);
	d += tef_str_differ("user sid", i, a->user_sid, b->user_sid);
	if (a->version != b->version) {
		printf("# record %d version: libevtx %d fast %d\n", i,
		    a->version, b->version);
		d++;
	}
	for (k = 0; k < a->nfields || k < b->nfields; k++) {
		snprintf(an, sizeof an, "field %zu name", k);
		snprintf(bn, sizeof bn, "field %zu value", k);
		d += tef_str_differ(an, i,
		    k < a->nfields ? a->fields[k].name : NULL,
		    k < b->nfields ? b->fields[k].name : NULL);
		d += tef_str_differ(bn, i,
		    k < a->nfields ? a->fields[k].value : NULL,
		    k < b->nfields ? b->fields[k].value : NULL);
	}
	return (d);
}

static void
tef_side_free(struct tef_side *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		free(s->r[i].why);
		if (s->r[i].have) {
			s->r[i].e.nfields = s->r[i].e.nfields;
			evtx_record_clear(&s->r[i].e);
		}
	}
	free(s->r);
	memset(s, 0, sizeof *s);
}

static void
tef_dump_str(const char *s, int tab)
{
	if (tab)
		putchar('\t');
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\t')
			fputs("\\t", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static int
tef_dump(struct evt_record *e, void *arg)
{
	size_t	i;

	printf("%lld\t%llu\t%u", (long long)e->offset,
	    (unsigned long long)e->record_id, e->event_id);
	tef_dump_str(e->time, 1);
	tef_dump_str(e->provider, 1);
	tef_dump_str(e->computer, 1);
	tef_dump_str(e->user_sid, 1);
	for (i = 0; i < e->nfields; i++) {
		tef_dump_str(e->fields[i].name, 1);
		putchar('=');
		tef_dump_str(e->fields[i].value, 0);
	}
	putchar('\n');
	return (0);
}

static size_t	tef_bench_records, tef_bench_rows;

static int
tef_bench(struct evt_record *e, void *arg)
{
	struct proc_row	row;

	tef_bench_records++;
	if (arg != NULL && e->nfields != 0 &&
	    event_norm_is_process(e->event_id, e->provider)) {
		if (event_norm(e, &row) == 0) {
			tef_bench_rows++;
			event_norm_clear(&row);
		}
	}
	return (0);
}

static void
tef_bench_problem(const struct evt_problem *pb, void *arg)
{
}

static void
tef_bench_decline(int index, int64_t off, const char *why, void *arg)
{
}



/* The chunks the file header of path counts, as the planner reads them. */
static int64_t
tef_chunks(const char *path)
{
	struct source		 src;
	struct source_stream	 s;
	char			*cause = NULL;
	int64_t			 n;

	if (evidence_walk_source(path, &src, &cause) != 0 ||
	    source_open(&src, &s, &cause) != 0) {
		free(cause);
		return (-1);
	}
	n = evtx_window_chunks(&s);
	source_close(&s);
	return (n);
}

/* Open path with the libevtx reader, as a worker opens a folder source. */
static int
tef_lib_open(const char *path, int64_t chunk, int64_t count,
    struct evtx_reader **r, struct evt_file_info *info, char **cause)
{
	static struct source	src;

	if (evidence_walk_source(path, &src, cause) != 0)
		return (-1);
	return (evtx_read_open(&src, chunk, count, r, info, cause));
}

static int
tef_bench_file(const char *mode, const char *path)
{
	struct evtx_fast	*f;
	struct evtx_reader	*r;
	struct evt_file_info	 info;
	char			*cause = NULL;
	void			*norm;

	norm = strstr(mode, "norm") != NULL ? "" : NULL;
	if (strncmp(mode, "fast", 4) == 0) {
		f = evtx_fast_create();
		if (evtx_fast_read_file(f, path, 0, -1, tef_bench,
		    tef_bench_decline, norm, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			return (1);
		}
		evtx_fast_free(f);
	} else {
		if (tef_lib_open(path, 0, -1, &r, &info, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			return (1);
		}
		evtx_read_records(r, 0, -1, 0, tef_bench, tef_bench_problem,
		    norm);
		evtx_read_close(r);
	}
	printf("%s: %zu records, %zu rows\n", mode, tef_bench_records,
	    tef_bench_rows);
	return (0);
}

static void
tef_dump_decline(int index, int64_t off, const char *why, void *arg)
{
	printf("%lld\tdeclined\t%s\n", (long long)off, why);
}

static int
tef_file(struct evtx_fast *f, const char *path, int64_t chunk, int64_t count)
{
	struct tef_side		 lib = { 0 }, fast = { 0 };
	struct evtx_reader	*r;
	struct evt_file_info	 info;
	char			*cause = NULL, *fcause = NULL;
	size_t			 i, n, both = 0, only_lib = 0, only_fast = 0;
	int			 d = 0, lib_open;

	tef_nproc = 0;
	lib_open = tef_lib_open(path, chunk, count, &r, &info,
	    &cause) == 0;
	if (lib_open) {
		evtx_read_records(r, 0, -1, 0, tef_keep, tef_lib_problem,
		    &lib);
		evtx_read_close(r);
	}
	if (evtx_fast_read_file(f, path, chunk, count, tef_keep,
	    tef_fast_decline, &fast, &fcause) != 0)
		printf("# fast: %s\n", fcause);
	n = lib.n > fast.n ? lib.n : fast.n;
	tef_slot(&lib, n);
	tef_slot(&fast, n);
	for (i = 0; i < n; i++) {
		if (lib.r[i].have && fast.r[i].have) {
			both++;
			d += tef_compare(i, &lib.r[i].e, &fast.r[i].e);
		} else if (lib.r[i].have) {
			only_lib++;
			printf("# only libevtx: record %zu (id %llu): %s\n", i,
			    (unsigned long long)lib.r[i].e.record_id,
			    fast.r[i].why != NULL ? fast.r[i].why :
			    "not returned");
		} else if (fast.r[i].have) {
			only_fast++;
			printf("# only fast: record %zu (id %llu, event %u): "
			    "%s\n", i,
			    (unsigned long long)fast.r[i].e.record_id,
			    fast.r[i].e.event_id, lib.r[i].why != NULL ?
			    lib.r[i].why : lib_open ? "not returned" :
			    cause);
		}
	}
	if (count > 0 || chunk > 0)
		printf("# window at chunk %lld\n", (long long)chunk);
	printf("%s - %s: %zu both, %zu only libevtx, %zu only fast, "
	    "%zu process events, %d differences\n", d == 0 ? "ok" : "not ok",
	    path, both, only_lib, only_fast, tef_nproc, d);
	free(cause);
	free(fcause);
	tef_side_free(&lib);
	tef_side_free(&fast);
	return (d != 0);
}

int
main(int argc, char **argv)
{
	struct evtx_fast	*f;
	char			*cause;
	int64_t			 n, k;
	int			 ch, i, rc = 0, dump = 0;

	while ((ch = getopt(argc, argv, "b:dvw:")) != -1) {
		switch (ch) {
		case 'b':
			return (tef_bench_file(optarg, argv[optind]));
		case 'd':
			dump = 1;
			break;
		case 'v':
			tef_verbose = 1;
			break;
		case 'w':
			tef_window = strtoll(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: test-evtx-fast [-dv] "
			    "[-b mode] [-w chunks] file ...\n");
			return (2);
		}
	}
	f = evtx_fast_create();
	for (i = optind; i < argc; i++) {
		if (!dump && tef_window > 0 &&
		    (n = tef_chunks(argv[i])) > tef_window) {
			for (k = 0; k < n; k += tef_window) {
				rc |= tef_file(f, argv[i], k,
				    k + 2 * tef_window > n ? -1 : tef_window);
				if (k + 2 * tef_window > n)
					break;
			}
			continue;
		}
		if (!dump) {
			rc |= tef_file(f, argv[i], 0, -1);
			continue;
		}
		if (evtx_fast_read_file(f, argv[i], 0, -1, tef_dump,
		    tef_dump_decline, NULL, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			free(cause);
			rc = 1;
		}
	}
	evtx_fast_free(f);
	return (rc);
}
