/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * libFuzzer target: a filters CSV file imported into a case (triage/
 * csv.c csv_read_row, then db_filter_import in db/db-filter.c, into a
 * case made once in a temporary folder and emptied after each input).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triage/xmalloc.h"
#include "db/db.h"
#include "tests/fuzz/fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct db	*fuzz_filter_db;
static char		 fuzz_filter_dir[] = "/tmp/evtriage-fuzz.XXXXXX";

static void
fuzz_filter_cleanup(void)
{
	char	path[128];

	db_close(fuzz_filter_db);
	snprintf(path, sizeof path, "%s/case.db", fuzz_filter_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/case.db-wal", fuzz_filter_dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/case.db-shm", fuzz_filter_dir);
	unlink(path);
	rmdir(fuzz_filter_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	path[128], *cause = NULL;

	if (mkdtemp(fuzz_filter_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	snprintf(path, sizeof path, "%s/case.db", fuzz_filter_dir);
	if (db_open(path, DB_CREATE, &fuzz_filter_db, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		abort();
	}
	/* Thousands of imports a second: no need to reach the disk. */
	if (db_exec(fuzz_filter_db, "PRAGMA synchronous = OFF", &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		abort();
	}
	atexit(fuzz_filter_cleanup);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	path[64], *cause = NULL;
	int	fd;

	fd = fuzz_file(data, size, path, sizeof path);
	if (db_filter_import(fuzz_filter_db, path, &cause) != 0)
		free(cause);
	db_commit(fuzz_filter_db);
	if (db_exec(fuzz_filter_db, "DELETE FROM filter_cond; "
	    "DELETE FROM filter", &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		abort();
	}
	close(fd);
	return (0);
}
