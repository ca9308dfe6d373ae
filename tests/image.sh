#!/bin/sh
# Disk images read through libtsk, never mounted: an NTFS file system
# alone, on an MBR and on a GPT disk, as E01 (split), as split raw, as
# VHD and VMDK, with a deleted log, a damaged partition entry and files
# that are not images.  Each gives the rows and hits the plain files do.
# The fixtures are made here from samples/evidence with Debian tools
# (mkntfs, tests/ntfsput, sfdisk, sgdisk, ewfacquire, qemu-img, mkfs.fat
# and mtools, mkfs.exfat and tests/exfatput.py), as an
# ordinary user would: no mount, no FUSE, no root.
. "${srcdir:-.}/tests/lib.sh" || exit 1

: "${NTFSPUT:=./tests/ntfsput}"
EV=$srcdir/samples/evidence
SYSMON="$EV/WS01/Microsoft-Windows-Sysmon%4Operational.evtx"
SECURITY="$EV/SRV02/Security.evtx"
SYSMON3="$EV/WS03/Microsoft-Windows-Sysmon%4Operational.evtx"
LOGS=/Windows/System32/winevt/Logs
for t in mkntfs sfdisk sgdisk ewfacquire qemu-img sqlite3; do
	command -v $t > /dev/null 2>&1 ||
	    skip_all "$t not found (apt-get install ntfs-3g fdisk gdisk ewf-tools qemu-utils sqlite3)"
done
[ -x "$NTFSPUT" ] || skip_all "tests/ntfsput not built (apt-get install ntfs-3g-dev)"
# Sanitizer builds link libtsk beside libevtx's libbfio, and libewf's
# and libvhdi's own copies of libbfio give way: E01 and VHD do not open.
asan=no
grep -aq __asan_init "$EVTRIAGE" 2> /dev/null && asan=yes
cd "$T" || exit 1

# mkfs IMAGE SECTORS START: a 16 MiB NTFS file system holding the three
# sample logs (WS03's under a folder of its own, so that only -A finds it).
mkfs() {
	truncate -s 16M "$1" &&
	mkntfs -F -Q -q -p "$2" "$1" > /dev/null 2>&1 &&
	"$NTFSPUT" "$1" "$SYSMON" \
	    "$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx" > /dev/null &&
	"$NTFSPUT" "$1" "$SECURITY" "$LOGS/Security.evtx" > /dev/null &&
	"$NTFSPUT" "$1" "$SYSMON3" "/Users/bob/copy/WS03.evtx" > /dev/null
}

# rows CASE: the process rows, each with its log's SHA-256, paths apart.
rows() {
	sqlite3 "$1" "SELECT e.sha256, p.record_index, p._time, p.dest, p.user,
	    p.process, p.process_id, p.process_guid, p.parent_process,
	    p.parent_process_id FROM process p JOIN evidence e
	    ON e.id = p.evidence_id ORDER BY 1, 2"
}
# hits CASE: the hits as detect prints them, without the evidence paths.
hits() {
	"$EVTRIAGE" detect -q -f tsv -d "$1" | sed 's|[^	]*\.evtx||g'
}

# The reference: the two logs of the standard folder, from a folder.
mkdir plain
cp "$SYSMON" "$SECURITY" plain/
"$EVTRIAGE" scan -n -q -d plain.db plain > /dev/null 2>&1
rows plain.db > plain.rows
hits plain.db > plain.hits
check "reference: rows loaded" test -s plain.rows
check "reference: hits found" test -s plain.hits
mkdir plain3
cp "$SYSMON" "$SECURITY" plain3/
cp "$SYSMON3" plain3/WS03.evtx
"$EVTRIAGE" load -q -d plain3.db plain3 > /dev/null 2>&1
rows plain3.db > plain3.rows

# --- A file system alone (no partition table). ------------------------
check "fixture: NTFS file system" mkfs ntfs.img 0
before=$(sha256sum < ntfs.img)
check_status "NTFS image: hits, exit 3" 3 \
    "$EVTRIAGE" scan -n -v -d ntfs.db ntfs.img
cp "$T/status.out" ntfs.err
rows ntfs.db > ntfs.rows
check_file "NTFS image: the rows of the plain files" plain.rows ntfs.rows
hits ntfs.db > ntfs.hits
check_file "NTFS image: the hits of the plain files" plain.hits ntfs.hits
"$EVTRIAGE" evidence -d ntfs.db > ntfs.ev
check "NTFS image: display path" grep -qx \
    "ntfs.img:$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx" ntfs.ev
check "NTFS image: only the standard folder by default" \
    sh -c "! grep -q WS03 ntfs.ev"
check "NTFS image: -v names the file system" grep -q \
    "'ntfs.img:': ntfs file system at byte 0 (no partition table)" ntfs.err
check "NTFS image: -v names each log and its MFT entry" grep -q \
    "'ntfs.img:$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx': EVTX log in the image, entry [0-9]" \
    ntfs.err
check_status "NTFS image -A: every log in the file system" 0 \
    "$EVTRIAGE" load -A -d ntfs-all.db ntfs.img
rows ntfs-all.db > ntfs-all.rows
check_file "NTFS image -A: the rows of all three" plain3.rows ntfs-all.rows
check "NTFS image -A: the third log's path" sh -c \
    "'$EVTRIAGE' evidence -d ntfs-all.db | grep -qx 'ntfs.img:/Users/bob/copy/WS03.evtx'"
check_eq "NTFS image: the image is not changed" "$before" \
    "$(sha256sum < ntfs.img)"
# unalloc IMAGE OFFSET: delete the file whose MFT record is at OFFSET,
# as NTFS does: clear the in-use flag (0x0001 of the flags at 0x16).
unalloc() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import sys
f = open(sys.argv[1], "r+b")
off = int(sys.argv[2]) + 0x16
f.seek(off); b = bytearray(f.read(2)); b[0] &= 0xfe
f.seek(off); f.write(b); f.close()
EOF
}
# -A knows a log by its content, whatever its name, and reads a deleted
# one outside the standard folder.
truncate -s 16M any.img
mkntfs -F -Q -q any.img > /dev/null 2>&1
"$NTFSPUT" any.img "$SECURITY" /Users/bob/notes.dat > /dev/null
set -- $("$NTFSPUT" any.img "$SYSMON" /Temp/gone.evtx)
unalloc any.img "$2"
check_status "-A: logs outside the folder, exit 3" 3 \
    "$EVTRIAGE" scan -n -A -v -d any.db any.img
cp "$T/status.out" any.err
rows any.db > any.rows
check_file "-A: the rows of the plain files" plain.rows any.rows
check "-A: a log named notes.dat, known by its content" grep -q \
    "'any.img:/Users/bob/notes.dat': EVTX log in the image, entry" any.err
check "-A: a deleted log outside the folder" grep -q \
    "'any.img:/Temp/gone.evtx': EVTX log in the image, entry $1, deleted" \
    any.err
check_status "without -A: none of them, nothing read, exit 1" 1 \
    "$EVTRIAGE" load -d any0.db any.img
check "without -A: said" grep -q "nothing was read" "$T/status.out"

# --- MBR and GPT disks. -----------------------------------------------
mkfs part.ntfs 2048 || notok "fixture: partition file system"
truncate -s 18M mbr.img
printf 'label: dos\nstart=2048, size=32768, type=7\n' |
    sfdisk -q mbr.img > /dev/null 2>&1
dd if=part.ntfs of=mbr.img bs=512 seek=2048 conv=notrunc 2> /dev/null
check_status "MBR disk: exit 3" 3 "$EVTRIAGE" scan -n -v -d mbr.db mbr.img
cp "$T/status.out" mbr.err
rows mbr.db > mbr.rows
check_file "MBR disk: the rows of the plain files" plain.rows mbr.rows
hits mbr.db > mbr.hits
check_file "MBR disk: the hits of the plain files" plain.hits mbr.hits
check "MBR disk: display path names the partition" sh -c \
    "'$EVTRIAGE' evidence -d mbr.db | grep -qx 'mbr.img:p1:$LOGS/Security.evtx'"
check "MBR disk: -v names the partition" grep -q \
    "'mbr.img:p1:': ntfs file system at byte 1048576" mbr.err
# The provenance chain, as -vv shows it (the case stores it too).
"$EVTRIAGE" load -vv -d mbr-vv.db mbr.img > /dev/null 2> mbr-vv.err
chain=$(grep "'mbr.img:p1:$LOGS/Security.evtx': \[" mbr-vv.err)
for x in '{"container":"image","path":"mbr.img","format":"raw","size":18874368}' \
    '{"container":"partition","index":1,"offset":1048576,"scheme":"mbr","description":"NTFS / exFAT (0x07)"}' \
    '"container":"fs","type":"ntfs","path":"/Windows/System32/winevt/Logs/Security.evtx","inode":"' \
    '"deleted":false,"mtime":"' '"crtime":"'; do
	case $chain in
	*"$x"*) ok "MBR disk: the chain holds $x" ;;
	*) notok "MBR disk: the chain holds $x"; echo "#   $chain" ;;
	esac
done

# The reports and evidence name the log inside the image, with its
# chain: the partition, the MFT entry, deleted or not.
"$EVTRIAGE" scan -n -q -d mbr-rep.db -o mbr-rep mbr.img > mbr-rep.out 2>&1
check "text report: a hit names the log inside the image" grep -qF \
    "evidence             mbr.img:p1:$LOGS/Security.evtx record 2 event 4688 sha256 " \
    mbr-rep.out
for f in hits.csv hits.jsonl timeline.csv timeline.jsonl report.html \
    evidence.csv; do
	check "$f: the path inside the image" grep -qF \
	    "mbr.img:p1:$LOGS/Security.evtx" mbr-rep/$f
done
check "hits.csv: the partition in the chain" grep -qF \
    '{""container"":""partition"",""index"":1,""offset"":1048576,""scheme"":""mbr""' \
    mbr-rep/hits.csv
check "hits.jsonl: the MFT entry in the chain" grep -qE \
    '\\"container\\":\\"fs\\",\\"type\\":\\"ntfs\\",\\"path\\":\\"/Windows/System32/winevt/Logs/Security.evtx\\",\\"inode\\":\\"[0-9]+-[0-9]+\\",\\"deleted\\":false' \
    mbr-rep/hits.jsonl
check "report.html: the chain, escaped" grep -qF \
    '{&quot;container&quot;:&quot;partition&quot;,&quot;index&quot;:1' \
    mbr-rep/report.html
"$EVTRIAGE" evidence -d mbr-rep.db -f json > mbr-rep.ev
check "evidence -f json: the log's SHA-256 and its chain" \
    /usr/bin/python3 - mbr-rep.ev "$SECURITY" <<'EOF'
import hashlib, json, sys
want = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"].endswith("/Security.evtx"):
        break
else:
    sys.exit("no Security.evtx")
assert r["sha256"] == want, r
c = json.loads(r["provenance"])
assert c[0]["container"] == "image" and c[0]["path"] == "mbr.img", c
assert c[1]["container"] == "partition" and c[1]["index"] == 1, c
assert c[1]["offset"] == 1048576, c
fs = c[2]
assert fs["container"] == "fs" and fs["type"] == "ntfs", c
assert fs["path"] == "/Windows/System32/winevt/Logs/Security.evtx", c
assert fs["deleted"] is False, c
for t in ("mtime", "atime", "ctime", "crtime"):
    assert fs[t].endswith("Z"), c
EOF
# The browser's evidence view (5) shows the chain.
if browse_evidence mbr-rep.db 200 browse.txt; then
	check "browser: the evidence view names the log in the image" \
	    grep -qF "mbr.img:p1:$LOGS/" browse.txt
	check "browser: the evidence view shows the partition" \
	    grep -qF '{"container":"partition","index":1' browse.txt
else
	skip "browser: no tmux"
fi

truncate -s 18M gpt.img
sgdisk -n 1:2048:+16M -t 1:0700 gpt.img > /dev/null 2>&1
dd if=part.ntfs of=gpt.img bs=512 seek=2048 conv=notrunc 2> /dev/null
check_status "GPT disk: exit 3" 3 "$EVTRIAGE" scan -n -v -d gpt.db gpt.img
cp "$T/status.out" gpt.err
rows gpt.db > gpt.rows
check_file "GPT disk: the rows of the plain files" plain.rows gpt.rows
hits gpt.db > gpt.hits
check_file "GPT disk: the hits of the plain files" plain.hits gpt.hits
check "GPT disk: display path names the partition" sh -c \
    "'$EVTRIAGE' evidence -d gpt.db | grep -qx 'gpt.img:p1:$LOGS/Security.evtx'"
check "GPT disk: -v names the partition" grep -q \
    "'gpt.img:p1:': ntfs file system at byte 1048576" gpt.err

# A FAT file system on an MBR disk (mkfs.fat, mmd, mcopy: no mount).
if command -v mkfs.fat > /dev/null && command -v mcopy > /dev/null; then
	mkfs.fat -C fat.part 16384 > /dev/null 2>&1
	mmd -i fat.part ::/WINDOWS ::/WINDOWS/system32 \
	    ::/WINDOWS/system32/winevt ::/WINDOWS/system32/winevt/Logs
	mcopy -i fat.part "$SYSMON" ::/WINDOWS/system32/winevt/Logs/Sysmon.evtx
	mcopy -i fat.part "$SECURITY" ::/WINDOWS/system32/winevt/Logs/Security.evtx
	truncate -s 18M fat.img
	printf 'label: dos\nstart=2048, size=32768, type=c\n' |
	    sfdisk -q fat.img > /dev/null 2>&1
	dd if=fat.part of=fat.img bs=512 seek=2048 conv=notrunc 2> /dev/null
	check_status "FAT disk: exit 3" 3 "$EVTRIAGE" scan -n -v -d fat.db fat.img
	rows fat.db > fat.rows
	check_file "FAT disk: the rows of the plain files" plain.rows fat.rows
	check "FAT disk: the folder found whatever the case of its names" \
	    sh -c "'$EVTRIAGE' evidence -d fat.db | grep -qix 'fat.img:p1:$LOGS/Security.evtx'"
	# The file system alone, known by its boot sector.
	check_status "FAT file system alone: exit 3" 3 \
	    "$EVTRIAGE" scan -n -d fat-part.db fat.part
	rows fat-part.db > fat-part.rows
	check_file "FAT file system alone: the rows of the plain files" \
	    plain.rows fat-part.rows
else
	skip "FAT disk: no mkfs.fat or mcopy (apt-get install dosfstools mtools)"
fi

# An exFAT file system, alone and on a GPT disk (mkfs.exfat, then
# tests/exfatput.py writes the logs: no mount).
if command -v mkfs.exfat > /dev/null 2>&1; then
	truncate -s 16M exfat.part
	mkfs.exfat exfat.part > /dev/null 2>&1
	/usr/bin/python3 "$srcdir/tests/exfatput.py" exfat.part "$SYSMON" \
	    "$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx" > /dev/null &&
	/usr/bin/python3 "$srcdir/tests/exfatput.py" exfat.part "$SECURITY" \
	    "$LOGS/Security.evtx" > /dev/null ||
	    notok "fixture: exFAT file system"
	check_status "exFAT file system alone: exit 3" 3 \
	    "$EVTRIAGE" scan -n -v -d exfat-part.db exfat.part
	check "exFAT file system alone: -v names it" grep -q \
	    "'exfat.part:': exfat file system at byte 0" "$T/status.out"
	rows exfat-part.db > exfat-part.rows
	check_file "exFAT file system alone: the rows of the plain files" \
	    plain.rows exfat-part.rows
	truncate -s 18M exfat.img
	sgdisk -n 1:2048:+16M -t 1:0700 exfat.img > /dev/null 2>&1
	dd if=exfat.part of=exfat.img bs=512 seek=2048 conv=notrunc 2> /dev/null
	check_status "exFAT on a GPT disk: exit 3" 3 \
	    "$EVTRIAGE" scan -n -d exfat.db exfat.img
	rows exfat.db > exfat.rows
	check_file "exFAT on a GPT disk: the rows of the plain files" \
	    plain.rows exfat.rows
	hits exfat.db > exfat.hits
	check_file "exFAT on a GPT disk: the hits of the plain files" \
	    plain.hits exfat.hits
	check "exFAT on a GPT disk: the chain names the file system" sh -c \
	    "sqlite3 exfat.db 'SELECT provenance FROM evidence_path' | grep -q '\"container\":\"fs\",\"type\":\"exfat\",\"path\":\"$LOGS/Security.evtx\"'"
else
	skip "exFAT: no mkfs.exfat (apt-get install exfatprogs)"
fi

# --- E01 (a split set), split raw, VHD, VMDK. ---------------------------
if [ $asan = no ]; then
mkdir e01
ewfacquire -u -q -t e01/disk -f encase6 -c none -S 8M -C case -D disk \
    -e tester -E 1 -N none mbr.img > /dev/null 2>&1
check "fixture: E01 split set" test -f e01/disk.E02
check_status "E01: exit 3" 3 "$EVTRIAGE" scan -n -v -d e01.db e01
cp "$T/status.out" e01.err
rows e01.db > e01.rows
check_file "E01: the rows of the plain files" plain.rows e01.rows
hits e01.db > e01.hits
check_file "E01: the hits of the plain files" plain.hits e01.hits
"$EVTRIAGE" scan -n -q -d e01-n.db e01/disk.E01 > e01-n.out 2>&1
check "E01: scan -n names each hit's log inside the image" grep -qF \
    "evidence             e01/disk.E01:p1:$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx record 9 event 1 sha256 " \
    e01-n.out
# Known by its content: one segment under another name.
mkdir e01-one
ewfacquire -u -q -t e01-one/disk -f encase6 -c none -C case -D disk \
    -e tester -E 1 -N none mbr.img > /dev/null 2>&1
mv e01-one/disk.E01 e01-one/seized.bin
check_status "E01 named seized.bin: read, exit 3" 3 \
    "$EVTRIAGE" scan -n -d e01-one.db e01-one/seized.bin
rows e01-one.db > e01-one.rows
check_file "E01 named seized.bin: the rows of the plain files" \
    plain.rows e01-one.rows
# A set without its last segment: what there is is read, the run partial.
mkdir e01-miss
cp e01/disk.E01 e01/disk.E02 e01-miss/
check_status "E01 without its last segment: hits and partial, exit 4" 4 \
    "$EVTRIAGE" scan -n -d e01-miss.db e01-miss/disk.E01
check "E01 without its last segment: named" grep -qF \
    "cannot read 'e01-miss/disk.E01': segments missing or damaged" \
    "$T/status.out"
# A byte of the Security log's first chunk changed in the E01: libewf
# reads the chunk as zeros; the checksum error is named, the run partial.
mkdir e01-crc
cp e01/disk.E0? e01-crc/
/usr/bin/python3 - e01-crc "$SECURITY" <<'EOF'
import glob, sys
want = open(sys.argv[2], "rb").read()[4096:4160]
for seg in sorted(glob.glob(sys.argv[1] + "/disk.E0?")):
    d = bytearray(open(seg, "rb").read())
    i = d.find(want)
    if i >= 0:
        d[i + 1000] ^= 0xff
        open(seg, "wb").write(d)
        break
else:
    sys.exit("the log is not in the set")
EOF
check_status "E01 with a checksum error: partial, exit 4" 4 \
    "$EVTRIAGE" scan -n -d e01-crc.db e01-crc/disk.E01
check "E01 with a checksum error: named" grep -qF \
    "cannot read 'e01-crc/disk.E01': checksum errors in 1 range of sectors" \
    "$T/status.out"
check "E01: display path" sh -c \
    "'$EVTRIAGE' evidence -d e01.db | grep -qx 'e01/disk.E01:p1:$LOGS/Security.evtx'"
"$EVTRIAGE" load -vv -d e01-vv.db e01/disk.E01 > /dev/null 2> e01-vv.err
md5=$(md5sum < mbr.img | cut -d' ' -f1)
check "E01: the chain holds the image's stored MD5" grep -q \
    "\"format\":\"ewf\",\"md5\":\"$md5\"" e01-vv.err
check "E01: later segments are read with the first" grep -q \
    "skipped 'e01/disk.E02': a later segment" e01.err
mkdir e01-tail
cp e01/disk.E02 e01-tail/
check_status "E01: a later segment alone is not read, exit 1" 1 \
    "$EVTRIAGE" load -d e01-tail.db e01-tail
check "E01: a later segment alone is named" grep -q \
    "cannot read 'e01-tail/disk.E02': a later segment of an image whose first segment is not there" \
    "$T/status.out"
check "E01: not counted as not read" sh -c \
    "! grep -q 'not read yet' e01.err || grep -q ' 0 not read yet' e01.err"

else
	skip "E01: not in sanitizer builds (libbfio)"
fi

mkdir split
split -b 6M -d -a 3 --numeric-suffixes=1 mbr.img split/disk.
check "fixture: split raw" test -f split/disk.003
check_status "split raw: exit 3" 3 "$EVTRIAGE" scan -n -v -d split.db split
cp "$T/status.out" split.err
rows split.db > split.rows
check_file "split raw: the rows of the plain files" plain.rows split.rows
hits split.db > split.hits
check_file "split raw: the hits of the plain files" plain.hits split.hits
check "split raw: display path" sh -c \
    "'$EVTRIAGE' evidence -d split.db | grep -qx 'split/disk.001:p1:$LOGS/Security.evtx'"

if [ $asan = no ]; then
qemu-img convert -f raw -O vpc mbr.img disk.vhd 2> /dev/null
check_status "VHD: exit 3" 3 "$EVTRIAGE" scan -n -d vhd.db disk.vhd
rows vhd.db > vhd.rows
check_file "VHD: the rows of the plain files" plain.rows vhd.rows
hits vhd.db > vhd.hits
check_file "VHD: the hits of the plain files" plain.hits vhd.hits
mkdir vhd-named
cp disk.vhd vhd-named/disk.raw
check_status "VHD named disk.raw: known by its content, exit 3" 3 \
    "$EVTRIAGE" scan -n -d vhd-named.db vhd-named/disk.raw
rows vhd-named.db > vhd-named.rows
check_file "VHD named disk.raw: the rows of the plain files" \
    plain.rows vhd-named.rows
qemu-img convert -f raw -O vhdx mbr.img disk.vhdx 2> /dev/null
check_status "VHDX: exit 3" 3 "$EVTRIAGE" scan -n -d vhdx.db disk.vhdx
rows vhdx.db > vhdx.rows
check_file "VHDX: the rows of the plain files" plain.rows vhdx.rows
else
	skip "VHD and VHDX: not in sanitizer builds (libbfio)"
fi
qemu-img convert -f raw -O vmdk mbr.img disk.vmdk 2> /dev/null
check_status "VMDK: exit 3" 3 "$EVTRIAGE" scan -n -d vmdk.db disk.vmdk
rows vmdk.db > vmdk.rows
check_file "VMDK: the rows of the plain files" plain.rows vmdk.rows
hits vmdk.db > vmdk.hits
check_file "VMDK: the hits of the plain files" plain.hits vmdk.hits
mkdir named
# A renamed VMDK is its own extent through libvmdk, which sanitizer
# builds do not use (libtsk opens it there, by its name).
[ "$asan" = yes ] || cp disk.vmdk named/vm.bin
cp mbr.img named/evidence.dat
check_status "VMDK and raw under other names: known by content, exit 3" 3 \
    "$EVTRIAGE" scan -n -v -d named.db named
if [ "$asan" = yes ]; then
	skip "VMDK named vm.bin: not in sanitizer builds (libvmdk)"
else
	check "VMDK named vm.bin: read as VMDK" grep -q \
	    "'named/vm.bin': vmdk image of" "$T/status.out"
fi
check "raw disk named evidence.dat: read" sh -c \
    "'$EVTRIAGE' evidence -d named.db | grep -qx 'named/evidence.dat:p1:$LOGS/Security.evtx'"

# --- -H: the SHA-256 of the image's files as they lie. ------------------
# imagelink CASE: the image links of the chains in the case, each once.
imagelink() {
	sqlite3 "$1" "SELECT DISTINCT json_extract(provenance, '\$[0]')
	    FROM evidence_path"
}
check_eq "without -H: the image link holds no hash of the image" \
    '{"container":"image","path":"mbr.img","format":"raw","size":18874368}' \
    "$(imagelink mbr.db)"
before=$(sha256sum < mbr.img)
atime=$(stat -c %X mbr.img)
sha=$(sha256sum < mbr.img | cut -d' ' -f1)
check_status "-H: a raw image, exit 0" 0 \
    "$EVTRIAGE" load -H -v -d h-raw.db mbr.img
cp "$T/status.out" h-raw.err
check_eq "-H: the raw image's link holds its sha256sum" \
    "{\"container\":\"image\",\"path\":\"mbr.img\",\"format\":\"raw\",\"sha256\":\"$sha\",\"size\":18874368}" \
    "$(imagelink h-raw.db)"
check "-H: -v says what was hashed and how long it took" grep -q \
    "'mbr.img': SHA-256 of 1 file, 18874368 bytes, in [0-9.]* s" h-raw.err
rows h-raw.db > h-raw.rows
check_file "-H: the rows of the plain files" plain.rows h-raw.rows
# A rerun without -H keeps the hash the case holds, of the same chain.
cp h-raw.db h-again.db
"$EVTRIAGE" load -q -d h-again.db mbr.img > /dev/null 2>&1
check_eq "-H, then a run without: the hash the case holds is kept" \
    "{\"container\":\"image\",\"path\":\"mbr.img\",\"format\":\"raw\",\"sha256\":\"$sha\",\"size\":18874368}" \
    "$(imagelink h-again.db)"
check_status "-H: scan too, exit 3" 3 \
    "$EVTRIAGE" scan -n -q -H -d h-scan.db mbr.img
check "-H: scan's chain holds the hash" sh -c \
    "sqlite3 h-scan.db 'SELECT provenance FROM evidence_path' | grep -qF '\"sha256\":\"$sha\"'"
# A split set: the hash of its segments one after the other, the disk
# it was split from.
sha=$(cat split/disk.001 split/disk.002 split/disk.003 | sha256sum |
    cut -d' ' -f1)
check_eq "-H: split raw: cat of the segments is the disk" \
    "$(sha256sum < mbr.img | cut -d' ' -f1)" "$sha"
check_status "-H: split raw, exit 0" 0 \
    "$EVTRIAGE" load -H -v -d h-split.db split/disk.001
check_eq "-H: split raw: the link holds the sha256sum of cat of the set" \
    "{\"container\":\"image\",\"path\":\"split/disk.001\",\"format\":\"raw\",\"sha256\":\"$sha\",\"segments\":3,\"size\":18874368}" \
    "$(imagelink h-split.db)"
check "-H: split raw: -v names the three files" grep -q \
    "'split/disk.001': SHA-256 of 3 files, 18874368 bytes, in [0-9.]* s" \
    "$T/status.out"
check_eq "without -H: split raw: no hash" \
    '{"container":"image","path":"split/disk.001","format":"raw","segments":3,"size":18874368}' \
    "$(imagelink split.db)"
if [ $asan = no ]; then
	# An E01 set: its segment files in order, beside the MD5 it stores
	# of the disk.
	set -- e01/disk.E0?
	sha=$(cat "$@" | sha256sum | cut -d' ' -f1)
	size=$(cat "$@" | wc -c)
	md5=$(md5sum < mbr.img | cut -d' ' -f1)
	e01sum=$(sha256sum "$@")
	check_status "-H: E01 set, exit 0" 0 \
	    "$EVTRIAGE" load -H -v -d h-e01.db e01/disk.E01
	check "-H: E01: -v names its $# segments" grep -q \
	    "'e01/disk.E01': SHA-256 of $# files, $size bytes, in [0-9.]* s" \
	    "$T/status.out"
	link=$(imagelink h-e01.db)
	case $link in
	"{\"container\":\"image\",\"path\":\"e01/disk.E01\",\"format\":\"ewf\",\"md5\":\"$md5\","*"\"sha256\":\"$sha\",\"segments\":$#,"*)
		ok "-H: E01: the link holds the stored MD5 and the sha256sum of cat of the set" ;;
	*)	notok "-H: E01: the link holds the stored MD5 and the sha256sum of cat of the set"
		echo "#   $link" ;;
	esac
	case $(imagelink e01.db) in
	*'"md5":"'$md5'"'*'"sha256"'*)
		notok "without -H: E01: the stored MD5, no SHA-256" ;;
	*'"md5":"'$md5'"'*)
		ok "without -H: E01: the stored MD5, no SHA-256" ;;
	*)	notok "without -H: E01: the stored MD5, no SHA-256" ;;
	esac
	check_eq "-H: E01: the segments are not changed" "$e01sum" \
	    "$(sha256sum "$@")"
	sha=$(sha256sum < disk.vmdk | cut -d' ' -f1)
	"$EVTRIAGE" load -q -H -d h-vmdk.db disk.vmdk > /dev/null 2>&1
	check "-H: VMDK: the link holds its sha256sum" sh -c \
	    "sqlite3 h-vmdk.db 'SELECT provenance FROM evidence_path' | grep -qF '\"format\":\"vmdk\",\"sha256\":\"$sha\"'"
else
	skip "-H: E01: not in sanitizer builds (libbfio)"
fi
check_eq "-H: the image is not changed" "$before" "$(sha256sum < mbr.img)"
check_eq "-H: the image's access time is not changed" "$atime" \
    "$(stat -c %X mbr.img)"
# Interrupted while it hashes (64 GiB, sparse): the run stops at once.
truncate -s 64G big.img
printf 'label: dos\nstart=2048, size=32768, type=7\n' |
    sfdisk -q big.img > /dev/null 2>&1
"$EVTRIAGE" load -H -v -d big.db big.img > big.err 2>&1 &
pid=$!
i=0
until grep -q "hashing 'big.img'" big.err; do
	i=$((i + 1)); [ $i -gt 200 ] && break; sleep 0.05
done
start=$(date +%s)
kill -INT $pid
wait $pid
s=$?
check_eq "-H: interrupted while it hashes: exit 130" 130 $s
check "-H: interrupted while it hashes: stops at once" \
    test $(($(date +%s) - start)) -lt 20
check "-H: interrupted while it hashes: said" grep -q "interrupted" big.err
rm -f big.img

# --- Opened with O_NOATIME: the walk, the hash and each worker. --------
# evtriage opens raw, E01, VHD, VHDX and VMDK images itself and libtsk
# reads its descriptors; libtsk's YAFFS2 looks for IMAGE-yaffs2.config
# beside it.
if command -v strace > /dev/null 2>&1 &&
    strace -f -qq -e trace=openat -o st.log true 2> /dev/null; then
	for i in 'mbr.img mbr\.img' 'split split/disk\.[0-9]+' \
	    'e01 e01/disk\.E[0-9]+' 'disk.vhd disk\.vhd' \
	    'disk.vhdx disk\.vhdx' 'disk.vmdk disk\.vmdk'; do
		set -- $i
		# Sanitizer builds open E01, VHD and VMDK through libtsk.
		[ $1 != mbr.img ] && [ $1 != split ] && [ $asan = yes ] &&
		    continue
		rm -f st.db*
		strace -f -qq -e trace=open,openat -o st.log \
		    "$EVTRIAGE" load -q -d st.db $1 2> /dev/null
		grep -E "\"([^\"]*/)?$2\"" st.log > st.opens
		i=$1
		check "$i: opened by the walk and the workers" \
		    test "$(wc -l < st.opens)" -ge 3
		check_eq "$i: every open has O_NOATIME" "" \
		    "$(grep -v O_NOATIME st.opens)"
	done
	# -H: the hash opens each file once more, as the walk does.
	for i in 'mbr.img mbr\.img' 'split split/disk\.[0-9]+' \
	    'e01 e01/disk\.E[0-9]+'; do
		set -- $i
		[ $1 = e01 ] && [ $asan = yes ] && continue
		rm -f st.db*
		strace -f -qq -e trace=open,openat -o st.log \
		    "$EVTRIAGE" load -q -d st.db $1 2> /dev/null
		n=$(grep -cE "\"([^\"]*/)?$2\"" st.log)
		rm -f st.db*
		strace -f -qq -e trace=open,openat -o st.log \
		    "$EVTRIAGE" load -q -H -d st.db $1 2> /dev/null
		grep -E "\"([^\"]*/)?$2\"" st.log > st.opens
		i=$1
		check "-H: $i: the hash opens the files too" \
		    test "$(wc -l < st.opens)" -gt "$n"
		check_eq "-H: $i: every open has O_NOATIME, none writes" "" \
		    "$(grep -v O_NOATIME st.opens; grep -E 'O_WRONLY|O_RDWR' st.opens)"
	done
	# Nothing is written but the case: no copy of the evidence.
	rm -f st.db*
	strace -f -qq -e trace=open,openat,creat,mkdir,rename,link \
	    -o st.log "$EVTRIAGE" load -q -A -d st.db e01 2> /dev/null
	check_eq "nothing written but the case" "" "$(grep -E \
	    'O_WRONLY|O_RDWR|O_CREAT|creat\(|mkdir\(|rename\(|link\(' st.log |
	    grep -v ENOENT | grep -vE '"[^"]*st\.db(-wal|-shm|-journal)?"' |
	    grep -v '"/dev/null"')"
else
	skip "O_NOATIME: no strace here"
fi

# --- A deleted log whose MFT entry still holds its runs. ---------------
truncate -s 16M del.img
mkntfs -F -Q -q del.img > /dev/null 2>&1
"$NTFSPUT" del.img "$SYSMON" \
    "$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx" > /dev/null
set -- $("$NTFSPUT" del.img "$SECURITY" "$LOGS/Security.evtx")
unalloc del.img "$2"
check_status "deleted log: read all the same, exit 3" 3 \
    "$EVTRIAGE" scan -n -v -d del.db del.img
cp "$T/status.out" del.err
rows del.db > del.rows
check_file "deleted log: the rows of the plain files" plain.rows del.rows
check "deleted log: -v says deleted" grep -q \
    "'del.img:$LOGS/Security.evtx': EVTX log in the image, entry $1, deleted" \
    del.err
"$EVTRIAGE" load -vv -d del-vv.db del.img > /dev/null 2> del-vv.err
check "deleted log: the chain says deleted, and its entry" grep -q \
    "\"path\":\"$LOGS/Security.evtx\",\"inode\":\"$1-[0-9]*\",\"deleted\":true" \
    del-vv.err
check "deleted log: no partition table in the chain" grep -q \
    '{"container":"partition","index":0,"offset":0,"scheme":"none"' del-vv.err

# --- Damage: a partition entry past the end, images that are not. -----
cp mbr.img damaged.img
/usr/bin/python3 - damaged.img <<'EOF'
import sys
f = open(sys.argv[1], "r+b")
e = bytearray(16)
e[4] = 0x07
e[8:12] = (40000).to_bytes(4, "little")
e[12:16] = (90000).to_bytes(4, "little")
f.seek(446 + 16); f.write(e); f.close()
EOF
check_status "damaged partition entry: hits and partial, exit 4" 4 \
    "$EVTRIAGE" scan -n -d damaged.db damaged.img
cp "$T/status.out" damaged.err
check "damaged partition entry: the warning names it" grep -q \
    "damaged.img.*partition 2 lies past the end of the image" damaged.err
rows damaged.db > damaged.rows
check_file "damaged partition entry: the first partition read" \
    plain.rows damaged.rows
# Acquired again, sound, under the same name.
judged_again image damaged.img mbr.img disk.img

# A damaged file system (its $MFT record zeroed) in the first partition,
# a sound one in the second: the warning names the first, the second is
# read.
truncate -s 36M twofs.img
printf 'label: dos\nstart=2048, size=32768, type=7\nstart=34816, size=32768, type=7\n' |
    sfdisk -q twofs.img > /dev/null 2>&1
dd if=part.ntfs of=twofs.img bs=512 seek=2048 conv=notrunc 2> /dev/null
dd if=part.ntfs of=twofs.img bs=512 seek=34816 conv=notrunc 2> /dev/null
/usr/bin/python3 - twofs.img <<'EOF'
import struct, sys
f = open(sys.argv[1], "r+b")
base = 2048 * 512
f.seek(base); bs = f.read(512)
mft = struct.unpack_from("<q", bs, 48)[0] * struct.unpack_from("<H", bs, 11)[0] * bs[13]
f.seek(base + mft); f.write(b"\0" * 1024); f.close()
EOF
check_status "damaged file system: hits and partial, exit 4" 4 \
    "$EVTRIAGE" scan -n -d twofs.db twofs.img
check "damaged file system: the warning names it" grep -qF \
    "cannot read 'twofs.img:p1:': file system damaged" "$T/status.out"
rows twofs.db > twofs.rows
check_file "damaged file system: the second partition read" \
    plain.rows twofs.rows
check "damaged file system: its logs named in the second" sh -c \
    "'$EVTRIAGE' evidence -d twofs.db | grep -qx 'twofs.img:p2:$LOGS/Security.evtx'"

# An image cut short in the second log: the first is read, the second
# and the partition that goes past the end are named, the run partial.
cp mbr.img cut.img
off=$(/usr/bin/python3 -c '
import sys
d = open("cut.img", "rb").read()
a = d.find(b"ElfFile\0"); b = d.find(b"ElfFile\0", a + 1)
print(max(a, b) + 8192)')
truncate -s "$off" cut.img
check_status "image cut short: partial, exit 4" 4 \
    "$EVTRIAGE" scan -n -d cut.db cut.img
cp "$T/status.out" cut.err
check "image cut short: the partition past the end named" grep -q \
    "cannot read 'cut.img': partition 1 lies past the end of the image" cut.err
check "image cut short: the log cut short named" grep -q \
    "cannot read 'cut.img:p1:$LOGS/[^']*': " cut.err
check_eq "image cut short: the other log read" 1 \
    "$(sqlite3 cut.db "SELECT count(*) FROM evidence WHERE status = 'done'")"

# An XML export (wevtutil qe /f:xml) in the image: any reader reads
# inside an image, with no code of its own.
if command -v evtxexport > /dev/null 2>&1; then
	/usr/bin/python3 "$srcdir/tests/xml-export.py" wrapped "$SYSMON" \
	    sysmon.xml 2> /dev/null
	truncate -s 16M xml.img
	mkntfs -F -Q -q xml.img > /dev/null 2>&1
	"$NTFSPUT" xml.img sysmon.xml /Export/sysmon.xml > /dev/null
	"$EVTRIAGE" load -q -d xml-plain.db sysmon.xml > /dev/null 2>&1
	check_status "XML export in the image, -A: read, exit 0" 0 \
	    "$EVTRIAGE" load -A -d xml-img.db xml.img
	check "XML export in the image: counted as one" grep -qF \
	    "1 log (0 EVTX, 1 XML export, 0 FDR exports) (1 read" \
	    "$T/status.out"
	rows xml-plain.db > xml-plain.rows
	rows xml-img.db > xml-img.rows
	check_file "XML export in the image: the rows of the plain file" \
	    xml-plain.rows xml-img.rows
else
	skip "XML export in the image: no evtxexport (apt-get install libevtx-utils)"
fi
# CrowdStrike FDR exports, plain and gzip'd, in the image.
/usr/bin/python3 "$srcdir/tests/fdrgen.py" "$srcdir/tests/scenarios/report.txt" \
    > fdr.json && gzip -c fdr.json > fdr.json.gz || notok "fixture: FDR"
truncate -s 16M fdr.img
mkntfs -F -Q -q fdr.img > /dev/null 2>&1
"$NTFSPUT" fdr.img fdr.json /Export/ws01.json > /dev/null
"$NTFSPUT" fdr.img fdr.json.gz /Export/old/ws01.json.gz > /dev/null
"$EVTRIAGE" load -q -d fdr-plain.db fdr.json > /dev/null 2>&1
check_status "FDR exports in the image, -A: read, exit 0" 0 \
    "$EVTRIAGE" load -A -d fdr-img.db fdr.img
check "FDR exports in the image: plain and gzip'd" grep -qF \
    "2 logs (0 EVTX, 0 XML exports, 2 FDR exports) (2 read" "$T/status.out"
check_eq "FDR exports in the image: the rows of the plain file, twice" \
    "$(($(sqlite3 fdr-plain.db "SELECT count(*) FROM process") * 2))" \
    "$(sqlite3 fdr-img.db "SELECT count(*) FROM process")"

mkdir fake
head -c 4096 /dev/urandom > fake/noise.bin
/usr/bin/python3 - <<'EOF'
mbr = bytearray(512)
mbr[446 + 4] = 0x07
mbr[446 + 8:446 + 12] = (1).to_bytes(4, "little")
mbr[446 + 12:446 + 16] = (100).to_bytes(4, "little")
mbr[510:512] = b"\x55\xaa"
open("fake/mbr.dd", "wb").write(bytes(mbr) + b"\xff" * 65536)
open("fake/disk.E01", "wb").write(b"EVF\x09\x0d\x0a\xff\x00\x01\x01\x00" + b"\0" * 64)
open("fake/disk.vmdk", "wb").write(b"KDMV" + b"\0" * 508)
EOF
cp "$SYSMON" fake/good.evtx
check_status "not images: the good log read, exit 4" 4 \
    "$EVTRIAGE" scan -n -d fake.db fake
cp "$T/status.out" fake.err
check "not images: E01 warned" grep -q "cannot read 'fake/disk.E01'" fake.err
check "not images: VMDK warned" grep -q "cannot read 'fake/disk.vmdk'" fake.err
check "not images: a disk without a file system warned" grep -q \
    "cannot read 'fake/mbr.dd': no file system evtriage reads in it" fake.err
check "not images: no longer 'not read yet'" grep -q " 0 not read yet" fake.err
check "not images: the failures counted" \
    grep -q "1 EVTX file (1 read.*" fake.err
check_eq "not images: in the case as problems" 3 \
    "$(sqlite3 fake.db "SELECT count(*) FROM problem WHERE path LIKE 'fake/%' AND path NOT LIKE '%good%'")"

finish
