# Shared by the tests/*.sh scripts, which speak TAP to automake's driver:
# each assertion prints "ok - name" or "not ok - name", finish prints the
# plan ("1..N") and exits.  A script that cannot run calls skip_all,
# which prints "1..0 # SKIP why"; one assertion that cannot, skip.

: "${srcdir:=.}"
srcdir=$(cd "$srcdir" && pwd)
: "${EVTRIAGE:=./evtriage}"
: "${EVTXGEN:=./tests/evtxgen}"
: "${EVTRIAGE_DATADIR:=$srcdir/db}"
export EVTRIAGE_DATADIR
# Reproducible cases and reports: a pinned clock and user.
EVTRIAGE_NOW=2026-01-01T00:00:00Z
EVTRIAGE_USER=tester
export EVTRIAGE_NOW EVTRIAGE_USER
: "${EVTRIAGE_REAL:=$srcdir/../shared/evtx-real}"

T=$(mktemp -d "${TMPDIR:-/tmp}/evtriage-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
test_failed=0
# Counted in a file, since assertions may run in subshells.
: > "$T/.tap-count"

ok() { echo "ok - $*"; echo >> "$T/.tap-count"; }
notok() { echo "not ok - $*"; echo >> "$T/.tap-count"; test_failed=1; }
skip() { echo "ok - $* # SKIP"; echo >> "$T/.tap-count"; }

# check NAME COMMAND...: the command must succeed.
check() {
	_n=$1; shift
	if "$@"; then ok "$_n"; else notok "$_n"; fi
}

# check_eq NAME EXPECTED ACTUAL: two strings must be equal.
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		notok "$1"
		echo "#   expected: $2"
		echo "#   actual:   $3"
	fi
}

# check_file NAME EXPECTED-FILE ACTUAL-FILE: files must be equal.
check_file() {
	if diff -u "$2" "$3" > "$T/diff.out" 2>&1; then
		ok "$1"
	else
		notok "$1"
		sed 's/^/#   /' "$T/diff.out" | head -60
	fi
}

# check_status NAME EXPECTED COMMAND...: the exit status must match.
check_status() {
	_n=$1; _e=$2; shift 2
	"$@" > "$T/status.out" 2>&1
	_s=$?
	if [ "$_s" = "$_e" ]; then ok "$_n"; else
		notok "$_n"
		echo "#   expected exit $_e, got $_s"
		sed 's/^/#   /' "$T/status.out" | tail -20
	fi
}

# The driver would take exit status 77 for an error: a skip exits 0.
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
finish() { echo "1..$(wc -l < "$T/.tap-count")"; exit $test_failed; }

# mkevtx OUT SCENARIO-TEXT: write an EVTX file from scenario lines.
mkevtx() {
	printf '%s\n' "$2" > "$T/scenario.$$.txt"
	"$EVTXGEN" -o "$1" "$T/scenario.$$.txt"
}

# The browser in a tmux pane.  tm_init NAME skips the test without tmux
# and sets TM, the tmux command on a server of the test's own, W, the
# pane (t), and UTF8, a UTF-8 locale.  tm_screen prints the pane as text
# (tm_screen -e: with attributes); tm_wait TEXT polls until it shows (5 s)
# and prints the pane if it does not; tm_keys sends keys.
tm_init() {
	command -v tmux > /dev/null 2>&1 || skip_all "no tmux"
	UTF8=C.UTF-8
	locale -a 2> /dev/null | grep -qi '^c\.utf-\?8$' || UTF8=en_US.UTF-8
	TM="tmux -L evtriage-$1-$$ -f /dev/null"
	W=t
	trap '$TM kill-server > /dev/null 2>&1; rm -rf "$T"' EXIT
}
tm_screen() { $TM capture-pane -p "$@" -t "$W"; }
tm_wait() {
	_i=0
	while [ $_i -lt 100 ]; do
		tm_screen | grep -qF -- "$1" && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	echo "#   timed out waiting for: $1"
	tm_screen | sed 's/^/#   | /'
	return 1
}
tm_keys() { $TM send-keys -t "$W" "$@"; }

# judged_again WHAT BAD GOOD NAME: evidence damaged (BAD), then sound
# (GOOD) under the same NAME in a folder of its own: a rescan judges it
# again, and the case no longer lists what the damaged copy lacked.
judged_again() {
	mkdir -p again
	rm -f again.db*
	cp "$2" "again/$4"
	"$EVTRIAGE" load -q -d again.db again > /dev/null 2>&1
	check "$1 damaged, then: not read in the case" sh -c \
	    "'$EVTRIAGE' evidence -d again.db | grep -q 'not read:'"
	cp "$3" "again/$4"
	check_status "the same $1, sound now: exit 0" 0 \
	    "$EVTRIAGE" load -q -d again.db again
	check_eq "the same $1, sound now: nothing left as not read" 0 \
	    "$("$EVTRIAGE" evidence -d again.db | grep -c 'not read:')"
}

# browse_evidence CASE WIDTH OUT: the browser's evidence view of CASE
# (key 5) in a pane WIDTH columns wide, as text in OUT; 1 without tmux.
browse_evidence() {
	command -v tmux > /dev/null 2>&1 || return 1
	_tm="tmux -L evtriage-ev-$$ -f /dev/null"
	$_tm new-session -d -s t -x "$2" -y 30 \
	    "cd '$T' && LC_ALL=C.UTF-8 '$EVTRIAGE' browse -d '$1'; sleep 30"
	for _w in hits provenance; do
		_i=0
		until $_tm capture-pane -p -t t | grep -q "$_w"; do
			_i=$((_i + 1)); [ $_i -gt 100 ] && break; sleep 0.05
		done
		[ $_w = hits ] && $_tm send-keys -t t 5
	done
	$_tm capture-pane -p -t t > "$3"
	$_tm kill-server > /dev/null 2>&1
	return 0
}
