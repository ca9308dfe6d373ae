#!/bin/sh
# Run every test given as an argument and count their assertions.  The
# last line is "N passed, N failed, N skipped", counted in assertions;
# a script that fails without saying which assertion counts as one
# failure, and one that exits 77 as one skip.
passed=0 failed=0 skipped=0
logdir=${TEST_LOGDIR:-tests/logs}
mkdir -p "$logdir"
for t in "$@"; do
	name=$(basename "$t")
	# Scripts live in the source tree, programs in the build tree.
	[ -e "$t" ] || t="$srcdir/$t"
	log="$logdir/$name.log"
	case $t in
	*.sh) bash "$t" > "$log" 2>&1 ;;
	*.py) /usr/bin/python3 "$t" > "$log" 2>&1 ;;
	*) "$t" > "$log" 2>&1 ;;
	esac
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" = 77 ]; then
		skipped=$((skipped + 1))
		echo "SKIP: $name: $(grep '^skip - ' "$log" | sed 's/^skip - //')"
		continue
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - $name exited $rc" >> "$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" = 0 ]; then
		echo "PASS: $name ($p)"
	else
		echo "FAIL: $name ($p passed, $f failed; see $log)"
		grep -A8 '^not ok - ' "$log" | head -40 | sed 's/^/    /'
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
