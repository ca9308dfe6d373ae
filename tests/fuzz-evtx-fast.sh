#!/bin/sh
# Build the libFuzzer target for the fast EVTX decoder with clang (the
# project's CC is gcc, so it has a rule of its own here), replay every
# input kept in tests/fuzz/regress, then fuzz for a short while
# (FUZZ_SECONDS, default 20) from chunks of the samples and of generated
# logs.  Skipped without clang and libFuzzer.
. "${srcdir:-.}/tests/lib.sh"

: "${CLANG:=clang}"
: "${FUZZ_SECONDS:=20}"
command -v "$CLANG" > /dev/null 2>&1 || skip_all "no clang"
cflags=$(pkg-config --cflags libevtx libbfio nettle 2>/dev/null)
libs=$(pkg-config --libs libevtx libbfio nettle 2>/dev/null)
top=${abs_top_srcdir:-$srcdir}
# config.h is in the build tree; fall back to the source tree's.
cfg=$(pwd)/config.h
[ -f "$cfg" ] || cfg=$top/config.h
[ -f "$cfg" ] || skip_all "no config.h: run configure first"
fz=$T/fuzz-evtx-fast
if ! "$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=undefined -include "$cfg" -I"$top" \
    -I"$top/triage" $cflags -o "$fz" "$top/tests/fuzz/fuzz-evtx-fast.c" \
    "$top/parsers/evtx-fast.c" "$top/parsers/evtx-read.c" \
    "$top/parsers/evtx-window.c" "$top/parsers/evtx-xml.c" \
    "$top/parsers/buf.c" "$top/parsers/evidence-walk.c" \
    "$top/parsers/evidence-identify.c" "$top/triage/escape.c" \
    "$top/triage/xmalloc.c" "$top/triage/log.c" \
    $libs > "$T/cc.out" 2>&1; then
	sed 's/^/# /' "$T/cc.out" | tail -20
	grep -q 'fuzzer' "$T/cc.out" && skip_all "clang has no libFuzzer"
	notok "build the fuzz target"
	finish
fi
ok "build the fuzz target"

reg=$top/tests/fuzz/regress/fuzz-evtx-fast
if ls "$reg"/* > /dev/null 2>&1; then
	if "$fz" -runs=0 "$reg"/* > "$T/replay.out" 2>&1; then
		ok "replay tests/fuzz/regress/fuzz-evtx-fast ($(ls "$reg" |
		    wc -l) inputs)"
	else
		notok "replay tests/fuzz/regress/fuzz-evtx-fast"
		tail -30 "$T/replay.out" | sed 's/^/#   /'
	fi
fi

# Seeds: every chunk of a few logs.
mkdir -p "$T/corpus"
"$EVTXGEN" -n 400 -k security -o "$T/seed1.evtx"
"$EVTXGEN" -n 300 -k sysmon -o "$T/seed2.evtx"
"$EVTXGEN" -o "$T/seed3.evtx" "$top/tests/scenarios/hostile.txt"
i=0
for f in "$T"/seed*.evtx $(find "$top/samples" -name '*.evtx' | head -20); do
	sz=$(wc -c < "$f")
	k=0
	while [ $((4096 + (k + 1) * 65536)) -le "$sz" ]; do
		i=$((i + 1))
		tail -c +$((4096 + k * 65536 + 1)) "$f" | \
		    head -c 65536 > "$T/corpus/c$i"
		k=$((k + 1))
	done
done
nice "$fz" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=10 \
    -rss_limit_mb=1024 "$T/corpus" > "$T/fuzz.out" 2>&1
s=$?
grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units' "$T/fuzz.out" | \
    sed 's/^/# /'
tail -1 "$T/fuzz.out" | sed 's/^/# /'
if [ $s = 0 ]; then
	ok "fuzz ${FUZZ_SECONDS}s: no crash"
else
	notok "fuzz ${FUZZ_SECONDS}s: no crash"
	grep -A30 'ERROR' "$T/fuzz.out" | head -40 | sed 's/^/#   /'
fi
finish
