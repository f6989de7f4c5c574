#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TLS client that sends its ClientHello in awkward pieces.

It runs a real TLS handshake (Python's ssl over memory BIOs), but writes the
ClientHello to the socket the way a test wants it:

  --split 1         one byte per segment
  --split 50,7      cut after byte 50 and then after 7 more (the rest follows)
  --split sni       cut in the middle of the SNI host name
  --records N       re-frame the handshake message into TLS records of N
                    bytes (a ClientHello spanning several records)
  --delay MS        wait between segments (each is its own TCP segment:
                    TCP_NODELAY, and the wait keeps them apart)
  --pad N           add a padding extension so the hello is about N bytes
  --fastopen        connect with TCP Fast Open: with a cookie from an
                    earlier connection, the first piece rides in the SYN

Then it finishes the handshake, sends "GET / HTTP/1.0" and reads the reply.
Prints one word and exits: "allowed" (0: the server answered), "reset"
(1: the connection was reset), "timeout" (2), "error" (3, with a reason).
"""
import argparse
import socket
import ssl
import struct
import sys
import time


def hello_bytes(name, pad):
    """A ClientHello for NAME from a fresh client context, and its objects."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname=name)
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    if pad:
        hello = add_padding(hello, pad)
    return obj, incoming, outgoing, hello


def add_padding(record, size):
    """Grow the ClientHello with a padding extension (RFC 7685).

    The padding changes the bytes the server hashes into the transcript,
    so a padded hello only tests the firewall's verdict: any answer from
    the server counts as "allowed"."""
    body = record[5:]
    hs_len = int.from_bytes(body[1:4], "big")
    msg = body[4:4 + hs_len]
    # legacy_version, random, session id, suites, compression, extensions
    p = 2 + 32
    p += 1 + msg[p]
    p += 2 + int.from_bytes(msg[p:p + 2], "big")
    p += 1 + msg[p]
    ext_len = int.from_bytes(msg[p:p + 2], "big")
    extra = max(0, size - len(record) - 4)
    ext = struct.pack(">HH", 21, extra) + bytes(extra)
    msg = msg[:p] + struct.pack(">H", ext_len + len(ext)) + msg[p + 2:] + ext
    hs = bytes([1]) + len(msg).to_bytes(3, "big") + msg
    return record[:3] + struct.pack(">H", len(hs)) + hs


def reframe(record, size):
    """The same handshake message in records of SIZE payload bytes."""
    payload = record[5:]
    out = b""
    for i in range(0, len(payload), size):
        chunk = payload[i:i + size]
        out += record[:3] + struct.pack(">H", len(chunk)) + chunk
    return out


def cut_points(spec, data, name):
    if spec == "sni":
        at = data.find(name.encode())
        if at < 0:
            raise SystemExit("error: name not found in the hello")
        return [at + len(name) // 2]
    if spec == "1":
        return list(range(1, len(data)))
    points, at = [], 0
    for step in spec.split(","):
        at += int(step)
        if 0 < at < len(data):
            points.append(at)
    return points


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("name")
    ap.add_argument("--split", default="")
    ap.add_argument("--records", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0.0, help="ms")
    ap.add_argument("--pad", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--fastopen", action="store_true")
    args = ap.parse_args()

    obj, incoming, outgoing, hello = hello_bytes(args.name, args.pad)
    if args.records:
        hello = reframe(hello, args.records)
    points = cut_points(args.split, hello, args.name) if args.split else []

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(args.timeout)
    try:
        prev = 0
        if args.fastopen:
            first = (points + [len(hello)])[0]
            # Blocking for the connect: a timeout makes the socket
            # non-blocking, and sendto() would return EINPROGRESS.
            sock.settimeout(None)
            sent = sock.sendto(hello[:first], socket.MSG_FASTOPEN,
                               (args.host, args.port))
            sock.settimeout(args.timeout)
            sock.sendall(hello[sent:first])
            prev = first
            points = points[1:] if points else []
        else:
            sock.connect((args.host, args.port))
        for at in points + [len(hello)]:
            if at > prev:
                sock.sendall(hello[prev:at])
            prev = at
            if args.delay and at < len(hello):
                time.sleep(args.delay / 1000.0)
        if args.pad:
            # The padded hello breaks the transcript: any answer will do.
            if sock.recv(65536):
                print("allowed")
                return 0
            print("reset")
            return 1
        # The rest of the handshake, then one request.
        while True:
            data = sock.recv(65536)
            if not data:
                print("reset")  # closed without a word: treated as refused
                return 1
            incoming.write(data)
            try:
                obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                pass
            finally:
                out = outgoing.read()
                if out:
                    sock.sendall(out)
        obj.write(b"GET / HTTP/1.0\r\n\r\n")
        sock.sendall(outgoing.read())
        # Any application data from the server is the answer we wait for.
        reply = b""
        while not reply:
            data = sock.recv(65536)
            if not data:
                break
            incoming.write(data)
            try:
                reply += obj.read(65536)
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLZeroReturnError:
                break
        if not reply:
            print("error: empty reply")
            return 3
        print("allowed")
        return 0
    except (ConnectionResetError, ConnectionRefusedError, BrokenPipeError):
        print("reset")
        return 1
    except socket.timeout:
        print("timeout")
        return 2
    except ssl.SSLError as e:
        print("error: %s" % e)
        return 3
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
