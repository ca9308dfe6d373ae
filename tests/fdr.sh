#!/bin/sh
# CrowdStrike FDR JSON lines (parsers/fdr-read.c): the incident of an
# EVTX scenario written as ProcessRollup2 events by tests/fdrgen.py must
# load as the same process rows, hit the same detections and make the
# same trees; other events are counted and skipped, bad lines reported
# by number, gzip read, the aid_master file used, the evidence left
# unchanged, and a case mixing EVTX and FDR hosts reports every hit with
# its source.
. "${srcdir:-.}/tests/lib.sh"

[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
command -v sqlite3 > /dev/null || skip_all "no sqlite3"
FDRGEN="/usr/bin/python3 $srcdir/tests/fdrgen.py"

# A Sysmon host with a tree around an msiexec /y hit (times to the
# millisecond, as FDR keeps them), a process end and a network event.
cat > "$T/ws01.txt" << 'EOF'
sysmon1 time=2024-03-05T10:14:00Z computer=WS01 Image=C:\Windows\explorer.exe CommandLine=C:\Windows\Explorer.EXE User=CORP\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000001} ProcessId=1000 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000000} ParentProcessId=900 ParentImage=C:\Windows\System32\userinit.exe
sysmon1 time=2024-03-05T10:14:05.500Z computer=WS01 Image=C:\Windows\System32\cmd.exe CommandLine="cmd.exe /c ""install.bat"" %u{e9}" User=CORP\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000002} ProcessId=2000 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000001} ParentProcessId=1000 ParentImage=C:\Windows\explorer.exe
sysmon3 time=2024-03-05T10:14:06Z computer=WS01
sysmon1 time=2024-03-05T10:14:07.123Z computer=WS01 Image=C:\Windows\System32\msiexec.exe CommandLine="msiexec /y C:\Users\bob\x.dll" User=CORP\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000003} ProcessId=3000 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000002} ParentProcessId=2000 ParentImage=C:\Windows\System32\cmd.exe
sysmon1 time=2024-03-05T10:14:08Z computer=WS01 Image=C:\Windows\System32\rundll32.exe CommandLine="rundll32 C:\Users\bob\x.dll,DllRegisterServer" User=CORP\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000004} ProcessId=4000 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000003} ParentProcessId=3000 ParentImage=C:\Windows\System32\msiexec.exe
sysmon5 time=2024-03-05T10:14:09Z computer=WS01 ProcessGuid={5E1B2C3D-0000-0000-0000-000000000004} ProcessId=4000 Image=C:\Windows\System32\rundll32.exe User=CORP\bob
sysmon1 time=2024-03-05T10:20:00Z computer=WS01 Image=C:\Windows\System32\whoami.exe CommandLine="whoami /all" User=CORP\bob ProcessGuid={5E1B2C3D-0000-0000-0000-000000000005} ProcessId=5000 ParentProcessGuid={5E1B2C3D-0000-0000-0000-000000000002} ParentProcessId=2000 ParentImage=C:\Windows\System32\cmd.exe
EOF
# A host with only Security auditing, for the mixed case.
cat > "$T/srv02.txt" << 'EOF'
4688 version=2 time=2024-03-05T11:00:00Z computer=SRV02 SubjectUserName=alice SubjectDomainName=CORP NewProcessId=0x1a2c ProcessId=0x44 NewProcessName=C:\Windows\System32\msiexec.exe CommandLine="msiexec -y x.dll" ParentProcessName=C:\Windows\System32\services.exe
EOF
# The same incident on WS02, whose sensor sent no ComputerName.
sed 's/computer=WS01/computer=WS02/' "$T/ws01.txt" > "$T/ws02.txt"

mkdir -p "$T/evtx" "$T/fdr" "$T/mixed" "$T/gz" "$T/aid"
"$EVTXGEN" -o "$T/evtx/WS01.evtx" "$T/ws01.txt" || exit 1
"$EVTXGEN" -o "$T/mixed/SRV02.evtx" "$T/srv02.txt" || exit 1
$FDRGEN "$T/ws01.txt" > "$T/fdr/ws01.json" || exit 1
cp "$T/fdr/ws01.json" "$T/mixed/ws01.json"
# And a third host whose log came as an XML export (wevtutil, wrapped).
sed 's/computer=WS01/computer=WS03/' "$T/ws01.txt" > "$T/ws03.txt"
"$EVTXGEN" -o "$T/ws03.evtx" "$T/ws03.txt" || exit 1
/usr/bin/python3 "$srcdir/tests/xml-export.py" wrapped "$T/ws03.evtx" \
    "$T/mixed/WS03.xml" || exit 1
gzip -c "$T/fdr/ws01.json" > "$T/gz/ws01.json.gz"
$FDRGEN -a WS02 "$T/ws02.txt" > "$T/aid/ws02.json" || exit 1
sum_before=$(cd "$T" && sha256sum fdr/* gz/* aid/* mixed/*)

scan() { # CASE EVIDENCE... (the status in $T/$1.status)
	_c=$1; shift
	"$EVTRIAGE" scan -n -d "$T/$_c.db" "$@" > "$T/$_c.out" 2> "$T/$_c.err"
	echo $? > "$T/$_c.status"
}
q() { sqlite3 "$T/$1.db" "$2"; }

scan evtx "$T/evtx"
scan fdr "$T/fdr"
check_eq "an FDR file with hits exits 3" 3 "$(cat "$T/fdr.status")"
check "the file is identified by content" grep -q "1 read" "$T/fdr.err"

# The CIM columns both give.  FDR has no parent pid, path or command
# line, no GUIDs (its ids stand there), no logon id, integrity level or
# original file name: those columns differ and are not compared.
cols="_time, dest, user, process, process_name, process_exec, process_path,
    process_id, parent_process_name"
q evtx "SELECT $cols FROM process ORDER BY _time" > "$T/rows.evtx"
q fdr "SELECT $cols FROM process ORDER BY _time" > "$T/rows.fdr"
check_file "the same process rows as the EVTX scan" "$T/rows.evtx" \
    "$T/rows.fdr"
check_eq "five process rows" 5 "$(wc -l < "$T/rows.fdr")"
check_eq "EndOfProcess is a process end" "4000|4294972296" \
    "$(q fdr "SELECT process_id, process_guid FROM process_end")"
check_eq "the source of a row: provider, channel, vendor" \
    "CrowdStrike|ProcessRollup2|CrowdStrike Falcon" \
    "$(q fdr "SELECT DISTINCT provider, channel, vendor_product FROM process")"
check_eq "tree links from TargetProcessId and ParentProcessId" \
    "4294971296|4294970296" \
    "$(q fdr "SELECT process_guid, parent_process_guid FROM process
        WHERE process_name = 'msiexec.exe'")"
check_eq "a row's line number is its record id" "4" \
    "$(q fdr "SELECT record_id FROM process WHERE process_name = 'msiexec.exe'")"
check_eq "the user's SID" "S-1-5-21-1004336348-1177238915-682003330-1001" \
    "$(q fdr "SELECT DISTINCT user_id FROM process")"
check_eq "other events counted, not loaded: 7 lines read, 6 loaded" "7|6" \
    "$(q fdr "SELECT records, (SELECT count(*) FROM process) +
        (SELECT count(*) FROM process_end) FROM evidence")"

hits="SELECT detection, dest, user, json_extract(output, '\$.process')
    FROM hit ORDER BY detection, dest"
q evtx "$hits" > "$T/hits.evtx"
q fdr "$hits" > "$T/hits.fdr"
check_file "the same hits as the EVTX scan" "$T/hits.evtx" "$T/hits.fdr"
check "a ProcessRollup2 msiexec /y is a seed hit" grep -q \
    '^windows_msiexec_dllregisterserver|WS01|CORP\\bob|msiexec /y' \
    "$T/hits.fdr"

# Trees, without the parent that was never logged: Sysmon names its pid,
# FDR does not.
tree() { # CASE: the tree of the msiexec /y hit, after the hit's header
	_h=$(q "$1" "SELECT id FROM hit WHERE detection =
	    'windows_msiexec_dllregisterserver'")
	"$EVTRIAGE" tree -d "$T/$1.db" -H "$_h" | sed '1,/^$/d' |
	    grep -v 'not in the logs'
}
tree evtx > "$T/tree.evtx"
tree fdr > "$T/tree.fdr"
check_file "the same tree as the EVTX scan" "$T/tree.evtx" "$T/tree.fdr"
check "the tree has the hit's child" grep -q "rundll32.exe (4000)" \
    "$T/tree.fdr"

# gzip, through zlib over the stream.
scan gz "$T/gz"
q gz "SELECT $cols FROM process ORDER BY _time" > "$T/rows.gz"
check_file "a gzip'd export gives the same rows" "$T/rows.fdr" "$T/rows.gz"
check_eq "a gzip'd export with hits exits 3" 3 "$(cat "$T/gz.status")"
head -c 300 "$T/gz/ws01.json.gz" > "$T/gz-cut.json.gz"
mkdir -p "$T/gzcut" && mv "$T/gz-cut.json.gz" "$T/gzcut/"
scan gzcut "$T/gzcut"
check_eq "a gzip stream cut short: not read in full" 1 \
    "$(cat "$T/gzcut.status")"
check "its problem is said" grep -q "cut short" <<EOF
$(q gzcut "SELECT reason FROM problem")
EOF
mkdir -p "$T/gztail"
{ cat "$T/gz/ws01.json.gz"; echo "not gzip"; } > "$T/gztail/ws01.json.gz"
scan gztail "$T/gztail"
check_eq "data after the gzip stream: hits, not read in full (exit 4)" 4 \
    "$(cat "$T/gztail.status")"
check_eq "data after the gzip stream: said, the events before it loaded" \
    "5|data after the gzip stream" \
    "$(q gztail "SELECT (SELECT count(*) FROM process),
        substr(reason, instr(reason, ': ') + 2) FROM problem")"
mkdir -p "$T/gztwo"
{ head -n 3 "$T/fdr/ws01.json" | gzip -c; tail -n +4 "$T/fdr/ws01.json" |
    gzip -c; } > "$T/gztwo/ws01.json.gz"
scan gztwo "$T/gztwo"
q gztwo "SELECT $cols FROM process ORDER BY _time" > "$T/rows.gztwo"
check_file "two gzip members are one stream" "$T/rows.fdr" "$T/rows.gztwo"

# aid_master: the host name of an agent id.
scan noaid "$T/aid"
aid=$(printf WS02 | md5sum | cut -d' ' -f1)
check_eq "without aid_master, dest is the aid" "$aid" \
    "$(q noaid "SELECT DISTINCT dest FROM process")"
printf '{"aid":"%s","ComputerName":"WS02","AgentVersion":"7.10"}\n' \
    "$aid" > "$T/aid_master.json"
printf '{"aid":"0123","ComputerName":"OTHER"}\nnot json\n' \
    >> "$T/aid_master.json"
"$EVTRIAGE" scan -n -M "$T/aid_master.json" -d "$T/withaid.db" "$T/aid" \
    > /dev/null 2> "$T/withaid.err"
check_eq "with -M, dest is the host's name" "WS02" \
    "$(q withaid "SELECT DISTINCT dest FROM process")"
check "a bad aid_master line is warned about" grep -q "line 3" \
    "$T/withaid.err"
check_eq "the case records the aid_master file" "$T/aid_master.json" \
    "$(q withaid "SELECT value FROM case_info WHERE key = 'aid_master'")"
check_status "a missing aid_master file is a usage error" 2 \
    "$EVTRIAGE" scan -n -M "$T/nonesuch.json" -d "$T/x.db" "$T/aid"

# Bad lines: counted and reported by line number; the rest loads.
mkdir -p "$T/bad"
{
	head -n 2 "$T/fdr/ws01.json"
	echo 'not json at all'
	printf '%s\n' '{"event_simpleName":"ProcessRollup2","ComputerName":"WS01"}'
	printf '%s\n' '{"event_simpleName":5,"ComputerName":"WS01"}'
	printf '%s\n' '{"event_simpleName":"ProcessRollup2","timestamp":"soon","ComputerName":"WS01","CommandLine":"x"}'
	printf '{"a":%s1%s}\n' "$(printf '[%.0s' $(seq 40))" \
	    "$(printf ']%.0s' $(seq 40))"
	printf '{"event_simpleName":"ProcessRollup2","timestamp":"1709633647123","ComputerName":"WS01","CommandLine":"a\\u0000b \\ud800 \377","RawProcessId":"7"}\n'
	printf '{"event_simpleName":"DnsRequest","x":"\377\376"}\n'
	printf '%s\n' '{"event_simpleName":"ProcessRollup2"'
	printf '%s\n' '{"a":"b"} trailing'
	/usr/bin/python3 -c 'print("{\"a\":\"" + "x" * 1100000 + "\"}")'
	tail -n +3 "$T/fdr/ws01.json"
} > "$T/bad/ws01.json"
scan bad "$T/bad"
check_eq "bad lines: hits, not read in full (exit 4)" 4 \
    "$(cat "$T/bad.status")"
check_eq "bad lines reported by number" "3 4 5 6 7 10 11 12" \
    "$(q bad "SELECT record_index + 1 FROM problem WHERE kind = 'record'
        ORDER BY record_index" | tr '\n' ' ' | sed 's/ $//')"
check "the reason names the line" grep -q \
    "^line 12: longer than 1 MB" <<EOF
$(q bad "SELECT reason FROM problem")
EOF
check_eq "the good lines load around them" 6 \
    "$(q bad "SELECT count(*) FROM process")"
check_eq "\\u0000, a lone surrogate and a bad byte become U+FFFD" \
    "a�b � �" "$(q bad "SELECT process FROM process WHERE process_id = 7")"
check_eq "the unreadable lines are counted" 8 \
    "$(q bad "SELECT unreadable FROM evidence")"

# SyntheticProcessRollup2 (a process that ran before the sensor) with
# only ProcessStartTime, in seconds; CRLF line ends; no final newline.
mkdir -p "$T/synth"
printf '%s\r\n\r\n%s' \
    '{"event_simpleName":"SyntheticProcessRollup2","ProcessStartTime":"1709633647.25","ComputerName":"WS03","ImageFileName":"\\Device\\HarddiskVolume3\\Windows\\System32\\msiexec.exe","CommandLine":"msiexec.exe /y C:\\x.dll","RawProcessId":"0x10"}' \
    '{"event_simpleName":"EndOfProcess","timestamp":"1709633648000","ComputerName":"WS03","RawProcessId":"16"}' \
    > "$T/synth/s.json"
scan synth "$T/synth"
check_eq "SyntheticProcessRollup2, time from ProcessStartTime" \
    "2024-03-05T10:14:07.2500000Z|WS03|msiexec.exe|16|\\Device\\HarddiskVolume3\\Windows\\System32\\msiexec.exe" \
    "$(q synth "SELECT _time, dest, process_name, process_id, process_path FROM process")"
check_eq "a line without a newline at the end is read" \
    "2024-03-05T10:14:08.0000000Z|16" \
    "$(q synth "SELECT _time, process_id FROM process_end")"
check_eq "a synthetic msiexec /y is a hit too" 3 "$(cat "$T/synth.status")"

# One case, an EVTX host, an FDR host and an XML export host: every hit,
# each with its source.
scan mixed "$T/mixed"
check_eq "mixed case: hits, all read (exit 3)" 3 "$(cat "$T/mixed.status")"
check "mixed case: the summary says what the logs are" grep -q \
    "evtriage: 3 logs (1 EVTX, 1 XML export, 1 FDR export) (3 read," \
    "$T/mixed.err"
check_eq "mixed case: the seed hits of every host" "SRV02 WS01 WS03" \
    "$(q mixed "SELECT dest FROM hit WHERE detection =
        'windows_msiexec_dllregisterserver' ORDER BY dest" | tr '\n' ' ' |
        sed 's/ $//')"
check_eq "mixed case: each row's source is recorded" \
    "SRV02|Microsoft-Windows-Security-Auditing|SRV02.evtx WS01|CrowdStrike|ws01.json WS03|Microsoft-Windows-Sysmon|WS03.xml" \
    "$(q mixed "SELECT DISTINCT p.dest, p.provider, replace(e.path, '$T/mixed/', '')
        FROM hit h JOIN hit_row r ON r.hit_id = h.id
        JOIN process p ON p.id = r.row_id JOIN evidence e ON e.id = p.evidence_id
        WHERE h.detection = 'windows_msiexec_dllregisterserver'
        ORDER BY p.dest" | tr '\n' ' ' | sed 's/ $//')"
"$EVTRIAGE" report -d "$T/mixed.db" -f csv -o "$T/hits.csv" > /dev/null 2>&1
check "mixed case: one report with both sources" grep -q "ws01.json" \
    "$T/hits.csv"
check "mixed case: the report has the EVTX host too" grep -q "SRV02.evtx" \
    "$T/hits.csv"
check "mixed case: the report has the XML export host too" grep -q \
    "WS03.xml" "$T/hits.csv"

# ... and one browser (in a tmux pane) shows the hits of both hosts.
if command -v tmux > /dev/null 2>&1; then
	TM="tmux -L evtriage-fdr-$$ -f /dev/null"
	trap '$TM kill-server > /dev/null 2>&1; rm -rf "$T"' EXIT
	nhits=$(q mixed "SELECT count(*) FROM hit")
	$TM new-session -d -s t -x 160 -y 40 \
	    "LC_ALL=C.UTF-8 '$EVTRIAGE' browse -d '$T/mixed.db'; sleep 60"
	seen() { # TEXT: poll the pane until it shows TEXT (5 s)
		_i=0
		while [ $_i -lt 100 ]; do
			$TM capture-pane -p -t t | grep -qF -- "$1" && return 0
			sleep 0.05
			_i=$((_i + 1))
		done
		$TM capture-pane -p -t t | sed 's/^/#   | /'
		return 1
	}
	check "mixed case: the browser lists every hit" seen \
	    "$nhits hits, newest first"
	check "mixed case: the browser shows the EVTX host" seen "SRV02"
	check "mixed case: the browser shows the FDR host" seen "WS01"
	check "mixed case: the browser shows the XML export host" seen "WS03"
	$TM send-keys -t t q
	$TM kill-server > /dev/null 2>&1
else
	skip "mixed case: the browser (no tmux)"
fi

sum_after=$(cd "$T" && sha256sum fdr/* gz/* aid/* mixed/*)
check_eq "the evidence is unchanged" "$sum_before" "$sum_after"

finish
