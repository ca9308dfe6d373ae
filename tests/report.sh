#!/bin/sh
# Reports: golden files of every format on a case made from
# tests/scenarios/report*.txt, determinism, time zones, exit statuses and
# batch conventions.  Regenerate the golden files with
# EVTRIAGE_REGEN=1 make check after checking the differences by eye.
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x "$EVTXGEN" ] || skip_all "no evtxgen"
srcdir=$(cd "$srcdir" && pwd)
exp=$srcdir/tests/expected
# The case records the command line, so run evtriage by its bare name.
mkdir "$T/bin" && ln -s "$EVTRIAGE" "$T/bin/evtriage"
PATH=$T/bin:$PATH
cd "$T" || exit 2

"$EVTXGEN" -o r.evtx "$srcdir/tests/scenarios/report.txt" &&
    "$EVTXGEN" -d -o dirty.evtx "$srcdir/tests/scenarios/report-dirty.txt" ||
    skip_all "evtxgen failed"
touch -d 2024-03-06T00:00:00Z r.evtx dirty.evtx
cat > f.csv <<'CSV'
filter,detection,field,pattern,reason,added_by,added_at,expires
1,windows_msiexec_dllregisterserver,dest,BUILD03,build server registers its own DLLs,tester,2024-03-01T00:00:00Z,
CSV

# One worker, so that row ids follow the order of the files.
evtriage scan -q -j 1 -F f.csv -d case.db -o out r.evtx dirty.evtx \
    > scan.out 2> scan.err
check_eq "scan with hits exits 3" 3 $?
for f in report.html hits.csv hits.jsonl timeline.csv timeline.jsonl \
    timesketch.jsonl; do
	case $f in
	report.html) e=report.html ;;
	*) e=report.$f ;;
	esac
	[ -n "$EVTRIAGE_REGEN" ] && cp "out/$f" "$exp/$e"
	check_file "scan -o writes $f as expected" "$exp/$e" "out/$f"
done
check_eq "scan -o writes the reports and no temporary files" \
    "evidence.csv hits.csv hits.jsonl hosts.csv hosts.jsonl report.html timeline.csv timeline.jsonl timesketch.jsonl" \
    "$(ls out | tr '\n' ' ' | sed 's/ $//')"

# The report command renders the same from the case.
evtriage report -d case.db -f html -o a.html
check_eq "report exits 0" 0 $?
check_file "report -f html equals scan's report.html" out/report.html a.html
evtriage report -d case.db -f csv > hits.csv
check_file "report -f csv to stdout equals hits.csv" out/hits.csv hits.csv
evtriage report -d case.db -f jsonl -t hits -o - > hits.jsonl
check_file "report -f jsonl -o - equals hits.jsonl" out/hits.jsonl hits.jsonl
evtriage report -d case.db -f csv -t timeline -o tl.csv
check_file "report -t timeline equals timeline.csv" out/timeline.csv tl.csv
evtriage report -d case.db -f jsonl -t timeline -o tl.jsonl
check_file "report -f jsonl -t timeline equals timeline.jsonl" \
    out/timeline.jsonl tl.jsonl
evtriage report -d case.db -f timesketch -o ts.jsonl
check_file "report -f timesketch equals timesketch.jsonl" \
    out/timesketch.jsonl ts.jsonl

# Nothing but the report on stdout; nothing on stderr when all is well.
evtriage report -d case.db -f jsonl 2> err.txt | cat > piped.jsonl
check_file "a piped report is the report alone" out/hits.jsonl piped.jsonl
check_eq "a report writes nothing to stderr" "" "$(cat err.txt)"

# Determinism: byte for byte, but for the one line with the clock.
for fmt in html csv jsonl timesketch; do
	evtriage report -d case.db -f $fmt -t timeline -o d1.$fmt
	evtriage report -d case.db -f $fmt -t timeline -o d2.$fmt
	check "two $fmt reports are identical" cmp -s d1.$fmt d2.$fmt
done
EVTRIAGE_NOW=2031-02-03T04:05:06Z evtriage report -d case.db -o later.html
check_eq "a later report differs in one line only" 1 \
    "$(diff a.html later.html | grep -c '^>')"
check "that line is the generation time" \
    grep -q 'Report made</th><td>2031-02-03 04:05:06Z' later.html

# Time zones: UTC by default and said so; -z renders another zone.
check "html says times are UTC" grep -q '<th>Times</th><td>UTC' a.html
evtriage report -d case.db -z Europe/Berlin -o berlin.html
check "-z renders html times in the zone" \
    grep -q '2024-03-05 11:14:07.1234567+01:00' berlin.html
check "-z names the zone" grep -q '<th>Times</th><td>Europe/Berlin' \
    berlin.html
check "-z keeps the detection's own firstTime" \
    grep -q '03/05/2024 10:14:07' berlin.html
evtriage report -d case.db -f csv -t timeline -z America/New_York \
    -o ny.csv
check "-z renders timeline _time in the zone" \
    grep -q '"2024-03-05T05:14:07.1234567-05:00"' ny.csv
evtriage report -d case.db -f timesketch -z Asia/Tokyo -o tokyo.jsonl
check "timesketch datetime carries the zone" \
    grep -q '"datetime":"2024-03-05T19:14:07.123456+09:00","timestamp":1709633647123456' \
    tokyo.jsonl
check_status "an unknown zone is a usage error" 2 \
    evtriage report -d case.db -z Mars/Olympus_Mons
check_status "a bad format is a usage error" 2 \
    evtriage report -d case.db -f pdf
check_status "a missing case is an error" 2 \
    evtriage report -d nosuch.db
evtriage report -d case.db -z Nowhere/Zone -o nope.html 2>/dev/null
check_eq "a failed report leaves no file" 0 "$(ls | grep -c nope)"

# Timesketch's mandatory fields on every line.
check "timesketch lines have message, datetime, timestamp_desc" \
    /usr/bin/python3 -c '
import json, sys
n = 0
for line in open("out/timesketch.jsonl"):
    o = json.loads(line)
    assert isinstance(o["message"], str) and o["message"]
    assert o["timestamp_desc"] in ("Process Created", "Process Terminated")
    assert isinstance(o["timestamp"], int)
    assert o["datetime"].endswith("+00:00")
    n += 1
assert n == 12, n
'

# Coverage: a damaged log's problems are grouped and counted.
"$EVTXGEN" -D badcrc -o damaged.evtx 2>/dev/null
touch -d 2024-03-06T00:00:00Z damaged.evtx
check_status "load of a damaged log exits 1" 1 \
    evtriage load -q -d damaged.db damaged.evtx
check_status "scan of a damaged log with hits exits 4" 4 \
    evtriage scan -q -d damaged2.db damaged.evtx
evtriage report -d damaged.db -o damaged.html
check "html lists the problems reading a file" \
    grep -q 'problems reading this file, for' damaged.html
check "html lists at most 10 reasons per file" \
    test "$(grep -c '<tr><td>record</td>' damaged.html)" -le 10
np=$(sqlite3 damaged.db "SELECT count(*) FROM problem WHERE kind = 'record'")
check "html groups the same reason with a count ($np)" \
    grep -q "$np problems reading this file, for 1 reason" damaged.html
check_status "detect on a case with hits exits 3" 3 \
    evtriage detect -q -d case.db
check_status "a clean log without hits exits 0" 0 \
    evtriage scan -q -d clean.db dirty.evtx
check "html shows the dirty flag" grep -q 'dirty (not closed cleanly)' \
    out/report.html
finish
