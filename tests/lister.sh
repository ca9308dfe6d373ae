#!/bin/sh
# The lister of a folder's tar.gz (triage/ingest-list.c), from a review
# of its first version, at which each of these failed: an archive inside
# the tar.gz with a record larger than a wire frame, handed out in parts;
# an interrupt is not a crash of the lister; a listing that failed once
# is forgotten when a rescan lists the archive in full; the bulk load is
# decided on a guess of the logs, not the compressed size; the progress
# line says more files are to come while an archive is listed.
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
cd "$T" || exit 1
for i in 1 2 3; do
	"$EVTXGEN" -n 300 -k security -s $i -o l$i.evtx ||
	    skip_all "evtxgen failed"
done

# 1. A tar.gz holding a tar whose record (one report per entry, 50000
# entries with 1400-byte names) is more than a frame (INGEST_WIRE_MAX,
# 64 MiB): the lister sends the nested archive's whole record as one
# 'L', the loader takes it for a lost stream, and the rest of the
# tar.gz (after.evtx) is not read.  The same tar in a plain tar (walked
# by the walk's child, no frame) is read.
/usr/bin/python3 - <<'EOF' || notok "making the archives"
import os, tarfile
with tarfile.open('inner.tar', 'w', format=tarfile.PAX_FORMAT) as t:
    t.add('l1.evtx', arcname='first.evtx')
    for i in range(50000):
        ti = tarfile.TarInfo('d/' + 'x' * 1400 + '%06d.txt' % i)
        ti.size = 0
        t.addfile(ti)
os.makedirs('tgz'); os.makedirs('tar')
with tarfile.open('tgz/outer.tar.gz', 'w:gz', compresslevel=1) as t:
    t.add('inner.tar'); t.add('l2.evtx', arcname='after.evtx')
with tarfile.open('tar/outer.tar', 'w') as t:
    t.add('inner.tar'); t.add('l2.evtx', arcname='after.evtx')
os.remove('inner.tar')
EOF
"$EVTRIAGE" load -j 2 -d tar.db tar > /dev/null 2> tar.err
check "nested record: a plain tar reads both logs" grep -qF \
    "2 EVTX files (2 read," tar.err
"$EVTRIAGE" load -j 2 -d tgz.db tgz > /dev/null 2> tgz.err
check "nested record: the tar.gz reads both logs too" grep -qF \
    "2 EVTX files (2 read," tgz.err
check "nested record: the lister is not taken for broken" sh -c \
    '! grep -q "listing the archive went wrong" tgz.err'
rm -rf tgz tar

# 2. Interrupted while a lister runs (^C reaches the whole process
# group): the lister's death by SIGINT is not a crash of it, the run is
# not partial for it, and the case does not keep saying the archive was
# not read once a rerun has read it all.  A race: tried 6 times.
mkdir ev && tar czf ev/c.tar.gz l1.evtx l2.evtx l3.evtx
bad=0
for k in 1 2 3 4 5 6; do
	rm -f i.db*
	EVTRIAGE_TEST_LIST_HANG=1 setsid "$EVTRIAGE" load -j 2 -d i.db ev \
	    > /dev/null 2> i$k.err &
	p=$!
	sleep 1.$k
	kill -INT -- -$p
	wait $p
	if grep -q "listing the archive crashed (Interrupt)" i$k.err; then
		bad=$k
		break
	fi
done
check_eq "^C: the lister is not named as crashed" 0 "$bad"
if [ "$bad" != 0 ]; then
	"$EVTRIAGE" load -j 2 -d i.db ev > /dev/null 2>&1
	check_eq "^C, then a full rerun: nothing is left as not read" 0 \
	    "$("$EVTRIAGE" evidence -d i.db 2>&1 | grep -c "not read:")"
fi

# 3. A lister that crashed (or timed out) once: a rescan reads the rest
# of the archive, and the case stops saying it was not read (its
# problem row has the archive's path, which never enters evidence_path,
# so db_evidence_unread reports it for ever: the report never clean).
EVTRIAGE_TEST_LIST_CRASH=2 "$EVTRIAGE" load -j 1 -d lc.db ev \
    > /dev/null 2>&1
"$EVTRIAGE" load -j 1 -d lc.db ev > /dev/null 2> lc2.err
check "a crashed lister, rescanned: all 3 logs in the case" grep -qF \
    "3 EVTX files (" lc2.err
check_eq "a crashed lister, rescanned: not listed as not read" 0 \
    "$("$EVTRIAGE" evidence -d lc.db 2>&1 | grep -c "not read:")"

# 4. The bulk load (indexes dropped) is decided at the first new log's
# hash against bytes_total - bytes_done, which holds a deferred tar.gz's
# compressed size, not its logs': the same 40 logs as a plain tar drop
# the indexes in a case of ~3000 rows, as a tar.gz they do not.
mkdir pre big tgz4 tar4
for i in $(seq 200 249); do
	"$EVTXGEN" -n 300 -k security -s $i -o pre/p$i.evtx || notok evtxgen
done
for i in $(seq 100 139); do
	"$EVTXGEN" -n 300 -k security -s $i -o big/b$i.evtx || notok evtxgen
done
tar czf tgz4/b.tar.gz big && tar cf tar4/b.tar big
for k in tgz4 tar4; do
	"$EVTRIAGE" load -q -j 2 -d $k.db pre > /dev/null 2>&1
	"$EVTRIAGE" load -v -j 2 -d $k.db $k > /dev/null 2> $k.err
done
check_eq "bulk load: a tar.gz decides as the same logs in a tar" \
    "$(grep -c "indexes dropped" tar4.err)" \
    "$(grep -c "indexes dropped" tgz4.err)"

# 5. The progress line: while the lister has logs still to hand out it
# says every file is done (files 6/6) and a second or two left.
if command -v script > /dev/null 2>&1; then
	mkdir pev
	tar czf pev/s.tar.gz big
	EVTRIAGE_TEST_LIST_HANG=6 script -qc "$EVTRIAGE load -j 1 -T 4 \
	    -d p.db pev" /dev/null > p.tty 2>&1
	check "progress: not all done while the lister lists" sh -c \
	    "! tr '\\r' '\\n' < p.tty | grep -q 'files 6/6, .*listing'"
	check "progress: files to come while the lister lists" sh -c \
	    "tr '\\r' '\\n' < p.tty | grep -q 'files [0-9]*/[0-9]*+, '"
else
	skip "progress: no script(1)"
fi

finish
