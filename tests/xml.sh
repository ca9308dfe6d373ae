#!/bin/sh
# XML exports of events (parsers/xml-read.c): the samples' incident as
# XML in every form a responder receives (tests/xml-export.py) gives the
# same process rows, hits and trees as the EVTX logs; damaged and hostile
# XML is counted event by event, the rest loads, nothing external is
# fetched and no entity bomb goes off; EVTX and XML from different hosts
# make one case; the evidence is never changed.
. "${srcdir:-.}/tests/lib.sh" || exit 1

command -v evtxexport > /dev/null ||
    skip_all "evtxexport (libevtx-utils) is not installed"
command -v sqlite3 > /dev/null || skip_all "sqlite3 is not installed"
EXPORT="/usr/bin/python3 $srcdir/tests/xml-export.py"
cd "$T" || exit 1

# What a case says of the incident, without which file or row said it.
rows() {
	for t in process process_end; do
		sqlite3 -header "$1" "SELECT * FROM $t ORDER BY _time, dest,
		    process_id, record_index" | cut -d'|' -f3- |
		    sed 's/|[^|]*$//'	# which reader decoded it: the last
	done
}
trees() {
	for h in $(sqlite3 "$1" "SELECT id FROM hit ORDER BY id"); do
		"$EVTRIAGE" tree -d "$1" -H "$h"
	done
}
hits() {
	grep -v '^    evidence ' "$1"
}
# convert FORM DIR OUT: every EVTX log under DIR as an export in OUT.
convert() {
	for f in $(cd "$2" && find . -name '*.evtx'); do
		mkdir -p "$3/$(dirname "$f")"
		$EXPORT "$1" "$2/$f" "$3/${f%.evtx}.xml" || return 1
	done
}

# The incident as EVTX, plus a log with hostile text: markup, entities,
# a "</Event>" in a command line, non-ASCII.
cp -R "$srcdir/samples/evidence" evtx
chmod -R u+w evtx
rm -f evtx/COLLECTION.txt
mkdir evtx/HOST9
mkevtx evtx/HOST9/Sysmon.evtx \
'sysmon1 computer=HOST9 ProcessId=11 ParentProcessId=10 Image=C:\Windows\System32\msiexec.exe CommandLine="msiexec /y C:\x\a.dll </Event> & <b> ""q"" ]]> %u{e9}%u{4e2d}" ParentImage=C:\Windows\explorer.exe
sysmon5 computer=HOST9 ProcessId=11 Image=C:\Windows\System32\msiexec.exe
4688 computer=HOST9 NewProcessId=0x2c ProcessId=0xb NewProcessName=C:\Windows\System32\cmd.exe CommandLine="cmd /c echo &amp; <Event>"'
"$EVTRIAGE" scan -q -d evtx.db evtx > evtx.out 2> evtx.err
check_eq "EVTX scan: hits, all read" 3 $?
rows evtx.db > evtx.rows
trees evtx.db > evtx.trees
hits evtx.out > evtx.hits
check "EVTX scan: the hostile log loads" \
    test "$(grep -c 'HOST9' evtx.rows)" -ge 3

forms="bare wrapped splunk utf16 utf16be prefixed cdata crlf"
for form in $forms; do
	convert $form evtx $form || notok "$form: convert"
done
find evtx $forms -type f | sort | xargs sha256sum > before.sum
for form in $forms; do
	"$EVTRIAGE" scan -q -d $form.db $form > $form.out 2> $form.err
	check_eq "$form: hits, all read" 3 $?
	check_eq "$form: every file read as XML" \
	    "4|4" "$(sqlite3 $form.db "SELECT count(*), sum(status = 'done')
	    FROM evidence WHERE path LIKE '%.xml'")"
	rows $form.db > $form.rows
	check_file "$form: the same process rows as EVTX" evtx.rows $form.rows
	hits $form.out > $form.hits
	check_file "$form: the same hits as EVTX" evtx.hits $form.hits
	trees $form.db > $form.trees
	check_file "$form: the same trees as EVTX" evtx.trees $form.trees
	check_eq "$form: no problems" 0 \
	    "$(sqlite3 $form.db 'SELECT count(*) FROM problem')"
done
check "a hit names its XML file" grep -q 'evidence *bare/WS01/.*\.xml record' \
    bare.out
"$EVTRIAGE" load -d bare.db bare > again.out 2>&1
check_eq "an export loaded again: nothing added" "0|$(sqlite3 bare.db \
    'SELECT count(*) FROM process')" \
    "$?|$(sqlite3 bare.db 'SELECT count(*) FROM process')"
check "an export loaded again: known by its hash" \
    grep -q "4 already in the case" again.out

# Exports larger than the reader's buffer: events across its refills.
mkdir big bigx
"$EVTXGEN" -n 3000 -k sysmon -p 0.5 -s 7 -o big/log.evtx
"$EVTRIAGE" load -q -d big.db big > /dev/null 2>&1
rows big.db > big.rows
for form in bare utf16; do
	convert $form big bigx/$form || notok "big $form: convert"
	"$EVTRIAGE" load -q -d big-$form.db bigx/$form > /dev/null 2>&1
	check_eq "big $form: all read" 0 $?
	rows big-$form.db > big-$form.rows
	check_file "big $form: the same process rows as EVTX" big.rows \
	    big-$form.rows
done
# One event longer than the buffer, its command line 600,000 bytes.
mkdir long
awk 'BEGIN { n = 0; a = "A"; while (length(a) < 600000) a = a a
    a = substr(a, 1, 600000) }
    /<Event[ >]/ { n++ }
    n == 1 && /Name="CommandLine"/ { sub(/>[^<]*</, ">" a "<") } { print }' \
    $(ls bare/WS01/*.xml) > long/ws01.xml
"$EVTRIAGE" load -q -d long.db long > /dev/null 2>&1
check_eq "a 600 KB event: read whole" "0|600000" \
    "$?|$(sqlite3 long.db 'SELECT length(process) FROM process
    WHERE record_index = 0')"

# The offset of the Nth "<Event" in a file (1-based).
evoff() {
	grep -bo '<Event[ >]' "$1" | sed -n "$2p" | cut -d: -f1
}
mkdir bad
ws01=bare/WS01/Microsoft-Windows-Sysmon%4Operational.xml
nws01=$(grep -c '<Event[ >]' $ws01)
good=$(sqlite3 bare.db "SELECT count(*) FROM process p JOIN evidence e
    ON e.id = p.evidence_id WHERE e.path LIKE '%WS01%'")

# A broken event among good ones: counted with its place, the rest loads.
mkdir bad/broken
awk 'BEGIN { n = 0 } /<Event[ >]/ { n++ }
    n == 2 && /<Data Name="Image">/ { sub(/<\/Data>/, "</Dta>") } { print }' \
    $ws01 > bad/broken/ws01.xml
"$EVTRIAGE" load -d broken.db bad/broken > /dev/null 2> broken.err
check_eq "broken event: exit 1" 1 $?
check_eq "broken event: one problem, at its index and offset" \
    "record|1|$(evoff bad/broken/ws01.xml 2)" \
    "$(sqlite3 broken.db 'SELECT kind, record_index, offset FROM problem')"
check_eq "broken event: the reason is expat's" 1 \
    "$(sqlite3 broken.db "SELECT count(*) FROM problem WHERE reason LIKE
    'malformed XML event: mismatched tag%'")"
check_eq "broken event: the others load" \
    "$((nws01 - 1))|1|$((good - 1))" \
    "$(sqlite3 broken.db 'SELECT records, unreadable, process_events
    FROM evidence')"

# The same in UTF-16: the offset is the event's byte offset in the file.
mkdir bad/broken16
off16=$(/usr/bin/python3 -c '
import sys
t = open(sys.argv[1], "rb").read()[2:].decode("utf-16-le")
e = t.index("<Event ", t.index("<Event ") + 1)
i = t.index("<Data Name=\"Image\">", e)
t = t[:i] + t[i:].replace("</Data>", "</Dta>", 1)
open(sys.argv[2], "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))
print(2 + 2 * e)' utf16/WS01/*.xml bad/broken16/ws01.xml)
"$EVTRIAGE" load -d broken16.db bad/broken16 > /dev/null 2>&1
check_eq "broken event in UTF-16: at its index and byte offset" \
    "1|1|$off16|$((nws01 - 1))" \
    "$?|$(sqlite3 broken16.db 'SELECT record_index, offset FROM problem')|$(
    sqlite3 broken16.db 'SELECT records FROM evidence')"

# A damaged start tag: not silently dropped.
mkdir bad/tag
awk 'BEGIN { n = 0 } /<Event[ >]/ { n++; if (n == 2) sub(/<Event/, "<Evnt") }
    { print }' $ws01 > bad/tag/ws01.xml
"$EVTRIAGE" load -d tag.db bad/tag > /dev/null 2>&1
check_eq "damaged start tag: exit 1" 1 $?
check_eq "damaged start tag: stray text reported where it starts" \
    "|$(grep -bo '<Evnt' bad/tag/ws01.xml | cut -d: -f1)" \
    "$(sqlite3 tag.db 'SELECT record_index, offset FROM problem')"

# A file cut inside its last event.
mkdir bad/trunc
f=wrapped/WS01/Microsoft-Windows-Sysmon%4Operational.xml
last=$(evoff $f $nws01)
head -c $((last + 200)) $f > bad/trunc/ws01.xml
"$EVTRIAGE" load -d trunc.db bad/trunc > /dev/null 2> trunc.err
check_eq "truncated: exit 1" 1 $?
check_eq "truncated: the cut event is counted at its offset" \
    "$((nws01 - 1))|$last" \
    "$(sqlite3 trunc.db 'SELECT record_index, offset FROM problem')"
check_eq "truncated: says so" 1 "$(sqlite3 trunc.db \
    "SELECT count(*) FROM problem WHERE reason LIKE '%truncated%'")"
check_eq "truncated: the events before it load" "$((nws01 - 1))" \
    "$(sqlite3 trunc.db 'SELECT records FROM evidence')"

# The same file cut to nothing inside an event at all.
mkdir bad/empty
head -c 48 $f > bad/empty/ws01.xml
"$EVTRIAGE" load -d empty.db bad/empty > /dev/null 2>&1
check_eq "cut in the prolog: read, nothing in it: exit 1" "1|0" \
    "$?|$(sqlite3 empty.db 'SELECT records FROM evidence')"

# An entity bomb and an external entity: neither expands, the events
# using them are counted, the others load.
mkdir bad/ent
echo "TOPSECRET-$$" > secret.txt
{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE Events ['
	echo '<!ENTITY lol "lol">'
	i=1
	prev=lol
	while [ $i -le 9 ]; do
		printf '<!ENTITY lol%d "' $i
		j=0
		while [ $j -lt 10 ]; do printf '&%s;' $prev; j=$((j + 1)); done
		echo '">'
		prev=lol$i
		i=$((i + 1))
	done
	echo "<!ENTITY xxe SYSTEM \"file://$T/secret.txt\">"
	echo ']>'
	echo '<Events>'
	sed -n '/<Event[ >]/,$p' $ws01 | sed '/^<\/Events>/d' |
	    awk 'BEGIN { n = 0 } /<Event[ >]/ { n++ }
	    n == 1 && /Name="CommandLine"/ { sub(/<\/Data>/, "\\&lol9;</Data>") }
	    n == 2 && /Name="CommandLine"/ { sub(/<\/Data>/, "\\&xxe;</Data>") }
	    { print }'
	echo '</Events>'
} > bad/ent/ws01.xml
timeout 60 "$EVTRIAGE" load -d ent.db bad/ent > /dev/null 2> ent.err
check_eq "entities: exit 1, in time" 1 $?
check_eq "entities: both events counted, undefined" "0|1" \
    "$(sqlite3 ent.db "SELECT group_concat(record_index) FROM
    (SELECT record_index FROM problem WHERE reason LIKE '%undefined entity%'
    ORDER BY 1)" | tr ',' '|')"
check_eq "entities: the others load" "$((nws01 - 2))" \
    "$(sqlite3 ent.db 'SELECT records FROM evidence')"
check "entities: the external file is not read" \
    sh -c "! grep -q TOPSECRET ent.db"
check "entities: no lol in the case" sh -c "! grep -q lollollol ent.db"

# Wrong encodings: a Latin-1 byte in a UTF-8 file spoils its event only;
# an encoding expat lacks is not guessed at, and the run says so.
mkdir bad/latin1 bad/ebcdic
awk 'BEGIN { n = 0 } /<Event[ >]/ { n++ }
    n == 2 && /Name="CommandLine"/ { sub(/<\/Data>/, "\351</Data>") }
    { print }' $f > bad/latin1/ws01.xml
"$EVTRIAGE" load -d latin1.db bad/latin1 > /dev/null 2> latin1.err
check_eq "latin-1 in UTF-8: exit 1" 1 $?
check_eq "latin-1 in UTF-8: that event counted" "1|$(evoff bad/latin1/ws01.xml 2)" \
    "$(sqlite3 latin1.db 'SELECT record_index, offset FROM problem')"
check_eq "latin-1 in UTF-8: the others load" "$((nws01 - 1))" \
    "$(sqlite3 latin1.db 'SELECT records FROM evidence')"
sed '1s/UTF-8/ISO-8859-1/' bad/latin1/ws01.xml > bad/latin1/ws01-declared.xml
mkdir bad/latin1ok
mv bad/latin1/ws01-declared.xml bad/latin1ok/
"$EVTRIAGE" load -d latin1ok.db bad/latin1ok > /dev/null 2>&1
check_eq "declared ISO-8859-1: read, exit 0" "0|$nws01" \
    "$?|$(sqlite3 latin1ok.db 'SELECT records FROM evidence')"
check "declared ISO-8859-1: decoded to UTF-8" \
    sh -c "sqlite3 latin1ok.db 'SELECT process FROM process' | grep -q \"$(printf '\303\251')\""
sed '1s/UTF-8/EBCDIC-US/' $f > bad/ebcdic/ws01.xml
"$EVTRIAGE" scan -d ebcdic.db bad/ebcdic > ebcdic.out 2> ebcdic.err
check_eq "unknown encoding: exit 1" 1 $?
check "unknown encoding: the file is named, not read" \
    grep -q "cannot fully read '.*ws01.xml'.*EBCDIC-US" ebcdic.err
check_eq "unknown encoding: failed in the case" "failed" \
    "$(sqlite3 ebcdic.db 'SELECT status FROM evidence')"

# EVTX from two hosts and XML from the other two: one case, every hit.
mkdir mixed
cp -R evtx/WS01 evtx/HOST9 mixed/
cp -R utf16/SRV02 splunk/WS03 mixed/
"$EVTRIAGE" scan -q -d mixed.db mixed > mixed.out 2> mixed.err
check_eq "mixed: hits, all read" 3 $?
hits mixed.out > mixed.hits
check_file "mixed: one report with every hit" evtx.hits mixed.hits
rows mixed.db > mixed.rows
check_file "mixed: the same process rows" evtx.rows mixed.rows
"$EVTRIAGE" report -d mixed.db -f jsonl > mixed.jsonl
check_eq "mixed: the report has every hit, of all four hosts" \
    "$(grep -c '^  hit ' evtx.hits)|4" \
    "$(wc -l < mixed.jsonl | tr -d ' ')|$(sed 's/.*"dest":"\([^"]*\)".*/\1/' \
    mixed.jsonl | sort -u | wc -l | tr -d ' ')"
check "mixed: the report names XML and EVTX evidence" \
    sh -c "grep -q 'mixed/SRV02/Security.xml' mixed.jsonl &&
    grep -q 'mixed/WS01/[^\"]*.evtx' mixed.jsonl"
check_eq "mixed: each row's source recorded" "2|2" \
    "$(sqlite3 mixed.db "SELECT sum(path LIKE '%.evtx'),
    sum(path LIKE '%.xml') FROM evidence")"

# Nothing was written to the evidence, nor next to it.
sha256sum -c --quiet before.sum > sum.out 2>&1
check "the evidence is unchanged (checksums)" test $? = 0
check_eq "nothing new beside the evidence" "" \
    "$(find evtx $forms -type f | sort | xargs sha256sum | diff before.sum - |
    grep '^[<>]')"

finish
