#!/bin/bash
# FDR benchmark (not part of make check): in the same run, on the same
# machine, evtriage loading a Sysmon EVTX log through libevtx and an FDR
# export of as many events (JSON lines, plain and gzip'd), in events per
# second; and, for the choice of JSON parser, SQLite's JSON functions
# taking the same fields out of the same lines (parsing only, no load),
# and evtriage's reader alone over them (fdr-parse.c).
#
#	tests/bench/fdr-bench.sh [BUILDDIR] [WORKDIR]
#
# N=200000 events by default; SCALE=0.25 makes a quarter.  Each load runs
# twice and the faster run counts (a shared machine has slow spells).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
work=${2:-/tmp/evtriage-fdr-bench}
scale=${SCALE:-1}
n=$(awk -v s="$scale" 'BEGIN { printf "%d", 200000 * s }')
evtriage=$build/evtriage
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work/evtx" "$work/fdr" "$work/gz"
cd "$work" || exit 1
now() { date +%s.%N; }

[ -e evtx/sysmon.evtx ] ||
    "$build/tests/evtxgen" -n "$n" -k sysmon -s 7 -o evtx/sysmon.evtx
# ProcessRollup2 lines as a sensor writes them (about 40 fields), one in
# five events as in the Sysmon log (the rest: DNS, network, ...).
if [ ! -e fdr/events.json ]; then
	/usr/bin/python3 - "$n" > fdr/events.json << 'EOF'
import json, random, sys
random.seed(7)
n = int(sys.argv[1])
t = 1709633640000
for i in range(n):
    t += random.randint(1, 900)
    if i % 5 != 0:
        print(json.dumps({"event_simpleName": random.choice(["DnsRequest",
            "NetworkConnectIP4", "ImageHash", "ProcessBlocked"]),
            "timestamp": str(t), "aid": "%032x" % (i % 50),
            "DomainName": "host%d.example.com" % i, "RequestType": "1",
            "ContextProcessId": str(4294967296 + i)}))
        continue
    img = random.choice(["msiexec.exe", "cmd.exe", "powershell.exe",
        "svchost.exe", "rundll32.exe"])
    ev = {"event_simpleName": "ProcessRollup2", "name": "ProcessRollup2V19",
        "timestamp": str(t), "ProcessStartTime": "%d.%03d" % (t // 1000, t % 1000),
        "aid": "%032x" % (i % 50), "cid": "c0ffee" * 5 + "00",
        "ComputerName": "HOST%02d" % (i % 50), "event_platform": "Win",
        "RawProcessId": str(1000 + i % 60000),
        "TargetProcessId": str(4294967296 + i),
        "ParentProcessId": str(4294967296 + i // 2),
        "ImageFileName": "\\Device\\HarddiskVolume3\\Windows\\System32\\" + img,
        "CommandLine": "C:\\Windows\\System32\\%s /c something %d \"quoted arg\"" % (img, i),
        "UserName": "user%d" % (i % 30),
        "UserSid": "S-1-5-21-1004336348-1177238915-682003330-%d" % (1000 + i % 30),
        "ParentBaseFileName": "explorer.exe",
        "SHA256HashData": "%064x" % i, "MD5HashData": "%032x" % i,
        "SHA1HashData": "0" * 40, "AuthenticationId": "999",
        "IntegrityLevel": "12288", "TokenType": "1", "SessionId": "1",
        "ConfigBuild": "1007.3.0017706.1", "ConfigStateHash": "1234567890",
        "EffectiveTransmissionClass": "2", "Entitlements": "15",
        "ImageSubsystem": "3", "ProcessCreateFlags": "1024",
        "ProcessParameterFlags": "16385", "ProcessSxsFlags": "1600",
        "RpcClientProcessId": "0", "SourceProcessId": str(4294967296 + i // 2),
        "SourceThreadId": "123456789", "TreeId": "0", "Tags": "25, 27",
        "id": "%08x-0000-0000-0000-%012x" % (i, i),
        "aip": "198.51.100.7", "event_simpleName_v": "1",
        "MachineDomain": "corp.example.com", "OriginalFilename": img.upper(),
        "ParentAuthenticationId": "999", "ProductType": "1",
        "SignInfoFlags": "8683538", "TargetProcessTag": "0"}
    print(json.dumps(ev))
EOF
	gzip -c fdr/events.json > gz/events.json.gz
fi
echo "EVTX: $(du -h evtx/sysmon.evtx | cut -f1), FDR: $(du -h fdr/events.json | cut -f1), gzip'd $(du -h gz/events.json.gz | cut -f1)"

load() { # DIR: the best of two wall times of evtriage load
	_best=""
	for _r in 1 2; do
		rm -f "$1.db" "$1.db"-*
		_s=$(now)
		"$evtriage" load -q -d "$1.db" "$1" 2> /dev/null
		_t=$(awk -v a="$_s" -v b="$(now)" 'BEGIN { print b - a }')
		_best=$(awk -v a="$_t" -v b="$_best" \
		    'BEGIN { print (b == "" || a < b) ? a : b }')
	done
	echo "$_best"
}
records() { sqlite3 "$1.db" 'SELECT sum(records) + sum(recovered) FROM evidence'; }
events() { sqlite3 "$1.db" 'SELECT (SELECT count(*) FROM process) + (SELECT count(*) FROM process_end)'; }

te=$(load evtx); re=$(records evtx); ee=$(events evtx)
tf=$(load fdr); rf=$(records fdr); ef=$(events fdr)
tg=$(load gz); rg=$(records gz); eg=$(events gz)

# SQLite's JSON: the same lines into a table, then the fields the reader
# takes out of each (json_valid first, as a reader must check the line).
rm -f json.db
sqlite3 json.db "CREATE TABLE l (j TEXT)"
printf '.mode ascii\n.separator "\\036" "\\n"\n.import fdr/events.json l\n' |
    sqlite3 json.db
s=$(now)
sqlite3 json.db "SELECT count(*) FROM (SELECT json_extract(j, '\$.event_simpleName',
    '\$.timestamp', '\$.ComputerName', '\$.aid', '\$.UserName', '\$.UserSid',
    '\$.CommandLine', '\$.ImageFileName', '\$.RawProcessId',
    '\$.TargetProcessId', '\$.ParentProcessId', '\$.ParentBaseFileName',
    '\$.SHA256HashData', '\$.MD5HashData') AS v, json_valid(j) AS ok,
    (SELECT json_group_object(key, value) FROM json_each(j)) AS f FROM l)
    WHERE ok" > /dev/null
tj=$(awk -v a="$s" -v b="$(now)" 'BEGIN { print b - a }')
lines=$(wc -l < fdr/events.json)
# evtriage's scanner alone over the same lines: the reader and the
# normaliser as a worker runs them, without the case.
gcc -O2 -std=c11 -include "$build/config.h" -I"$top" -I"$top/triage" \
    -o fdr-parse "$top/tests/bench/fdr-parse.c" "$build/libevtriage.a" \
    $(pkg-config --libs libevtx libbfio libfwnt sqlite3 nettle zlib) || exit 1
tp=$(./fdr-parse fdr/events.json | awk '{ print $4 }')

awk -v te="$te" -v re="$re" -v ee="$ee" -v tf="$tf" -v rf="$rf" \
    -v ef="$ef" -v tg="$tg" -v rg="$rg" -v eg="$eg" -v tj="$tj" \
    -v lines="$lines" -v tp="$tp" 'BEGIN {
	printf "EVTX via libevtx: %d records (%d process events) in %.2f s: %.0f records/s, %.0f process events/s\n", re, ee, te, re / te, ee / te
	printf "FDR JSON lines:   %d events (%d process events) in %.2f s: %.0f events/s, %.0f process events/s\n", rf, ef, tf, rf / tf, ef / tf
	printf "FDR, gzip:        %d events (%d process events) in %.2f s: %.0f events/s, %.0f process events/s\n", rg, eg, tg, rg / tg, eg / tg
	printf "ratio FDR / EVTX, events per second: %.2f plain, %.2f gzip (target >= 1)\n", (rf / tf) / (re / te), (rg / tg) / (re / te)
	printf "SQLite JSON, parsing only (json_valid, 14 json_extract, json_each): %d lines in %.2f s: %.0f lines/s\n", lines, tj, lines / tj
	printf "evtriage FDR reader and normaliser, no case: %d lines in %.2f s: %.0f lines/s (%.2f times SQLite JSON)\n", lines, tp, lines / tp, tj / tp
}' | tee results.txt
