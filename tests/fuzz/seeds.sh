#!/bin/sh
# seeds.sh TARGET DIR: put the seed inputs of a fuzz target in DIR.
# fuzz-evtx-fast gets every chunk of a few logs; other EVTX targets
# (fuzz-evtx*) get the sample logs and logs written by
# tests/evtxgen (every scenario, every damage kind, synthetic logs of
# both kinds, one of them two chunks long); fuzz-detect the detections
# in db/detections/; fuzz-filter samples/filters.csv and a few variants;
# fuzz-archive small zips, tars and a .gz of a sample log.
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
fuzz-filter*)
	cp "$srcdir/samples/filters.csv" "$d/filters.csv"
	printf '1,d,f,p,"a ""quoted"" reason",u,,\r\n1,d,g,*x*,r,u,,\n' \
	    > "$d/quoted.csv"
	printf "filter,detection,field,pattern,reason,added_by,added_at,expires\n2,d,,,'=formula,u,2024-01-01T00:00:00Z,2025-01-01T00:00:00Z\n" \
	    > "$d/header.csv"
	;;
*)
	echo "seeds.sh: no seeds for '$t'" >&2
	exit 1
	;;
esac
