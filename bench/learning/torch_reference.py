#!/usr/bin/env python3
"""PyTorch 1.13 CPU reference for bench/learning (same shapes and harness as Program.cs: warm-up, then the median
of many timed samples). Usage: /usr/bin/python3 bench/learning/torch_reference.py [--threads 2] [--seconds 2] [--json]
"""
import argparse
import json
import time

import torch


def median_per_call(fn, seconds=2.0, warmup=200):
    for _ in range(warmup):
        fn()
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.02:
        fn()
        calls += 1
    per_sample = max(1, int(calls * 0.002 / (time.perf_counter() - t0)))
    samples, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds or len(samples) < 15:
        s = time.perf_counter()
        for _ in range(per_sample):
            fn()
        samples.append((time.perf_counter() - s) / per_sample)
    samples.sort()
    return samples[len(samples) // 2], samples[0]


def report(args, name, t, gflops=None, rows=None):
    median, best = t
    if args.json:
        d = {"name": name, "median_us": round(median * 1e6, 2), "min_us": round(best * 1e6, 2)}
        if gflops is not None:
            d["gflops"] = round(gflops, 2)
        if rows is not None:
            d["rows_per_s"] = round(rows)
        print(json.dumps(d))
    else:
        extra = f"  {gflops:7.1f} GFLOP/s" if gflops is not None else ""
        if rows is not None:
            extra += f"  {rows:10.0f} rows/s"
        print(f"{name:<62} median {median * 1e6:9.1f} µs  min {best * 1e6:9.1f} µs{extra}")


def matmul(args, m, k, n):
    a = torch.rand(m, k) * 2 - 1
    b = torch.rand(k, n) * 2 - 1
    out = torch.empty(m, n)
    t = median_per_call(lambda: torch.mm(a, b, out=out), args.seconds)
    report(args, f"matmul {m}x{k}*{k}x{n}", t, 2.0 * m * n * k / t[0] / 1e9)


def mlp(args, batch):
    torch.manual_seed(1)
    net = torch.nn.Sequential(
        torch.nn.Linear(6, 50), torch.nn.ReLU(),
        torch.nn.Linear(50, 50), torch.nn.ReLU(),
        torch.nn.Linear(50, 10))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(batch, 6)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    report(args, f"mlp 6-50-50-10 adam step, batch {batch}", median_per_call(step, args.seconds))
    return net


def inference(args, batch):
    torch.manual_seed(1)
    net = torch.nn.Sequential(
        torch.nn.Linear(6, 50), torch.nn.ReLU(),
        torch.nn.Linear(50, 50), torch.nn.ReLU(),
        torch.nn.Linear(50, 10))
    x = torch.randn(batch, 6)

    def fwd():
        with torch.no_grad():
            torch.softmax(net(x), dim=1)

    t = median_per_call(fwd, args.seconds)
    report(args, f"mlp 6-50-50-10 forward+softmax no-grad, batch {batch}", t, rows=batch / t[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if not args.json:
        print(f"# torch {torch.__version__}, threads={torch.get_num_threads()}")
    matmul(args, 256, 64, 64)
    matmul(args, 1024, 128, 128)
    matmul(args, 1000, 50, 50)
    matmul(args, 1000, 26, 50)
    matmul(args, 2048, 256, 256)
    mlp(args, 256)
    mlp(args, 1000)
    inference(args, 1000)


if __name__ == "__main__":
    main()
