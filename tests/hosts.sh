#!/bin/sh
# The hosts of a case (db/db-host.c): evtriage hosts in each format, the
# table after the scan summary and the HTML report's executive summary,
# on the samples and on generated hosts: a Security log without 4688
# (process auditing off), 4688 without command lines, an FDR host, a
# hostile host name and more hosts than the scan's table shows.
. "${srcdir:-.}/tests/lib.sh"

command -v sqlite3 > /dev/null || skip_all "no sqlite3"

# The samples: three hosts, Sysmon and Security.
"$EVTRIAGE" scan -n -d "$T/s.db" "$srcdir/samples/evidence" \
    > /dev/null 2> "$T/s.err"
"$EVTRIAGE" hosts -d "$T/s.db" > "$T/s.txt"
check_eq "samples: a line a host and a header" 4 "$(wc -l < "$T/s.txt")"
for h in SRV02 WS01 WS03; do
	check "samples: $h listed" grep -q "^$h\.corp\.example\.com " "$T/s.txt"
done
check "samples: SRV02 is Security" \
    grep -q '^SRV02.corp.example.com  *Security ' "$T/s.txt"
check "samples: WS01 is Sysmon" \
    grep -q '^WS01.corp.example.com  *Sysmon ' "$T/s.txt"
# The TSV equals a count straight from the case.
"$EVTRIAGE" hosts -d "$T/s.db" -f tsv | tail -n +2 | cut -f 1,3,5,6,7 \
    > "$T/s.tsv"
sqlite3 -separator '	' "$T/s.db" "SELECT dest, count(*), \
    (SELECT min(t) FROM (SELECT min(_time) t FROM process p WHERE \
    p.dest = x.dest UNION ALL SELECT min(_time) FROM process_end e WHERE \
    e.dest = x.dest)), (SELECT max(t) FROM (SELECT max(_time) t FROM \
    process p WHERE p.dest = x.dest UNION ALL SELECT max(_time) FROM \
    process_end e WHERE e.dest = x.dest)), count(DISTINCT evidence_id) \
    FROM process x GROUP BY dest ORDER BY dest" > "$T/s.sql"
check_file "samples: tsv equals the case's own counts" "$T/s.sql" "$T/s.tsv"
"$EVTRIAGE" hosts -d "$T/s.db" -f csv > "$T/s.csv"
check_eq "samples: csv header" '"host","sources","process_events","end_events","first","last","files","unreadable","problems","incomplete_files","security_4688","no_command_line","auditing_off","flag","records"' \
    "$(head -1 "$T/s.csv" | tr -d '\r')"
check "samples: csv row" grep -q '^"WS03.corp.example.com","Sysmon","3","1",' \
    "$T/s.csv"
"$EVTRIAGE" hosts -d "$T/s.db" -f json > "$T/s.json"
check "samples: json lines parse" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["host"] for r in rows] == ["SRV02.corp.example.com",
    "WS01.corp.example.com", "WS03.corp.example.com"], rows
assert rows[0]["sources"] == "Security" and rows[0]["security_4688"] == 4
assert sum(r["process_events"] for r in rows) == 15
' "$T/s.json"
check_status "hosts: bad format is a usage error" 2 \
    "$EVTRIAGE" hosts -d "$T/s.db" -f xml
check_status "hosts: no case is an error" 2 \
    "$EVTRIAGE" hosts -d "$T/none.db"

# The scan's table: after the summary line, which stays the first line.
check "scan: summary first" grep -q '^evtriage: 3 EVTX files (3 read' \
    "$T/s.err"
check "scan: hosts table after it" grep -q '^HOST  *SOURCES  *EVENTS' \
    "$T/s.err"
check "scan: table lists WS03" grep -q '^WS03.corp.example.com ' "$T/s.err"
"$EVTRIAGE" scan -n -q -d "$T/q.db" "$srcdir/samples/evidence" \
    > /dev/null 2> "$T/q.err"
check "scan -q: no hosts table" sh -c "! grep -q '^HOST ' '$T/q.err'"
"$EVTRIAGE" load -d "$T/l.db" "$srcdir/samples/evidence" 2> "$T/l.err"
check "load: the summary line alone" test "$(wc -l < "$T/l.err")" = 1

# Generated hosts: auditing off (4689 but no 4688), 4688 without command
# lines, a Security log none of whose records is a process event (its
# host is not known: the case keeps no computer name of such a log),
# an FDR host and a name with an escape sequence and a tab.
mkdir -p "$T/g/a" "$T/g/b" "$T/g/c" "$T/g/d" "$T/g/e"
mkevtx "$T/g/a/Security.evtx" \
"4624 time=2024-03-05T10:00:00Z computer=NOAUDIT TargetUserName=bob
4689 time=2024-03-05T10:00:05Z computer=NOAUDIT ProcessId=0x10 ProcessName=C:\\Windows\\System32\\cmd.exe" || exit 1
mkevtx "$T/g/b/Security.evtx" \
"4688 version=2 time=2024-03-05T11:00:00Z computer=NOCMD NewProcessId=0x1a2c ProcessId=0x44 NewProcessName=C:\\Windows\\System32\\msiexec.exe ParentProcessName=C:\\Windows\\System32\\services.exe omit=CommandLine" \
    || exit 1
mkevtx "$T/g/c/Security.evtx" \
"4624 time=2024-03-05T12:00:00Z computer=QUIET TargetUserName=bob" || exit 1
mkevtx "$T/g/e/Sysmon.evtx" \
"sysmon1 time=2024-03-05T13:00:00Z computer=\"EV%x1bIL%x09X\" Image=C:\\Windows\\System32\\cmd.exe CommandLine=cmd User=CORP\\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000001} ProcessId=1 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000000} ParentProcessId=2 ParentImage=C:\\x.exe" \
    || exit 1
if [ -x /usr/bin/python3 ]; then
	printf '%s\n' "sysmon1 time=2024-03-05T14:00:00Z computer=FALCON Image=C:\\Windows\\System32\\cmd.exe CommandLine=cmd User=CORP\\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000001} ProcessId=1 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000000} ParentProcessId=2 ParentImage=C:\\x.exe" \
	    > "$T/fdr.txt"
	/usr/bin/python3 "$srcdir/tests/fdrgen.py" "$T/fdr.txt" \
	    > "$T/g/d/falcon.json" || exit 1
fi
"$EVTRIAGE" scan -n -d "$T/g.db" -o "$T/out" "$T/g" > /dev/null 2> "$T/g.err"
"$EVTRIAGE" hosts -d "$T/g.db" > "$T/g.txt"
check "auditing off: flagged" \
    grep -q '^NOAUDIT .*Security log without 4688: process auditing off' \
    "$T/g.txt"
check "no command lines: flagged" \
    grep -q '^NOCMD .*4688 without command lines (1 of 1)' "$T/g.txt"
check "a Security log with no process event: flagged, host not known" \
    grep -q '^(no process events) .*Security .*without 4688 or 4689: auditing off?' \
    "$T/g.txt"
if [ -x /usr/bin/python3 ]; then
	check "FDR host: its source" grep -q '^FALCON  *FDR ' "$T/g.txt"
else
	skip "FDR host: its source"
fi
check "hostile name: escaped in text" grep -q '^EV\\x1bIL\\tX ' "$T/g.txt"
check "hostile name: no raw escape in text" \
    sh -c "! grep -q \"\$(printf '\\033')\" '$T/g.txt'"
check "hostile name: no raw escape in the scan table" \
    sh -c "! grep -q \"\$(printf '\\033')\" '$T/g.err'"
"$EVTRIAGE" hosts -d "$T/g.db" -f tsv > "$T/g.tsv"
check_eq "tsv: every row has 15 cells" 15 \
    "$(awk -F '\t' '{print NF}' "$T/g.tsv" | sort -u)"
"$EVTRIAGE" hosts -d "$T/g.db" -f json > "$T/g.json"
check "json: the name as it was, the unknown host null" python3 -c '
import json, sys
rows = {r["host"]: r for r in map(json.loads, open(sys.argv[1]))}
assert "EV\x1bIL\tX" in rows, rows.keys()
assert rows[None]["auditing_off"] == 1 and rows[None]["files"] == 1
assert rows["NOAUDIT"]["auditing_off"] == 1
assert rows["NOCMD"]["no_command_line"] == 1
' "$T/g.json"
check "scan -o: hosts.csv" grep -q '^"NOCMD",' "$T/out/hosts.csv"
"$EVTRIAGE" hosts -d "$T/g.db" -f csv > "$T/g.csv"
"$EVTRIAGE" report -d "$T/g.db" -f csv -t hosts -o "$T/g-report.csv"
check_file "report -t hosts -f csv is hosts -f csv" "$T/g.csv" "$T/g-report.csv"
check_file "scan -o: hosts.csv is hosts -f csv" "$T/g.csv" "$T/out/hosts.csv"
"$EVTRIAGE" report -d "$T/g.db" -f jsonl -t hosts -o "$T/g-report.jsonl"
check_file "report -t hosts -f jsonl is hosts -f json" "$T/g.json" \
    "$T/g-report.jsonl"
check "scan -o: hosts.jsonl" grep -q '"host":"NOAUDIT"' "$T/out/hosts.jsonl"

# The HTML report leads with the summary: verdict, scope, hosts, before
# the first evidence table; every host is in it, the hostile one escaped.
H="$T/out/report.html"
check "html: summary before the evidence" awk '
/id="executive"/ { s = NR } /id="evidence"/ { e = NR }
END { exit !(s > 0 && e > s) }' "$H"
check "html: the hits before the evidence" awk '
/id="hits"/ { s = NR } /id="evidence"/ { e = NR }
END { exit !(s > 0 && e > s) }' "$H"
check "html: verdict" grep -q 'id="verdict"' "$H"
check "html: scope" grep -q \
    '<tr><th>Scope</th><td>5 detections ran over [0-9]* process events from [34] hosts' "$H"
for h in NOAUDIT NOCMD; do
	check "html: $h in the summary" grep -q "<tr><td>$h</td>" "$H"
done
check "html: auditing off in words" \
    grep -q 'Security log without 4688: process auditing off' "$H"
check "html: hostile name escaped" grep -q 'EV<span class="c">\\x1b</span>IL' "$H"
check "html: an SVG timeline, no script" sh -c \
    "grep -q '<svg xmlns' '$H' && ! grep -qi '<script' '$H'"
check "html: no hits, said with what ran" sh -c \
    "grep -q '<p class=\"verdict\" id=\"verdict\"><strong>No hits</strong>.</p>' '$H' &&
    grep -q '<th>Detections</th><td>windows_msiexec_dllregisterserver: all events' '$H'"
# A damaged log: never "No hits" alone.
mkdir -p "$T/p"
mkevtx "$T/full.evtx" \
"4688 version=2 time=2024-03-05T11:00:00Z computer=DMG NewProcessId=0x1a2c ProcessId=0x44 NewProcessName=C:\\Windows\\System32\\whoami.exe CommandLine=whoami ParentProcessName=C:\\Windows\\System32\\cmd.exe" \
    || exit 1
head -c 20000 "$T/full.evtx" > "$T/p/Security.evtx"
"$EVTRIAGE" scan -n -q -d "$T/p.db" -o "$T/pout" "$T/p" > /dev/null 2>&1
check "html: a damaged log is not clean" grep -q \
    'No hits in what was read, but not all evidence was read</strong>; 1 evidence file not read in full' \
    "$T/pout/report.html"
"$EVTRIAGE" report -d "$T/s.db" -o "$T/s.html"
check "html samples: hits by detection and host" grep -q \
    '<tr><td>windows_msiexec_dllregisterserver</td><td>WS01.corp.example.com</td><td class="n">1</td>' \
    "$T/s.html"
check "html samples: every host" sh -c "[ \$(grep -c \
    '<tr><td>[A-Z0-9]*\.corp\.example\.com</td><td>S' '$T/s.html') = 3 ]"
check "html samples: hits on 3 hosts" \
    grep -q '<mark>8 hits</mark> on 3 hosts' "$T/s.html"

# More hosts than the scan's table shows: "and N more hosts".
: > "$T/many.txt"
i=1
while [ $i -le 23 ]; do
	echo "sysmon1 time=2024-03-05T10:00:$(printf %02d $i)Z computer=H$(printf %02d $i) Image=C:\\a.exe CommandLine=a ProcessGuid={5E1B2C3D-0000-0000-0000-0000000000$(printf %02d $i)} ProcessId=$i" >> "$T/many.txt"
	i=$((i + 1))
done
mkdir -p "$T/many"
"$EVTXGEN" -o "$T/many/Sysmon.evtx" "$T/many.txt" || exit 1
"$EVTRIAGE" scan -n -d "$T/m.db" "$T/many" > /dev/null 2> "$T/m.err"
check "many hosts: 20 shown" sh -c "[ \$(grep -c '^H[0-9][0-9] ' '$T/m.err') = 20 ]"
check "many hosts: and 3 more" grep -q '^and 3 more hosts$' "$T/m.err"
check_eq "many hosts: hosts lists all" 23 \
    "$("$EVTRIAGE" hosts -d "$T/m.db" | grep -c '^H[0-9]')"

# Events with no computer name are a host of their own, not "no events".
mkdir -p "$T/nc"
mkevtx "$T/nc/a.evtx" \
"sysmon1 time=2024-03-05T13:00:00Z computer=\"\" Image=C:\\Windows\\System32\\cmd.exe CommandLine=cmd ProcessGuid={5E1B2C3D-0000-0000-0000-000000000001} ProcessId=1" \
    || exit 1
"$EVTRIAGE" scan -n -q -d "$T/nc.db" -o "$T/ncout" "$T/nc" > /dev/null 2>&1
check "no computer name: its own host" \
    grep -q '^(no computer name) *Sysmon *1 ' "$("$EVTRIAGE" hosts -d "$T/nc.db" > "$T/nc.txt"; echo "$T/nc.txt")"
check "no computer name: in the HTML" \
    grep -q 'events with no computer name' "$T/ncout/report.html"

# The real collection: as many hosts as the case has distinct process
# hosts, and each host's events are the case's own count.
if [ -d "$EVTRIAGE_REAL" ]; then
	"$EVTRIAGE" scan -n -q -d "$T/real.db" "$EVTRIAGE_REAL" > /dev/null 2>&1
	"$EVTRIAGE" hosts -d "$T/real.db" -f tsv | tail -n +2 | \
	    awk -F '\t' '$1 != "" { print $1 "\t" $3 }' > "$T/real.tsv"
	sqlite3 -separator '	' "$T/real.db" "SELECT dest, count(*) FROM \
	    process GROUP BY dest UNION SELECT dest, 0 FROM process_end \
	    WHERE dest NOT IN (SELECT dest FROM process WHERE dest IS NOT \
	    NULL) GROUP BY dest ORDER BY 1" > "$T/real.sql"
	check_file "real collection: the hosts are the case's" \
	    "$T/real.sql" "$T/real.tsv"
	"$EVTRIAGE" report -d "$T/real.db" -o "$T/real.html"
	check_eq "real collection: the summary lists every host" \
	    "$(wc -l < "$T/real.tsv")" \
	    "$(sed -n '/id="hosts"/,/<\/table>/p' "$T/real.html" | grep -c '^<tr><td>[^<]')"
else
	skip "real collection: no $EVTRIAGE_REAL"
fi

# The browser on a case with no hits opens on the hosts; Enter opens a
# host's timeline at its first event, Enter there the process's tree.
if command -v tmux > /dev/null 2>&1; then
	tm_init hosts
	cp "$T/g.db" "$T/nohits.db"
	$TM new-session -d -s t -x 100 -y 30 \
	    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -d nohits.db; sleep 60"
	check "browse: opens on the hosts" \
	    tm_wait "no hits in this case: Enter opens a host's timeline"
	tm_screen > "$T/b-hosts.txt"
	check "browse: the hosts view lists NOCMD" \
	    grep -q '^NOCMD' "$T/b-hosts.txt"
	check "browse: the flag in words" \
	    grep -q '^  ! 4688 without command lines$' "$T/b-hosts.txt"
	check "browse: the hostile name escaped" \
	    grep -qF 'EV\x1bIL\tX' "$T/b-hosts.txt"
	# FALCON (with python3) or NOAUDIT, NOCMD: go to NOCMD's heading.
	tm_keys /; tm_keys -l NOCMD; tm_keys Enter
	tm_keys Enter
	check "browse: Enter opens the host's timeline" \
	    tm_wait "Timeline of NOCMD"
	check "browse: at its first event" tm_wait "msiexec.exe"
	tm_keys Enter
	check "browse: Enter opens the process's tree" tm_wait "Tree of"
	tm_screen > "$T/b-tree.txt"
	check "browse: the tree shows msiexec" grep -q 'msiexec.exe' \
	    "$T/b-tree.txt"
else
	skip "browse: no tmux"
fi

finish
