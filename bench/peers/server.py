#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The server side of bench/vm-peers.sh: one process for every arm.

Listens on PORT (all IPv4 addresses of its namespace) and, per connection,
by the local address the client reached:
  - an address given with --plain: plain HTTP (the "HTTP on 443" case);
  - any other: TLS with CERT/KEY, then HTTP.
HTTP: "GET /bulk/N" answers N bytes (download throughput), "PUT /sink"
with a Content-Length reads that many bytes before it answers with the
short page (upload throughput), anything else gets the short page. One
thread per connection, so a slow arm never holds up another.
"""
import argparse
import re
import socket
import ssl
import threading

PAGE = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
CHUNK = b"x" * 65536


def serve(conn, ctx, plain):
    try:
        conn.settimeout(30)
        if conn.getsockname()[0] not in plain:
            conn = ctx.wrap_socket(conn, server_side=True)
        req = b""
        while b"\r\n\r\n" not in req and len(req) < 8192:
            data = conn.recv(4096)
            if not data:
                return
            req += data
        path = req.split(b" ", 2)[1] if req.count(b" ") >= 2 else b"/"
        if path == b"/sink":
            head, _, body = req.partition(b"\r\n\r\n")
            m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            left = int(m.group(1)) - len(body) if m else 0
            while left > 0:
                data = conn.recv(262144)
                if not data:
                    return
                left -= len(data)
            conn.sendall(PAGE)
        elif path.startswith(b"/bulk/"):
            n = int(path[6:])
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % n)
            while n > 0:
                conn.sendall(CHUNK[:min(n, len(CHUNK))])
                n -= len(CHUNK)
        else:
            conn.sendall(PAGE)
    except (OSError, ssl.SSLError, ValueError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=443)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--plain", action="append", default=[])
    args = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("0.0.0.0", args.port))
    lsock.listen(1024)
    plain = set(args.plain)
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=serve, args=(conn, ctx, plain), daemon=True).start()


if __name__ == "__main__":
    main()
