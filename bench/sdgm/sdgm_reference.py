#!/usr/bin/env python3
"""PyTorch reference for bench/sdgm: the same SDGM (5 networks, 2x50 ReLU, z1 = z2 = 8, log-variances bounded to
[-8, 4]), the same data (CSV written by the .NET bench), the same step (100 labeled rows with L(x, y) + 100 unlabeled rows
with U(x) over all K classes, Adam 3e-4, clip 10) and the same epoch (ceil(rows / 100) steps). Prints one line of JSON with
the median seconds per epoch.  Usage: /usr/bin/python3 bench/sdgm/sdgm_reference.py CSV [--epochs 5] [--threads 2]
"""
import argparse
import csv
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("csv")
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

rows = list(csv.reader(open(a.csv)))[1:]
classes = sorted({r[-1] for r in rows})
x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
x = (x - x.mean(0)) / x.std(0)
y = torch.tensor([classes.index(r[-1]) for r in rows])
N, D, K, Z1, Z2, H = x.shape[0], x.shape[1], len(classes), 8, 8, 50
LO, HI, LOG2PI = -8.0, 4.0, math.log(2 * math.pi)


def mlp(i, out=None):
    layers = [torch.nn.Linear(i, H), torch.nn.ReLU(), torch.nn.Linear(H, H), torch.nn.ReLU()]
    return torch.nn.Sequential(*(layers + ([torch.nn.Linear(H, out)] if out else [])))


class Gauss(torch.nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.body, self.mean, self.logvar = mlp(i), torch.nn.Linear(H, o), torch.nn.Linear(H, o)

    def forward(self, h):
        h = self.body(h)
        return self.mean(h), torch.sigmoid(self.logvar(h)) * (HI - LO) + LO


def logn(v, m, lv):
    return -0.5 * (LOG2PI + lv + (v - m) ** 2 * torch.exp(-lv)).sum(1)


def kl(m, lv):
    return 0.5 * (torch.exp(lv) + m * m - 1 - lv).sum(1)


def sample(m, lv):
    return m + torch.exp(0.5 * lv) * torch.randn_like(m)


class Sdgm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.q_z1, self.q_y, self.q_z2 = Gauss(D, Z1), mlp(D + Z1, K), Gauss(D + Z1 + K, Z2)
        self.p_z1, self.p_x = Gauss(K + Z2, Z1), Gauss(Z1 + Z2 + K, D)

    def labeled(self, xb, yb, alpha):
        m1, v1 = self.q_z1(xb)
        z1 = sample(m1, v1)
        lq = logn(z1, m1, v1)
        lqy = F.log_softmax(self.q_y(torch.cat([xb, z1], 1)), 1).gather(1, yb[:, None])[:, 0]
        oh = F.one_hot(yb, K).float()
        m2, v2 = self.q_z2(torch.cat([xb, z1, oh], 1))
        z2 = sample(m2, v2)
        pm, pv = self.p_z1(torch.cat([oh, z2], 1))
        mx, vx = self.p_x(torch.cat([z1, z2, oh], 1))
        return logn(xb, mx, vx) + logn(z1, pm, pv) - lq - kl(m2, v2) - math.log(K) + alpha * lqy

    def unlabeled(self, xb):
        b = xb.shape[0]
        m1, v1 = self.q_z1(xb)
        z1 = sample(m1, v1)
        lq = logn(z1, m1, v1)
        lqy = F.log_softmax(self.q_y(torch.cat([xb, z1], 1)), 1)
        qy = lqy.exp()
        xk, z1k = xb.repeat_interleave(K, 0), z1.repeat_interleave(K, 0)
        yk = torch.eye(K).repeat(b, 1)
        m2, v2 = self.q_z2(torch.cat([xk, z1k, yk], 1))
        z2 = sample(m2, v2)
        pm, pv = self.p_z1(torch.cat([yk, z2], 1))
        mx, vx = self.p_x(torch.cat([z1k, z2, yk], 1))
        f = logn(xk, mx, vx) + logn(z1k, pm, pv) - kl(m2, v2) - math.log(K)
        return (qy * f.view(b, K)).sum(1) - lq - (qy * lqy).sum(1)


model = Sdgm()
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
times = []
for epoch in range(a.epochs + 1):  # the first epoch is a warm-up
    t0 = time.perf_counter()
    perm = torch.randperm(N)
    for s in range(0, N, 100):
        xu = x[perm[s:s + 100]]
        li = torch.randint(0, N, (100,))
        loss = -(model.unlabeled(xu).mean() + model.labeled(x[li], y[li], 0.1).mean())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
    if epoch > 0:
        times.append(time.perf_counter() - t0)
print(json.dumps({"engine": f"PyTorch {torch.__version__}", "threads": a.threads, "epoch_s_median": round(statistics.median(times), 3),
                  "epoch_s": [round(t, 3) for t in times]}))
