#!/usr/bin/python3
# fdrgen: write the incident an evtxgen scenario describes as CrowdStrike
# Falcon Data Replicator JSON lines, the way the sensor would have seen
# it, for tests/fdr.sh to compare with the EVTX scan of the same file.
#
#	tests/fdrgen.py [-a HOST] [-d] SCENARIO > events.json
#
# sysmon1 lines become ProcessRollup2 events, sysmon5 EndOfProcess and
# the others a DnsRequest (events evtriage counts and skips).  The
# mapping: time -> timestamp (epoch ms) and ProcessStartTime (epoch s with
# ms), computer -> ComputerName and an aid (hex of the name's MD5),
# ProcessId -> RawProcessId, Image -> ImageFileName, CommandLine,
# User -> UserName, ProcessGuid and ParentProcessGuid -> TargetProcessId
# and ParentProcessId (numbers the sensor gives, unique on the host),
# ParentImage -> ParentBaseFileName, Hashes -> SHA256HashData.
# -a HOST leaves ComputerName out of that host's events (only its aid);
# -d writes ImageFileName as the kernel device path the sensor reports
# (\Device\HarddiskVolume3\Windows\...) rather than with a drive letter.
# Scenario times must have at most millisecond precision.
import datetime
import hashlib
import json
import re
import sys


def words(line):
    """Split a scenario line as evtxgen does: bare or "quoted" values."""
    out, i, n = [], 0, len(line)
    while i < n:
        while i < n and line[i] in ' \t':
            i += 1
        if i >= n:
            break
        j = i
        while j < n and line[j] not in ' \t=':
            j += 1
        key = line[i:j]
        if j >= n or line[j] != '=':
            out.append((key, None))
            i = j
            continue
        j += 1
        if j < n and line[j] == '"':
            v, j = [], j + 1
            while j < n:
                if line[j] == '"':
                    if j + 1 < n and line[j + 1] == '"':
                        v.append('"')
                        j += 2
                        continue
                    j += 1
                    break
                v.append(line[j])
                j += 1
            out.append((key, ''.join(v)))
        else:
            k = j
            while j < n and line[j] not in ' \t':
                j += 1
            out.append((key, line[k:j]))
        i = j
    return out


def unpercent(v):
    """%xNN is a byte and %u{X} a code point, as in evtxgen."""
    b = bytearray()
    i = 0
    while i < len(v):
        m = re.match(r'%x([0-9a-fA-F]{2})|%u\{([0-9a-fA-F]{1,7})\}', v[i:])
        if m and m.group(1):
            b.append(int(m.group(1), 16))
        elif m:
            b += chr(int(m.group(2), 16)).encode()
        else:
            b += v[i].encode()
            i += 1
            continue
        i += m.end()
    return b.decode('utf-8')


def aid_of(host):
    return hashlib.md5(host.encode()).hexdigest()


def main(argv):
    noname, device, args = set(), False, argv[1:]
    while args and args[0].startswith('-'):
        if args[0] == '-a':
            noname.add(args[1])
            args = args[2:]
        elif args[0] == '-d':
            device = True
            args = args[1:]
        else:
            sys.exit('usage: fdrgen.py [-a HOST] [-d] SCENARIO')
    ids = {}
    clock = datetime.datetime(2024, 3, 5, 9, 0, 0,
                              tzinfo=datetime.timezone.utc)
    first = True
    with open(args[0], encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line == '' or line.startswith('#'):
                continue
            w = words(line)
            kind = w[0][0]
            kv = dict((k, unpercent(v or '')) for k, v in w[1:])
            if 'time' in kv:
                clock = datetime.datetime.fromisoformat(
                    kv['time'].rstrip('Z')[:26]).replace(
                        tzinfo=datetime.timezone.utc)
            elif not first:
                clock += datetime.timedelta(seconds=1)
            first = False
            ms = int(round(clock.timestamp() * 1000))
            host = kv.get('computer', 'WS01.corp.example.com')

            def tid(guid):
                key = (host, guid)
                if key not in ids:
                    ids[key] = str(4294967296 + 1000 * (len(ids) + 1))
                return ids[key]

            ev = {'event_simpleName': None, 'timestamp': str(ms),
                  'aid': aid_of(host), 'cid': 'c0ffee' * 5 + '00',
                  'event_platform': 'Win'}
            if host not in noname:
                ev['ComputerName'] = host
            if kind == 'sysmon1':
                ev['event_simpleName'] = 'ProcessRollup2'
                ev['name'] = 'ProcessRollup2V19'
                ev['ProcessStartTime'] = '%d.%03d' % (ms // 1000,
                                                      ms % 1000)
                if 'ProcessId' in kv:
                    ev['RawProcessId'] = kv['ProcessId']
                if 'ProcessGuid' in kv:
                    ev['TargetProcessId'] = tid(kv['ProcessGuid'])
                if 'ParentProcessGuid' in kv:
                    ev['ParentProcessId'] = tid(kv['ParentProcessGuid'])
                img = kv.get('Image')
                if img is not None:
                    if device and len(img) > 2 and img[1] == ':':
                        img = '\\Device\\HarddiskVolume3' + img[2:]
                    ev['ImageFileName'] = img
                if 'CommandLine' in kv:
                    ev['CommandLine'] = kv['CommandLine']
                if 'User' in kv:
                    ev['UserName'] = kv['User']
                ev['UserSid'] = 'S-1-5-21-1004336348-1177238915-' \
                    '682003330-1001'
                if 'ParentImage' in kv:
                    ev['ParentBaseFileName'] = \
                        kv['ParentImage'].replace('/', '\\').split('\\')[-1]
                h = kv.get('Hashes', '')
                if h.startswith('SHA256='):
                    ev['SHA256HashData'] = h[7:].lower()
            elif kind == 'sysmon5':
                ev['event_simpleName'] = 'EndOfProcess'
                if 'ProcessGuid' in kv:
                    ev['TargetProcessId'] = tid(kv['ProcessGuid'])
                if 'ProcessId' in kv:
                    ev['RawProcessId'] = kv['ProcessId']
            else:
                ev['event_simpleName'] = 'DnsRequest'
                ev['DomainName'] = 'example.com'
            sys.stdout.write(json.dumps(ev, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main(sys.argv)
