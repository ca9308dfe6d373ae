/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Output files written whole or not at all: under a temporary name
 * beside the file, renamed into place once the writer has succeeded,
 * so that a report or a list is never left half written.
 */

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

/*
 * Write path with fn(f, arg, &why), which returns 0 or -1 and a cause.
 * The file gets the mode the umask allows, as fopen would give it.
 */
int
outfile_write(const char *path, int (*fn)(FILE *, void *, char **),
    void *arg, char **cause)
{
	FILE	*f;
	char	*tmp, *why = NULL;
	int	 fd;
	mode_t	 mask;

	xasprintf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		xasprintf(cause, "cannot create '%s': %s", tmp,
		    strerror(errno));
		free(tmp);
		return (-1);
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if ((f = fdopen(fd, "w")) == NULL)
		fatal("fdopen");
	if (fn(f, arg, &why) != 0) {
		fclose(f);
		unlink(tmp);
		xasprintf(cause, "cannot write '%s': %s", path, why);
		free(why);
		free(tmp);
		return (-1);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		unlink(tmp);
		free(tmp);
		return (-1);
	}
	free(tmp);
	return (0);
}
