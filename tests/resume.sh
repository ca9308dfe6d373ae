#!/bin/sh
# Kill -9 in the middle of a load, run it again: the case equals one made
# in a single uninterrupted run.  Interrupting with Ctrl-C (SIGINT) too.
. "${srcdir:-.}/tests/lib.sh" || exit 1

mkdir "$T/ev"
"$EVTXGEN" -n 150000 -k sysmon -p 0.3 -s 7 -o "$T/ev/big-sysmon.evtx"
"$EVTXGEN" -n 60000 -k security -s 8 -o "$T/ev/security.evtx"
cp "$srcdir/samples/evidence/SRV02/Security.evtx" "$T/ev/small.evtx"

# The canonical content of a case: everything but row ids and clocks.
dump() {
	sqlite3 "$1" "
	SELECT e.sha256, e.path, e.size, e.format_version, e.dirty,
	    e.corrupted, e.records, e.recovered, e.unreadable,
	    e.process_events, e.end_events, e.status FROM evidence e
	    ORDER BY e.sha256;
	SELECT e.sha256, p.recovered, p.record_index, p.record_id, p._time,
	    p.dest, p.user, p.process, p.process_id, p.parent_process_id,
	    p.process_guid, p.fields FROM process p
	    JOIN evidence e ON e.id = p.evidence_id
	    ORDER BY e.sha256, p.recovered, p.record_index;
	SELECT e.sha256, p.recovered, p.record_index, p._time, p.process_id
	    FROM process_end p JOIN evidence e ON e.id = p.evidence_id
	    ORDER BY e.sha256, p.recovered, p.record_index;
	SELECT count(*) FROM problem;"
}

# The indexes a case has (a large load drops them and builds them again).
indexes() {
	sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'index'
	    ORDER BY name" | tr '\n' ' '
}
sqlite3 "$T/empty.db" < "$srcdir/db/schema.sql"
all_indexes=$(indexes "$T/empty.db")

"$EVTRIAGE" load -v -j 2 -d "$T/once.db" "$T/ev" 2> "$T/once.err"
check_eq "the uninterrupted load exits 0" 0 $?
check "a load into an empty case drops the indexes while it loads" \
    grep -q "indexes dropped for the load" "$T/once.err"
check_eq "and builds every index again" "$all_indexes" \
    "$(indexes "$T/once.db")"
dump "$T/once.db" > "$T/once.txt"
check "the uninterrupted case has events" \
    test "$(sqlite3 "$T/once.db" 'SELECT count(*) FROM process')" -gt 40000

for sig in KILL INT; do
	rm -f "$T/cut.db"*
	"$EVTRIAGE" load -q -j 2 -d "$T/cut.db" "$T/ev" 2> "$T/cut.err" &
	pid=$!
	# Wait until some rows are committed, then cut the load short.
	n=0
	while [ $n -lt 300 ]; do
		c=$(sqlite3 "$T/cut.db" 'SELECT count(*) FROM process' \
		    2>/dev/null || echo 0)
		[ "${c:-0}" -gt 0 ] && break
		sleep 0.1
		n=$((n + 1))
	done
	kill -$sig $pid
	wait $pid
	rc=$?
	partial=$(sqlite3 "$T/cut.db" 'SELECT count(*) FROM process')
	once=$(sqlite3 "$T/once.db" 'SELECT count(*) FROM process')
	check "SIG$sig: the load was cut short ($partial of $once rows)" \
	    test "$partial" -lt "$once"
	if [ $sig = INT ]; then
		check_eq "SIGINT: exit 130 (interrupted)" 130 $rc
		check "SIGINT: says how to complete" \
		    grep -q "run the same command again" "$T/cut.err"
	fi
	check_eq "SIG$sig: the cut case is consistent" ok \
	    "$(sqlite3 "$T/cut.db" 'PRAGMA integrity_check')"
	"$EVTRIAGE" load -q -j 2 -d "$T/cut.db" "$T/ev"
	check_eq "SIG$sig: the rerun exits 0" 0 $?
	check_eq "SIG$sig: the completed case has every index" \
	    "$all_indexes" "$(indexes "$T/cut.db")"
	dump "$T/cut.db" > "$T/cut.txt"
	check_file "SIG$sig: the completed case equals the uninterrupted one" \
	    "$T/once.txt" "$T/cut.txt"
done
# A small addition to a large case keeps the indexes as they are.
"$EVTXGEN" -n 2000 -k security -s 9 -o "$T/more.evtx"
"$EVTRIAGE" load -v -j 2 -d "$T/once.db" "$T/more.evtx" 2> "$T/more.err"
check_eq "a small addition loads" 0 $?
check "a small addition to a large case keeps its indexes" \
    sh -c "! grep -q 'indexes dropped' '$T/more.err'"
check_eq "and the case still has every index" "$all_indexes" \
    "$(indexes "$T/once.db")"
finish
