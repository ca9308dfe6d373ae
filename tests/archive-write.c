/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * archive-write FORMAT OUT FILE...: write the files into an archive of
 * a format Python cannot write (7zip), for tests/archive.sh.  Entries
 * are named as the files are given.
 */

#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

int
main(int argc, char **argv)
{
	struct archive		*a;
	struct archive_entry	*e;
	struct stat		 sb;
	char			 buf[65536];
	ssize_t			 n;
	int			 i, fd;

	if (argc < 4)
		errx(2, "usage: archive-write format out file...");
	if ((a = archive_write_new()) == NULL)
		errx(2, "archive_write_new");
	if (archive_write_set_format_by_name(a, argv[1]) != ARCHIVE_OK ||
	    archive_write_open_filename(a, argv[2]) != ARCHIVE_OK)
		errx(2, "%s: %s", argv[2], archive_error_string(a));
	for (i = 3; i < argc; i++) {
		if ((fd = open(argv[i], O_RDONLY)) == -1 ||
		    fstat(fd, &sb) == -1)
			err(2, "%s", argv[i]);
		e = archive_entry_new();
		archive_entry_set_pathname(e, argv[i]);
		archive_entry_set_size(e, sb.st_size);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, sb.st_mtime, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			errx(2, "%s: %s", argv[i], archive_error_string(a));
		while ((n = read(fd, buf, sizeof buf)) > 0) {
			if (archive_write_data(a, buf, n) != n)
				errx(2, "%s: %s", argv[i],
				    archive_error_string(a));
		}
		close(fd);
		archive_entry_free(e);
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		errx(2, "%s: %s", argv[2], archive_error_string(a));
	archive_write_free(a);
	return (0);
}
