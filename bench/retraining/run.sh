#!/usr/bin/env bash
# Relabel-and-retrain quality (issue 17), mean ± std over seeds: does a model taught a new condition recognise it on later
# data, and does it keep the old ones? Compares the active model (parent), fine-tuning from it (what the worker's retraining
# does: `train --init-from PARENT --balance-labels`, 30 epochs, on the parent's training snapshot + the newly labelled rows)
# and training afresh on the same rows (`train --balance-labels`, default epochs).
#   bench/retraining/run.sh [SEEDS]     (default 1,2,3)   prints one line per seed and scenario, then mean ± std
# Scenarios:
#   reunion: ../shared/realdata La Réunion (skipped with the reason when absent). Parent: sdgm on the `normal` rows before
#     11 May 2022 (I,V,G,TExt,TMod). The operator labels the first induced-fault episode (10 May) as fault_3_1. Test: every
#     row from 13 May on (normal + the 16 and 19 May episodes).
#   sim-degr: the shipped model models/default as parent; 6 days of DEGR (`simulate --conditions DEGR --seed 21`) labelled.
#     Tests: 12 days of the ten known conditions (seed 9, from 5 Apr; accuracy on known conditions) and the daylight DEGR rows
#     of 6 days of DEGR, N and C (seed 22; DEGR recall and the share of DEGR rows flagged anomalous).
# Takes ~15 min with 3 seeds on 2 cores. Training afresh on the simulator's 25k rows takes ~11 min per seed, so it runs only
# with SCRATCH_SIM=1 (SCRATCH=0 skips training afresh on the real data too).
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=${1:-1,2,3}
scratch=${SCRATCH:-1}
scratch_sim=${SCRATCH_SIM:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/PvMonitor -c Release -v q -o "$work/bin" >/dev/null
pv() { dotnet "$work/bin/pvmonitor.dll" "$@"; }
metric() { # FILE.json → "acc recall(CLASS) flagged(CLASS rows)"
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); cls = sys.argv[2]
pc = d["per_class"].get(cls, {})
print(f'{d["accuracy"]:.4f} {pc.get("recall", float("nan")):.4f}')
PY
}
results="$work/results.txt"
: > "$results"

real=../shared/realdata/la-reunion/la-reunion-5min.csv
if [ -f "$real" ]; then
  head -1 "$real" > "$work/r-parent.csv"; awk -F, 'NR>1 && $1 < "2022-05-11" && $10 == "normal"' "$real" >> "$work/r-parent.csv"
  head -1 "$real" > "$work/r-fault.csv"; awk -F, 'NR>1 && $1 >= "2022-05-10" && $1 < "2022-05-11" && $10 == "fault_3_1"' "$real" >> "$work/r-fault.csv"
  head -1 "$real" > "$work/r-test.csv"; awk -F, 'NR>1 && $1 >= "2022-05-13"' "$real" >> "$work/r-test.csv"
  head -1 "$real" > "$work/r-test-normal.csv"; awk -F, 'NR>1 && $1 >= "2022-05-13" && $10 == "normal"' "$real" >> "$work/r-test-normal.csv"
  head -1 "$real" > "$work/r-test-fault.csv"; awk -F, 'NR>1 && $1 >= "2022-05-13" && $10 == "fault_3_1"' "$real" >> "$work/r-test-fault.csv"
  echo "reunion: parent $(($(wc -l < "$work/r-parent.csv") - 1)) normal rows, labelled $(($(wc -l < "$work/r-fault.csv") - 1)) fault rows, test $(($(wc -l < "$work/r-test-normal.csv") - 1)) normal + $(($(wc -l < "$work/r-test-fault.csv") - 1)) fault rows"
else
  echo "reunion: SKIPPED: $real is absent (real data is kept out of the repository)"
fi

gunzip -c models/default/training-snapshot.csv.gz > "$work/s-snapshot.csv"
pv simulate --days 6 --seed 21 --start 2026-05-01 --conditions DEGR --out "$work/s-degr-raw.csv" >/dev/null 2>&1
{ cat "$work/s-snapshot.csv"; tail -n +2 "$work/s-degr-raw.csv" | awk -F, '$6 >= 20 {print $4","$5","$6","$7","$8","$9","$10}'; } > "$work/s-child.csv"
pv simulate --days 12 --seed 9 --start 2026-04-05 --conditions PS7,RS4,PS50,RS8,PSRS,PS75,C,S,N,IV --out "$work/s-old.csv" >/dev/null 2>&1
pv simulate --days 6 --seed 22 --start 2026-05-10 --conditions DEGR,N,C --out "$work/s-new.csv" >/dev/null 2>&1
{ head -1 "$work/s-new.csv"; awk -F, '$10 == "DEGR" && $6 >= 20' "$work/s-new.csv"; } > "$work/s-new-degr.csv"
pv evaluate --model models/default --data "$work/s-old.csv" --json > "$work/s-parent-old.json" 2>/dev/null

for seed in ${seeds//,/ }; do
  if [ -f "$real" ]; then
    feats=I,V,G,TExt,TMod
    pv train --data "$work/r-parent.csv" --features $feats --out "$work/r-parent-$seed" --seed "$seed" --threads 1 >/dev/null 2>&1
    gunzip -c "$work/r-parent-$seed/training-snapshot.csv.gz" > "$work/r-child-$seed.csv"
    tail -n +2 "$work/r-fault.csv" | awk -F, '{print $4","$5","$6","$7","$8","$10}' >> "$work/r-child-$seed.csv"
    pv train --data "$work/r-child-$seed.csv" --features $feats --out "$work/r-ft-$seed" --seed "$seed" --threads 1 --init-from "$work/r-parent-$seed" --epochs 30 --balance-labels >/dev/null 2>&1
    variants="ft"
    if [ "$scratch" = 1 ]; then
      pv train --data "$work/r-child-$seed.csv" --features $feats --out "$work/r-scratch-$seed" --seed "$seed" --threads 1 --balance-labels >/dev/null 2>&1
      variants="ft scratch"
    fi
    pv evaluate --model "$work/r-parent-$seed" --data "$work/r-test-normal.csv" --json > "$work/p.json" 2>/dev/null
    p_normal=$(metric "$work/p.json" normal)
    pv evaluate --model "$work/r-parent-$seed" --data "$work/r-test.csv" --unseen fault_3_1 --json > "$work/pu.json" 2>/dev/null
    auroc=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/pu.json'))['anomaly']['auroc_unseen'])")
    echo "reunion seed $seed parent: normal accuracy $(echo $p_normal | cut -d' ' -f1), fault AUROC as unseen $auroc"
    for v in $variants; do
      pv evaluate --model "$work/r-$v-$seed" --data "$work/r-test-normal.csv" --json > "$work/n.json" 2>/dev/null
      pv evaluate --model "$work/r-$v-$seed" --data "$work/r-test-fault.csv" --json > "$work/f.json" 2>/dev/null
      flagged=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/f.json'))['anomaly']['flagged_rate'])")
      line="reunion $v $seed old_acc_before $(echo $p_normal | cut -d' ' -f1) old_acc_after $(metric "$work/n.json" normal | cut -d' ' -f1) new_recall $(metric "$work/f.json" fault_3_1 | cut -d' ' -f2) new_flagged $flagged"
      echo "$line"; echo "$line" >> "$results"
    done
  fi

  pv train --data "$work/s-child.csv" --out "$work/s-ft-$seed" --seed "$seed" --threads 1 --init-from models/default --epochs 30 --balance-labels >/dev/null 2>&1
  variants="ft"
  if [ "$scratch_sim" = 1 ]; then
    pv train --data "$work/s-child.csv" --out "$work/s-scratch-$seed" --seed "$seed" --threads 1 --balance-labels >/dev/null 2>&1
    variants="ft scratch"
  fi
  for v in $variants; do
    pv evaluate --model "$work/s-$v-$seed" --data "$work/s-old.csv" --json > "$work/o.json" 2>/dev/null
    pv evaluate --model "$work/s-$v-$seed" --data "$work/s-new-degr.csv" --json > "$work/n.json" 2>/dev/null
    flagged=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/n.json'))['anomaly']['flagged_rate'])")
    line="sim-degr $v $seed old_acc_before $(metric "$work/s-parent-old.json" N | cut -d' ' -f1) old_acc_after $(metric "$work/o.json" N | cut -d' ' -f1) new_recall $(metric "$work/n.json" DEGR | cut -d' ' -f2) new_flagged $flagged"
    echo "$line"; echo "$line" >> "$results"
  done
done

echo
echo "mean ± std over seeds ${seeds}:"
/usr/bin/python3 - "$results" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    key = (f[0], f[1]); vals = dict(zip(f[3::2], map(float, f[4::2])))
    rows.setdefault(key, []).append(vals)
for (scenario, variant), runs in rows.items():
    parts = []
    for m in ("old_acc_before", "old_acc_after", "new_recall", "new_flagged"):
        xs = [r[m] for r in runs]
        parts.append(f"{m} {st.mean(xs):.3f} ± {st.stdev(xs) if len(xs) > 1 else 0:.3f}")
    print(f"{scenario:9} {variant:8} n={len(runs)}  " + "  ".join(parts))
PY
