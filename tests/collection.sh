#!/bin/sh
# Issue #12's collection archives as a responder receives them: a KAPE
# and a Velociraptor layout in collection.zip, a tar, an XML export in a
# zip, read with their paths inside the archive in every output; the
# zip bomb limits on the whole archive and on one entry; an entry whose
# header understates what it expands to is read only as far as it says.
# tests/archive.sh holds the rest (formats, nesting, damage, entries).
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
EV=$srcdir/samples/evidence
cd "$T" || exit 1
cp -R "$EV" evidence
LOGS=Windows/System32/winevt/Logs

/usr/bin/python3 - <<'EOF' || notok "making the archives"
import struct, tarfile, zipfile
sysmon = open("evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx",
    "rb").read()
security = open("evidence/SRV02/Security.evtx", "rb").read()
L = "Windows/System32/winevt/Logs/"
# KAPE's target layout, and Velociraptor's offline collector's.
with zipfile.ZipFile("collection.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("C/" + L + "Microsoft-Windows-Sysmon%4Operational.evtx",
        sysmon)
    z.writestr("C/" + L + "Security.evtx", security)
with zipfile.ZipFile("velo.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("uploads/auto/C%3A/" + L + "Security.evtx", security)
    z.writestr("uploads/auto/C%3A/" + L +
        "Microsoft-Windows-Sysmon%4Operational.evtx", sysmon)
    z.writestr("log.json", b'{"level":"INFO"}\n')
with tarfile.open("collection.tar", "w") as t:
    t.add("evidence/SRV02/Security.evtx", "C/" + L + "Security.evtx")
    t.add("evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx",
        "C/" + L + "Microsoft-Windows-Sysmon%4Operational.evtx")

def patch(b, count, size):
    # Set the uncompressed size of the first count entries, in their
    # local headers and in the central directory.
    for sig, off in ((b"PK\3\4", 22), (b"PK\1\2", 24)):
        i = 0
        for n in range(count):
            i = b.find(sig, i)
            struct.pack_into("<I", b, i + off, size)
            i += 4

# The whole archive past its limit (1 GiB here): two entries that say
# they expand to 600 MiB each, the second over the limit.
with zipfile.ZipFile("total.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a/one.evtx", security)
    z.writestr("b/two.evtx", security + b"\0")
    z.writestr("c/Security.evtx", security + b"\0\0")
b = bytearray(open("total.zip", "rb").read())
patch(b, 2, 600 << 20)
open("total.zip", "wb").write(b)

# One entry past 64 GiB, in an archive large enough (70 MiB, sparse)
# that the ratio would let it through.
ti = tarfile.TarInfo("huge/Security.evtx")
ti.size = 65 << 30
with open("entry.tar", "wb") as f:
    f.write(ti.tobuf(tarfile.GNU_FORMAT))
    f.write(security)
    f.truncate(70 << 20)

# An entry that says it is the log's size and holds 300 MiB more.
with zipfile.ZipFile("liar.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Logs/Security.evtx", security + b"\0" * (300 << 20))
b = bytearray(open("liar.zip", "rb").read())
patch(b, 1, len(security))
open("liar.zip", "wb").write(b)
EOF

rows() {
	sqlite3 "$1" "SELECT e.sha256, p.record_index, p._time, p.dest,
	    p.user, p.process, p.process_id, p.parent_process
	    FROM process p JOIN evidence e ON e.id = p.evidence_id
	    ORDER BY 1, 2"
}
hits() {
	sqlite3 "$1" "SELECT detection, dest, user, _time, risk_message
	    FROM hit ORDER BY 1, 2, 3, 4, 5"
}
mkdir plain
cp evidence/SRV02/Security.evtx \
    "evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx" plain/
"$EVTRIAGE" scan -n -q -d plain.db plain > /dev/null 2>&1
rows plain.db > plain.rows
hits plain.db > plain.hits
check "reference: hits" test -s plain.hits
A="collection.zip velo.zip collection.tar total.zip entry.tar liar.zip"
before=$(sha256sum $A)

# evtriage scan collection.zip, as the issue has it.
for a in collection.zip velo.zip collection.tar; do
	check_status "$a: hits, all read, exit 3" 3 \
	    "$EVTRIAGE" scan -n -d "$a.db" -o "$a.rep" "$a"
	cp "$T/status.out" "$a.out"
	rows "$a.db" > "$a.rows"
	check_file "$a: the rows of the plain files" plain.rows "$a.rows"
	hits "$a.db" > "$a.hits"
	check_file "$a: the hits of the plain files" plain.hits "$a.hits"
done
check "velo.zip: the collector's own files are not logs" grep -q \
    "2 EVTX files (2 read," velo.zip.out
P="collection.zip > C/$LOGS/Security.evtx"
check "collection.zip: a hit names the log inside the archive" grep -qF \
    "evidence             $P record 2 event 4688 sha256 " collection.zip.out
for f in hits.csv hits.jsonl timeline.csv timeline.jsonl report.html \
    evidence.csv timesketch.jsonl; do
	q=$P
	[ $f = report.html ] && q="collection.zip &gt; C/$LOGS/Security.evtx"
	check "collection.zip: $f names the log inside the archive" \
	    grep -qF "$q" collection.zip.rep/$f
done
check "collection.tar: a hit names the log inside the archive" grep -qF \
    "evidence             collection.tar > C/$LOGS/Security.evtx record 2" \
    collection.tar.out
check "velo.zip: the collector's path kept as it is" sh -c \
    "'$EVTRIAGE' evidence -d velo.zip.db | grep -qxF 'velo.zip > uploads/auto/C%3A/$LOGS/Security.evtx'"
"$EVTRIAGE" evidence -d collection.zip.db -f json > ev.json
check "evidence -f json: each log's SHA-256 and entry" /usr/bin/python3 - \
    ev.json plain <<'EOF'
import hashlib, json, os, sys
want = {hashlib.sha256(open(os.path.join(sys.argv[2], f), "rb").read())
    .hexdigest(): f for f in os.listdir(sys.argv[2])}
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2, rows
for r in rows:
    f = want[r["sha256"]]
    c = json.loads(r["provenance"])
    assert c[0] == {"container": "file", "path": "collection.zip"}, c
    assert c[1] == {"container": "archive", "format": "zip"}, c
    assert c[2]["container"] == "entry", c
    assert c[2]["path"] == "C/Windows/System32/winevt/Logs/" + f, c
    assert r["path"] == "collection.zip > " + c[2]["path"], r
EOF

# Any reader reads inside an archive: an XML export in a zip.
if command -v evtxexport > /dev/null 2>&1; then
	/usr/bin/python3 "$srcdir/tests/xml-export.py" wrapped \
	    "evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx" \
	    sysmon.xml 2> /dev/null
	/usr/bin/python3 -c '
import zipfile
with zipfile.ZipFile("xml.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("sysmon.xml", "export/sysmon.xml")'
	"$EVTRIAGE" load -q -d xml-plain.db sysmon.xml > /dev/null 2>&1
	check_status "XML export in a zip: read, exit 0" 0 \
	    "$EVTRIAGE" load -d xml-zip.db xml.zip
	check "XML export in a zip: counted" grep -qF \
	    "1 log (0 EVTX, 1 XML export, 0 FDR exports) (1 read" \
	    "$T/status.out"
	rows xml-plain.db > xml-plain.rows
	rows xml-zip.db > xml-zip.rows
	check_file "XML export in a zip: the rows of the plain file" \
	    xml-plain.rows xml-zip.rows
else
	skip "XML export in a zip: no evtxexport (apt-get install libevtx-utils)"
fi

# Zip bomb limits.
check_status "the whole archive past its limit: exit 1" 1 \
    "$EVTRIAGE" scan -n -d total.db total.zip
check "the whole archive past its limit: named" grep -qF \
    "cannot read 'total.zip > b/two.evtx': zip bomb limit: expands to 1258291200 bytes in all from" \
    "$T/status.out"
# libarchive ends some messages in a newline, which was shown as \n.
check "libarchive's message without its newline" grep -q \
    "cannot read entry: ZIP uncompressed data is wrong size (read 69632, expected 629145600)\$" \
    "$T/status.out"
check_eq "the whole archive past its limit: the rest not read" 0 \
    "$(sqlite3 total.db "SELECT count(*) FROM evidence_path WHERE path LIKE '%c/Security.evtx'")"
check_status "one entry past 64 GiB: exit 1" 1 \
    "$EVTRIAGE" scan -n -d entry.db entry.tar
check "one entry past 64 GiB: named" grep -qF \
    "cannot read 'entry.tar > huge/Security.evtx': zip bomb limit: expands to 69793218560 bytes" \
    "$T/status.out"
check_status "an entry that understates its size: the log read, exit 3" 3 \
    "$EVTRIAGE" scan -n -d liar.db liar.zip
check_eq "an entry that understates its size: read as far as it says" \
    69632 "$(sqlite3 liar.db "SELECT size FROM evidence")"

# Progress, on a terminal: the files as they are read.
if command -v script > /dev/null 2>&1; then
	script -qec "'$EVTRIAGE' load -d prog.db collection.zip" /dev/null \
	    < /dev/null > prog.out 2>&1
	check "progress: the files as they are read" \
	    grep -q "files 2/2, " prog.out
else
	skip "progress: no script(1)"
fi

check_eq "the archives are unchanged" "$before" "$(sha256sum $A)"
finish
