#!/bin/sh
# What the browser's keys keep, in a real terminal (tmux, 80x24): the
# place in a view across keys that rebuild the hits (s, F) or open and
# cancel the false-positive checklist, help's place from one visit to
# the next, t in the timeline, Enter on a timeline event, Tab and S-Tab,
# Space as the next page, C-l and a resize.  Actions return flags and
# the loop rebuilds; these are the cases where what it rebuilds shows.
. "${srcdir:-.}/tests/lib.sh" || exit 1

tm_init keys
[ -x "$EVTXGEN" ] || skip_all "no evtxgen at $EVTXGEN"

mkdir -p "$T/data/detections"
cp "$srcdir/db/detections/windows_msiexec_dllregisterserver.sql" \
    "$T/data/detections/"
EVTRIAGE_DATADIR="$T/data"
export EVTRIAGE_DATADIR
"$EVTXGEN" -o "$T/edge01.evtx" "$srcdir/tests/scenarios/seed-edges.txt"
"$EVTRIAGE" load -q -d "$T/case.db" "$T/edge01.evtx"
"$EVTRIAGE" detect -q -d "$T/case.db" > /dev/null

# state: the pane as text, then the rows drawn in reverse video (the
# current line), which is what tmux's escapes say of it beyond text.
state() {
	sleep 0.3
	tm_screen
	tm_screen -e | awk '/\033\[([0-9]*;)*7m/ && NR > 1 { print "reverse " NR }'
}
# mark [NAME]: keep the state as NAME (before).  same TEST [NAME]: the
# state is still what mark kept.
mark() { state > "$T/state.${1:-before}"; }
same() {
	state > "$T/state.now"
	if cmp -s "$T/state.${2:-before}" "$T/state.now"; then
		ok "$1"
	else
		notok "$1"
		diff "$T/state.${2:-before}" "$T/state.now" | sed 's/^/#   | /'
	fi
}

$TM new-session -d -s t -x 80 -y 24 \
    "cd '$T' && LC_ALL=$UTF8 '$EVTRIAGE' browse -d case.db; sleep 60"
check "hits shown" tm_wait "5 hits, newest first"

# Help keeps its place: it is built once.
tm_keys '?' Down Down Down Down
check "help at its fifth line" tm_wait " 5/"
tm_keys q
check "help closes" tm_wait "5 hits, newest first"
tm_keys '?'
check "help opens where it was" tm_wait " 5/"
tm_keys q

# The details keep their place while the hits are rebuilt under them.
tm_keys 3 Down Down Down Down
check "details at their fifth line" tm_wait " 5/"
mark
tm_keys s
check "s sorts from the details" tm_wait "hits riskiest first"
tm_keys F
check "F from the details" tm_wait "filtered hits shown"
tm_keys Down Up
same "the details did not move"
tm_keys f
check "the checklist over the details" tm_wait "Filter on which fields?"
tm_keys Space Down Space
tm_keys Escape
check "the checklist cancelled" tm_wait "cancelled"
tm_keys Down Up
same "the details did not move under the checklist"
tm_keys C-l
same "C-l draws the same screen"
tm_keys Space
check "Space is the next page there" tm_wait " 25/"

# t in the timeline stays; Enter on an event opens its tree.
tm_keys 4
check "timeline opens" tm_wait "Timeline of EDGE01"
mark centre
tm_keys Up Up
mark
check "Up moves off the centre" \
    sh -c '! cmp -s "$1" "$2"' - "$T/state.centre" "$T/state.before"
check "the current line is seen" grep -q '^reverse ' "$T/state.before"
tm_keys t
same "t in the timeline keeps the line"
tm_keys Enter
check "Enter on an event opens a tree" tm_wait "Tree of hit"
check "of that event's process" tm_wait "msiexec -Y b.dll"
tm_keys q
check "q goes back to the timeline" tm_wait "Timeline of EDGE01"
same "rebuilt on its centre again" centre

# Tab and S-Tab go round the six views, help left out.
tm_keys Tab
check "Tab: the evidence" tm_wait "Evidence files, coverage and problems"
tm_keys Tab
check "Tab: the hosts" tm_wait "Hosts: sources, process events"
tm_keys Tab
check "Tab: the search" tm_wait "No search yet: S searches"
tm_keys Tab
check "Tab: round to the hits" tm_wait "5 hits, riskiest first"
tm_keys BTab
check "S-Tab: back to the search" tm_wait "No search yet: S searches"
tm_keys BTab
check "S-Tab: back to the hosts" tm_wait "Hosts: sources, process events"
tm_keys BTab
check "S-Tab: back to the evidence" \
    tm_wait "Evidence files, coverage and problems"

# A resize rebuilds the view shown, and only it.
tm_keys 2
check "the tree" tm_wait "Tree of hit"
$TM resize-window -t t -x 100 -y 30
check "the tree at 100 columns" tm_wait "Tree of hit"
tm_keys 1
check "the hits at 100 columns" tm_wait "5 hits, riskiest first"
tm_keys Q
finish
