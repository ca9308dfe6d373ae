/* Copyright (c) 2026 The evtriage authors. ISC licence: see LICENSE. */

/*
 * Normalise Sysmon 1 and 5, Security 4688 and 4689 and CrowdStrike
 * ProcessRollup2 events into rows named after the Splunk CIM
 * Endpoint.Processes fields.  Fields are looked up by their EventData
 * (or FDR) name, never by position: Sysmon added fields over its schema
 * versions, and 4688 has three versions.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libfwnt.h>

#include "triage/xmalloc.h"
#include "parsers.h"

static const char *event_norm_names[PROC_NCOLS] = {
	"_time", "dest", "user", "user_id", "logon_id", "process",
	"process_name", "process_path", "process_exec", "process_id",
	"process_guid", "process_current_directory",
	"process_integrity_level", "process_hash", "original_file_name",
	"parent_process", "parent_process_name", "parent_process_path",
	"parent_process_id", "parent_process_guid", "vendor_product",
	"provider", "channel", "fields"
};

const char *
event_norm_column(enum proc_col c)
{
	return (event_norm_names[c]);
}

static const char *
event_norm_get(const struct evt_record *r, const char *name)
{
	size_t	i;

	/* The first byte first: a dozen look-ups a row over its fields. */
	for (i = 0; i < r->nfields; i++) {
		if (r->fields[i].name[0] == name[0] &&
		    strcmp(r->fields[i].name, name) == 0)
			return (r->fields[i].value);
	}
	return (NULL);
}

/* A copy of s, or NULL where s is absent or empty. */
static char *
event_norm_dup(const char *s)
{
	if (s == NULL || *s == '\0')
		return (NULL);
	return (xstrdup(s));
}

/* The file name of a Windows or POSIX path. */
char *
event_norm_basename(const char *path)
{
	const char	*p, *base;

	if (path == NULL || *path == '\0')
		return (NULL);
	base = path;
	for (p = path; *p != '\0'; p++) {
		if (*p == '\\' || *p == '/')
			base = p + 1;
	}
	if (*base == '\0')
		return (NULL);
	return (xstrdup(base));
}

/* A process id from "0x1a2c" (Security) or "6700" (Sysmon); -1 if bad. */
int64_t
event_norm_pid(const char *s)
{
	char		*end;
	unsigned long long v;

	if (s == NULL)
		return (-1);
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '-')
		return (-1);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		v = strtoull(s + 2, &end, 16);
	else
		v = strtoull(s, &end, 10);
	if (*end != '\0' || v > INT64_MAX)
		return (-1);
	return ((int64_t)v);
}

/* The decimal text of a process id, without printf: once a row. */
static char *
event_norm_pid_text(const char *s)
{
	int64_t	 v;
	char	 t[24], *o = t + sizeof t;

	if ((v = event_norm_pid(s)) < 0)
		return (NULL);
	*--o = '\0';
	do {
		*--o = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	return (xstrdup(o));
}

/*
 * Check a SID string and return it in canonical form, through libfwnt:
 * the text is packed into the binary layout Windows uses (revision,
 * count, 48-bit authority big-endian, 32-bit sub-authorities
 * little-endian) and libfwnt renders it back.  NULL if it is not a SID.
 */
/*
 * Is s a SID already in the form libfwnt writes: S-1-, then the
 * authority and up to 15 sub-authorities in decimal, each at most
 * 0xffffffff and without leading zeros?  The usual SID is, and is kept
 * as it is without the round trip.
 */
static int
event_norm_sid_canonical(const char *s)
{
	unsigned long long	 v;
	int			 parts = 0, digits;

	if (strncmp(s, "S-1-", 4) != 0)
		return (0);
	s += 4;
	for (;;) {
		v = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; digits++, s++) {
			if (digits == 10)
				return (0);
			v = v * 10 + (*s - '0');
		}
		if (digits == 0 || (digits > 1 && s[-digits] == '0') ||
		    v > 0xffffffffULL || ++parts > 16)
			return (0);
		if (*s == '\0')
			return (1);
		if (*s++ != '-')
			return (0);
	}
}

char *
event_norm_sid(const char *s)
{
	libfwnt_security_identifier_t	*sid = NULL;
	uint8_t				 bin[8 + 4 * 15], out[256];
	unsigned long long		 v;
	char				*end;
	size_t				 n = 0;
	int				 i;

	if (s == NULL || (s[0] != 'S' && s[0] != 's') || s[1] != '-')
		return (NULL);
	if (event_norm_sid_canonical(s))
		return (xstrdup(s));
	s += 2;
	v = strtoull(s, &end, 10);
	if (end == s || *end != '-' || v != 1)
		return (NULL);
	bin[0] = 1;
	s = end + 1;
	v = strtoull(s, &end, 10);
	if (end == s || v > 0xffffffffffffULL)
		return (NULL);
	for (i = 0; i < 6; i++)
		bin[2 + i] = (v >> (8 * (5 - i))) & 0xff;
	while (*end == '-') {
		s = end + 1;
		v = strtoull(s, &end, 10);
		if (end == s || v > 0xffffffffULL || n == 15)
			return (NULL);
		for (i = 0; i < 4; i++)
			bin[8 + 4 * n + i] = (v >> (8 * i)) & 0xff;
		n++;
	}
	if (*end != '\0')
		return (NULL);
	bin[1] = n;
	if (libfwnt_security_identifier_initialize(&sid, NULL) != 1)
		return (NULL);
	if (libfwnt_security_identifier_copy_from_byte_stream(sid, bin,
	    8 + 4 * n, LIBFWNT_ENDIAN_LITTLE, NULL) != 1 ||
	    libfwnt_security_identifier_copy_to_utf8_string(sid, out,
	    sizeof out, 0, NULL) != 1) {
		libfwnt_security_identifier_free(&sid, NULL);
		return (NULL);
	}
	libfwnt_security_identifier_free(&sid, NULL);
	return (xstrdup((char *)out));
}

static char *
event_norm_account(const char *domain, const char *name)
{
	char	*s;
	size_t	 d, n;

	if (name == NULL || *name == '\0')
		return (NULL);
	if (domain == NULL || *domain == '\0')
		return (xstrdup(name));
	/* DOMAIN\name, without printf: once a row. */
	d = strlen(domain);
	n = strlen(name);
	s = xmalloc(d + 1 + n + 1);
	memcpy(s, domain, d);
	s[d] = '\\';
	memcpy(s + d + 1, name, n + 1);
	return (s);
}

/* Mandatory label SIDs as the names Sysmon's IntegrityLevel uses. */
static char *
event_norm_label(const char *sid)
{
	static const struct {
		const char	*sid, *name;
	} labels[] = {
		{ "S-1-16-0", "Untrusted" },
		{ "S-1-16-4096", "Low" },
		{ "S-1-16-8192", "Medium" },
		{ "S-1-16-8448", "MediumPlus" },
		{ "S-1-16-12288", "High" },
		{ "S-1-16-16384", "System" },
		{ "S-1-16-20480", "Protected" },
	};
	size_t	i;

	if (sid == NULL)
		return (NULL);
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		if (strcasecmp(sid, labels[i].sid) == 0)
			return (xstrdup(labels[i].name));
	}
	return (event_norm_dup(sid));
}

static char *
event_norm_json(const struct evt_record *r)
{
	struct buf	b = { 0 };
	size_t		i;

	buf_append(&b, "{", 1);
	for (i = 0; i < r->nfields; i++) {
		if (i > 0)
			buf_append(&b, ",", 1);
		buf_json_string(&b, r->fields[i].name);
		buf_append(&b, ":", 1);
		buf_json_string(&b, r->fields[i].value);
	}
	buf_append(&b, "}", 1);
	return (buf_take(&b));
}

static void
event_norm_sysmon(const struct evt_record *r, struct proc_row *p)
{
	char	**c = p->col;

	c[PROC_USER] = event_norm_dup(event_norm_get(r, "User"));
	c[PROC_LOGON_ID] = event_norm_dup(event_norm_get(r, "LogonId"));
	c[PROC_PROCESS] = event_norm_dup(event_norm_get(r, "CommandLine"));
	c[PROC_PROCESS_PATH] = event_norm_dup(event_norm_get(r, "Image"));
	c[PROC_PROCESS_ID] = event_norm_pid_text(event_norm_get(r,
	    "ProcessId"));
	c[PROC_PROCESS_GUID] = event_norm_dup(event_norm_get(r,
	    "ProcessGuid"));
	c[PROC_VENDOR_PRODUCT] = xstrdup("Microsoft Sysmon");
	if (p->kind == PROC_KIND_END)
		return;
	c[PROC_PROCESS_CURRENT_DIRECTORY] = event_norm_dup(event_norm_get(r,
	    "CurrentDirectory"));
	c[PROC_PROCESS_INTEGRITY_LEVEL] = event_norm_dup(event_norm_get(r,
	    "IntegrityLevel"));
	c[PROC_PROCESS_HASH] = event_norm_dup(event_norm_get(r, "Hashes"));
	c[PROC_ORIGINAL_FILE_NAME] = event_norm_dup(event_norm_get(r,
	    "OriginalFileName"));
	c[PROC_PARENT_PROCESS] = event_norm_dup(event_norm_get(r,
	    "ParentCommandLine"));
	c[PROC_PARENT_PROCESS_PATH] = event_norm_dup(event_norm_get(r,
	    "ParentImage"));
	c[PROC_PARENT_PROCESS_ID] = event_norm_pid_text(event_norm_get(r,
	    "ParentProcessId"));
	c[PROC_PARENT_PROCESS_GUID] = event_norm_dup(event_norm_get(r,
	    "ParentProcessGuid"));
}

/*
 * Security 4688: the new process runs as the Target account when
 * version 2 names one (not "-", not the NULL SID), else as the Subject.
 * 4689 names the exiting process in ProcessId and ProcessName.
 */
static void
event_norm_security(const struct evt_record *r, struct proc_row *p)
{
	static const char *const key[2][4] = {
		{ "SubjectUserName", "SubjectDomainName", "SubjectUserSid",
		  "SubjectLogonId" },
		{ "TargetUserName", "TargetDomainName", "TargetUserSid",
		  "TargetLogonId" }
	};
	char		**c = p->col;
	const char	*tname, *tsid;
	int		 t = 0;

	tname = event_norm_get(r, "TargetUserName");
	tsid = event_norm_get(r, "TargetUserSid");
	if (tname != NULL && *tname != '\0' && strcmp(tname, "-") != 0 &&
	    (tsid == NULL || strcmp(tsid, "S-1-0-0") != 0))
		t = 1;
	tname = event_norm_get(r, key[t][0]);
	c[PROC_USER] = event_norm_account(event_norm_get(r, key[t][1]),
	    tname);
	c[PROC_USER_ID] = event_norm_sid(event_norm_get(r, key[t][2]));
	c[PROC_LOGON_ID] = event_norm_dup(event_norm_get(r, key[t][3]));
	c[PROC_VENDOR_PRODUCT] = xstrdup("Microsoft Windows");
	if (p->kind == PROC_KIND_END) {
		c[PROC_PROCESS_PATH] = event_norm_dup(event_norm_get(r,
		    "ProcessName"));
		c[PROC_PROCESS_ID] = event_norm_pid_text(event_norm_get(r,
		    "ProcessId"));
		return;
	}
	c[PROC_PROCESS] = event_norm_dup(event_norm_get(r, "CommandLine"));
	c[PROC_PROCESS_PATH] = event_norm_dup(event_norm_get(r,
	    "NewProcessName"));
	c[PROC_PROCESS_ID] = event_norm_pid_text(event_norm_get(r,
	    "NewProcessId"));
	c[PROC_PARENT_PROCESS_ID] = event_norm_pid_text(event_norm_get(r,
	    "ProcessId"));
	c[PROC_PARENT_PROCESS_PATH] = event_norm_dup(event_norm_get(r,
	    "ParentProcessName"));
	c[PROC_PROCESS_INTEGRITY_LEVEL] = event_norm_label(event_norm_get(r,
	    "MandatoryLabel"));
}

/*
 * CrowdStrike Falcon ProcessRollup2, by its Falcon Data Replicator field
 * names (fdr-read.c makes the record: dest is ComputerName, or the
 * aid_master name of aid, or aid).  TargetProcessId and ParentProcessId
 * are the sensor's ids of the process and of its parent, unique on a
 * host, so they stand where Sysmon's GUIDs do and db-tree.c links them
 * the same way.  RawProcessId is the Windows pid; FDR gives no pid, path
 * or command line of the parent, only ParentBaseFileName.
 */
static void
event_norm_fdr(const struct evt_record *r, struct proc_row *p)
{
	char		**c = p->col;
	const char	 *sha, *md5;

	c[PROC_USER] = event_norm_dup(event_norm_get(r, "UserName"));
	if (c[PROC_USER] == NULL)
		c[PROC_USER] = event_norm_dup(event_norm_get(r, "UserSid"));
	c[PROC_USER_ID] = event_norm_sid(event_norm_get(r, "UserSid"));
	c[PROC_PROCESS] = event_norm_dup(event_norm_get(r, "CommandLine"));
	c[PROC_PROCESS_PATH] = event_norm_dup(event_norm_get(r,
	    "ImageFileName"));
	c[PROC_PROCESS_ID] = event_norm_pid_text(event_norm_get(r,
	    "RawProcessId"));
	c[PROC_PROCESS_GUID] = event_norm_dup(event_norm_get(r,
	    "TargetProcessId"));
	c[PROC_VENDOR_PRODUCT] = xstrdup("CrowdStrike Falcon");
	if (p->kind == PROC_KIND_END)
		return;
	c[PROC_PARENT_PROCESS_GUID] = event_norm_dup(event_norm_get(r,
	    "ParentProcessId"));
	c[PROC_PARENT_PROCESS_NAME] = event_norm_dup(event_norm_get(r,
	    "ParentBaseFileName"));
	/* Written as Sysmon writes Hashes, so that one column reads alike. */
	sha = event_norm_get(r, "SHA256HashData");
	md5 = event_norm_get(r, "MD5HashData");
	if (sha != NULL && *sha != '\0' && md5 != NULL && *md5 != '\0')
		xasprintf(&c[PROC_PROCESS_HASH], "SHA256=%s,MD5=%s", sha, md5);
	else if (sha != NULL && *sha != '\0')
		xasprintf(&c[PROC_PROCESS_HASH], "SHA256=%s", sha);
	else if (md5 != NULL && *md5 != '\0')
		xasprintf(&c[PROC_PROCESS_HASH], "MD5=%s", md5);
}

/*
 * Is this FDR event_simpleName a process event evtriage loads?  1 for a
 * creation (the synthetic kind is the sensor's account of a process that
 * ran before it started), 2 for EndOfProcess, 0 for any other.
 */
int
event_norm_is_fdr(const char *name)
{
	if (strcmp(name, "ProcessRollup2") == 0 ||
	    strcmp(name, "SyntheticProcessRollup2") == 0)
		return (1);
	return (strcmp(name, "EndOfProcess") == 0 ? 2 : 0);
}

/*
 * Is this a process creation or termination event evtriage loads?
 * Readers ask before they do the costly work of a record's fields.
 */
int
event_norm_is_process(uint32_t id, const char *provider)
{
	if (provider == NULL)
		return (0);
	if (id == 1 || id == 5)
		return (strcmp(provider, "Microsoft-Windows-Sysmon") == 0);
	if (id == 4688 || id == 4689) {
		return (strcmp(provider,
		    "Microsoft-Windows-Security-Auditing") == 0);
	}
	return (0);
}

/* Fill p from a process event; -1 if r is not one. */
int
event_norm(const struct evt_record *r, struct proc_row *p)
{
	char	**c = p->col;
	int	  sysmon, fdr = 0;

	memset(p, 0, sizeof *p);
	if (r->provider != NULL && strcmp(r->provider, "CrowdStrike") == 0 &&
	    (r->channel == NULL || (fdr = event_norm_is_fdr(r->channel)) == 0))
		return (-1);
	if (!fdr && !event_norm_is_process(r->event_id, r->provider))
		return (-1);
	sysmon = (r->event_id == 1 || r->event_id == 5);
	if (fdr)
		p->kind = fdr == 1 ? PROC_KIND_START : PROC_KIND_END;
	else
		p->kind = (r->event_id == 1 || r->event_id == 4688) ?
		    PROC_KIND_START : PROC_KIND_END;
	p->record_index = r->index;
	p->record_id = r->record_id;
	p->recovered = r->recovered;
	p->fast = r->fast;
	p->event_id = r->event_id;
	p->version = r->version;
	c[PROC_TIME] = xstrdup(r->time != NULL ? r->time :
	    "1601-01-01T00:00:00.0000000Z");
	c[PROC_DEST] = event_norm_dup(r->computer);
	c[PROC_PROVIDER] = event_norm_dup(r->provider);
	c[PROC_CHANNEL] = event_norm_dup(r->channel);
	if (fdr)
		event_norm_fdr(r, p);
	else if (sysmon)
		event_norm_sysmon(r, p);
	else
		event_norm_security(r, p);
	c[PROC_PROCESS_NAME] = event_norm_basename(c[PROC_PROCESS_PATH]);
	if (c[PROC_PROCESS_NAME] != NULL)
		c[PROC_PROCESS_EXEC] = xstrdup(c[PROC_PROCESS_NAME]);
	if (c[PROC_PARENT_PROCESS_NAME] == NULL)
		c[PROC_PARENT_PROCESS_NAME] = event_norm_basename(
		    c[PROC_PARENT_PROCESS_PATH]);
	c[PROC_FIELDS] = event_norm_json(r);
	return (0);
}

void
event_norm_clear(struct proc_row *p)
{
	int	i;

	for (i = 0; i < PROC_NCOLS; i++)
		free(p->col[i]);
	memset(p, 0, sizeof *p);
}
