#!/bin/sh
# The committed sample evidence is what the writer makes of the scenarios,
# byte for byte, and python-evtx reads it without complaint.
. "${srcdir:-.}/tests/lib.sh" || exit 1

sh "$srcdir/samples/make-samples.sh" "$EVTXGEN" "$T/ev"
for f in WS01/Microsoft-Windows-Sysmon%4Operational.evtx SRV02/Security.evtx \
    WS03/Microsoft-Windows-Sysmon%4Operational.evtx; do
	check "samples/evidence/$f is made from its scenario" \
	    cmp -s "$T/ev/$f" "$srcdir/samples/evidence/$f"
done
if /usr/bin/python3 -c 'import Evtx' 2>/dev/null; then
	n=$(/usr/bin/python3 -c '
import sys, Evtx.Evtx as E
n = 0
for p in sys.argv[1:]:
    with E.Evtx(p) as log:
        for r in log.records():
            r.xml()
            n += 1
print(n)' "$T"/ev/*/*.evtx)
	check_eq "python-evtx reads every sample record" 25 "$n"
else
	echo "# python-evtx not installed: reader check skipped"
fi
finish
