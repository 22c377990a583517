#!/usr/bin/env bash
# Re-measures the model card's numbers (models/default/MODEL_CARD.md) on periods the shipped recipe never simulates:
# three test periods (accuracy, macro-F1, healthy → fault, flagged) and one file per unseen condition (AUROC of −ELBO).
#   models/measure-default.sh [MODEL-DIR]      (default models/default; ~3 min on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/default}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/PvMonitor -c Release -v q -o "$work/bin" >/dev/null
pv() { dotnet "$work/bin/pvmonitor.dll" "$@"; }
all=PS7,RS4,PS50,RS8,PSRS,PS75,C,S,N,IV
pv simulate --days 20 --seed 7 --start 2026-04-05 --out "$work/campaign.csv" >/dev/null
pv simulate --days 12 --seed 9 --start 2026-04-05 --conditions "$all" --out "$work/april.csv" >/dev/null
pv simulate --days 12 --seed 11 --start 2026-06-01 --conditions "$all" --out "$work/june.csv" >/dev/null
cat > "$work/summary.py" <<'PY'
import json, sys
r = json.load(sys.stdin)
if sys.argv[1] == "unseen":
    a = r["anomaly"]
    print(f"unseen {sys.argv[2]}: AUROC {a['auroc_unseen']:.3f}, flagged {a['flagged_rate_unseen'] * 100:.1f} % unseen / {a['flagged_rate_seen'] * 100:.1f} % known")
    sys.exit()
labels, rows = r["confusion"]["labels"], r["confusion"]["matrix"]
healthy = [i for i, l in enumerate(labels) if l in ("N", "C", "S")]
faults = [i for i, l in enumerate(labels) if l not in ("N", "C", "S")]
h = sum(sum(rows[i]) for i in healthy)
hf = sum(rows[i][j] for i in healthy for j in faults)
a = r.get("anomaly") or {}
recall = ", ".join(f"{k} {v['recall'] * 100:.0f} %" for k, v in sorted(r["per_class"].items(), key=lambda kv: -kv[1]["recall"]))
print(f"{sys.argv[2]}: rows {r['rows']}, accuracy {r['accuracy'] * 100:.1f} %, macro-F1 {r['macro_f1']:.3f}, healthy -> fault {100 * hf / max(h, 1):.1f} %, "
      f"flagged {a.get('flagged_rate', 0) * 100:.1f} %, ELBO mean {r['elbo']['mean']:.1f} p01 {r['elbo']['p01']:.1f}; recall {recall}")
PY
for f in campaign april june; do pv evaluate --model "$model" --data "$work/$f.csv" --json | /usr/bin/python3 "$work/summary.py" test "$f"; done
for x in OPEN DEGR SOIL BYPASS; do
  pv simulate --days 12 --seed 8 --start 2026-04-05 --conditions "C,N,$x" --out "$work/unseen-$x.csv" >/dev/null
  pv evaluate --model "$model" --data "$work/unseen-$x.csv" --unseen "$x" --json | /usr/bin/python3 "$work/summary.py" unseen "$x"
done
