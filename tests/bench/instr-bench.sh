#!/bin/sh
# Instructions per record of the whole ingest (issue #14's targets), in
# one run:
#  - callgrind (whose counts do not vary with the machine's load) over
#    `evtriage load -j 1` of a generated Security log of 40,000 records
#    into a fresh case, every process counted: in all, without SHA-256,
#    and split by inclusive cost of the functions that own each stage:
#    decoder (evtx_fast_chunk less its callback), normaliser
#    (event_norm, event_norm_clear), wire (the rest of the callback and
#    the loader's ingest_wire_get_*), loader (the loader process less
#    the wire; of it SQLite, libsqlite3's own instructions), libevtx
#    (evtx_read_open: the part's open, whose checksums libevtx reads),
#    hash (source_sha256) and other (the rest: start, walk, exit);
#  - SHA-256's native MB/s (sha256-rate.c: nettle over memory), since
#    under valgrind nettle cannot use the CPU's SHA instructions;
#  - records/s with 2 workers on a corpus of 4 such logs, the fast
#    reader and libevtx alone (-l), each the better of 2 runs.
#
#	tests/bench/instr-bench.sh [BUILDDIR] [WORKDIR]
#
# INSTR_BENCH_RATE=0 leaves out the timed runs (callgrind and SHA-256
# only), to measure one change after another.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
work=${2:-/tmp/evtriage-instr-bench}
evtriage=$build/evtriage
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work" && cd "$work" || exit 1
n=40000
"$build/tests/evtxgen" -n $n -k security -s 9 -o cg.evtx || exit 1
share=$("$build/tests/evtxgen" -x -n $n -k security -s 9 |
    awk -F '\t' -v n=$n '$2 == "EventID" && $3 == 4688 { k++ }
    END { printf "%.1f", 100 * k / n }')
echo "corpus: $n records, $share% of them 4688"

# inc FILE FUNCTION: the inclusive instructions of FUNCTION in FILE.
inc() {
	awk -v f="$2" '{ gsub(",", "", $1) }
	    index($0, ":" f " [") { s = $1; exit } END { printf "%.0f\n", s }' \
	    "$1.inc"
}
rm -rf cg.db* cg.out.* cg.err
valgrind --tool=callgrind --trace-children=yes \
    --callgrind-out-file=cg.out.%p "$evtriage" load -q -j 1 -T 0 \
    -d cg.db cg.evtx > /dev/null 2> cg.err || { cat cg.err >&2; exit 1; }
# Every record read, or the figures mean nothing.
[ "$(sqlite3 cg.db "SELECT records FROM evidence")" = $n ] ||
    { cat cg.err >&2; exit 1; }
total=0 hash=0 open=0 chunk=0 cb=0 norm=0 wire=0 loader=0 sqlite=0
for f in cg.out.*; do
	callgrind_annotate --inclusive=yes --threshold=100 "$f" \
	    > "$f.inc" 2> /dev/null
	t=$(grep -h '^summary:' "$f" | awk '{ print $2 }')
	total=$((total + t))
	if [ "$(inc "$f" ingest_worker_main)" -gt 0 ]; then
		hash=$((hash + $(inc "$f" source_sha256)))
		open=$((open + $(inc "$f" evtx_read_open)))
		chunk=$((chunk + $(inc "$f" evtx_fast_chunk)))
		cb=$((cb + $(inc "$f" ingest_worker_record)))
		norm=$((norm + $(inc "$f" event_norm) + \
		    $(inc "$f" event_norm_clear)))
	elif [ "$(inc "$f" ingest_load_message)" -gt 0 ]; then
		w=$(($(inc "$f" ingest_wire_get_row) + \
		    $(inc "$f" ingest_wire_get_problem)))
		wire=$((wire + w))
		loader=$((loader + t - w))
		s=$(callgrind_annotate --threshold=100 "$f" 2> /dev/null |
		    awk '/libsqlite3\.so/ { gsub(",", "", $1); s += $1 }
		    END { printf "%.0f", s }')
		sqlite=$((sqlite + s))
	fi
done
rm -f cg.out.*
# The callback is the normaliser and the wire; the rest of it is wire.
awk -v n=$n -v t=$total -v h=$hash -v o=$open -v c=$chunk -v cb=$cb \
    -v no=$norm -v w=$wire -v l=$loader -v s=$sqlite 'BEGIN {
	wire = w + cb - no
	dec = c - cb
	other = t - h - o - c - l - w
	printf "callgrind, instructions per record: %.0f in all, %.0f without SHA-256\n", t / n, (t - h) / n
	printf "  decoder      %6.0f\n", dec / n
	printf "  normaliser   %6.0f\n", no / n
	printf "  wire         %6.0f\n", wire / n
	printf "  loader       %6.0f  (SQLite %.0f)\n", l / n, s / n
	printf "  libevtx      %6.0f  (opening the part)\n", o / n
	printf "  other        %6.0f\n", other / n
	printf "  SHA-256      %6.0f  (nettle without SHA-NI under valgrind)\n", h / n
}'

# SHA-256 natively, over memory.
gcc -O2 -o sha256-rate "$top/tests/bench/sha256-rate.c" -lnettle || exit 1
mbs=$(./sha256-rate 512)
echo "SHA-256 (nettle, native, 512 MB in memory): $mbs MB/s"

[ "${INSTR_BENCH_RATE:-1}" = 0 ] && exit 0

# Records a second with 2 workers, the better of 2 runs of each.
rm -rf corpus && mkdir corpus
for s in 1 2 3 4; do
	"$build/tests/evtxgen" -n $n -k security -s $s \
	    -o corpus/s$s.evtx || exit 1
done
recs=$((4 * n))
# rate OPTION...: the better records/s of 2 loads into a fresh case,
# and the CPU seconds (user + system, every process) of that load: on a
# shared machine the wall clock waits for others, the CPU less so.
rate() {
	best=0 cpu=0
	for i in 1 2; do
		rm -f r.db*
		t=$( { /usr/bin/time -f '%e %U %S' "$evtriage" load -q -j 2 \
		    "$@" -d r.db corpus > /dev/null; } 2>&1 | tail -1)
		r=$(echo "$t" | awk -v r=$recs '{ print ($1 > 0 ? r / $1 : 0) }')
		if awk -v a="$r" -v b="$best" 'BEGIN { exit !(a > b) }'; then
			best=$r
			cpu=$(echo "$t" | awk '{ print $2 + $3 }')
		fi
	done
	echo "$best $cpu"
}
fast=$(rate)
lib=$(rate -l)
awk -v f="$fast" -v l="$lib" -v r=$recs 'BEGIN {
	split(f, a, " "); split(l, b, " ")
	printf "2 workers, %d records: fast reader %.0f records/s (%.2f s CPU), libevtx alone %.0f records/s (%.2f s CPU): %.2f times the records/s, %.2f times less CPU\n", r, a[1], a[2], b[1], b[2], a[1] / b[1], b[2] / a[2]
}'
