#!/bin/sh
# Collections as archives (parsers/container-archive.c): zip (deflated
# and stored), tar, tar.gz, a lone .gz and a zip inside a zip read the
# same rows and hits as the folder; the path inside the archive is the
# provenance everywhere; a zip inside a zip inside a zip, a damaged
# archive, a zip bomb and an entry named .evtx that is not one are
# named, counted and make the run partial; the archive is not changed.
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
cp -R "$srcdir/samples/evidence" "$T/evidence"
cd "$T" || exit 1
"$EVTXGEN" -o clean.evtx "$srcdir/tests/scenarios/report-dirty.txt" ||
    skip_all "evtxgen failed"

/usr/bin/python3 - <<'EOF' || notok "making the archives"
import gzip, io, os, tarfile, zipfile

def add_tree(z, compress):
    for root, dirs, files in sorted(os.walk("evidence")):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, p, compress_type=compress)

with zipfile.ZipFile("deflated.zip", "w") as z:
    add_tree(z, zipfile.ZIP_DEFLATED)
with zipfile.ZipFile("stored.zip", "w") as z:
    add_tree(z, zipfile.ZIP_STORED)
with tarfile.open("c.tar", "w") as t:
    t.add("evidence")
with tarfile.open("c.tar.gz", "w:gz") as t:
    t.add("evidence")
with open("evidence/SRV02/Security.evtx", "rb") as f:
    data = f.read()
with open("Security.evtx.gz", "wb") as f:
    f.write(gzip.compress(data))
# One level inside: read.  Two: named, not read.
with zipfile.ZipFile("nested.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("deflated.zip", "inner/collection.zip")
with zipfile.ZipFile("deep.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("nested.zip", "nested.zip")
with zipfile.ZipFile("clean.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("clean.evtx", "Logs/System.evtx")
# Damaged: cut in the middle of the second log.
with open("deflated.zip", "rb") as f:
    whole = f.read()
with open("cut.zip", "wb") as f:
    f.write(whole[:len(whole) * 2 // 3])
# A .evtx entry that is not EVTX, beside a good one.
with zipfile.ZipFile("fake.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("clean.evtx", "good/System.evtx")
    z.writestr("bad/Security.evtx", b"this is not an event log\n" * 100)
# Entry names are the attacker's: a terminal escape and HTML in one.
with zipfile.ZipFile("hostile.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx",
        "x/\x1b]0;pwned\x07<b>bold</b>.evtx")
# Zip bombs: more entries than the limit; and a tar whose header says
# an entry expands past the ratio (the data is never there to read).
with zipfile.ZipFile("entries.zip", "w", zipfile.ZIP_STORED) as z:
    for i in range(100001):
        z.writestr("e%d" % i, b"")
    z.write("clean.evtx", "zz/System.evtx")
ti = tarfile.TarInfo("huge/Security.evtx")
ti.size = 3 << 30
with open("ratio.tar", "wb") as f:
    f.write(ti.tobuf(tarfile.GNU_FORMAT))
    f.write(data[:4096])
EOF

# The rows and hits of a case, without the paths they were read under.
rows() {
	sqlite3 "$1" "SELECT e.sha256, p.record_index, p.recovered, p._time,
	    p.dest, p.user, p.process, p.process_id, p.parent_process,
	    p.fields FROM process p JOIN evidence e ON e.id = p.evidence_id
	    ORDER BY 1, 2, 3"
}
hits() {
	sqlite3 "$1" "SELECT detection, dest, user, _time, risk_message
	    FROM hit ORDER BY 1, 2, 3, 4, 5"
}

"$EVTRIAGE" scan -n -q -d folder.db evidence > /dev/null 2>&1
check_eq "the folder: exit 3" 3 $?
before=$(sha256sum *.zip *.tar *.tar.gz *.gz)

for a in deflated.zip stored.zip c.tar c.tar.gz nested.zip; do
	"$EVTRIAGE" scan -n -d "$a.db" "$a" > "$a.out" 2> "$a.err"
	check_eq "$a: exit 3 (hits, all read)" 3 $?
	check_eq "$a: the folder's rows" "$(rows folder.db)" "$(rows "$a.db")"
	check_eq "$a: the folder's hits" "$(hits folder.db)" "$(hits "$a.db")"
	check "$a: 3 EVTX files read" grep -q "3 EVTX files (3 read," "$a.err"
	check "$a: not counted as not read" grep -q "0 not read yet" "$a.err"
done
# A tar.gz is decompressed by the scan only once: its lister reads each
# log into a slot on its way through, the log's worker finds it there,
# and the worker's streams of it (hash, libevtx, the fast reader) share
# it.
"$EVTRIAGE" load -vv -j 1 -d tgz.db c.tar.gz > /dev/null 2> tgz.err
check_eq "tar.gz: each log's worker finds it in a slot" 3 \
    "$(grep "the lister's slot" tgz.err | sort -u | wc -l)"
check_eq "tar.gz: no worker reads the archive again from its start" 0 \
    "$(grep -c "from the archive's start" tgz.err)"
check_eq "tar.gz: libarchive opens it once in all" 1 \
    "$(grep -c "container_archive_open_archive: 'c.tar.gz'" tgz.err)"
# Its lister is a process of its own: one that crashes or hangs costs the
# rest of the archive, named and counted, and the logs it handed out are
# read; a rescan reads the rest.
EVTRIAGE_TEST_LIST_CRASH=2 "$EVTRIAGE" scan -n -j 1 -d lc.db c.tar.gz \
    > lc.out 2> lc.err
check_eq "a lister that crashes: exit 4 (hits, not all read)" 4 $?
check "a lister that crashes: named, with what it had handed out" grep -qF \
    "cannot read 'c.tar.gz': listing the archive crashed (Aborted) after 1 log, the rest not read" \
    lc.err
check "a lister that crashes: the log it handed out is read" grep -qF \
    "1 EVTX file (1 read," lc.err
check_eq "a lister that crashes: the case says so" 1 \
    "$(sqlite3 lc.db "SELECT count(*) FROM problem WHERE path = 'c.tar.gz'
    AND reason LIKE 'listing the archive crashed%'")"
"$EVTRIAGE" scan -n -j 1 -d lc.db c.tar.gz > /dev/null 2> lc2.err
check "a lister that crashed: a rescan reads the rest" grep -qF \
    "3 EVTX files (2 read, 1 already in the case" lc2.err
EVTRIAGE_TEST_LIST_HANG=3 "$EVTRIAGE" scan -n -j 1 -T 2 -d lh.db c.tar.gz \
    > /dev/null 2> lh.err
check_eq "a lister that hangs: exit 4" 4 $?
check "a lister that hangs: stopped and named" grep -qF \
    "listing the archive made no progress for 2 s after 2 logs, the rest not read" \
    lh.err
# Without slots (no memfd), each worker reads its log out of the
# archive: the same rows.
EVTRIAGE_TEST_NO_SLOTS=1 "$EVTRIAGE" load -vv -j 2 -d ns.db c.tar.gz \
    > /dev/null 2> ns.err
check_eq "no slots: the folder's rows" "$(rows folder.db)" "$(rows ns.db)"
check_eq "no slots: each worker reads the archive from its start" 3 \
    "$(grep -c "from the archive's start" ns.err)"
# More logs than slots (a worker's and one): the lister waits for one.
mkdir many
for i in 1 2 3 4 5 6 7; do
	"$EVTXGEN" -n 300 -k security -s $i -o many/h$i.evtx || notok "evtxgen"
done
mkdir m && tar czf m/many.tar.gz many
"$EVTRIAGE" load -vv -j 1 -d many.db m/many.tar.gz > /dev/null 2> many.err
check "7 logs through 2 slots: all read" grep -qF "7 EVTX files (7 read," \
    many.err
check_eq "7 logs through 2 slots: each from its slot" 7 \
    "$(grep "the lister's slot" many.err | sort -u | wc -l)"
# With one worker, a tar.gz's logs are read where the walk found it,
# between the folder's files, and numbered so.
mkdir walk
cp many/h1.evtx walk/a.evtx
cp many/h2.evtx walk/c.evtx
tar czf walk/b.tar.gz -C many h3.evtx h4.evtx
"$EVTRIAGE" load -q -j 1 -d walk.db walk > /dev/null 2>&1
check_eq "-j 1: a tar.gz's logs in the walk's order" \
    "walk/a.evtx walk/b.tar.gz > h3.evtx walk/b.tar.gz > h4.evtx walk/c.evtx" \
    "$(sqlite3 walk.db "SELECT path FROM evidence ORDER BY id" | tr '\n' ' ' |
    sed 's/ $//')"

# More than one worker takes the largest file first, but a tar.gz's
# logs in the archive's order: no worker decompresses it from its start
# (asked for an entry behind its place, the loader would leave it to its
# worker).
mkdir sizes order
for n in a600 b900 c300; do
	"$EVTXGEN" -n ${n#?} -k security -s ${n#?} -o sizes/$n.evtx ||
	    notok "evtxgen"
done
/usr/bin/python3 -c '
import os, tarfile
with tarfile.open("order/sizes.tar.gz", "w:gz") as t:
    for n in sorted(os.listdir("sizes")):
        t.add("sizes/" + n)' || notok "making sizes.tar.gz"
"$EVTRIAGE" load -j 2 -d sizes.db sizes > /dev/null 2>&1
"$EVTRIAGE" load -vv -j 2 -d small.db order/sizes.tar.gz > /dev/null \
    2> small.err
check "tar.gz out of size order, 2 workers: 3 EVTX files read" \
    grep -q "3 EVTX files (3 read," small.err
check_eq "tar.gz out of size order, 2 workers: the folder's rows" \
    "$(rows sizes.db)" "$(rows small.db)"
check_eq "tar.gz out of size order, 2 workers: read in the archive's order" \
    0 "$(grep -c "from the archive's start" small.err)"
check "a hit names the log inside the archive" grep -qF \
    " deflated.zip > evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx record 9" \
    deflated.zip.out
check "nested: the path goes through both archives" grep -qF \
    "nested.zip > inner/collection.zip > evidence/SRV02/Security.evtx" \
    nested.zip.out

# 7-Zip, written by libarchive (Python has no writer).
aw=$(dirname "$EVTXGEN")/archive-write
if [ -x "$aw" ] && "$aw" 7zip c.7z \
    evidence/SRV02/Security.evtx \
    evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx \
    evidence/WS03/Microsoft-Windows-Sysmon%4Operational.evtx; then
	"$EVTRIAGE" scan -n -q -d 7z.db c.7z > /dev/null 2>&1
	check_eq "c.7z: exit 3" 3 $?
	check_eq "c.7z: the folder's rows" "$(rows folder.db)" "$(rows 7z.db)"
	check_eq "c.7z: the folder's hits" "$(hits folder.db)" "$(hits 7z.db)"
else
	skip "c.7z: no archive-write"
fi

"$EVTRIAGE" scan -n -d gz.db Security.evtx.gz > gz.out 2> gz.err
check_eq "a .gz of a log: exit 3" 3 $?
check_eq "a .gz of a log: its rows" \
    "$(sqlite3 folder.db "SELECT count(*) FROM process p JOIN evidence e ON e.id = p.evidence_id WHERE e.path LIKE '%SRV02%'")" \
    "$(sqlite3 gz.db "SELECT count(*) FROM process")"
check "a .gz of a log: named without .gz" grep -qF \
    "Security.evtx.gz > Security.evtx record" gz.out
# A .gz of a log inside a tar: named by its own name, not the tar's.
mkdir gzin
tar cf gzin/t.tar Security.evtx.gz
"$EVTRIAGE" scan -n -d gzin.db gzin > gzin.out 2> /dev/null
check "a .gz in a tar: named by its name in the tar" grep -qF \
    "gzin/t.tar > Security.evtx.gz > Security.evtx record" gzin.out

# A tar whose first header says its entry is 100,000 bytes longer than
# it is: the tar's end comes early, in the next entry's data, and that
# entry vanished with "0 failed".  Named now, the run partial, as a tar
# and as a tar.gz.
mkdir -p over/t over/g
"$EVTXGEN" -n 300 -k security -s 9 -o over/b.evtx || notok "evtxgen"
/usr/bin/python3 - <<'EOF' || notok "making over.tar"
import gzip, io, tarfile
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
    t.add("evidence/SRV02/Security.evtx", arcname="a.evtx")
    t.add("over/b.evtx", arcname="b.evtx")
b = bytearray(buf.getvalue())
size = int(b[124:136].rstrip(b"\0 ").decode(), 8) + 100000
b[124:136] = ("%011o" % size).encode() + b"\0"
b[148:156] = b" " * 8
b[148:156] = ("%06o" % sum(b[0:512])).encode() + b"\0 "
open("over/t/c.tar", "wb").write(b)
open("over/g/c.tar.gz", "wb").write(gzip.compress(bytes(b)))
EOF
for x in t/c.tar g/c.tar.gz; do
	"$EVTRIAGE" load -d over.db "over/$x" > /dev/null 2> over.err
	check_eq "a header that overstates its size, ${x#*/}: exit 1" 1 $?
	check "a header that overstates its size, ${x#*/}: named" grep -qF \
	    "cannot read 'over/$x': the archive ends after" over.err
	check "a header that overstates its size, ${x#*/}: counted" grep -q \
	    " 1 unreadable\$" over.err
	rm -f over.db*
done

# The other compressions a tar comes in, and a lone log in each, known
# by their content: they were "skipped" as no EVTX signature, and a run
# of such collections said nothing of their logs.
mkdir comp
for z in bzip2:bz2 xz:xz zstd:zst; do
	p=${z%:*}
	x=${z#*:}
	command -v "$p" > /dev/null || { skip "$x: no $p"; continue; }
	tar cf - evidence | "$p" -c > comp/c.tar.$x
	"$p" -c evidence/SRV02/Security.evtx > comp/Security.evtx.$x
	"$EVTRIAGE" scan -n -q -d "c-$x.db" comp/c.tar.$x > /dev/null 2>&1
	check_eq "c.tar.$x: exit 3 (hits, all read)" 3 $?
	check_eq "c.tar.$x: the folder's rows" "$(rows folder.db)" \
	    "$(rows "c-$x.db")"
	check_eq "c.tar.$x: the chain names the compression" 3 \
	    "$(sqlite3 "c-$x.db" "SELECT count(*) FROM evidence_path
	    WHERE provenance LIKE '%\"format\":\"$p\"%'")"
	"$EVTRIAGE" scan -n -d "one-$x.db" comp/Security.evtx.$x \
	    > "one-$x.out" 2> /dev/null
	check_eq "Security.evtx.$x: exit 3" 3 $?
	check "Security.evtx.$x: named without .$x" grep -qF \
	    "Security.evtx.$x > Security.evtx record" "one-$x.out"
done
printf 'BZh9 is how this note begins, and it is not bzip2\n' > comp/note.txt
"$EVTRIAGE" scan -n -q -d note.db comp/note.txt evidence > /dev/null 2>&1
check_eq "a text that begins as bzip2 does: not an archive, exit 3" 3 $?

"$EVTRIAGE" scan -n -q -d clean.db clean.zip > /dev/null 2>&1
check_eq "an archive of clean logs: exit 0" 0 $?

# The provenance chain, in the case and every output.
chain=$(sqlite3 deflated.zip.db "SELECT provenance FROM evidence_path
    WHERE path LIKE '%SRV02%'")
check_eq "the case keeps the chain" \
    '[{"container":"file","path":"deflated.zip"},{"container":"archive","format":"zip"},{"container":"entry","path":"evidence/SRV02/Security.evtx","size":69632,' \
    "$(echo "$chain" | sed 's/"mtime".*//')"
"$EVTRIAGE" evidence -d deflated.zip.db > ev.txt
check "evidence names the entry" grep -qxF \
    "deflated.zip > evidence/SRV02/Security.evtx" ev.txt
"$EVTRIAGE" evidence -d deflated.zip.db -f csv > ev.csv
check "evidence -f csv has the chain" grep -qF \
    '{""container"":""entry"",""path"":""evidence/SRV02/Security.evtx""' ev.csv
"$EVTRIAGE" evidence -d deflated.zip.db -f json > ev.json
check "evidence -f json: one valid object a file, with the chain" \
    /usr/bin/python3 -c '
import json, sys
rows = [json.loads(l) for l in open("ev.json")]
assert len(rows) == 3, rows
for r in rows:
    chain = json.loads(r["provenance"])
    assert chain[0] == {"container": "file", "path": "deflated.zip"}, chain
    assert chain[2]["container"] == "entry", chain
    assert r["path"] == "deflated.zip > " + chain[2]["path"], r
'
"$EVTRIAGE" evidence -d nested.zip.db > nev.txt
check "evidence: a nested entry" grep -qxF \
    "nested.zip > inner/collection.zip > evidence/SRV02/Security.evtx" nev.txt
"$EVTRIAGE" scan -n -q -d rep.db -o rep deflated.zip > /dev/null 2>&1
check "hits.csv: the path inside the archive" grep -qF \
    '"deflated.zip > evidence/SRV02/Security.evtx"' rep/hits.csv
check "hits.csv: the chain" grep -qF \
    '{""container"":""archive"",""format"":""zip""}' rep/hits.csv
check "hits.jsonl: the chain" grep -qF \
    '\"container\":\"entry\",\"path\":\"evidence/SRV02/Security.evtx\"' \
    rep/hits.jsonl
check "report.html: the entry" grep -qF \
    "deflated.zip &gt; evidence/SRV02/Security.evtx" rep/report.html
check "report.html: the chain, escaped" grep -qF \
    "{&quot;container&quot;:&quot;archive&quot;" rep/report.html

"$EVTRIAGE" scan -n -d hostile.db -o hrep hostile.zip > hostile.out 2>&1
check_eq "a hostile entry name: read (exit 3)" 3 $?
check "a hostile entry name: no raw escape on the terminal" \
    sh -c "! grep -q \"$(printf '\033')\" hostile.out"
"$EVTRIAGE" evidence -d hostile.db > hostile.ev
check "a hostile entry name: evidence escapes it" \
    sh -c "! grep -q \"$(printf '\033')\" hostile.ev && grep -q 'pwned' hostile.ev"
check "a hostile entry name: html escapes it" \
    grep -q 'x/.*&lt;b&gt;bold&lt;/b&gt;.evtx' hrep/report.html
check "a hostile entry name: no raw tag in the html" \
    sh -c "! grep -q '<b>bold' hrep/report.html"

# The browser's evidence view (5) shows the chain, in a tmux pane.
if browse_evidence deflated.zip.db 100 browse.txt; then
	check "browser: the evidence view names the entry" \
	    grep -qF "deflated.zip > evidence/SRV02/Security.evtx" browse.txt
	check "browser: the evidence view shows the chain" \
	    grep -qF '{"container":"archive","format":"zip"}' browse.txt
else
	skip "browser: no tmux"
fi

"$EVTRIAGE" scan -n -d deep.db deep.zip > deep.out 2> deep.err
check_eq "a zip in a zip in a zip: exit 1 (partial)" 1 $?
check "the third level is named, not read" grep -qF \
    "cannot read 'deep.zip > nested.zip > inner/collection.zip': a ZIP archive inside an archive inside an archive, not read (nesting limit 1)" \
    deep.err
check "the third level is counted" grep -q " skipped, 1 unreadable$" deep.err
"$EVTRIAGE" evidence -d deep.db > deep.ev
check "evidence lists the third level as not read" grep -qF \
    "deep.zip > nested.zip > inner/collection.zip" deep.ev

"$EVTRIAGE" scan -n -d cut.db cut.zip > cut.out 2> cut.err
r=$?
check "a damaged zip: exit 1 or 4 (partial)" test $r = 1 -o $r = 4
check "a damaged zip: named" grep -q "cannot .*read 'cut.zip" cut.err
check "a damaged zip: counted" grep -qE "[1-9][0-9]* failed" cut.err
check "a damaged zip: what is whole is read" \
    test "$(sqlite3 cut.db "SELECT count(*) FROM process")" -gt 0
# The zip sent again, whole, under the same name.
judged_again zip cut.zip deflated.zip c.zip

"$EVTRIAGE" scan -n -d fake.db fake.zip > fake.out 2> fake.err
check_eq "an entry named .evtx that is not: exit 1" 1 $?
check "the entry is named" grep -qF \
    "cannot read 'fake.zip > bad/Security.evtx': named as a log, but no EVTX signature" \
    fake.err
check "the entry is counted as not EVTX" grep -q "1 not EVTX" fake.err
check "the good entry is read" grep -q "1 EVTX file (1 read" fake.err

"$EVTRIAGE" scan -n -d entries.db entries.zip > entries.out 2> entries.err
check_eq "too many entries: exit 1" 1 $?
check "too many entries: named as a zip bomb" grep -qF \
    "cannot read 'entries.zip': zip bomb limit: more than 100000 entries, the rest not read" \
    entries.err
"$EVTRIAGE" scan -n -d ratio.db ratio.tar > ratio.out 2> ratio.err
check_eq "an entry expanding past the ratio: exit 1" 1 $?
check "the ratio: named as a zip bomb" grep -qF \
    "cannot read 'ratio.tar > huge/Security.evtx': zip bomb limit" ratio.err

# A case made before the chain was kept: its evidence_path has no
# provenance.  Reading it works, writing adds the column, merging from
# it carries what there is.
cp folder.db old.db
sqlite3 old.db "CREATE TABLE ep (evidence_id INTEGER NOT NULL REFERENCES
    evidence(id), path TEXT NOT NULL, UNIQUE (evidence_id, path));
    INSERT INTO ep SELECT evidence_id, path FROM evidence_path;
    DROP TABLE evidence_path; ALTER TABLE ep RENAME TO evidence_path"
cp old.db old2.db
check_status "an old case: evidence reads it" 0 "$EVTRIAGE" evidence -d old.db
check_eq "an old case: reading leaves it as it was" 0 \
    "$(sqlite3 old.db "SELECT count(*) FROM pragma_table_info('evidence_path') WHERE name = 'provenance'")"
"$EVTRIAGE" merge -q -d merged.db old2.db deflated.zip.db > /dev/null 2>&1
check "an old case merges" test $? -le 4
check_eq "merge carries the chains there are" 3 \
    "$(sqlite3 merged.db "SELECT count(*) FROM evidence_path WHERE provenance LIKE '%\"entry\"%'")"
"$EVTRIAGE" scan -n -q -d old.db deflated.zip > /dev/null 2>&1
check_eq "an old case: a scan into it exits 3" 3 $?
check_eq "an old case: the column is added" 1 \
    "$(sqlite3 old.db "SELECT count(*) FROM pragma_table_info('evidence_path') WHERE name = 'provenance'")"
check_eq "an old case: the new paths have their chain" 3 \
    "$(sqlite3 old.db "SELECT count(*) FROM evidence_path WHERE provenance IS NOT NULL")"

after=$(sha256sum *.zip *.tar *.tar.gz *.gz)
check_eq "the archives are unchanged" "$before" "$after"
finish
