#!/bin/sh
# Hostile text through every output: HTML shows it and runs nothing,
# CSV keeps it in its cell with formulas neutralised, JSON keeps it
# exactly, and the terminal gets no raw escape sequences.
. "${srcdir:-.}/tests/lib.sh" || exit 1

[ -x "$EVTXGEN" ] || skip_all "no evtxgen"
[ -x /usr/bin/python3 ] || skip_all "no /usr/bin/python3"
srcdir=$(cd "$srcdir" && pwd)
cd "$T" || exit 2
"$EVTXGEN" -o h.evtx "$srcdir/tests/scenarios/hostile.txt" ||
    skip_all "evtxgen failed"

"$EVTRIAGE" scan -d h.db -o out h.evtx > term.out 2> term.err
check_eq "scan of hostile evidence exits 3" 3 $?
check "scan's stdout has no raw ESC byte" \
    /usr/bin/python3 -c 'import sys; sys.exit(b"\x1b" in open("term.out","rb").read())'
check "scan's stderr has no raw ESC byte" \
    /usr/bin/python3 -c 'import sys; sys.exit(b"\x1b" in open("term.err","rb").read())'
check "scan shows the ESC escaped" grep -q 'msiexec /y \\x1b\[2J' term.out
check_eq "scan prints one line per hit, newlines escaped" 7 \
    "$(grep -c '^    process  ' term.out)"

h=out/report.html
check "html escapes the script tag" grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' $h
check_eq "html has no script element at all" 0 "$(grep -ci '<script' $h)"
check_eq "html has no img element" 0 "$(grep -ci '<img' $h)"
check "html escapes the onerror attribute as text" \
    grep -q '&lt;img src=x onerror=alert(2)&gt;' $h
check "html escapes quotes" grep -q '&quot;quoted&quot;' $h
check "html escapes single quotes" grep -q '&#39;single&#39;' $h
check "html marks ESC visibly" grep -q '<span class="c">\\x1b</span>\[2J' $h
check "html marks newline, CR and tab" \
    grep -q 'comma<span class="c">\\n</span>newline<span class="c">\\r</span>cr<span class="c">\\t</span>tab' $h
check "html marks the right-to-left override" \
    grep -q '<span class="c">\\xe2\\x80\\xae</span>evil' $h
check "html has no raw control byte" /usr/bin/python3 -c '
import sys
d = open("out/report.html", "rb").read()
bad = [c for c in d if c < 0x20 and c not in (9, 10)] + [c for c in d if c == 0x7f]
sys.exit(1 if bad else 0)'
check "html forbids scripts by CSP" \
    grep -q "Content-Security-Policy\" content=\"default-src 'none'" $h

# CSV: parses back into the right shape and with the exact values.
cat > csvcheck.py <<'PY'
import csv, sys
want = [
    "msiexec /y \x1b[2J\x1b]0;owned\x07 <script>alert(1)</script> x.dll",
    "=cmd|' /C calc'!A0 /y",
    "+1 -y",
    "msiexec /y \"quoted\" ,comma\nnewline\rcr\ttab 'single' & <b>",
    "-y \u202eevil\u0085nel \x7fdel",
    "@SUM(A1) /y",
    "\ttab first /y",
]
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head, body = rows[0], rows[1:]
assert len(body) == len(want), len(body)
assert all(len(r) == len(head) for r in rows), [len(r) for r in rows]
col = head.index(sys.argv[2])
got = []
for r in body:
    v = r[col]
    # The formula guard: a leading quote before = + - @ tab CR or quote.
    if v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        sys.exit("unguarded formula cell %r" % v)
    if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r", "'"):
        v = v[1:]
    got.append(v)
assert sorted(got) == sorted(want), (sorted(got), sorted(want))
users = [r[head.index("user")] for r in body]
assert "'@SUM(1+1)" in users and "''quote first" in users, users
PY
check "hits.csv parses back with guarded, exact cells" \
    /usr/bin/python3 csvcheck.py out/hits.csv process
check "timeline.csv parses back with 36 columns (hits last) a row" /usr/bin/python3 -c '
import csv
rows = list(csv.reader(open("out/timeline.csv", newline="", encoding="utf-8")))
assert len(rows) == 8 and all(len(r) == 36 for r in rows), [len(r) for r in rows]'
check "evtriage reads its own CSV back exactly" sh -c \
    "\"$EVTRIAGE\" report -d h.db -f csv | cmp -s - out/hits.csv"

# JSON: valid, and the exact text.
cat > jsoncheck.py <<'PY'
import json, sys
want = set(open(sys.argv[2], encoding="utf-8", newline="").read().split("\0")[:-1])
got = set()
for line in open(sys.argv[1], encoding="utf-8"):
    got.add(json.loads(line)["process"])
assert got == want, (got, want)
PY
/usr/bin/python3 -c '
import sys
w = ["msiexec /y \x1b[2J\x1b]0;owned\x07 <script>alert(1)</script> x.dll",
    "=cmd|'"'"' /C calc'"'"'!A0 /y", "+1 -y",
    "msiexec /y \"quoted\" ,comma\nnewline\rcr\ttab '"'"'single'"'"' & <b>",
    "-y \u202eevil\u0085nel \x7fdel", "@SUM(A1) /y", "\ttab first /y"]
open("want.txt", "w", encoding="utf-8", newline="").write("\0".join(w) + "\0")'
check "hits.jsonl parses and keeps the exact text" \
    /usr/bin/python3 jsoncheck.py out/hits.jsonl want.txt
check "timeline.jsonl and timesketch.jsonl parse" /usr/bin/python3 -c '
import json
for f in ("out/timeline.jsonl", "out/timesketch.jsonl"):
    n = sum(1 for l in open(f, encoding="utf-8") if json.loads(l))
    assert n == 7, (f, n)'

# Bytes that are not UTF-8 (evtxgen cannot write them, so plant them in
# a copy of the case): JSON stays valid with U+FFFD, CSV keeps the bytes.
cp h.db bad.db
/usr/bin/python3 -c '
import sqlite3
c = sqlite3.connect("bad.db")
c.execute("UPDATE process SET process = CAST(CAST(process AS BLOB) || X'"'"'FF28C3'"'"' AS TEXT) WHERE process LIKE '"'"'+1%'"'"'")
c.commit()'
"$EVTRIAGE" detect -q -d bad.db > /dev/null
"$EVTRIAGE" report -d bad.db -f jsonl -o bad.jsonl
check "invalid UTF-8 becomes U+FFFD in valid JSON" /usr/bin/python3 -c '
import json
v = [json.loads(l)["process"] for l in open("bad.jsonl", "rb")]
assert "+1 -y\ufffd(\ufffd" in v, v'
"$EVTRIAGE" report -d bad.db -f csv -o bad.csv
check "invalid UTF-8 is kept as bytes in CSV" /usr/bin/python3 -c '
d = open("bad.csv", "rb").read()
assert b"\"'"'"'+1 -y\xff(\xc3\"" in d'
"$EVTRIAGE" report -d bad.db -o bad.html
check "invalid UTF-8 is marked in HTML" \
    grep -q '+1 -y<span class="c">\\xff</span>(<span class="c">\\xc3</span>' bad.html
check "the HTML is valid UTF-8" /usr/bin/python3 -c '
open("bad.html", "rb").read().decode("utf-8")'
# File names are the evidence's too: messages escape them.
mkdir names
printf 'PK\003\004rest' > "names/$(printf 'x\033]0;pwned\007\302\233y').zip"
printf 'ElfFile\000' > "names/$(printf 'cut\033[2J').evtx"
"$EVTRIAGE" scan -n -d names.db names > names.out 2> names.err
check_eq "hostile file names: the run is partial" 1 $?
check "messages carry no raw C0 or C1 control from a file name" \
    /usr/bin/python3 -c 'import re, sys
t = open("names.err", "rb").read().decode("utf-8", "replace")
sys.exit(re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", t) is not None)'
check "the file name is shown escaped" grep -q 'x\\x1b\]0;pwned\\x07\\xc2\\x9by.zip' names.err

finish
