#!/usr/bin/python3
# exfatput.py IMAGE FILE /PATH: write FILE into the exFAT file system
# that mkfs.exfat made in IMAGE, at /PATH, making its folders: the
# fixture tests/image.sh reads through libtsk, made without mounting
# (Debian has no tool that writes into exFAT without FUSE).  Only what a
# fresh file system needs: entries are appended to a folder's first
# cluster, clusters are taken from the end of those in use, and each
# file is a chain in the FAT (and contiguous).  The layout follows
# Microsoft's exFAT file system specification.
import os, struct, sys, time


def checksum(data, skip):
    c = 0
    for i, b in enumerate(data):
        if i in skip:
            continue
        c = (((c << 15) | (c >> 1)) + b) & 0xFFFF
    return c


class Exfat:
    def __init__(self, path):
        self.f = open(path, "r+b")
        b = self.read(0, 512)
        if b[3:11] != b"EXFAT   ":
            sys.exit("exfatput: %s: not exFAT" % path)
        (self.fat, _, self.heap, self.count,
            self.root) = struct.unpack_from("<IIIII", b, 80)
        self.sector = 1 << b[108]
        self.csize = self.sector << b[109]
        self.fat *= self.sector
        self.heap *= self.sector
        self.bitmap = None
        for off, e in self.entries(self.root):
            if e[0] == 0x81:
                self.bitmap = struct.unpack_from("<I", e, 20)[0]
        used = self.read(self.cluster(self.bitmap), (self.count + 7) // 8)
        self.next = 2 + max(i * 8 + j for i, x in enumerate(used)
            for j in range(8) if x >> j & 1) + 1

    def read(self, off, n):
        self.f.seek(off)
        return self.f.read(n)

    def write(self, off, data):
        self.f.seek(off)
        self.f.write(data)

    def cluster(self, n):
        return self.heap + (n - 2) * self.csize

    def entries(self, dircluster):
        base = self.cluster(dircluster)
        d = self.read(base, self.csize)
        for i in range(0, self.csize, 32):
            if d[i] == 0:
                return
            yield base + i, d[i:i + 32]

    def alloc(self, n):
        first = self.next
        for c in range(first, first + n):
            bm = self.cluster(self.bitmap) + (c - 2) // 8
            x = self.read(bm, 1)[0] | 1 << ((c - 2) % 8)
            self.write(bm, bytes([x]))
            nxt = c + 1 if c < first + n - 1 else 0xFFFFFFFF
            self.write(self.fat + 4 * c, struct.pack("<I", nxt))
        self.next += n
        return first

    def find(self, dircluster, name):
        it = list(self.entries(dircluster))
        for k, (off, e) in enumerate(it):
            if e[0] != 0x85:
                continue
            stream = it[k + 1][1]
            nlen = stream[3]
            chars = b"".join(it[k + 2 + j][1][2:32]
                for j in range((nlen + 14) // 15))
            if chars[:2 * nlen].decode("utf-16-le").upper() == name.upper():
                return struct.unpack_from("<I", stream, 20)[0]
        return None

    def add(self, dircluster, name, attr, first, size):
        u = name.encode("utf-16-le")
        nlen = len(name)
        h = checksum(name.upper().encode("utf-16-le"), ())
        t = time.gmtime(1709632800)	# 2024-03-05T10:00:00Z
        stamp = ((t.tm_year - 1980) << 25 | t.tm_mon << 21 |
            t.tm_mday << 16 | t.tm_hour << 11 | t.tm_min << 5 |
            t.tm_sec // 2)
        names = (nlen + 14) // 15
        e = bytearray(32 * (2 + names))
        e[0] = 0x85
        e[1] = 1 + names
        struct.pack_into("<H", e, 4, attr)
        struct.pack_into("<III", e, 8, stamp, stamp, stamp)
        e[22:25] = b"\x80\x80\x80"	# UTC
        s = 32
        e[s] = 0xC0
        e[s + 1] = 0x01			# allocation possible, FAT chain
        e[s + 3] = nlen
        struct.pack_into("<H", e, s + 4, h)
        struct.pack_into("<Q", e, s + 8, size)
        struct.pack_into("<I", e, s + 20, first)
        struct.pack_into("<Q", e, s + 24, size)
        for j in range(names):
            o = 64 + 32 * j
            e[o] = 0xC1
            part = u[30 * j:30 * j + 30]
            e[o + 2:o + 2 + len(part)] = part
        struct.pack_into("<H", e, 2, checksum(e, (2, 3)))
        end = self.cluster(dircluster)
        for off, x in self.entries(dircluster):
            end = off + 32
        if end + len(e) > self.cluster(dircluster) + self.csize:
            sys.exit("exfatput: folder full")
        self.write(end, bytes(e))

    def put(self, src, path):
        data = open(src, "rb").read()
        parts = [p for p in path.split("/") if p]
        d = self.root
        for p in parts[:-1]:
            c = self.find(d, p)
            if c is None:
                c = self.alloc(1)
                self.write(self.cluster(c), b"\0" * self.csize)
                self.add(d, p, 0x10, c, self.csize)
            d = c
        n = max(1, (len(data) + self.csize - 1) // self.csize)
        c = self.alloc(n)
        self.write(self.cluster(c), data)
        self.add(d, parts[-1], 0x20, c, len(data))
        return c


if len(sys.argv) != 4:
    sys.exit("usage: exfatput.py image file /path")
x = Exfat(sys.argv[1])
print(x.put(sys.argv[2], sys.argv[3]))
