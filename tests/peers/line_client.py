#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Connect to ADDR PORT, print the first line the server sends.

Prints "refused" (exit 1) if the connection is refused or reset,
"timeout" (exit 2) if nothing happens within 10 s.
usage: line_client.py ADDR PORT"""
import socket
import sys


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(10)
    try:
        sock.connect((addr, port))
        line = sock.makefile("rb").readline()
        if not line:
            print("refused")
            return 1
        print(line.decode(errors="replace").rstrip())
        return 0
    except (ConnectionRefusedError, ConnectionResetError):
        print("refused")
        return 1
    except socket.timeout:
        print("timeout")
        return 2
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
