#!/bin/bash
# Archive benchmark (not part of make check): the same logs scanned as a
# folder and out of a stored zip, a deflated zip, a tar and a tar.gz, in
# the same run, -j 1 so that the cost per byte is compared and not the
# scheduling; each twice, taking turns, the faster run of each counting.
# Prints wall and CPU time of each and its ratio to the folder (target:
# at most 1.2; deflate costs its decompression, tar and stored zip
# should be near 1.0), the peak RSS of its largest process, the CPU
# ratio with one decompression of the data taken out (zlib alone, as
# libarchive runs it: inflate and the CRC, timed on its own), the wall
# time and ratio of the same scan at -j 2, and the restarts of the entry
# streams at -vv.
#
#	tests/bench/archive-bench.sh [BUILDDIR] [WORKDIR]
#
# SCALE=0.1 makes a corpus a tenth the size for a quick look (its
# large log then fits in the 64 MiB an entry is read whole up to, and no
# entry restarts); ROUNDS=1 runs each once.  BASE=/path/to/evtriage (an
# older build) runs it too, in turns with this one, and prints its table
# after: before and after in the same run.  IR=1 counts instructions
# instead, each load once under callgrind, all its processes (workers
# from ingest_worker_main, a tar.gz's lister from container_archive_list,
# the walk's child of another archive from container_archive_walk_depth:
# what a fork inherits not counted twice): the measure that a busy
# machine does not move, without the kernel's part.
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

# run BIN NAME OPERAND [JOBS]: wall and CPU seconds and peak RSS (kB)
# of a load
run() {
	rm -f "$2.db" "$2.db"-*
	/usr/bin/time -f "%e %U %S %M" -o "$2.t" "$1" load -q \
	    -j "${4:-1}" -d "$2.db" "$3" 2> "$2.err"
	tail -1 "$2.t" | awk '{ print $1, $2 + $3, $4 }'
}
best() { # keep the faster of two "wall cpu rss" lines (by CPU, or wall)
	awk -v a="$1" -v b="$2" -v k="${3:-2}" 'BEGIN { split(a, x);
	    split(b, y); print (b == "" || x[k] < y[k]) ? a : b }'
}
# CPU seconds of zlib decompressing the compressed archive x alone, as
# libarchive does (inflate, CRC-32): the best of three.
inflate() {
	/usr/bin/python3 - "$1" <<'PY'
import os, sys, zipfile, zlib
def cpu():
    t = os.times()
    return t[0] + t[1]
path = sys.argv[1]
best = None
for _ in range(3):
    t0 = cpu()
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            for i in z.infolist():
                with z.open(i) as f:	# inflate and CRC-32
                    while f.read(1 << 20):
                        pass
    else:
        d = zlib.decompressobj(31)
        crc = 0
        with open(path, "rb") as f:
            while True:
                b = f.read(1 << 20)
                if not b:
                    break
                crc = zlib.crc32(d.decompress(b), crc)
    t = cpu() - t0
    best = t if best is None or t < best else best
print("%.3f" % best)
PY
}
names="folder c-stored.zip c-deflated.zip c.tar c.tar.gz"
builds=this; [ -n "${BASE:-}" ] && builds="this base"
declare -A bin t t2 z rows rows2
bin[this]=$evtriage
bin[base]=${BASE:-}
if [ -n "${IR:-}" ]; then
	for b in $builds; do
		echo "$b build (${bin[$b]}): instructions (callgrind)"
		for x in $names; do
			op=$x; [ $x = folder ] && op=corpus
			rm -rf ir.d ir.db ir.db-*; mkdir ir.d
			valgrind -q --tool=callgrind --trace-children=yes \
			    --zero-before=ingest_worker_main \
			    --zero-before=container_archive_list \
			    --zero-before=container_archive_walk_depth \
			    --callgrind-out-file="$PWD/ir.d/%p" "${bin[$b]}" \
			    load -q -j 1 -d ir.db "$op" 2> /dev/null
			echo "$x $(cat ir.d/* | awk '/^summary:/ { n += $2 }
			    END { printf "%.0f", n }')"
		done | awk 'NR == 1 { i0 = $2 }
		    { printf "%-15s %7.0f M instructions  %.3f\n", $1,
		    $2 / 1e6, $2 / i0 }'
	done | tee results-ir.txt
	exit 0
fi
for round in $(seq 1 "${ROUNDS:-2}"); do
	for x in $names; do
		op=$x; [ $x = folder ] && op=corpus
		for b in $builds; do
			k="$b $x"
			t[$k]=$(best "$(run "${bin[$b]}" "$x" "$op")" \
			    "${t[$k]:-}" 2)
			rows[$k]=$(sqlite3 "$x.db" "SELECT count(*) FROM process")
			t2[$k]=$(best "$(run "${bin[$b]}" "$x" "$op" 2)" \
			    "${t2[$k]:-}" 1)
			rows2[$k]=$(sqlite3 "$x.db" \
			    "SELECT count(*) FROM process")
		done
	done
	echo "round $round done"
done
for x in $names; do
	case $x in
	c-deflated.zip|c.tar.gz) z[$x]=$(inflate "$x") ;;
	*) z[$x]=0 ;;
	esac
done
: > results.txt
for b in $builds; do
	echo "$b build (${bin[$b]}):"
	echo "  -j 1: wall, CPU, MB/s, CPU ratio (without one inflate of the" \
	    "data), peak RSS;"
	echo "  -j 2: wall and its ratio"
	for x in $names; do
		echo "$x ${t[$b $x]} ${rows[$b $x]} ${z[$x]} ${t2[$b $x]}" \
		    "${rows2[$b $x]}"
	done | awk -v mb="$mb" '
	NR == 1 { c0 = $3; r0 = $5; w2 = $7 }
	{ printf "%-15s %5.2f s %5.2f s CPU %5.1f MB/s  CPU %.2f", $1, $2,
	    $3, mb / $2, $3 / c0;
	  if ($6 > 0)
		printf " (%.2f without %.2f s inflate)", ($3 - $6) / c0, $6;
	  else
		printf "%27s", "";
	  printf "  %4d MB RSS  -j 2: %5.2f s wall %.2f  rows %d%s\n",
	    $4 / 1024, $7, $7 / w2, $5,
	    $5 == r0 && $10 == r0 ? "" : " MISMATCH" }'
done | tee -a results.txt

# Restarts of the entry streams (reads behind the 2 MiB cache), per file.
rm -f rs.db rs.db-*
"$evtriage" load -q -vv -j 1 -d rs.db c-stored.zip 2>&1 |
    grep 'read again from the start' | sed 's/.*start //' | sort | uniq -c |
    awk '{ printf "entries restarted %s: %d\n", $2, $1 }' | tee -a results.txt
