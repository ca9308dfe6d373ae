#!/bin/sh
# run.sh TARGET [SECONDS [LIBFUZZER-OPTIONS...]]: fuzz one target for a
# while (default 600 s) on one core, from the build tree after `make
# fuzz`.  The corpus grows in tests/fuzz/corpus/TARGET (seeded on the
# first run by seeds.sh); crashes, leaks and timeouts are written to
# tests/fuzz/crash/TARGET/.  Copy each one to tests/fuzz/regress/TARGET/
# in the source tree: make check replays them.
: "${srcdir:=$(dirname "$0")/../..}"
: "${EVTXGEN:=./tests/evtxgen}"
export srcdir EVTXGEN
LSAN_OPTIONS=suppressions=$srcdir/tests/fuzz/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
ASAN_OPTIONS=suppressions=$srcdir/tests/fuzz/asan.supp${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export ASAN_OPTIONS
t=${1:?usage: run.sh TARGET [SECONDS [OPTIONS...]]}
s=${2:-600}
[ $# -ge 2 ] && shift 2 || shift $#
bin=tests/fuzz/$t
[ -x "$bin" ] || { echo "run.sh: no $bin: run 'make fuzz' first" >&2; exit 2; }
c=tests/fuzz/corpus/$t
crash=tests/fuzz/crash/$t
mkdir -p "$crash"
if ! [ -d "$c" ]; then
	sh "$srcdir/tests/fuzz/seeds.sh" "$t" "$c" || exit 2
fi
reg=
[ -d "$srcdir/tests/fuzz/regress/$t" ] && reg=$srcdir/tests/fuzz/regress/$t
# EVTX inputs: the file header and two chunks are enough to reach every
# part of the reader, windows included, and keep each run fast.
len=
case $t in fuzz-evtx*) len=-max_len=135168 ;; esac
exec "$bin" -max_total_time="$s" -timeout=30 -rss_limit_mb=2048 $len \
    -print_final_stats=1 -artifact_prefix="$crash/" "$@" "$c" $reg
