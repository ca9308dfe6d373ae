#!/bin/sh
# The browser's false-positive action in a real terminal (tmux): f opens
# a checklist of the hit's fields with the notable ones, the process and
# its parent checked and never pids, counts or times; the filter holds
# the values as the case matches them (times in UTC), so it suppresses
# the hit in any zone; f on a filtered hit offers to remove the filter.
. "${srcdir:-.}/tests/lib.sh" || exit 1

tm_init fp
[ -x "$EVTXGEN" ] || skip_all "no evtxgen at $EVTXGEN"
S=windows_msiexec_dllregisterserver

mkdir -p "$T/data/detections"
cp "$srcdir/db/detections/$S.sql" "$T/data/detections/"
EVTRIAGE_DATADIR="$T/data"
export EVTRIAGE_DATADIR
"$EVTXGEN" -o "$T/edge01.evtx" "$srcdir/tests/scenarios/seed-edges.txt"
"$EVTRIAGE" load -q -d "$T/case.db" "$T/edge01.evtx"
# The hits as Berlin shows them: firstTime 12:00 for 10:00 UTC.
"$EVTRIAGE" detect -q -d "$T/case.db" -z Europe/Berlin > /dev/null

screen() { tm_screen; }
wait_for() { tm_wait "$1"; }
keys() { tm_keys "$@"; }
W=t
$TM new-session -d -s t -x 120 -y 30 \
    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -d case.db; sleep 60"
check "hits shown" wait_for "5 hits, newest first"

# The oldest hit is MSIEXEC.EXE /Y C:\Temp\A.DLL, at the end.
keys End f
check "f opens the fields checklist" wait_for "Filter on which fields?"
check "notable field dest checked" wait_for "[x] dest "
check "notable field user checked" wait_for "[x] user "
check "the parent checked" wait_for "[x] parent_process_name "
check "the command line checked" wait_for "[x] process  "
check "the pid not checked" wait_for "[ ] process_id "
check "the parent pid not checked" wait_for "[ ] parent_process_id "
check "the count not checked" wait_for "[ ] count "
check "the time not checked" wait_for "[ ] firstTime "
check "the time as the case matches it (UTC)" \
    wait_for "04/01/2024 10:00:00"
# Check firstTime too (the 10th field, under the heading), drop user.
keys Down
keys Space
check "Space unchecks" wait_for "[ ] user "
keys Down Down Down Down Down Down Down Down Space
check "Space checks" wait_for "[x] firstTime "
keys Enter
check "then the reason" wait_for "false positive, reason:"
keys -l "agent install"
keys Enter
check "marked" wait_for "marked false positive: filter 1 on 4 fields"
check "and hidden" wait_for "4 hits, newest first, filtered hidden"
check_eq "the filter holds the checked fields, the time in UTC" \
    "dest=EDGE01 firstTime=04/01/2024 10:00:00 parent_process_name=cmd.exe process=MSIEXEC.EXE /Y C:\\Temp\\A.DLL" \
    "$(sqlite3 "$T/case.db" "SELECT group_concat(field || '=' || pattern, ' ') FROM (SELECT field, pattern FROM filter_cond WHERE filter_id = 1 ORDER BY field)")"
check_eq "the stored hit is filtered at once" 1 \
    "$(sqlite3 "$T/case.db" "SELECT count(*) FROM hit WHERE filter_id = 1")"
for z in UTC Asia/Tokyo; do
	"$EVTRIAGE" detect -q -d "$T/case.db" -z $z > /dev/null
	check_eq "the browser's filter holds in $z" 1 \
	    "$(sqlite3 "$T/case.db" "SELECT count(*) FROM hit WHERE filter_id = 1")"
done

# A filtered hit offers to unfilter.
keys Q
$TM new-session -d -s u -x 120 -y 30 \
    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -F -d case.db; sleep 60"
$TM kill-session -t t
W=u
check "filtered hits shown" wait_for "1 filtered shown"
keys End f
check "f on a filtered hit asks to remove its filter" \
    wait_for "is filtered by filter 1 (agent install), which suppresses 1 hit: remove it? y/n"
keys n
check "n keeps it" wait_for "the filter stays"
keys f
wait_for "remove it? y/n" > /dev/null
keys y
check "y removes it" wait_for "filter 1 removed: 1 hit no longer filtered"
check_eq "the hit is unfiltered in the case, the filter gone" "0 0" \
    "$(sqlite3 "$T/case.db" "SELECT count(*) FROM hit WHERE filter_id IS NOT NULL") $(sqlite3 "$T/case.db" "SELECT count(*) FROM filter")"
finish
