#!/bin/sh
# seeds.sh TARGET DIR: put the seed inputs of a fuzz target in DIR.
# fuzz-evtx-fast gets every chunk of a few logs; other EVTX targets
# (fuzz-evtx*) get the sample logs and logs written by
# tests/evtxgen (every scenario, every damage kind, synthetic logs of
# both kinds, one of them two chunks long); fuzz-detect the detections
# in db/detections/; fuzz-filter samples/filters.csv and a few variants;
# fuzz-xml the sample logs and a scenario as XML exports of every form
# (tests/xml-export.py, with evtxexport) and a few hostile ones.
# fuzz-fdr every scenario as FDR JSON lines (tests/fdrgen.py), one of
# them gzip'd, and lines that are bad in each way tests/fdr.sh tries.
# fuzz-archive small zips, tars and a .gz of a sample log.
# fuzz-image small FAT and NTFS disk images holding a log.
# Env: srcdir, EVTXGEN (default ./tests/evtxgen).
: "${srcdir:=.}"
: "${EVTXGEN:=./tests/evtxgen}"
t=$1 d=$2
mkdir -p "$d" || exit 1
case $t in
fuzz-evtx-fast)
	# The fast decoder's target takes one chunk: every chunk of a few logs.
	"$EVTXGEN" -n 400 -k security -o "$d/.seed1.evtx"
	"$EVTXGEN" -n 300 -k sysmon -o "$d/.seed2.evtx"
	"$EVTXGEN" -o "$d/.seed3.evtx" "$srcdir/tests/scenarios/hostile.txt"
	i=0
	for f in "$d"/.seed*.evtx "$srcdir"/samples/evidence/*/*.evtx; do
		sz=$(wc -c < "$f")
		k=0
		while [ $((4096 + (k + 1) * 65536)) -le "$sz" ]; do
			i=$((i + 1))
			tail -c +$((4096 + k * 65536 + 1)) "$f" |
			    head -c 65536 > "$d/chunk$i"
			k=$((k + 1))
		done
	done
	rm -f "$d"/.seed*.evtx
	;;
fuzz-evtx*)
	for f in "$srcdir"/samples/evidence/*/*.evtx; do
		cp "$f" "$d/sample-$(basename "$(dirname "$f")").evtx"
	done
	for s in "$srcdir"/tests/scenarios/*.txt "$srcdir"/samples/scenarios/*.txt; do
		"$EVTXGEN" -o "$d/scenario-$(basename "$s" .txt).evtx" "$s"
	done
	for k in dirty truncated badcrc badheadercrc garbage random \
	    hugesizes zero badmagic; do
		"$EVTXGEN" -D $k -o "$d/damage-$k.evtx"
	done
	"$EVTXGEN" -n 40 -k security -s 1 -o "$d/n-security.evtx"
	"$EVTXGEN" -n 40 -k sysmon -s 2 -o "$d/n-sysmon.evtx"
	"$EVTXGEN" -d -n 400 -k sysmon -p 0.5 -s 3 -o "$d/n-two-chunks.evtx"
	;;
fuzz-xml)
	mkdir -p "$d/HOSTILE"
	"$EVTXGEN" -o "$d/HOSTILE/log.evtx" "$srcdir/tests/scenarios/hostile.txt"
	for form in bare wrapped splunk utf16 utf16be prefixed cdata crlf; do
		for f in "$srcdir"/samples/evidence/*/*.evtx "$d/HOSTILE/log.evtx"; do
			/usr/bin/python3 "$srcdir/tests/xml-export.py" $form "$f" \
			    "$d/$form-$(basename "$(dirname "$f")").xml" || break
		done
	done
	rm -rf "$d/HOSTILE"
	e='<Event><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>1</EventID></System><EventData><Data Name="Image">C:\a.exe</Data><Data Name="CommandLine">a &amp; &#x41;<![CDATA[</Event>]]></Data></EventData></Event>'
	printf '%s\n%s\n' "$e" "$e" > "$d/small.xml"
	printf '<?xml version="1.0"?>\n<!DOCTYPE Events [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]>\n<Events>%s<Evnt>%s</Events>\n' \
	    "$e" "$e" > "$d/doctype.xml"
	printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n%s\n' "$e" |
	    sed 's/a.exe/\xe9.exe/' > "$d/latin1.xml"
	printf '%s' "$e" | head -c 150 > "$d/cut.xml"
	;;
fuzz-archive)
	/usr/bin/python3 - "$srcdir/samples/evidence/WS03/Microsoft-Windows-Sysmon%4Operational.evtx" "$d" <<'EOF'
import gzip, io, os, sys, tarfile, zipfile
log, d = sys.argv[1], sys.argv[2]
data = open(log, "rb").read()
def z(name, method, entries):
    with zipfile.ZipFile(os.path.join(d, name), "w", method) as f:
        for n, b in entries:
            f.writestr(n, b)
z("deflated.zip", zipfile.ZIP_DEFLATED, [("Logs/Sysmon.evtx", data),
    ("notes.txt", b"collected\n")])
z("stored.zip", zipfile.ZIP_STORED, [("Sysmon.evtx", data)])
inner = open(os.path.join(d, "stored.zip"), "rb").read()
z("nested.zip", zipfile.ZIP_DEFLATED, [("inner.zip", inner)])
for name, mode in (("c.tar", "w"), ("c.tar.gz", "w:gz")):
    with tarfile.open(os.path.join(d, name), mode) as t:
        ti = tarfile.TarInfo("Logs/Sysmon.evtx"); ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
open(os.path.join(d, "Sysmon.evtx.gz"), "wb").write(gzip.compress(data))
EOF
	;;
fuzz-detect*)
	cp "$srcdir"/db/detections/*.sql "$d/"
	;;
fuzz-fdr*)
	for s in "$srcdir"/tests/scenarios/*.txt "$srcdir"/samples/scenarios/*.txt; do
		/usr/bin/python3 "$srcdir/tests/fdrgen.py" "$s" \
		    > "$d/scenario-$(basename "$s" .txt).json" 2> /dev/null ||
		    rm -f "$d/scenario-$(basename "$s" .txt).json"
	done
	/usr/bin/python3 "$srcdir/tests/fdrgen.py" -a WS01 -d \
	    "$srcdir/tests/scenarios/report.txt" | gzip -c > "$d/report.json.gz"
	printf '%s\n' '{"event_simpleName":"ProcessRollup2","timestamp":"1709633647123","ComputerName":"W","CommandLine":"a\u0000b\ud800\ud83d\ude00","RawProcessId":"7","TargetProcessId":"1","ParentProcessId":"2","SHA256HashData":"ab","MD5HashData":"cd","UserSid":"S-1-5-18"}' \
	    '{"event_simpleName":"SyntheticProcessRollup2","ProcessStartTime":"1709633647.5","aid":"x","ImageFileName":"\\Device\\x.exe","n":[1,{"a":null}],"t":true}' \
	    'not json' '{"event_simpleName":5}' '{"a":[[[[[[1]]]]]]}' \
	    '{"event_simpleName":"DnsRequest","x":-1.5e+3}' > "$d/lines.json"
	;;
fuzz-filter*)
	cp "$srcdir/samples/filters.csv" "$d/filters.csv"
	printf '1,d,f,p,"a ""quoted"" reason",u,,\r\n1,d,g,*x*,r,u,,\n' \
	    > "$d/quoted.csv"
	printf "filter,detection,field,pattern,reason,added_by,added_at,expires\n2,d,,,'=formula,u,2024-01-01T00:00:00Z,2025-01-01T00:00:00Z\n" \
	    > "$d/header.csv"
	;;
fuzz-image)
	# Small disk images holding a log in winevt/Logs: FAT alone, on an
	# MBR and on a GPT disk (mkfs.fat, mmd, mcopy: no mount), and NTFS
	# where tests/ntfsput is built.  Each is under 4 MB.
	log=$srcdir/samples/evidence/SRV02/Security.evtx
	fat=$d/.fat
	rm -f "$fat"
	mkfs.fat -C -n EVIDENCE "$fat" 1024 > /dev/null 2>&1 || exit 0
	mmd -i "$fat" ::/Windows ::/Windows/System32 \
	    ::/Windows/System32/winevt ::/Windows/System32/winevt/Logs
	mcopy -i "$fat" "$log" ::/Windows/System32/winevt/Logs/Security.evtx
	mcopy -i "$fat" "$log" ::/copy.evtx
	cp "$fat" "$d/fat.img"
	truncate -s 1200K "$d/mbr-fat.img"
	printf 'label: dos\nstart=63, size=2048, type=1\n' |
	    sfdisk -q "$d/mbr-fat.img" > /dev/null 2>&1
	dd if="$fat" of="$d/mbr-fat.img" bs=512 seek=63 conv=notrunc \
	    2> /dev/null
	truncate -s 1200K "$d/gpt-fat.img"
	sgdisk -a 1 -n 1:34:+1M -t 1:0700 "$d/gpt-fat.img" > /dev/null 2>&1
	dd if="$fat" of="$d/gpt-fat.img" bs=512 seek=34 conv=notrunc \
	    2> /dev/null
	rm -f "$fat"
	if [ -x ./tests/ntfsput ]; then
		truncate -s 2M "$d/ntfs.img"
		mkntfs -F -Q -q "$d/ntfs.img" > /dev/null 2>&1 &&
		./tests/ntfsput "$d/ntfs.img" "$log" \
		    /Windows/System32/winevt/Logs/Security.evtx > /dev/null
	fi
	;;
*)
	echo "seeds.sh: no seeds for '$t'" >&2
	exit 1
	;;
esac
