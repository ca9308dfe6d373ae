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
check "key bindings are documented" grep -q '^\.Sh KEY BINDINGS' \
    "$srcdir/man/evtriage.1"
finish
