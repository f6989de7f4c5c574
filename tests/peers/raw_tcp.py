#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile TCP client: it crafts its own IPv4 segments (raw sockets),
so it can send what a normal stack never would: bytes before the first
data byte, urgent data, data in a RST, segments after a deadline, ICMP
errors about its own flow.

It does the handshake itself, then runs STEPs in order and prints one
JSON object: {"synack": bool, "rst": bool, "data": "<hex of the server's
payload bytes>"}. The kernel of the client's namespace must not answer
the server's segments with resets of its own: the caller drops outgoing
resets whose mark is not 1 (this script marks its packets 1).

usage: raw_tcp.py SRC DST DPORT SPORT STEP...
  syn                     the handshake (SYN, wait for SYN-ACK, ACK)
  send:OFF:FLAGS:HEXDATA  a segment at data offset OFF (0 = first data
                          byte, -1 = the SYN's own sequence number), TCP
                          flags from "APRFU" (U sets the urgent pointer)
  sendfile:OFF:FLAGS:PATH the same, the payload read from PATH
  icmp:OFF:HEXDATA        an ICMP error (type 3, code 3) about the flow,
                          whose bytes after the ICMP header read as a TCP
                          segment at OFF carrying HEXDATA (see icmp_error)
  ack                     a bare ACK at the next data offset
  wait:SECONDS            collect the server's segments for SECONDS
  ttl:N                   send the following packets with TTL N
  isn:DELTA               move the initial sequence number by DELTA
                          (before syn: a SYN other than the first)
  rawsyn                  a SYN, without waiting for an answer
  forgeack:OFF:IFACE:MAC  a forged ACK from the server acknowledging data
                          up to offset OFF, in an Ethernet frame out of
                          IFACE to MAC (the gateway), which sends it back
"""
import json
import os
import random
import select
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(src, dst, proto, payload, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload),
                      random.randint(0, 0xffff), 0, ttl, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags, data=b"", urg=0):
    bits = 0
    for c, b in (("F", 1), ("S", 2), ("R", 4), ("P", 8), ("A", 16), ("U", 32)):
        if c in flags:
            bits |= b
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                      ack & 0xffffffff, 5 << 4, bits, 64240, 0, urg)
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src),
                         socket.inet_aton(dst), 0, 6, len(hdr) + len(data))
    c = csum(pseudo + hdr + data)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + data


class Flow:
    def __init__(self, src, dst, dport, sport):
        self.src, self.dst, self.dport, self.sport = src, dst, dport, sport
        self.out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        self.out.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, 1)
        self.inp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
        self.isn = random.randint(0, 0xffffffff)
        self.rcv = 0
        self.sent = 0
        self.ttl = 64
        self.result = {"synack": False, "rst": False, "data": ""}

    def emit(self, proto, payload):
        self.out.sendto(ip4(self.src, self.dst, proto, payload, self.ttl),
                        (self.dst, 0))

    def segment(self, off, flags, data=b"", urg=0):
        seq = self.isn + 1 + off if off >= 0 else self.isn
        self.emit(6, tcp(self.src, self.dst, self.sport, self.dport, seq,
                         self.rcv, flags, data, urg))

    def collect(self, seconds, until_synack=False):
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([self.inp], [], [], max(0, end - time.time()))
            if not r:
                break
            pkt = self.inp.recv(65535)
            ihl = (pkt[0] & 15) * 4
            if pkt[9] != 6 or socket.inet_ntoa(pkt[12:16]) != self.dst:
                continue
            sport, dport, seq, ack, off, fl = struct.unpack("!HHIIBB", pkt[ihl:ihl + 14])
            if sport != self.dport or dport != self.sport:
                continue
            payload = pkt[ihl + (off >> 4) * 4:]
            if fl & 4:
                self.result["rst"] = True
            if fl & 2 and fl & 16 and ack == (self.isn + 1) & 0xffffffff:
                self.result["synack"] = True
                self.rcv = seq + 1
                if until_synack:
                    return
            if payload:
                self.result["data"] += payload.hex()

    def rawsyn(self):
        self.emit(6, tcp(self.src, self.dst, self.sport, self.dport,
                         self.isn, 0, "S"))

    def syn(self):
        self.rawsyn()
        self.collect(5, until_synack=True)
        if self.result["synack"]:
            self.segment(0, "A")

    def forge_ack(self, off, iface, mac):
        seg = tcp(self.dst, self.src, self.dport, self.sport, self.rcv,
                  self.isn + 1 + off, "A")
        with open("/sys/class/net/%s/address" % iface) as fh:
            own = fh.read().strip()
        frame = (bytes.fromhex(mac.replace(":", "")) +
                 bytes.fromhex(own.replace(":", "")) + b"\x08\x00" +
                 ip4(self.dst, self.src, 6, seg, self.ttl))
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
            s.bind((iface, 0))
            s.send(frame)

    def icmp_error(self, off, data):
        """ICMP destination unreachable whose bytes, read from the ICMP
        header on as if they were a TCP header, give a segment of this
        flow: the ICMP checksum lands on the destination port, so the
        payload is padded until the checksum equals it; the unused word is
        the sequence number; the embedded IP header's identification puts
        a data offset of 8 words in the right place."""
        seq = (self.isn + 1 + off) & 0xffffffff
        # The embedded packet: the server's segment to us (reply direction).
        inner_tcp = struct.pack("!HHI", self.dport, self.sport, self.rcv & 0xffffffff)
        ident = 0x80 << 8          # byte 12 of the ICMP message: doff 8
        inner_ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, ident, 0, 64, 6,
                               0, socket.inet_aton(self.dst),
                               socket.inet_aton(self.src))
        inner_ip = inner_ip[:10] + struct.pack("!H", csum(inner_ip)) + inner_ip[12:]
        # ICMP header (8) + inner IP (20) + 4 bytes = 32 = doff 8 words.
        body = inner_ip + inner_tcp[:4]
        for pad in range(65536):
            filler = struct.pack("!H", pad)
            msg = struct.pack("!BBHI", 3, 3, 0, seq) + body + data + filler
            if csum(msg) == self.dport:
                break
        self.emit(1, msg[:2] + struct.pack("!H", csum(msg)) + msg[4:])


def main():
    src, dst, dport, sport = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    f = Flow(src, dst, dport, sport)
    for step in sys.argv[5:]:
        op, _, arg = step.partition(":")
        if op == "syn":
            f.syn()
        elif op in ("send", "sendfile"):
            off, flags, data = arg.split(":", 2)
            if op == "sendfile":
                with open(data, "rb") as fh:
                    data = fh.read()
            else:
                data = bytes.fromhex(data)
            f.segment(int(off), flags, data, urg=1 if "U" in flags else 0)
            if int(off) >= 0:
                f.sent = max(f.sent, int(off) + len(data))
        elif op == "icmp":
            off, data = arg.split(":", 1)
            f.icmp_error(int(off), bytes.fromhex(data))
        elif op == "ack":
            f.segment(f.sent, "A")
        elif op == "wait":
            f.collect(float(arg))
        elif op == "ttl":
            f.ttl = int(arg)
        elif op == "isn":
            f.isn = (f.isn + int(arg)) & 0xffffffff
        elif op == "rawsyn":
            f.rawsyn()
        elif op == "forgeack":
            off, iface, mac = arg.split(":", 2)
            f.forge_ack(int(off), iface, mac)
        else:
            sys.exit("raw_tcp.py: unknown step %r" % step)
    print(json.dumps(f.result))


if __name__ == "__main__":
    main()
