/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Private to db/: what struct db holds and the helpers every file of the
 * directory shares.  Nothing outside db/ includes this; callers see
 * struct db only as a handle (db.h).
 */

#ifndef DB_INT_H
#define DB_INT_H

#include <sqlite3.h>

#include "triage/xmalloc.h"
#include "db.h"

struct db {
	sqlite3		*h;
	char		*path;
	sqlite3_stmt	*ins_process;
	sqlite3_stmt	*ins_end;
	sqlite3_stmt	*ins_problem;
	int		 in_txn;
	int		 readonly;	/* opened read-only */
};

/* db.c */
sqlite3_stmt	*db_prepare(struct db *, const char *);
char		*db_column_text(sqlite3_stmt *, int);
int64_t		 db_column_id(sqlite3_stmt *, int);

#endif
