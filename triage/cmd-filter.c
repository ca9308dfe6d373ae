/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * The filter command: add, list and remove the false-positive filters of
 * a case, and carry them between cases in their CSV form (db-filter.c):
 *	filter,detection,field,pattern,reason,added_by,added_at,expires
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

static int	cmd_filter_exec(const struct cmd_entry *, int, char **);

const struct cmd_entry cmd_filter_entry = {
	.name = "filter",
	.args = "+d:h",
	.usage = "[-h] [-d case] add|list|rm|import|export ...",
	.summary = "manage the false-positive filters of a case",
	.exec = cmd_filter_exec
};


static void
cmd_filter_print(struct db *db, const char *detection)
{
	struct db_filter	*f;
	size_t			 n, i, j;

	db_filter_list(db, detection, &f, &n);
	for (i = 0; i < n; i++) {
		printf("%lld  %s  ", (long long)f[i].id, f[i].detection);
		escape_print(stdout, f[i].reason);
		printf("\n    added by ");
		escape_print(stdout, f[i].added_by);
		printf(" at %s", f[i].added_at);
		if (f[i].expires != NULL)
			printf(", expires %s", f[i].expires);
		fputc('\n', stdout);
		if (f[i].nconds == 0)
			printf("    (no conditions: matches every hit)\n");
		for (j = 0; j < f[i].nconds; j++) {
			printf("    %s = ", f[i].conds[j].field);
			escape_print(stdout, f[i].conds[j].pattern);
			fputc('\n', stdout);
		}
	}
	db_filter_free(f, n);
}

static int
cmd_filter_exec(const struct cmd_entry *self, int argc, char **argv)
{
	struct db		*db = NULL;
	struct db_filter	 flt;
	const char		*path = "evtriage.db", *sub, *out = NULL;
	const char		*zone = NULL;
	char			*cause = NULL, *eq, *end, *user = NULL;
	char			*expires = NULL;
	int			 ch, i, rc = EXIT_CLEAN, all = 0, oflags = 0;
	size_t			 changed;
	int64_t			 id;
	FILE			*f;

	memset(&flt, 0, sizeof flt);
	while ((ch = getopt(argc, argv, self->args)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'h':
			usage_cmd(self, 1);
		default:
			usage_cmd(self, 0);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage_cmd(self, 0);
	sub = argv[0];
	optind = 1;
	if (strcmp(sub, "add") == 0) {
		while ((ch = getopt(argc, argv, "ab:D:R:x:z:")) != -1) {
			switch (ch) {
			case 'a':
				all = 1;
				break;
			case 'b':
				flt.added_by = optarg;
				break;
			case 'D':
				flt.detection = optarg;
				break;
			case 'R':
				flt.reason = optarg;
				break;
			case 'x':
				flt.expires = optarg;
				break;
			case 'z':
				zone = optarg;
				break;
			default:
				goto usage;
			}
		}
		if (flt.detection == NULL || flt.reason == NULL) {
			log_warnx("filter add needs -D detection and "
			    "-R reason");
			goto usage;
		}
		for (i = optind; i < argc; i++) {
			if ((eq = strchr(argv[i], '=')) == NULL) {
				log_warnx("condition '%s' is not field=pattern",
				    argv[i]);
				goto usage;
			}
			flt.conds = xreallocarray(flt.conds, flt.nconds + 1,
			    sizeof *flt.conds);
			flt.conds[flt.nconds].field = xstrndup(argv[i],
			    eq - argv[i]);
			flt.conds[flt.nconds].pattern = xstrdup(eq + 1);
			flt.nconds++;
		}
	} else if (strcmp(sub, "rm") == 0 || strcmp(sub, "import") == 0) {
		if (argc != 2)
			goto usage;
	} else if (strcmp(sub, "export") == 0) {
		while ((ch = getopt(argc, argv, "o:")) != -1) {
			if (ch != 'o')
				goto usage;
			out = optarg;
		}
	} else if (strcmp(sub, "list") == 0) {
		while ((ch = getopt(argc, argv, "D:")) != -1) {
			if (ch != 'D')
				goto usage;
			flt.detection = optarg;
		}
	} else
		goto usage;

	if (strcmp(sub, "add") == 0 || strcmp(sub, "import") == 0)
		oflags = DB_CREATE;
	else if (strcmp(sub, "rm") != 0)
		oflags = DB_READONLY;	/* list and export only read */
	if (db_open(path, oflags, &db, &cause) != 0) {
		log_warnx("%s", cause);
		db = NULL;
		rc = EXIT_USAGE;
		goto out;
	}
	if (strcmp(sub, "add") == 0) {
		if (flt.added_by == NULL)
			flt.added_by = user = db_filter_user();
		/* -x is read as -E and -L are. */
		if (flt.expires != NULL && (db_run_time(db, flt.expires, zone,
		    &expires, &cause) != 0 || *expires == '\0')) {
			if (cause == NULL)
				xasprintf(&cause, "'%s' is relative to the "
				    "newest event and the case has none",
				    flt.expires);
			log_warnx("bad -x: %s", cause);
			rc = EXIT_USAGE;
		} else if (zone != NULL && db_filter_zone(&flt, zone,
		    &cause) != 0) {
			log_warnx("bad -z: %s", cause);
			rc = EXIT_USAGE;
		} else if (db_filter_check(db, &flt, all, &cause) != 0) {
			log_warnx("cannot add filter: %s", cause);
			rc = EXIT_USAGE;
		} else {
			flt.expires = expires;
			if (db_filter_add(db, &flt, &id, &cause) != 0) {
				log_warnx("cannot add filter: %s", cause);
				rc = EXIT_USAGE;
			} else
				printf("%lld\n", (long long)id);
		}
	} else if (strcmp(sub, "rm") == 0) {
		id = strtoll(argv[1], &end, 10);
		if (*end != '\0' || db_filter_rm(db, id, &cause) != 0) {
			log_warnx("cannot remove filter '%s': %s", argv[1],
			    cause != NULL ? cause : "not a number");
			rc = EXIT_USAGE;
		}
	} else if (strcmp(sub, "import") == 0) {
		if (db_filter_import(db, argv[1], &cause) != 0) {
			log_warnx("%s", cause);
			rc = EXIT_USAGE;
		}
	} else if (strcmp(sub, "export") == 0) {
		if (out == NULL)
			db_filter_export(db, stdout);
		else if ((f = fopen(out, "w")) == NULL) {
			log_warnx("cannot open '%s': %s", out,
			    strerror(errno));
			rc = EXIT_USAGE;
		} else {
			db_filter_export(db, f);
			fclose(f);
		}
	} else
		cmd_filter_print(db, flt.detection);
	/* The stored hits follow the filters without a new detect. */
	if (rc == EXIT_CLEAN && (strcmp(sub, "add") == 0 ||
	    strcmp(sub, "rm") == 0 || strcmp(sub, "import") == 0)) {
		if (db_filter_apply(db, NULL, &changed, &cause) != 0) {
			log_warnx("cannot update the hits: %s", cause);
			rc = EXIT_USAGE;
		} else if (changed > 0 && strcmp(sub, "rm") == 0)
			log_warnx("%zu hit%s unfiltered or refiltered", changed,
			    changed == 1 ? " is" : "s are");
		else if (changed > 0)
			log_warnx("%zu hit%s now filtered", changed,
			    changed == 1 ? " is" : "s are");
	}
	goto out;

usage:
	fprintf(stderr, "usage: evtriage filter [-d case] add [-a] "
	    "-D detection -R reason [-b by] [-x expires] [-z zone]\n"
	    "           [field=pattern ...]\n"
	    "       evtriage filter [-d case] list [-D detection]\n"
	    "       evtriage filter [-d case] rm id\n"
	    "       evtriage filter [-d case] import file.csv\n"
	    "       evtriage filter [-d case] export [-o file.csv]\n");
	rc = EXIT_USAGE;
out:
	free(expires);
	db_close(db);
	free(cause);
	free(user);
	for (i = 0; i < (int)flt.nconds; i++) {
		free(flt.conds[i].field);
		free(flt.conds[i].pattern);
	}
	free(flt.conds);
	return (rc);
}
