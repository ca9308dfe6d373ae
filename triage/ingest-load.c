/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The loader side of the ingest engine: what workers send (ingest-wire.c)
 * goes into the case, in large transactions; this process is its only
 * writer.  Each source is judged when its last part ends: done, failed,
 * crashed, timed out or changed while read.  The loader sees the case
 * and the normalised rows, never a format library.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtriage.h"

#define INGEST_LOAD_COMMIT_ROWS	20000

void
ingest_load_commit(struct ingest_run *run)
{
	db_commit(run->db);
	run->pending = 0;
}

static int
ingest_load_begun(struct ingest_run *run, int64_t id)
{
	size_t	i;

	for (i = 0; i < run->nbegun; i++) {
		if (run->begun[i] == id)
			return (1);
	}
	return (0);
}

/* Record a problem with a whole file (no record) in the case. */
static void
ingest_load_file_problem(struct ingest_run *run, int64_t evid,
    const char *path, const char *kind, const char *reason)
{
	struct evt_problem	pb;

	memset(&pb, 0, sizeof pb);
	pb.record_index = -1;
	pb.offset = -1;
	pb.reason = (char *)reason;
	db_begin(run->db);
	db_load_problem(run->db, evid, path, kind, &pb);
}

/* What the walk did not make a source of: warned of and in the case. */
void
ingest_load_walk_report(const char *path, const char *why,
    enum evidence_walk_what what, void *arg)
{
	struct ingest_run	*run = arg;

	switch (what) {
	case EVIDENCE_WALK_SKIPPED:
		log_info("skipped '%s': %s", path, why);
		break;
	case EVIDENCE_WALK_FAILED:
		ingest_warn(run, "cannot read '%s': %s", path, why);
		ingest_load_file_problem(run, 0, path, "file", why);
		break;
	case EVIDENCE_WALK_UNSUPPORTED:
		ingest_warn(run, "'%s' is %s", path, why);
		ingest_load_file_problem(run, 0, path, "unsupported", why);
		break;
	case EVIDENCE_WALK_NOT_EVTX:
		ingest_warn(run, "cannot read '%s': named as a log, but %s",
		    path, why);
		ingest_load_file_problem(run, 0, path, "file", why);
		break;
	case EVIDENCE_WALK_AGAIN:
		ingest_load_walk_again(run, path);
		break;
	}
}

/*
 * The file at path (an archive, an image, a log) is walked again: what
 * earlier walks could not read of it is the case's no longer, unless
 * this walk says so again.
 */
void
ingest_load_walk_again(struct ingest_run *run, const char *path)
{
	db_begin(run->db);
	db_load_forget_walk(run->db, path);
}

/*
 * Record what the parts found when they opened their windows, and what
 * it says of the file: its version and flags, damage, and the records
 * its chunk headers declare that libevtx did not return.  Each file is
 * named at -v; by default a line at the end counts them.
 */
static void
ingest_load_finish_info(struct ingest_run *run, struct ingest_file *f)
{
	int64_t	 records = 0, recovered = 0, declared = 0, missing;
	char	*reason;
	int	 j, all = 1;

	if (!f->parts[0].info)
		return;
	for (j = 0; j < f->nparts; j++) {
		if (!f->parts[j].info || f->parts[j].declared < 0) {
			all = 0;
			continue;
		}
		records += f->parts[j].records;
		recovered += f->parts[j].recovered;
		declared += f->parts[j].declared;
	}
	db_begin(run->db);
	db_load_file_info(run->db, f->evid, &f->fi);
	/* Normal in a log copied from a running system. */
	if (f->fi.dirty) {
		run->stats->dirty++;
		log_info("'%s' is marked dirty: not closed cleanly (a copy "
		    "of a live log)", f->src->path);
	}
	if (f->fi.corrupted)
		log_info("'%s' is damaged (libevtx flags it corrupted: a "
		    "bad checksum or header)", f->src->path);
	/* Records the chunks declare that libevtx did not return. */
	missing = declared - (records + recovered);
	if (all && missing > 0) {
		xasprintf(&reason, "%lld records that the chunk "
		    "headers declare were not returned by libevtx",
		    (long long)missing);
		log_info("'%s': %s", f->src->path, reason);
		ingest_load_file_problem(run, f->evid, f->src->path,
		    "missing", reason);
		free(reason);
		f->unreadable += missing;
	}
}

/*
 * Did the file change since the walk saw it: its size, times, or the
 * size its hash was taken of?  Then what was read is not the file the
 * hash names, whole.
 */
static int
ingest_load_changed(struct ingest_file *f)
{
	return (f->hashed != f->src->size || source_changed(f->src));
}

/* Judge a source whose parts have all ended, and count it. */
void
ingest_load_finish_file(struct ingest_run *run, struct ingest_file *f)
{
	struct ingest_stats	*s = run->stats;
	const char		*status = "done";

	run->files_done++;
	run->bytes_done += f->src->size;
	if (f->skip)
		return;
	if (f->evid == 0) {
		/* Never hashed: could not be read at all. */
		s->failed++;
		ingest_warn(run, "cannot read '%s': %s", f->src->path,
		    f->message != NULL ? f->message : "worker failed");
		ingest_load_file_problem(run, 0, f->src->path, "file",
		    f->message != NULL ? f->message :
		    "worker failed before hashing");
		return;
	}
	ingest_load_finish_info(run, f);
	if (f->failed)
		status = "failed";
	else if (f->timedout)
		status = "timeout";
	else if (f->crashed)
		status = "crashed";
	else if (ingest_load_changed(f)) {
		/* Not done: a rerun reads it again. */
		status = "changed";
		free(f->message);
		f->message = xstrdup("the file changed while it was read");
		s->changed++;
	}
	if (strcmp(status, "done") != 0) {
		s->failed++;
		ingest_warn(run, "cannot fully read '%s': %s", f->src->path,
		    f->message != NULL ? f->message : status);
		ingest_load_file_problem(run, f->evid, f->src->path, "file",
		    f->message != NULL ? f->message : status);
	} else
		s->loaded++;
	/* As db_load_complete judges it, so that a rescan agrees. */
	if (f->records + f->recovered == 0)
		log_info("'%s' has no readable records", f->src->path);
	if (f->fi.corrupted || f->records + f->recovered == 0)
		s->damaged++;
	if (f->unreadable > 0) {
		s->with_unreadable++;
		log_info("'%s': %lld of its records could not be read",
		    f->src->path, (long long)f->unreadable);
	}
	if (f->recovered + f->slack_bad > 0)
		log_info("'%s': %lld candidates in slack space, %lld "
		    "recovered", f->src->path,
		    (long long)(f->recovered + f->slack_bad),
		    (long long)f->recovered);
	s->records += f->records;
	s->unreadable += f->unreadable;
	s->slack += f->recovered + f->slack_bad;
	s->recovered += f->recovered;
	db_begin(run->db);
	db_load_finish(run->db, f->evid, status, f->message, f->records,
	    f->recovered, f->unreadable);
	if (f->src->kind == EVIDENCE_EVTX)
		db_load_fast(run->db, f->evid, f->fast);
	ingest_load_commit(run);
}

/*
 * The index in the whole file of a part's first record (or recovered
 * record): the records of the parts before it, once all of them have
 * said; -1 while one has not, -2 if one never will (its worker failed
 * before, and the file is reported as not read in full).
 */
int64_t
ingest_load_part_base(struct ingest_file *f, int part, int recovered)
{
	int64_t	base = 0;
	int	j;

	for (j = 0; j < part; j++) {
		if (!f->parts[j].info)
			return (f->parts[j].ended ? -2 : -1);
		base += recovered ? f->parts[j].recovered : f->parts[j].records;
	}
	return (base);
}

/* H: is the file in the case already?  If not, begin its evidence row. */
static int
ingest_load_hash(struct ingest_run *run, struct ingest_file *f,
    const unsigned char *p, size_t len)
{
	char	*status = NULL;
	int64_t	 id;

	if (ingest_wire_get_hash(p, len, f->sha, &f->hashed) != 0)
		return (-1);
	db_begin(run->db);
	if (db_load_find(run->db, f->sha, &id, &status) &&
	    (strcmp(status, "done") == 0 || ingest_load_begun(run, id))) {
		log_info("'%s' is already in the case", f->src->path);
		db_load_add_path(run->db, id, f->src->path);
		db_load_provenance(run->db, id, f->src->path,
		    f->src->provenance);
		f->skip = 1;
		run->stats->known++;
		/* What the case could not read then, it still lacks. */
		if (!ingest_load_begun(run, id) &&
		    !db_load_complete(run->db, id)) {
			log_info("'%s' is in the case, but was not "
			    "read in full", f->src->path);
			run->stats->known_partial++;
		}
		free(status);
		return (0);
	}
	free(status);
	if (!run->bulk_decided) {
		run->bulk_decided = 1;
		run->bulk = db_load_bulk_begin(run->db,
		    run->bytes_total - run->bytes_done);
		if (run->bulk)
			log_info("indexes dropped for the load");
	}
	f->evid = db_load_begin(run->db, f->sha, f->src->path,
	    f->src->size, f->src->mtime);
	db_load_provenance(run->db, f->evid, f->src->path, f->src->provenance);
	run->begun = xreallocarray(run->begun, run->nbegun + 1,
	    sizeof *run->begun);
	run->begun[run->nbegun++] = f->evid;
	ingest_load_commit(run);
	return (0);
}

/*
 * What decoded a row, for the case (process.reader): an EVTX record is
 * the fast decoder's or libevtx's, which the worker says; any other is
 * its reader's.
 */
static const char *
ingest_load_reader(const struct ingest_file *f, const struct proc_row *r)
{
	const char	*name = f->src->reader->name;

	if (strcmp(name, "evtx") != 0)
		return (name);
	return (r->fast ? "evtx-fast" : "libevtx");
}

/* Handle one complete message from a worker. */
void
ingest_load_message(struct ingest_run *run, struct ingest_worker *w,
    char type, const unsigned char *p, size_t len)
{
	struct ingest_file	*f = w->file;
	struct ingest_part	*part = &f->parts[w->part];
	struct proc_row		 row;
	struct evt_problem	 pb;
	struct evt_file_info	 fi;
	struct ingest_counts	 n;
	int64_t			 base;

	if (f->skip)
		return;
	switch (type) {
	case 'H':
		if (ingest_load_hash(run, f, p, len) != 0)
			goto bad;
		break;
	case 'I':
		if (f->evid == 0 || part->info ||
		    ingest_wire_get_info(p, len, &fi) != 0)
			goto bad;
		if (w->part == 0) {
			f->fi.major = fi.major;
			f->fi.minor = fi.minor;
			f->fi.dirty = fi.dirty;
		}
		f->fi.corrupted |= fi.corrupted;
		part->records = fi.records;
		part->recovered = fi.recovered;
		part->declared = fi.declared;
		part->info = 1;
		break;
	case 'R':
		if (f->evid == 0 || ingest_wire_get_row(p, len, &row) != 0)
			goto bad;
		base = ingest_load_part_base(f, w->part, row.recovered);
		if (base < 0) {
			event_norm_clear(&row);
			goto unnumbered;
		}
		row.record_index += base;
		row.reader = ingest_load_reader(f, &row);
		db_begin(run->db);
		if (db_load_row(run->db, f->evid, &row)) {
			if (row.kind == PROC_KIND_START)
				run->stats->rows++;
			else
				run->stats->end_rows++;
		}
		event_norm_clear(&row);
		if (++run->pending >= INGEST_LOAD_COMMIT_ROWS)
			ingest_load_commit(run);
		break;
	case 'P':
		if (f->evid == 0 || ingest_wire_get_problem(p, len, &pb) != 0)
			goto bad;
		base = ingest_load_part_base(f, w->part, pb.recovered);
		if (base < 0) {
			free(pb.reason);
			goto unnumbered;
		}
		pb.record_index += base;
		db_begin(run->db);
		db_load_problem(run->db, f->evid, f->src->path, "record", &pb);
		/* Slack space is mostly not records: those at -vv. */
		if (pb.recovered)
			log_debug("'%s': slack-space candidate %d: %s",
			    f->src->path, pb.record_index, pb.reason);
		else
			log_info("'%s': record %d: %s", f->src->path,
			    pb.record_index, pb.reason);
		free(pb.reason);
		break;
	case 'N':
		if (ingest_wire_get_counts(p, len, &n) != 0)
			goto bad;
		f->records += n.records;
		f->unreadable += n.unreadable;
		f->recovered += n.recovered;
		f->slack_bad += n.slack_bad;
		f->fast += n.fast;
		break;
	case 'E':
		f->failed = 1;
		free(f->message);
		f->message = ingest_wire_get_error(p, len);
		break;
	case 'D':
		if (ingest_wire_get_done(p, len) != 0)
			goto bad;
		w->done = 1;
		break;
	default:
		goto bad;
	}
	return;
bad:
	f->crashed = 1;
	if (f->message == NULL)
		f->message = xstrdup("worker sent a malformed message");
	return;
unnumbered:
	/* An earlier part failed before it counted its records. */
	f->crashed = 1;
	if (f->message == NULL)
		f->message = xstrdup("an earlier part of the file failed");
}

/* The run is over: commit, and build the indexes a bulk load dropped. */
void
ingest_load_end(struct ingest_run *run, int jobs)
{
	ingest_load_commit(run);
	if (run->bulk) {
		log_info("building the indexes");
		db_load_bulk_end(run->db, jobs);
	}
}
