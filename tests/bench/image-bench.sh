#!/bin/bash
# Image benchmark (not part of make check): the same EVTX logs scanned
# from a folder and from an NTFS image holding them in
# Windows/System32/winevt/Logs (through libtsk), in the same run, taking
# turns; prints both times, the ratio (the goal: at most 1.2) and each
# run's peak memory.
#
#	tests/bench/image-bench.sh [BUILDDIR] [WORKDIR]
#
# SCALE=0.1 makes logs a tenth the size for a quick look.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top}" && pwd)	# it cds to WORKDIR
work=${2:-/tmp/evtriage-image-bench}
scale=${SCALE:-1}
evtriage=$build/evtriage
evtxgen=$build/tests/evtxgen
ntfsput=$build/tests/ntfsput
export EVTRIAGE_DATADIR=$top/db
[ -x "$ntfsput" ] || { echo "no $ntfsput: make tests/ntfsput"; exit 2; }
mkdir -p "$work/logs"
cd "$work" || exit 1

n() { awk -v s="$scale" -v n="$1" 'BEGIN { printf "%d", n * s }'; }
if [ ! -e .done ]; then
	echo "writing the logs and the image..."
	"$evtxgen" -n "$(n 300000)" -k security -s 1 -o logs/Security.evtx
	"$evtxgen" -n "$(n 250000)" -k sysmon -s 2 \
	    -o "logs/Microsoft-Windows-Sysmon%4Operational.evtx"
	for i in 1 2 3 4; do
		"$evtxgen" -n "$(n 20000)" -k security -s $((10 + i)) \
		    -o "logs/Archive-Security-$i.evtx"
	done
	bytes=$(du -cb logs/*.evtx | tail -1 | cut -f1)
	size=$(( (bytes * 12 / 10 / 1048576 + 64) ))
	rm -f disk.img
	truncate -s "${size}M" disk.img
	mkntfs -F -Q -q disk.img > /dev/null 2>&1 || exit 1
	for f in logs/*.evtx; do
		"$ntfsput" disk.img "$f" \
		    "/Windows/System32/winevt/Logs/$(basename "$f")" > /dev/null ||
		    exit 1
	done
	touch .done
fi
mb=$(du -cb logs/*.evtx | tail -1 | awk '{ printf "%.0f", $1 / 1048576 }')
echo "logs: $(ls logs | wc -l) files, $mb MB; image $(du -b disk.img | awk '{ printf "%.0f", $1 / 1048576 }') MB"

secs() { awk '/Elapsed/ { split($NF, a, ":"); print a[1] * 60 + a[2] }' "$1"; }
cpu() { awk '/User time/ { u = $NF } /System time/ { s = $NF } END { print u + s }' "$1"; }
rss() { awk '/Maximum resident/ { print $NF }' "$1"; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
tf=""; ti=""; cf=""; ci=""; rf=0; ri=0
for round in 1 2 3; do
	rm -f folder.db* image.db*
	/usr/bin/time -v -o f.time "$evtriage" load -q -d folder.db logs \
	    2> f.err || { cat f.err; exit 1; }
	/usr/bin/time -v -o i.time "$evtriage" load -q -d image.db disk.img \
	    2> i.err || { cat i.err; exit 1; }
	tf=$(best "$(secs f.time)" "$tf"); ti=$(best "$(secs i.time)" "$ti")
	cf=$(best "$(cpu f.time)" "$cf"); ci=$(best "$(cpu i.time)" "$ci")
	[ "$(rss f.time)" -gt "$rf" ] && rf=$(rss f.time)
	[ "$(rss i.time)" -gt "$ri" ] && ri=$(rss i.time)
	echo "round $round: folder $(secs f.time) s, image $(secs i.time) s"
done
a=$(sqlite3 folder.db 'SELECT count(*) FROM process')
b=$(sqlite3 image.db 'SELECT count(*) FROM process')
[ "$a" = "$b" ] || echo "MISMATCH: $a process rows from the folder, $b from the image"
echo "process rows: $a (folder), $b (image)"
echo "folder: best $tf s wall, $cf s CPU, peak $((rf / 1024)) MB"
echo "image:  best $ti s wall, $ci s CPU, peak $((ri / 1024)) MB"
awk -v f="$tf" -v i="$ti" -v cf="$cf" -v ci="$ci" 'BEGIN {
	r = i / f
	printf "ratio image/folder: %.2f wall, %.2f CPU (goal: at most 1.2) %s\n",
	    r, ci / cf, r <= 1.2 ? "ok" : "OVER"
}'
