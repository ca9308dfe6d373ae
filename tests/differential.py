#!/usr/bin/python3
"""Differential test: every process-creation record that python-evtx reads
in the real logs (../shared/evtx-real) must be in the case evtriage makes
of them, with the same field values; records python-evtx cannot read are
counted, and evtriage must have counted its own failures too.

Run by make check with /usr/bin/python3 (Debian's python3-evtx); prints
TAP, with its plan at the end."""

import atexit
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
PROVIDERS = {1: "Microsoft-Windows-Sysmon", 4688:
             "Microsoft-Windows-Security-Auditing"}

failed = 0
count = 0


def plan():
    print("1..%d" % count)


atexit.register(plan)


def ok(name):
    global count
    count += 1
    print("ok - " + name)


def notok(name, why):
    global count, failed
    count += 1
    failed = 1
    print("not ok - " + name)
    for line in why.splitlines()[:20]:
        print("#   " + line)


def skip(why):
    atexit.unregister(plan)
    print("1..0 # SKIP " + why)
    sys.exit(0)


try:
    import Evtx.Evtx as evtx
except ImportError:
    skip("python-evtx is not installed (apt-get install python3-evtx)")

real = os.environ.get("EVTRIAGE_REAL", "../shared/evtx-real")
if not os.path.isdir(real):
    skip("no real logs at %s (they live beside the project)" % real)
prog = os.environ.get("EVTRIAGE", "./evtriage")


def norm_time(t):
    # python-evtx rounds to the microsecond, evtriage keeps 100 ns:
    # compare as microseconds, allowing the rounding.
    import datetime
    t = t.replace(" ", "T").rstrip("Z")
    if "." in t:
        head, frac = t.split(".")
        frac = (frac + "0000000")[:7]
    else:
        head, frac = t, "0000000"
    d = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S")
    return int(d.replace(tzinfo=datetime.timezone.utc).timestamp()) * \
        10000000 + int(frac)


def same_time(a, b):
    # python-evtx converts FILETIME through a float: allow 5 us.
    return abs(norm_time(a) - norm_time(b)) <= 50


def norm_value(v):
    # GUIDs: python-evtx prints them in lower case, libevtx (like
    # Windows' own renderer) in upper case.
    if len(v) == 38 and v[0] == "{" and v[-1] == "}":
        return v.upper()
    return v


def read_python(path):
    """Process-creation events python-evtx reads, and its failures."""
    events = {}
    failures = 0
    try:
        with evtx.Evtx(path) as log:
            for rec in log.records():
                try:
                    root = ET.fromstring(rec.xml())
                except Exception:
                    failures += 1
                    continue
                sysn = root.find(NS + "System")
                if sysn is None:
                    continue
                eid = int(sysn.findtext(NS + "EventID"))
                prov = sysn.find(NS + "Provider").get("Name")
                if PROVIDERS.get(eid) != prov:
                    continue
                data = root.find(NS + "EventData")
                fields = []
                if data is not None:
                    for d in data.findall(NS + "Data"):
                        fields.append((d.get("Name"), d.text or ""))
                rid = int(sysn.findtext(NS + "EventRecordID"))
                events[rid] = {
                    "event_id": eid,
                    "dest": sysn.findtext(NS + "Computer"),
                    "time": sysn.find(NS + "TimeCreated")
                                      .get("SystemTime"),
                    "fields": fields,
                }
    except Exception as e:
        failures += 1
    return events, failures


with tempfile.TemporaryDirectory() as tmp:
    case = os.path.join(tmp, "real.db")
    r = subprocess.run([prog, "load", "-q", "-d", case, real],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        notok("evtriage loads the real logs", r.stderr)
        sys.exit(1)
    ok("evtriage loads the real logs (exit %d)" % r.returncode)
    db = sqlite3.connect(case)
    ours = {}
    for path, rid, eid, dest, t, fields in db.execute(
            "SELECT e.path, p.record_id, p.event_id, p.dest, p._time, "
            "p.fields FROM process p JOIN evidence_path e "
            "ON e.evidence_id = p.evidence_id WHERE p.recovered = 0"):
        ours[(path, rid)] = (eid, dest, t, json.loads(fields,
                             object_pairs_hook=list))
    total = matched = 0
    py_fail = 0
    missing = []
    differ = []
    unread = dict(db.execute("SELECT p.path, e.unreadable FROM evidence e "
                             "JOIN evidence_path p ON p.evidence_id = e.id"))
    for top, dirs, files in os.walk(real):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            with open(path, "rb") as f:
                if f.read(8) != b"ElfFile\0":
                    continue
            events, fails = read_python(path)
            py_fail += fails
            lost = [rid for rid in events if (path, rid) not in ours]
            if len(lost) > unread.get(path, 0):
                missing.append("%s: %d records not in the case, only %d "
                               "counted unreadable" % (path, len(lost),
                                                       unread.get(path, 0)))
            elif lost:
                print("# %s: %d records python-evtx reads are among the %d "
                      "evtriage counted unreadable" % (path, len(lost),
                                                       unread[path]))
            for rid, ev in events.items():
                total += 1
                mine = ours.get((path, rid))
                if mine is None:
                    continue
                eid, dest, t, fields = mine
                want = [[k, norm_value(v)] for k, v in ev["fields"]]
                got = [[k, norm_value(v)] for k, v in fields]
                if (eid != ev["event_id"] or dest != ev["dest"] or
                        not same_time(t, ev["time"]) or got != want):
                    differ.append("%s record %d:\n  python-evtx %r\n"
                                  "  evtriage    %r" % (
                                      path, rid,
                                      (ev["event_id"], ev["dest"],
                                       ev["time"], want),
                                      (eid, dest, t, got)))
                    continue
                matched += 1
    print("# python-evtx read %d process-creation records (%d records "
          "it could not read); evtriage matched %d" % (total, py_fail,
                                                      matched))
    if total < 1000:
        notok("python-evtx finds the real process events", "only %d"
              % total)
    else:
        ok("python-evtx finds %d process events" % total)
    if missing:
        notok("every record python-evtx reads is in the case or counted",
              "%d missing, e.g.\n%s" % (len(missing),
                                         "\n".join(missing[:5])))
    else:
        ok("every record python-evtx reads is in the case or counted")
    if differ:
        notok("every field reads the same in both",
              "%d differ, e.g.\n%s" % (len(differ),
                                        "\n".join(differ[:3])))
    else:
        ok("every field reads the same in both")
    un = db.execute("SELECT sum(unreadable) FROM evidence").fetchone()[0]
    # One problem row a record libevtx failed on, and one a file for the
    # records its chunk headers declare that libevtx never returned.
    # Slack-space candidates (recovered = 1) are not the log's records.
    probs = db.execute("SELECT (SELECT count(*) FROM problem WHERE kind = "
                       "'record' AND recovered = 0) + (SELECT "
                       "coalesce(sum(CAST(reason AS "
                       "INTEGER)), 0) FROM problem WHERE kind = 'missing')"
                       ).fetchone()[0]
    if un and un == probs:
        ok("unreadable records are counted (%d) and listed" % un)
    else:
        notok("unreadable records are counted and listed",
              "evidence says %s, problem table has %s" % (un, probs))
sys.exit(failed)
