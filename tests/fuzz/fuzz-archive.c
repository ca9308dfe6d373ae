/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the input as an archive (parsers/container-archive.c
 * over libarchive): the walk over its entries, one level of archives
 * inside, and every log found read as a worker reads it, the hash and
 * then the records through the EVTX reader on the entry's stream.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parsers/parsers.h"
#include "tests/fuzz/fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
fuzz_archive_record(struct evt_record *e, void *arg)
{
	struct proc_row	row;

	if (event_norm(e, &row) == 0)
		event_norm_clear(&row);
	return (0);
}

static void
fuzz_archive_problem(const struct evt_problem *pb, void *arg)
{
}

static void
fuzz_archive_read(const struct source *src)
{
	struct evtx_reader	*r;
	struct evt_file_info	 info;
	char			 sha[65], *cause = NULL;
	int64_t			 size;

	if (source_sha256(src, sha, &size, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	if (evtx_read_open(src, 0, -1, &r, &info, &cause) != 0) {
		free(cause);
		return;
	}
	evtx_read_records(r, 0, -1, 1, fuzz_archive_record,
	    fuzz_archive_problem, NULL);
	evtx_read_close(r);
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
	memset(&list, 0, sizeof list);
	container_archive_walk_here(&src, &list, NULL, NULL);
	for (i = 0; i < list.nsources; i++)
		fuzz_archive_read(&list.sources[i]);
	evidence_list_free(&list);
	close(fd);
	return (0);
}
