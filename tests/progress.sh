#!/bin/sh
# The progress line on a terminal (script(1) gives one): during the walk
# it names the image, each partition and its file system, and counts
# the files looked at and the logs found; during the read, the log being
# read inside its image.  Evidence text on it is escaped, it fits the
# terminal, a warning does not run into it, and with -q or without a
# terminal there is none.  The image is made as tests/image.sh makes
# its own: mkntfs, tests/ntfsput and sfdisk, no mount.
. "${srcdir:-.}/tests/lib.sh" || exit 1

: "${NTFSPUT:=./tests/ntfsput}"
EV=$srcdir/samples/evidence
SYSMON="$EV/WS01/Microsoft-Windows-Sysmon%4Operational.evtx"
SECURITY="$EV/SRV02/Security.evtx"
LOGS=/Windows/System32/winevt/Logs
for t in script mkntfs sfdisk python3; do
	command -v $t > /dev/null 2>&1 ||
	    skip_all "$t not found (apt-get install bsdutils ntfs-3g fdisk python3)"
done
[ -x "$NTFSPUT" ] || skip_all "tests/ntfsput not built (apt-get install ntfs-3g-dev)"
case $EVTRIAGE in /*) ;; *) EVTRIAGE=$(pwd)/$EVTRIAGE ;; esac
case $NTFSPUT in /*) ;; *) NTFSPUT=$(pwd)/$NTFSPUT ;; esac
cd "$T" || exit 1
# Every change drawn: the fixtures are walked in less than the 250 ms
# between two drawings.
EVTRIAGE_PROGRESS_MS=0
export EVTRIAGE_PROGRESS_MS

# term OUT COMMAND: run COMMAND on a terminal, what it drew in OUT one
# drawing a line (the line is drawn over after a carriage return).
term() {
	_o=$1; shift
	script -qec "$*" /dev/null < /dev/null > "$_o.raw" 2>&1
	tr '\r' '\n' < "$_o.raw" | sed 's/\x1b\[K//g' > "$_o"
}

# mkfs IMAGE SECTORS: a 16 MiB NTFS file system with two sample logs.
mkfs() {
	truncate -s 16M "$1" &&
	mkntfs -F -Q -q -p "$2" "$1" > /dev/null 2>&1 &&
	"$NTFSPUT" "$1" "$SYSMON" \
	    "$LOGS/Microsoft-Windows-Sysmon%4Operational.evtx" > /dev/null &&
	"$NTFSPUT" "$1" "$SECURITY" "$LOGS/Security.evtx" > /dev/null
}
check "fixture: NTFS file system" mkfs ntfs.img 0
check "fixture: its partition" mkfs part.ntfs 2048
truncate -s 18M mbr.img
printf 'label: dos\nstart=2048, size=32768, type=7\n' |
    sfdisk -q mbr.img > /dev/null 2>&1
dd if=part.ntfs of=mbr.img bs=512 seek=2048 conv=notrunc 2> /dev/null

# --- An MBR disk, -A: every file of its file system looked at. --------
term mbr.out "'$EVTRIAGE' load -A -d mbr.db mbr.img"
check "MBR disk: the walk names the image" grep -q "^walking mbr.img" mbr.out
check "MBR disk: the partition before its file system is open" \
    grep -q "^walking mbr.img: p1 (.*), 0 logs found" mbr.out
check "MBR disk: the partition and its file system" \
    grep -q "^walking mbr.img: p1 ntfs, " mbr.out
check "MBR disk: the files looked at and the logs found" grep -Eq \
    "^walking mbr.img: p1 ntfs, [1-9][0-9]* files looked at, 2 logs found$" \
    mbr.out
check "MBR disk: the read names the log inside the partition" grep -q \
    "^files [0-9]/2, .*, reading mbr.img:p1:$LOGS/.*\.evtx$" \
    mbr.out
check "MBR disk: the last drawing is the count of files" grep -q \
    "^files 2/2, [0-9/]* MB, 16 events, [0-9]* records/s$" mbr.out
check "MBR disk: the walk is drawn before the read" sh -c \
    "grep -n . mbr.out | grep -m1 -e walking -e '^[0-9]*:files' |
    grep -q walking"

# A file system alone: no partition number.
term ntfs.out "'$EVTRIAGE' load -A -d ntfs.db ntfs.img"
check "NTFS alone: its file system, files and logs" grep -Eq \
    "^walking ntfs.img: ntfs, [1-9][0-9]* files looked at, 2 logs found$" \
    ntfs.out
check "NTFS alone: no partition named" sh -c "! grep -q ': p[0-9]' ntfs.out"

# --- A folder: every 64 files looked at, and the image found in it. ---
mkdir dir
i=0
while [ $i -lt 130 ]; do
	echo "not a log" > dir/note$i.txt
	i=$((i + 1))
done
cp mbr.img dir/zz-disk.img
term dir.out "'$EVTRIAGE' load -d dir.db dir"
check "folder: its name" grep -q "^walking dir, 0 logs found$" dir.out
check "folder: the count every 64 files" grep -q \
    "^walking dir, 64 files looked at, 0 logs found$" dir.out
check "folder: and again" grep -q \
    "^walking dir, 128 files looked at, 0 logs found$" dir.out
check "folder: the image inside it, by its path" grep -q \
    "^walking dir/zz-disk.img: p1 ntfs, [0-9]* files\? looked at, 2 logs found$" \
    dir.out

# --- An archive in a folder is named as it is listed. -----------------
mkdir arc
python3 - "$SECURITY" <<'EOF'
import sys, zipfile
with zipfile.ZipFile("arc/c.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "C/Windows/System32/winevt/Logs/Security.evtx")
EOF
term arc.out "'$EVTRIAGE' load -d arc.db arc"
check "archive: named while it is listed" grep -q \
    "^listing arc/c.zip, 0 logs found$" arc.out
check "archive: its log read" grep -q "^files 1/1, " arc.out

# --- Evidence text is escaped; the line fits the terminal. ------------
evil=$(printf 'e\033]0;owned\007.img')
cp mbr.img "$evil"
term evil.out "'$EVTRIAGE' load -d evil.db e*.img"
check "escaped: the image's name" grep -q \
    '^walking e\\x1b\]0;owned\\x07\.img: p1 ntfs' evil.out
check "escaped: no control from the name reaches the terminal" sh -c \
    "! grep -q \"\$(printf '\\033]')\" evil.out.raw &&
    ! grep -q \"\$(printf '\\007')\" evil.out.raw"
# A GPT partition's name is the evidence's too.
if command -v sgdisk > /dev/null 2>&1; then
	truncate -s 18M gpt.img
	sgdisk -n 1:2048:+16M -t 1:0700 gpt.img > /dev/null 2>&1
	sgdisk -c 1:"$(printf 'x\033]2;p\007y')" gpt.img > /dev/null 2>&1
	dd if=part.ntfs of=gpt.img bs=512 seek=2048 conv=notrunc 2> /dev/null
	term gpt.out "'$EVTRIAGE' load -d gpt.db gpt.img"
	check "escaped: a GPT partition's name" grep -q \
	    '^walking gpt.img: p1 (x\\x1b\]2;p\\x07y), 0 logs found$' gpt.out
	check "escaped: no control from it reaches the terminal" sh -c \
	    "! grep -q \"\$(printf '\\033]')\" gpt.out.raw"
	check "GPT disk: the partition and the logs" grep -q \
	    "^walking gpt.img: p1 ntfs, 2 files looked at, 2 logs found$" gpt.out
else
	skip "escaped: a GPT partition's name: no sgdisk (apt-get install gdisk)"
fi
term narrow.out "stty cols 40; '$EVTRIAGE' load -A -d narrow.db mbr.img"
check "narrow terminal: the walk drawn" grep -q "^walking mbr.img: p1" \
    narrow.out
check "narrow terminal: no drawing wider than 39 columns" sh -c \
    "! grep -e '^walking' -e '^files' narrow.out | grep -q '.\{40\}'"

# --- A warning clears the line first. ---------------------------------
mkdir warn
cp mbr.img warn/a.img
echo "not a log" > warn/b.evtx
term warn.out "'$EVTRIAGE' load -d warn.db warn"
check "warning: on a line of its own" grep -q \
    "^evtriage: cannot read 'warn/b.evtx'" warn.out

# --- None with -q, and none without a terminal. -----------------------
term quiet.out "'$EVTRIAGE' load -q -A -d quiet.db mbr.img"
check "-q: no progress" sh -c "! grep -q -e walking -e '^files' quiet.out"
"$EVTRIAGE" load -A -d pipe.db mbr.img > pipe.out 2> pipe.err
check "no terminal: no progress" sh -c \
    "! grep -q -e walking -e 'files [0-9]' pipe.err"
check "no terminal: no carriage return" sh -c \
    "! grep -q \"\$(printf '\\r')\" pipe.err"
check "no terminal: the summary still" grep -q "2 EVTX files" pipe.err
finish
