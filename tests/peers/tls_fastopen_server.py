#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TLS server that accepts TCP Fast Open: clients with a cookie may put
the start of their ClientHello in the SYN. Answers any request with a
short HTTP reply. Needs net.ipv4.tcp_fastopen with the server bit (2).

usage: tls_fastopen_server.py PORT CERT KEY"""
import socket
import ssl
import sys
import threading


def serve(ctx, conn):
    try:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.recv(4096)
            tls.sendall(b"HTTP/1.0 200 OK\r\n\r\nfastopen\r\n")
    except (OSError, ssl.SSLError):
        pass


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
    sock.bind(("0.0.0.0", int(sys.argv[1])))
    sock.listen(16)
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(ctx, conn), daemon=True).start()


if __name__ == "__main__":
    main()
