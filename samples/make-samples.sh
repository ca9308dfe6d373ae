#!/bin/sh
# Write the sample evidence from the scenarios with the project's EVTX
# writer: make-samples.sh EVTXGEN OUTDIR.  The committed files under
# samples/evidence were made this way; tests/samples.sh checks that they
# still are.
set -e
gen=${1:?usage: make-samples.sh evtxgen outdir}
out=${2:?usage: make-samples.sh evtxgen outdir}
here=$(dirname "$0")
mkdir -p "$out/WS01" "$out/SRV02" "$out/WS03"
"$gen" -o "$out/WS01/Microsoft-Windows-Sysmon%4Operational.evtx" \
    "$here/scenarios/ws01-sysmon.txt"
"$gen" -o "$out/SRV02/Security.evtx" "$here/scenarios/srv02-security.txt"
"$gen" -o "$out/WS03/Microsoft-Windows-Sysmon%4Operational.evtx" \
    "$here/scenarios/ws03-sysmon.txt"
