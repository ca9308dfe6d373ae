#!/usr/bin/python3
"""Compare the fast EVTX decoder (test-evtx-fast -d) with python-evtx on
the given files, record by record, keyed by the record's file offset:
record id, event id, time (to the microsecond, python-evtx's precision),
provider, computer, user SID, and for the process events every EventData
field.  Prints one TAP line per file and a summary of how many records
each reader read.

usage: evtx-fast-py.py TEST-EVTX-FAST FILE..."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"


def skip(why):
    print("skip - " + why)
    sys.exit(77)


try:
    import Evtx.Evtx as evtx
except ImportError:
    skip("python-evtx is not installed (apt-get install python3-evtx)")


def unesc(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s) and s[i + 1] in "\\tn":
            out.append({"\\": "\\", "t": "\t", "n": "\n"}[s[i + 1]])
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def fast_records(prog, path):
    recs, declined = {}, 0
    out = subprocess.run([prog, "-d", path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    for line in out.decode("utf-8", "surrogateescape").split("\n"):
        if not line:
            continue
        cols = line.split("\t")
        if cols[1] == "declined":
            declined += 1
            continue
        fields = []
        for c in cols[7:]:
            name, _, value = c.partition("=")
            fields.append((unesc(name), unesc(value)))
        recs[int(cols[0])] = {
            "id": int(cols[1]), "eid": int(cols[2]), "time": cols[3],
            "provider": unesc(cols[4]), "computer": unesc(cols[5]),
            "user": unesc(cols[6]), "fields": fields}
    return recs, declined


def py_time(t):
    # python-evtx: "2024-03-01 00:00:01.438960" (microseconds).
    t = t.replace(" ", "T").rstrip("Z")
    if "." not in t:
        t += ".000000"
    head, frac = t.split(".")
    return head + "." + (frac + "000000")[:6]


def near(a, b):
    # python-evtx converts FILETIME through a float: allow 2 us.
    import datetime
    if a is None or b is None:
        return a == b
    try:
        f = "%Y-%m-%dT%H:%M:%S.%f"
        d = datetime.datetime.strptime(a, f) - datetime.datetime.strptime(b, f)
        return abs(d.total_seconds()) <= 2e-6
    except ValueError:
        return a == b


GUID = re.compile(r"^\{[0-9A-Fa-f-]{36}\}$")


def guid_case(v):
    # python-evtx writes GUIDs in lower case, libevtx in upper case.  Its
    # XML loses control characters and CR on the way through a parser:
    # compare what XML can carry.
    v = v.replace("\r", "\n")
    v = "".join(ch for ch in v if ch in "\t\n" or
                not (ord(ch) < 0x20 or ord(ch) == 0x7f))
    return v.upper() if GUID.match(v) else v


def escape_py(s):
    # The fast decoder shows an embedded NUL and a lone surrogate as
    # \u0000 and \uD800; python-evtx keeps them as characters.
    out = []
    for ch in s:
        o = ord(ch)
        if o == 0 or 0xd800 <= o < 0xe000:
            out.append("\\u%04X" % o)
        else:
            out.append(ch)
    return "".join(out)


def compare(prog, path):
    fast, declined = fast_records(prog, path)
    diffs, read, failed, both = [], 0, 0, 0
    try:
        log = evtx.Evtx(path)
        log.__enter__()
    except Exception as e:
        return None, "python-evtx cannot open: %s" % e
    seen = set()
    try:
        records = list(r for c in log.chunks() for r in c.records())
    except Exception:
        records = []
    for rec in records:
        off = rec.offset()
        try:
            x = ET.fromstring(rec.xml())
        except Exception:
            failed += 1
            continue
        read += 1
        seen.add(off)
        f = fast.get(off)
        if f is None:
            continue
        both += 1
        sy = x.find(NS + "System")
        def text(name):
            e = sy.find(NS + name)
            return e.text or "" if e is not None else None
        def attr(name, a):
            e = sy.find(NS + name)
            return e.get(a) if e is not None else None
        eid = int(text("EventID") or 0)
        prov = attr("Provider", "Name") or ""
        tc = attr("TimeCreated", "SystemTime")
        got = {"eid": eid, "provider": escape_py(prov),
               "computer": escape_py(text("Computer") or ""),
               "user": escape_py(attr("Security", "UserID") or ""),
               "time": py_time(tc) if tc else None}
        want = {"eid": f["eid"], "provider": f["provider"],
                "computer": f["computer"], "user": f["user"],
                "time": f["time"][:26] if tc else None}
        for k in got:
            if k == "time" and near(got[k], want[k]):
                continue
            if got[k] != want[k]:
                diffs.append("offset %d %s: python-evtx %r fast %r" %
                             (off, k, got[k], want[k]))
        if f["fields"]:
            ed = x.find(NS + "EventData")
            pf = []
            for i, d in enumerate(ed.findall(NS + "Data")
                                  if ed is not None else []):
                pf.append((d.get("Name") or "Data%d" % i,
                           guid_case(escape_py(d.text or ""))))
            ff = [(n, guid_case(v)) for n, v in f["fields"]]
            if pf != ff:
                for a, b in zip(pf + [None] * len(f["fields"]),
                                ff + [None] * len(pf)):
                    if a != b:
                        diffs.append("offset %d field: python-evtx %r "
                                     "fast %r" % (off, a, b))
                        break
    only_fast = sorted(set(fast) - seen)
    return (read, failed, len(fast), declined, both, only_fast), diffs


def main():
    prog = sys.argv[1]
    tot = [0, 0, 0, 0, 0, 0]
    bad = 0
    for path in sys.argv[2:]:
        res, diffs = compare(prog, path)
        if res is None:
            print("# %s: %s" % (path, diffs))
            continue
        read, failed, nfast, declined, both, only_fast = res
        for i, v in enumerate((read, failed, nfast, declined, both,
                               len(only_fast))):
            tot[i] += v
        for off in only_fast[:5]:
            print("# %s: only fast: offset %d" % (path, off))
        for d in diffs[:10]:
            print("#   " + d)
        print("%s - python-evtx %s: %d read, %d failed; fast %d read, "
              "%d declined; %d both, %d only fast, %d differences" %
              ("not ok" if diffs else "ok", path, read, failed, nfast,
               declined, both, len(only_fast), len(diffs)))
        bad |= bool(diffs)
    print("# total: python-evtx %d read, %d failed; fast %d read, "
          "%d declined; %d both, %d only fast" % tuple(tot))
    return bad


sys.exit(main())
