#!/bin/sh
# Damaged evidence made with the writer: every kind gives a clear warning
# naming the file, the run goes on, the exit status says the evidence was
# not fully read, and nothing crashes or hangs (CI also runs this under
# AddressSanitizer and UndefinedBehaviorSanitizer).
. "${srcdir:-.}/tests/lib.sh" || exit 1

kinds="dirty truncated badcrc badheadercrc garbage random hugesizes zero badmagic"
mkdir "$T/dmg"
for k in $kinds; do
	"$EVTXGEN" -D $k -o "$T/dmg/$k.evtx" || notok "evtxgen -D $k"
done

for k in $kinds; do
	# -v: each file named; by default a line counts them.
	timeout 120 "$EVTRIAGE" load -v -d "$T/$k.db" "$T/dmg/$k.evtx" \
	    > "$T/$k.out" 2> "$T/$k.err"
	rc=$?
	check_eq "$k: exit 1 (evidence not fully read)" 1 "$rc"
	check "$k: a warning names the file" grep -q "'$T/dmg/$k.evtx'" "$T/$k.err"
	check "$k: no sanitizer report" sh -c "! grep -q 'Sanitizer' '$T/$k.err'"
	check "$k: a summary closes the run" grep -q "EVTX file" "$T/$k.err"
done

# Loading a damaged file again still says it was not read in full.
timeout 120 "$EVTRIAGE" load -d "$T/garbage.db" "$T/dmg/garbage.evtx" \
    > /dev/null 2> "$T/again.err"
check_eq "a damaged file loaded again: exit 1 still" 1 $?
check "a damaged file loaded again: says so" \
    grep -q "1 file in the case was not read in full" "$T/again.err"

# What can be read of a damaged file is loaded, and counted.
check_eq "truncated: the records before the cut are loaded" 599 \
    "$(sqlite3 "$T/truncated.db" 'SELECT records FROM evidence')"
check_eq "badmagic: records of the bad chunk are recovered" "483|117" \
    "$(sqlite3 "$T/badmagic.db" 'SELECT records, recovered FROM evidence')"
check_eq "garbage: unreadable records are listed one by one" \
    "$(sqlite3 "$T/garbage.db" 'SELECT unreadable FROM evidence')" \
    "$(sqlite3 "$T/garbage.db" "SELECT (SELECT count(*) FROM problem WHERE kind = 'record' AND recovered = 0) + (SELECT coalesce(sum(CAST(reason AS INTEGER)), 0) FROM problem WHERE kind = 'missing')")"
check_eq "garbage: slack-space candidates are apart from them" \
    "$(sqlite3 "$T/garbage.db" "SELECT count(*) FROM problem WHERE kind = 'record' AND recovered = 1")" \
    "$("$EVTRIAGE" evidence -d "$T/garbage.db" | sed -n 's/.*slack space: \([0-9]*\) candidates, \([0-9]*\) recovered/\1 \2/p' | awk '{ print $1 - $2 }')"
check_eq "hugesizes: the file is recorded as failed, with the reason" \
    "failed|cannot open: libevtx_chunk_read: unsupported header size: 4294967295." \
    "$(sqlite3 "$T/hugesizes.db" 'SELECT status, message FROM evidence')"
check_eq "dirty: the flag is in the chain of custody" 1 \
    "$(sqlite3 "$T/dirty.db" 'SELECT dirty FROM evidence')"

# All of them at once, with good evidence among them: the good is loaded.
cp "$srcdir/samples/evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx" \
    "$T/dmg/good.evtx"
timeout 300 "$EVTRIAGE" load -d "$T/all.db" "$T/dmg" > /dev/null 2> "$T/all.err"
check_eq "a mixed folder: exit 1" 1 $?
check_eq "a mixed folder: the good file is loaded whole" "done|8" \
    "$(sqlite3 "$T/all.db" "SELECT status, process_events FROM evidence WHERE path LIKE '%good.evtx'")"

# Links that loop, and links out of the evidence, are not followed.
mkdir -p "$T/links/a"
cp "$srcdir/samples/evidence/SRV02/Security.evtx" "$T/links/a/Security.evtx"
ln -s .. "$T/links/a/up"
ln -s "$T/links" "$T/links/a/loop"
ln -s /etc/passwd "$T/links/a/passwd"
timeout 60 "$EVTRIAGE" load -v -d "$T/links.db" "$T/links" > /dev/null \
    2> "$T/links.err"
check_eq "links: the run ends and reads the one log" "1" \
    "$(sqlite3 "$T/links.db" 'SELECT count(*) FROM evidence')"
check "links: each link is reported as skipped" \
    test "$(grep -c 'symbolic link inside the evidence, not followed' "$T/links.err")" = 3

# A worker that crashes costs its file alone.
EVTRIAGE_TEST_CRASH=good.evtx timeout 120 "$EVTRIAGE" load -d "$T/crash.db" \
    "$T/dmg/good.evtx" "$T/dmg/dirty.evtx" > /dev/null 2> "$T/crash.err"
check_eq "a crashing parser: exit 1" 1 $?
check "a crashing parser: reported as such" \
    grep -q "cannot fully read '$T/dmg/good.evtx': parser crashed" "$T/crash.err"
check_eq "a crashing parser: the other file still loads" "done" \
    "$(sqlite3 "$T/crash.db" "SELECT status FROM evidence WHERE path LIKE '%dirty.evtx'")"
check_eq "a crashing parser: its file is marked crashed" "crashed" \
    "$(sqlite3 "$T/crash.db" "SELECT status FROM evidence WHERE path LIKE '%good.evtx'")"

# A parser that hangs is stopped once it makes no progress for -T s.
EVTRIAGE_TEST_HANG=good.evtx timeout 120 "$EVTRIAGE" load -T 2 \
    -d "$T/hang.db" "$T/dmg/good.evtx" > /dev/null 2> "$T/hang.err"
check_eq "a hanging parser: exit 1" 1 $?
check "a hanging parser: reported as such" \
    grep -q "parser made no progress for 2 s" "$T/hang.err"
finish
