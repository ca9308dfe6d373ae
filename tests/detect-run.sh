#!/bin/sh
# A detection whose SQL fails costs only itself, is named and makes the
# run exit 2 (detect, scan, merge); rules checks every detection's SQL;
# each run records its time window and zone, and every output shows it.
. "${srcdir:-.}/tests/lib.sh" || exit 1
S=windows_msiexec_dllregisterserver
C="$T/case.db"

"$EVTXGEN" -o "$T/edge01.evtx" "$srcdir/tests/scenarios/seed-edges.txt"
"$EVTRIAGE" load -q -d "$C" "$T/edge01.evtx"

# broken-N.sql: a detection with the given SQL.
broken() {
	mkdir -p "$T/$1"
	cat > "$T/$1/$2.sql" <<SQL
-- name: $2
-- title: A broken detection
-- mitre: T0000
-- impact: 50
-- confidence: 50
-- risk_message: broken
-- output: dest
$3
SQL
}
broken prep broken_prepare "SELECT dest, no_such_column FROM processes;"
broken step broken_step "SELECT dest FROM processes WHERE process REGEXP '((';"

"$EVTRIAGE" detect -d "$C" -r "$T/prep" > "$T/out" 2> "$T/err"
check_eq "a detection that does not prepare: detect exits 2" 2 $?
check "the summary names it" grep -q \
    '^[0-9]* hits.*; 1 detection failed: broken_prepare$' "$T/out"
check "the warning names it and says why" grep -q \
    "detection 'broken_prepare' failed: .*no such column: no_such_column" \
    "$T/err"
check_eq "the other detections still ran and stored their hits" 5 \
    "$(sqlite3 "$C" "SELECT count(*) FROM hit WHERE detection = '$S'")"
check_eq "the case records the failure" "failed" \
    "$(sqlite3 "$C" "SELECT status FROM detection_run WHERE name = 'broken_prepare'")"

check_status "a detection that fails while it runs: detect exits 2" 2 \
    "$EVTRIAGE" detect -q -d "$C" -r "$T/step"
check "its error is named" grep -q "detection 'broken_step' failed" \
    "$T/status.out"
check_eq "the others' hits are stored" 5 \
    "$(sqlite3 "$C" "SELECT count(*) FROM hit WHERE detection = '$S'")"

# A detection that ran, then breaks: its old hits must not pass for new.
broken seedbroken $S "SELECT dest FROM no_such_table;"
"$EVTRIAGE" detect -q -d "$C" -r "$T/seedbroken" $S > /dev/null 2>&1
check_eq "a failed run leaves no hits of an earlier run" 0 \
    "$(sqlite3 "$C" "SELECT count(*) FROM hit WHERE detection = '$S'")"
check_eq "all of them good again: detect exits 3" 3 \
    "$("$EVTRIAGE" detect -q -d "$C" > /dev/null 2>&1; echo $?)"

check_status "rules with a broken detection exits 2" 2 \
    "$EVTRIAGE" rules -r "$T/prep"
check "rules says which is broken" grep -q \
    "detection 'broken_prepare' is broken: .*no such column" "$T/status.out"
check_status "rules with a runtime-only failure still lists it (exit 0)" 0 \
    "$EVTRIAGE" rules -r "$T/step"
check_status "the shipped rules are all sound" 0 "$EVTRIAGE" rules

check_status "scan with a broken detection exits 2" 2 \
    "$EVTRIAGE" scan -n -q -d "$T/scan.db" -r "$T/prep" "$T/edge01.evtx"
check "scan's warning names it, even with -q" grep -q \
    "1 detection could not run, so this run is incomplete: broken_prepare" \
    "$T/status.out"
check_eq "scan stored the other detections' hits" 5 \
    "$(sqlite3 "$T/scan.db" "SELECT count(*) FROM hit WHERE detection = '$S'")"

sqlite3 "$T/scan.db" "UPDATE detection SET sql = 'SELECT dest FROM gone' WHERE name = 'windows_msiexec_spawns_shell'"
check_status "merge with a stored detection that fails exits 2" 2 \
    "$EVTRIAGE" merge -d "$T/merged.db" "$T/scan.db"
check "merge names it" grep -q \
    "detection 'windows_msiexec_spawns_shell' failed" "$T/status.out"
check_eq "merge ran the others" 5 \
    "$(sqlite3 "$T/merged.db" "SELECT count(*) FROM hit WHERE detection = '$S'")"

# The window and zone, recorded and shown.
"$EVTRIAGE" detect -d "$C" -E -2h -L 2024-04-01T10:09:00Z -z Europe/Berlin \
    $S > "$T/win.txt"
check_eq "the run's window as given and resolved, and its zone" \
    "-2h|2024-04-01T08:10:00.0000000Z|2024-04-01T10:09:00Z|2024-04-01T10:09:00.0000000Z|Europe/Berlin|done" \
    "$(sqlite3 "$C" "SELECT earliest_given, earliest, latest_given, latest, tz, status FROM detection_run WHERE name = '$S'")"
check "detect prints the window beside the hits" grep -qx \
    "  window: events from 2024-04-01T08:10:00.0000000Z (-E -2h) before 2024-04-01T10:09:00.0000000Z (-L 2024-04-01T10:09:00Z), ctime columns in Europe/Berlin" \
    "$T/win.txt"
check "and before the totals, even with no hits" sh -c \
    "'$EVTRIAGE' detect -d '$C' -E 2030-01-01 $S | grep -qx 'window: events from 2030-01-01T00:00:00.0000000Z (-E 2030-01-01), ctime columns in UTC'"
"$EVTRIAGE" detect -d "$C" -E -2h -z Europe/Berlin -f tsv $S > "$T/win.tsv"
check_eq "tsv: window columns at the end" \
    "filter window_earliest window_earliest_given window_latest window_latest_given window_tz" \
    "$(head -1 "$T/win.tsv" | cut -f14- | tr '\t' ' ')"
check_eq "tsv: each hit with its window" \
    "	2024-04-01T08:10:00.0000000Z	-2h			Europe/Berlin" \
    "$(sed -n 2p "$T/win.tsv" | cut -f14-)"
"$EVTRIAGE" report -d "$C" -f csv -o "$T/hits.csv"
check "csv: the window columns come last" grep -q \
    '"evidence_sha256","window_earliest","window_earliest_given","window_latest","window_latest_given","window_tz"' \
    "$T/hits.csv"
check "csv: a windowed hit shows its window" grep -q \
    '"2024-04-01T08:10:00.0000000Z","'"'"'-2h",,,"Europe/Berlin"' "$T/hits.csv"
"$EVTRIAGE" report -d "$C" -f jsonl -o "$T/hits.jsonl"
check "jsonl: a windowed hit shows its window" grep -q \
    '"window_earliest":"2024-04-01T08:10:00.0000000Z","window_earliest_given":"-2h","window_latest":null,"window_latest_given":null,"window_tz":"Europe/Berlin"}$' \
    "$T/hits.jsonl"
"$EVTRIAGE" report -d "$C" -o "$T/r.html"
check "html: the windowed detection says only events from" grep -q \
    '<strong>only events from 2024-04-01 08:10:00.0000000Z (given as -2h)</strong>' \
    "$T/r.html"
check "html: a full run says all events" grep -q \
    '<tr><th>Time window</th><td>all events</td></tr>' "$T/r.html"
finish
