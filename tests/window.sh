#!/bin/sh
# Large files are read in windows of chunks (parsers/evtx-window.c), each
# by a worker of its own, so that no worker holds libevtx's list of a
# whole large file.  Reading in windows must give the very case reading
# whole gives: the same records, record indexes, recovered records,
# flags, counts and problems.  EVTRIAGE_WINDOW_CHUNKS makes the windows
# as small as one chunk, so that every file of more than one is split.
. "${srcdir:-.}/tests/lib.sh" || exit 1

# The canonical content of a case: everything but row ids and clocks.
dump() {
	sqlite3 "$1" "
	SELECT e.sha256, e.size, e.format_version, e.dirty, e.corrupted,
	    e.records, e.recovered, e.unreadable, e.process_events,
	    e.end_events, e.status FROM evidence e ORDER BY e.sha256;
	SELECT e.sha256, p.recovered, p.record_index, p.record_id, p._time,
	    p.dest, p.user, p.process, p.process_id, p.parent_process_id,
	    p.process_guid, p.fields FROM process p
	    JOIN evidence e ON e.id = p.evidence_id
	    ORDER BY e.sha256, p.recovered, p.record_index;
	SELECT e.sha256, p.recovered, p.record_index, p._time, p.process_id,
	    p.fields FROM process_end p JOIN evidence e ON e.id = p.evidence_id
	    ORDER BY e.sha256, p.recovered, p.record_index;
	SELECT e.sha256, q.kind, q.record_index, q.recovered, q.reason
	    FROM problem q LEFT JOIN evidence e ON e.id = q.evidence_id
	    ORDER BY 1, 2, 3, 4, 5;"
}

# same NAME DIR: whole and in windows of 1 and 3 chunks, the same case.
same() {
	rm -f "$T"/whole.db* "$T"/win*.db*
	"$EVTRIAGE" load -q -d "$T/whole.db" "$2" 2> /dev/null
	dump "$T/whole.db" > "$T/whole.txt"
	check "$1: the whole reading has records" \
	    test "$(sqlite3 "$T/whole.db" 'SELECT sum(records) FROM evidence')" -gt 0
	for w in 1 3; do
		EVTRIAGE_WINDOW_CHUNKS=$w "$EVTRIAGE" load -q -v -d "$T/win$w.db" \
		    "$2" 2> "$T/win$w.err"
		dump "$T/win$w.db" > "$T/win$w.txt"
		check "$1: read in windows of $w chunks" \
		    grep -q "read in [0-9]* windows of $w chunks" "$T/win$w.err"
		check_file "$1: windows of $w chunks give the same case" \
		    "$T/whole.txt" "$T/win$w.txt"
	done
}

# Generated logs of many chunks, sound and damaged.
mkdir "$T/gen"
"$EVTXGEN" -n 30000 -k security -s 21 -o "$T/gen/security.evtx"
"$EVTXGEN" -n 20000 -k sysmon -p 0.3 -s 22 -o "$T/gen/sysmon.evtx"
for k in dirty truncated badcrc badheadercrc garbage hugesizes badmagic; do
	"$EVTXGEN" -D $k -o "$T/gen/$k.evtx" || notok "evtxgen -D $k"
done
check "the generated logs span many chunks" \
    test "$(stat -c %s "$T/gen/security.evtx")" -gt $((20 * 65536))
same "generated logs" "$T/gen"

# A damaged file makes no window of its own run wild: the header of
# one chunk in a sound file is damaged, the rest is read in windows.
cp "$T/gen/security.evtx" "$T/hole.evtx"
printf 'XXXXXXXX' | dd of="$T/hole.evtx" bs=1 seek=$((4096 + 5 * 65536)) \
    conv=notrunc 2> /dev/null
mkdir "$T/hole" && mv "$T/hole.evtx" "$T/hole/"
same "a log with a damaged chunk" "$T/hole"

# A worker that crashes before it hashes the file: the other windows
# of that file are given up, the run ends and says so.
EVTRIAGE_WINDOW_CHUNKS=2 EVTRIAGE_TEST_CRASH_EARLY=security.evtx \
    timeout 120 "$EVTRIAGE" load -d "$T/early.db" "$T/gen" > /dev/null \
    2> "$T/early.err"
check_eq "a first window that crashes before hashing: exit 1" 1 $?
check "and the file is named as not read" \
    grep -q "cannot read '$T/gen/security.evtx'" "$T/early.err"
check_eq "and the other files are read" 8 \
    "$(sqlite3 "$T/early.db" "SELECT count(*) FROM evidence")"

# The real logs, damaged ones among them.
if [ -d "$EVTRIAGE_REAL" ]; then
	same "../shared/evtx-real" "$EVTRIAGE_REAL"
else
	echo "# skipped the real logs: $EVTRIAGE_REAL is absent"
fi
finish
