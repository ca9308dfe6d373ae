#!/bin/sh
# Times without doubt and output safe on a terminal: -E/-L with offsets
# and -z local times, ctime columns labelled with their zone, hit numbers
# that tree -H takes and that survive a rerun, and no C0 or C1 control
# from the evidence in text, TSV, CSV or JSON Lines on a terminal.
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x "$EVTXGEN" ] || skip_all "no evtxgen"
command -v script > /dev/null || skip_all "no script(1)"
S=windows_msiexec_dllregisterserver
"$EVTXGEN" -o "$T/t.evtx" "$srcdir/tests/scenarios/terminal.txt" ||
    skip_all "evtxgen failed"
"$EVTRIAGE" load -q -d "$T/t.db" "$T/t.evtx"
check_eq "load exits 0" 0 $?

# -E and -L: Z, an offset, and local times in the -z zone.
n() { "$EVTRIAGE" detect -d "$T/t.db" -f tsv "$@" $S | sed 1d | wc -l; }
check_eq "-E with Z" 1 "$(n -E 2024-06-01T00:00:00Z)"
check_eq "-E with an offset: 10:30+01:00 is 09:30Z, before the hit" 2 \
    "$(n -E 2024-03-05T10:30:00+01:00)"
check_eq "-E with -0100: 09:30-01:00 is 10:30Z, after the hit" 1 \
    "$(n -E 2024-03-05T09:30:00-0100)"
check_eq "-E without offset is UTC without -z" 1 \
    "$(n -E '2024-03-05 10:30')"
check_eq "-E without offset is local time in the -z zone" 2 \
    "$(n -z Europe/Berlin -E '2024-03-05 10:30')"
check_eq "-L with a fraction and Z" 1 "$(n -L 2024-03-05T10:00:00.5Z)"
check_status "a bad offset is a usage error" 2 \
    "$EVTRIAGE" detect -d "$T/t.db" -E 2024-03-05T10:00:00+1 $S
check_status "an unknown zone is a usage error, not UTC" 2 \
    "$EVTRIAGE" detect -d "$T/t.db" -z Europe/Nowhere $S

# ctime columns keep Splunk's format and say their zone.
"$EVTRIAGE" detect -d "$T/t.db" -z Europe/Berlin -f tsv $S > "$T/z.tsv"
check_eq "tsv header labels firstTime with the zone" \
    "firstTime (Europe/Berlin)" "$(head -1 "$T/z.tsv" | cut -f12)"
check_eq "the value stays %m/%d/%Y %H:%M:%S in the zone" \
    "03/05/2024 11:00:00" "$(sed -n 2p "$T/z.tsv" | cut -f12)"
"$EVTRIAGE" report -d "$T/t.db" -f csv -o "$T/z.csv"
check "csv header labels the zone the detection ran in" \
    grep -q '"firstTime (Europe/Berlin)","lastTime (Europe/Berlin)"' "$T/z.csv"
"$EVTRIAGE" report -d "$T/t.db" -f jsonl -o "$T/z.jsonl"
check "jsonl has ctime_zone beside firstTime" \
    grep -q '"ctime_zone":"Europe/Berlin"' "$T/z.jsonl"
"$EVTRIAGE" detect -d "$T/t.db" $S > "$T/utc.txt"
check "text labels firstTime (UTC)" grep -q '^    firstTime (UTC) ' "$T/utc.txt"

# Hit numbers: the id in the case, in every output, taken by tree -H,
# kept by a rerun.
id=$(sqlite3 "$T/t.db" "SELECT id FROM hit WHERE output LIKE '%late.dll%'")
check "text prints the hit's id" grep -q "^  hit $id\$" "$T/utc.txt"
check_eq "tsv prints it" "$id" \
    "$("$EVTRIAGE" detect -d "$T/t.db" -f tsv $S | grep late.dll | cut -f2)"
check "jsonl prints it" grep -q "\"hit\":$id,.*late.dll" "$T/z.jsonl"
check "csv prints it" grep -q "\",\"$id\",\"false\".*late.dll" "$T/z.csv"
"$EVTRIAGE" report -d "$T/t.db" -f html -o "$T/z.html"
check "html prints it" grep -q "<h4>Hit $id: " "$T/z.html"
"$EVTRIAGE" report -d "$T/t.db" -f timesketch -o "$T/ts.jsonl"
check "timesketch names the hits of an event" \
    grep -q "late.dll.*\"hits\":\"$id\"" "$T/ts.jsonl"
check "tree -H takes it" sh -c \
    "'$EVTRIAGE' tree -d '$T/t.db' -H $id | grep -q '^hit $id of $S'"
"$EVTRIAGE" detect -d "$T/t.db" -q $S > /dev/null
"$EVTRIAGE" detect -d "$T/t.db" -q > /dev/null
check_eq "a rerun keeps the hit's number" "$id" \
    "$(sqlite3 "$T/t.db" "SELECT id FROM hit WHERE detection = '$S' AND output LIKE '%late.dll%'")"

# The browser: the year when the case spans two, -z with offsets, and
# the hit's number in the list.
if command -v tmux > /dev/null 2>&1; then
	TM="tmux -L evtriage-times-$$ -f /dev/null"
	cp "$T/t.db" "$T/b.db"	# a copy: the browser may still hold it
	b() {
		$TM kill-server 2> /dev/null
		$TM new-session -d -s t -x 120 -y 24 \
		    "LC_ALL=C.UTF-8 '$EVTRIAGE' browse -d '$T/b.db' $*; sleep 30"
		_i=0
		while [ $_i -lt 100 ]; do
			$TM capture-pane -p -t t > "$T/screen.txt"
			grep -q "hits, newest first" "$T/screen.txt" && break
			sleep 0.05
			_i=$((_i + 1))
		done
		$TM kill-server 2> /dev/null
	}
	b
	check "browser shows the year when the case spans two" \
	    grep -q "#$id .* 2025-01-02 08:00:00Z " "$T/screen.txt"
	b -z Europe/Berlin
	check "browse -z shows local times with their offset" \
	    grep -q "2024-03-05 11:00:00+01:00 " "$T/screen.txt"
	check_status "browse -z with an unknown zone is a usage error" 2 \
	    "$EVTRIAGE" browse -d "$T/b.db" -z Mars/Olympus
else
	ok "# SKIP no tmux for the browser"
fi

# On a terminal: no raw control from the evidence.  A raw 0x9b byte
# (not UTF-8) is planted too, since evtxgen writes only valid UTF-8.
sqlite3 "$T/t.db" "UPDATE process SET process = process || CAST(x'9b' AS TEXT) || 'x' WHERE process LIKE '%52;c%'"
bad=$(printf '[\001-\010\013\014\016-\037\177-\237]')
for c in "detect $S" "detect -f tsv $S" "report -f csv" \
    "report -f csv -t timeline" "report -f jsonl" \
    "report -f jsonl -t timeline" "report -f timesketch" \
    "tree -H $id" "search msiexec" "search -f csv msiexec" \
    "search -f jsonl msiexec"; do
	script -qc "'$EVTRIAGE' $c -d '$T/t.db'" /dev/null > "$T/tty.out" 2>&1
	check "$c on a terminal has output" grep -q msiexec "$T/tty.out"
	check_eq "$c on a terminal carries no C0 or C1 control" 0 \
	    "$(LC_ALL=C grep -c "$bad" "$T/tty.out")"
done
script -qc "'$EVTRIAGE' report -f csv -d '$T/t.db'" /dev/null > "$T/tty.csv"
check "csv on a terminal shows ESC as \\x1b and U+009B as \\xc2\\x9b" \
    grep -q '/y \\x1b\]52;c;cHduZWQ=\\x07 .*csi\\xc2\\x9b2J' "$T/tty.csv"
"$EVTRIAGE" report -d "$T/t.db" -f csv -t timeline -o "$T/keep.csv"
check "csv to a file keeps ESC, BEL and the 0x9b byte" sh -c \
    "LC_ALL=C grep -q \"\$(printf '\\033]52;c;cHduZWQ=\\007')\" '$T/keep.csv' &&
    LC_ALL=C grep -q \"\$(printf 'csi\\302\\2332J')\" '$T/keep.csv' &&
    LC_ALL=C grep -q \"\$(printf '\\233x')\" '$T/keep.csv'"
"$EVTRIAGE" search -d "$T/t.db" -f csv msiexec > "$T/keep-s.csv"
check "search -f csv to a file keeps ESC and BEL" \
    grep -q "$(printf '\033]52;c;cHduZWQ=\007')" "$T/keep-s.csv"
# The evidence's own names and the analyst's text on a terminal: a log
# named with controls, a host named with them, a filter's reason too.
mkdir "$T/named"
cp "$T/t.evtx" "$T/named/$(printf 'a\033]0;T\007\302\233b').evtx"
mkevtx "$T/named/host.evtx" "sysmon1 time=2024-03-06T10:00:00Z computer=H%x1b]0;T%x07%u{009B}2JX Image=C:\\Windows\\System32\\cmd.exe CommandLine=cmd User=CORP\\bob ParentImage=C:\\Windows\\explorer.exe"
"$EVTRIAGE" load -q -d "$T/n.db" "$T/named" 2> /dev/null
"$EVTRIAGE" filter -d "$T/n.db" add -D $S -R "$(printf 'r\033[2Jx\302\233y')" \
    dest=NONE > /dev/null
for c in evidence "evidence -f csv" "evidence -f json" hosts "hosts -f tsv" \
    "hosts -f csv" "hosts -f json" "filter list" "filter export"; do
	script -qc "'$EVTRIAGE' ${c%% *} -d '$T/n.db' ${c#"${c%% *}"}" \
	    /dev/null > "$T/tty.out" 2>&1
	check "$c on a terminal has output" grep -q "a.*b\.evtx\|H.*2JX\|r.*x.*y" \
	    "$T/tty.out"
	check_eq "$c on a terminal carries no C0 or C1 control" 0 \
	    "$(LC_ALL=C grep -c "$bad" "$T/tty.out")"
done
"$EVTRIAGE" report -d "$T/t.db" -f jsonl -t timeline -o "$T/keep.jsonl"
check "jsonl writes U+009B as \\u009b" grep -q 'csi\\u009b2J' "$T/keep.jsonl"

finish
