/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * A loadable SQLite extension for detect-bench.sh: the two functions a
 * detection's SQL calls, as the runner defines them (db/db-detect.c),
 * so that the sqlite3 shell runs a detection's SQL exactly as the runner
 * prepares it.  regexp(pattern, value) is a POSIX extended regular
 * expression ignoring case, compiled once a statement, NULL never
 * matching; ctime(iso) is security_content_ctime's "%m/%d/%Y %H:%M:%S"
 * in UTC.  Not built by make: the bench compiles it.
 */

#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

static void
detect_sql_regfree(void *p)
{
	regfree(p);
	free(p);
}

static void
detect_sql_regexp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	regex_t		*re;
	const char	*v;

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_value_type(argv[1]) == SQLITE_NULL) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	if ((re = sqlite3_get_auxdata(ctx, 0)) == NULL) {
		if ((re = malloc(sizeof *re)) == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		if (regcomp(re, (const char *)sqlite3_value_text(argv[0]),
		    REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0) {
			free(re);
			sqlite3_result_error(ctx, "bad regular expression", -1);
			return;
		}
		sqlite3_set_auxdata(ctx, 0, re, detect_sql_regfree);
		if ((re = sqlite3_get_auxdata(ctx, 0)) == NULL) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	v = (const char *)sqlite3_value_text(argv[1]);
	sqlite3_result_int(ctx, regexec(re, v, 0, NULL, 0) == 0);
}

static void
detect_sql_ctime(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct tm	 tm;
	const char	*s;
	char		 out[32];

	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	s = (const char *)sqlite3_value_text(argv[0]);
	memset(&tm, 0, sizeof tm);
	if (strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
		sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
		return;
	}
	strftime(out, sizeof out, "%m/%d/%Y %H:%M:%S", &tm);
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int
sqlite3_detectsql_init(sqlite3 *db, char **err,
    const sqlite3_api_routines *api)
{
	SQLITE_EXTENSION_INIT2(api);
	sqlite3_create_function(db, "regexp", 2, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, detect_sql_regexp, NULL, NULL);
	sqlite3_create_function(db, "ctime", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, detect_sql_ctime, NULL, NULL);
	return (SQLITE_OK);
}
