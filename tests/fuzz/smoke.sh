#!/bin/sh
# The libFuzzer targets (tests/fuzz/) in make check: each replays the
# inputs saved in tests/fuzz/regress/TARGET/, then fuzzes for a few
# seconds (FUZZ_SECONDS, default 5) from its seeds (seeds.sh).  make
# check builds the targets when configure found clang with libFuzzer;
# crashes go to tests/fuzz/crash/TARGET/ in the build tree.  A longer
# run: tests/fuzz/run.sh TARGET SECONDS.
. "${srcdir:-.}/tests/lib.sh" || exit 1
: "${FUZZ_SECONDS:=5}"
LSAN_OPTIONS=suppressions=$srcdir/tests/fuzz/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
ASAN_OPTIONS=suppressions=$srcdir/tests/fuzz/asan.supp${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export ASAN_OPTIONS

[ -n "$FUZZ_TARGETS" ] || skip_all "FUZZ_TARGETS is not set (make check sets it)"
built=0
for t in $FUZZ_TARGETS; do
	[ -x "tests/fuzz/$t" ] && built=1
done
[ $built = 1 ] || skip_all "no fuzz target built (needs clang and libFuzzer: apt-get install clang)"
[ -x "$EVTXGEN" ] || skip_all "no evtxgen at $EVTXGEN"
for t in $FUZZ_TARGETS; do
	bin=tests/fuzz/$t
	if ! [ -x "$bin" ]; then
		skip "$t: not built"
		continue
	fi
	crash=tests/fuzz/crash/$t
	mkdir -p "$crash"
	reg=$srcdir/tests/fuzz/regress/$t
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		"$bin" -timeout=30 -rss_limit_mb=2048 "$reg"/* \
		    > "$T/$t.replay" 2>&1
		rc=$?
		check_eq "$t: the inputs in tests/fuzz/regress/$t run clean" \
		    0 $rc
		grep -a 'ERROR\|SUMMARY\|^ *#[0-9]' "$T/$t.replay" | head -20 |
		    sed 's/^/#   /'
	fi
	if ! sh "$srcdir/tests/fuzz/seeds.sh" "$t" "$T/$t.seeds" \
	    > "$T/$t.seeds.out" 2>&1; then
		notok "$t: seeds"
		sed 's/^/#   /' "$T/$t.seeds.out" | head
		continue
	fi
	mkdir "$T/$t.corpus"
	"$bin" -max_total_time="$FUZZ_SECONDS" -seed=1 -timeout=30 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$crash/" "$T/$t.corpus" "$T/$t.seeds" \
	    > "$T/$t.out" 2>&1
	rc=$?
	n=$(ls "$T/$t.seeds" | wc -l)
	check_eq "$t: $FUZZ_SECONDS s from $n seeds without a crash" 0 $rc
	grep -a 'stat::number_of_executed_units\|ERROR\|SUMMARY\|^artifact_prefix\|Test unit written' \
	    "$T/$t.out" | head -20 | sed 's/^/#   /'
done
finish
