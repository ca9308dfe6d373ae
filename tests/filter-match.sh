#!/bin/sh
# Filters match the values, not how they are shown: a filter made in one
# zone suppresses the same hit in any other, whatever its text's escaping;
# filter add checks its detection, fields and -x and refuses a filter
# that would suppress every hit unless -a; rm and add update the stored
# hits without a new detect.
. "${srcdir:-.}/tests/lib.sh" || exit 1
S=windows_msiexec_dllregisterserver
C="$T/case.db"

"$EVTXGEN" -o "$T/edge01.evtx" "$srcdir/tests/scenarios/seed-edges.txt"
mkevtx "$T/esc.evtx" "sysmon1 time=2024-04-02T10:00:00Z computer=ESC01 ProcessId=201 Image=C:\\Windows\\System32\\msiexec.exe OriginalFileName=msiexec.exe CommandLine=\"msiexec /y C:\\Temp\\%x1b]0;x%x07%x09tab.dll\" User=ESC\\u2 ParentProcessId=200 ParentImage=C:\\Windows\\System32\\cmd.exe"
"$EVTRIAGE" load -q -d "$C" "$T/edge01.evtx" "$T/esc.evtx"
"$EVTRIAGE" detect -q -d "$C" > /dev/null
unfiltered() {
	sqlite3 "$C" "SELECT count(*) FROM hit WHERE detection = '$S' AND filter_id IS NULL"
}
check_eq "six hits to begin with" 6 "$(unfiltered)"

# Made in UTC, run in Berlin: the hit at 10:00 UTC is 12:00 there.
id=$("$EVTRIAGE" filter -d "$C" add -D $S -R "utc" \
    'firstTime=04/01/2024 10:00:00')
"$EVTRIAGE" detect -d "$C" -z Europe/Berlin -S -f tsv $S > "$T/berlin.tsv"
check_eq "the hit shows Berlin time" "04/01/2024 12:00:00" \
    "$(grep 'A.DLL' "$T/berlin.tsv" | cut -f12)"
check_eq "a filter made on UTC firstTime holds in Berlin" "$id" \
    "$(grep 'A.DLL' "$T/berlin.tsv" | cut -f14)"
"$EVTRIAGE" filter -d "$C" rm "$id" 2> /dev/null

# Made from Berlin's text (-z), run in UTC and in New York.
id=$("$EVTRIAGE" filter -d "$C" add -z Europe/Berlin -D $S -R "berlin" \
    'lastTime=04/01/2024 12:09:30')
check_eq "-z stores the instant in UTC" "04/01/2024 10:09:30" \
    "$(sqlite3 "$C" "SELECT pattern FROM filter_cond WHERE filter_id = $id")"
for z in UTC America/New_York; do
	"$EVTRIAGE" detect -d "$C" -z $z -S -f tsv $S > "$T/z.tsv"
	check_eq "a filter made in Berlin holds in $z" "$id" \
	    "$(grep 'b.dll' "$T/z.tsv" | cut -f14)"
done
"$EVTRIAGE" filter -d "$C" rm "$id" 2> /dev/null

# The raw value with ESC, BEL and TAB, not its escaped display, matches.
raw=$(printf 'msiexec /y C:\\Temp\\\033]0;x\007\ttab.dll')
id=$("$EVTRIAGE" filter -d "$C" add -D $S -R "raw" "process=$raw")
"$EVTRIAGE" detect -q -d "$C" -z Asia/Tokyo $S > /dev/null
check_eq "a filter on the raw value suppresses the escaped-looking hit" \
    "$id" "$(sqlite3 "$C" "SELECT filter_id FROM hit WHERE dest = 'ESC01' AND detection = '$S'")"

# filter add checks what it is given.
n=$(sqlite3 "$C" "SELECT count(*) FROM filter")
check_status "an unknown detection is refused" 2 \
    "$EVTRIAGE" filter -d "$C" add -D no_such_detection -R x dest=A
check "and named" grep -q "no detection 'no_such_detection'" "$T/status.out"
check_status "an unknown field is refused" 2 \
    "$EVTRIAGE" filter -d "$C" add -D $S -R x parent_proces_name=cmd.exe
check "and named" grep -q "'parent_proces_name' is not an output field" \
    "$T/status.out"
check_status "no conditions without -a is refused" 2 \
    "$EVTRIAGE" filter -d "$C" add -D $S -R x
check_status "only match-anything patterns without -a is refused" 2 \
    "$EVTRIAGE" filter -d "$C" add -D $S -R x 'process=**' dest=
check_status "a bad -x is refused" 2 \
    "$EVTRIAGE" filter -d "$C" add -D $S -R x -x 'next tuesday' dest=A
check_eq "nothing was added" "$n" \
    "$(sqlite3 "$C" "SELECT count(*) FROM filter")"
"$EVTRIAGE" filter -d "$C" add -D $S -R x -x '2030-01-01 10:00' dest=NONE \
    > /dev/null
check_eq "-x is read as -E and -L are" "2030-01-01T10:00:00.0000000Z" \
    "$(sqlite3 "$C" "SELECT expires FROM filter ORDER BY id DESC LIMIT 1")"
"$EVTRIAGE" filter -d "$C" add -D $S -R x -x -1d dest=NONE > /dev/null
check_eq "-x takes times relative to the newest event" \
    "2024-04-01T10:00:00.0000000Z" \
    "$(sqlite3 "$C" "SELECT expires FROM filter ORDER BY id DESC LIMIT 1")"

# add and rm update the stored hits: no detect in between.
before=$(unfiltered)
all=$("$EVTRIAGE" filter -d "$C" add -a -D $S -R "everything" 2> /dev/null)
check_eq "-a makes a filter of every hit, applied at once" 0 "$(unfiltered)"
check_eq "the detection's counts follow" "0 6" \
    "$(sqlite3 "$C" "SELECT hits || ' ' || filtered FROM detection WHERE name = '$S'")"
"$EVTRIAGE" filter -d "$C" rm "$all" 2> "$T/rm.err"
check_eq "rm brings the hits back unfiltered" "$before" "$(unfiltered)"
check "rm says how many hits changed" grep -q "5 hits" "$T/rm.err"
"$EVTRIAGE" filter -d "$C" rm "$id" 2> /dev/null
check_eq "hits stay filtered only by filters that remain" 6 "$(unfiltered)"
check_eq "the counts follow rm" "6 0" \
    "$(sqlite3 "$C" "SELECT hits || ' ' || filtered FROM detection WHERE name = '$S'")"

# README's "Using it" lines for detect, filter and rules, as
# written, on a case of the samples in the current folder.
mkdir "$T/readme" && cp -R "$srcdir/samples/evidence" "$T/readme/"
mkdir "$T/bin" && ln -s "$EVTRIAGE" "$T/bin/evtriage"
(cd "$T/readme" && PATH=$T/bin:$PATH evtriage scan -n -q evidence > /dev/null)
sed -n '/^## Using it/,/^```$/p' "$srcdir/README.md" | sed '1,2d;$d' |
    sed -e :a -e '/\\$/N; s/\\\n//; ta' |
    grep -E '^evtriage (detect|filter|rules)' > "$T/readme.sh"
check "README has the filter examples" grep -q "^evtriage filter rm 1" \
    "$T/readme.sh"
while IFS= read -r line; do
	(cd "$T/readme" && PATH=$T/bin:$PATH sh -c "$line" > /dev/null 2>&1)
	st=$?
	case $st in 0|3) ok "README: $line" ;;
	*) notok "README: $line (exit $st)" ;;
	esac
done < "$T/readme.sh"
finish
