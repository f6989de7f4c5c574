#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TCP server that records what its application reads: every byte each
connection delivers is appended to LOG (one file for all connections), so
a test can tell what got past the gateway to the server's application.
With GREETING, the server speaks first: it sends GREETING on accept.

usage: sink_server.py PORT LOG [GREETING]"""
import socket
import sys
import threading

lock = threading.Lock()


def serve(conn, log, greeting):
    with conn:
        try:
            if greeting:
                conn.sendall(greeting)
            conn.settimeout(30)
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                with lock, open(log, "ab") as f:
                    f.write(data)
        except OSError:
            return


def main():
    port, log = int(sys.argv[1]), sys.argv[2]
    greeting = sys.argv[3].encode() if len(sys.argv) > 3 else b""
    open(log, "ab").close()
    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", port))
    sock.listen(64)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(conn, log, greeting),
                         daemon=True).start()


if __name__ == "__main__":
    main()
