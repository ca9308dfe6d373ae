#!/bin/bash
# Ingest benchmark (not part of make check): a corpus of about 1 GB made
# with the sample writer, then, measured in the same run on the same
# files: evtriage's ingest (wall and CPU, records/s, MB/s, peak memory,
# case size per event), libevtx's evtxexport -f xml over the same files
# one after another, the floor loop (open each file, read every record's
# event id), and instructions per record under callgrind.
#
#	tests/bench/ingest-bench.sh [BUILDDIR] [WORKDIR]
#
# SCALE=0.1 makes a corpus a tenth the size for a quick look.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
work=${2:-/tmp/evtriage-bench}
scale=${SCALE:-1}
evtriage=$build/evtriage
evtxgen=$build/tests/evtxgen
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work/corpus"
cd "$work" || exit 1

n() { awk -v s="$scale" -v n="$1" 'BEGIN { printf "%d", n * s }'; }
now() { date +%s.%N; }
cpu() { # user+sys seconds of a command, from /usr/bin/time
	awk '/^user/ { u = $2 } /^sys/ { s = $2 } END { print u + s }' "$1"
}

gcc -O2 -o floor "$top/tests/bench/floor.c" \
    $(pkg-config --cflags --libs libevtx) || exit 1
# The same loop with the allocator evtriage links, when it links one:
# what libevtx itself costs, whoever allocates.
if grep -q '^#define HAVE_MIMALLOC 1' "$build/config.h" 2>/dev/null; then
	gcc -O2 -o floor-mi "$top/tests/bench/floor.c" -Wl,--no-as-needed \
	    -lmimalloc $(pkg-config --cflags --libs libevtx) || exit 1
else
	cp floor floor-mi
fi

if [ ! -e corpus/.done ]; then
	echo "writing the corpus..."
	# A few large logs, as on a busy server; many small ones, as in a
	# collection from many hosts.
	"$evtxgen" -n "$(n 700000)" -k security -s 1 -o corpus/big-security.evtx
	"$evtxgen" -n "$(n 600000)" -k sysmon -s 2 -o corpus/big-sysmon.evtx
	for i in $(seq 1 30); do
		mkdir -p corpus/host$i
		"$evtxgen" -n "$(n 12000)" -k security -s $((100 + i)) \
		    -o corpus/host$i/Security.evtx
		"$evtxgen" -n "$(n 10000)" -k sysmon -s $((200 + i)) \
		    -o "corpus/host$i/Microsoft-Windows-Sysmon%4Operational.evtx"
	done
	touch corpus/.done
fi
files=$(find corpus -name '*.evtx' | sort)
bytes=$(du -cb $files | tail -1 | cut -f1)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')
echo "corpus: $(echo "$files" | wc -l) files, $mb MB"

# evtriage with the default jobs (the number of cores), and yardstick 1,
# evtxexport -f xml over the same files one after another: each twice,
# taking turns, and the faster run of each counts, so that a slow spell
# of a shared machine does not decide the ratio.
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
t0=""; tx=""; rss=0
for round in 1 2; do
	rm -f case.db case.db-*
	/usr/bin/time -v -o ev.time "$evtriage" load -q -d case.db corpus \
	    2> ev.err
	t=$(awk '/Elapsed/ { split($NF, a, ":"); print a[1] * 60 + a[2] }' ev.time)
	r=$(awk '/Maximum resident/ { print $NF }' ev.time)
	[ "$r" -gt "$rss" ] && rss=$r
	if [ -z "$t0" ] || [ "$(best "$t" "$t0")" = "$t" ]; then
		t0=$t
		cp ev.time ev.best
	fi
	s=$(now)
	for f in $files; do evtxexport -f xml "$f" > /dev/null 2>&1; done
	tx=$(best "$(awk -v a="$s" -v b="$(now)" 'BEGIN { print b - a }')" "$tx")
	echo "round $round: evtriage $t s, evtxexport so far best $tx s"
done
records=$(sqlite3 case.db 'SELECT sum(records) + sum(recovered) FROM evidence')
events=$(sqlite3 case.db 'SELECT (SELECT count(*) FROM process) + (SELECT count(*) FROM process_end)')
evcpu=$(cpu <(awk '/User time/ { print "user", $NF } /System time/ { print "sys", $NF }' ev.best))
casesize=$(du -b case.db | cut -f1)

# evtriage on one core, for the CPU comparison.
rm -f case1.db case1.db-*
/usr/bin/time -v -o ev1.time "$evtriage" load -q -j 1 -d case1.db corpus 2> /dev/null
t1=$(awk '/Elapsed/ { split($NF, a, ":"); print a[1] * 60 + a[2] }' ev1.time)
ev1cpu=$(cpu <(awk '/User time/ { print "user", $NF } /System time/ { print "sys", $NF }' ev1.time))

# Yardstick 2: the floor loop.
/usr/bin/time -v -o floor.time ./floor $files > floor.out
tf=$(awk '/Elapsed/ { split($NF, a, ":"); print a[1] * 60 + a[2] }' floor.time)
fcpu=$(cpu <(awk '/User time/ { print "user", $NF } /System time/ { print "sys", $NF }' floor.time))
/usr/bin/time -v -o floormi.time ./floor-mi $files > floormi.out
tfm=$(awk '/Elapsed/ { split($NF, a, ":"); print a[1] * 60 + a[2] }' floormi.time)
fmcpu=$(cpu <(awk '/User time/ { print "user", $NF } /System time/ { print "sys", $NF }' floormi.time))

# Instructions per record, which do not vary with the machine's load.
"$evtxgen" -n 40000 -k security -s 9 -o cg.evtx
rm -f cg.db*
valgrind --tool=callgrind --trace-children=yes \
    --callgrind-out-file=cg.out.%p "$evtriage" load -q -j 1 -d cg.db cg.evtx \
    > /dev/null 2> cg.err
ir=$(grep -h '^summary:' cg.out.* | awk '{ s += $2 } END { print s }')
valgrind --tool=callgrind --callgrind-out-file=cgf.out ./floor cg.evtx \
    > /dev/null 2> /dev/null
irf=$(grep -h '^summary:' cgf.out | awk '{ print $2 }')
valgrind --tool=callgrind --callgrind-out-file=cgfm.out ./floor-mi cg.evtx \
    > /dev/null 2> /dev/null
irfm=$(grep -h '^summary:' cgfm.out | awk '{ print $2 }')
rm -f cg.out.* cgf.out cgfm.out

awk -v r="$records" -v ev="$events" -v mb="$mb" -v t0="$t0" -v t1="$t1" \
    -v c0="$evcpu" -v c1="$ev1cpu" -v tx="$tx" -v tf="$tf" -v cf="$fcpu" \
    -v tfm="$tfm" -v cfm="$fmcpu" -v irfm="$irfm" \
    -v rss="$rss" -v cs="$casesize" -v ir="$ir" -v irf="$irf" 'BEGIN {
	printf "records: %d, process events loaded: %d\n", r, ev
	printf "evtriage (all cores): %.1f s wall, %.1f s CPU, %.0f records/s, %.1f MB/s\n", t0, c0, r / t0, mb / t0
	printf "evtriage (-j 1):      %.1f s wall, %.1f s CPU, %.0f records/s\n", t1, c1, r / t1
	printf "evtxexport -f xml:    %.1f s wall, %.0f records/s\n", tx, r / tx
	printf "floor loop:           %.1f s wall, %.1f s CPU, %.0f records/s\n", tf, cf, r / tf
	printf "floor loop, mimalloc: %.1f s wall, %.1f s CPU, %.0f records/s\n", tfm, cfm, r / tfm
	printf "peak memory: %.1f MB; case: %.0f bytes per event\n", rss / 1024, cs / ev
	printf "ratio to evtxexport (records/s, all cores): %.2f (target >= 4)\n", tx / t0
	printf "CPU per record, evtriage -j 1 / floor: %.2f (target <= 1.3)\n", c1 / cf
	printf "CPU per record, evtriage -j 1 / floor with mimalloc: %.2f\n", c1 / cfm
	printf "callgrind, 40,000-record Security log: evtriage %.0f instructions/record, floor %.0f (%.2f), floor with mimalloc %.0f (%.2f)\n", ir / 40000, irf / 40000, ir / irf, irfm / 40000, ir / irfm
}' | tee results.txt
