/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Searching every process creation of the case, not only the hits: a
 * pattern over the command line, the process's and its parent's names
 * and paths, the original file name and the user, as a substring
 * (ignoring ASCII case) or a regular expression (the detections'
 * regexp()), within a time window and on one host or all.  The search
 * command and the browser's search view both call db_search.
 */

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "db-int.h"

#define DB_SEARCH_NCOLUMNS \
	(sizeof db_search_columns / sizeof db_search_columns[0])

/* The columns searched, each tested with the same ?1 by one match. */
static const char *db_search_columns[] = {
	"p.process", "p.process_name", "p.process_path", "p.parent_process",
	"p.parent_process_name", "p.parent_process_path",
	"p.original_file_name", "p.user"
};

/*
 * Build the statement's text from constant parts only: the pattern,
 * window and host are bound.  With a host, "p.dest = ?4 AND p._time"
 * lets SQLite use the (dest, _time) index.
 */
static char *
db_search_sql(const struct db_search *s)
{
	struct buf	 b = { 0 };
	size_t		 i;

	buf_append_str(&b, DB_PROCESS_SELECT "WHERE ");
	if (s->dest != NULL)
		buf_append_str(&b, "p.dest = ?4 AND ");
	buf_append_str(&b, "p._time >= ?2 AND p._time < ?3 AND (");
	for (i = 0; i < DB_SEARCH_NCOLUMNS; i++) {
		if (i != 0)
			buf_append_str(&b, " OR ");
		if (s->regex)
			buf_printf(&b, "regexp(?1, %s)", db_search_columns[i]);
		else {
			buf_printf(&b, "%s LIKE ?1 ESCAPE '\\'",
			    db_search_columns[i]);
		}
	}
	buf_append_str(&b, ") ORDER BY p._time, p.id LIMIT ?5");
	return (buf_take(&b));
}

/*
 * The pattern as the statement compares it: for a substring, a LIKE
 * pattern with % and _ taken literally.  LIKE ignores ASCII case and is
 * twice as fast as instr(lower()) on a million rows.
 */
static char *
db_search_pattern(const struct db_search *s)
{
	struct buf	 b = { 0 };
	const char	*p;

	if (s->regex)
		return (xstrdup(s->pattern));
	buf_append_str(&b, "%");
	for (p = s->pattern; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_append_str(&b, "\\");
		buf_append(&b, p, 1);
	}
	buf_append_str(&b, "%");
	return (buf_take(&b));
}

/*
 * The process creations s asks for, oldest first, into *out (the caller
 * frees it with db_process_free_array), at most s->limit of them (0: no
 * limit); *more is set if there were more.  -1 with a cause for a bad
 * regular expression or a failed query.
 */
int
db_search(struct db *db, const struct db_search *s, struct db_proc **out,
    size_t *nout, int *more, char **cause)
{
	sqlite3_stmt	*st = NULL;
	struct db_proc	*all = NULL;
	regex_t		 re;
	char		*sql, *pat, err[256];
	size_t		 n = 0;
	int		 rc;

	*out = NULL;
	*nout = 0;
	*more = 0;
	if (s->regex) {
		/* As regexp() compiles it, to say what is wrong first. */
		if ((rc = regcomp(&re, s->pattern, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB)) != 0) {
			regerror(rc, &re, err, sizeof err);
			xasprintf(cause, "bad regular expression '%s': %s",
			    s->pattern, err);
			return (-1);
		}
		regfree(&re);
		sqlite3_create_function(db->h, "regexp", 2, SQLITE_UTF8 |
		    SQLITE_DETERMINISTIC, NULL, db_detect_sql_regexp, NULL,
		    NULL);
	}
	sql = db_search_sql(s);
	st = db_prepare(db, sql);
	free(sql);
	pat = db_search_pattern(s);
	sqlite3_bind_text(st, 1, pat, -1, free);
	sqlite3_bind_text(st, 2, s->earliest != NULL ? s->earliest : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->latest != NULL ? s->latest : "~", -1,
	    SQLITE_STATIC);
	if (s->dest != NULL)
		sqlite3_bind_text(st, 4, s->dest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, s->limit == 0 ? -1 :
	    (int64_t)s->limit + 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->limit != 0 && n == s->limit) {
			*more = 1;
			break;
		}
		all = xreallocarray(all, n + 1, sizeof *all);
		db_process_fill(db, st, &all[n++]);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		xasprintf(cause, "cannot search: %s", sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		db_process_free_array(all, n);
		return (-1);
	}
	sqlite3_finalize(st);
	*out = all;
	*nout = n;
	return (0);
}
