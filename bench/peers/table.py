#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print bench/vm-peers.sh's one table from what it measured.

usage: table.py CASES LATENCY USAGE BULK UPLOAD BULK-USAGE KMEM HELLO ARM...
CASES lines:   SIZE ARM CASE EXPECTED RESULT... [| WHY]
LATENCY lines: SIZE ARM ok=K fail=F [median_us=M p99_us=P] [first_failure=...]
USAGE lines:   SIZE ARM rss_kb=R cpu_ms=C
BULK, UPLOAD:  SIZE ARM ok=K fail=F [median_mbps=M] [first_failure=...]
BULK-USAGE:    SIZE ARM cpu_ms=C
KMEM:          SIZE ARM kmem_kb=K
HELLO:         SIZE ARM hellos=N med_ns=M p99_ns=P
A cell is "pass" when the result is what an SNI allowlist should do, else
"FAIL" with what happened; the notes under the table give the details.
The "none" arm (no filtering) shows what happened instead.
"""
import re
import sys


def read_kv(path):
    """{(SIZE, ARM): ({key: value}, rest of the line)} from a results file."""
    out = {}
    try:
        for line in open(path):
            f = line.split()
            kv = dict(x.split("=", 1) for x in f[2:] if "=" in x)
            out[f[0], f[1]] = (kv, line.split(" ", 2)[2].strip())
    except FileNotFoundError:
        pass
    return out


def main():
    (cases_file, lat_file, usage_file, bulk_file, upload_file, bulk_usage_file, kmem_file,
     hello_file) = sys.argv[1:9]
    arms = sys.argv[9:]
    cases, order, sizes = {}, [], []
    for line in open(cases_file):
        size, arm, case, expect, rest = line.rstrip("\n").split(" ", 4)
        if size not in sizes:
            sizes.append(size)
        if (case, expect) not in order:
            order.append((case, expect))
        cases[size, arm, case] = (expect, rest)
    lat, usage, bulk = read_kv(lat_file), read_kv(usage_file), read_kv(bulk_file)
    bulk_usage, kmem = read_kv(bulk_usage_file), read_kv(kmem_file)
    upload, hello = read_kv(upload_file), read_kv(hello_file)
    w0 = len("gateway user space CPU, latency run (ms)") + 1
    w = max(12, max(len(a) for a in arms) + 2)
    head = "%-*s" % (w0, "case (expected)") + "".join("%*s" % (w, a) for a in arms)
    notes = []
    for size in sizes:
        print()
        print("== %s names in the list" % size)
        print(head)
        print("-" * len(head))
        for case, expect in order:
            if not any((size, arm, case) in cases for arm in arms):
                continue  # a case run at another size only
            row = "%-*s" % (w0, "%s (%s)" % (case, expect))
            for arm in arms:
                got = cases.get((size, arm, case))
                if got is None:
                    cell = "-"
                elif arm == "none":
                    # the baseline filters nothing: show what happened
                    cell = got[1].split(":")[0].split(" ")[0]
                elif got[1].split(":")[0].split(" ")[0] == expect:
                    cell = "pass"
                else:
                    notes.append("[%d] %s names, %s, %s: %s"
                                 % (len(notes) + 1, size, arm, case, got[1]))
                    cell = "FAIL[%d]" % len(notes)
                row += "%*s" % (w, cell)
            print(row)
        base = lat.get((size, "none"), ({}, ""))[0]
        for what, key in (("median", "median_us"), ("p99", "p99_us")):
            row = "%-*s" % (w0, "added latency %s (ms)" % what)
            for arm in arms:
                kv = lat.get((size, arm), ({}, ""))[0]
                if key in kv and key in base:
                    d = (int(kv[key]) - int(base[key])) / 1000.0
                    cell = "%+.2f" % d if arm != "none" else "(%.2f)" % (int(kv[key]) / 1000.0)
                else:
                    cell = "-"
                row += "%*s" % (w, cell)
            print(row)
        row = "%-*s" % (w0, "connections ok/failed")
        for arm in arms:
            kv = lat.get((size, arm), ({}, ""))[0]
            row += "%*s" % (w, "%s/%s" % (kv.get("ok", "-"), kv.get("fail", "-")))
        print(row)
        for title, table, key, fmt in (
                ("bulk TLS download (Mbit/s)", bulk, "median_mbps", "%s"),
                ("bulk TLS upload (Mbit/s)", upload, "median_mbps", "%s"),
                ("egressfw time per hello, median (us)", hello, "med_ns", "%.0f"),
                ("egressfw time per hello, p99 (us)", hello, "p99_ns", "%.0f"),
                ("gateway user space RSS (MB)", usage, "rss_kb", "%.1f"),
                ("ruleset kernel memory (MB)", kmem, "kmem_kb", "%.1f"),
                ("gateway user space CPU, latency run (ms)", usage, "cpu_ms", "%s"),
                ("gateway user space CPU, bulk run (ms)", bulk_usage, "cpu_ms", "%s")):
            row = "%-*s" % (w0, title)
            for arm in arms:
                v = table.get((size, arm), ({}, ""))[0].get(key)
                if v is not None and key in ("rss_kb", "kmem_kb"):
                    v = int(v) / 1024.0
                elif v is not None and key.endswith("_ns"):
                    v = int(v) / 1000.0
                row += "%*s" % (w, fmt % v if v is not None else "-")
            print(row)
        for what, table in (("latency", lat), ("download", bulk), ("upload", upload)):
            for arm in arms:
                kv, raw = table.get((size, arm), ({}, ""))
                if "first_failure" in kv:
                    notes.append("[%d] %s names, %s %s: %s" % (len(notes) + 1, size, arm, what,
                                 re.sub(r".*first_failure=", "first failure: ", raw)))
    print()
    print("latency: connect() to the first byte of the answer to GET over TLS;")
    print("\"none\" shows its own value in brackets, the others the difference.")
    print("user space: the gateway namespace's processes (dnsmasq in every arm),")
    print("CPU over each run (bulk: download and upload); kernel work (nft,")
    print("NFQUEUE, egressfw) is not in it. egressfw's own time per hello is what")
    print("the module measures from its hook's entry to the verdict (bucket floors,")
    print("buckets 19% wide), over the latency run.")
    print("ruleset kernel memory: egressfw's, from its loader's memory cgroup;")
    print("not measured for the others' kernel state (nft sets, conntrack).")
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
