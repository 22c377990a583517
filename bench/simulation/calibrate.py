#!/usr/bin/env python3
"""Difficulty check of simulated data against the paper's Table III.

Multinomial logistic regression (standardised features, L2) and a small MLP (2 x 50 ReLU, like the paper's) on an
80/20 random split, repeated (Monte-Carlo cross-validation as in the paper), for the simple {I, V} and complex
{I, V, G, TExt, TMod, W} inputs. Paper: MLR 51.6 % / 77.3 %, MLP 77.8 % / 89.1 %, SDGM 79.1 % / 92.5 %.

Needs scikit-learn:  apt-get install -y python3-sklearn   (use /usr/bin/python3)
Usage: /usr/bin/python3 bench/simulation/calibrate.py FILE.csv [--repeats 3] [--no-mlp] [--confusion]
"""
import argparse
import csv
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

SIMPLE = ["I", "V"]
COMPLEX = ["I", "V", "G", "TExt", "TMod", "W"]


def load(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["label"]]
    x = np.array([[float(r[c]) for c in COMPLEX] for r in rows])
    y = np.array([r["label"] for r in rows])
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-mlp", action="store_true")
    ap.add_argument("--confusion", action="store_true")
    ap.add_argument("--mlp-alpha", type=float, default=1e-4,
                    help="L2 penalty of the MLP (the paper used dropout 0.5; a larger alpha is a rough stand-in)")
    a = ap.parse_args()
    x, y = load(a.csv)
    labels = sorted(set(y))
    print(f"{len(y)} labelled rows, {len(labels)} classes")
    results = {}
    for name, cols in (("simple", SIMPLE), ("complex", COMPLEX)):
        idx = [COMPLEX.index(c) for c in cols]
        xs = x[:, idx]
        for model in ("mlr", "mlp"):
            if model == "mlp" and a.no_mlp:
                continue
            accs = []
            for rep in range(a.repeats):
                xtr, xte, ytr, yte = train_test_split(xs, y, test_size=0.2, random_state=rep, stratify=y)
                if model == "mlr":
                    clf = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000))
                else:
                    clf = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(50, 50), alpha=a.mlp_alpha,
                                                                        max_iter=600, early_stopping=True,
                                                                        n_iter_no_change=30, random_state=rep))
                clf.fit(xtr, ytr)
                pred = clf.predict(xte)
                accs.append(float(np.mean(pred == yte)))
                if a.confusion and rep == 0:
                    cm = confusion_matrix(yte, pred, labels=labels, normalize="true")
                    print(f"\n{model} {name} confusion (rows true, cols predicted):")
                    print("      " + " ".join(f"{l:>5}" for l in labels))
                    for l, row in zip(labels, cm):
                        print(f"{l:>5} " + " ".join(f"{v:5.2f}" for v in row))
            results[(model, name)] = (np.mean(accs), np.std(accs))
            print(f"{model.upper():4} {name:8} accuracy {np.mean(accs)*100:5.1f} % ± {np.std(accs)*100:.1f}")
            sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
