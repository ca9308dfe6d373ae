#!/bin/sh
# evtriage search over every process event, hit or not: substring and
# regular expression over command line, names, paths and user; the -E/-L
# window and -c host; text, CSV and JSON lines, each escaped; grep's exit
# statuses.  Then the browser's search (S) on a case with no hits, in a
# real tmux pane, opening a result's tree.

. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x "$EVTXGEN" ] || skip_all "no evtxgen at $EVTXGEN"
[ -x "$EVTRIAGE" ] || skip_all "no evtriage at $EVTRIAGE"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"

# Two hosts, no msiexec /y: a case with no hits.
G='{22222222-0000-0000-0000-00000000000'
mkevtx "$T/a.evtx" "\
sysmon1 time=2024-03-05T09:00:00Z computer=WS01 ProcessGuid=${G}1} ProcessId=100 Image=C:\\Windows\\explorer.exe CommandLine=C:\\Windows\\Explorer.EXE User=CORP\\alice ParentProcessGuid=${G}0} ParentProcessId=90 ParentImage=C:\\Windows\\System32\\userinit.exe
sysmon1 time=2024-03-05T10:00:00Z computer=WS01 ProcessGuid=${G}2} ProcessId=200 Image=C:\\Windows\\System32\\cmd.exe CommandLine=\"cmd.exe /c whoami /all\" User=CORP\\alice ParentProcessGuid=${G}1} ParentProcessId=100 ParentImage=C:\\Windows\\explorer.exe
sysmon1 time=2024-03-05T10:00:05Z computer=WS01 ProcessGuid=${G}3} ProcessId=300 Image=C:\\Windows\\System32\\whoami.exe CommandLine=\"whoami /all\" User=CORP\\alice ParentProcessGuid=${G}2} ParentProcessId=200 ParentImage=C:\\Windows\\System32\\cmd.exe
sysmon1 time=2024-03-06T12:00:00Z computer=WS02 ProcessGuid=${G}4} ProcessId=400 Image=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe CommandLine=\"powershell -enc SQBFAFgA\" User=CORP\\svc_backup ParentProcessGuid=${G}5} ParentProcessId=390 ParentImage=C:\\Windows\\System32\\services.exe
sysmon1 time=2024-03-07T08:00:00Z computer=WS02 ProcessGuid=${G}6} ProcessId=500 Image=C:\\Windows\\System32\\WHOAMI.EXE CommandLine=\"WHOAMI.EXE /groups\" User=CORP\\svc_backup ParentProcessGuid=${G}4} ParentProcessId=400 ParentImage=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ||
	skip_all "evtxgen cannot write the scenario"
check_status "scan of a case with no hits exits 0" 0 \
    "$EVTRIAGE" scan -n -q -d "$T/c.db" "$T/a.evtx"

S() { "$EVTRIAGE" search -d "$T/c.db" "$@"; }

# rows: the pids of the matches, in order, one line.
pids() { S "$@" | awk '{ print $5 }' | tr '\n' ' '; }

check_eq "substring over command line and image, ignoring case" \
    "200 300 500 " "$(pids whoami)"
check_eq "the parent's name matches" "500 " "$(pids -c WS02 powershell.exe \
    | cut -d' ' -f2-)"
check_eq "the parent's name alone" "200 " "$(pids explorer.exe | cut -d' ' -f2-)"
check_eq "the user matches" "400 500 " "$(pids svc_backup)"
check_eq "-c narrows to a host" "500 " "$(pids -c WS02 whoami)"
check_eq "-c of a host with none" "" "$(pids -c NOSUCH whoami)"
check_eq "-E and -L bound the window (latest excluded)" "300 " \
    "$(pids -E 2024-03-05T10:00:01Z -L 2024-03-07T08:00:00Z whoami)"
check_eq "-E alone" "500 " "$(pids -E 2024-03-06 whoami)"
check_eq "a relative -E counts back from the newest event" "500 " \
    "$(pids -E -1h whoami)"
check_eq "-e: a regular expression" "300 500 " "$(pids -e '^whoami')"
check_eq "-e: ignoring case, anchors per field" "200 " \
    "$(pids -e 'cmd\.exe /c .*all$')"
check_eq "without -e the pattern is literal" "" "$(pids '^whoami')"
check_eq "_ and % are literal, not LIKE's" "" "$(pids 'who_mi'; pids 'who%')"
check_eq "a backslash is literal" "200 300 " \
    "$(pids 'C:\Windows\System32\cmd.exe')"
check_status "a match exits 0" 0 S whoami
check_status "no match exits 1" 1 S nothing-like-this
check_status "a bad regular expression exits 2" 2 S -e 'a('
S -e 'a(' > /dev/null 2> "$T/re.err"
check "the bad regular expression is named" \
    grep -q "bad regular expression 'a('" "$T/re.err"
check_status "a bad time exits 2" 2 S -E yesterday whoami
check_status "no pattern is a usage error" 2 S
check_status "a bad format is a usage error" 2 S -f xml whoami
check_status "a missing case exits 2" 2 "$EVTRIAGE" search -d "$T/none.db" x
check "the text line starts with the row, for tree -p" sh -c \
    "row=\$(\"$EVTRIAGE\" search -d '$T/c.db' -c WS02 WHOAMI | cut -d' ' -f1) &&
    \"$EVTRIAGE\" tree -d '$T/c.db' -p \$row | grep -q 'WHOAMI.EXE /groups'"
check_eq "-z shows times in a zone" \
    "2024-03-07T09:00:00.0000000+01:00" \
    "$(S -z Europe/Paris -c WS02 groups | cut -d' ' -f2)"

S -f csv whoami > "$T/s.csv"
check_eq "csv: a header and a row a match" 4 "$(wc -l < "$T/s.csv")"
check "csv: the header names the CIM columns" \
    grep -q '^"row","_time","dest","user","process_id","process_name",' \
    "$T/s.csv"
check "csv: quoted command line" grep -q ',"cmd.exe /c whoami /all",' \
    "$T/s.csv"
S -f jsonl whoami > "$T/s.jsonl"
check "jsonl: each line an object, with the fields" /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
assert [r["process_id"] for r in rows] == [200, 300, 500]
assert rows[2]["dest"] == "WS02" and rows[2]["parent_process_name"] == "powershell.exe"
assert rows[0]["process"] == "cmd.exe /c whoami /all"
' "$T/s.jsonl"

# Hostile command lines: nothing raw on the terminal, formulas
# neutralised in CSV, the text kept exactly in JSON.
"$EVTXGEN" -o "$T/h.evtx" "$srcdir/tests/scenarios/hostile.txt" ||
    skip_all "evtxgen failed on hostile.txt"
"$EVTRIAGE" scan -n -q -d "$T/h.db" "$T/h.evtx" > /dev/null 2>&1
H() { "$EVTRIAGE" search -d "$T/h.db" "$@"; }
H msiexec > "$T/h.txt"
check_eq "hostile: every event matches" 7 "$(wc -l < "$T/h.txt")"
check "hostile: no raw control byte in text" /usr/bin/python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
sys.exit(any(c < 0x20 and c != 10 or c == 0x7f for c in d))' "$T/h.txt"
check "hostile: ESC shown escaped" grep -q 'msiexec /y \\x1b\[2J' "$T/h.txt"
check "hostile: host name escaped" grep -q 'WS01\\x1b\[31m' "$T/h.txt"
H -f csv msiexec > "$T/h.csv"
check "hostile csv: formula cell neutralised" grep -q "\"'=cmd|" "$T/h.csv"
check "hostile csv: no cell starts with a bare =, +, - or @" /usr/bin/python3 -c '
import csv, sys
for row in csv.reader(open(sys.argv[1], newline="")):
    for c in row:
        if c[:1] in ("=", "+", "-", "@"):
            sys.exit("bad cell %r" % c)' "$T/h.csv"
H -f jsonl msiexec > "$T/h.jsonl"
check "hostile jsonl: valid, the command lines exact" /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 7
cl = [r["process"] for r in rows]
assert any("\x1b[2J\x1b]0;owned\x07" in c for c in cl), cl
assert any("\u202eevil\u0085nel" in c for c in cl), cl
assert any("comma\nnewline\rcr\ttab" in c for c in cl), cl' "$T/h.jsonl"
check_eq "hostile: -e over ESC text" 1 \
    "$(H -e 'owned' | wc -l)"

# The sample incident: the whole chain is found, hits or not.
"$EVTRIAGE" scan -n -q -d "$T/s.db" "$srcdir/samples/evidence" \
    > /dev/null 2>&1
check_eq "samples: wupd.dll in two command lines and a parent's" 3 \
    "$("$EVTRIAGE" search -d "$T/s.db" wupd.dll | wc -l)"
check_eq "samples: a 4688 host by regex" "6700 6976 " \
    "$("$EVTRIAGE" search -d "$T/s.db" -c SRV02.corp.example.com -e \
    'fs01.public' | awk '{ print $5 }' | tr '\n' ' ')"

# The browser on the case with no hits: S, a pattern, its results, and
# Enter opens the tree of the selected one.
if ! command -v tmux > /dev/null 2>&1; then
	skip "browser search (no tmux)"
	finish
fi
tm_init search
$TM new-session -d -s t -x 100 -y 24 \
    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -d c.db; echo EXITED \$?; sleep 60"
check "browser: opens on the case with no hits" tm_wait "Hits"
tm_keys S
check "browser: S prompts for a pattern" \
    tm_wait "search every process event:"
tm_keys w h o a m i Enter
check "browser: the results are a view" tm_wait "Search whoami: 3 process events"
tm_screen > "$T/screen-search.txt"
sed 's/^/#   | /' "$T/screen-search.txt"
check "browser: a result shows its host and command line" \
    grep -q 'WS02 .* 500 WHOAMI.EXE .*WHOAMI.EXE /groups' "$T/screen-search.txt"
tm_keys Down Enter
check "browser: Enter opens the process's tree" tm_wait "whoami /all"
tm_screen > "$T/screen-tree.txt"
sed 's/^/#   | /' "$T/screen-tree.txt"
check "browser: the tree shows the parent chain" \
    grep -q 'cmd.exe /c whoami /all' "$T/screen-tree.txt"
tm_keys q
check "browser: q returns to the results" tm_wait "Search whoami: 3"
tm_keys S / '^' p o w e r / Enter
# powershell.exe itself, and WHOAMI.EXE by its parent's name.
check "browser: /re/ is a regular expression" \
    tm_wait "Search /^power/: 2 process events"
tm_keys S / a '(' / Enter
check "browser: a bad regular expression is shown, not fatal" \
    tm_wait "bad regular expression"

# The timeline of a case with no hits: the first host from its first
# event, paged by ] and [, another host by C, a time by T.
# A second session on the same server (killing the server and starting
# another one races with its exit).
$TM new-session -d -s u -x 100 -y 24 \
    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -d c.db; echo EXITED \$?; sleep 60"
$TM kill-session -t t > /dev/null 2>&1
W=u
check "timeline: browser up" tm_wait "Hits"
tm_keys 4
check "timeline: with nothing selected, the first host's first event" \
    tm_wait "Timeline of WS01, 2024-03-05 09:00:00Z 5 min either side"
check "timeline: shows that event" tm_wait "C:\\Windows\\Explorer.EXE"
tm_keys ']'
check "timeline: ] goes on to the next window with events" \
    tm_wait "Timeline of WS01, 2024-03-05 10:05:00Z"
check "timeline: its events" tm_wait "cmd.exe /c whoami /all"
tm_keys ']'
check "timeline: ] past the host's last event says so" \
    tm_wait "no later events on this host"
tm_keys '['
check "timeline: [ goes back" tm_wait "Timeline of WS01, 2024-03-05 08:55:00Z"
tm_keys C w s 0 2 Enter
check "timeline: C picks a host ignoring case, at its nearest event" \
    tm_wait "Timeline of WS02, 2024-03-06 12:00:00Z"
check "timeline: that host's event" tm_wait "powershell -enc SQBFAFgA"
tm_keys C n o p e Enter
check "timeline: C of no such host says so" tm_wait "no host 'nope'"
tm_keys T 2 0 2 4 - 0 3 - 0 7 Space 0 8 : 0 0 Enter
check "timeline: T jumps to a typed time" \
    tm_wait "Timeline of WS02, 2024-03-07 08:00:00Z"
tm_screen > "$T/screen-timeline.txt"
sed 's/^/#   | /' "$T/screen-timeline.txt"
check "timeline: the event at that time is the current line" \
    grep -q 'WHOAMI.EXE /groups' "$T/screen-timeline.txt"
tm_keys Enter
check "timeline: Enter opens its tree" tm_wait "Tree of process row"
check "timeline: the tree has the parent" tm_wait "powershell -enc SQBFAFgA"
tm_keys q T y e s t e r d a y Enter
check "timeline: a bad time is refused on the status line" \
    tm_wait "bad time 'yesterday'"

# The search view's own window and host, set with the timeline's keys:
# T takes -E..-L (either side may be left out, one time alone is -E),
# C a host as the timeline's C does; an empty answer clears it.  Both
# show in the view's header.
tm_type() { $TM send-keys -t "$W" -l -- "$1"; }
tm_keys S
tm_type whoami
tm_keys Enter
check "search: all hosts and times" tm_wait "Search whoami: 3 process events"
tm_keys C
check "search: C asks for the search's host" tm_wait "search on host"
tm_type ws02
tm_keys Enter
check "search: C narrows to a host, in the header" \
    tm_wait "Search whoami on WS02: 1 process event"
check "search: that host's match" tm_wait "WHOAMI.EXE /groups"
tm_keys C
tm_type nope
tm_keys Enter
check "search: C of no such host says so" tm_wait "no host 'nope'"
check "search: and keeps the host" tm_wait "Search whoami on WS02: 1"
tm_keys C Enter
check "search: an empty C is every host again" \
    tm_wait "Search whoami: 3 process events"
tm_keys T
check "search: T asks for the search's window" tm_wait "search window"
tm_type '2024-03-05T10:00:01Z..2024-03-07T08:00:00Z'
tm_keys Enter
check "search: T bounds the window as -E and -L do (latest excluded)" \
    tm_wait "Search whoami from 2024-03-05 10:00:01Z until 2024-03-07 08:00:00Z: 1 process event"
check "search: the match in the window" tm_wait "whoami /all"
tm_keys T
tm_type -1h
tm_keys Enter
check "search: one relative time alone is the earliest" \
    tm_wait "Search whoami from 2024-03-07 07:00:00Z: 1 process event"
tm_keys T
tm_type ..2024-03-06
tm_keys Enter
check "search: ..latest alone" \
    tm_wait "Search whoami until 2024-03-06 00:00:00Z: 2 process events"
tm_keys C
tm_type WS01
tm_keys Enter
check "search: host and window together" \
    tm_wait "Search whoami on WS01 until 2024-03-06 00:00:00Z: 2 process events"
tm_keys T
tm_type yesterday
tm_keys Enter
check "search: a bad time is refused on the status line" \
    tm_wait "bad time 'yesterday'"
check "search: and keeps the window" tm_wait "Search whoami on WS01 until"
tm_keys Down Enter
check "search: Enter still opens the tree" tm_wait "Tree of process row"
tm_keys q T Enter
check "search: an empty T is all times again" \
    tm_wait "Search whoami on WS01: 2 process events"
tm_keys 4 T
check "timeline: T there still goes to a time" tm_wait "go to time:"
tm_keys Escape
tm_keys Q
check "browser: quits" tm_wait "EXITED 0"

# -z: T reads a bare time in the browser's zone, as -E and -L do; a
# time with Z or an offset is taken as given.  The same for the search.
$TM new-session -d -s v -x 100 -y 24 \
    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -z Europe/Paris -d c.db; echo EXITED \$?; sleep 60"
$TM kill-session -t u > /dev/null 2>&1
W=v
check "zone: browser up" tm_wait "Hits"
tm_keys 4 T
tm_type '2024-03-07 09:00'
tm_keys Enter
check "zone: T reads a bare time in the -z zone" \
    tm_wait "Timeline of WS01, 2024-03-07 09:00:00+01:00"
tm_keys T
tm_type 2024-03-07T08:30:00Z
tm_keys Enter
check "zone: a time with Z stays UTC" \
    tm_wait "Timeline of WS01, 2024-03-07 09:30:00+01:00"
tm_keys T
tm_type 2024-03-07T08:00:00-02:00
tm_keys Enter
check "zone: a time with an offset stays as given" \
    tm_wait "Timeline of WS01, 2024-03-07 11:00:00+01:00"
tm_keys S
tm_type whoami
tm_keys Enter T
tm_type '2024-03-05 11:00:01..2024-03-07 09:00'
tm_keys Enter
check "zone: the search's window in the -z zone too" \
    tm_wait "Search whoami from 2024-03-05 11:00:01+01:00 until 2024-03-07 09:00:00+01:00: 1 process event"
tm_keys Q
check "zone: browser quits" tm_wait "EXITED 0"
finish
