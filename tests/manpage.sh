#!/bin/sh
# The man pages lint clean, and every command and option that --help
# shows is documented.
. "${srcdir:-.}/tests/lib.sh" || exit 1
command -v mandoc > /dev/null || skip_all "mandoc is not installed"

for m in evtriage.1 evtriage-detection.5; do
	check "mandoc -Tlint finds nothing in $m" \
	    mandoc -Tlint -Wwarning "$srcdir/man/$m"
done
"$EVTRIAGE" -h > "$T/help.txt"
check_eq "evtriage -h exits 0" 0 $?
for c in $(awk '/^    [a-z]/ { print $1 }' "$T/help.txt"); do
	check "$c is in the man page" grep -q "^\\.It Xo Ic $c\$" \
	    "$srcdir/man/evtriage.1"
	"$EVTRIAGE" $c -h > "$T/$c.txt" 2>&1
	for o in $(grep -o '\[-[a-zA-Z]*' "$T/$c.txt" | sed 's/^\[-//' | \
	    fold -w1 | sort -u); do
		[ "$o" = h ] && continue
		check "$c -$o is in the man page" \
		    grep -q "^\\.It Fl $o\\|Fl $o \\|Op Fl [a-zA-Z]*$o" \
		    "$srcdir/man/evtriage.1"
	done
done
check "exit statuses are documented" grep -q '^\.Sh EXIT STATUS' \
    "$srcdir/man/evtriage.1"
# Each exit status, in the man page and in the README.
sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$srcdir/man/evtriage.1" > "$T/exit.man"
sed -n '/^Exit status, for scripts/,/^$/p' "$srcdir/README.md" > "$T/exit.md"
for s in 0 1 2 3 4 130; do
	check "exit status $s is in the man page" grep -q "^\\.It $s\$" \
	    "$T/exit.man"
	check "exit status $s is in the README" grep -q "\\b$s \\|$s$" \
	    "$T/exit.md"
done
# Each count of the scan summary, said in both what it means.
sed -n '/^At the end, a summary line/,/^\.Pp/p' "$srcdir/man/evtriage.1" |
    tr '\n' ' ' > "$T/sum.man"
sed -n '/^Its counts: /,/^$/p' "$srcdir/README.md" | tr '\n' ' ' > "$T/sum.md"
for w in "already in the case" "in full" "failed (" "damaged (" \
    "unreadable" "candidates" "recovered" "process events added" \
    "not read yet (" "not EVTX" "skipped ("; do
	check "the man page says what '$w' counts" grep -qF "$w" "$T/sum.man"
	check "the README says what '$w' counts" grep -qF "$w" "$T/sum.md"
done
check "key bindings are documented" grep -q '^\.Sh KEY BINDINGS' \
    "$srcdir/man/evtriage.1"
finish
