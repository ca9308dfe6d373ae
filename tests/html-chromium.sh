#!/bin/sh
# The HTML report in a real browser: Debian's chromium, headless, loads
# report.html without errors, shows the hit's process tree, and runs
# none of the evidence's markup.  Skips when chromium is not installed
# (apt-get install chromium).
. "${srcdir:-.}/tests/lib.sh" || exit 1

CHROMIUM=
for c in chromium chromium-browser; do
	command -v $c > /dev/null 2>&1 && CHROMIUM=$(command -v $c) && break
done
[ -n "$CHROMIUM" ] || skip_all "chromium not installed (apt-get install chromium)"
[ -x "$EVTXGEN" ] || skip_all "no evtxgen"
srcdir=$(cd "$srcdir" && pwd)
cd "$T" || exit 2
"$EVTXGEN" -o r.evtx "$srcdir/tests/scenarios/report.txt" &&
    "$EVTXGEN" -o h.evtx "$srcdir/tests/scenarios/hostile.txt" ||
    skip_all "evtxgen failed"
"$EVTRIAGE" scan -q -d case.db -o out r.evtx h.evtx > /dev/null

chromium_run() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --user-data-dir="$T/profile" \
	    --enable-logging=stderr --v=0 "$@"
}
chromium_run --dump-dom "file://$T/out/report.html" > dom.html \
    2> chromium.err
check_eq "chromium renders the report" 0 $?
check "the DOM has the hits section" grep -q '<section id="hits">' dom.html
check "the DOM shows the tree's ancestors" grep -q \
    '<li>2024-03-05 10:14:05.5000000Z <b>cmd.exe</b> pid 2000' dom.html
check "the DOM marks the hit in its tree" \
    grep -q '<li class="hit"><mark>▶ HIT</mark> 2024-03-05 10:14:07.1234567Z <b>msiexec.exe</b>' dom.html
check "the DOM shows the hit's child" \
    grep -q '<b>rundll32.exe</b> pid 4000' dom.html
check "the DOM shows the placeholder parent" \
    grep -q '<li class="ph">\[not in the logs\] <b>services.exe</b>' dom.html
check "the DOM has the summary above the first evidence table" awk '
/<section id="executive">/ { s = NR } /<section id="evidence">/ { e = NR }
END { exit !(s > 0 && e > s) }' dom.html
check "the DOM has the summary's hosts and timeline" sh -c \
    "grep -q '<table class=\"hosts\" id=\"hosts\">' dom.html &&
    grep -q '<svg xmlns' dom.html"
check_eq "the DOM has no script element" 0 "$(grep -ci '<script' dom.html)"
check_eq "the DOM has no img element" 0 "$(grep -ci '<img' dom.html)"
check "the DOM shows the script as text" \
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' dom.html
check_eq "chromium reports no console or load errors" "" \
    "$(grep -i 'CONSOLE\|ERR_FILE\|Uncaught\|Refused' chromium.err | grep -iv 'dbus\|gpu\|sandbox\|crashpad\|fontconfig\|Fontconfig')"

chromium_run --screenshot="$T/shot.png" --window-size=1280,2400 \
    "file://$T/out/report.html" > /dev/null 2>&1
check "chromium takes a screenshot" test -s shot.png
[ -n "$EVTRIAGE_KEEP_SHOT" ] && cp shot.png "$EVTRIAGE_KEEP_SHOT"
chromium_run --print-to-pdf="$T/report.pdf" --no-pdf-header-footer \
    "file://$T/out/report.html" > /dev/null 2>&1
check "chromium prints the report to PDF" test -s report.pdf
finish
