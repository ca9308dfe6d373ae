/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: a raw disk image through the image container
 * (parsers/container-image.c over libtsk): the volume system, each file
 * system, the EVTX logs in winevt/Logs and then anywhere (as scan -A),
 * and every log found read to its end as a worker hashes it.
 */

#include <sys/stat.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parsers/parsers.h"
#include "tests/fuzz/fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_image_walk(const char *path, const struct stat *sb,
    enum evidence_kind kind, int all)
{
	struct evidence_list	 list;
	char			 hash[65], *cause = NULL;
	size_t			 i;

	memset(&list, 0, sizeof list);
	container_image_all(all);
	container_image_walk(path, sb, kind, &list, NULL, NULL);
	for (i = 0; i < list.nsources; i++) {
		if (source_sha256(&list.sources[i], hash, NULL, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
	}
	evidence_list_free(&list);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stat		sb;
	enum evidence_kind	kind;
	char			path[64];
	int			fd;

	fd = fuzz_file(data, size, path, sizeof path);
	/* As the walk would call it: a disk, or a file system alone. */
	kind = size > 0 && (data[0] & 1) ? EVIDENCE_NTFS : EVIDENCE_MBR;
	if (fstat(fd, &sb) == 0) {
		fuzz_image_walk(path, &sb, kind, 0);
		fuzz_image_walk(path, &sb, kind, 1);
	}
	close(fd);
	return (0);
}
