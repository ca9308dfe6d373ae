/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: the event kinds and their fields, building an event from
 * key=value pairs with defaults, and the canonical dump (-x, -X).
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

const struct evtxgen_kind evtxgen_kinds[] = {
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

/* ---- events ----------------------------------------------------------- */

const struct evtxgen_kind *
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
int
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

int	evtxgen_dumptypes;	/* -X: add a type column */
int	evtxgen_pi;		/* -P: a PI target in each EventID */

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

void
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
