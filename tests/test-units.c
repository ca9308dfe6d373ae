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
#include <time.h>
#include <unistd.h>

#include "evtriage.h"
#include "tests/check.h"

static void
test_wildcard(void)
{
	CHECK("empty pattern matches all", db_filter_wildcard("", "anything"));
	CHECK("wildcard ignores case", db_filter_wildcard("msiexec.exe",
	    "MSIEXEC.EXE"));
	CHECK("wildcard anchors both ends", !db_filter_wildcard("msiexec.exe",
	    "notmsiexec.exe"));
	CHECK("*/y* inside", db_filter_wildcard("*/y*", "msiexec /y x.dll"));
	CHECK("*/y* in a path", db_filter_wildcard("*/y*", "C:/yellow"));
	CHECK("*/y* absent", !db_filter_wildcard("*/y*", "msiexec /i x"));
	CHECK("backtracking", db_filter_wildcard("a*b*c", "aXXbYYbc"));
	CHECK("NULL is unknown", db_filter_wildcard("unknown", NULL));
	CHECK("stars match nothing", db_filter_wildcard("a**", "a"));
	CHECK("? is literal", !db_filter_wildcard("a?", "ab"));
}

static void
test_norm(void)
{
	char	*s;

	CHECK("hex pid", event_norm_pid("0x1a2c") == 6700);
	CHECK("padded hex pid", event_norm_pid("0x0000000000001A2C") == 6700);
	CHECK("decimal pid", event_norm_pid("6700") == 6700);
	CHECK("dash is no pid", event_norm_pid("-") == -1);
	CHECK("junk is no pid", event_norm_pid("12ab") == -1);
	CHECK("NULL is no pid", event_norm_pid(NULL) == -1);
	s = event_norm_basename("C:\\Windows\\System32\\msiexec.exe");
	CHECK_STR("basename with backslashes", s, "msiexec.exe");
	free(s);
	s = event_norm_basename("C:/Tools/x.exe");
	CHECK_STR("basename with slashes", s, "x.exe");
	free(s);
	s = event_norm_basename("msiexec.exe");
	CHECK_STR("basename without folder", s, "msiexec.exe");
	free(s);
	CHECK("folder has no name", event_norm_basename("C:\\dir\\") == NULL);
	s = event_norm_sid("S-1-5-21-1004336348-1177238915-682003330-1105");
	CHECK_STR("SID through libfwnt", s,
	    "S-1-5-21-1004336348-1177238915-682003330-1105");
	free(s);
	s = event_norm_sid("S-1-5-18");
	CHECK_STR("well-known SID", s, "S-1-5-18");
	free(s);
	CHECK("bad SID", event_norm_sid("not-a-sid") == NULL);
	CHECK("sub-authority overflow", event_norm_sid("S-1-5-99999999999") ==
	    NULL);
	CHECK("bad revision", event_norm_sid("S-2-5-18") == NULL);
	/* Forms kept as they are, and forms libfwnt writes again. */
	s = event_norm_sid("S-1-5");
	CHECK_STR("SID without sub-authorities", s, "S-1-5");
	free(s);
	s = event_norm_sid("S-1-5-0-4294967295");
	CHECK_STR("SID with the largest sub-authority", s,
	    "S-1-5-0-4294967295");
	free(s);
	s = event_norm_sid("s-1-5-018");
	CHECK_STR("SID in lower case, a leading zero", s, "S-1-5-18");
	free(s);
	s = event_norm_sid("S-1-4294967296-7");
	CHECK_STR("SID with a 48-bit authority", s, "S-1-4294967296-7");
	free(s);
	CHECK("sub-authority of 2^32", event_norm_sid("S-1-5-4294967296") ==
	    NULL);
	CHECK("16 sub-authorities",
	    event_norm_sid("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16") ==
	    NULL);
	CHECK("empty sub-authority", event_norm_sid("S-1-5--18") == NULL);
	CHECK("trailing dash", event_norm_sid("S-1-5-18-") == NULL);
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
	CHECK("XML parses", rc == 0);
	CHECK("EventID with Qualifiers", r.event_id == 1);
	CHECK("Version", r.version == 5);
	CHECK("EventRecordID", r.record_id == 1742);
	CHECK_STR("time to 100 ns", r.time, "2017-12-26T13:10:29.1368792Z");
	CHECK_STR("provider", r.provider, "Microsoft-Windows-Sysmon");
	CHECK_STR("computer decoded", r.computer, "WS&01");
	CHECK_STR("UserID", r.user_sid, "S-1-5-18");
	CHECK("four Data elements", r.nfields == 4);
	if (r.nfields == 4) {
		CHECK_STR("entities and controls", r.fields[0].value,
		    "a <b> && \"c\" AB\x1b[2J\nnext");
		CHECK_STR("empty element name", r.fields[1].name, "Empty");
		CHECK_STR("empty element value", r.fields[1].value, "");
		CHECK_STR("backslashes kept", r.fields[2].value, "C:\\x.exe");
		CHECK_STR("unnamed Data numbered", r.fields[3].name, "Data3");
	}
	evtx_record_clear(&r);
	rc = evtx_xml_parse("<Event><System", 14, &r, &cause);
	CHECK("unterminated tag is an error", rc == -1 && cause != NULL);
	free(cause);
	evtx_record_clear(&r);
	x = "<Event><EventData><Data Name=\"A\">cut off";
	rc = evtx_xml_parse(x, strlen(x), &r, NULL);
	CHECK("a value cut off at the end is kept", rc == 0 && r.nfields == 1 &&
	    strcmp(r.fields[0].value, "cut off") == 0);
	evtx_record_clear(&r);
	x = casetime_filetime(131587674291368792ULL);
	CHECK_STR("FILETIME to text", x, "2017-12-26T13:10:29.1368792Z");
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
	CHECK("4688 normalises", event_norm(&r, &p) == 0);
	CHECK_STR("4688 user from Subject", p.col[PROC_USER], "CORP\\bob");
	CHECK_STR("4688 user_id", p.col[PROC_USER_ID], "S-1-5-21-1-2-3-1105");
	CHECK_STR("4688 pid in decimal", p.col[PROC_PROCESS_ID], "6700");
	CHECK_STR("4688 parent pid", p.col[PROC_PARENT_PROCESS_ID], "2520");
	CHECK_STR("process_name", p.col[PROC_PROCESS_NAME], "msiexec.exe");
	CHECK_STR("parent_process_name", p.col[PROC_PARENT_PROCESS_NAME],
	    "cmd.exe");
	CHECK_STR("mandatory label as a level",
	    p.col[PROC_PROCESS_INTEGRITY_LEVEL], "High");
	CHECK("4688 has no original_file_name", p.col[PROC_ORIGINAL_FILE_NAME]
	    == NULL);
	CHECK_STR("vendor_product", p.col[PROC_VENDOR_PRODUCT],
	    "Microsoft Windows");
	CHECK("4688 starts a process", p.kind == PROC_KIND_START);
	CHECK("fields kept as JSON", strstr(p.col[PROC_FIELDS],
	    "\"MandatoryLabel\":" "\"S-1-16-12288\"") != NULL);
	event_norm_clear(&p);
	r.provider = "Some-Other-Provider";
	CHECK("another provider's 4688 is not", event_norm(&r, &p) == -1);
}

/*
 * buf_json_string reads eight bytes at a time: each escaped byte at each
 * place of strings of 0 to 24 bytes, checked against the escaper for
 * output (the same on ASCII), and bytes past 0x7f beside a quote.
 */
static void
test_json_words(void)
{
	static const char	 esc[] = { '"', '\\', 0x01, '\n', 0x1f, 0x7f,
				    ' ' };
	struct buf		 a = { 0 }, u = { 0 };
	char			 s[32];
	size_t			 n, i, k;
	int			 bad = 0;

	for (n = 0; n <= 24; n++) {
		for (i = 0; i < n || (n == 0 && i == 0); i++) {
			for (k = 0; k < sizeof esc; k++) {
				memset(s, 'a' + n % 26, n);
				s[n] = '\0';
				if (n > 0)
					s[i] = esc[k];
				buf_json_string(&a, s);
				buf_json_unicode(&u, s);
				bad |= strcmp((char *)a.data,
				    (char *)u.data) != 0;
				buf_free(&a);
				buf_free(&u);
			}
		}
	}
	CHECK("JSON string, eight bytes at a time", bad == 0);
	buf_json_string(&a, "\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0\"\xff\x80");
	CHECK_STR("JSON string, high bytes beside a quote", (char *)a.data,
	    "\"\xa0\xa0\xa0\xa0\xa0\xa0\xa0\xa0\\\"\xff\x80\"");
	buf_free(&a);
}

static void
test_escape(void)
{
	struct buf	b = { 0 };

	escape_term(&b, "a\x1b[2Jb\x07\tc\n\xc3\xa9\xff\xc2\x9b");
	CHECK_STR("controls, C1 and bad UTF-8 escaped", (char *)b.data,
	    "a\\x1b[2Jb\\x07\\tc\\n\xc3\xa9\\xff" "\\xc2\\x9b");
	buf_free(&b);
	escape_term(&b, "\xe2\x80\xae" "evil");
	CHECK_STR("bidirectional override escaped", (char *)b.data,
	    "\\xe2\\x80\\xae" "evil");
	buf_free(&b);
	buf_json_string(&b, "q\"b\\s\x01\n");
	CHECK_STR("JSON string", (char *)b.data, "\"q\\\"b\\\\s\\u0001\\n\"");
	buf_free(&b);
	test_json_words();
	buf_json_string(&b, "\xff\xc2\x9b");
	CHECK_STR("JSON string for the case keeps bytes", (char *)b.data,
	    "\"\xff\xc2\x9b\"");
	buf_free(&b);
	buf_json_unicode(&b, "a\xff\xc2\x9b\xc3\xa9\"\x01");
	CHECK_STR("JSON string for output is Unicode", (char *)b.data,
	    "\"a\xef\xbf\xbd\\u009b\xc3\xa9\\\"\\u0001\"");
	buf_free(&b);
	buf_json_unicode(&b, NULL);
	CHECK_STR("JSON null", (char *)b.data, "null");
	buf_free(&b);
	buf_append_utf8(&b, 0x41);
	buf_append_utf8(&b, 0xe9);
	buf_append_utf8(&b, 0x20ac);
	buf_append_utf8(&b, 0x1f600);
	buf_append_utf8(&b, 0x110000);
	CHECK_STR("UTF-8 appender", (char *)b.data,
	    "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	buf_free(&b);
}

static void
test_casetime(void)
{
	struct tm	 tm;
	time_t		 t;
	char		*s, frac[16], *old;
	const char	*e;

	e = casetime_parse("2024-03-05T10:14:07.1234567Z", &t, frac,
	    sizeof frac);
	CHECK("case time parsed", e != NULL && *e == 'Z' && t == 1709633647);
	CHECK_STR("fraction kept", frac, "1234567");
	CHECK("not a time", casetime_parse("yesterday", &t, NULL, 0) == NULL);
	s = casetime_format("2024-03-05T10:14:07.1234567Z", NULL,
	    CASETIME_ISO);
	CHECK_STR("UTC is the case's text", s, "2024-03-05T10:14:07.1234567Z");
	free(s);
	s = casetime_format("2024-03-05T10:14:07.1234567Z", "Europe/Berlin",
	    CASETIME_HUMAN);
	CHECK_STR("in a zone, with its offset", s,
	    "2024-03-05 11:14:07.1234567+01:00");
	free(s);
	s = casetime_format("2024-03-05T10:14:07.12Z", NULL, CASETIME_MICRO);
	CHECK_STR("microseconds for Timesketch", s,
	    "2024-03-05T10:14:07.120000+00:00");
	free(s);
	s = casetime_format("2024-07-05T10:14:07.1Z", "America/New_York",
	    CASETIME_CTIME);
	CHECK_STR("ctime in a zone", s, "07/05/2024 06:14:07");
	free(s);
	s = casetime_format("2024-03-05T10:14:07+junk", NULL, CASETIME_ISO);
	CHECK_STR("other text as it is", s, "2024-03-05T10:14:07+junk");
	free(s);
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	memset(&tm, 0, sizeof tm);
	tm.tm_year = 124;
	tm.tm_mon = 6;
	tm.tm_mday = 5;
	tm.tm_hour = 6;
	CHECK("wall clock in a zone", casetime_mktime(&tm,
	    "America/New_York") == 1720173600);
	CHECK_STR("TZ put back", getenv("TZ"), "Asia/Tokyo");
	CHECK("zone set", casetime_zone_set("Europe/Berlin", &old, &s) == 0);
	casetime_tm(1709633647, "Europe/Berlin", &tm);
	CHECK("broken down in the zone set", tm.tm_hour == 11);
	casetime_zone_restore("Europe/Berlin", old);
	CHECK_STR("TZ restored", getenv("TZ"), "Asia/Tokyo");
	CHECK("unknown zone", casetime_zone_check("Nowhere/Atlantis", &s) ==
	    -1 && strstr(s, "unknown time zone") != NULL);
	free(s);
	unsetenv("TZ");
	tzset();
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
	CHECK("CSV row reads back whole", n == 6);
	if (n == 6) {
		CHECK_STR("formula guard undone", cells[0], row[0]);
		CHECK_STR("quotes, comma, newline", cells[1], row[1]);
		CHECK_STR("leading quote kept", cells[2], row[2]);
		CHECK_STR("leading dash", cells[4], row[4]);
		CHECK_STR("empty cell", cells[5], "");
	}
	csv_free_row(cells, n);
	rewind(f);
	{
		char	line[256];

		CHECK("a formula is written with a leading quote", fgets(line,
		    sizeof line, f) != NULL && strncmp(line, "\"'=cmd", 6) ==
		    0);
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
	CHECK_STR("the newest message is there to show", last, "second");
	CHECK("two messages held, info not at level 0", n == 2);
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
	CHECK_STR("log_close prints the held messages once curses is down", out,
	    "evtriage: cannot read 'a.evtx'\nevtriage: second\n");
	CHECK("and forgets them", log_last(NULL) == NULL);
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
	test_casetime();
	test_log();
	return (check_finish());
}
