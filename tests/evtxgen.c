/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: write real, valid Windows XML Event Log (EVTX) files from a
 * plain-text scenario, large synthetic logs for benchmarks, and damaged
 * logs for robustness tests.  Test helper for evtriage; libc only.
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

#define EVTXGEN_FILE_HDR	4096
#define EVTXGEN_CHUNK		65536
#define EVTXGEN_CHUNK_HDR	512
#define EVTXGEN_MAXF		64
#define EVTXGEN_MAXTPL		512
#define EVTXGEN_MAXKV		96
#define EVTXGEN_EPOCH		116444736000000000ULL	/* 1970 in FILETIME */

/* Binary XML value types. */
#define T_NULL	0x00
#define T_STR	0x01
#define T_U8	0x04
#define T_U16	0x06
#define T_U32	0x08
#define T_U64	0x0a
#define T_GUID	0x0f
#define T_FT	0x11
#define T_SID	0x13
#define T_HEX32	0x14
#define T_HEX64	0x15

/* Default generators. */
enum {
	G_LIT,		/* literal from the table */
	G_UTCTIME,	/* event time, Sysmon format */
	G_GUID,		/* generated GUID */
	G_PID,		/* generated decimal process id */
	G_HEXPID,	/* generated hex process id */
	G_LOGONID,	/* generated hex logon id */
	G_CMDLINE,	/* copy of the field named in dflt, quoted if blank */
	G_BASENAME,	/* basename of the field named in dflt */
	G_HASHES,	/* generated SHA256= */
	G_PORT		/* generated ephemeral port */
};

#define F_NEWONLY	0x01	/* sysmon1: not in schema=old */

struct evtxgen_fdef {
	const char	*name;
	int		 type;
	int		 gen;
	const char	*dflt;
	int		 minver;
	int		 flags;
};

struct evtxgen_kind {
	const char			*kw;
	const char			*provider;
	const char			*guid;
	const char			*channel;
	uint16_t			 eventid;
	uint8_t				 version;
	uint8_t				 level;
	uint16_t			 task;
	uint8_t				 opcode;
	uint64_t			 keywords;
	uint32_t			 pid;
	const struct evtxgen_fdef	*fields;
};

#define SYSMON_PROV	"Microsoft-Windows-Sysmon"
#define SYSMON_GUID	"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
#define SYSMON_CHAN	"Microsoft-Windows-Sysmon/Operational"
#define SEC_PROV	"Microsoft-Windows-Security-Auditing"
#define SEC_GUID	"{54849625-5478-4994-A5BA-3E3B0328C30D}"

static const struct evtxgen_fdef evtxgen_f_sysmon1[] = {
	{ "RuleName", T_STR, G_LIT, "-", 0, 0 },
	{ "UtcTime", T_STR, G_UTCTIME, NULL, 0, 0 },
	{ "ProcessGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "ProcessId", T_U32, G_PID, NULL, 0, 0 },
	{ "Image", T_STR, G_LIT, "C:\\Windows\\System32\\cmd.exe", 0, 0 },
	{ "FileVersion", T_STR, G_LIT,
	    "10.0.19041.746 (WinBuild.160101.0800)", 0, F_NEWONLY },
	{ "Description", T_STR, G_LIT, "Windows Command Processor", 0,
	    F_NEWONLY },
	{ "Product", T_STR, G_LIT,
	    "Microsoft\xc2\xae Windows\xc2\xae Operating System", 0,
	    F_NEWONLY },
	{ "Company", T_STR, G_LIT, "Microsoft Corporation", 0, F_NEWONLY },
	{ "OriginalFileName", T_STR, G_BASENAME, "Image", 0, F_NEWONLY },
	{ "CommandLine", T_STR, G_CMDLINE, "Image", 0, 0 },
	{ "CurrentDirectory", T_STR, G_LIT, "C:\\Windows\\system32\\", 0, 0 },
	{ "User", T_STR, G_LIT, "CORP\\jdoe", 0, 0 },
	{ "LogonGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "LogonId", T_HEX64, G_LOGONID, NULL, 0, 0 },
	{ "TerminalSessionId", T_U32, G_LIT, "1", 0, 0 },
	{ "IntegrityLevel", T_STR, G_LIT, "Medium", 0, 0 },
	{ "Hashes", T_STR, G_HASHES, NULL, 0, 0 },
	{ "ParentProcessGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "ParentProcessId", T_U32, G_PID, NULL, 0, 0 },
	{ "ParentImage", T_STR, G_LIT, "C:\\Windows\\explorer.exe", 0, 0 },
	{ "ParentCommandLine", T_STR, G_CMDLINE, "ParentImage", 0, 0 },
	{ "ParentUser", T_STR, G_LIT, "CORP\\jdoe", 0, F_NEWONLY },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_sysmon3[] = {
	{ "RuleName", T_STR, G_LIT, "-", 0, 0 },
	{ "UtcTime", T_STR, G_UTCTIME, NULL, 0, 0 },
	{ "ProcessGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "ProcessId", T_U32, G_PID, NULL, 0, 0 },
	{ "Image", T_STR, G_LIT,
	    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", 0, 0 },
	{ "User", T_STR, G_LIT, "CORP\\jdoe", 0, 0 },
	{ "Protocol", T_STR, G_LIT, "tcp", 0, 0 },
	{ "Initiated", T_STR, G_LIT, "true", 0, 0 },
	{ "SourceIsIpv6", T_STR, G_LIT, "false", 0, 0 },
	{ "SourceIp", T_STR, G_LIT, "10.20.30.41", 0, 0 },
	{ "SourceHostname", T_STR, G_LIT, "-", 0, 0 },
	{ "SourcePort", T_U16, G_PORT, NULL, 0, 0 },
	{ "SourcePortName", T_STR, G_LIT, "-", 0, 0 },
	{ "DestinationIsIpv6", T_STR, G_LIT, "false", 0, 0 },
	{ "DestinationIp", T_STR, G_LIT, "93.184.216.34", 0, 0 },
	{ "DestinationHostname", T_STR, G_LIT, "-", 0, 0 },
	{ "DestinationPort", T_U16, G_LIT, "443", 0, 0 },
	{ "DestinationPortName", T_STR, G_LIT, "https", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_sysmon5[] = {
	{ "RuleName", T_STR, G_LIT, "-", 0, 0 },
	{ "UtcTime", T_STR, G_UTCTIME, NULL, 0, 0 },
	{ "ProcessGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "ProcessId", T_U32, G_PID, NULL, 0, 0 },
	{ "Image", T_STR, G_LIT, "C:\\Windows\\System32\\cmd.exe", 0, 0 },
	{ "User", T_STR, G_LIT, "CORP\\jdoe", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_sysmon11[] = {
	{ "RuleName", T_STR, G_LIT, "-", 0, 0 },
	{ "UtcTime", T_STR, G_UTCTIME, NULL, 0, 0 },
	{ "ProcessGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "ProcessId", T_U32, G_PID, NULL, 0, 0 },
	{ "Image", T_STR, G_LIT, "C:\\Windows\\System32\\svchost.exe", 0, 0 },
	{ "TargetFilename", T_STR, G_LIT,
	    "C:\\Windows\\Temp\\~DF3A1C.tmp", 0, 0 },
	{ "CreationUtcTime", T_STR, G_UTCTIME, NULL, 0, 0 },
	{ "User", T_STR, G_LIT, "NT AUTHORITY\\SYSTEM", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_4688[] = {
	{ "SubjectUserSid", T_SID, G_LIT, "S-1-5-18", 0, 0 },
	{ "SubjectUserName", T_STR, G_LIT, "WS01$", 0, 0 },
	{ "SubjectDomainName", T_STR, G_LIT, "CORP", 0, 0 },
	{ "SubjectLogonId", T_HEX64, G_LIT, "0x3e7", 0, 0 },
	{ "NewProcessId", T_HEX64, G_HEXPID, NULL, 0, 0 },
	{ "NewProcessName", T_STR, G_LIT, "C:\\Windows\\System32\\cmd.exe", 0,
	    0 },
	{ "TokenElevationType", T_STR, G_LIT, "%%1936", 0, 0 },
	{ "ProcessId", T_HEX64, G_HEXPID, NULL, 0, 0 },
	{ "CommandLine", T_STR, G_CMDLINE, "NewProcessName", 1, 0 },
	{ "TargetUserSid", T_SID, G_LIT, "S-1-0-0", 2, 0 },
	{ "TargetUserName", T_STR, G_LIT, "-", 2, 0 },
	{ "TargetDomainName", T_STR, G_LIT, "-", 2, 0 },
	{ "TargetLogonId", T_HEX64, G_LIT, "0x0", 2, 0 },
	{ "ParentProcessName", T_STR, G_LIT, "C:\\Windows\\explorer.exe", 2,
	    0 },
	{ "MandatoryLabel", T_SID, G_LIT, "S-1-16-16384", 2, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_4689[] = {
	{ "SubjectUserSid", T_SID, G_LIT, "S-1-5-18", 0, 0 },
	{ "SubjectUserName", T_STR, G_LIT, "WS01$", 0, 0 },
	{ "SubjectDomainName", T_STR, G_LIT, "CORP", 0, 0 },
	{ "SubjectLogonId", T_HEX64, G_LIT, "0x3e7", 0, 0 },
	{ "Status", T_HEX32, G_LIT, "0x0", 0, 0 },
	{ "ProcessId", T_HEX64, G_HEXPID, NULL, 0, 0 },
	{ "ProcessName", T_STR, G_LIT, "C:\\Windows\\System32\\cmd.exe", 0,
	    0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_4624[] = {
	{ "SubjectUserSid", T_SID, G_LIT, "S-1-5-18", 0, 0 },
	{ "SubjectUserName", T_STR, G_LIT, "WS01$", 0, 0 },
	{ "SubjectDomainName", T_STR, G_LIT, "CORP", 0, 0 },
	{ "SubjectLogonId", T_HEX64, G_LIT, "0x3e7", 0, 0 },
	{ "TargetUserSid", T_SID, G_LIT,
	    "S-1-5-21-3623811015-3361044348-30300820-1013", 0, 0 },
	{ "TargetUserName", T_STR, G_LIT, "jdoe", 0, 0 },
	{ "TargetDomainName", T_STR, G_LIT, "CORP", 0, 0 },
	{ "TargetLogonId", T_HEX64, G_LOGONID, NULL, 0, 0 },
	{ "LogonType", T_U32, G_LIT, "2", 0, 0 },
	{ "LogonProcessName", T_STR, G_LIT, "User32 ", 0, 0 },
	{ "AuthenticationPackageName", T_STR, G_LIT, "Negotiate", 0, 0 },
	{ "WorkstationName", T_STR, G_LIT, "WS01", 0, 0 },
	{ "LogonGuid", T_GUID, G_GUID, NULL, 0, 0 },
	{ "TransmittedServices", T_STR, G_LIT, "-", 0, 0 },
	{ "LmPackageName", T_STR, G_LIT, "-", 0, 0 },
	{ "KeyLength", T_U32, G_LIT, "0", 0, 0 },
	{ "ProcessId", T_HEX64, G_HEXPID, NULL, 0, 0 },
	{ "ProcessName", T_STR, G_LIT, "C:\\Windows\\System32\\svchost.exe", 0,
	    0 },
	{ "IpAddress", T_STR, G_LIT, "127.0.0.1", 0, 0 },
	{ "IpPort", T_STR, G_LIT, "0", 0, 0 },
	{ "ImpersonationLevel", T_STR, G_LIT, "%%1833", 0, 0 },
	{ "RestrictedAdminMode", T_STR, G_LIT, "-", 0, 0 },
	{ "TargetOutboundUserName", T_STR, G_LIT, "-", 0, 0 },
	{ "TargetOutboundDomainName", T_STR, G_LIT, "-", 0, 0 },
	{ "VirtualAccount", T_STR, G_LIT, "%%1843", 0, 0 },
	{ "TargetLinkedLogonId", T_HEX64, G_LIT, "0x0", 0, 0 },
	{ "ElevatedToken", T_STR, G_LIT, "%%1842", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

static const struct evtxgen_fdef evtxgen_f_4634[] = {
	{ "TargetUserSid", T_SID, G_LIT,
	    "S-1-5-21-3623811015-3361044348-30300820-1013", 0, 0 },
	{ "TargetUserName", T_STR, G_LIT, "jdoe", 0, 0 },
	{ "TargetDomainName", T_STR, G_LIT, "CORP", 0, 0 },
	{ "TargetLogonId", T_HEX64, G_LOGONID, NULL, 0, 0 },
	{ "LogonType", T_U32, G_LIT, "2", 0, 0 },
	{ NULL, 0, 0, NULL, 0, 0 }
};

#define KW_SYSMON	0x8000000000000000ULL
#define KW_AUDIT_OK	0x8020000000000000ULL

static const struct evtxgen_kind evtxgen_kinds[] = {
	{ "sysmon1", SYSMON_PROV, SYSMON_GUID, SYSMON_CHAN, 1, 5, 4, 1, 0,
	    KW_SYSMON, 3012, evtxgen_f_sysmon1 },
	{ "sysmon3", SYSMON_PROV, SYSMON_GUID, SYSMON_CHAN, 3, 5, 4, 3, 0,
	    KW_SYSMON, 3012, evtxgen_f_sysmon3 },
	{ "sysmon5", SYSMON_PROV, SYSMON_GUID, SYSMON_CHAN, 5, 3, 4, 5, 0,
	    KW_SYSMON, 3012, evtxgen_f_sysmon5 },
	{ "sysmon11", SYSMON_PROV, SYSMON_GUID, SYSMON_CHAN, 11, 2, 4, 11, 0,
	    KW_SYSMON, 3012, evtxgen_f_sysmon11 },
	{ "4688", SEC_PROV, SEC_GUID, "Security", 4688, 2, 0, 13312, 0,
	    KW_AUDIT_OK, 684, evtxgen_f_4688 },
	{ "4689", SEC_PROV, SEC_GUID, "Security", 4689, 0, 0, 13313, 0,
	    KW_AUDIT_OK, 684, evtxgen_f_4689 },
	{ "4624", SEC_PROV, SEC_GUID, "Security", 4624, 2, 0, 12544, 0,
	    KW_AUDIT_OK, 684, evtxgen_f_4624 },
	{ "4634", SEC_PROV, SEC_GUID, "Security", 4634, 0, 0, 12545, 0,
	    KW_AUDIT_OK, 684, evtxgen_f_4634 },
	{ NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, NULL }
};

/* Element and attribute names, shared through the chunk string table. */
enum {
	N_EVENT, N_XMLNS, N_SYSTEM, N_PROVIDER, N_NAME, N_GUID, N_EVENTID,
	N_VERSION, N_LEVEL, N_TASK, N_OPCODE, N_KEYWORDS, N_TIMECREATED,
	N_SYSTEMTIME, N_EVENTRECORDID, N_CORRELATION, N_EXECUTION,
	N_PROCESSID, N_THREADID, N_CHANNEL, N_COMPUTER, N_SECURITY, N_USERID,
	N_EVENTDATA, N_DATA, N_COUNT
};

static const char *evtxgen_namestr[N_COUNT] = {
	"Event", "xmlns", "System", "Provider", "Name", "Guid", "EventID",
	"Version", "Level", "Task", "Opcode", "Keywords", "TimeCreated",
	"SystemTime", "EventRecordID", "Correlation", "Execution",
	"ProcessID", "ThreadID", "Channel", "Computer", "Security", "UserID",
	"EventData", "Data"
};

static uint16_t	evtxgen_namehash[N_COUNT];

struct evtxgen_field {
	const char	*name;		/* table name or arena */
	size_t		 noff;		/* arena offset when extra */
	int		 extra;
	int		 type;
	size_t		 voff;		/* value, arena offset */
};

struct evtxgen_event {
	const struct evtxgen_kind *kind;
	int		 version;
	int		 oldschema;
	uint8_t		 level;
	uint8_t		 opcode;
	uint16_t	 task;
	uint64_t	 keywords;
	uint64_t	 record;
	uint64_t	 ft;
	uint32_t	 pid;
	uint32_t	 tid;
	size_t		 computer;	/* arena offsets */
	size_t		 userid;
	int		 nfield;
	struct evtxgen_field field[EVTXGEN_MAXF];
};

/* Text arena for one event. */
static char	*evtxgen_arena;
static size_t	 evtxgen_alen, evtxgen_acap;

struct evtxgen_chunk {
	uint8_t		 buf[EVTXGEN_CHUNK];
	uint32_t	 off;
	uint32_t	 lastrec;
	uint64_t	 first, last;
	uint32_t	 nrec;
	uint32_t	 nameoff[N_COUNT];
	uint32_t	 strhead[64];
	uint32_t	 tplhead[32];
	int		 ntpl;
	uint64_t	 tplkey[EVTXGEN_MAXTPL];
	uint32_t	 tploff[EVTXGEN_MAXTPL];
	uint32_t	 tplid[EVTXGEN_MAXTPL];
};

struct evtxgen_out {
	FILE		*fp;
	const char	*path;
	uint64_t	 nchunks;
	uint64_t	 nrecords;
	uint64_t	 nextid;
	int		 dirty;
	struct evtxgen_chunk ch;
};

struct evtxgen_buf {
	uint8_t		*b;
	size_t		 pos;
	size_t		 cap;
	int		 ovf;
};

/* Scenario state. */
struct evtxgen_state {
	const char	*file;
	unsigned long	 line;
	uint64_t	 nextrec;
	uint64_t	 ft;
	int		 havetime;
};

static uint32_t	evtxgen_crctab[8][256];

static void	evtxgen_die(const char *, ...)
		    __attribute__((__format__(__printf__, 1, 2), __noreturn__));

static void
evtxgen_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("evtxgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void
evtxgen_crc_init(void)
{
	uint32_t	c;
	int		i, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		evtxgen_crctab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			evtxgen_crctab[k][i] = (evtxgen_crctab[k - 1][i] >> 8) ^
			    evtxgen_crctab[0][evtxgen_crctab[k - 1][i] & 0xff];
}

/* CRC-32 (IEEE, as zlib), slicing by 8. */
static uint32_t
evtxgen_crc32(uint32_t crc, const uint8_t *p, size_t len)
{
	uint32_t	a, b;

	crc = ~crc;
	while (len >= 8) {
		a = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		b = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		crc = evtxgen_crctab[7][a & 0xff] ^
		    evtxgen_crctab[6][(a >> 8) & 0xff] ^
		    evtxgen_crctab[5][(a >> 16) & 0xff] ^
		    evtxgen_crctab[4][a >> 24] ^
		    evtxgen_crctab[3][b & 0xff] ^
		    evtxgen_crctab[2][(b >> 8) & 0xff] ^
		    evtxgen_crctab[1][(b >> 16) & 0xff] ^
		    evtxgen_crctab[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = evtxgen_crctab[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void
evtxgen_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void
evtxgen_le32(uint8_t *p, uint32_t v)
{
	evtxgen_le16(p, v & 0xffff);
	evtxgen_le16(p + 2, v >> 16);
}

static void
evtxgen_le64(uint8_t *p, uint64_t v)
{
	evtxgen_le32(p, v & 0xffffffffU);
	evtxgen_le32(p + 4, v >> 32);
}

static uint32_t
evtxgen_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
evtxgen_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
evtxgen_rand(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15ULL;
	return evtxgen_mix(*s);
}

static uint64_t
evtxgen_fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t	*b = p;

	while (n-- > 0) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* ---- output buffer ---------------------------------------------------- */

static void
evtxgen_put(struct evtxgen_buf *w, const void *p, size_t n)
{
	if (w->ovf || n > w->cap - w->pos) {
		w->ovf = 1;
		return;
	}
	memcpy(w->b + w->pos, p, n);
	w->pos += n;
}

static void
evtxgen_put8(struct evtxgen_buf *w, uint8_t v)
{
	evtxgen_put(w, &v, 1);
}

static void
evtxgen_put16(struct evtxgen_buf *w, uint16_t v)
{
	uint8_t	b[2];

	evtxgen_le16(b, v);
	evtxgen_put(w, b, 2);
}

static void
evtxgen_put32(struct evtxgen_buf *w, uint32_t v)
{
	uint8_t	b[4];

	evtxgen_le32(b, v);
	evtxgen_put(w, b, 4);
}

static void
evtxgen_put64(struct evtxgen_buf *w, uint64_t v)
{
	uint8_t	b[8];

	evtxgen_le64(b, v);
	evtxgen_put(w, b, 8);
}

static void
evtxgen_patch32(struct evtxgen_buf *w, size_t at, uint32_t v)
{
	if (!w->ovf && at + 4 <= w->pos)
		evtxgen_le32(w->b + at, v);
}

/* ---- text ------------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence; return its length or 0 if invalid.
 */
static int
evtxgen_utf8(const unsigned char *s, uint32_t *cp)
{
	uint32_t	c;
	int		n, i;

	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Append the UTF-16LE form of s to w; return the number of code units
 * or -1 if s is not valid UTF-8.
 */
static long
evtxgen_put_utf16(struct evtxgen_buf *w, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	long			 n = 0;
	int			 l;

	while (*p != '\0') {
		if (*p < 0x80) {
			evtxgen_put16(w, *p++);
			n++;
			continue;
		}
		if ((l = evtxgen_utf8(p, &cp)) == 0)
			return -1;
		p += l;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			evtxgen_put16(w, 0xd800 | (cp >> 10));
			evtxgen_put16(w, 0xdc00 | (cp & 0x3ff));
			n += 2;
		} else {
			evtxgen_put16(w, cp);
			n++;
		}
	}
	return n;
}

static int
evtxgen_valid_utf8(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	int			 l;

	while (*p != '\0') {
		if ((l = evtxgen_utf8(p, &cp)) == 0)
			return 0;
		p += l;
	}
	return 1;
}

/*
 * The name hash Windows stores with each string table entry: h = h *
 * 65599 + c over the UTF-16 code units, truncated to 16 bits.
 */
static uint16_t
evtxgen_name_hash(const char *s)
{
	uint32_t	h = 0;

	while (*s != '\0')
		h = h * 65599 + (unsigned char)*s++;
	return h & 0xffff;
}

static size_t
evtxgen_astr(const char *s, size_t n)
{
	size_t	off;

	if (evtxgen_alen + n + 1 > evtxgen_acap) {
		while (evtxgen_alen + n + 1 > evtxgen_acap)
			evtxgen_acap = evtxgen_acap ? evtxgen_acap * 2 : 65536;
		if ((evtxgen_arena = realloc(evtxgen_arena,
		    evtxgen_acap)) == NULL)
			evtxgen_die("out of memory");
	}
	off = evtxgen_alen;
	memcpy(evtxgen_arena + off, s, n);
	evtxgen_arena[off + n] = '\0';
	evtxgen_alen += n + 1;
	return off;
}

#define A(off)	(evtxgen_arena + (off))

/* ---- time ------------------------------------------------------------- */

static int64_t
evtxgen_days(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
evtxgen_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Parse 2024-03-05T10:00:00[.fffffff][Z] into FILETIME. */
static int
evtxgen_parse_time(const char *s, uint64_t *ft)
{
	int		y, mo, d, h, mi, se, n, i;
	uint64_t	frac = 0;
	int64_t		secs;

	n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se,
	    &n) != 6 || n != 19)
		return -1;
	if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 59 || h < 0 || mi < 0 || se < 0)
		return -1;
	s += n;
	if (*s == '.') {
		s++;
		for (i = 0; i < 7 && *s >= '0' && *s <= '9'; i++)
			frac = frac * 10 + (uint64_t)(*s++ - '0');
		if (i == 0)
			return -1;
		for (; i < 7; i++)
			frac *= 10;
	}
	if (*s == 'Z')
		s++;
	if (*s != '\0')
		return -1;
	secs = evtxgen_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	*ft = (uint64_t)(secs * 10000000 + (int64_t)EVTXGEN_EPOCH) + frac;
	return 0;
}

/* fmt 0: 2024-03-05T10:00:00.1234567Z, 1: 2024-03-05 10:00:00.123 */
static void
evtxgen_fmt_time(uint64_t ft, int fmt, char *buf, size_t len)
{
	int64_t		t, days, rem;
	uint64_t	frac;
	int		y, m, d;

	t = (int64_t)(ft / 10000000) - (int64_t)(EVTXGEN_EPOCH / 10000000);
	frac = ft % 10000000;
	days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	rem = t - days * 86400;
	evtxgen_civil(days, &y, &m, &d);
	if (fmt == 0)
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%07uZ", y, m,
		    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		    (unsigned)frac);
	else
		snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d.%03u", y, m,
		    d, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
		    (unsigned)(frac / 10000));
}

/* ---- typed values ----------------------------------------------------- */

static int
evtxgen_parse_dec(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t	x = 0;

	if (*s == '\0' || (*s == '0' && s[1] != '\0'))
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (x > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*v = x;
	return 0;
}

static int
evtxgen_parse_hex(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t	x = 0;
	int		c, d;

	if (s[0] != '0' || s[1] != 'x' || s[2] == '\0')
		return -1;
	s += 2;
	if (*s == '0' && s[1] != '\0')
		return -1;
	for (; *s != '\0'; s++) {
		c = *s;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		if (x > (max >> 4))
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

static int
evtxgen_hexdig(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, upper case, to 16 bytes. */
static int
evtxgen_parse_guid(const char *s, uint8_t g[16])
{
	static const int	 order[16] = {
		3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
	};
	uint8_t			 raw[16];
	int			 i, j, hi, lo;

	if (strlen(s) != 38 || s[0] != '{' || s[37] != '}' || s[9] != '-' ||
	    s[14] != '-' || s[19] != '-' || s[24] != '-')
		return -1;
	for (i = 1, j = 0; i < 37; ) {
		if (s[i] == '-') {
			i++;
			continue;
		}
		if ((hi = evtxgen_hexdig(s[i])) < 0 ||
		    (lo = evtxgen_hexdig(s[i + 1])) < 0)
			return -1;
		raw[j++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	if (j != 16)
		return -1;
	for (i = 0; i < 16; i++)
		g[order[i]] = raw[i];
	return 0;
}

/* S-1-5-21-...: revision, authority (< 2^32) and up to 15 sub-authorities. */
static int
evtxgen_parse_sid(const char *s, uint8_t *out, size_t *len)
{
	char		 tmp[256], *p, *q;
	uint64_t	 v, auth;
	int		 n = 0;

	if (strncmp(s, "S-", 2) != 0 || strlen(s) >= sizeof(tmp))
		return -1;
	strcpy(tmp, s + 2);
	p = tmp;
	if ((q = strchr(p, '-')) == NULL)
		return -1;
	*q = '\0';
	if (evtxgen_parse_dec(p, 255, &v) == -1)
		return -1;
	out[0] = (uint8_t)v;
	p = q + 1;
	q = strchr(p, '-');
	if (q != NULL)
		*q = '\0';
	if (evtxgen_parse_dec(p, 0xffffffffULL, &auth) == -1)
		return -1;
	out[2] = out[3] = 0;
	out[4] = (auth >> 24) & 0xff;
	out[5] = (auth >> 16) & 0xff;
	out[6] = (auth >> 8) & 0xff;
	out[7] = auth & 0xff;
	while (q != NULL) {
		p = q + 1;
		if ((q = strchr(p, '-')) != NULL)
			*q = '\0';
		if (n == 15 || evtxgen_parse_dec(p, 0xffffffffULL, &v) == -1)
			return -1;
		evtxgen_le32(out + 8 + 4 * n, (uint32_t)v);
		n++;
	}
	out[1] = (uint8_t)n;
	*len = 8 + 4 * (size_t)n;
	return 0;
}

/* Does s have the canonical text form of type t? */
static int
evtxgen_type_ok(int t, const char *s)
{
	uint64_t	v;
	uint8_t		b[80];
	size_t		l;

	switch (t) {
	case T_U8:
		return evtxgen_parse_dec(s, 0xff, &v) == 0;
	case T_U16:
		return evtxgen_parse_dec(s, 0xffff, &v) == 0;
	case T_U32:
		return evtxgen_parse_dec(s, 0xffffffffULL, &v) == 0;
	case T_U64:
		return evtxgen_parse_dec(s, UINT64_MAX, &v) == 0;
	case T_HEX32:
		return evtxgen_parse_hex(s, 0xffffffffULL, &v) == 0;
	case T_HEX64:
		return evtxgen_parse_hex(s, UINT64_MAX, &v) == 0;
	case T_GUID:
		return evtxgen_parse_guid(s, b) == 0;
	case T_SID:
		return evtxgen_parse_sid(s, b, &l) == 0;
	default:
		return 1;
	}
}

/* Encode a value of type t (already validated) into w. */
static int
evtxgen_put_value(struct evtxgen_buf *w, int t, const char *s)
{
	uint64_t	v = 0;
	uint8_t		b[80];
	size_t		l;

	switch (t) {
	case T_U8:
		evtxgen_parse_dec(s, 0xff, &v);
		evtxgen_put8(w, (uint8_t)v);
		break;
	case T_U16:
		evtxgen_parse_dec(s, 0xffff, &v);
		evtxgen_put16(w, (uint16_t)v);
		break;
	case T_U32:
		evtxgen_parse_dec(s, 0xffffffffULL, &v);
		evtxgen_put32(w, (uint32_t)v);
		break;
	case T_U64:
		evtxgen_parse_dec(s, UINT64_MAX, &v);
		evtxgen_put64(w, v);
		break;
	case T_HEX32:
		evtxgen_parse_hex(s, 0xffffffffULL, &v);
		evtxgen_put32(w, (uint32_t)v);
		break;
	case T_HEX64:
		evtxgen_parse_hex(s, UINT64_MAX, &v);
		evtxgen_put64(w, v);
		break;
	case T_GUID:
		evtxgen_parse_guid(s, b);
		evtxgen_put(w, b, 16);
		break;
	case T_SID:
		evtxgen_parse_sid(s, b, &l);
		evtxgen_put(w, b, l);
		break;
	default:
		if (evtxgen_put_utf16(w, s) < 0)
			return -1;
		break;
	}
	return 0;
}

/* ---- binary XML ------------------------------------------------------- */

static void
evtxgen_put_name(struct evtxgen_chunk *ch, struct evtxgen_buf *w, int n,
    int *undo, int *nundo)
{
	uint32_t	here = (uint32_t)w->pos;
	int		b;

	if (ch->nameoff[n] != 0) {
		evtxgen_put32(w, ch->nameoff[n]);
		return;
	}
	/* First use in this chunk: define the name inline. */
	evtxgen_put32(w, here + 4);
	b = evtxgen_namehash[n] % 64;
	evtxgen_put32(w, ch->strhead[b]);
	evtxgen_put16(w, evtxgen_namehash[n]);
	evtxgen_put16(w, (uint16_t)strlen(evtxgen_namestr[n]));
	evtxgen_put_utf16(w, evtxgen_namestr[n]);
	evtxgen_put16(w, 0);
	if (w->ovf)
		return;
	ch->strhead[b] = here + 4;
	ch->nameoff[n] = here + 4;
	undo[(*nundo)++] = n;
}

struct evtxgen_tctx {
	struct evtxgen_chunk	*ch;
	struct evtxgen_buf	*w;
	int			 undo[N_COUNT];
	int			 nundo;
};

/* Open element; returns the position of its size field. */
static size_t
evtxgen_open(struct evtxgen_tctx *t, int name, int attrs, size_t *apos)
{
	size_t	sz;

	evtxgen_put8(t->w, attrs ? 0x41 : 0x01);
	evtxgen_put16(t->w, 0xffff);
	sz = t->w->pos;
	evtxgen_put32(t->w, 0);
	evtxgen_put_name(t->ch, t->w, name, t->undo, &t->nundo);
	if (attrs) {
		*apos = t->w->pos;
		evtxgen_put32(t->w, 0);
	}
	return sz;
}

static void
evtxgen_attr(struct evtxgen_tctx *t, int name, int more)
{
	evtxgen_put8(t->w, more ? 0x46 : 0x06);
	evtxgen_put_name(t->ch, t->w, name, t->undo, &t->nundo);
}

static void
evtxgen_text(struct evtxgen_tctx *t, const char *s)
{
	size_t	at;
	long	n;

	evtxgen_put8(t->w, 0x05);
	evtxgen_put8(t->w, T_STR);
	at = t->w->pos;
	evtxgen_put16(t->w, 0);
	n = evtxgen_put_utf16(t->w, s);
	if (!t->w->ovf)
		evtxgen_le16(t->w->b + at, (uint16_t)n);
}

static void
evtxgen_subst(struct evtxgen_tctx *t, int optional, uint16_t idx, int type)
{
	evtxgen_put8(t->w, optional ? 0x0e : 0x0d);
	evtxgen_put16(t->w, idx);
	evtxgen_put8(t->w, (uint8_t)type);
}

static void
evtxgen_endattrs(struct evtxgen_tctx *t, size_t apos)
{
	evtxgen_patch32(t->w, apos, (uint32_t)(t->w->pos - apos - 4));
}

static void
evtxgen_close(struct evtxgen_tctx *t, size_t sz, int empty)
{
	evtxgen_put8(t->w, empty ? 0x03 : 0x04);
	evtxgen_patch32(t->w, sz, (uint32_t)(t->w->pos - sz - 4));
}

/* <Name>[subst]</Name> */
static void
evtxgen_simple(struct evtxgen_tctx *t, int name, uint16_t idx, int type)
{
	size_t	sz;

	sz = evtxgen_open(t, name, 0, NULL);
	evtxgen_put8(t->w, 0x02);
	evtxgen_subst(t, 1, idx, type);
	evtxgen_close(t, sz, 0);
}

/* Substitution indexes of the System part. */
enum {
	S_LEVEL, S_OPCODE, S_TASK, S_EVENTID, S_VERSION, S_KEYWORDS, S_TIME,
	S_RECORDID, S_PID, S_TID, S_COMPUTER, S_USERID, S_NSYS
};

static const char *
evtxgen_fname(const struct evtxgen_field *f)
{
	return f->extra ? A(f->noff) : f->name;
}

static void
evtxgen_template_body(struct evtxgen_tctx *t, const struct evtxgen_event *ev)
{
	const struct evtxgen_kind	*k = ev->kind;
	size_t				 ev_sz, sys_sz, sz, ap, ed_sz;
	int				 i;

	/* Fragment header. */
	evtxgen_put8(t->w, 0x0f);
	evtxgen_put8(t->w, 1);
	evtxgen_put8(t->w, 1);
	evtxgen_put8(t->w, 0);

	ev_sz = evtxgen_open(t, N_EVENT, 1, &ap);
	evtxgen_attr(t, N_XMLNS, 0);
	evtxgen_text(t, "http://schemas.microsoft.com/win/2004/08/events/event");
	evtxgen_endattrs(t, ap);
	evtxgen_put8(t->w, 0x02);

	sys_sz = evtxgen_open(t, N_SYSTEM, 0, NULL);
	evtxgen_put8(t->w, 0x02);

	sz = evtxgen_open(t, N_PROVIDER, 1, &ap);
	evtxgen_attr(t, N_NAME, 1);
	evtxgen_text(t, k->provider);
	evtxgen_attr(t, N_GUID, 0);
	evtxgen_text(t, k->guid);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	evtxgen_simple(t, N_EVENTID, S_EVENTID, T_U16);
	evtxgen_simple(t, N_VERSION, S_VERSION, T_U8);
	evtxgen_simple(t, N_LEVEL, S_LEVEL, T_U8);
	evtxgen_simple(t, N_TASK, S_TASK, T_U16);
	evtxgen_simple(t, N_OPCODE, S_OPCODE, T_U8);
	evtxgen_simple(t, N_KEYWORDS, S_KEYWORDS, T_HEX64);

	sz = evtxgen_open(t, N_TIMECREATED, 1, &ap);
	evtxgen_attr(t, N_SYSTEMTIME, 0);
	evtxgen_subst(t, 1, S_TIME, T_FT);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	evtxgen_simple(t, N_EVENTRECORDID, S_RECORDID, T_U64);

	sz = evtxgen_open(t, N_CORRELATION, 0, NULL);
	evtxgen_close(t, sz, 1);

	sz = evtxgen_open(t, N_EXECUTION, 1, &ap);
	evtxgen_attr(t, N_PROCESSID, 1);
	evtxgen_subst(t, 1, S_PID, T_U32);
	evtxgen_attr(t, N_THREADID, 0);
	evtxgen_subst(t, 1, S_TID, T_U32);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	sz = evtxgen_open(t, N_CHANNEL, 0, NULL);
	evtxgen_put8(t->w, 0x02);
	evtxgen_text(t, k->channel);
	evtxgen_close(t, sz, 0);

	evtxgen_simple(t, N_COMPUTER, S_COMPUTER, T_STR);

	sz = evtxgen_open(t, N_SECURITY, 1, &ap);
	evtxgen_attr(t, N_USERID, 0);
	evtxgen_subst(t, 1, S_USERID, T_SID);
	evtxgen_endattrs(t, ap);
	evtxgen_close(t, sz, 1);

	evtxgen_close(t, sys_sz, 0);

	ed_sz = evtxgen_open(t, N_EVENTDATA, 0, NULL);
	if (ev->nfield == 0)
		evtxgen_close(t, ed_sz, 1);
	else {
		evtxgen_put8(t->w, 0x02);
		for (i = 0; i < ev->nfield; i++) {
			sz = evtxgen_open(t, N_DATA, 1, &ap);
			evtxgen_attr(t, N_NAME, 0);
			evtxgen_text(t, evtxgen_fname(&ev->field[i]));
			evtxgen_endattrs(t, ap);
			evtxgen_put8(t->w, 0x02);
			evtxgen_subst(t, 0, (uint16_t)(S_NSYS + i),
			    ev->field[i].type);
			evtxgen_close(t, sz, 0);
		}
		evtxgen_close(t, ed_sz, 0);
	}
	evtxgen_close(t, ev_sz, 0);
	evtxgen_put8(t->w, 0x00);	/* end of fragment */
}

static uint64_t
evtxgen_template_key(const struct evtxgen_event *ev)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	const char	*s;
	uint8_t		t;
	int		i;

	h = evtxgen_fnv(h, ev->kind->kw, strlen(ev->kind->kw) + 1);
	for (i = 0; i < ev->nfield; i++) {
		s = evtxgen_fname(&ev->field[i]);
		h = evtxgen_fnv(h, s, strlen(s) + 1);
		t = (uint8_t)ev->field[i].type;
		h = evtxgen_fnv(h, &t, 1);
	}
	return h;
}

/* ---- file and chunk output -------------------------------------------- */

static void
evtxgen_chunk_reset(struct evtxgen_chunk *ch)
{
	memset(ch->buf, 0, sizeof(ch->buf));
	ch->off = EVTXGEN_CHUNK_HDR;
	ch->lastrec = 0;
	ch->nrec = 0;
	memset(ch->nameoff, 0, sizeof(ch->nameoff));
	memset(ch->strhead, 0, sizeof(ch->strhead));
	memset(ch->tplhead, 0, sizeof(ch->tplhead));
	ch->ntpl = 0;
}

static void
evtxgen_chunk_seal(struct evtxgen_chunk *ch)
{
	uint8_t		*b = ch->buf;
	uint32_t	 crc;
	int		 i;

	memcpy(b, "ElfChnk", 8);
	evtxgen_le64(b + 8, ch->first);
	evtxgen_le64(b + 16, ch->last);
	evtxgen_le64(b + 24, ch->first);
	evtxgen_le64(b + 32, ch->last);
	evtxgen_le32(b + 40, 128);
	evtxgen_le32(b + 44, ch->lastrec);
	evtxgen_le32(b + 48, ch->off);
	evtxgen_le32(b + 52, evtxgen_crc32(0, b + EVTXGEN_CHUNK_HDR,
	    ch->off - EVTXGEN_CHUNK_HDR));
	evtxgen_le32(b + 120, 0);
	for (i = 0; i < 64; i++)
		evtxgen_le32(b + 128 + 4 * i, ch->strhead[i]);
	for (i = 0; i < 32; i++)
		evtxgen_le32(b + 384 + 4 * i, ch->tplhead[i]);
	crc = evtxgen_crc32(0, b, 120);
	crc = evtxgen_crc32(crc, b + 128, 384);
	evtxgen_le32(b + 124, crc);
}

static void
evtxgen_flush(struct evtxgen_out *o)
{
	if (o->ch.nrec == 0)
		return;
	evtxgen_chunk_seal(&o->ch);
	if (fwrite(o->ch.buf, EVTXGEN_CHUNK, 1, o->fp) != 1)
		evtxgen_die("%s: write: %s", o->path, strerror(errno));
	o->nchunks++;
	evtxgen_chunk_reset(&o->ch);
}

static void
evtxgen_file_header(uint8_t *h, uint64_t nchunks, uint64_t nextid, int flags)
{
	memset(h, 0, EVTXGEN_FILE_HDR);
	memcpy(h, "ElfFile", 8);
	evtxgen_le64(h + 8, 0);
	evtxgen_le64(h + 16, nchunks ? nchunks - 1 : 0);
	evtxgen_le64(h + 24, nextid);
	evtxgen_le32(h + 32, 128);
	evtxgen_le16(h + 36, 1);
	evtxgen_le16(h + 38, 3);
	evtxgen_le16(h + 40, EVTXGEN_FILE_HDR);
	evtxgen_le16(h + 42, nchunks > 0xffff ? 0xffff : (uint16_t)nchunks);
	evtxgen_le32(h + 120, (uint32_t)flags);
	evtxgen_le32(h + 124, evtxgen_crc32(0, h, 120));
}

static void
evtxgen_out_open(struct evtxgen_out *o, const char *path, int dirty)
{
	static uint8_t	zero[EVTXGEN_FILE_HDR];

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->dirty = dirty;
	o->nextid = 1;
	if ((o->fp = fopen(path, "w+b")) == NULL)
		evtxgen_die("%s: %s", path, strerror(errno));
	if (fwrite(zero, sizeof(zero), 1, o->fp) != 1)
		evtxgen_die("%s: write: %s", path, strerror(errno));
	evtxgen_chunk_reset(&o->ch);
}

static void
evtxgen_out_close(struct evtxgen_out *o)
{
	static uint8_t	h[EVTXGEN_FILE_HDR];

	evtxgen_flush(o);
	evtxgen_file_header(h, o->nchunks, o->nextid, o->dirty ? 1 : 0);
	if (fseek(o->fp, 0, SEEK_SET) == -1 ||
	    fwrite(h, sizeof(h), 1, o->fp) != 1 || fclose(o->fp) == EOF)
		evtxgen_die("%s: write: %s", o->path, strerror(errno));
}

/*
 * Serialise one record at the end of the current chunk.  Returns 0, or -1
 * if it did not fit (the chunk is left as it was).
 */
static int
evtxgen_try_record(struct evtxgen_out *o, const struct evtxgen_event *ev,
    uint64_t key)
{
	static uint8_t		 vbuf[EVTXGEN_CHUNK];
	struct evtxgen_chunk	*ch = &o->ch;
	struct evtxgen_buf	 w, vw;
	struct evtxgen_tctx	 t;
	uint32_t		 savestr[64], savetpl[32], tplid, vlen[S_NSYS +
				     EVTXGEN_MAXF];
	uint8_t			 vtype[S_NSYS + EVTXGEN_MAXF], g[16];
	const char		*sval[S_NSYS + EVTXGEN_MAXF];
	char			 num[32];
	size_t			 start, dsz, before, defpos;
	uint64_t		 gh;
	int			 i, ti, nval, b, newtpl = 0;

	w.b = ch->buf;
	w.pos = ch->off;
	/*
	 * Leave some room at the end of a chunk: libevtx 20181227 silently
	 * skips a last record that ends within a few bytes of the chunk's
	 * end (seen at 0 and 2 bytes; 68 was fine), which python-evtx
	 * reads.  evtriage counts such records from the chunk headers.
	 */
	w.cap = EVTXGEN_CHUNK - 64;
	w.ovf = 0;
	memcpy(savestr, ch->strhead, sizeof(savestr));
	memcpy(savetpl, ch->tplhead, sizeof(savetpl));
	t.ch = ch;
	t.w = &w;
	t.nundo = 0;

	start = w.pos;
	evtxgen_put32(&w, 0x00002a2a);
	evtxgen_put32(&w, 0);
	evtxgen_put64(&w, ev->record);
	evtxgen_put64(&w, ev->ft);
	evtxgen_put8(&w, 0x0f);
	evtxgen_put8(&w, 1);
	evtxgen_put8(&w, 1);
	evtxgen_put8(&w, 0);

	for (ti = 0; ti < ch->ntpl; ti++)
		if (ch->tplkey[ti] == key)
			break;
	evtxgen_put8(&w, 0x0c);
	evtxgen_put8(&w, 0x01);
	if (ti < ch->ntpl) {
		evtxgen_put32(&w, ch->tplid[ti]);
		evtxgen_put32(&w, ch->tploff[ti]);
	} else {
		if (ch->ntpl == EVTXGEN_MAXTPL)
			goto fail;
		/* Template GUID derived from its key; id = first dword. */
		gh = evtxgen_mix(key);
		evtxgen_le64(g, gh);
		evtxgen_le64(g + 8, evtxgen_mix(gh ^ key));
		tplid = evtxgen_rd32(g);
		evtxgen_put32(&w, tplid);
		defpos = w.pos + 4;
		evtxgen_put32(&w, (uint32_t)defpos);
		b = tplid % 32;
		evtxgen_put32(&w, ch->tplhead[b]);
		evtxgen_put(&w, g, 16);
		dsz = w.pos;
		evtxgen_put32(&w, 0);
		before = w.pos;
		evtxgen_template_body(&t, ev);
		evtxgen_patch32(&w, dsz, (uint32_t)(w.pos - before));
		if (w.ovf)
			goto fail;
		ch->tplhead[b] = (uint32_t)defpos;
		ch->tplkey[ch->ntpl] = key;
		ch->tploff[ch->ntpl] = (uint32_t)defpos;
		ch->tplid[ch->ntpl] = tplid;
		ch->ntpl++;
		newtpl = 1;
	}

	/* Substitution values: encode, then descriptors and data. */
	vw.b = vbuf;
	vw.pos = 0;
	vw.cap = sizeof(vbuf);
	vw.ovf = 0;
	nval = S_NSYS + ev->nfield;
	for (i = 0; i < nval; i++) {
		before = vw.pos;
		switch (i) {
		case S_LEVEL:
			evtxgen_put8(&vw, ev->level);
			vtype[i] = T_U8;
			break;
		case S_OPCODE:
			evtxgen_put8(&vw, ev->opcode);
			vtype[i] = T_U8;
			break;
		case S_TASK:
			evtxgen_put16(&vw, ev->task);
			vtype[i] = T_U16;
			break;
		case S_EVENTID:
			evtxgen_put16(&vw, ev->kind->eventid);
			vtype[i] = T_U16;
			break;
		case S_VERSION:
			evtxgen_put8(&vw, (uint8_t)ev->version);
			vtype[i] = T_U8;
			break;
		case S_KEYWORDS:
			evtxgen_put64(&vw, ev->keywords);
			vtype[i] = T_HEX64;
			break;
		case S_TIME:
			evtxgen_put64(&vw, ev->ft);
			vtype[i] = T_FT;
			break;
		case S_RECORDID:
			evtxgen_put64(&vw, ev->record);
			vtype[i] = T_U64;
			break;
		case S_PID:
			evtxgen_put32(&vw, ev->pid);
			vtype[i] = T_U32;
			break;
		case S_TID:
			evtxgen_put32(&vw, ev->tid);
			vtype[i] = T_U32;
			break;
		case S_COMPUTER:
			sval[i] = A(ev->computer);
			vtype[i] = T_STR;
			evtxgen_put_value(&vw, T_STR, sval[i]);
			break;
		case S_USERID:
			sval[i] = A(ev->userid);
			vtype[i] = T_SID;
			evtxgen_put_value(&vw, T_SID, sval[i]);
			break;
		default:
			sval[i] = A(ev->field[i - S_NSYS].voff);
			vtype[i] = (uint8_t)ev->field[i - S_NSYS].type;
			evtxgen_put_value(&vw, vtype[i], sval[i]);
			break;
		}
		vlen[i] = (uint32_t)(vw.pos - before);
		if (vlen[i] > 0xffff) {
			snprintf(num, sizeof(num), "%d", i);
			evtxgen_die("record %llu: value %s longer than 65535 "
			    "bytes", (unsigned long long)ev->record, num);
		}
	}
	if (vw.ovf)
		goto fail;
	evtxgen_put32(&w, (uint32_t)nval);
	for (i = 0; i < nval; i++) {
		evtxgen_put16(&w, (uint16_t)vlen[i]);
		evtxgen_put8(&w, vtype[i]);
		evtxgen_put8(&w, 0);
	}
	evtxgen_put(&w, vbuf, vw.pos);
	evtxgen_put8(&w, 0x00);		/* end of record fragment */
	evtxgen_put32(&w, (uint32_t)(w.pos - start + 4));
	if (w.ovf)
		goto fail;
	evtxgen_le32(ch->buf + start + 4, (uint32_t)(w.pos - start));

	if (ch->nrec == 0)
		ch->first = ev->record;
	ch->last = ev->record;
	ch->lastrec = (uint32_t)start;
	ch->off = (uint32_t)w.pos;
	ch->nrec++;
	return 0;

fail:
	/* Roll back names and templates defined by this record. */
	for (i = 0; i < t.nundo; i++)
		ch->nameoff[t.undo[i]] = 0;
	memcpy(ch->strhead, savestr, sizeof(savestr));
	memcpy(ch->tplhead, savetpl, sizeof(savetpl));
	if (newtpl)
		ch->ntpl--;
	memset(ch->buf + start, 0, EVTXGEN_CHUNK - start);
	return -1;
}

static void
evtxgen_write_event(struct evtxgen_out *o, const struct evtxgen_event *ev)
{
	uint64_t	key;

	key = evtxgen_template_key(ev);
	if (evtxgen_try_record(o, ev, key) == -1) {
		evtxgen_flush(o);
		if (evtxgen_try_record(o, ev, key) == -1)
			evtxgen_die("record %llu does not fit in a chunk",
			    (unsigned long long)ev->record);
	}
	o->nrecords++;
	o->nextid = ev->record + 1;
}

/* ---- events ----------------------------------------------------------- */

static const struct evtxgen_kind *
evtxgen_find_kind(const char *kw)
{
	const struct evtxgen_kind	*k;

	for (k = evtxgen_kinds; k->kw != NULL; k++)
		if (strcmp(k->kw, kw) == 0)
			return k;
	return NULL;
}

static int
evtxgen_field_used(const struct evtxgen_event *ev,
    const struct evtxgen_fdef *f)
{
	if (f->minver > ev->version)
		return 0;
	if ((f->flags & F_NEWONLY) && ev->oldschema)
		return 0;
	return 1;
}

/* Arena offset of the value of field name, or -1. */
static size_t
evtxgen_get_field(const struct evtxgen_event *ev, const char *name)
{
	int	i;

	for (i = 0; i < ev->nfield; i++)
		if (strcmp(evtxgen_fname(&ev->field[i]), name) == 0 &&
		    ev->field[i].voff != (size_t)-1)
			return ev->field[i].voff;
	return (size_t)-1;
}

static size_t
evtxgen_default(const struct evtxgen_event *ev, const struct evtxgen_fdef *f,
    int fi)
{
	char		 buf[512], *cp;
	const char	*s, *p;
	uint64_t	 r;
	size_t		 off;
	int		 i;

	r = evtxgen_mix(ev->record * 1000003ULL + (uint64_t)fi * 7919ULL +
	    ev->kind->eventid);
	switch (f->gen) {
	case G_UTCTIME:
		evtxgen_fmt_time(ev->ft, 1, buf, sizeof(buf));
		break;
	case G_GUID:
		snprintf(buf, sizeof(buf), "{%08X-%04X-%04X-%04X-%012llX}",
		    (unsigned)(r >> 32), (unsigned)(r >> 16) & 0xffff,
		    0x6000 | ((unsigned)r & 0xfff),
		    0x8000 | ((unsigned)(r >> 48) & 0x3fff),
		    (unsigned long long)(evtxgen_mix(r) & 0xffffffffffffULL));
		break;
	case G_PID:
		snprintf(buf, sizeof(buf), "%u", (unsigned)(r % 15000 + 250) * 4);
		break;
	case G_HEXPID:
		snprintf(buf, sizeof(buf), "0x%x",
		    (unsigned)(r % 15000 + 250) * 4);
		break;
	case G_LOGONID:
		snprintf(buf, sizeof(buf), "0x%llx",
		    (unsigned long long)(r % 0xfffffff + 0x10000));
		break;
	case G_CMDLINE:
	case G_BASENAME:
		/* Copy first: adding to the arena may move it. */
		off = evtxgen_get_field(ev, f->dflt);
		if ((cp = strdup(off == (size_t)-1 ? "" : A(off))) == NULL)
			evtxgen_die("out of memory");
		s = cp;
		if (f->gen == G_BASENAME && (p = strrchr(s, '\\')) != NULL)
			s = p + 1;
		if (f->gen == G_CMDLINE && strchr(s, ' ') != NULL) {
			off = evtxgen_astr("\"", 1);
			evtxgen_alen--;
			evtxgen_astr(s, strlen(s));
			evtxgen_alen--;
			evtxgen_astr("\"", 1);
		} else
			off = evtxgen_astr(s, strlen(s));
		free(cp);
		return off;
	case G_HASHES:
		strcpy(buf, "SHA256=");
		for (i = 0; i < 4; i++) {
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
			    "%016llX", (unsigned long long)r);
			r = evtxgen_mix(r);
		}
		break;
	case G_PORT:
		snprintf(buf, sizeof(buf), "%u", (unsigned)(r % 16383 + 49152));
		break;
	default:
		return evtxgen_astr(f->dflt, strlen(f->dflt));
	}
	return evtxgen_astr(buf, strlen(buf));
}

/*
 * Key/value pairs of one scenario line (or generated event).  Keys and
 * values point into caller storage.
 */
struct evtxgen_kv {
	const char	*key;
	const char	*val;
	int		 used;
};

static int
evtxgen_in_list(const char *list, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return 0;
}

/*
 * Build an event from kind and key/values.  On error, write a message to
 * err and return -1.
 */
static int
evtxgen_build(struct evtxgen_state *st, const struct evtxgen_kind *k,
    struct evtxgen_kv *kv, int nkv, struct evtxgen_event *ev, char *err,
    size_t errlen)
{
	const struct evtxgen_fdef	*f;
	const char			*given[EVTXGEN_MAXF], *omit = NULL;
	uint64_t			 v;
	int				 i, j, nf, ver = -1, tidset = 0;

	evtxgen_alen = 0;
	memset(ev, 0, offsetof(struct evtxgen_event, field));
	ev->kind = k;
	ev->level = k->level;
	ev->task = k->task;
	ev->opcode = k->opcode;
	ev->keywords = k->keywords;
	ev->pid = k->pid;
	ev->computer = (size_t)-1;
	ev->userid = (size_t)-1;
	ev->record = st->nextrec;
	ev->ft = st->havetime ? st->ft + 10000000ULL :
	    EVTXGEN_EPOCH + (uint64_t)evtxgen_days(2024, 3, 5) * 864000000000ULL +
	    9ULL * 36000000000ULL;

	for (i = 0; i < nkv; i++) {
		const char	*key = kv[i].key, *val = kv[i].val;

		kv[i].used = 1;
		if (*key < 'a' || *key > 'z') {
			/* EventData names are capitalised. */
			kv[i].used = 0;
		} else if (strcmp(key, "time") == 0) {
			if (evtxgen_parse_time(val, &ev->ft) == -1)
				goto badval;
		} else if (strcmp(key, "computer") == 0) {
			ev->computer = evtxgen_astr(val, strlen(val));
		} else if (strcmp(key, "version") == 0) {
			if (evtxgen_parse_dec(val, 255, &v) == -1)
				goto badval;
			ver = (int)v;
		} else if (strcmp(key, "record") == 0) {
			if (evtxgen_parse_dec(val, INT64_MAX, &v) == -1 ||
			    v == 0)
				goto badval;
			ev->record = v;
		} else if (strcmp(key, "schema") == 0) {
			if (strcmp(val, "old") == 0 &&
			    k->fields == evtxgen_f_sysmon1)
				ev->oldschema = 1;
			else if (strcmp(val, "new") != 0)
				goto badval;
		} else if (strcmp(key, "pid") == 0) {
			if (evtxgen_parse_dec(val, 0xffffffffULL, &v) == -1)
				goto badval;
			ev->pid = (uint32_t)v;
		} else if (strcmp(key, "tid") == 0) {
			if (evtxgen_parse_dec(val, 0xffffffffULL, &v) == -1)
				goto badval;
			ev->tid = (uint32_t)v;
			tidset = 1;
		} else if (strcmp(key, "userid") == 0) {
			if (!evtxgen_type_ok(T_SID, val))
				goto badval;
			ev->userid = evtxgen_astr(val, strlen(val));
		} else if (strcmp(key, "level") == 0) {
			if (evtxgen_parse_dec(val, 255, &v) == -1)
				goto badval;
			ev->level = (uint8_t)v;
		} else if (strcmp(key, "opcode") == 0) {
			if (evtxgen_parse_dec(val, 255, &v) == -1)
				goto badval;
			ev->opcode = (uint8_t)v;
		} else if (strcmp(key, "task") == 0) {
			if (evtxgen_parse_dec(val, 0xffff, &v) == -1)
				goto badval;
			ev->task = (uint16_t)v;
		} else if (strcmp(key, "keywords") == 0) {
			if (evtxgen_parse_hex(val, UINT64_MAX, &v) == -1)
				goto badval;
			ev->keywords = v;
		} else if (strcmp(key, "omit") == 0) {
			omit = val;
		} else
			kv[i].used = 0;
		continue;
badval:
		snprintf(err, errlen, "bad value for %s: \"%s\"", key, val);
		return -1;
	}
	if (ver == -1)
		ver = (k->fields == evtxgen_f_sysmon1 && ev->oldschema) ? 3 :
		    k->version;
	if (k->fields == evtxgen_f_4688 && ver > 2) {
		snprintf(err, errlen, "4688 version must be 0, 1 or 2");
		return -1;
	}
	ev->version = ver;
	if (!tidset)
		ev->tid = (uint32_t)(evtxgen_mix(ev->record) % 2000 + 100) * 4;
	if (ev->computer == (size_t)-1)
		ev->computer = evtxgen_astr("WS01.corp.example.com", 21);
	if (ev->userid == (size_t)-1)
		ev->userid = evtxgen_astr("S-1-5-18", 8);

	/* EventData: given values first, then defaults in table order. */
	nf = 0;
	for (f = k->fields; f->name != NULL; f++) {
		given[nf] = NULL;
		for (i = 0; i < nkv; i++) {
			if (!kv[i].used && kv[i].key[0] == f->name[0] &&
			    strcmp(kv[i].key, f->name) == 0) {
				given[nf] = kv[i].val;
				kv[i].used = 1;
			}
		}
		nf++;
	}
	for (i = 0; i < nkv; i++) {
		if (kv[i].used || kv[i].key[0] == '+')
			continue;
		for (f = k->fields; f->name != NULL; f++)
			if (strcmp(kv[i].key, f->name) == 0)
				break;
		if (f->name != NULL)
			snprintf(err, errlen, "field %s not in %s version %d%s",
			    kv[i].key, k->kw, ev->version,
			    ev->oldschema ? " schema=old" : "");
		else
			snprintf(err, errlen, "unknown field %s for %s "
			    "(write +%s= for an extra field)", kv[i].key, k->kw,
			    kv[i].key);
		return -1;
	}
	ev->nfield = 0;
	for (j = 0, f = k->fields; f->name != NULL; f++, j++) {
		if (!evtxgen_field_used(ev, f)) {
			if (given[j] != NULL) {
				snprintf(err, errlen, "field %s not in %s "
				    "version %d%s", f->name, k->kw, ev->version,
				    ev->oldschema ? " schema=old" : "");
				return -1;
			}
			continue;
		}
		if (omit != NULL && evtxgen_in_list(omit, f->name))
			continue;
		ev->field[ev->nfield].name = f->name;
		ev->field[ev->nfield].extra = 0;
		ev->field[ev->nfield].type = f->type;
		ev->field[ev->nfield].voff = given[j] != NULL ?
		    evtxgen_astr(given[j], strlen(given[j])) : (size_t)-1;
		ev->nfield++;
	}
	for (i = 0; i < ev->nfield; i++) {
		if (ev->field[i].voff != (size_t)-1)
			continue;
		for (j = 0, f = k->fields; f->name != NULL; f++, j++)
			if (f->name == ev->field[i].name)
				break;
		ev->field[i].voff = evtxgen_default(ev, f, j);
	}
	for (i = 0; i < nkv; i++) {
		if (kv[i].used)
			continue;
		if (ev->nfield == EVTXGEN_MAXF) {
			snprintf(err, errlen, "too many fields");
			return -1;
		}
		if (kv[i].key[1] == '\0') {
			snprintf(err, errlen, "empty extra field name");
			return -1;
		}
		ev->field[ev->nfield].extra = 1;
		ev->field[ev->nfield].noff = evtxgen_astr(kv[i].key + 1,
		    strlen(kv[i].key + 1));
		ev->field[ev->nfield].type = T_STR;
		ev->field[ev->nfield].voff = evtxgen_astr(kv[i].val,
		    strlen(kv[i].val));
		ev->nfield++;
	}
	for (i = 0; i < ev->nfield; i++) {
		if (!evtxgen_valid_utf8(A(ev->field[i].voff))) {
			snprintf(err, errlen, "field %s: invalid UTF-8",
			    evtxgen_fname(&ev->field[i]));
			return -1;
		}
		if (!evtxgen_type_ok(ev->field[i].type, A(ev->field[i].voff)))
			ev->field[i].type = T_STR;
	}
	if (!evtxgen_valid_utf8(A(ev->computer))) {
		snprintf(err, errlen, "computer: invalid UTF-8");
		return -1;
	}
	st->nextrec = ev->record + 1;
	st->ft = ev->ft;
	st->havetime = 1;
	return 0;
}

/* ---- canonical dump (-x) ---------------------------------------------- */

static void
evtxgen_dump_value(FILE *fp, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\\\", fp);
		else if (*p == '\t')
			fputs("\\t", fp);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (*p == '\r')
			fputs("\\r", fp);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\x%02x", *p);
		else
			fputc(*p, fp);
	}
}

static int	evtxgen_dumptypes;	/* -X: add a type column */

static const char *
evtxgen_type_name(int t)
{
	switch (t) {
	case T_U8:
		return "UInt8";
	case T_U16:
		return "UInt16";
	case T_U32:
		return "UInt32";
	case T_U64:
		return "UInt64";
	case T_GUID:
		return "GUID";
	case T_FT:
		return "FILETIME";
	case T_SID:
		return "SID";
	case T_HEX32:
		return "HexInt32";
	case T_HEX64:
		return "HexInt64";
	case T_STR:
		return "String";
	default:
		return "Text";		/* literal text in the template */
	}
}

static void
evtxgen_dump_line(FILE *fp, uint64_t rec, const char *field, int type,
    const char *val)
{
	fprintf(fp, "%llu\t", (unsigned long long)rec);
	evtxgen_dump_value(fp, field);
	fputc('\t', fp);
	evtxgen_dump_value(fp, val);
	if (evtxgen_dumptypes)
		fprintf(fp, "\t%s", evtxgen_type_name(type));
	fputc('\n', fp);
}

static void
evtxgen_dump_event(FILE *fp, const struct evtxgen_event *ev)
{
	const struct evtxgen_kind	*k = ev->kind;
	char				 buf[64], name[300];
	uint64_t			 r = ev->record;
	int				 i;

	evtxgen_dump_line(fp, r, "Provider.Name", T_NULL, k->provider);
	evtxgen_dump_line(fp, r, "Provider.Guid", T_NULL, k->guid);
	snprintf(buf, sizeof(buf), "%u", k->eventid);
	evtxgen_dump_line(fp, r, "EventID", T_U16, buf);
	snprintf(buf, sizeof(buf), "%d", ev->version);
	evtxgen_dump_line(fp, r, "Version", T_U8, buf);
	snprintf(buf, sizeof(buf), "%u", ev->level);
	evtxgen_dump_line(fp, r, "Level", T_U8, buf);
	snprintf(buf, sizeof(buf), "%u", ev->task);
	evtxgen_dump_line(fp, r, "Task", T_U16, buf);
	snprintf(buf, sizeof(buf), "%u", ev->opcode);
	evtxgen_dump_line(fp, r, "Opcode", T_U8, buf);
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ev->keywords);
	evtxgen_dump_line(fp, r, "Keywords", T_HEX64, buf);
	evtxgen_fmt_time(ev->ft, 0, buf, sizeof(buf));
	evtxgen_dump_line(fp, r, "TimeCreated.SystemTime", T_FT, buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r);
	evtxgen_dump_line(fp, r, "EventRecordID", T_U64, buf);
	snprintf(buf, sizeof(buf), "%u", ev->pid);
	evtxgen_dump_line(fp, r, "Execution.ProcessID", T_U32, buf);
	snprintf(buf, sizeof(buf), "%u", ev->tid);
	evtxgen_dump_line(fp, r, "Execution.ThreadID", T_U32, buf);
	evtxgen_dump_line(fp, r, "Channel", T_NULL, k->channel);
	evtxgen_dump_line(fp, r, "Computer", T_STR, A(ev->computer));
	evtxgen_dump_line(fp, r, "Security.UserID", T_SID, A(ev->userid));
	for (i = 0; i < ev->nfield; i++) {
		snprintf(name, sizeof(name), "Data.%s",
		    evtxgen_fname(&ev->field[i]));
		evtxgen_dump_line(fp, r, name, ev->field[i].type,
		    A(ev->field[i].voff));
	}
}

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

/* Callback per event: write it or dump it. */
struct evtxgen_sink {
	struct evtxgen_out	*out;
	FILE			*dump;
};

static void
evtxgen_emit(struct evtxgen_sink *sk, const struct evtxgen_event *ev)
{
	if (sk->dump != NULL)
		evtxgen_dump_event(sk->dump, ev);
	if (sk->out != NULL)
		evtxgen_write_event(sk->out, ev);
}

static void
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

/* ---- synthetic logs (-n) ---------------------------------------------- */

struct evtxgen_proc {
	const char	*image;
	const char	*cmd;
	const char	*desc;
};

static const struct evtxgen_proc evtxgen_procs[] = {
	{ "C:\\Windows\\System32\\svchost.exe",
	    "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule",
	    "Host Process for Windows Services" },
	{ "C:\\Windows\\System32\\svchost.exe",
	    "C:\\Windows\\System32\\svchost.exe -k wsappx -p -s AppXSvc",
	    "Host Process for Windows Services" },
	{ "C:\\Windows\\System32\\cmd.exe",
	    "\"C:\\Windows\\system32\\cmd.exe\" /c whoami /all",
	    "Windows Command Processor" },
	{ "C:\\Windows\\System32\\conhost.exe",
	    "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1",
	    "Console Window Host" },
	{ "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
	    "powershell.exe -NoProfile -ExecutionPolicy Bypass -File "
	    "C:\\ProgramData\\scripts\\inventory.ps1",
	    "Windows PowerShell" },
	{ "C:\\Windows\\System32\\rundll32.exe",
	    "C:\\Windows\\system32\\rundll32.exe "
	    "C:\\Windows\\system32\\shell32.dll,SHCreateLocalServerRunDll "
	    "{9aa46009-3ce0-458a-a354-715610a075e6} -Embedding",
	    "Windows host process (Rundll32)" },
	{ "C:\\Windows\\System32\\taskhostw.exe",
	    "taskhostw.exe SYSTEM", "Host Process for Windows Tasks" },
	{ "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
	    "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
	    "WMI Provider Host" },
	{ "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
	    "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" "
	    "--type=renderer --lang=en-US --renderer-client-id=7",
	    "Google Chrome" },
	{ "C:\\Windows\\System32\\notepad.exe",
	    "\"C:\\Windows\\system32\\notepad.exe\" "
	    "C:\\Users\\jdoe\\Desktop\\notes.txt", "Notepad" },
	{ "C:\\Windows\\System32\\SearchProtocolHost.exe",
	    "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" "
	    "Global\\UsGthrFltPipeMssGthrPipe5_ Global\\UsGthrCtrlFltPipeMss"
	    "GthrPipe5 1 -2147483646 \"Software\\Microsoft\\Windows Search\"",
	    "Microsoft Windows Search Protocol Host" },
	{ "C:\\Windows\\System32\\net.exe", "net  user /domain",
	    "Net Command" },
	{ "C:\\Windows\\System32\\schtasks.exe",
	    "schtasks /query /fo LIST /v", "Task Scheduler Configuration Tool" },
	{ "C:\\Windows\\System32\\reg.exe",
	    "reg query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
	    "Registry Console Tool" },
	{ "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
	    "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\""
	    " /n \"C:\\Users\\jdoe\\Documents\\Q1 report.docx\"",
	    "Microsoft Word" },
	{ "C:\\Windows\\System32\\msiexec.exe",
	    "C:\\Windows\\system32\\msiexec.exe /V", "Windows\xc2\xae installer" },
};

static const struct evtxgen_proc evtxgen_msi[] = {
	{ "C:\\Windows\\System32\\msiexec.exe",
	    "\"C:\\Windows\\System32\\msiexec.exe\" /i "
	    "\"C:\\Users\\jdoe\\Downloads\\7z2301-x64.msi\"",
	    "Windows\xc2\xae installer" },
	{ "C:\\Windows\\System32\\msiexec.exe",
	    "msiexec /y C:\\Users\\Public\\Libraries\\update.dll",
	    "Windows\xc2\xae installer" },
	{ "C:\\Windows\\SysWOW64\\msiexec.exe",
	    "C:\\Windows\\SysWOW64\\msiexec.exe /y "
	    "\"C:\\ProgramData\\Vendor Tools\\helper.dll\"",
	    "Windows\xc2\xae installer" },
	{ "C:\\Windows\\System32\\msiexec.exe",
	    "C:\\Windows\\system32\\msiexec.exe /V",
	    "Windows\xc2\xae installer" },
};

static const char *evtxgen_users[] = {
	"jdoe", "asmith", "svc_backup", "mwilson", "Administrator", "kgarcia"
};

static const char *evtxgen_hosts[] = {
	"WS01.corp.example.com", "WS02.corp.example.com",
	"WS17.corp.example.com", "SRV-FILE01.corp.example.com",
	"DC01.corp.example.com", "LAPTOP-7QK2M.corp.example.com"
};

static const char *evtxgen_parents[] = {
	"C:\\Windows\\explorer.exe", "C:\\Windows\\System32\\services.exe",
	"C:\\Windows\\System32\\svchost.exe", "C:\\Windows\\System32\\cmd.exe",
	"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
evtxgen_bulk(uint64_t n, int sysmon, double share, uint64_t seed,
    struct evtxgen_sink *sk)
{
	static struct evtxgen_event	 ev;
	struct evtxgen_state		 st;
	struct evtxgen_kv		 kv[EVTXGEN_MAXKV];
	const struct evtxgen_kind	*k;
	const struct evtxgen_proc	*pr;
	char				 tbuf[64], pid[32], ppid[32], user[64],
					 usid[80], err[256], port[16];
	uint64_t			 i, r, s = seed * 0x2545f4914f6cdd1dULL,
					 ft, thresh;
	int				 nkv, u, h, sel;

	memset(&st, 0, sizeof(st));
	st.file = "(generated)";
	st.nextrec = 1;
	ft = EVTXGEN_EPOCH + (uint64_t)evtxgen_days(2024, 3, 1) *
	    864000000000ULL;
	thresh = (uint64_t)(share * 1000000.0);
	for (i = 0; i < n; i++) {
		r = evtxgen_rand(&s);
		ft += evtxgen_rand(&s) % 20000000;
		evtxgen_fmt_time(ft, 0, tbuf, sizeof(tbuf));
		u = (int)((r >> 8) % NELEM(evtxgen_users));
		h = (int)((r >> 16) % NELEM(evtxgen_hosts));
		nkv = 0;
		kv[nkv].key = "time";
		kv[nkv++].val = tbuf;
		kv[nkv].key = "computer";
		kv[nkv++].val = evtxgen_hosts[h];
		snprintf(user, sizeof(user), "CORP\\%s", evtxgen_users[u]);
		snprintf(usid, sizeof(usid),
		    "S-1-5-21-3623811015-3361044348-30300820-%d", 1100 + u);
		snprintf(pid, sizeof(pid), "%u",
		    (unsigned)((r >> 24) % 15000 + 250) * 4);
		snprintf(ppid, sizeof(ppid), "%u",
		    (unsigned)((r >> 40) % 15000 + 250) * 4);
		if ((r % 1000000) < thresh) {
			if ((r >> 32) % 50 == 0)
				pr = &evtxgen_msi[(r >> 36) % NELEM(evtxgen_msi)];
			else
				pr = &evtxgen_procs[(r >> 36) %
				    NELEM(evtxgen_procs)];
			if (sysmon) {
				k = evtxgen_find_kind("sysmon1");
				kv[nkv].key = "Image";
				kv[nkv++].val = pr->image;
				kv[nkv].key = "Description";
				kv[nkv++].val = pr->desc;
				kv[nkv].key = "CommandLine";
				kv[nkv++].val = pr->cmd;
				kv[nkv].key = "User";
				kv[nkv++].val = user;
				kv[nkv].key = "ParentUser";
				kv[nkv++].val = user;
				kv[nkv].key = "ProcessId";
				kv[nkv++].val = pid;
				kv[nkv].key = "ParentProcessId";
				kv[nkv++].val = ppid;
				kv[nkv].key = "ParentImage";
				kv[nkv++].val = evtxgen_parents[(r >> 44) %
				    NELEM(evtxgen_parents)];
			} else {
				k = evtxgen_find_kind("4688");
				kv[nkv].key = "NewProcessName";
				kv[nkv++].val = pr->image;
				kv[nkv].key = "CommandLine";
				kv[nkv++].val = pr->cmd;
				kv[nkv].key = "SubjectUserSid";
				kv[nkv++].val = usid;
				kv[nkv].key = "SubjectUserName";
				kv[nkv++].val = evtxgen_users[u];
				kv[nkv].key = "ParentProcessName";
				kv[nkv++].val = evtxgen_parents[(r >> 44) %
				    NELEM(evtxgen_parents)];
			}
		} else if (sysmon) {
			/*
			 * As many terminations as creations, as in real
			 * logs; the rest of the noise split evenly.
			 */
			sel = (r % 1000000) < 2 * thresh ? 2 :
			    (int)((r >> 52) % 2);
			switch (sel) {
			case 0:
				k = evtxgen_find_kind("sysmon3");
				snprintf(port, sizeof(port), "%u",
				    (unsigned)((r >> 20) % 16383 + 49152));
				kv[nkv].key = "SourcePort";
				kv[nkv++].val = port;
				break;
			case 1:
				k = evtxgen_find_kind("sysmon11");
				break;
			default:
				k = evtxgen_find_kind("sysmon5");
				kv[nkv].key = "Image";
				kv[nkv++].val = evtxgen_procs[(r >> 36) %
				    NELEM(evtxgen_procs)].image;
				break;
			}
			kv[nkv].key = "User";
			kv[nkv++].val = user;
			kv[nkv].key = "ProcessId";
			kv[nkv++].val = pid;
		} else {
			sel = (r % 1000000) < 2 * thresh ? 2 :
			    (int)((r >> 52) % 2);
			switch (sel) {
			case 0:
				k = evtxgen_find_kind("4624");
				kv[nkv].key = "TargetUserSid";
				kv[nkv++].val = usid;
				kv[nkv].key = "TargetUserName";
				kv[nkv++].val = evtxgen_users[u];
				break;
			case 1:
				k = evtxgen_find_kind("4634");
				kv[nkv].key = "TargetUserSid";
				kv[nkv++].val = usid;
				kv[nkv].key = "TargetUserName";
				kv[nkv++].val = evtxgen_users[u];
				break;
			default:
				k = evtxgen_find_kind("4689");
				kv[nkv].key = "ProcessName";
				kv[nkv++].val = evtxgen_procs[(r >> 36) %
				    NELEM(evtxgen_procs)].image;
				break;
			}
		}
		if (evtxgen_build(&st, k, kv, nkv, &ev, err, sizeof(err)) == -1)
			evtxgen_die("generated event: %s", err);
		evtxgen_emit(sk, &ev);
	}
}

/* ---- damaged logs (-D) ------------------------------------------------ */

static const char *evtxgen_damages[] = {
	"dirty", "truncated", "badcrc", "badheadercrc", "garbage", "random",
	"hugesizes", "zero", "badmagic", NULL
};

static void
evtxgen_chunk_recrc(uint8_t *c)
{
	uint32_t	free_off, crc;

	free_off = evtxgen_rd32(c + 48);
	if (free_off >= EVTXGEN_CHUNK_HDR && free_off <= EVTXGEN_CHUNK)
		evtxgen_le32(c + 52, evtxgen_crc32(0, c + EVTXGEN_CHUNK_HDR,
		    free_off - EVTXGEN_CHUNK_HDR));
	crc = evtxgen_crc32(0, c, 120);
	crc = evtxgen_crc32(crc, c + 128, 384);
	evtxgen_le32(c + 124, crc);
}

/* Offsets of the records of one chunk. */
static int
evtxgen_chunk_records(const uint8_t *c, uint32_t *offs, int max)
{
	uint32_t	off = EVTXGEN_CHUNK_HDR, free_off, sz;
	int		n = 0;

	free_off = evtxgen_rd32(c + 48);
	while (off + 28 <= free_off && n < max &&
	    evtxgen_rd32(c + off) == 0x2a2a) {
		sz = evtxgen_rd32(c + off + 4);
		if (sz < 28 || off + sz > free_off)
			break;
		offs[n++] = off;
		off += sz;
	}
	return n;
}

static void
evtxgen_damage(const char *path, const char *kind)
{
	uint8_t		*d, *c;
	uint32_t	 offs[4096];
	uint64_t	 s = 0x5eed5eedULL, x;
	size_t		 len, nch, i, j;
	struct stat	 sb;
	FILE		*fp;
	int		 nrec;

	if ((fp = fopen(path, "rb")) == NULL || fstat(fileno(fp), &sb) == -1)
		evtxgen_die("%s: %s", path, strerror(errno));
	len = (size_t)sb.st_size;
	if ((d = malloc(len + 1)) == NULL)
		evtxgen_die("out of memory");
	if (fread(d, 1, len, fp) != len)
		evtxgen_die("%s: short read", path);
	fclose(fp);
	nch = (len - EVTXGEN_FILE_HDR) / EVTXGEN_CHUNK;
	if (nch < 2 && strcmp(kind, "zero") != 0 &&
	    strcmp(kind, "random") != 0)
		evtxgen_die("-D %s needs a log of at least 2 chunks", kind);

	if (strcmp(kind, "dirty") == 0) {
		/* Header as if only the first chunk had been written. */
		c = d + EVTXGEN_FILE_HDR;
		evtxgen_file_header(d, 1,
		    ((uint64_t)evtxgen_rd32(c + 16) |
		    (uint64_t)evtxgen_rd32(c + 20) << 32) + 1, 1);
	} else if (strcmp(kind, "truncated") == 0) {
		len = EVTXGEN_FILE_HDR + (nch - 1) * EVTXGEN_CHUNK + 30011;
	} else if (strcmp(kind, "badcrc") == 0) {
		/* Chunk 0: header CRC; chunk 1: records CRC; chunk 2+: a
		 * flipped record byte under the old CRC. */
		c = d + EVTXGEN_FILE_HDR;
		c[124] ^= 0x5a;
		c = d + EVTXGEN_FILE_HDR + EVTXGEN_CHUNK;
		c[52] ^= 0xa5;
		if (nch > 2) {
			c = d + EVTXGEN_FILE_HDR + 2 * EVTXGEN_CHUNK;
			c[EVTXGEN_CHUNK_HDR + 100] ^= 0x01;
		}
	} else if (strcmp(kind, "badheadercrc") == 0) {
		d[124] ^= 0xff;
	} else if (strcmp(kind, "garbage") == 0) {
		/* Overwrite whole records (the 2nd of every chunk and the
		 * body of the 5th) with random bytes; CRCs recomputed so
		 * only parsing can notice. */
		for (i = 0; i < nch; i++) {
			c = d + EVTXGEN_FILE_HDR + i * EVTXGEN_CHUNK;
			nrec = evtxgen_chunk_records(c, offs, 4096);
			if (nrec > 1) {
				x = evtxgen_rd32(c + offs[1] + 4);
				for (j = 0; j < x; j++)
					c[offs[1] + j] = (uint8_t)
					    evtxgen_rand(&s);
			}
			if (nrec > 4) {
				x = evtxgen_rd32(c + offs[4] + 4);
				for (j = 24; j + 4 < x; j++)
					c[offs[4] + j] = (uint8_t)
					    evtxgen_rand(&s);
			}
			evtxgen_chunk_recrc(c);
		}
	} else if (strcmp(kind, "random") == 0) {
		len = EVTXGEN_FILE_HDR + 3 * EVTXGEN_CHUNK;
		free(d);
		if ((d = malloc(len)) == NULL)
			evtxgen_die("out of memory");
		for (i = 0; i < len; i++)
			d[i] = (uint8_t)evtxgen_rand(&s);
		memcpy(d, "ElfFile", 8);
		for (i = 0; i < 3; i++)
			memcpy(d + EVTXGEN_FILE_HDR + i * EVTXGEN_CHUNK,
			    "ElfChnk", 8);
	} else if (strcmp(kind, "hugesizes") == 0) {
		evtxgen_le64(d + 16, 0xffffffffffffffffULL);
		evtxgen_le64(d + 24, 0x7fffffffffffffffULL);
		evtxgen_le32(d + 32, 0xffffffffU);
		evtxgen_le16(d + 42, 0xffff);
		evtxgen_le32(d + 124, evtxgen_crc32(0, d, 120));
		for (i = 0; i < nch; i++) {
			c = d + EVTXGEN_FILE_HDR + i * EVTXGEN_CHUNK;
			nrec = evtxgen_chunk_records(c, offs, 4096);
			for (j = 1; j < (size_t)nrec; j += 3) {
				x = evtxgen_rand(&s) % 3;
				evtxgen_le32(c + offs[j] + 4, x == 0 ?
				    0xffffffffU : x == 1 ? 0x7ffffff0U :
				    EVTXGEN_CHUNK);
			}
			switch (i % 3) {
			case 0:
				evtxgen_le32(c + 40, 0xffffffffU);
				evtxgen_le32(c + 44, 0xfffffff0U);
				break;
			case 1:
				evtxgen_le32(c + 48, 0xffffffffU);
				evtxgen_le64(c + 16, 0xffffffffffffffffULL);
				evtxgen_le64(c + 32, 0xffffffffffffffffULL);
				break;
			default:
				evtxgen_le32(c + 44, EVTXGEN_CHUNK - 8);
				evtxgen_le32(c + 128, 0xfffffff0U);
				evtxgen_le32(c + 384, 0x7ffffff0U);
				break;
			}
			evtxgen_chunk_recrc(c);
		}
	} else if (strcmp(kind, "zero") == 0) {
		len = 0;
	} else if (strcmp(kind, "badmagic") == 0) {
		c = d + EVTXGEN_FILE_HDR + EVTXGEN_CHUNK;
		memcpy(c, "ElfChnX", 8);
		evtxgen_chunk_recrc(c);
	}
	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(d, 1, len, fp) != len || fclose(fp) == EOF)
		evtxgen_die("%s: write: %s", path, strerror(errno));
	free(d);
}

/* ---- main ------------------------------------------------------------- */

static void
evtxgen_usage(FILE *fp)
{
	fputs(
"usage: evtxgen [-d] -o OUT.evtx SCENARIO.txt\n"
"       evtxgen -x|-X SCENARIO.txt          print the expected reading\n"
"       evtxgen -n RECORDS -k security|sysmon [-p SHARE] [-s SEED] "
"-o OUT.evtx\n"
"       evtxgen -D KIND -o OUT.evtx [SCENARIO.txt]\n"
"\n"
"  -d  set the dirty flag in the file header\n"
"  -n  synthetic log of RECORDS events, SHARE (default 0.2 security,\n"
"      0.1 sysmon) of them 4688 / Sysmon 1, the rest noise; -x with -n\n"
"      prints the expected reading instead of writing\n"
"  -D  damaged log: dirty truncated badcrc badheadercrc garbage random\n"
"      hugesizes zero badmagic (built-in events unless SCENARIO given)\n"
"\n"
"Scenario: one event per line, KIND key=value key=\"quoted value\" ...\n"
"  KIND: sysmon1 sysmon3 sysmon5 sysmon11 4688 4689 4624 4634\n"
"  '#' starts a comment line; blank lines are ignored.\n"
"  event keys: time=2024-03-05T10:00:00.1234567Z (default previous+1s,\n"
"    first 2024-03-05T09:00:00Z) computer= version= (4688: 0/1/2)\n"
"    record=N schema=old (sysmon1) pid= tid= userid=SID level= task=\n"
"    opcode= keywords=0xN omit=Field1,Field2\n"
"  other keys are EventData fields by Windows name (Image=, CommandLine=,\n"
"    NewProcessId=0x1a2c ...); +Name=value appends an extra field;\n"
"    omitted fields get defaults (see -x).\n"
"  values: bare, or in double quotes where backslashes are literal and\n"
"    \"\" is a quote; %xNN is byte NN, %u{XXXX} code point U+XXXX, other\n"
"    '%' literal.  UTF-8 in, UTF-16LE out.  Typed fields use the Windows\n"
"    type when canonical (123, 0x1a2c, S-1-5-18, {UPPER-CASE-GUID}),\n"
"    else a string.  Errors: file:line, exit 2.\n"
"  -x output: RECORD<TAB>FIELD<TAB>VALUE, FIELD like EventID, Computer,\n"
"    TimeCreated.SystemTime, Data.Image; \\\\ \\t \\n \\r \\xNN escapes.\n"
"    -X adds a fourth column: the value type (String, UInt32, HexInt64,\n"
"    GUID, SID, FILETIME, ...; Text = literal text in the template).\n",
	    fp);
}

int
main(int argc, char *argv[])
{
	static struct evtxgen_out	 out;
	struct evtxgen_sink		 sk;
	const char			*opath = NULL, *kind = NULL,
					*damage = NULL, *scen;
	char				*end;
	double				 share = -1;
	uint64_t			 n = 0, seed = 1;
	int				 ch, dirty = 0, dump = 0, bulk = 0, i;

	evtxgen_crc_init();
	for (i = 0; i < N_COUNT; i++)
		evtxgen_namehash[i] = evtxgen_name_hash(evtxgen_namestr[i]);
	while ((ch = getopt(argc, argv, "dD:hk:n:o:p:s:xX")) != -1) {
		switch (ch) {
		case 'd':
			dirty = 1;
			break;
		case 'D':
			damage = optarg;
			break;
		case 'h':
			evtxgen_usage(stdout);
			return 0;
		case 'k':
			kind = optarg;
			break;
		case 'n':
			errno = 0;
			n = strtoull(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || *optarg == '-')
				evtxgen_die("bad -n %s", optarg);
			bulk = 1;
			break;
		case 'o':
			opath = optarg;
			break;
		case 'p':
			share = strtod(optarg, &end);
			if (*end != '\0' || share < 0 || share > 1)
				evtxgen_die("bad -p %s", optarg);
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*end != '\0')
				evtxgen_die("bad -s %s", optarg);
			break;
		case 'X':
			evtxgen_dumptypes = 1;
			/* FALLTHROUGH */
		case 'x':
			dump = 1;
			break;
		default:
			evtxgen_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;

	memset(&sk, 0, sizeof(sk));
	if (damage != NULL) {
		for (i = 0; evtxgen_damages[i] != NULL; i++)
			if (strcmp(evtxgen_damages[i], damage) == 0)
				break;
		if (evtxgen_damages[i] == NULL)
			evtxgen_die("unknown damage kind %s", damage);
		if (opath == NULL || argc > 1 || bulk || dump)
			goto usage;
		evtxgen_out_open(&out, opath, 0);
		sk.out = &out;
		if (argc == 1)
			evtxgen_scenario(argv[0], &sk);
		else
			evtxgen_bulk(600, 0, 0.3, 7, &sk);
		evtxgen_out_close(&out);
		evtxgen_damage(opath, damage);
		return 0;
	}
	if (bulk) {
		if (kind == NULL || argc != 0 || (opath == NULL && !dump) ||
		    (strcmp(kind, "security") != 0 &&
		    strcmp(kind, "sysmon") != 0))
			goto usage;
		if (share < 0)
			share = strcmp(kind, "sysmon") == 0 ? 0.1 : 0.2;
		if (dump)
			sk.dump = stdout;
		else {
			evtxgen_out_open(&out, opath, dirty);
			sk.out = &out;
		}
		evtxgen_bulk(n, strcmp(kind, "sysmon") == 0, share, seed, &sk);
		if (!dump)
			evtxgen_out_close(&out);
		return 0;
	}
	if (argc != 1)
		goto usage;
	scen = argv[0];
	if (dump) {
		sk.dump = stdout;
		evtxgen_scenario(scen, &sk);
		if (fflush(stdout) == EOF)
			evtxgen_die("stdout: %s", strerror(errno));
		return 0;
	}
	if (opath == NULL)
		goto usage;
	/* Check the whole scenario first so an error leaves no file. */
	evtxgen_scenario(scen, &sk);
	evtxgen_out_open(&out, opath, dirty);
	sk.out = &out;
	evtxgen_scenario(scen, &sk);
	evtxgen_out_close(&out);
	return 0;
usage:
	evtxgen_usage(stderr);
	return 2;
}
