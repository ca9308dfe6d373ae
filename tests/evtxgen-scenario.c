/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: the scenario parser.
 */

/*
 * SCENARIO FORMAT
 *
 * One event per line:	KIND key=value key="value with spaces" ...
 * A line whose first non-blank character is '#' is a comment; blank lines
 * are ignored.  KIND is one of:
 *
 *	sysmon1   Sysmon 1, process creation (Version 5)
 *	sysmon3   Sysmon 3, network connection
 *	sysmon5   Sysmon 5, process terminated
 *	sysmon11  Sysmon 11, file create
 *	4688      Security, process creation (version=0, 1 or 2; default 2)
 *	4689      Security, process exit
 *	4624      Security, logon
 *	4634      Security, logoff
 *
 * Lower-case keys are event properties:
 *	time=2024-03-05T10:00:00.1234567Z   TimeCreated and record written time
 *	    (fraction 0-7 digits, Z optional).  Default: previous event + 1s,
 *	    the first event 2024-03-05T09:00:00Z.
 *	computer=HOST   (default WS01.corp.example.com)
 *	version=N       System/Version (4688: 0/1/2 select the field set)
 *	record=N        explicit EventRecordID; later events continue at N+1
 *	schema=old      sysmon1 only: old layout without FileVersion,
 *	                Description, Product, Company, OriginalFileName,
 *	                ParentUser (default Version 3)
 *	pid=N tid=N     System/Execution ProcessID and ThreadID
 *	userid=SID      System/Security UserID (default S-1-5-18)
 *	level=N task=N opcode=N keywords=0xN   other System fields
 *	omit=A,B        leave the EventData fields A and B out entirely
 * Every other key is an EventData field by its Windows name (Image=,
 * CommandLine=, NewProcessId=0x1a2c, ...).  A name the kind does not have
 * is an error unless written +Name=value, which appends an extra field.
 * Omitted fields get plausible defaults (evtxgen -x shows them all).
 *
 * Values are bare (no blanks, no leading '"') or double-quoted.  Inside
 * quotes backslashes are literal and "" is one '"'.  In both forms %xNN
 * is the byte 0xNN and %u{XXXX} the code point U+XXXX (as UTF-8); any
 * other '%' is literal.  The result must be valid UTF-8; it is written as
 * UTF-16LE.  Errors are reported as file:line and exit with status 2.
 *
 * Typed fields (UInt32 ProcessId, HexInt64 NewProcessId, SID, GUID, ...)
 * are written with the Windows value type when the text is in canonical
 * form (decimal without leading zeros; 0x + lower-case hex without
 * leading zeros; S-1-...; {GUID} in upper case); any other text is
 * written as a UTF-16 string instead, so it always reads back verbatim.
 *
 * evtxgen -x prints the expected reading, one line per field:
 *	RECORD<TAB>FIELD<TAB>VALUE
 * FIELD is Provider.Name, Provider.Guid, EventID, Version, Level, Task,
 * Opcode, Keywords, TimeCreated.SystemTime, EventRecordID,
 * Execution.ProcessID, Execution.ThreadID, Channel, Computer,
 * Security.UserID or Data.NAME.  In VALUE a backslash is written \\, tab
 * \t, newline \n, CR \r and other bytes below 0x20 and 0x7f as \xNN.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "evtxgen.h"

/* ---- scenario parsing ------------------------------------------------- */

/*
 * Decode %xNN and %u{X..} in place semantics: copy s[0..n) to out.
 * Returns length written or -1.
 */
static int
evtxgen_hexval(int c)
{
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return evtxgen_hexdig(c);
}

/*
 * Decode %xNN and %u{X..} from s[0..n) into out (which may be s: the
 * output is never longer than the input).  Returns 0 or -1.
 */
static int
evtxgen_pct(const char *s, size_t n, char *out, size_t *olen)
{
	size_t		 i, j, o = 0;
	uint32_t	 cp;
	int		 hi, lo, d;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 3 < n && s[i + 1] == 'x' &&
		    (hi = evtxgen_hexval(s[i + 2])) >= 0 &&
		    (lo = evtxgen_hexval(s[i + 3])) >= 0) {
			if (hi == 0 && lo == 0)
				return -1;	/* NUL cannot be stored */
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else if (s[i] == '%' && i + 2 < n && s[i + 1] == 'u' &&
		    s[i + 2] == '{') {
			cp = 0;
			for (j = i + 3; j < n && j < i + 10 &&
			    (d = evtxgen_hexval(s[j])) >= 0; j++)
				cp = cp << 4 | (uint32_t)d;
			if (j == i + 3 || j >= n || s[j] != '}' || cp == 0 ||
			    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
				return -1;
			if (cp < 0x80)
				out[o++] = (char)cp;
			else if (cp < 0x800) {
				out[o++] = (char)(0xc0 | cp >> 6);
				out[o++] = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				out[o++] = (char)(0xe0 | cp >> 12);
				out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				out[o++] = (char)(0x80 | (cp & 0x3f));
			} else {
				out[o++] = (char)(0xf0 | cp >> 18);
				out[o++] = (char)(0x80 | ((cp >> 12) & 0x3f));
				out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				out[o++] = (char)(0x80 | (cp & 0x3f));
			}
			i = j;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*olen = o;
	return 0;
}

/*
 * Split a line in place into kind and key/value pairs.  Values are
 * decoded into the same buffer (decoding never makes a value longer).
 */
static int
evtxgen_split(char *line, char **kind, struct evtxgen_kv *kv, int *nkv,
    char *err, size_t errlen)
{
	char	*p = line, *key, *v, *o;
	size_t	 olen;
	int	 i;

	*nkv = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	*kind = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		key = p;
		if (*p == '+')
			p++;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-')
			p++;
		if (*p != '=' || p == key || (*key == '+' && p == key + 1)) {
			snprintf(err, errlen, "expected key=value at \"%.20s\"",
			    key);
			return -1;
		}
		*p++ = '\0';
		if (*nkv == EVTXGEN_MAXKV) {
			snprintf(err, errlen, "too many keys");
			return -1;
		}
		o = p;
		if (*p == '"') {
			/* Quoted: "" is a quote, nothing else special. */
			v = ++p;
			o = v;
			for (;;) {
				if (*p == '\0') {
					snprintf(err, errlen, "unterminated "
					    "quoted value for %s", key);
					return -1;
				}
				if (*p == '"') {
					if (p[1] == '"') {
						*o++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*o++ = *p++;
			}
			if (*p != '\0' && *p != ' ' && *p != '\t' &&
			    *p != '\r') {
				snprintf(err, errlen, "junk after closing "
				    "quote of %s", key);
				return -1;
			}
			if (*p != '\0')
				p++;
		} else {
			v = p;
			while (*p != '\0' && *p != ' ' && *p != '\t' &&
			    *p != '\r')
				p++;
			o = p;
			if (*p != '\0')
				p++;
		}
		*o = '\0';
		if (evtxgen_pct(v, strlen(v), v, &olen) == -1) {
			snprintf(err, errlen, "bad %% escape in value of %s",
			    key);
			return -1;
		}
		for (i = 0; i < *nkv; i++) {
			if (strcmp(kv[i].key, key) == 0) {
				snprintf(err, errlen, "duplicate key %s", key);
				return -1;
			}
		}
		kv[*nkv].key = key;
		kv[*nkv].val = v;
		kv[*nkv].used = 0;
		(*nkv)++;
	}
	return 0;
}

void
evtxgen_emit(struct evtxgen_sink *sk, const struct evtxgen_event *ev)
{
	if (sk->dump != NULL)
		evtxgen_dump_event(sk->dump, ev);
	if (sk->out != NULL)
		evtxgen_write_event(sk->out, ev);
}

void
evtxgen_scenario(const char *path, struct evtxgen_sink *sk)
{
	static struct evtxgen_event	 ev;
	struct evtxgen_state		 st;
	struct evtxgen_kv		 kv[EVTXGEN_MAXKV];
	const struct evtxgen_kind	*k;
	FILE				*fp;
	char				*line = NULL, *kind, *p, err[512];
	size_t				 cap = 0;
	ssize_t				 len;
	int				 nkv;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL)
		evtxgen_die("%s: %s", path, strerror(errno));
	memset(&st, 0, sizeof(st));
	st.file = path;
	st.nextrec = 1;
	while ((len = getline(&line, &cap, fp)) != -1) {
		st.line++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (strlen(line) != (size_t)len) {
			fprintf(stderr, "%s:%lu: NUL byte in line\n", path,
			    st.line);
			exit(2);
		}
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (evtxgen_split(p, &kind, kv, &nkv, err, sizeof(err)) == -1)
			goto error;
		if ((k = evtxgen_find_kind(kind)) == NULL) {
			snprintf(err, sizeof(err), "unknown event kind \"%s\"",
			    kind);
			goto error;
		}
		if (evtxgen_build(&st, k, kv, nkv, &ev, err, sizeof(err)) == -1)
			goto error;
		evtxgen_emit(sk, &ev);
		continue;
error:
		fprintf(stderr, "%s:%lu: %s\n", path, st.line, err);
		exit(2);
	}
	if (ferror(fp))
		evtxgen_die("%s: read error", path);
	free(line);
	if (fp != stdin)
		fclose(fp);
}
