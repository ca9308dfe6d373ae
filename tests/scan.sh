#!/bin/sh
# End to end on samples/: scan finds exactly the expected hits, a second
# scan adds nothing, the filter hides the known false positive and
# -S shows it, and the case records the chain of custody.
. "${srcdir:-.}/tests/lib.sh" || exit 1

cp -R "$srcdir/samples/evidence" "$T/evidence"
cp "$srcdir/samples/filters.csv" "$T/filters.csv"
find "$T/evidence" -type f -exec touch -d 2024-03-06T12:00:00Z {} +
chmod -R a-w "$T/evidence"
cd "$T" || exit 1
before=$(find evidence -type f -exec sha256sum {} + | sort)

"$EVTRIAGE" scan -F filters.csv evidence > scan.out 2> scan.err
check_eq "scan exits 3 (hits, all evidence read)" 3 $?
check_file "scan prints the expected hits" \
    "$srcdir/tests/expected/scan-samples.txt" scan.out
check_eq "scan summary on stderr" \
    "evtriage: 3 EVTX files (3 read, 0 already in the case (0 not in full), 0 failed, 0 damaged); 25 records, 0 unreadable; 0 candidates in slack space, 0 recovered; 20 process events added; other files: 0 not read yet, 0 not EVTX, 1 skipped, 0 unreadable" \
    "$(head -1 scan.err)"
check_eq "then the hosts table" \
    "HOST SOURCES EVENTS FIRST LAST FILES PROBLEMS" \
    "$(sed -n 2p scan.err | tr -s ' ')"
check "the case is evtriage.db in the current folder" test -s evtriage.db
after=$(find evidence -type f -exec sha256sum {} + | sort)
check_eq "the evidence is unchanged" "$before" "$after"
check_eq "nothing written beside the evidence" \
    "COLLECTION.txt SRV02 SRV02/Security.evtx WS01 WS01/Microsoft-Windows-Sysmon%4Operational.evtx WS03 WS03/Microsoft-Windows-Sysmon%4Operational.evtx" \
    "$(cd evidence && find . -mindepth 1 | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')"

n1=$(sqlite3 evtriage.db "SELECT count(*) FROM process")
"$EVTRIAGE" scan -q -F filters.csv evidence > scan2.out 2>&1
check_eq "a second scan exits 3 too" 3 $?
n2=$(sqlite3 evtriage.db "SELECT count(*) FROM process")
check_eq "a second scan adds no events" "$n1" "$n2"
check_eq "a second import adds no filter" 1 \
    "$(sqlite3 evtriage.db 'SELECT count(*) FROM filter')"
check_eq "a second scan knows every file" \
    "3|3" "$(sqlite3 evtriage.db "SELECT count(*), sum(status = 'done') FROM evidence")"

"$EVTRIAGE" detect -S windows_msiexec_dllregisterserver \
    > filtered.out
check_file "-S shows the filtered hit and its filter" \
    "$srcdir/tests/expected/scan-show-filtered.txt" filtered.out

"$EVTRIAGE" evidence > evidence.out
check_eq "evidence exits 0 when all was read" 0 $?
check_file "evidence lists hashes and coverage" \
    "$srcdir/tests/expected/scan-evidence.txt" evidence.out
check_eq "the SHA-256 in the case is the file's" \
    "$(sha256sum evidence/SRV02/Security.evtx | cut -d' ' -f1)" \
    "$(sqlite3 evtriage.db "SELECT sha256 FROM evidence WHERE path = 'evidence/SRV02/Security.evtx'")"

# The same content under another name is known by its hash.
mkdir copy && cp evidence/SRV02/Security.evtx copy/Security.evtx.bak
"$EVTRIAGE" load -q copy
check_eq "a renamed copy is recognised by content" \
    "3|2" "$(sqlite3 evtriage.db "SELECT count(*), (SELECT count(*) FROM evidence_path p JOIN evidence e ON e.id = p.evidence_id WHERE e.path = 'evidence/SRV02/Security.evtx') FROM evidence")"

# Output to a pipe: only the hits on stdout.
"$EVTRIAGE" scan -q -d quiet.db -F filters.csv evidence 2> quiet.err | \
    head -1 > quiet.out
check_eq "-q prints only the summary on stderr" \
    "evtriage: 3 EVTX files (3 read, 0 already in the case (0 not in full), 0 failed, 0 damaged); 25 records, 0 unreadable; 0 candidates in slack space, 0 recovered; 20 process events added; other files: 0 not read yet, 0 not EVTX, 1 skipped, 0 unreadable" \
    "$(cat quiet.err)"
check_eq "stdout starts with the first detection" \
    "windows_msiexec_dllregisterserver: Windows MSIExec DLLRegisterServer (T1218.007, risk 35 low): 2 hits, 1 filtered" \
    "$(cat quiet.out)"
finish
