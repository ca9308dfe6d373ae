#!/bin/bash
# Big-file benchmark (not part of make check): the 4.4 GB Security log
# of issue #14 (8.5 million records, more than 65,535 chunks, offsets
# past 4 GiB, the header's 16-bit chunk count saturated), generated,
# then scanned with 2 workers.  Prints the records read against those
# written, the process creations in the case against those written
# (evtxgen -x counts them), the peak memory of the loader and of the
# largest worker, wall and CPU time.  Needs about 5 GB in WORKDIR,
# deleted at the end.
#
#	tests/bench/bigfile-bench.sh [BUILDDIR] [WORKDIR]
#
# RECORDS=8500000 and JOBS=2 by default; run it under nice on a shared
# machine.  Counting what evtxgen wrote (evtxgen -x, some 200 million
# lines) takes about as long as writing the log: EXPECT=N skips it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/evtriage-big.XXXXXX")}
records=${RECORDS:-8500000}
jobs=${JOBS:-2}
evtriage=$build/evtriage
evtxgen=$build/tests/evtxgen
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work/log"
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

now() { date +%s.%N; }
t0=$(now)
"$evtxgen" -n "$records" -k security -o log/Security.evtx || exit 1
t1=$(now)
size=$(stat -c %s log/Security.evtx)
chunks=$(( (size - 4096) / 65536 ))
hcount=$(od -An -tu2 -j42 -N2 log/Security.evtx | tr -d ' ')
last=$(od -An -tu8 -j16 -N8 log/Security.evtx | tr -d ' ')
printf 'generated %s records, %d bytes, %d chunks (header: count %s, last chunk %s) in %.0f s\n' \
    "$records" "$size" "$chunks" "$hcount" "$last" \
    "$(echo "$t1 - $t0" | bc)"

# The process creations evtxgen wrote, as it tells them.
expect=${EXPECT:-$("$evtxgen" -x -n "$records" -k security |
    grep -cF "$(printf '\tEventID\t4688')")}
echo "expected: $records records, $expect process creations"

t0=$(now)
/usr/bin/time -v "$evtriage" scan -v -j "$jobs" -d case.db log \
    > scan.out 2> scan.err
rc=$?
t1=$(now)
echo "scan: exit $rc, wall $(echo "$t1 - $t0" | bc) s"
grep -E "windows of|loader CPU|no progress|cannot" scan.err | head -5
grep -E "Maximum resident|User time|System time|Elapsed" scan.err
sqlite3 case.db "SELECT 'records read: ' || records || ' of $records' ||
    ', unreadable ' || unreadable || ', recovered ' || recovered ||
    ', fast reader ' || fast_records || ', status ' || status ||
    ', corrupted ' || corrupted FROM evidence"
echo "process creations in the case: $(sqlite3 case.db \
    "SELECT count(*) FROM process") of $expect"
tail -3 scan.out
