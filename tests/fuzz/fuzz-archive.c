/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: the input as an archive (parsers/container-archive.c
 * over libarchive): the walk over its entries, one level of archives
 * inside, and every log found read as a worker reads it, the hash and
 * then the records through the entry's reader on its stream.
 *
 * FUZZ_SOURCES: triage/ingest-wire.c
 */

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
