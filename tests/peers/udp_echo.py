#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP echo for the QUIC port. As a server (serve PORT) it echoes every
datagram and logs one line per datagram to stdout. As a client (send ADDR
PORT) it sends one QUIC-looking datagram and prints "echo" if it comes
back within 3 s, "refused" if the network answered with an ICMP error,
"timeout" otherwise; exit 0 only for "echo".

usage: udp_echo.py serve PORT | udp_echo.py send ADDR PORT"""
import socket
import sys


def serve(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    while True:
        data, peer = s.recvfrom(65535)
        print("datagram from", peer[0], flush=True)
        s.sendto(data, peer)


def send(addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(3)
        s.connect((addr, port))
        # a long-header QUIC Initial starts 0xc0 | ..., version 1
        s.send(b"\xc3\x00\x00\x00\x01" + b"\x00" * 1195)
        try:
            s.recv(65535)
        except socket.timeout:
            print("timeout")
            return 1
        except OSError:
            print("refused")
            return 1
    print("echo")
    return 0


def main():
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
        return 0
    return send(sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    sys.exit(main())
