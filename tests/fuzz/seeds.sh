#!/bin/sh
# seeds.sh TARGET DIR: put the seed inputs of a fuzz target in DIR.
# fuzz-evtx-fast gets every chunk of a few logs; other EVTX targets
# (fuzz-evtx*) get the sample logs and logs written by
# tests/evtxgen (every scenario, every damage kind, synthetic logs of
# both kinds, one of them two chunks long); fuzz-detect the detections
# in db/detections/; fuzz-filter samples/filters.csv and a few variants;
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
