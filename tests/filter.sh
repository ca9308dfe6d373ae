#!/bin/sh
# False-positive filters: add, list, rm, expiry, the CSV round trip and
# -S.
. "${srcdir:-.}/tests/lib.sh" || exit 1
S=windows_msiexec_dllregisterserver
C="$T/case.db"

"$EVTXGEN" -o "$T/edge01.evtx" "$srcdir/tests/scenarios/seed-edges.txt"
"$EVTRIAGE" load -q -d "$C" "$T/edge01.evtx"
"$EVTRIAGE" detect -q -d "$C" > /dev/null
all=$("$EVTRIAGE" detect -d "$C" -f tsv $S | wc -l)
check_eq "five hits before filtering (and a header)" 6 "$all"

id=$("$EVTRIAGE" filter -d "$C" add -D $S -R "yellow is a real folder" \
    'process=*C:/yellow/*')
check_eq "filter add prints the new id" 1 "$id"
"$EVTRIAGE" detect -d "$C" -f tsv $S > "$T/f.tsv"
check_eq "the filtered hit is gone" 5 "$(wc -l < "$T/f.tsv")"
check_eq "no other hit went" "" "$(grep yellow "$T/f.tsv")"
"$EVTRIAGE" detect -d "$C" $S | tail -1 > "$T/sum.txt"
check_eq "filtered hits are counted" \
    "4 hits, 1 filtered as false positives (-S shows them)" \
    "$(cat "$T/sum.txt")"
"$EVTRIAGE" detect -d "$C" -f tsv -S $S | grep yellow | \
    cut -f14 > "$T/sf.txt"
check_eq "-S shows it with its filter" 1 "$(cat "$T/sf.txt")"

# Conditions are ANDed; patterns ignore case; an empty pattern matches all.
"$EVTRIAGE" filter -d "$C" add -D $S -R "u1 upper case" user='edge\U1' \
    process_name=MSIEXEC.EXE original_file_name= > /dev/null
# MSIEXEC.EXE matches msiexec.exe too: only update.exe is left.
check_eq "all conditions must match, ignoring case" 1 \
    "$("$EVTRIAGE" detect -d "$C" -f tsv $S | sed 1d | wc -l)"
"$EVTRIAGE" filter -d "$C" add -a -D $S -R "expired" -x 2020-01-01T00:00:00Z \
    'process=*' > /dev/null
check_eq "an expired filter does not apply" 1 \
    "$("$EVTRIAGE" detect -d "$C" -f tsv $S | sed 1d | wc -l)"

"$EVTRIAGE" filter -d "$C" list > "$T/list.txt"
check_eq "list shows three filters" 3 \
    "$(grep -c "^[0-9]*  $S" "$T/list.txt")"
check "list shows who added it" grep -q "added by tester at 2026-01-01T00:00:00Z" "$T/list.txt"

# CSV round trip, with cells a spreadsheet would run.
"$EVTRIAGE" filter -d "$C" add -D $S -R '=HYPERLINK("http://x","y"), "quoted"' \
    -b '@evil' 'process=-y *' 'dest=+EDGE01' > /dev/null
"$EVTRIAGE" filter -d "$C" export -o "$T/f.csv"
check "export guards formula cells" grep -q '"'"'"'=HYPERLINK(""http://x"",""y""), ""quoted"""' "$T/f.csv"
"$EVTRIAGE" filter -d "$T/other.db" import "$T/f.csv"
check_eq "import into a new case exits 0" 0 $?
"$EVTRIAGE" filter -d "$T/other.db" export -o "$T/g.csv"
check_file "export, import, export gives the same CSV" "$T/f.csv" "$T/g.csv"
check_eq "the pattern survives the guard" "-y *" \
    "$(sqlite3 "$T/other.db" "SELECT pattern FROM filter_cond WHERE field = 'process' AND pattern LIKE '-y%'")"
"$EVTRIAGE" filter -d "$T/other.db" import "$T/f.csv"
check_eq "importing twice adds nothing" 4 \
    "$(sqlite3 "$T/other.db" "SELECT count(*) FROM filter")"

check_status "rm of a filter exits 0" 0 "$EVTRIAGE" filter -d "$C" rm 2
check_status "rm of a missing filter is an error" 2 \
    "$EVTRIAGE" filter -d "$C" rm 99
check_eq "after rm its hits are back" 4 \
    "$("$EVTRIAGE" detect -d "$C" -f tsv $S | sed 1d | wc -l)"
printf 'filter,detection\n1,x\n' > "$T/bad.csv"
check_status "a malformed CSV is an error" 2 \
    "$EVTRIAGE" filter -d "$C" import "$T/bad.csv"
finish
