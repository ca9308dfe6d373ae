#!/bin/sh
# The seed detection row for row on its edge cases, the time window, time
# zones, and the other detections on the same events.
. "${srcdir:-.}/tests/lib.sh" || exit 1
S=windows_msiexec_dllregisterserver

"$EVTXGEN" -o "$T/edge01.evtx" "$srcdir/tests/scenarios/seed-edges.txt"
"$EVTXGEN" -o "$T/edge02.evtx" "$srcdir/tests/scenarios/seed-edges-security.txt"
"$EVTRIAGE" load -q -d "$T/case.db" "$T/edge01.evtx" "$T/edge02.evtx"
check_eq "load exits 0" 0 $?

"$EVTRIAGE" detect -d "$T/case.db" -f tsv $S > "$T/seed.tsv"
check_eq "detect exits 3 on hits" 3 $?
check_file "the seed's rows, column for column" \
    "$srcdir/tests/expected/detect-seed-edges.tsv" "$T/seed.tsv"
check_eq "a 4688 without a command line is no hit" "" \
    "$(grep -F 0x1fc "$T/seed.tsv"; grep -P '\t508\t' "$T/seed.tsv")"
check_eq "hits keep the rows behind them (count 2 has 2 rows)" "2" \
    "$(sqlite3 "$T/case.db" "SELECT count(*) FROM hit_row r JOIN hit h ON h.id = r.hit_id WHERE h.detection = '$S' AND h.output LIKE '%b.dll%'")"
check_eq "risk score is impact x confidence / 100" "35" \
    "$(sqlite3 "$T/case.db" "SELECT DISTINCT risk_score FROM hit WHERE detection = '$S'")"
check_eq "the risk message is rendered" \
    "An instance of unknown spawning msiexec.exe was identified on endpoint EDGE02 by user EDGE\\u2 attempting to register a file." \
    "$(sqlite3 "$T/case.db" "SELECT risk_message FROM hit WHERE detection = '$S' AND output LIKE '%-y d.dll%'")"

# Time window: absolute, and relative to the newest event (11:02:00).
"$EVTRIAGE" detect -d "$T/case.db" -f tsv -E 2024-04-01T10:05:00Z \
    -L "2024-04-01 11:00" $S | cut -f8 > "$T/win.txt"
check_eq "--earliest/--latest absolute" \
    "process
msiexec -Y b.dll
msiexec.exe /i C:/yellow/pkg.msi
msiexec /y old.dll" "$(cat "$T/win.txt")"
"$EVTRIAGE" detect -d "$T/case.db" -f tsv -E -5m $S | cut -f8 > "$T/rel.txt"
check_eq "--earliest relative to the newest event" \
    "process
msiexec.exe /y c.dll
msiexec -y d.dll" "$(cat "$T/rel.txt")"
check_status "a bad time is a usage error" 2 \
    "$EVTRIAGE" detect -d "$T/case.db" -E yesterday $S

# Time zones: UTC unless asked.
"$EVTRIAGE" detect -d "$T/case.db" -f tsv -z America/New_York $S | \
    sed -n 2p | cut -f12 > "$T/tz.txt"
check_eq "--tz renders firstTime in the zone" "04/01/2024 06:00:00" \
    "$(cat "$T/tz.txt")"

# The other detections on the same events.
"$EVTRIAGE" detect -d "$T/case.db" -f tsv windows_msiexec_unregister_dll | \
    cut -f8 > "$T/z.txt"
check_eq "msiexec /z is the unregister detection's" "process
msiexec.exe /z C:\\Temp\\a.dll" "$(cat "$T/z.txt")"
check_status "an unknown detection is a usage error" 2 \
    "$EVTRIAGE" detect -d "$T/case.db" no_such_detection

# Each detection next to the seed, on cases that must and must not hit.
"$EVTXGEN" -o "$T/rel.evtx" "$srcdir/tests/scenarios/related.txt"
"$EVTRIAGE" load -q -d "$T/rel.db" "$T/rel.evtx"
pids() {
	"$EVTRIAGE" detect -d "$T/rel.db" -f tsv "$1" | sed 1d | \
	    awk -F'\t' -v c="$2" '{ print $c }' | sort | tr '\n' ' '
}
check_eq "unregister: /z as a switch, not in a path" "201 " \
    "$(pids windows_msiexec_unregister_dll 9)"
check_eq "remote or user path: a URL and Public, not Program Files" \
    "201 203 " "$(pids windows_msiexec_remote_or_user_path 8)"
check_eq "unusual parent: Excel and wscript, not explorer" "205 206 " \
    "$(pids windows_msiexec_unusual_parent 8)"
check_eq "spawns shell: cmd under msiexec, not msiexec itself" "208 " \
    "$(pids windows_msiexec_spawns_shell 9)"
"$EVTRIAGE" rules -v > "$T/rules.txt"
for k in description mitre tactic data_sources known_false_positives \
    references risk_message risk_score; do
	check_eq "every detection has $k" 5 \
	    "$(grep -c "^    $k " "$T/rules.txt")"
done

# A malformed detection file is named with its line.
mkdir "$T/rules"
printf -- '-- name: broken\n-- title: Broken\n-- colour blue\nSELECT 1;\n' \
    > "$T/rules/broken.sql"
"$EVTRIAGE" rules -r "$T/rules" > /dev/null 2> "$T/err.txt"
check_eq "a malformed detection names file and line" \
    "evtriage: $T/rules/broken.sql:3: header line without 'key: value'" \
    "$(cat "$T/err.txt")"
printf -- '-- name: nosql\n-- title: t\n-- mitre: T1\n-- impact: 1\n-- confidence: 1\n-- risk_message: m\n-- output: a\n' \
    > "$T/rules/broken.sql"
"$EVTRIAGE" rules -r "$T/rules" > /dev/null 2> "$T/err.txt"
check_eq "a detection without SQL is an error" \
    "evtriage: $T/rules/broken.sql:7: no SQL after the header" \
    "$(cat "$T/err.txt")"
printf -- '-- name: nosql\n-- title: t\n-- mitre: T1\n-- impact: 1\n-- confidence: 1\n-- output: a\nSELECT 1 AS a;\n' \
    > "$T/rules/broken.sql"
"$EVTRIAGE" rules -r "$T/rules" > /dev/null 2> "$T/err.txt"
check_eq "a missing key is an error" \
    "evtriage: $T/rules/broken.sql:7: missing key 'risk_message'" \
    "$(cat "$T/err.txt")"
# Impact and confidence are whole numbers from 0 to 100 (ESCU's scale);
# anything else is refused, not multiplied into an overflow (fuzz-detect).
for v in 99999999 -5 101 7x ''; do
	printf -- '-- name: big\n-- title: t\n-- mitre: T1\n-- impact: %s\n-- confidence: 99999\n-- risk_message: m\n-- output: a\nSELECT 1 AS a;\n' "$v" \
	    > "$T/rules/broken.sql"
	"$EVTRIAGE" rules -r "$T/rules" > /dev/null 2> "$T/err.txt"
	rc=$?
	check_eq "impact '$v' is refused" 2 $rc
	check_eq "impact '$v' is named" \
	    "evtriage: $T/rules/broken.sql: impact '$v' is not a whole number from 0 to 100" \
	    "$(cat "$T/err.txt")"
done
printf -- '-- name: ok\n-- title: t\n-- mitre: T1\n-- impact: 100\n-- confidence: 0\n-- risk_message: m\n-- output: a\nSELECT 1 AS a;\n' \
    > "$T/rules/broken.sql"
"$EVTRIAGE" rules -r "$T/rules" > /dev/null 2> "$T/err.txt"
check_eq "impact 100 and confidence 0 are accepted" 0 $?
finish
