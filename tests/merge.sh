#!/bin/sh
# Merge: two cases merged equal one case made from both evidence sets,
# compared as canonical dumps that do not depend on row ids; merging
# again adds nothing.
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x "$EVTXGEN" ] || skip_all "no evtxgen"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
srcdir=$(cd "$srcdir" && pwd)
cd "$T" || exit 2
"$EVTXGEN" -o a.evtx "$srcdir/tests/scenarios/report.txt" &&
    "$EVTXGEN" -d -o b.evtx "$srcdir/tests/scenarios/report-dirty.txt" &&
    "$EVTXGEN" -o c.evtx "$srcdir/tests/scenarios/hostile.txt" &&
    "$EVTXGEN" -D badcrc -o d.evtx 2>/dev/null ||
    skip_all "evtxgen failed"
cat > f.csv <<'CSV'
filter,detection,field,pattern,reason,added_by,added_at,expires
1,windows_msiexec_dllregisterserver,dest,BUILD03,build server registers its own DLLs,tester,2024-03-01T00:00:00Z,
CSV

# Two hosts' cases sharing c.evtx (a copy seen under another name).
mkdir host2 && cp c.evtx host2/c-copy.evtx
"$EVTRIAGE" scan -q -F f.csv -d one.db a.evtx c.evtx > /dev/null
"$EVTRIAGE" scan -q -F f.csv -d two.db b.evtx d.evtx host2/c-copy.evtx \
    > /dev/null
"$EVTRIAGE" scan -q -F f.csv -d all.db a.evtx c.evtx b.evtx d.evtx \
    host2/c-copy.evtx > /dev/null

"$EVTRIAGE" merge -q -d m.db one.db two.db
check_eq "merge with hits and a damaged log exits 4" 4 $?

cat > dump.py <<'PY'
# A case as text that does not depend on row ids.
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.text_factory = bytes
def rows(sql):
    return sorted(repr(r) for r in c.execute(sql))
out = []
out += ["evidence " + r for r in rows(
    "SELECT sha256, path, size, mtime, format_version, dirty, corrupted, "
    "records, recovered, unreadable, process_events, end_events, status, "
    "message FROM evidence")]
out += ["path " + r for r in rows(
    "SELECT e.sha256, p.path FROM evidence_path p JOIN evidence e "
    "ON e.id = p.evidence_id")]
cols = [r[1].decode() for r in c.execute("PRAGMA table_info(process)")
    if r[1] not in (b"id", b"evidence_id")]
out += ["process " + r for r in rows(
    "SELECT e.sha256, " + ", ".join("p." + x for x in cols) +
    " FROM process p JOIN evidence e ON e.id = p.evidence_id")]
cols = [r[1].decode() for r in c.execute("PRAGMA table_info(process_end)")
    if r[1] not in (b"id", b"evidence_id")]
out += ["end " + r for r in rows(
    "SELECT e.sha256, " + ", ".join("x." + x for x in cols) +
    " FROM process_end x JOIN evidence e ON e.id = x.evidence_id")]
out += ["problem " + r for r in rows(
    "SELECT e.sha256, p.kind, p.record_index, p.recovered, p.offset, "
    "p.reason FROM problem p LEFT JOIN evidence e ON e.id = p.evidence_id")]
out += ["filter " + r for r in rows(
    "SELECT detection, reason, added_by, added_at, expires, (SELECT "
    "group_concat(field || '=' || pattern) FROM filter_cond "
    "WHERE filter_id = f.id) FROM filter f")]
out += ["hit " + r for r in rows(
    "SELECT h.detection, h.seq, h.dest, h.user, h._time, h.risk_score, "
    "h.risk_message, h.mitre, h.output, h.filter_reason, (SELECT "
    "group_concat(e.sha256 || ':' || p.recovered || ':' || p.record_index) "
    "FROM hit_row r JOIN process p ON p.id = r.row_id JOIN evidence e "
    "ON e.id = p.evidence_id WHERE r.hit_id = h.id) FROM hit h")]
sys.stdout.write("\n".join(out) + "\n")
PY
/usr/bin/python3 dump.py all.db > all.txt
/usr/bin/python3 dump.py m.db > m.txt
check "the dump has evidence, rows, problems, filters and hits" \
    sh -c 'grep -q "^evidence " all.txt && grep -q "^process " all.txt &&
    grep -q "^end " all.txt && grep -q "^problem " all.txt &&
    grep -q "^filter " all.txt && grep -q "^hit " all.txt &&
    grep -q "^path .*c-copy.evtx" all.txt'
check_file "merged case equals one case of all the evidence" all.txt m.txt
check_eq "each evidence file is there once" 4 "$(grep -c '^evidence ' m.txt)"
check_eq "merge keeps which reader decoded each row" \
    "$(sqlite3 all.db "SELECT reader, count(*) FROM process GROUP BY reader
    UNION ALL SELECT reader, count(*) FROM process_end GROUP BY reader")" \
    "$(sqlite3 m.db "SELECT reader, count(*) FROM process GROUP BY reader
    UNION ALL SELECT reader, count(*) FROM process_end GROUP BY reader")"
check "a merged row names its reader" test "$(sqlite3 m.db \
    "SELECT count(*) FROM process WHERE reader IS NULL")" = 0
check_eq "identical filters are merged into one" 1 \
    "$(grep -c '^filter ' m.txt)"

"$EVTRIAGE" merge -q -d m.db one.db two.db
/usr/bin/python3 dump.py m.db > m2.txt
check_file "merging again adds nothing" m.txt m2.txt
"$EVTRIAGE" merge -q -d m.db m.db 2> self.err
check "merging a case into itself is refused" grep -q "into itself" self.err

# Reports of the merged case are those of the one case, rows aside.
"$EVTRIAGE" report -d m.db -f jsonl -o m.jsonl
"$EVTRIAGE" report -d all.db -f jsonl -o all.jsonl
check "merged hits report equals the one case's, row ids aside" \
    /usr/bin/python3 -c '
import json
def load(f):
    out = []
    for l in open(f):
        o = json.loads(l)
        for e in o["evidence"]: del e["row"]
        del o["filter_id"]
        out.append(o)
    return out
assert load("m.jsonl") == load("all.jsonl")'
check "merge notes where the cases came from" sh -c \
    "\"$EVTRIAGE\" report -d m.db | grep -q 'evtriage merge'"
check_eq "merge keeps which reader read each file" \
    "$(sqlite3 all.db 'SELECT sha256, fast_records FROM evidence ORDER BY sha256')" \
    "$(sqlite3 m.db 'SELECT sha256, fast_records FROM evidence ORDER BY sha256')"
check "and the fast reader read records" test \
    "$(sqlite3 m.db 'SELECT sum(fast_records) > 0 FROM evidence')" = 1
check_status "a file that is not a case is skipped (hits, partial: 4)" 4 \
    "$EVTRIAGE" merge -q -d x.db one.db f.csv
check_status "merge without cases is a usage error" 2 \
    "$EVTRIAGE" merge -d x.db
finish
