#!/bin/sh
# The browser, driven for real in a tmux pane of 80x24: the hits, the
# tree of the msiexec hit, an escaped command line, help, marking a
# false positive, export, resize, the timeline, and the terminal given
# back on q and on SIGTERM.  Screens are compared with
# tests/expected/browse-*.txt; EVTRIAGE_REGEN=1 rewrites those.

. "${srcdir:-.}/tests/lib.sh" || exit 1

tm_init browse
[ -x "$EVTXGEN" ] || skip_all "no evtxgen at $EVTXGEN"
[ -x "$EVTRIAGE" ] || skip_all "no evtriage at $EVTRIAGE"

# Office starts cmd, which runs msiexec /y, which starts rundll32; a
# second msiexec whose command line tries to retitle and clear the
# terminal; and a 4688 msiexec -y on a domain controller.
G='{11111111-0000-0000-0000-00000000000'
mkevtx "$T/sysmon.evtx" "\
sysmon1 time=2024-03-05T10:00:00Z computer=WS01 ProcessGuid=${G}1} ProcessId=5000 Image=\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" CommandLine=\"WINWORD.EXE /n C:\\Users\\bob\\invoice.docm\" User=CORP\\bob ParentProcessGuid=${G}0} ParentProcessId=4000 ParentImage=C:\\Windows\\explorer.exe ParentCommandLine=C:\\Windows\\Explorer.EXE
sysmon1 time=2024-03-05T10:00:10Z computer=WS01 ProcessGuid=${G}2} ProcessId=5100 Image=C:\\Windows\\System32\\cmd.exe CommandLine=\"cmd.exe /c msiexec /y C:\\Users\\bob\\x.dll\" User=CORP\\bob ParentProcessGuid=${G}1} ParentProcessId=5000 ParentImage=\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\"
sysmon1 time=2024-03-05T10:00:11Z computer=WS01 ProcessGuid=${G}3} ProcessId=5200 Image=C:\\Windows\\System32\\msiexec.exe OriginalFileName=msiexec.exe CommandLine=\"msiexec /y C:\\Users\\bob\\x.dll\" User=CORP\\bob ParentProcessGuid=${G}2} ParentProcessId=5100 ParentImage=C:\\Windows\\System32\\cmd.exe
sysmon1 time=2024-03-05T10:00:12Z computer=WS01 ProcessGuid=${G}4} ProcessId=5300 Image=C:\\Windows\\System32\\rundll32.exe CommandLine=\"rundll32.exe C:\\Users\\bob\\x.dll,DllRegisterServer\" User=CORP\\bob ParentProcessGuid=${G}3} ParentProcessId=5200 ParentImage=C:\\Windows\\System32\\msiexec.exe
sysmon5 time=2024-03-05T10:00:20Z computer=WS01 ProcessGuid=${G}4} ProcessId=5300 Image=C:\\Windows\\System32\\rundll32.exe
sysmon1 time=2024-03-05T10:01:00Z computer=WS01 ProcessGuid=${G}5} ProcessId=5400 Image=C:\\Windows\\System32\\msiexec.exe CommandLine=\"msiexec /y C:\\Temp\\%x1b]0;pwned%x07%x1b[2Jevil.dll\" User=CORP\\bob ParentProcessGuid=${G}2} ParentProcessId=5100 ParentImage=C:\\Windows\\System32\\cmd.exe" ||
	skip_all "evtxgen cannot write the scenario"
mkevtx "$T/security.evtx" "\
4688 version=2 time=2024-03-05T11:00:00Z computer=DC01 SubjectUserName=alice SubjectDomainName=CORP NewProcessId=0x1a2c NewProcessName=C:\\Windows\\System32\\cmd.exe ProcessId=0x44 CommandLine=cmd.exe ParentProcessName=C:\\Windows\\explorer.exe
4688 version=2 time=2024-03-05T11:00:05Z computer=DC01 SubjectUserName=alice SubjectDomainName=CORP NewProcessId=0x1b00 NewProcessName=C:\\Windows\\System32\\msiexec.exe ProcessId=0x1a2c CommandLine=\"msiexec -y C:\\Users\\Public\\evil.dll\" ParentProcessName=C:\\Windows\\System32\\cmd.exe" ||
	skip_all "evtxgen cannot write the scenario"
# Only the seed detection, so that the screens do not change as the
# catalogue grows.
mkdir -p "$T/data/detections"
cp "$srcdir/db/detections/windows_msiexec_dllregisterserver.sql" \
    "$T/data/detections/"
EVTRIAGE_DATADIR="$T/data"
export EVTRIAGE_DATADIR
check_status "scan finds three hits" 3 \
    "$EVTRIAGE" scan -n -q -d "$T/case.db" "$T/sysmon.evtx" "$T/security.evtx"

# screen: the pane as text.  wait_for TEXT: poll until it shows (5 s).
screen() { tm_screen; }
wait_for() { tm_wait "$1"; }
keys() { tm_keys "$@"; }
# golden NAME: the screen must match tests/expected/browse-NAME.txt.
golden() {
	screen > "$T/$1.txt"
	if [ -n "$EVTRIAGE_REGEN" ]; then
		cp "$T/$1.txt" "$srcdir/tests/expected/browse-$1.txt"
	fi
	check_file "screen $1" "$srcdir/tests/expected/browse-$1.txt" \
	    "$T/$1.txt"
}
start() {
	$TM new-session -d -s t -x "$1" -y "$2" \
	    "cd '$T' && LC_ALL=$UTF8 sh -c 'echo \$\$ > pid; exec \"$EVTRIAGE\" browse -d case.db'; echo EXITED \$?; stty -a | tr ' ;' '\n\n' | grep -x -E -e '-?icanon' -e '-?echo'; sleep 60"
}

start 80 24
check "hits shown" wait_for "3 hits, newest first"
golden hits

# The tree of the msiexec /y hit: the oldest hit, at the end.
keys End Enter
check "tree opens" wait_for "Tree of hit 3 of"
golden tree
check "tree: placeholder parent" \
    sh -c "$TM capture-pane -p -t t | grep -q 'explorer.exe (4000) not in the logs'"
check "tree: lifetime of rundll32" \
    sh -c "$TM capture-pane -p -t t | grep -q '10:00:12Z-10:00:20Z'"

# Details of the selected process, then back.
keys Enter
check "details open" wait_for "Process msiexec.exe (5200)"
check "details: evidence sha256" wait_for "sha256"
keys q q
check "back to the hits" wait_for "3 hits, newest first"

# Escape sequences in a command line are shown, not obeyed.
check "escaped command line shown" wait_for 'Temp\\x1b]0;'
title=$($TM display-message -p -t t '#{pane_title}')
case $title in
*pwned*) notok "pane title not set by event data"; echo "#   $title" ;;
*) ok "pane title not set by event data" ;;
esac
if screen | grep -q "$(printf '\033')"; then
	notok "no raw ESC on the screen"
else
	ok "no raw ESC on the screen"
fi

# Help lists the keys.
keys '?'
check "help opens" wait_for "show or hide filtered hits"
golden help
keys q
check "help closes" wait_for "3 hits, newest first"

# Timeline of the selected hit's host.
keys Home Down 4
check "timeline opens" wait_for "Timeline of WS01, 2024-03-05 10:01:00Z 5 min"
check "timeline: the end of rundll32" wait_for "rundll32.exe     ended"
keys '>'
check "timeline widens" wait_for "10 min either side"
keys 1

# Mark the escaped hit a false positive.
keys Home Down f
check "fields checklist" wait_for "Filter on which fields?"
keys Enter
check "reason prompt" wait_for "false positive, reason:"
keys -l "test build server"
keys Enter
check "hit marked" wait_for "hit 2 marked false positive: filter 1"
check "filtered hit hidden" wait_for "2 hits, newest first, filtered hidden"
"$EVTRIAGE" filter -d "$T/case.db" list > "$T/filters.txt" 2>&1
check "filter added with reason" grep -q "test build server" "$T/filters.txt"
check "filter condition on the command line" \
    grep -qF 'process = msiexec /y C:\Temp\\x1b]0;pwned' "$T/filters.txt"
check "filter condition on the host" grep -q "dest = WS01" "$T/filters.txt"
"$EVTRIAGE" tree -d "$T/case.db" -H 2 > "$T/hit2.txt" 2>&1
check "hit table marks the hit filtered" \
    grep -q "filtered by filter 1: test build server" "$T/hit2.txt"
keys F
check "filtered shown on request" wait_for "1 filtered shown"
check "filtered marked" wait_for "F#2   low  03-05 10:01:00Z"

# Export the selected hit with its tree.
keys Home e
check "export reported" wait_for "exported to evtriage-hit-windows_msiexec_dllregisterserver-1.txt"
"$EVTRIAGE" tree -d "$T/case.db" -H 1 > "$T/tree1.txt"
check_file "export is the tree command's text" "$T/tree1.txt" \
    "$T/evtriage-hit-windows_msiexec_dllregisterserver-1.txt"

# Resize: the lines grow to the new width.
$TM resize-window -t t -x 100 -y 30
check "redrawn at 100 columns" wait_for "msiexec -y C:\\Users\\Public\\evil.dll"
golden resize

# q quits and gives the terminal back.
keys q
check "q quits with status 0" wait_for "EXITED 0"
check "terminal canonical again" wait_for "icanon"
if screen | grep -q -- "-icanon\|-echo"; then
	notok "terminal modes restored"
	screen | sed 's/^/#   | /'
else
	ok "terminal modes restored"
fi
if screen | grep -q "1 Hits  2 Tree"; then
	notok "browser screen gone"
else
	ok "browser screen gone"
fi
$TM kill-session -t t

# SIGTERM gives the terminal back too.
rm -f "$T/pid"
start 80 24
check "browser up again" wait_for "2 hits, newest first"
kill -TERM "$(cat "$T/pid")"
check "SIGTERM ends the browser" wait_for "EXITED"
check "terminal canonical after SIGTERM" wait_for "icanon"
if screen | grep -q -- "-icanon\|-echo"; then
	notok "terminal modes restored after SIGTERM"
else
	ok "terminal modes restored after SIGTERM"
fi

# Not a terminal: a clean message.
check_status "browse without a terminal" 2 \
    sh -c "'$EVTRIAGE' browse -d '$T/case.db' < /dev/null > /dev/null"

finish
