#!/usr/bin/env python3
"""Seed corpus for the print_links fuzz target: every packet of every capture file.

usage: make-seeds.py OUT_DIR CAPTURE_DIR...

Reads the classic pcap (either byte order, micro- or nanosecond magic) and pcapng (section,
interface description, enhanced, simple and obsolete packet blocks) files found in the
directories and writes one seed per distinct packet to OUT_DIR: the link type as 2 big-endian
bytes (libpcap's LT_LINKTYPE: the low 26 bits, so FCS annotations are dropped), an options byte
of 0 (see fuzz_targets/print_links.rs), then the captured bytes. Files that are not captures are
skipped; a truncated file yields the packets before the damage.
"""

import hashlib
import os
import struct
import sys


def pcap_packets(d):
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    if len(d) < 24:
        return
    linktype = struct.unpack(e + "I", d[20:24])[0] & 0x03FFFFFF
    off = 24
    while off + 16 <= len(d):
        caplen = struct.unpack(e + "I", d[off + 8 : off + 12])[0]
        data = d[off + 16 : off + 16 + caplen]
        if len(data) < caplen:
            return
        yield linktype, data
        off += 16 + caplen


def pcapng_packets(d):
    off = 0
    e = "<"
    linktypes = []
    while off + 12 <= len(d):
        btype = struct.unpack(e + "I", d[off : off + 4])[0]
        if btype == 0x0A0D0D0A:
            bom = d[off + 8 : off + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            linktypes = []
        blen = struct.unpack(e + "I", d[off + 4 : off + 8])[0]
        if blen < 12 or off + blen > len(d):
            return
        body = d[off + 8 : off + blen - 4]
        if btype == 1 and len(body) >= 8:
            linktypes.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            ifid, _, _, caplen = struct.unpack(e + "IIII", body[:16])
            if ifid < len(linktypes):
                yield linktypes[ifid], body[20 : 20 + caplen]
        elif btype == 3 and len(body) >= 4 and linktypes:
            yield linktypes[0], body[4:]
        elif btype == 2 and len(body) >= 20:
            ifid = struct.unpack(e + "H", body[:2])[0]
            caplen = struct.unpack(e + "I", body[12:16])[0]
            if ifid < len(linktypes):
                yield linktypes[ifid], body[20 : 20 + caplen]
        off += blen


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seen = set()
    files = 0
    for top in sys.argv[2:]:
        for root, _, names in os.walk(top):
            for name in sorted(names):
                with open(os.path.join(root, name), "rb") as f:
                    d = f.read()
                packets = pcapng_packets(d) if d[:4] == b"\x0a\x0d\x0d\x0a" else pcap_packets(d)
                n = 0
                for linktype, data in packets:
                    seed = struct.pack(">HB", linktype & 0xFFFF, 0) + data
                    h = hashlib.sha1(seed).hexdigest()
                    n += 1
                    if h in seen:
                        continue
                    seen.add(h)
                    with open(os.path.join(out, h), "wb") as f:
                        f.write(seed)
                files += n > 0
    print(f"{len(seen)} seeds from {files} capture files in {out}")


if __name__ == "__main__":
    main()
