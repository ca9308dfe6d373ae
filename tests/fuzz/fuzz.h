/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Shared by the libFuzzer targets: the readers take a path, so each
 * input is put in an anonymous memory file and handed over as
 * /proc/self/fd/N, which nothing else can see or leave behind.
 */

#ifndef FUZZ_H
#define FUZZ_H

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Write the input to a memory file; returns its descriptor. */
static int
fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int	fd;
	ssize_t	n;

	if ((fd = memfd_create("fuzz", MFD_CLOEXEC)) == -1) {
		perror("memfd_create");
		abort();
	}
	while (size > 0) {
		if ((n = write(fd, data, size)) <= 0) {
			perror("write");
			abort();
		}
		data += n;
		size -= n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return (fd);
}

#endif
