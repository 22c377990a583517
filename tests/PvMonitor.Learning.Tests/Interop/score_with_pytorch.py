"""Scores raw feature rows with a PvMonitor model directory using PyTorch alone (no PvMonitor code).

Usage: python3 score_with_pytorch.py MODEL_DIR < rows.json   (rows.json: [[I, V, G, TExt, TMod, W], ...])
Prints JSON: {"probabilities": [[...]], "latent": [[...]] (sdgm only)}.
Reads manifest.json for the normalisation and sizes and weights.pt with torch.load; the networks are written out with
torch.nn.functional from the state dict's names, as the model card describes them.
"""
import json
import sys

import torch
import torch.nn.functional as F

model_dir = sys.argv[1]
manifest = json.load(open(f"{model_dir}/manifest.json"))
state = torch.load(f"{model_dir}/{manifest['weights']['file']}", map_location="cpu")
hp = manifest["hyperparameters"]
x = torch.tensor(json.load(sys.stdin), dtype=torch.float32)
mean = torch.tensor(manifest["normalisation"]["mean"], dtype=torch.float32)
std = torch.tensor(manifest["normalisation"]["std"], dtype=torch.float32)
x = (x - mean) / std


def linear(h, name):
    return F.linear(h, state[f"{name}.weight"], state[f"{name}.bias"])


out = {}
if manifest["kind"] == "sdgm":
    layers = int(hp["layers"])

    def hidden(h, prefix):
        for i in range(layers):
            h = torch.relu(linear(h, f"{prefix}.{2 * i}"))
        return h

    m1 = linear(hidden(x, "q_z1.body"), "q_z1.mean")                   # E[q(z1|x)]
    logits = linear(hidden(torch.cat([x, m1], 1), "q_y"), f"q_y.{2 * layers}")  # q(y|z1,x) at the mean
    out["latent"] = m1.tolist()
else:
    h = x
    n = int(hp["hidden_layers"])
    for i in range(n):
        h = torch.relu(linear(h, f"layers.{i}"))
    logits = linear(h, f"layers.{n}")
out["probabilities"] = torch.softmax(logits, 1).tolist()
json.dump(out, sys.stdout)
