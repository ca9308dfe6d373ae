#!/bin/sh
# The EVTX reader of the ingest: the fast decoder by default, libevtx for
# what it declines and alone with -l.  Both load the same rows and the
# same counts; the case says how many records the fast reader read
# (evidence.fast_records); a case made before the column gains it.
. "${srcdir:-.}/tests/lib.sh"

command -v sqlite3 > /dev/null || skip_all "sqlite3 is not installed"
cd "$T" || exit 1
EV="$OLDPWD/$EVTRIAGE"
case $EVTRIAGE in /*) EV=$EVTRIAGE ;; esac
GEN="$OLDPWD/$EVTXGEN"
case $EVTXGEN in /*) GEN=$EVTXGEN ;; esac

# What a case holds, without its evidence ids.
rows() {
	for t in process process_end; do
		sqlite3 -header "$1" "SELECT * FROM $t ORDER BY _time, dest,
		    process_id, recovered, record_index" | cut -d'|' -f3- |
		    sed 's/|[^|]*$//'	# which reader decoded it: the last
	done
	sqlite3 "$1" "SELECT path, format_version, dirty, corrupted, records,
	    recovered, unreadable, process_events, end_events, status
	    FROM evidence ORDER BY path"
	sqlite3 "$1" "SELECT path, kind, record_index, recovered, reason
	    FROM problem ORDER BY path, record_index"
}
fast() {
	sqlite3 "$1" "SELECT fast_records, records + recovered FROM evidence
	    ORDER BY path" | tr '|\n' '  '
}

mkdir ev
"$GEN" -n 3000 -k security -s 3 -o ev/sec.evtx || notok "evtxgen"
"$GEN" -n 2000 -k sysmon -s 4 -o ev/sm.evtx || notok "evtxgen"

check_status "load (fast)" 0 "$EV" load -q -d fast.db ev
check_status "load -l (libevtx)" 0 "$EV" load -q -l -d lib.db ev
rows fast.db > fast.rows
rows lib.db > lib.rows
check_file "the same rows, counts and problems" lib.rows fast.rows
check_eq "the fast reader read every record" "3000 3000 2000 2000 " \
    "$(fast fast.db)"
check_eq "-l: libevtx read every record" "0 3000 0 2000 " "$(fast lib.db)"
# Each row says which reader decoded its record (process.reader).
readers() {
	sqlite3 "$1" "SELECT reader, count(*) FROM (SELECT reader FROM process
	    UNION ALL SELECT reader FROM process_end) GROUP BY reader" |
	    tr '\n' ' '
}
check_eq "each row: read by the fast decoder" \
    "evtx-fast|$(sqlite3 fast.db "SELECT (SELECT count(*) FROM process) +
    (SELECT count(*) FROM process_end)") " "$(readers fast.db)"
check_eq "-l: each row read by libevtx" \
    "libevtx|$(sqlite3 lib.db "SELECT (SELECT count(*) FROM process) +
    (SELECT count(*) FROM process_end)") " "$(readers lib.db)"

# In windows of a few chunks, as workers read a big log.
check_status "load -j2, windows" 0 env EVTRIAGE_WINDOW_CHUNKS=4 "$EV" load -q \
    -j 2 -d win.db ev
rows win.db > win.rows
check_file "windows: the same rows" lib.rows win.rows

# Inside an archive (read forwards): the fast reader reads it too.
mkdir zip
(cd ev && zip -q ../zip/logs.zip sec.evtx sm.evtx) || notok "zip"
check_status "load an archive" 0 "$EV" load -q -d zip.db zip
check_eq "archive: the fast reader read every record" \
    "3000 3000 2000 2000 " "$(fast zip.db)"
check_eq "archive: the same rows" "$(sed -n '/|/p' lib.rows | grep -v '^ev/')" \
    "$(rows zip.db | sed -n '/|/p' | grep -v '^zip/')"

# Damaged logs: what the fast reader declines, libevtx reads.
mkdir dmg
for k in dirty truncated badcrc garbage random zero; do
	"$GEN" -D $k -o dmg/$k.evtx || notok "evtxgen -D $k"
done
"$EV" load -q -d dfast.db dmg > /dev/null 2>&1
"$EV" load -q -l -d dlib.db dmg > /dev/null 2>&1
rows dfast.db > dfast.rows
rows dlib.db > dlib.rows
check_file "damaged: the same rows, counts and problems" dlib.rows dfast.rows
# Its first three chunks fail their checksums: libevtx reads those.
check_eq "badcrc: the bad chunks' records left to libevtx" "1" \
    "$(sqlite3 dfast.db "SELECT fast_records > 0 AND fast_records <
    records FROM evidence WHERE path LIKE '%badcrc.evtx'")"

# A case made before the column: opened for writing, it gains it.
cp lib.db old.db
sqlite3 old.db "ALTER TABLE evidence DROP COLUMN fast_records;
    ALTER TABLE process DROP COLUMN reader;
    ALTER TABLE process_end DROP COLUMN reader" || notok "drop column"
"$GEN" -n 100 -k security -s 5 -o ev/more.evtx
check_status "load into an old case" 0 "$EV" load -q -d old.db ev
check_eq "old case: the new file counted, the old ones NULL" \
    "100 100  3000  2000 " "$(fast old.db)"
check_eq "old case: its rows' reader NULL, the new file's named" \
    "|$(sqlite3 lib.db "SELECT count(*) FROM process") evtx-fast|$(sqlite3 \
    old.db "SELECT count(*) FROM process p JOIN evidence e ON e.id =
    p.evidence_id WHERE e.path LIKE '%more.evtx'") " \
    "$(sqlite3 old.db "SELECT reader, count(*) FROM process GROUP BY reader" |
    tr '\n' ' ')"

# evidence says which reader read how many records, as text and CSV.
"$EV" evidence -d fast.db > ev.txt
check "evidence: the fast reader read them all" \
    grep -q "read by the fast reader 3000, by libevtx 0" ev.txt
"$EV" evidence -d lib.db > evl.txt
check "evidence -l: libevtx read them all" \
    grep -q "read by the fast reader 0, by libevtx 2000" evl.txt
check_eq "evidence -f csv: fast_records, the last column" \
    "fast_records 3000 2000" \
    "$("$EV" evidence -d fast.db -f csv | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
print(" ".join([rows[0][-1]] + sorted((r[-1] for r in rows[1:]), reverse=True)))')"
# A case made before the column, read only: it works, the cells empty.
cp lib.db older.db
sqlite3 older.db "ALTER TABLE evidence DROP COLUMN fast_records;
    ALTER TABLE process DROP COLUMN reader;
    ALTER TABLE process_end DROP COLUMN reader" || notok "drop column"
chmod a-w older.db
check_status "evidence on an old read-only case" 0 "$EV" evidence \
    -d older.db
check_eq "evidence -f csv, old case: fast_records empty" "fast_records  " \
    "$("$EV" evidence -d older.db -f csv | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
print(" ".join([rows[0][-1]] + [r[-1] for r in rows[1:]]))')"
check "evidence, old case: no reader line" \
    sh -c "! '$EV' evidence -d older.db | grep -q 'read by'"
check_status "search on an old read-only case (no process.reader)" 0 \
    "$EV" search -d older.db -f jsonl .exe
check "search, old case: the reader is null" sh -c \
    "'$EV' search -d older.db -f text .exe > /dev/null &&
    '$EV' tree -d older.db -p 1 > /dev/null"

finish
