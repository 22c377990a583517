#!/usr/bin/python3
"""Summarises bench/training results (JSON lines) as mean ± std per scenario and model: a Markdown table."""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
groups = defaultdict(list)
for r in rows:
    groups[(r["scenario"], r["model"], r.get("overrides", ""))].append(r)


def stat(values, digits=3):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"


print("| scenario | model | seeds | accuracy | AUROC unseen | threshold (nats) | train ELBO p50 | epochs (best) | train s |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for (scenario, model, overrides), rs in groups.items():
    name = model + (f" {overrides}" if overrides else "")
    acc = stat([r.get("accuracy") for r in rs]) if scenario != "reunion" else "–"
    epochs = stat([r.get("epochs_run") for r in rs], 0).split(" ±")[0] if "epochs_run" in rs[0] else "–"
    best = stat([r.get("best_epoch") for r in rs], 0).split(" ±")[0] if "best_epoch" in rs[0] else ""
    print(f"| {scenario} | {name} | {len(rs)} | {acc} | {stat([r.get('auroc_unseen') for r in rs])} | "
          f"{stat([r.get('threshold') for r in rs], 1)} | {stat([r.get('train_elbo_p50') for r in rs], 1) if model == 'sdgm' else '–'} | "
          f"{epochs}{f' ({best})' if best else ''} | {stat([r.get('train_seconds') for r in rs], 0)} |")
