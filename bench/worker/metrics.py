#!/usr/bin/env python3
"""Helpers for bench/worker/run.sh: read the worker's Prometheus text.
  metrics.py value URL NAME            -> value of an unlabelled series (0 if absent)
  metrics.py buckets URL NAME          -> "le=count ..." cumulative buckets of a histogram
  metrics.py p99 BEFORE AFTER          -> p99 upper bucket bound from two "buckets" snapshots (delta)
"""
import sys, urllib.request

def fetch(url):
    # OpenTelemetry's exporter writes an unlabelled series as "name{} value": drop the empty braces.
    return urllib.request.urlopen(url, timeout=10).read().decode().replace("{} ", " ")

def value(url, name):
    for line in fetch(url).splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0

def buckets(url, name):
    out = []
    for line in fetch(url).splitlines():
        if line.startswith(name + "_bucket{"):
            le = line.split('le="')[1].split('"')[0]
            out.append(f"{le}={line.split()[1]}")
    return " ".join(out)

def parse(s):
    return [(k, float(v)) for k, v in (x.split("=") for x in s.split())]

def quantile(before, after, q):
    b = dict(parse(before)); a = parse(after)
    delta = [(le, c - b.get(le, 0.0)) for le, c in a]
    total = delta[-1][1]
    if total <= 0:
        return "n/a"
    for le, c in delta:
        if c >= q * total:
            return le
    return "+Inf"

def stages(url):
    v = {}
    for line in fetch(url).splitlines():
        if line.startswith("#") or not line.strip():
            continue
        k, x = line.rsplit(" ", 1)
        v[k] = float(x)
    for h in ("pvmonitor_scoring_latency_seconds", "pvmonitor_store_latency_seconds", "pvmonitor_batch_size"):
        n = v.get(h + "_count", 0)
        print(f"{h}: mean {v.get(h + '_sum', 0) / n if n else 0:.4f} over {int(n)} batches")

if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "value": print(int(value(sys.argv[2], sys.argv[3])))
    elif cmd == "buckets": print(buckets(sys.argv[2], sys.argv[3]))
    elif cmd == "p99": print(quantile(sys.argv[2], sys.argv[3], 0.99))
    elif cmd == "stages": stages(sys.argv[2])
    elif cmd == "p50": print(quantile(sys.argv[2], sys.argv[3], 0.50))
