#!/usr/bin/python3
# xml-export.py FORM IN.evtx OUT: write the events of an EVTX log as an
# XML export of one of the forms responders receive, from evtxexport's
# rendering (libevtx-utils):
#   bare      events one after another, no root (wevtutil qe /f:xml)
#   wrapped   an XML declaration and <Events> around them ("Save as XML")
#   splunk    one <Event> a line, attributes in single quotes, no
#             indentation (Splunk's XmlWinEventLog)
#   utf16     wrapped, as UTF-16LE with a BOM (PowerShell's redirection)
#   utf16be   wrapped, as UTF-16BE with a BOM
#   prefixed  wrapped, every element with a namespace prefix (ev:Event)
#   cdata     bare, every Data value in a CDATA section
#   crlf      wrapped, with Windows line ends
# Exit status 77 if evtxexport is not installed.
import re
import shutil
import subprocess
import sys

form, src, out = sys.argv[1:4]
if shutil.which("evtxexport") is None:
    sys.exit(77)
text = subprocess.run(["evtxexport", "-f", "xml", src], check=True,
                      capture_output=True, text=True).stdout
events = re.findall(r"<Event[ >].*?</Event>", text, re.S)

if form == "splunk":
    lines = []
    for e in events:
        e = re.sub(r">\s+<", "><", e)
        e = re.sub(r'(\s[A-Za-z:]+)="([^"]*)"', r"\1='\2'", e)
        lines.append(e)
    body = "\n".join(lines) + "\n"
elif form == "cdata":
    body = "\n".join(re.sub(r'(<Data Name="[^"]*">)([^<]*)(</Data>)',
                            lambda m: m.group(1) + "<![CDATA[" +
                            m.group(2).replace("&lt;", "<")
                            .replace("&gt;", ">").replace("&amp;", "&")
                            .replace("]]>", "]]]]><![CDATA[>") +
                            "]]>" + m.group(3), e) for e in events) + "\n"
elif form == "bare":
    body = "\n".join(events) + "\n"
else:
    evs = events
    if form == "prefixed":
        evs = [re.sub(r"<(/?)([A-Za-z]+)", r"<\1ev:\2",
                      e.replace(' xmlns="', ' xmlns:ev="')) for e in events]
    body = ('<?xml version="1.0" encoding="%s"?>\n<Events>\n' %
            ("UTF-16" if form.startswith("utf16") else "UTF-8") +
            "\n".join(evs) + "\n</Events>\n")

if form == "crlf":
    body = body.replace("\n", "\r\n")
if form == "utf16":
    data = b"\xff\xfe" + body.encode("utf-16-le")
elif form == "utf16be":
    data = b"\xfe\xff" + body.encode("utf-16-be")
else:
    data = body.encode("utf-8")
with open(out, "wb") as f:
    f.write(data)
