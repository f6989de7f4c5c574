#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A plain TCP client on a fixed source port: connects to ADDR:PORT from
SPORT, sends the bytes of FILE and prints what became of it: "reset",
"eof", "data" (the server answered), "quiet" (connected, no answer within
WAIT seconds) or "noconnect" (no handshake within WAIT seconds). SRC:
the source address (default: the kernel's choice).

usage: fixed_port_client.py ADDR PORT SPORT FILE [WAIT [SRC]]"""
import socket
import sys


def main():
    addr, port, sport, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    wait = float(sys.argv[5]) if len(sys.argv) > 5 else 5
    src = sys.argv[6] if len(sys.argv) > 6 else ""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((src, sport))
    s.settimeout(wait)
    try:
        s.connect((addr, port))
    except socket.timeout:
        print("noconnect")
        return
    except ConnectionRefusedError:
        print("reset")
        return
    try:
        with open(path, "rb") as f:
            s.sendall(f.read())
        print("data" if s.recv(100) else "eof")
    except ConnectionResetError:
        print("reset")
    except socket.timeout:
        print("quiet")


if __name__ == "__main__":
    main()
