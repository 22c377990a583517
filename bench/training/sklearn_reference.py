#!/usr/bin/python3
"""scikit-learn references for bench/training (Debian's python3-sklearn; a reference, not a product dependency).

Reads the train/test CSVs written by `PvMonitor.Bench.Training ... --dump DIR` and prints one JSON line per file pair:
  * labeled scenarios: MLPClassifier(50, 50) (scikit-learn defaults: Adam 1e-3, L2 1e-4, up to 200 epochs, early stopping
    off) on standardised inputs, accuracy on the test rows of the trained classes; with --labels-per-class N only N random
    labeled rows per class are kept (as `train --labels-per-class N` does);
  * reunion (one class): IsolationForest(random_state=seed) on standardised inputs, AUROC of the anomaly score for the
    fault rows against the normal test rows.
usage: sklearn_reference.py DIR SCENARIO SEEDS [--labels-per-class N]
"""
import csv, json, sys
import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler


def load(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    x = np.array([[float(v) for v in r[:-1]] for r in rows[1:]], dtype=np.float64)
    y = np.array([r[-1] for r in rows[1:]])
    return x, y


def main():
    folder, scenario, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split(',')]
    per_class = int(sys.argv[sys.argv.index('--labels-per-class') + 1]) if '--labels-per-class' in sys.argv else None
    for seed in seeds:
        xtr, ytr = load(f"{folder}/{scenario}-s{seed}-train.csv")
        xte, yte = load(f"{folder}/{scenario}-s{seed}-test.csv")
        scaler = StandardScaler().fit(xtr)
        xtr, xte = scaler.transform(xtr), scaler.transform(xte)
        out = {"scenario": scenario, "seed": seed}
        if scenario == "reunion":
            forest = IsolationForest(random_state=seed).fit(xtr)
            score = -forest.score_samples(xte)
            out["model"] = "sklearn-isolationforest"
            out["auroc_unseen"] = round(float(roc_auc_score(yte != "normal", score)), 4)
        else:
            if per_class:
                rng = np.random.default_rng(seed)
                keep = np.concatenate([rng.choice(np.flatnonzero(ytr == c), per_class, replace=False) for c in np.unique(ytr)])
                xtr, ytr = xtr[keep], ytr[keep]
            clf = MLPClassifier(hidden_layer_sizes=(50, 50), random_state=seed, max_iter=200).fit(xtr, ytr)
            known = np.isin(yte, clf.classes_)
            out["model"] = "sklearn-mlp-50-50"
            out["accuracy"] = round(float((clf.predict(xte[known]) == yte[known]).mean()), 4)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
