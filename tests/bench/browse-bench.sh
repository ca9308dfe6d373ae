#!/bin/sh
# Time the browser on a big case: time to the first screen and to open
# the tree of a hit, in a tmux pane, on a case of about a million events
# made by evtxgen.  Not part of make check.
#   tests/bench/browse-bench.sh [events] [share]
# Env: EVTRIAGE, EVTXGEN, BENCH_DIR (kept between runs: the case is made
# once).

: "${EVTRIAGE:=./evtriage}"
: "${EVTXGEN:=./tests/evtxgen}"
: "${EVTRIAGE_DATADIR:=$(dirname "$0")/../../db}"
export EVTRIAGE_DATADIR
n=${1:-1000000}
share=${2:-0.3}
dir=${BENCH_DIR:-/tmp/evtriage-bench}
mkdir -p "$dir"
command -v tmux > /dev/null || { echo "no tmux"; exit 77; }

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

if [ ! -f "$dir/case.db" ]; then
	t0=$(now)
	"$EVTXGEN" -n "$n" -k sysmon -p "$share" -o "$dir/big.evtx" || exit 2
	t1=$(now)
	echo "evtxgen: $n records in $(elapsed "$t0" "$t1") s"
	# Hits for the tree: every msiexec.exe, whatever its switches.
	mkdir -p "$dir/rules"
	sed -e 's/AND (process LIKE .*/AND 1/' \
	    "$EVTRIAGE_DATADIR/detections/windows_msiexec_dllregisterserver.sql" \
	    > "$dir/rules/windows_msiexec_dllregisterserver.sql"
	"$EVTRIAGE" scan -n -q -d "$dir/case.db" -r "$dir/rules" \
	    "$dir/big.evtx" > /dev/null
	t2=$(now)
	echo "scan: $(elapsed "$t1" "$t2") s"
fi
rows=$(sqlite3 "$dir/case.db" "SELECT count(*) FROM process" 2>/dev/null)
hits=$(sqlite3 "$dir/case.db" "SELECT count(*) FROM hit" 2>/dev/null)
echo "case: ${rows:-?} process events, ${hits:-?} hits"

TM="tmux -L evtriage-bench-$$ -f /dev/null"
trap '$TM kill-server > /dev/null 2>&1' EXIT
wait_for() {
	while ! $TM capture-pane -p -t b 2>/dev/null | grep -qF -- "$1"; do
		sleep 0.01
	done
}
t0=$(now)
$TM new-session -d -s b -x 120 -y 40 \
    "cd '$dir' && '$EVTRIAGE' browse -d case.db; sleep 5"
wait_for "newest first"
t1=$(now)
echo "first screen: $(elapsed "$t0" "$t1") s"
$TM send-keys -t b Enter
wait_for "Tree of hit"
t2=$(now)
echo "open a tree: $(elapsed "$t1" "$t2") s"
$TM send-keys -t b End Enter
wait_for "Details"
t3=$(now)
echo "details: $(elapsed "$t2" "$t3") s"
$TM send-keys -t b 4
wait_for "Timeline of"
t4=$(now)
echo "timeline (5 min either side): $(elapsed "$t3" "$t4") s"
# The timeline's pages, a jump to a typed time and another host, each
# timed to the header that names where it went (goal: under 0.5 s).
header() { $TM capture-pane -p -t b | sed -n 2p; }
wait_change() {
	_i=0
	while [ "$(header)" = "$1" ] && [ $_i -lt 1000 ]; do
		sleep 0.01
		_i=$((_i + 1))
	done
}
# Back first: the tree's process may be the host's last.
for k in '[' '[' ']' ; do
	h=$(header)
	ta=$(now)
	$TM send-keys -t b "$k"
	wait_change "$h"
	tb=$(now)
	echo "timeline page $k: $(elapsed "$ta" "$tb") s"
done
host=$(sqlite3 "$dir/case.db" "SELECT dest FROM process ORDER BY dest DESC LIMIT 1")
mid=$(sqlite3 "$dir/case.db" "SELECT _time FROM process WHERE dest = '$host' ORDER BY _time LIMIT 1 OFFSET (SELECT count(*) / 2 FROM process WHERE dest = '$host')")
jump=$(echo "$mid" | cut -c1-16 | tr T ' ')
h=$(header)
$TM send-keys -t b C
$TM send-keys -t b -l "$host"
ta=$(now)
$TM send-keys -t b Enter
wait_change "$h"
tb=$(now)
echo "timeline of another host ($host): $(elapsed "$ta" "$tb") s"
$TM send-keys -t b T
$TM send-keys -t b -l "${jump}Z"
ta=$(now)
$TM send-keys -t b Enter
wait_for "Timeline of $host, $jump"
tb=$(now)
echo "timeline jump to $jump: $(elapsed "$ta" "$tb") s"
h=$(header)
ta=$(now)
$TM send-keys -t b ']'
wait_change "$h"
tb=$(now)
echo "timeline page ] after the jump: $(elapsed "$ta" "$tb") s"
# A search of every event: a full scan, at most 5,000 shown.
$TM send-keys -t b S
$TM send-keys -t b -l "rundll32"
ta=$(now)
$TM send-keys -t b Enter
wait_for "Search rundll32:"
tb=$(now)
echo "search every event (rundll32): $(elapsed "$ta" "$tb") s"
$TM send-keys -t b S
$TM send-keys -t b -l "no-such-text-anywhere"
ta=$(now)
$TM send-keys -t b Enter
wait_for "Search no-such-text-anywhere:"
tb=$(now)
echo "search every event, no match: $(elapsed "$ta" "$tb") s"
$TM send-keys -t b 1 End
sleep 0.2
t5=$(now)
$TM send-keys -t b s
wait_for "riskiest first"
t6=$(now)
echo "resort the hits: $(elapsed "$t5" "$t6") s"
$TM send-keys -t b Q
