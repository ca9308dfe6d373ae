#!/bin/sh
# The verdict: evidence that was not read is never "clean".  Missing
# operands, folders without logs, evidence evtriage recognises but cannot
# read yet, slack space counted apart from the log's own records,
# warnings summarised, Ctrl-C, workers that die with the loader, files
# that change while they are read, two writers of one case, and access
# times left alone.
. "${srcdir:-.}/tests/lib.sh" || exit 1

SYSMON="$srcdir/samples/evidence/WS01/Microsoft-Windows-Sysmon%4Operational.evtx"
SECURITY="$srcdir/samples/evidence/SRV02/Security.evtx"
cd "$T" || exit 1

# --- Nothing read is never clean. -------------------------------------
check_status "a missing evidence path is a usage error" 2 \
    "$EVTRIAGE" scan -n -d missing.db no/such/folder
check "a missing evidence path names it" \
    grep -q "cannot read evidence 'no/such/folder'" "$T/status.out"
check "a missing evidence path makes no case" test ! -e missing.db
check_status "load: a missing path among good ones is a usage error" 2 \
    "$EVTRIAGE" load -d missing.db "$SYSMON" no/such.evtx
check "load: no case made either" test ! -e missing.db

mkdir empty
check_status "an empty folder exits 1" 1 "$EVTRIAGE" load -d empty.db empty
check "an empty folder: a warning says nothing was read" \
    grep -q "no EVTX log found in the evidence: nothing was read" \
    "$T/status.out"
mkdir others
echo "collected by hand" > others/notes.txt
printf 'a,b\n1,2\n' > others/list.csv
check_status "a folder of other files exits 1" 1 \
    "$EVTRIAGE" scan -n -d others.db others
check "a folder of other files: the warning" \
    grep -q "no EVTX log found" "$T/status.out"

# Evidence evtriage recognises but cannot read yet, by content: each is
# named with what it is, even without -v, counted, and the run partial.
mkdir kinds
cp "$SYSMON" kinds/good.evtx
/usr/bin/python3 - <<'EOF' || notok "making the unsupported files"
import gzip, io, os, struct, tarfile, zipfile
d = "kinds"
with zipfile.ZipFile(os.path.join(d, "logs.zip"), "w") as z:
    z.writestr("Security.evtx", b"ElfFile\0")
with tarfile.open(os.path.join(d, "collection.tar"), "w") as t:
    data = b"ElfFile\0"
    ti = tarfile.TarInfo("Security.evtx"); ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
with open(os.path.join(d, "logs.bin"), "wb") as f:
    f.write(gzip.compress(b"ElfFile\0"))
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
w("a.7z", b"7z\xbc\xaf\x27\x1c" + b"\0" * 64)
w("disk.E01", b"EVF\x09\x0d\x0a\xff\x00" + b"\0" * 64)
w("fixed.vhd", b"\0" * 4096 + b"conectix" + b"\0" * 504)
w("disk.vhdx", b"vhdxfile" + b"\0" * 64)
w("disk.vmdk", b"KDMV" + b"\0" * 64)
w("disk-desc.vmdk", b"# Disk DescriptorFile\nversion=1\n")
mbr = bytearray(512)
mbr[446 + 4] = 0x07
mbr[510:512] = b"\x55\xaa"
w("mbr.dd", bytes(mbr) + b"\0" * 512)
gpt = bytearray(mbr); gpt[446 + 4] = 0xee
w("gpt.img", bytes(gpt) + b"EFI PART" + b"\0" * 504)
ntfs = bytearray(512); ntfs[3:11] = b"NTFS    "; ntfs[510:512] = b"\x55\xaa"
w("c.ntfs", bytes(ntfs))
w("export.xml", b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    b"<Events><Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"></Event></Events>")
w("one.xml", "<Event xmlns='x'><System/></Event>".encode("utf-16"))
w("notes.xml", b"<?xml version=\"1.0\"?><notes/>")
EOF
"$EVTRIAGE" load -d kinds.db kinds > kinds.out 2> kinds.err
check_eq "unsupported evidence: exit 1 (not read in full)" 1 $?
# Archives are read now (tests/archive.sh): their logs, cut short here
# (the same 8 bytes in each: whichever worker reads them first names
# them, the others are copies of it), are named inside them, and are not
# "not read yet"; the 7z holds no entries.
check "archive read: the log inside is named with its archive" grep -qE \
    "/(collection\.tar|logs\.zip|logs\.bin) > [^']*'" kinds.err
check "archives are not counted as not read yet" \
    sh -c "! grep -q 'ZIP archive, which' kinds.err"
# Disk images are read now (tests/image.sh): these, which are not
# images at all, are each a file that cannot be read.
for x in disk.E01 fixed.vhd disk.vhdx disk.vmdk disk-desc.vmdk mbr.dd \
    gpt.img c.ntfs; do
	check "not an image: '$x' cannot be read" grep -qF \
	    "cannot read 'kinds/$x" kinds.err
done
check "unsupported: other XML is only skipped" \
    sh -c "! grep -q \"notes.xml' is\" kinds.err"
check "unsupported: counted in the summary" \
    grep -q "other files: 0 not read yet, 0 not EVTX, 1 skipped" kinds.err
check_eq "unsupported: each is in the case" 0 \
    "$(sqlite3 kinds.db "SELECT count(*) FROM problem WHERE kind = 'unsupported'")"
"$EVTRIAGE" evidence -d kinds.db > kinds.ev
check_eq "unsupported: evidence exits 1 too" 1 $?
check "a file that is not an image: evidence lists it as not read" \
    grep -q "not read: a VHD disk image: Error opening image file" kinds.ev
"$EVTRIAGE" load -q -d kinds-q.db kinds > /dev/null 2> kinds-q.err
check_eq "unsupported with -q: exit 1 still" 1 $?
check_eq "-q: only the summary line" 1 "$(wc -l < kinds-q.err)"
check "-q: the summary counts them" grep -q "0 not read yet" kinds-q.err
# XML exports are read (tests/xml.sh): these two events lack an EventID.
check_eq "XML exports are read, their empty events unreadable" \
    "kinds/export.xml|0|1 kinds/one.xml|0|1" \
    "$(sqlite3 kinds.db "SELECT path, records, unreadable FROM evidence
    WHERE path LIKE '%.xml' ORDER BY path" | tr '\n' ' ' | sed 's/ $//')"

# detect judges the case as scan does: hits over evidence not read in
# full are 4, no hits 1, and a case that holds no evidence is not clean.
"$EVTRIAGE" detect -q -d kinds.db > /dev/null 2> kinds-d.err
check_eq "detect on a case not read in full, hits: exit 4" 4 $?
check "detect says the case was not read in full" grep -q \
    "evidence files\? of the case not read in full: see evtriage evidence" \
    kinds-d.err
"$EVTRIAGE" detect -q -d kinds.db windows_msiexec_unregister_dll > /dev/null \
    2> /dev/null
check_eq "detect on a case not read in full, no hits: exit 1" 1 $?
check_status "detect on a case of an empty folder: exit 1" 1 \
    "$EVTRIAGE" detect -d empty.db
check "detect on a case without evidence says nothing was read" grep -q \
    "the case holds no evidence: nothing was read" "$T/status.out"
check_status "evidence on a case without evidence: exit 1" 1 \
    "$EVTRIAGE" evidence -d empty.db

# What evtriage still recognises but does not read: a disk image inside
# an archive (images are read from a file system, not from a stream).
# Each is named with what it is, without -v, counted as not read yet,
# in the case, and the run is partial, with -q too.
mkdir inarc
cp "$SYSMON" inarc/good.evtx
/usr/bin/python3 - <<'EOF' || notok "making the archive of images"
import zipfile
mbr = bytearray(512); mbr[446 + 4] = 0x07; mbr[510:512] = b"\x55\xaa"
gpt = bytearray(mbr); gpt[446 + 4] = 0xee
ntfs = bytearray(512); ntfs[3:11] = b"NTFS    "; ntfs[510:512] = b"\x55\xaa"
with zipfile.ZipFile("inarc/images.zip", "w") as z:
    z.writestr("disk.E01", b"EVF\x09\x0d\x0a\xff\x00" + b"\0" * 64)
    z.writestr("dynamic.vhd", b"conectix" + b"\0" * 504)
    z.writestr("disk.vhdx", b"vhdxfile" + b"\0" * 64)
    z.writestr("disk.vmdk", b"KDMV" + b"\0" * 64)
    z.writestr("mbr.dd", bytes(mbr) + b"\0" * 512)
    z.writestr("gpt.img", bytes(gpt) + b"EFI PART" + b"\0" * 504)
    z.writestr("c.ntfs", bytes(ntfs))
EOF
"$EVTRIAGE" load -d inarc.db inarc > /dev/null 2> inarc.err
check_eq "an image in an archive: exit 1 (not read in full)" 1 $?
for x in "disk.E01' is an EnCase (E01) image" \
    "dynamic.vhd' is a VHD disk image" "disk.vhdx' is a VHDX disk image" \
    "disk.vmdk' is a VMDK disk image" \
    "mbr.dd' is a raw disk image (MBR partition table)" \
    "gpt.img' is a raw disk image (GPT partition table)" \
    "c.ntfs' is an NTFS partition image"; do
	check "not read yet, named without -v: '${x%%\'*}'" grep -qF \
	    "'inarc/images.zip > $x, which evtriage cannot read yet" inarc.err
done
check "images in an archive: counted as not read yet" \
    grep -q "other files: 7 not read yet, 0 not EVTX, 0 skipped, 0 unreadable$" inarc.err
check_eq "images in an archive: each in the case as unsupported" 7 \
    "$(sqlite3 inarc.db "SELECT count(*) FROM problem WHERE kind = 'unsupported'")"
"$EVTRIAGE" evidence -d inarc.db > inarc.ev
check_eq "images in an archive: evidence exits 1" 1 $?
check "images in an archive: evidence says why" grep -qF \
    "not read: an EnCase (E01) image, which evtriage cannot read yet" inarc.ev
"$EVTRIAGE" load -q -d inarc-q.db inarc > /dev/null 2> inarc-q.err
check_eq "images in an archive, -q: exit 1" 1 $?
check_eq "images in an archive, -q: the summary line alone counts them" \
    "1 1" "$(wc -l < inarc-q.err) $(grep -c ' 7 not read yet' inarc-q.err)"
# A fixed VHD is known by its footer, 512 bytes before its end, which an
# archive's stream reaches only by reading the entry to its end: the
# walk does for an entry whose head names no kind, of a size a multiple
# of 512, named .vhd or of 1 MiB or more from a sector of zeros.  It is
# named without -v, counted as not read yet, and the run is partial.
/usr/bin/python3 -c '
import zipfile
foot = b"conectix" + b"\0" * 504
with zipfile.ZipFile("fixed.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("fixed.vhd", b"\0" * 4096 + foot)
    z.writestr("disk.bin", b"\0" * (1 << 20) + foot)
    z.writestr("hive.dat", b"regf" + b"\0" * ((1 << 20) - 4) + foot)
'
"$EVTRIAGE" load -d inarc2.db fixed.zip > /dev/null 2> inarc2.err
check_eq "a fixed VHD in an archive: exit 1 (not read in full)" 1 $?
for x in fixed.vhd disk.bin; do
	check "a fixed VHD in an archive is named without -v: '$x'" grep -qF \
	    "'fixed.zip > $x' is a VHD disk image, which evtriage cannot read yet" \
	    inarc2.err
done
check "fixed VHDs in an archive: counted as not read yet" \
    grep -q "other files: 2 not read yet, 0 not EVTX, 1 skipped, 0 unreadable$" inarc2.err
check "an entry of another kind is not read for a footer" \
    sh -c "! grep -q 'hive.dat' inarc2.err"

# A file named as a log that is not one is not "damaged" EVTX.
mkdir named
cp "$SYSMON" named/good.evtx
echo "not a log" > named/System.evtx
"$EVTRIAGE" load -d named.db named > /dev/null 2> named.err
check_eq "named .evtx but not EVTX: exit 1" 1 $?
check "named .evtx but not EVTX: counted apart from damaged" \
    grep -q "1 EVTX file (1 read, 0 already in the case (0 not in full), 0 failed, 0 damaged);.* 1 not EVTX, 0 skipped" \
    named.err

# --- Coverage that means what it says. --------------------------------
# A dirty flag alone (a live copy) is no warning and reads in full.
/usr/bin/python3 - "$SYSMON" live.evtx <<'EOF'
import struct, sys, zlib
h = bytearray(open(sys.argv[1], "rb").read())
flags = struct.unpack_from("<I", h, 120)[0] | 1
struct.pack_into("<I", h, 120, flags)
struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])) & 0xffffffff)
open(sys.argv[2], "wb").write(h)
EOF
"$EVTRIAGE" load -d live.db live.evtx > /dev/null 2> live.err
check_eq "a dirty live copy reads in full: exit 0" 0 $?
check_eq "a dirty live copy: no warning, only the summary" 1 \
    "$(wc -l < live.err)"
check_eq "a dirty live copy: the flag is in the case" 1 \
    "$(sqlite3 live.db 'SELECT dirty FROM evidence')"

if [ -d "$EVTRIAGE_REAL" ]; then
	# Slack space a real log holds: candidates libevtx cannot parse
	# are not records of the log, and the log was read in full.
	f=$(find "$EVTRIAGE_REAL" -name 'DE_timestomp_and_dll_sideloading_and_RunPersist.evtx' | head -1)
	"$EVTRIAGE" load -d slack.db "$f" > /dev/null 2> slack.err
	check_eq "real log with unparsable slack: exit 0" 0 $?
	check "real log: slack reported as candidates" \
	    grep -q "23 records, 0 unreadable; 7 candidates in slack space, 0 recovered" \
	    slack.err
	"$EVTRIAGE" evidence -d slack.db > slack.ev
	check_eq "real log: evidence exits 0 too" 0 $?
	check "real log: evidence says the same" \
	    grep -q "slack space: 7 candidates, 0 recovered" slack.ev
	check "real log: evidence, no unreadable records" \
	    grep -q "records 23, recovered 0, unreadable 0" slack.ev

	# A whole collection: warnings summarised, the summary and the case
	# agree, nothing said twice of the same records.
	"$EVTRIAGE" load -d real.db "$EVTRIAGE_REAL" > /dev/null 2> real.err
	check_eq "real collection: exit 1 (some own records unreadable)" 1 $?
	s=$(tail -1 real.err)
	case=$(sqlite3 real.db "SELECT sum(records) || ' records, ' || sum(unreadable) || ' unreadable; ' || (sum(recovered) + (SELECT count(*) FROM problem WHERE kind = 'record' AND recovered = 1)) || ' candidates in slack space, ' || sum(recovered) || ' recovered' FROM evidence")
	check "real collection: the summary's counts are the case's ($case)" \
	    sh -c "echo '$s' | grep -qF '$case'"
	dmg=$(sqlite3 real.db "SELECT sum(corrupted OR records + recovered = 0) || ' files damaged, ' || sum(unreadable > 0) || ' with unreadable records: see evtriage evidence' FROM evidence")
	check "real collection: one line sums the damage ($dmg)" \
	    grep -qF "$dmg" real.err
	check_eq "real collection: two lines by default" 2 "$(wc -l < real.err)"
	check "real collection: no dirty warning per file" \
	    sh -c "! grep -q 'dirty' real.err"
	check "real collection: no 'recovered' then 'could not be read'" \
	    sh -c "! grep -q 'records were recovered\|could not be read' real.err"
	"$EVTRIAGE" load -v -d real-v.db "$EVTRIAGE_REAL" > /dev/null \
	    2> real-v.err
	check "-v lists the damaged files one by one" \
	    test "$(grep -c "is damaged" real-v.err)" = \
	    "$(sqlite3 real.db 'SELECT sum(corrupted) FROM evidence')"
	# Each file's -v lines say what the case says of it: unreadable
	# records of the log, and slack candidates with those recovered,
	# never the same records twice.
	"$EVTRIAGE" evidence -d real-v.db -f csv > real-v.csv
	check "-v: each file's counts are the case's" /usr/bin/python3 -c '
import csv, re, sys
rows = {r["path"]: r for r in csv.DictReader(open("real-v.csv"))}
n = bad = 0
for l in open("real-v.err"):
    m = re.match(r"evtriage: .(.*).: (\d+) of its records could not be read$", l)
    if m:
        n += 1
        bad += rows[m[1]]["unreadable"] != m[2]
    m = re.match(r"evtriage: .(.*).: (\d+) candidates in slack space, (\d+) recovered$", l)
    if m:
        n += 1
        r = rows[m[1]]
        bad += (r["slack_candidates"], r["recovered"]) != (m[2], m[3])
print("# %d -v count lines, %d disagree" % (n, bad))
sys.exit(n == 0 or bad > 0)
'
	"$EVTRIAGE" load -q -d real.db "$EVTRIAGE_REAL" > /dev/null \
	    2> real-q.err
	check_eq "a rescan of the case: exit 1 still" 1 $?
	check_eq "-q: the summary line alone" 1 "$(wc -l < real-q.err)"
	check "a rescan: the summary says what the case lacks" \
	    grep -q "(0 read, [0-9]* already in the case ($(sqlite3 real.db "SELECT count(*) FROM evidence_path p JOIN evidence e ON e.id = p.evidence_id WHERE corrupted OR unreadable > 0 OR records + recovered = 0 OR status != 'done'") not in full)" \
	    real-q.err
else
	echo "# no real logs at $EVTRIAGE_REAL: their coverage not checked"
fi

# --- Signals. ---------------------------------------------------------
# worker_of PID: the first worker of a loader, once it is there.
worker_of() {
	_n=0
	while [ $_n -lt 100 ]; do
		_w=$(pgrep -P "$1" | head -1)
		[ -n "$_w" ] && { echo "$_w"; return 0; }
		sleep 0.1
		_n=$((_n + 1))
	done
	return 1
}
cp "$SYSMON" stuck.evtx
EVTRIAGE_TEST_HANG=stuck.evtx "$EVTRIAGE" load -q -d int.db stuck.evtx \
    2> int.err &
pid=$!
w=$(worker_of $pid)
kill -INT $pid
wait $pid
check_eq "SIGINT: exit 130" 130 $?
check "SIGINT: says how to complete" grep -q "run the same command again" int.err
EVTRIAGE_TEST_HANG=stuck.evtx "$EVTRIAGE" load -q -d int.db stuck.evtx \
    2> /dev/null &
pid=$!
w=$(worker_of $pid)
kill -TERM $pid
wait $pid
check_eq "SIGTERM: exit 130" 130 $?

EVTRIAGE_TEST_HANG=stuck.evtx "$EVTRIAGE" load -q -d kill.db stuck.evtx \
    2> /dev/null &
pid=$!
w=$(worker_of $pid)
check "SIGKILL: the worker is there first" kill -0 "$w"
kill -KILL $pid
wait $pid 2> /dev/null
n=0
while kill -0 "$w" 2> /dev/null && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
if kill -0 "$w" 2> /dev/null; then
	notok "SIGKILL: the worker dies with the loader"
	kill -KILL "$w"
else
	ok "SIGKILL: the worker dies with the loader"
fi

# --- A file that changes while it is read. ----------------------------
# The worker stops once it has hashed the file; the file is cut; the
# worker goes on.  Then the intact file read again completes the case.
cp "$SYSMON" cut.evtx
full=$(stat -c %s cut.evtx)
EVTRIAGE_TEST_STOP=cut.evtx "$EVTRIAGE" load -d cut.db cut.evtx \
    > /dev/null 2> cut.err &
pid=$!
w=$(worker_of $pid)
n=0
while [ "$(ps -o stat= -p "$w" | cut -c1)" != T ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
truncate -s 8192 cut.evtx
kill -CONT "$w"
wait $pid
check_eq "changed while read: exit 1" 1 $?
check "changed while read: said so" \
    grep -q "cannot fully read 'cut.evtx': the file changed while it was read" \
    cut.err
check_eq "changed while read: not done in the case" "changed" \
    "$(sqlite3 cut.db 'SELECT status FROM evidence')"
cp "$SYSMON" cut.evtx
"$EVTRIAGE" load -d cut.db cut.evtx > /dev/null 2> cut2.err
check_eq "changed, then intact: the rerun exits 0" 0 $?
check_eq "changed, then intact: read in full under the same hash" \
    "1|done|14|8" \
    "$(sqlite3 cut.db 'SELECT count(*), status, records, process_events FROM evidence')"

# --- Two writers of one case. -----------------------------------------
cp "$SYSMON" first.evtx
EVTRIAGE_TEST_STOP=first.evtx "$EVTRIAGE" load -d two.db first.evtx \
    > /dev/null 2> two-a.err &
a=$!
w=$(worker_of $a)
n=0
while [ "$(ps -o stat= -p "$w" | cut -c1)" != T ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
"$EVTRIAGE" load -d two.db first.evtx > /dev/null 2> two-b.err &
b=$!
n=0
while ! grep -q waiting two-b.err && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
check "a second writer waits, and says so" \
    grep -q "waiting for another evtriage writing 'two.db'" two-b.err
kill -CONT "$w"
wait $a
check_eq "the first writer: exit 0" 0 $?
wait $b
check_eq "the second writer: exit 0" 0 $?
check "the second writer: the file is in the case, read in full" \
    grep -q "(0 read, 1 already in the case (0 not in full), 0 failed" two-b.err
check "the second writer: never 'not read in full'" \
    sh -c "! grep -q 'not read in full' two-b.err"

# --- Access times. ----------------------------------------------------
# A disk image (no log in it), raw and as E01 where ewfacquire is there
# and libewf opens (not in sanitizer builds).
/usr/bin/python3 -c '
b = bytearray(4096); b[3:11] = b"NTFS    "; b[510:512] = b"\x55\xaa"
open("at.ntfs", "wb").write(b)'
touch -m -d 2024-03-06T12:00:00Z at.ntfs
if command -v ewfacquire > /dev/null 2>&1 &&
    ! grep -aq __asan_init "$EVTRIAGE" 2> /dev/null; then
	mkdir at-e01
	ewfacquire -u -q -t at-e01/at -f encase6 -c none -C case \
	    -D disk -e tester -E 1 -N none at.ntfs > /dev/null 2>&1
fi
cp "$SYSMON" at.evtx
cp "$SYSMON" control.evtx
echo "text" > at.txt
touch -m -d 2024-03-06T12:00:00Z at.evtx control.evtx at.txt
touch -a -d 2020-01-01T00:00:00Z at.evtx control.evtx at.txt
cat control.evtx > /dev/null
if [ "$(stat -c %X control.evtx)" = "$(stat -c %X at.evtx)" ]; then
	echo "# this file system keeps no access times: O_NOATIME not checked"
else
	before=$(stat -c %X at.evtx at.txt)
	"$EVTRIAGE" load -q -d at.db at.evtx at.txt 2> /dev/null
	check_eq "reading evidence leaves its access times" "$before" \
	    "$(stat -c %X at.evtx at.txt)"
	# An archive: libarchive reads the descriptor evtriage opened.
	/usr/bin/python3 -c '
import zipfile
zipfile.ZipFile("at.zip", "w").write("at.evtx", "Security.evtx")'
	touch -m -d 2024-03-06T12:00:00Z at.zip
	touch -a -d 2020-01-01T00:00:00Z at.zip
	before=$(stat -c %X at.zip)
	"$EVTRIAGE" load -q -d at-zip.db at.zip 2> /dev/null
	check_eq "reading an archive leaves its access time" "$before" \
	    "$(stat -c %X at.zip)"
	# A disk image: evtriage opens raw and E01 images itself and
	# libtsk reads its descriptors (parsers/container-image.c).
	touch -a -d 2020-01-01T00:00:00Z at.ntfs
	before=$(stat -c %X at.ntfs)
	"$EVTRIAGE" load -q -d at-img.db at.ntfs 2> /dev/null
	check_eq "reading a disk image leaves its access time" "$before" \
	    "$(stat -c %X at.ntfs)"
	if [ -f at-e01/at.E01 ]; then
		touch -a -d 2020-01-01T00:00:00Z at-e01/at.E01
		before=$(stat -c %X at-e01/at.E01)
		"$EVTRIAGE" load -q -d at-e01.db at-e01 2> /dev/null
		check_eq "reading an E01 image leaves its access time" \
		    "$before" "$(stat -c %X at-e01/at.E01)"
	else
		skip "reading an E01 image: no ewfacquire, or a sanitizer build"
	fi
	# VHD and VMDK too (not in sanitizer builds, where libtsk opens them).
	if command -v qemu-img > /dev/null 2>&1 &&
	    ! grep -aq __asan_init "$EVTRIAGE" 2> /dev/null; then
		for f in vpc:vhd vmdk:vmdk; do
			qemu-img convert -q -f raw -O ${f%:*} at.ntfs at.${f#*:}
			touch -a -d 2020-01-01T00:00:00Z at.${f#*:}
			before=$(stat -c %X at.${f#*:})
			"$EVTRIAGE" load -q -d at-${f#*:}.db at.${f#*:} \
			    2> /dev/null
			check_eq "reading a ${f#*:} image leaves its access time" \
			    "$before" "$(stat -c %X at.${f#*:})"
		done
	fi
fi
# Every open of the evidence, by the walk, the hash, and libevtx's
# handle in the workers, asks for O_NOATIME.
if command -v strace > /dev/null 2>&1 &&
    strace -f -qq -e trace=openat -o st.log true 2> /dev/null; then
	rm -f st.db*
	strace -f -qq -e trace=open,openat -o st.log \
	    "$EVTRIAGE" load -q -d st.db at.evtx at.txt 2> /dev/null
	n=$(grep -c '"at\.\(evtx\|txt\)"' st.log)
	check "strace: the evidence is opened ($n times)" test "$n" -ge 4
	check_eq "strace: every open of the evidence has O_NOATIME" "" \
	    "$(grep '"at\.\(evtx\|txt\)"' st.log | grep -v O_NOATIME)"
	# A disk image: the walk's opens, and each worker's.
	rm -f st.db*
	strace -f -qq -e trace=open,openat -o st.log \
	    "$EVTRIAGE" load -q -d st.db at.ntfs 2> /dev/null
	n=$(grep -Ec '"([^"]*/)?at\.ntfs"' st.log)
	check "strace: the raw image is opened ($n times)" test "$n" -ge 1
	check_eq "strace: every open of a raw image has O_NOATIME" "" \
	    "$(grep -E '"([^"]*/)?at\.ntfs"' st.log | grep -v O_NOATIME)"
	if [ -f at-e01/at.E01 ]; then
		rm -f st.db*
		strace -f -qq -e trace=open,openat -o st.log \
		    "$EVTRIAGE" load -q -d st.db at-e01 2> /dev/null
		n=$(grep -Ec '"([^"]*/)?at-e01/at\.E01"' st.log)
		check "strace: the E01 image is opened ($n times)" \
		    test "$n" -ge 1
		check_eq "strace: every open of an E01 image has O_NOATIME" "" \
		    "$(grep -E '"([^"]*/)?at-e01/at\.E01"' st.log |
		    grep -v O_NOATIME)"
	fi
else
	echo "# no strace here: the flags of each open not checked"
fi
finish
