#!/bin/sh
# The command line: 'evtriage COMMAND -h' prints the synopsis and a line
# for every option to stdout and exits 0; there are no long options; the
# LICENSE the file headers cite exists and ships; evidence -f csv and
# scan -o DIR/evidence.csv are the chain-of-custody list.
. "${srcdir:-.}/tests/lib.sh" || exit 1

for c in $("$EVTRIAGE" -h | awk '/^    [a-z]/ { print $1 }'); do
	"$EVTRIAGE" $c -h > "$T/out.txt" 2> "$T/err.txt"
	check_eq "$c -h exits 0" 0 $?
	check "$c -h writes nothing to stderr" test ! -s "$T/err.txt"
	check "$c -h starts with the synopsis" \
	    grep -q "^usage: evtriage $c " "$T/out.txt"
	for o in $(head -1 "$T/out.txt" | grep -o '\[-[a-zA-Z]*\|-[a-zA-Z] ' |
	    sed 's/^\[//; s/^-//; s/ $//' | fold -w1 | sort -u); do
		check "$c -h has a line for -$o" \
		    grep -q "^    -$o\\b" "$T/out.txt"
	done
done

# Every command that opens a case takes it as -d, an option of the
# command itself, before its operands (filter's too: filter -d C add).
for c in $("$EVTRIAGE" -h | awk '/^    [a-z]/ { print $1 }'); do
	[ "$c" = rules ] && continue	# no case: the detections alone
	check "$c takes the case as -d case" sh -c \
	    "'$EVTRIAGE' $c -h | head -1 | grep -q ' \[*-d case\]* '"
done
check_status "filter takes -d before its subcommand, not after" 2 \
    "$EVTRIAGE" filter list -d "$T/none.db"
# filter -h: each option of each subcommand's usage (-d has its line).
"$EVTRIAGE" filter -h > "$T/fh.txt"
for s in add list rm import export; do
	"$EVTRIAGE" filter -d "$T/none.db" $s -Y > /dev/null 2> "$T/fu.txt"
	for o in $(sed -n "/filter \[-d case\] $s /,/^       evtriage\|^$/p" \
	    "$T/fu.txt" | grep -o '\[-[a-zA-Z]\b\|-[a-zA-Z] ' |
	    sed 's/^\[//; s/ $//' | grep -v '^-d$' | sort -u); do
		check "filter -h: $s $o" grep -q "^    $s  .*\\$o\\b" "$T/fh.txt"
	done
done

"$EVTRIAGE" detect --show-filtered > /dev/null 2> "$T/err.txt"
check_eq "long options are refused (detect --show-filtered)" 2 $?

check "LICENSE exists" test -s "$srcdir/LICENSE"
check "LICENSE is ISC with the authors' copyright" \
    grep -q "Copyright (c) 2026 The evtriage authors" "$srcdir/LICENSE"
check "LICENSE ships in the tarball" \
    grep -q "^EXTRA_DIST = LICENSE " "$srcdir/Makefile.am"

cp -R "$srcdir/samples/evidence" "$T/evidence"
find "$T/evidence" -type f -exec touch -d 2024-03-06T12:00:00Z {} +
cd "$T" || exit 2
"$EVTRIAGE" scan --case x.db evidence > /dev/null 2>&1
check_eq "long options are refused (scan --case)" 2 $?
check "no case made by a refused long option" test ! -e x.db
"$EVTRIAGE" load -q -d case.db evidence
mkdir again && cp evidence/SRV02/Security.evtx again/copy.evtx
"$EVTRIAGE" load -q -d case.db again
"$EVTRIAGE" evidence -d case.db -f csv > ev.csv
check_eq "evidence -f csv exits 0" 0 $?
check_eq "the header" \
    '"path","sha256","size","modified","loaded_at","format_version","dirty","corrupted","records","recovered","unreadable","process_events","terminations","status","complete","message","also_seen_as","slack_candidates","provenance","fast_records"' \
    "$(head -1 ev.csv | tr -d '\r')"
check_eq "one row a file" 4 "$(wc -l < ev.csv | tr -d ' ')"
sha=$(sha256sum evidence/SRV02/Security.evtx | cut -d' ' -f1)
size=$(wc -c < evidence/SRV02/Security.evtx | tr -d ' ')
check_eq "a file's row: path, hash, size, times in UTC with Z, coverage" \
    "\"evidence/SRV02/Security.evtx\",\"$sha\",\"$size\",\"2024-03-06T12:00:00Z\",\"2026-01-01T00:00:00Z\",\"3.1\",\"0\",\"0\",\"7\",\"0\",\"0\",\"4\",\"1\",\"done\",\"yes\",,\"again/copy.evtx\",\"0\",\"[{\"\"container\"\":\"\"file\"\",\"\"path\"\":\"\"evidence/SRV02/Security.evtx\"\"}]\",\"7\"" \
    "$(grep Security.evtx ev.csv | tr -d '\r')"
"$EVTRIAGE" evidence -d case.db -f xml > /dev/null 2>&1
check_eq "evidence -f with another format is a usage error" 2 $?
"$EVTRIAGE" scan -q -n -o out evidence > /dev/null
check "scan -o writes evidence.csv" test -s out/evidence.csv
"$EVTRIAGE" evidence -d out/evtriage.db -f csv > ev2.csv
check_file "scan -o's evidence.csv is evidence -f csv" ev2.csv \
    out/evidence.csv
finish
