#!/bin/sh
# Logs of any size.  A log of more than 65,535 chunks (4 GiB) has a
# header whose 16-bit chunk count is saturated (0xffff) or short of its
# chunks, while the 64-bit last chunk number says how many there are.
# The planner finds the chunks by their signature, to the end of the
# file, and windows them like any other's; each window is shown to
# libevtx as a small sound file.  Such a log here is small: its header
# is patched (with a good checksum, so that it looks sound), and it must
# give the very rows the same log with a true header gives, every
# record, no false "unreadable", read whole or in windows.  A part's
# time limit (-T) is on its progress, not on its length.
. "${srcdir:-.}/tests/lib.sh" || exit 1

command -v sqlite3 > /dev/null || skip_all "sqlite3 is not installed"
command -v python3 > /dev/null || skip_all "python3 is not installed"

# The case without the file's hash, size and ids: the headers differ.
dump() {
	sqlite3 "$1" "
	SELECT e.format_version, e.dirty, e.corrupted, e.records,
	    e.recovered, e.unreadable, e.process_events, e.end_events,
	    e.status FROM evidence e;
	SELECT p.recovered, p.record_index, p.record_id, p._time, p.dest,
	    p.user, p.process, p.process_id, p.parent_process_id,
	    p.process_guid, p.fields FROM process p
	    ORDER BY p.recovered, p.record_index;
	SELECT p.recovered, p.record_index, p._time, p.process_id, p.fields
	    FROM process_end p ORDER BY p.recovered, p.record_index;
	SELECT q.kind, q.record_index, q.recovered, q.reason FROM problem q
	    ORDER BY 1, 2, 3, 4;"
}

# patch FILE COUNT LAST: the header says COUNT chunks (16 bits) and
# LAST for the last chunk number (64 bits), with a good checksum.
patch() {
	python3 - "$1" "$2" "$3" <<'EOF'
import struct, sys, zlib
path, count, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, 'r+b') as f:
    h = bytearray(f.read(4096))
    struct.pack_into('<Q', h, 16, last)
    struct.pack_into('<H', h, 42, count)
    struct.pack_into('<I', h, 124, zlib.crc32(bytes(h[:120])))
    f.seek(0)
    f.write(h)
EOF
}

"$EVTXGEN" -n 12000 -k security -s 41 -o "$T/good.evtx" ||
    notok "evtxgen"
chunks=$(( ($(stat -c %s "$T/good.evtx") - 4096) / 65536 ))
check "the log spans many chunks" test "$chunks" -gt 6
"$EVTRIAGE" load -q -d "$T/good.db" "$T/good.evtx" 2> /dev/null
dump "$T/good.db" > "$T/good.txt"
check "the true log's records are all read" test \
    "$(sqlite3 "$T/good.db" "SELECT records FROM evidence")" -ge 12000
check_eq "the true log: nothing unreadable" 0 \
    "$(sqlite3 "$T/good.db" "SELECT unreadable FROM evidence")"

# saturated: 0xffff chunks, the last chunk number true.
# short: a count of 3 where the chunk numbers say more, in a small log.
mkdir "$T/saturated" "$T/short"
cp "$T/good.evtx" "$T/saturated/big.evtx"
patch "$T/saturated/big.evtx" 65535 $((chunks - 1))
cp "$T/good.evtx" "$T/short/big.evtx"
patch "$T/short/big.evtx" 3 $((chunks - 1))

# A short count in a log it could count (chunk numbers under 65,536)
# is a header at odds with itself: read whole, as libevtx judges it.
"$EVTRIAGE" load -q -d "$T/short-whole.db" "$T/short" 2> /dev/null
check_eq "short header in a small log: not read in full (exit 1)" 1 $?
check_eq "short header in a small log: corrupted, as libevtx has it" 1 \
    "$(sqlite3 "$T/short-whole.db" "SELECT corrupted FROM evidence")"
for k in saturated; do
	"$EVTRIAGE" load -q -d "$T/$k-whole.db" "$T/$k" 2> /dev/null
	dump "$T/$k-whole.db" > "$T/$k-whole.txt"
	check_file "$k header, read whole: the true log's case" \
	    "$T/good.txt" "$T/$k-whole.txt"
	for w in 2 3; do
		EVTRIAGE_WINDOW_CHUNKS=$w "$EVTRIAGE" load -q -v \
		    -d "$T/$k-$w.db" "$T/$k" 2> "$T/$k-$w.err"
		check "$k header: read in windows of $w chunks" \
		    grep -q "read in [0-9]* windows of $w chunks" \
		    "$T/$k-$w.err"
		dump "$T/$k-$w.db" > "$T/$k-$w.txt"
		check_file "$k header, windows of $w: the true log's case" \
		    "$T/good.txt" "$T/$k-$w.txt"
		check_eq "$k header, windows of $w: all by the fast reader" \
		    "$(sqlite3 "$T/good.db" "SELECT fast_records FROM evidence")" \
		    "$(sqlite3 "$T/$k-$w.db" "SELECT fast_records FROM evidence")"
	done
done

# libevtx alone (-l) reads such a log as a sound one too.
"$EVTRIAGE" load -q -l -d "$T/good-l.db" "$T/good.evtx" 2> /dev/null
dump "$T/good-l.db" > "$T/good-l.txt"
EVTRIAGE_WINDOW_CHUNKS=3 "$EVTRIAGE" load -q -l -d "$T/saturated-l.db" \
    "$T/saturated" 2> /dev/null
dump "$T/saturated-l.db" > "$T/saturated-l.txt"
check_file "saturated header, -l in windows: the true log's case" \
    "$T/good-l.txt" "$T/saturated-l.txt"

# A damaged chunk in between is still a chunk slot: the chunks after it
# keep their numbers, whole and in windows alike.
mkdir "$T/hole"
cp "$T/saturated/big.evtx" "$T/hole/big.evtx"
printf 'XXXXXXXX' | dd of="$T/hole/big.evtx" bs=1 \
    seek=$((4096 + 3 * 65536)) conv=notrunc 2> /dev/null
"$EVTRIAGE" load -q -d "$T/hole-whole.db" "$T/hole" 2> /dev/null
dump "$T/hole-whole.db" > "$T/hole-whole.txt"
EVTRIAGE_WINDOW_CHUNKS=2 "$EVTRIAGE" load -q -d "$T/hole-2.db" "$T/hole" \
    2> /dev/null
dump "$T/hole-2.db" > "$T/hole-2.txt"
check_file "a damaged chunk: windows give the whole file's case" \
    "$T/hole-whole.txt" "$T/hole-2.txt"
check "a damaged chunk: the chunks after it are read" test \
    "$(sqlite3 "$T/hole-2.db" "SELECT records FROM evidence")" -gt \
    $((12000 * (chunks - 4) / chunks))

# The time limit is on progress: a worker that sends nothing for -T
# seconds is stopped; one that makes progress runs as long as it needs.
EVTRIAGE_TEST_HANG=big.evtx timeout 120 "$EVTRIAGE" load -T 1 \
    -d "$T/hang.db" "$T/saturated" > /dev/null 2> "$T/hang.err"
check_eq "a worker without progress: exit 1" 1 $?
check "a worker without progress: stopped and named" \
    grep -q "no progress for 1 s in part 1 of 1" "$T/hang.err"
EVTRIAGE_TEST_SPIN=big.evtx timeout 120 "$EVTRIAGE" load -T 1 \
    -d "$T/spin.db" "$T/saturated" > /dev/null 2> "$T/spin.err"
check_eq "a worker reading the same bytes again and again: exit 1" 1 $?
check "a worker reading the same bytes again: stopped and named" \
    grep -q "no progress for 1 s in part 1 of 1" "$T/spin.err"
mkdir "$T/long"
"$EVTXGEN" -n 250000 -k security -s 42 -o "$T/long/long.evtx" ||
    notok "evtxgen"
start=$(date +%s)
"$EVTRIAGE" load -q -j 1 -T 2 -d "$T/long.db" "$T/long" 2> "$T/long.err"
check_eq "a worker that makes progress past -T 2: exit 0" 0 $?
took=$(( $(date +%s) - start ))
check_eq "a worker that makes progress past -T 2: read in full" done \
    "$(sqlite3 "$T/long.db" "SELECT status FROM evidence")"
if [ "$took" -le 3 ]; then
	skip "the read took ${took} s, not much longer than -T 2"
else
	ok "the read took ${took} s, longer than -T 2"
fi
finish
