#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Time new TLS connections through several arms, interleaved.

usage: latency.py [--count N] [--name NAME] [--bulk BYTES [--upload]]
                  ARM=NETNS=ADDR...

For each of N rounds, in a fresh random order of the arms, one connection
per arm: a socket made inside that arm's client namespace (setns), then
connect, TLS handshake with SNI NAME, "GET /", and the first byte of the
answer. Time from just before connect() to that byte. Interleaving per
connection puts machine drift on every arm alike.

Prints one line per arm: "ARM ok=K fail=F median_us=M p99_us=P" (over the
connections that got an answer), and the first failure's reason, if any.

--bulk BYTES: instead, per round and arm, "GET /bulk/BYTES" and read it
all; prints "ARM ok=K fail=F median_mbps=M" (whole transfer, handshake
included). With --upload, "PUT /sink" of BYTES instead, to the server's
answer.
"""
import argparse
import ctypes
import os
import random
import socket
import ssl
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


BLOCK = b"u" * 262144


def one(ctx, nsfd, homefd, addr, name, timeout, bulk=0, upload=False):
    setns(nsfd)
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    finally:
        setns(homefd)
    sock.settimeout(timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        t0 = time.perf_counter_ns()
        sock.connect((addr, 443))
        tls = ctx.wrap_socket(sock, server_hostname=name)
        if bulk and upload:
            tls.sendall(b"PUT /sink HTTP/1.0\r\nContent-Length: %d\r\n\r\n" % bulk)
            left = bulk
            while left > 0:
                tls.sendall(BLOCK[:min(left, len(BLOCK))])
                left -= len(BLOCK)
            if not tls.recv(1):
                raise OSError("closed before an answer")
        elif bulk:
            tls.sendall(b"GET /bulk/%d HTTP/1.0\r\n\r\n" % bulk)
            got = 0
            while True:
                d = tls.recv(262144)
                if not d:
                    break
                got += len(d)
            if got < bulk:
                raise OSError("short transfer: %d of %d bytes" % (got, bulk))
        else:
            tls.sendall(b"GET / HTTP/1.0\r\n\r\n")
            if not tls.recv(1):
                raise OSError("closed before an answer")
        t1 = time.perf_counter_ns()
        tls.close()
        return (t1 - t0) // 1000, None
    except (OSError, ssl.SSLError) as e:
        sock.close()
        return None, "%s: %s" % (type(e).__name__, e)


def pct(vals, p):
    vals = sorted(vals)
    return vals[min(len(vals) - 1, int(round(p / 100.0 * (len(vals) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--name", default="allowed.test")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--bulk", type=int, default=0)
    ap.add_argument("--upload", action="store_true")
    ap.add_argument("arms", nargs="+")
    args = ap.parse_args()
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    homefd = os.open("/proc/self/ns/net", os.O_RDONLY)
    arms = []
    for spec in args.arms:
        arm, ns, addr = spec.split("=")
        arms.append((arm, os.open("/run/netns/" + ns, os.O_RDONLY), addr))
    times = {a[0]: [] for a in arms}
    fails = {a[0]: [] for a in arms}
    for _ in range(args.count):
        order = arms[:]
        random.shuffle(order)
        for arm, fd, addr in order:
            us, err = one(ctx, fd, homefd, addr, args.name, args.timeout, args.bulk,
                          args.upload)
            if us is None:
                fails[arm].append(err)
            else:
                times[arm].append(us)
    for arm, _, _ in arms:
        t = times[arm]
        line = "%s ok=%d fail=%d" % (arm, len(t), len(fails[arm]))
        if t and args.bulk:
            line += " median_mbps=%d" % (args.bulk * 8 / pct(t, 50))
        elif t:
            line += " median_us=%d p99_us=%d" % (pct(t, 50), pct(t, 99))
        if fails[arm]:
            line += " first_failure=%r" % fails[arm][0]
        print(line)


if __name__ == "__main__":
    main()
