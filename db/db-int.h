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
	sqlite3_stmt	*del_walk;	/* db_load_forget_walk's */
	sqlite3_stmt	*sel_evidence;	/* db_process_evidence's */
	int		 in_txn;
	int		 readonly;	/* opened read-only */
	int		 min_risk;	/* hits listed: risk_score at least */
};

/* db.c */
sqlite3_stmt	*db_prepare(struct db *, const char *);
char		*db_column_text(sqlite3_stmt *, int);
int64_t		 db_column_id(sqlite3_stmt *, int);
void		 db_pairs_add(struct db_pairs *, const char *, const char *);
void		 db_pairs_fill(sqlite3_stmt *, struct db_pairs *);

/*
 * The provenance of evidence id under path, and that chain as text: the
 * paths of its links (file, archive entry, fs) joined by " > ".
 */
#define DB_CHAIN(id, path)						\
	"(SELECT ep.provenance FROM evidence_path ep WHERE "		\
	"ep.evidence_id = " id " AND ep.path = " path "), "		\
	"(SELECT group_concat(json_extract(j.value, '$.path'), ' > ') "	\
	"FROM evidence_path ep, json_each(CASE WHEN "			\
	"json_valid(ep.provenance) THEN ep.provenance END) j WHERE "	\
	"ep.evidence_id = " id " AND ep.path = " path " AND "		\
	"json_extract(j.value, '$.path') IS NOT NULL)"

/* db-process.c */
/*
 * The columns db_process_fill reads, of process p joined to evidence e;
 * DB_PROCESS_SELECT selects them.  In the queries by GUID, "+dest"
 * keeps SQLite from choosing the (dest, _time) index of the timeline,
 * which would read all of a host's events, over the GUID index, which
 * reads a handful.
 */
#define DB_PROCESS_COLUMNS \
	"p.id, p.evidence_id, p.record_id, p.recovered, p.event_id, " \
	"p._time, p.dest, p.user, p.process, p.process_name, " \
	"p.process_path, p.process_id, p.process_guid, p.parent_process, " \
	"p.parent_process_name, p.parent_process_path, p.parent_process_id, " \
	"p.parent_process_guid, p.original_file_name, e.path, e.sha256, " \
	DB_CHAIN("e.id", "e.path") ", p.reader "
#define DB_PROCESS_SELECT \
	"SELECT " DB_PROCESS_COLUMNS \
	"FROM process p JOIN evidence e ON e.id = p.evidence_id "
void		 db_process_fill(struct db *, sqlite3_stmt *, struct db_proc *);
void		 db_detect_sql_regexp(sqlite3_context *, int,
		     sqlite3_value **);
char		*db_process_pid_time(struct db *, const struct db_proc *,
		     const char *);

#endif
