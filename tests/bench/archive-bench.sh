#!/bin/bash
# Archive benchmark (not part of make check): the same logs scanned as a
# folder and out of a stored zip, a deflated zip, a tar and a tar.gz, in
# the same run, -j 1 so that the cost per byte is compared and not the
# scheduling; each twice, taking turns, the faster run of each counting.
# Prints wall and CPU time of each and its ratio to the folder (target:
# at most 1.2; deflate costs its decompression, tar and stored zip
# should be near 1.0), and the restarts of the entry streams at -vv.
#
#	tests/bench/archive-bench.sh [BUILDDIR] [WORKDIR]
#
# SCALE=0.1 makes a corpus a tenth the size for a quick look (its
# large log then fits in the 64 MiB an entry is read whole up to, and no
# entry restarts); ROUNDS=1 runs each once.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top}" && pwd)
work=${2:-/tmp/evtriage-archive-bench}
scale=${SCALE:-1}
evtriage=$build/evtriage
evtxgen=$build/tests/evtxgen
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work/corpus"
cd "$work" || exit 1

n() { awk -v s="$scale" -v n="$1" 'BEGIN { printf "%d", n * s }'; }

if [ ! -e corpus/.done ]; then
	echo "writing the corpus..."
	"$evtxgen" -n "$(n 200000)" -k security -s 1 -o corpus/big-security.evtx
	for i in $(seq 1 10); do
		mkdir -p corpus/host$i
		"$evtxgen" -n "$(n 10000)" -k security -s $((100 + i)) \
		    -o corpus/host$i/Security.evtx
		"$evtxgen" -n "$(n 8000)" -k sysmon -s $((200 + i)) \
		    -o "corpus/host$i/Microsoft-Windows-Sysmon%4Operational.evtx"
	done
	rm -f c-*.zip c.tar c.tar.gz
	touch corpus/.done
fi
(cd corpus && [ -e ../c-stored.zip ] || zip -q -0 -r ../c-stored.zip . -x .done)
(cd corpus && [ -e ../c-deflated.zip ] || zip -q -6 -r ../c-deflated.zip . -x .done)
[ -e c.tar ] || tar cf c.tar --exclude=.done corpus
[ -e c.tar.gz ] || gzip -c c.tar > c.tar.gz
mb=$(du -cb corpus | tail -1 | awk '{ printf "%.0f", $1 / 1048576 }')
echo "corpus: $(find corpus -name '*.evtx' | wc -l) files, $mb MB"

# run NAME OPERAND: wall and CPU seconds of a load, into NAME.time
run() {
	rm -f "$1.db" "$1.db"-*
	/usr/bin/time -f "%e %U %S" -o "$1.t" "$evtriage" load -q -j 1 \
	    -d "$1.db" "$2" 2> "$1.err"
	tail -1 "$1.t" | awk '{ print $1, $2 + $3 }'
}
best() { # keep the faster of two "wall cpu" lines
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x); split(b, y);
	    print (b == "" || x[1] < y[1]) ? a : b }'
}
names="folder c-stored.zip c-deflated.zip c.tar c.tar.gz"
declare -A t
for round in $(seq 1 "${ROUNDS:-2}"); do
	for x in $names; do
		op=$x; [ $x = folder ] && op=corpus
		t[$x]=$(best "$(run "$x" "$op")" "${t[$x]:-}")
	done
	echo "round $round done"
done
for x in $names; do
	rows=$(sqlite3 "$x.db" "SELECT count(*) FROM process")
	echo "$x ${t[$x]} $rows"
done | awk -v mb="$mb" '
	NR == 1 { w0 = $2; c0 = $3; r0 = $4 }
	{ printf "%-16s %6.2f s wall %6.2f s CPU  %5.1f MB/s  ratio %.2f " \
	    "(CPU %.2f)  rows %d%s\n", $1, $2, $3, mb / $2, $2 / w0, $3 / c0,
	    $4, $4 == r0 ? "" : " MISMATCH" }' | tee results.txt

# Restarts of the entry streams (reads behind the 2 MiB cache), per file.
rm -f rs.db rs.db-*
"$evtriage" load -q -vv -j 1 -d rs.db c-stored.zip 2>&1 |
    grep 'read again from the start' | sed 's/.*start //' | sort | uniq -c |
    awk '{ printf "entries restarted %s: %d\n", $2, $1 }' | tee -a results.txt
