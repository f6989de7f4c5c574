#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send COUNT bare SYNs from SRC to DST:PORT, each from another source
port, as fast as a raw socket takes them: the flood of a client that
wants the gateway's table of flows waiting for a ClientHello.

usage: syn_flood.py SRC DST PORT COUNT"""
import socket
import sys

from raw_tcp import ip4, tcp


def main():
    src, dst, port, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, 1)
        for i in range(count):
            sport = 20000 + i % 40000
            s.sendto(ip4(src, dst, 6, tcp(src, dst, sport, port, i * 7919, 0, "S")),
                     (dst, 0))


if __name__ == "__main__":
    main()
