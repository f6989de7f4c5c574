#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A plain TCP service for the non-TLS ports: greets each client with
BANNER and echoes one line back, on every address (IPv4 and IPv6).

usage: banner_server.py PORT BANNER"""
import socket
import sys
import threading


def serve(conn):
    with conn:
        conn.sendall(sys.argv[2].encode() + b"\r\n")
        data = conn.recv(4096)
        if data:
            conn.sendall(data)


def main():
    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", int(sys.argv[1])))
    sock.listen(64)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
