/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Unit tests of the pieces that have no files or processes of their own:
 * the XML scanner, normalisation, wildcards, escaping, JSON, CSV and
 * the log.
 * Each check prints "ok - ..." or "not ok - ..." with file:line.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtriage.h"

static int	failed;

#define CHECK(cond, name) do {						\
	if (cond)							\
		printf("ok - %s\n", name);				\
	else {								\
		printf("not ok - %s\n#   %s:%d: %s\n", name, __FILE__,	\
		    __LINE__, #cond);					\
		failed = 1;						\
	}								\
} while (0)

#define CHECK_STR(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if ((g_ == NULL && w_ == NULL) ||				\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0))		\
		printf("ok - %s\n", name);				\
	else {								\
		printf("not ok - %s\n#   %s:%d: got '%s', want '%s'\n",	\
		    name, __FILE__, __LINE__, g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
		failed = 1;						\
	}								\
} while (0)

static void
test_wildcard(void)
{
	CHECK(db_filter_wildcard("", "anything"), "empty pattern matches all");
	CHECK(db_filter_wildcard("msiexec.exe", "MSIEXEC.EXE"),
	    "wildcard ignores case");
	CHECK(!db_filter_wildcard("msiexec.exe", "notmsiexec.exe"),
	    "wildcard anchors both ends");
	CHECK(db_filter_wildcard("*/y*", "msiexec /y x.dll"), "*/y* inside");
	CHECK(db_filter_wildcard("*/y*", "C:/yellow"), "*/y* in a path");
	CHECK(!db_filter_wildcard("*/y*", "msiexec /i x"), "*/y* absent");
	CHECK(db_filter_wildcard("a*b*c", "aXXbYYbc"), "backtracking");
	CHECK(db_filter_wildcard("unknown", NULL), "NULL is unknown");
	CHECK(db_filter_wildcard("a**", "a"), "stars match nothing");
	CHECK(!db_filter_wildcard("a?", "ab"), "? is literal");
}

static void
test_norm(void)
{
	char	*s;

	CHECK(event_norm_pid("0x1a2c") == 6700, "hex pid");
	CHECK(event_norm_pid("0x0000000000001A2C") == 6700, "padded hex pid");
	CHECK(event_norm_pid("6700") == 6700, "decimal pid");
	CHECK(event_norm_pid("-") == -1, "dash is no pid");
	CHECK(event_norm_pid("12ab") == -1, "junk is no pid");
	CHECK(event_norm_pid(NULL) == -1, "NULL is no pid");
	s = event_norm_basename("C:\\Windows\\System32\\msiexec.exe");
	CHECK_STR(s, "msiexec.exe", "basename with backslashes");
	free(s);
	s = event_norm_basename("C:/Tools/x.exe");
	CHECK_STR(s, "x.exe", "basename with slashes");
	free(s);
	s = event_norm_basename("msiexec.exe");
	CHECK_STR(s, "msiexec.exe", "basename without folder");
	free(s);
	CHECK(event_norm_basename("C:\\dir\\") == NULL, "folder has no name");
	s = event_norm_sid("S-1-5-21-1004336348-1177238915-682003330-1105");
	CHECK_STR(s, "S-1-5-21-1004336348-1177238915-682003330-1105",
	    "SID through libfwnt");
	free(s);
	s = event_norm_sid("S-1-5-18");
	CHECK_STR(s, "S-1-5-18", "well-known SID");
	free(s);
	CHECK(event_norm_sid("not-a-sid") == NULL, "bad SID");
	CHECK(event_norm_sid("S-1-5-99999999999") == NULL,
	    "sub-authority overflow");
	CHECK(event_norm_sid("S-2-5-18") == NULL, "bad revision");
}

static void
test_xml(void)
{
	struct evt_record	 r;
	const char		*x;
	char			*cause = NULL;
	int			 rc;

	memset(&r, 0, sizeof r);
	x = "<Event><System><Provider Name=\"Microsoft-Windows-Sysmon\" "
	    "Guid=\"{5770385F}\"/><EventID Qualifiers=\"0\">1</EventID>"
	    "<Version>5</Version><TimeCreated SystemTime=\"2017-12-26T13:10:"
	    "29.136879200Z\"/><EventRecordID>1742</EventRecordID>"
	    "<Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
	    "<Computer>WS&amp;01</Computer><Security UserID=\"S-1-5-18\"/>"
	    "</System><EventData><Data Name=\"CommandLine\">a &lt;b&gt; "
	    "&amp;&amp; &quot;c&quot; &#65;&#x42;\x1b[2J\nnext</Data>"
	    "<Data Name=\"Empty\"/><Data Name=\"Image\">C:\\x.exe</Data>"
	    "<Data>noname</Data></EventData></Event>";
	rc = evtx_xml_parse(x, strlen(x), &r, &cause);
	CHECK(rc == 0, "XML parses");
	CHECK(r.event_id == 1, "EventID with Qualifiers");
	CHECK(r.version == 5, "Version");
	CHECK(r.record_id == 1742, "EventRecordID");
	CHECK_STR(r.time, "2017-12-26T13:10:29.1368792Z", "time to 100 ns");
	CHECK_STR(r.provider, "Microsoft-Windows-Sysmon", "provider");
	CHECK_STR(r.computer, "WS&01", "computer decoded");
	CHECK_STR(r.user_sid, "S-1-5-18", "UserID");
	CHECK(r.nfields == 4, "four Data elements");
	if (r.nfields == 4) {
		CHECK_STR(r.fields[0].value,
		    "a <b> && \"c\" AB\x1b[2J\nnext", "entities and controls");
		CHECK_STR(r.fields[1].name, "Empty", "empty element name");
		CHECK_STR(r.fields[1].value, "", "empty element value");
		CHECK_STR(r.fields[2].value, "C:\\x.exe", "backslashes kept");
		CHECK_STR(r.fields[3].name, "Data3", "unnamed Data numbered");
	}
	evtx_record_clear(&r);
	rc = evtx_xml_parse("<Event><System", 14, &r, &cause);
	CHECK(rc == -1 && cause != NULL, "unterminated tag is an error");
	free(cause);
	evtx_record_clear(&r);
	x = "<Event><EventData><Data Name=\"A\">cut off";
	rc = evtx_xml_parse(x, strlen(x), &r, NULL);
	CHECK(rc == 0 && r.nfields == 1 && strcmp(r.fields[0].value,
	    "cut off") == 0, "a value cut off at the end is kept");
	evtx_record_clear(&r);
	x = evtx_xml_filetime(131587674291368792ULL);
	CHECK_STR(x, "2017-12-26T13:10:29.1368792Z", "FILETIME to text");
	free((char *)x);
}

static void
test_norm_event(void)
{
	struct evt_record	r;
	struct proc_row		p;
	struct evt_field	f[] = {
		{ "SubjectUserSid", "S-1-5-21-1-2-3-1105" },
		{ "SubjectUserName", "bob" },
		{ "SubjectDomainName", "CORP" },
		{ "SubjectLogonId", "0x51f3a" },
		{ "NewProcessId", "0x0000000000001a2c" },
		{ "NewProcessName", "C:\\Windows\\System32\\msiexec.exe" },
		{ "ProcessId", "0x9d8" },
		{ "CommandLine", "msiexec -y x.dll" },
		{ "TargetUserSid", "S-1-0-0" },
		{ "TargetUserName", "-" },
		{ "ParentProcessName", "C:\\Windows\\System32\\cmd.exe" },
		{ "MandatoryLabel", "S-1-16-12288" },
	};

	memset(&r, 0, sizeof r);
	r.event_id = 4688;
	r.provider = "Microsoft-Windows-Security-Auditing";
	r.computer = "SRV02";
	r.time = "2024-03-05T10:40:03.5000000Z";
	r.fields = f;
	r.nfields = sizeof f / sizeof f[0];
	CHECK(event_norm(&r, &p) == 0, "4688 normalises");
	CHECK_STR(p.col[PROC_USER], "CORP\\bob", "4688 user from Subject");
	CHECK_STR(p.col[PROC_USER_ID], "S-1-5-21-1-2-3-1105", "4688 user_id");
	CHECK_STR(p.col[PROC_PROCESS_ID], "6700", "4688 pid in decimal");
	CHECK_STR(p.col[PROC_PARENT_PROCESS_ID], "2520", "4688 parent pid");
	CHECK_STR(p.col[PROC_PROCESS_NAME], "msiexec.exe", "process_name");
	CHECK_STR(p.col[PROC_PARENT_PROCESS_NAME], "cmd.exe",
	    "parent_process_name");
	CHECK_STR(p.col[PROC_PROCESS_INTEGRITY_LEVEL], "High",
	    "mandatory label as a level");
	CHECK(p.col[PROC_ORIGINAL_FILE_NAME] == NULL,
	    "4688 has no original_file_name");
	CHECK_STR(p.col[PROC_VENDOR_PRODUCT], "Microsoft Windows",
	    "vendor_product");
	CHECK(p.kind == PROC_KIND_START, "4688 starts a process");
	CHECK(strstr(p.col[PROC_FIELDS], "\"MandatoryLabel\":"
	    "\"S-1-16-12288\"") != NULL, "fields kept as JSON");
	event_norm_clear(&p);
	r.provider = "Some-Other-Provider";
	CHECK(event_norm(&r, &p) == -1, "another provider's 4688 is not");
}

static void
test_escape(void)
{
	struct buf	b = { 0 };

	escape_term(&b, "a\x1b[2Jb\x07\tc\n\xc3\xa9\xff\xc2\x9b");
	CHECK_STR((char *)b.data, "a\\x1b[2Jb\\x07\\tc\\n\xc3\xa9\\xff"
	    "\\xc2\\x9b", "controls, C1 and bad UTF-8 escaped");
	buf_free(&b);
	escape_term(&b, "\xe2\x80\xae" "evil");
	CHECK_STR((char *)b.data, "\\xe2\\x80\\xae" "evil",
	    "bidirectional override escaped");
	buf_free(&b);
	buf_json_string(&b, "q\"b\\s\x01\n");
	CHECK_STR((char *)b.data, "\"q\\\"b\\\\s\\u0001\\n\"", "JSON string");
	buf_free(&b);
}

static void
test_csv(void)
{
	FILE		*f;
	char		**cells;
	int		 n;
	const char	*row[] = { "=cmd|' /C calc'!A0", "a,\"b\"\nc", "'x",
			    "plain", "-y", "" };

	f = tmpfile();
	csv_write_row(f, row, 6);
	rewind(f);
	n = csv_read_row(f, &cells);
	CHECK(n == 6, "CSV row reads back whole");
	if (n == 6) {
		CHECK_STR(cells[0], row[0], "formula guard undone");
		CHECK_STR(cells[1], row[1], "quotes, comma, newline");
		CHECK_STR(cells[2], row[2], "leading quote kept");
		CHECK_STR(cells[4], row[4], "leading dash");
		CHECK_STR(cells[5], "", "empty cell");
	}
	csv_free_row(cells, n);
	rewind(f);
	{
		char	line[256];

		CHECK(fgets(line, sizeof line, f) != NULL &&
		    strncmp(line, "\"'=cmd", 6) == 0,
		    "a formula is written with a leading quote");
	}
	fclose(f);
}

/* While curses is up, messages are held, shown, then printed: none lost. */
static void
test_log(void)
{
	FILE		*tmp;
	char		 out[256];
	const char	*last;
	size_t		 n, len;
	int		 saved;

	log_open(0, NULL);
	log_curses = 1;
	log_warnx("cannot read '%s'", "a.evtx");
	log_info("not at this level");
	log_warnx("second");
	last = log_last(&n);
	CHECK_STR(last, "second", "the newest message is there to show");
	CHECK(n == 2, "two messages held, info not at level 0");
	if ((tmp = tmpfile()) == NULL)
		return;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	log_curses = 0;
	log_close();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	len = fread(out, 1, sizeof out - 1, tmp);
	out[len] = '\0';
	fclose(tmp);
	CHECK_STR(out, "evtriage: cannot read 'a.evtx'\nevtriage: second\n",
	    "log_close prints the held messages once curses is down");
	CHECK(log_last(NULL) == NULL, "and forgets them");
}

int
main(void)
{
	test_wildcard();
	test_norm();
	test_xml();
	test_norm_event();
	test_escape();
	test_csv();
	test_log();
	return (failed);
}
