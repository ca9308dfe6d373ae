#!/bin/sh
# The EVTX readers of the ingest, in one run: instructions per record
# under callgrind (which do not vary with the machine's load) of a whole
# `evtriage load` (every process: walk, hash, read, normalise, load into
# SQLite) of a 40,000-record Security log, with the fast reader (the
# default) and with libevtx alone (-l); then wall and CPU time of each.
#
#	tests/bench/reader-bench.sh [BUILDDIR] [WORKDIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
work=${2:-/tmp/evtriage-reader-bench}
evtriage=$build/evtriage
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work" && cd "$work" || exit 1
n=40000
"$build/tests/evtxgen" -n $n -k security -s 9 -o cg.evtx || exit 1

# ir OPTION...: instructions of a load, summed over its processes.
ir() {
	rm -f cg.db* cg.out.*
	valgrind --tool=callgrind --trace-children=yes \
	    --callgrind-out-file=cg.out.%p "$evtriage" load -q -j 1 -T 0 "$@" \
	    -d cg.db cg.evtx > /dev/null 2> cg.err || { cat cg.err >&2; exit 1; }
	# Every record read, or the figure means nothing.
	[ "$(sqlite3 cg.db "SELECT records FROM evidence")" = $n ] ||
	    { cat cg.err >&2; exit 1; }
	grep -h '^summary:' cg.out.* | awk '{ s += $2 } END { print s }'
	rm -f cg.out.*
}
# cpu OPTION...: user + system seconds of a load.
cpu() {
	rm -f t.db*
	/usr/bin/time -f '%e %U %S' "$evtriage" load -q -j 1 "$@" -d t.db \
	    cg.evtx 2>&1 > /dev/null | tail -1 |
	    awk '{ printf "%.2f s wall, %.2f s CPU", $1, $2 + $3 }'
}
fast=$(ir) || exit 1
echo "fast reader: $fast instructions"
lib=$(ir -l) || exit 1
echo "libevtx alone: $lib instructions"
awk -v f="$fast" -v l="$lib" -v n="$n" 'BEGIN {
	printf "callgrind, whole load: fast reader %.0f instructions/record, libevtx alone %.0f (%.2f times)\n", f / n, l / n, l / f
}'
echo "fast reader:   $(cpu)"
echo "libevtx alone: $(cpu -l)"
