#!/bin/bash
# XML export benchmark (not part of make check): the same synthetic logs
# as EVTX and as XML exports (tests/xml-export.py over evtxexport), each
# loaded into a fresh case in the same run, in turns: records/s and peak
# memory of the EVTX reader over libevtx and of the XML reader over
# expat, one worker each file.
#
#	tests/bench/xml-bench.sh [BUILDDIR] [WORKDIR]
#
# RECORDS (default 200000) records in each of FILES (default 2) logs,
# half Sysmon and half Security.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
work=${2:-/tmp/evtriage-xml-bench}
records=${RECORDS:-200000}
files=${FILES:-2}
evtriage=$build/evtriage
export EVTRIAGE_DATADIR=$top/db
mkdir -p "$work/evtx" "$work/xml"
cd "$work" || exit 1

if [ ! -e .done ]; then
	i=0
	while [ $i -lt "$files" ]; do
		k=sysmon
		[ $((i % 2)) = 1 ] && k=security
		"$build/tests/evtxgen" -n "$records" -k $k -s $((i + 1)) \
		    -o evtx/log$i.evtx || exit 1
		/usr/bin/python3 "$top/tests/xml-export.py" bare evtx/log$i.evtx \
		    xml/log$i.xml || exit 1
		i=$((i + 1))
	done
	touch .done
fi

# load NAME DIR: one load into a fresh case; prints records/s and MB.
load() {
	rm -f "$1.db" "$1.db-wal" "$1.db-shm"
	s=$(date +%s.%N)
	/usr/bin/time -v "$evtriage" load -q -d "$1.db" "$2" \
	    > /dev/null 2> "$1.time"
	e=$(date +%s.%N)
	n=$(sqlite3 "$1.db" 'SELECT sum(records) FROM evidence')
	p=$(sqlite3 "$1.db" 'SELECT count(*) FROM process')
	mb=$(du -sm "$2" | cut -f1)
	rss=$(awk '/Maximum resident/ { print int($6 / 1024) }' "$1.time")
	awk -v n="$n" -v p="$p" -v s="$s" -v e="$e" -v mb="$mb" \
	    -v rss="$rss" -v w="$1" 'BEGIN { printf "%-5s %d records " \
	    "(%d process rows), %d MB, %.2f s: %.0f records/s, %.1f MB/s, " \
	    "peak %d MB (largest process)\n", w, n, p, mb, e - s, n / (e - s),
	    mb / (e - s), rss }'
}
for run in 1 2; do
	load evtx evtx
	load xml xml
done
