#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ask a DNS server for NAME's A (or AAAA) records over UDP or TCP and
print each address of the answer, one per line. Exit 1 if there is none.
With --many N, ask for NAME0 .. NAME(N-1) (NAME holding a '%d') over UDP
as fast as answers come, and print how many were answered.

usage: dns_query.py [--tcp] [--aaaa] [--many N] SERVER NAME"""
import random
import socket
import struct
import sys


def query(name, qtype):
    qid = random.randrange(65536)
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return qid, q + b"\0" + struct.pack("!HH", qtype, 1)


def skip_name(msg, off):
    while True:
        n = msg[off]
        if n >= 0xC0:
            return off + 2
        if n == 0:
            return off + 1
        off += 1 + n


def addresses(msg, qid):
    rid, flags, qd, an = struct.unpack("!HHHH", msg[:8])
    if rid != qid or not flags & 0x8000:
        raise ValueError("not our answer")
    off = 12
    for _ in range(qd):
        off = skip_name(msg, off) + 4
    out = []
    for _ in range(an):
        off = skip_name(msg, off)
        rtype, _, _, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        if rtype == 1:
            out.append(socket.inet_ntop(socket.AF_INET, msg[off:off + 4]))
        elif rtype == 28:
            out.append(socket.inet_ntop(socket.AF_INET6, msg[off:off + 16]))
        off += rdlen
    return out


def family(server):
    return socket.AF_INET6 if ":" in server else socket.AF_INET


def ask_udp(server, name, qtype):
    qid, q = query(name, qtype)
    with socket.socket(family(server), socket.SOCK_DGRAM) as s:
        s.settimeout(5)
        s.sendto(q, (server, 53))
        return addresses(s.recv(65535), qid)


def ask_tcp(server, name, qtype):
    qid, q = query(name, qtype)
    with socket.create_connection((server, 53), timeout=5) as s:
        s.sendall(struct.pack("!H", len(q)) + q)
        data = b""
        while len(data) < 2 or len(data) < 2 + struct.unpack("!H", data[:2])[0]:
            chunk = s.recv(65535)
            if not chunk:
                raise ValueError("short answer")
            data += chunk
        return addresses(data[2:], qid)


def main():
    args = sys.argv[1:]
    tcp = "--tcp" in args
    qtype = 28 if "--aaaa" in args else 1
    many = 0
    if "--many" in args:
        many = int(args[args.index("--many") + 1])
        del args[args.index("--many"):args.index("--many") + 2]
    args = [a for a in args if not a.startswith("--")]
    server, name = args
    if many:
        answered = 0
        for i in range(many):
            try:
                if ask_udp(server, name % i, qtype):
                    answered += 1
            except (OSError, ValueError):
                pass
        print(answered)
        return 0
    addrs = (ask_tcp if tcp else ask_udp)(server, name, qtype)
    for a in addrs:
        print(a)
    return 0 if addrs else 1


if __name__ == "__main__":
    sys.exit(main())
