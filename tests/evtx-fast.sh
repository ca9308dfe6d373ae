#!/bin/sh
# The fast EVTX decoder against the libevtx path, record by record
# (tests/test-evtx-fast), on generated scenarios, big logs, damaged logs
# and every file of ../shared/evtx-real; records only one reader reads
# are listed in the log, any other difference fails.  Where libevtx
# decodes characters beyond the basic plane wrongly, python-evtx decides
# (tests/evtx-fast-py.py).  EVTRIAGE_PY_REAL=1 also compares every real
# file with python-evtx (some minutes).
. "${srcdir:-.}/tests/lib.sh"

: "${TEST_EVTX_FAST:=./tests/test-evtx-fast}"
[ -x "$TEST_EVTX_FAST" ] || skip_all "no $TEST_EVTX_FAST"
PY=/usr/bin/python3
havepy=0
$PY -c 'import Evtx' 2>/dev/null && havepy=1

# differ NAME FILE [OPTION]: both readers agree on every record both
# read (-w N: in the windows of N chunks workers read).
differ() {
	"$TEST_EVTX_FAST" $3 "$2" > "$T/fast.out" 2>&1
	_s=$?
	grep '^# only' "$T/fast.out" | head -20
	if [ "$_s" = 0 ]; then ok "$1: $(sed -n 's/^ok - [^:]*: //p' \
	    "$T/fast.out" | tail -1)"
	elif [ $havepy = 1 ] && ! grep '^# record' "$T/fast.out" | \
	    grep -qv 'field [0-9]* value' && $PY "$srcdir/tests/evtx-fast-py.py" \
	    "$TEST_EVTX_FAST" "$2" | grep -q '^ok - '; then
		# Values only, and python-evtx reads them as the fast
		# decoder does: libevtx is wrong (characters beyond U+FFFF).
		grep '^# record' "$T/fast.out"
		ok "$1: libevtx differs on values python-evtx reads as fast"
	else
		notok "$1"
		grep -v '^# only' "$T/fast.out" | head -30 | sed 's/^/#   /'
	fi
}

n=0
for s in "$srcdir"/tests/scenarios/*.txt "$srcdir"/samples/scenarios/*.txt; do
	n=$((n + 1))
	"$EVTXGEN" -o "$T/s$n.evtx" "$s" || { notok "evtxgen $s"; continue; }
	differ "scenario $(basename "$s")" "$T/s$n.evtx"
done

"$EVTXGEN" -n 5000 -k security -o "$T/sec.evtx" &&
    differ "security -n 5000" "$T/sec.evtx"
"$EVTXGEN" -n 3000 -k sysmon -o "$T/sm.evtx" &&
    differ "sysmon -n 3000" "$T/sm.evtx"
"$EVTXGEN" -d -n 700 -k security -o "$T/dirty.evtx" &&
    differ "security -d" "$T/dirty.evtx"
differ "security -n 5000, windows of 8 chunks" "$T/sec.evtx" "-w 8"
differ "sysmon -n 3000, windows of 5 chunks" "$T/sm.evtx" "-w 5"
for k in dirty truncated badcrc badheadercrc garbage random hugesizes zero \
    badmagic; do
	"$EVTXGEN" -D $k -o "$T/d-$k.evtx" && differ "damaged $k" "$T/d-$k.evtx"
done

# Beyond the basic plane libevtx is wrong (U+1F600 reads as U+1F201):
# the differences must be those values only, and python-evtx must agree
# with the fast decoder.
mkevtx "$T/uni.evtx" 'sysmon1 CommandLine="cmd /c echo %u{1F600} done"
4688 CommandLine="x%u{E9}y%u{10FFFF}" NewProcessName="C:\%u{1F4A9}.exe"'
"$TEST_EVTX_FAST" "$T/uni.evtx" > "$T/uni.out" 2>&1
sed 's/^/#   /' "$T/uni.out"
if grep '^# record' "$T/uni.out" | grep -qv 'field [0-9]* value'; then
	notok "non-BMP: only values differ"
else
	ok "non-BMP: only values differ"
fi
check_eq "non-BMP: libevtx differs on 3 values" 3 \
    "$(grep -c '^# record' "$T/uni.out")"
if [ $havepy = 1 ]; then
	$PY "$srcdir/tests/evtx-fast-py.py" "$TEST_EVTX_FAST" "$T/uni.evtx" \
	    "$T/sec.evtx" "$T/sm.evtx" > "$T/py.out" 2>&1
	check "python-evtx agrees with the fast decoder" \
	    grep -q 'total: .* 0 only fast' "$T/py.out"
	if grep -q '^not ok' "$T/py.out"; then
		notok "python-evtx: no differences"
		grep '^#' "$T/py.out" | head -20
	else
		ok "python-evtx: no differences"
	fi
fi

# An embedded NUL and lone surrogates, written into a generated log (the
# checksums made again): libevtx cuts the value at the NUL and replaces
# the surrogate, python-evtx cannot read the record; the fast decoder
# keeps every unit and shows them escaped.
mkevtx "$T/nul.evtx" 'sysmon1 CommandLine="aQQQQb"
4688 CommandLine="cRRRRd"'
cat > "$T/patch.py" <<'PY'
import sys, zlib, struct
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
def rep(a, b):
    a = a.encode("utf-16-le"); i = d.find(a)
    assert i >= 0
    d[i:i + len(a)] = b
rep("QQQQ", struct.pack("<4H", 0, 0x58, 0xD800, 0x59))
rep("RRRR", struct.pack("<4H", 0x61, 0xDC00, 0x62, 0))
for off in range(4096, len(d) - 65535, 65536):
    c = d[off:off + 65536]
    if c[:8] != b"ElfChnk\0":
        continue
    free = struct.unpack_from("<I", c, 48)[0]
    struct.pack_into("<I", d, off + 52, zlib.crc32(bytes(c[512:free])))
    c = d[off:off + 65536]
    struct.pack_into("<I", d, off + 124, zlib.crc32(bytes(c[:120] + c[128:512])))
open(p, "wb").write(d)
PY
if [ $havepy = 1 ] || python3 -c '' 2>/dev/null; then
	${PY:-python3} "$T/patch.py" "$T/nul.evtx"
	"$TEST_EVTX_FAST" -d "$T/nul.evtx" | tr '\t' '\n' | \
	    grep '^CommandLine=' > "$T/nul.out"
	check_eq "NUL and lone surrogates kept, escaped" \
	    "$(printf '%s\n%s' 'CommandLine=a\\u0000X\\uD800Yb' \
	    'CommandLine=ca\\uDC00b\\u0000d')" "$(cat "$T/nul.out")"
	"$TEST_EVTX_FAST" "$T/nul.evtx" | sed 's/^/#   /'
fi

if [ -d "$EVTRIAGE_REAL" ]; then
	find "$EVTRIAGE_REAL" -name '*.evtx' | sort > "$T/real.list"
	fails=0 files=0
	while IFS= read -r f; do
		files=$((files + 1))
		"$TEST_EVTX_FAST" -w 2 "$f" > "$T/real.out" 2>&1 || {
			fails=$((fails + 1))
			notok "real: $f"
			grep -v '^# only' "$T/real.out" | head -20 | \
			    sed 's/^/#   /'
		}
		grep '^# only' "$T/real.out" | sed "s|^# |# $(basename "$f"): |"
		cat "$T/real.out" >> "$T/real.all"
	done < "$T/real.list"
	check_eq "real logs, windows of 2 chunks: no differences in $files files" \
	    0 $fails
	awk '/^(not )?ok - /{ for (i = 1; i <= NF; i++) {
	    if ($(i + 1) == "both,") b += $i
	    if ($(i + 1) == "only" && $(i + 2) == "libevtx,") l += $i
	    if ($(i + 1) == "only" && $(i + 2) == "fast,") f += $i } }
	    END { printf "# real logs: %d both, %d only libevtx, %d only fast\n",
	    b, l, f }' "$T/real.all"
	if [ $havepy = 1 ] && [ "${EVTRIAGE_PY_REAL:-0}" = 1 ]; then
		tr '\n' '\0' < "$T/real.list" | xargs -0 $PY \
		    "$srcdir/tests/evtx-fast-py.py" "$TEST_EVTX_FAST" \
		    > "$T/pyreal.out" 2>&1
		grep '^# total' "$T/pyreal.out"
		check "real logs: python-evtx agrees" \
		    test "$(grep -c '^not ok' "$T/pyreal.out")" = 0
	fi
else
	echo "# no real logs at $EVTRIAGE_REAL: skipped that part"
fi
# A PI target inside a System value (evtxgen -P; libevtx refuses it):
# a template's later records in a chunk are read through its plan as the
# first was, none declined (a plan once held the token and lost them).
"$EVTXGEN" -P -n 200 -k security -s 1 -o "$T/pi.evtx" &&
    "$EVTXGEN" -n 200 -k security -s 1 -o "$T/plain.evtx" ||
    notok "evtxgen -P"
"$EVTRIAGE" load -q -d "$T/pi.db" "$T/pi.evtx" 2> /dev/null
check_eq "a PI target in EventID: read in full" 0 $?
"$EVTRIAGE" load -q -d "$T/plain.db" "$T/plain.evtx" 2> /dev/null
check_eq "a PI target in EventID: every record, by the fast reader, the process events of the plain log" \
    "$(sqlite3 "$T/plain.db" "SELECT records, unreadable, process_events, fast_records FROM evidence")" \
    "$(sqlite3 "$T/pi.db" "SELECT records, unreadable, process_events, fast_records FROM evidence")"
finish
