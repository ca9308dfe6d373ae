/* SPDX-License-Identifier: ISC */
/*
 * evtxgen: large synthetic logs (-n) for benchmarks.
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

void
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
