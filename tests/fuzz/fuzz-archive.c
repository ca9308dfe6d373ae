/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the input as an archive (parsers/container-archive.c
 * over libarchive): the walk over its entries, one level of archives
 * inside, and every log found read as a worker reads it, the hash and
 * then the records through the entry's reader on its stream.  A gzip
 * stream (a tar.gz), which the run lists in a lister, goes through the
 * lister's walk instead: each part it hands out is taken as the loader
 * takes it, and each log read out of its slot at once.
 *
 * FUZZ_SOURCES: triage/ingest-wire.c
 */

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "tests/fuzz/fuzz-reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_archive_read(const struct source *src)
{
	struct reader_window	 w = { 0, -1, 1 };
	char			 sha[65], *cause = NULL;
	int64_t			 size;

	if (source_sha256(src, sha, &size, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	if (src->reader != NULL)
		fuzz_reader_run(src->reader, src, &w);
}

/* The lister's callbacks, the loader's part played here. */
struct fuzz_archive_lister {
	const struct source	*arc;
	struct archive_taken	 taken;
	int			 slots[2];
	int			 busy[2];
};

static int
fuzz_archive_take(void *arg)
{
	struct fuzz_archive_lister	*l = arg;
	int				 i;

	for (i = 0; i < 2; i++) {
		if (l->slots[i] != -1 && !l->busy[i]) {
			l->busy[i] = 1;
			return (i);
		}
	}
	return (-1);
}

static void
fuzz_archive_give(int slot, void *arg)
{
	struct fuzz_archive_lister	*l = arg;

	l->busy[slot] = 0;
}

static void
fuzz_archive_send(const void *rec, size_t len, int slot, void *arg)
{
	struct fuzz_archive_lister	*l = arg;
	struct evidence_list		 list;
	size_t				 i;

	memset(&list, 0, sizeof list);
	if (container_archive_take(&l->taken, l->arc, rec, len,
	    slot >= 0 ? l->slots[slot] : -1, &list, NULL, NULL) != 0)
		abort();		/* the lister wrote what it cannot take */
	for (i = 0; i < list.nsources; i++)
		fuzz_archive_read(&list.sources[i]);
	evidence_list_free(&list);
	if (slot >= 0) {
		if (ftruncate(l->slots[slot], 0) == -1)
			abort();
		l->busy[slot] = 0;
	}
}

static void
fuzz_archive_list(const struct source *arc)
{
	static struct fuzz_archive_lister	 l;
	static int				 made;
	struct archive_lister			 ls;
	int					 i;

	if (!made) {
		for (i = 0; i < 2; i++)
			l.slots[i] = memfd_create("fuzz-slot", MFD_CLOEXEC);
		made = 1;
	}
	l.arc = arc;
	l.busy[0] = l.busy[1] = 0;
	memset(&ls, 0, sizeof ls);
	ls.slots = l.slots;
	ls.take = fuzz_archive_take;
	ls.give = fuzz_archive_give;
	ls.send = fuzz_archive_send;
	ls.arg = &l;
	container_archive_list(arc, &ls);
	/* The lister's parts make a whole record: nothing left open. */
	if (l.taken.depth != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence_list	 list;
	struct source		 src;
	enum evidence_kind	 kind;
	char			 path[64], *cause = NULL;
	size_t			 i;
	int			 fd;

	fd = fuzz_file(data, size, path, sizeof path);
	if (evidence_walk_source(path, &src, &cause) != 0 ||
	    evidence_identify(&src, &kind, &cause) != 0) {
		free(cause);
		close(fd);
		return (0);
	}
	/* Not an archive by its signature: libarchive may still bid. */
	src.kind = evidence_identify_archive(kind) ? kind : EVIDENCE_TAR;
	src.provenance = (char *)"[{\"container\":\"file\",\"path\":\"fuzz\"}]";
	if (container_archive_deferred(&src)) {
		fuzz_archive_list(&src);
		close(fd);
		return (0);
	}
	memset(&list, 0, sizeof list);
	container_archive_walk_here(&src, &list, NULL, NULL);
	for (i = 0; i < list.nsources; i++)
		fuzz_archive_read(&list.sources[i]);
	evidence_list_free(&list);
	close(fd);
	return (0);
}
