#!/bin/sh
# Risk in words as well as numbers (informational, low, medium, high,
# critical: bands of 20), and -m, a threshold for scan, detect, report
# and browse: the hits below it stay in the case, are counted and named
# as left out, and do not make the exit status.
. "${srcdir:-.}/tests/lib.sh" || exit 1

cp -R "$srcdir/samples/evidence" "$T/evidence"
cd "$T" || exit 1
# The samples: the seed (risk 35) and remote_or_user_path (30) hit, low;
# spawns_shell (48), medium.
"$EVTRIAGE" scan -n -q -d c.db evidence > scan.out 2> scan.err
check_eq "scan: hits, exit 3" 3 $?
check "text: the score and its level" \
    grep -q "risk_score           35 (low)" scan.out
check "text: a detection's risk in words" \
    grep -q "(T1218.007, risk 48 medium)" scan.out

"$EVTRIAGE" detect -d c.db -m high > high.out 2> high.err
check_eq "detect -m high: no hit that high, exit 0" 0 $?
check "detect -m high: says how many were left out" \
    grep -q "^0 hits, 8 below risk 61 (high) not shown (-m)$" high.out
check "detect -m high: no hit printed" sh -c "! grep -q '^  hit ' high.out"
"$EVTRIAGE" detect -d c.db -m medium > med.out 2> med.err
check_eq "detect -m medium: hits, exit 3" 3 $?
check "detect -m medium: the medium detection's hits" \
    grep -q "^windows_msiexec_spawns_shell" med.out
check "detect -m medium: none of the low ones" \
    sh -c "! grep -q '^windows_msiexec_dllregisterserver' med.out"
"$EVTRIAGE" detect -d c.db -m 48 > m48.out
check_eq "detect -m 48: a score takes the same hits" \
    "$(grep -c '^  hit ' med.out)" "$(grep -c '^  hit ' m48.out)"
"$EVTRIAGE" detect -d c.db -m 49 > m49.out
check_eq "detect -m 49: none" 0 $?
for bad in bogus 101 -1 ''; do
	"$EVTRIAGE" detect -d c.db -m "$bad" > /dev/null 2> bad.err
	check_eq "detect -m '$bad' is a usage error" 2 $?
done
check "a bad -m names the levels" grep -q "informational, low, medium" bad.err
"$EVTRIAGE" scan -n -q -m critical -d c2.db evidence > /dev/null 2>&1
check_eq "scan -m critical: nothing that high, exit 0" 0 $?
check_eq "scan -m critical: the hits are in the case all the same" \
    "$(sqlite3 c.db "SELECT count(*) FROM hit")" \
    "$(sqlite3 c2.db "SELECT count(*) FROM hit")"
"$EVTRIAGE" load -m low -d c3.db evidence > /dev/null 2>&1
check_eq "load has no -m" 2 $?

# Reports: only the hits of the threshold, each with its level.
"$EVTRIAGE" report -d c.db -f jsonl -m medium > m.jsonl
check_eq "report -m medium: the medium hits only" \
    "$(grep -c '^  hit ' med.out)" "$(wc -l < m.jsonl | tr -d ' ')"
check "jsonl: risk_level beside risk_score" \
    grep -q '"risk_score":48,"risk_level":"medium"' m.jsonl
"$EVTRIAGE" report -d c.db -f csv > all.csv
check "csv: risk_level, the next to last column" \
    sh -c "head -1 all.csv | grep -q '\"risk_level\",\"evidence_reader\"'"
"$EVTRIAGE" report -d c.db -f html -m high > high.html
check "html -m: the scope says what was left out" \
    grep -q "<tr><th>Risk threshold</th><td>hits of risk 61 (high) or more only; [1-9][0-9]* below it not shown</td></tr>" high.html
"$EVTRIAGE" report -d c.db -f html > all.html
check "html: the findings' risk in words" grep -q '48 medium</td>' all.html
check "html: no threshold, no such row" \
    sh -c "! grep -q 'Risk threshold' all.html"
"$EVTRIAGE" tree -d c.db -H 1 > tree.out
check "tree: the hit's risk in words" grep -q "^risk [0-9]* ([a-z]*), " tree.out
"$EVTRIAGE" rules > rules.out
check "rules: each detection's level" grep -q " 48 med " rules.out

# The browser: -m lists only those hits, and its header says so.
tm_init risk
$TM new-session -d -s t -x 80 -y 24 \
    "env LANG=$UTF8 LC_ALL=$UTF8 TERM=xterm-256color '$EVTRIAGE' browse -d c.db -m medium" \
    2> /dev/null
check "browse -m medium: the header names the threshold and the hits below" \
    tm_wait "2 hits, newest first, filtered hidden (F shows); risk medium+ only, 6 below"
check "browse -m medium: each hit's level in a word" tm_wait " med  03-05"
check "browse -m medium: no low hit" sh -c "! $TM capture-pane -p -t t | grep -q ' low  '"
tm_keys q
finish
