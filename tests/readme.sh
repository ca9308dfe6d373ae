#!/bin/sh
# The README's "Using it" examples, run as written on a case of the
# samples: each command but the ones that need a terminal or other
# evidence must succeed (exit 0, or 3 where it reports hits).
. "${srcdir:-.}/tests/lib.sh" || exit 1

mkdir "$T/bin" && ln -s "$EVTRIAGE" "$T/bin/evtriage"
PATH=$T/bin:$PATH
cd "$T" || exit 2
evtriage scan -n -q -F "$srcdir/samples/filters.csv" \
    "$srcdir/samples/evidence" > /dev/null 2>&1
check_eq "the samples case is made" 3 $?
# The block after "## Using it", continuation lines joined, comments cut.
sed -n '/^## Using it/,/^```$/p' "$srcdir/README.md" | sed '1,/^```sh/d;$d' |
    sed -e :a -e '/\\$/N; s/\\\n//; ta' | sed 's/  *#.*$//' > cmds.txt
check "the README has examples" test -s cmds.txt
while IFS= read -r c; do
	case $c in
	"evtriage scan /"*|"evtriage scan -n -o out /"*|"evtriage browse"*)
		continue ;;	# other evidence, or a terminal
	esac
	sh -c "$c" > out.txt 2>&1 < /dev/null
	s=$?
	if [ $s = 0 ] || [ $s = 3 ]; then ok "README: $c"; else
		notok "README: $c"
		echo "#   exit $s"; sed 's/^/#   /' out.txt | head -5
	fi
done < cmds.txt
evtriage tree -H 1 > tree.txt
check "tree -H 1 is the first hit of the seed" \
    grep -q '^hit 1 of windows_msiexec_dllregisterserver' tree.txt
finish
