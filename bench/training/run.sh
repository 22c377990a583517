#!/usr/bin/env bash
# Training quality with default settings (issue 13), mean ± std over seeds, against scikit-learn references measured in
# the same run on the same splits. Writes bench/training/results.jsonl and prints the summary table.
#   bench/training/run.sh [SEEDS] [SCENARIOS]     (defaults 1,2,3 and "sim-complex sim-simple-10 sim-unseen reunion")
# Scenarios (bench/training/Program.cs): the simulator (`simulate --days 60 --seed 7`, random 80/20 split per seed) with
# complex inputs and all labels, with simple inputs and 10 labels per class, trained on PS7, RS4 and PS50 only (AUROC of
# the other seven), and ../shared/realdata La Réunion (trained on `normal` rows before 13 May 2022; AUROC of the later
# fault episodes; skipped with the reason when the data is absent).
# Needs: dotnet; Debian's python3-sklearn for the reference lines (apt-get install -y python3-sklearn). Takes about an hour
# on 2 cores with 3 seeds (each SDGM run 1–4 min on one libtorch thread).
set -euo pipefail
cd "$(dirname "$0")/../.."
seeds=${1:-1,2,3}
scenarios=${2:-sim-complex sim-simple-10 sim-unseen reunion}
dotnet build -c Release bench/training/PvMonitor.Bench.Training.csproj -nologo -v q >/dev/null
bench="dotnet bench/training/bin/Release/net10.0/PvMonitor.Bench.Training.dll"
dump=$(mktemp -d)
trap 'rm -rf "$dump"' EXIT
out=bench/training/results.jsonl
: > "$out"
have_sklearn=0
/usr/bin/python3 -c "import sklearn" 2>/dev/null && have_sklearn=1
for scenario in $scenarios; do
  if [ "$scenario" = reunion ] && [ ! -f ../shared/realdata/la-reunion/la-reunion-5min.csv ]; then
    echo "reunion: SKIPPED: ../shared/realdata/la-reunion/la-reunion-5min.csv is absent (real data is kept out of the repository)"
    continue
  fi
  models="sdgm mlp mlr"
  [ "$scenario" = reunion ] && models="sdgm"
  [ "$scenario" = sim-unseen ] && models="sdgm"
  for model in $models; do
    echo "--- $scenario $model seeds $seeds" >&2
    $bench "$scenario" "$model" "$seeds" --dump "$dump" | tee -a "$out"
  done
  if [ "$have_sklearn" = 1 ] && [ "$scenario" != sim-unseen ]; then
    extra=()
    [ "$scenario" = sim-simple-10 ] && extra=(--labels-per-class 10)
    /usr/bin/python3 -W ignore bench/training/sklearn_reference.py "$dump" "$scenario" "$seeds" "${extra[@]}" | tee -a "$out"
  fi
done
/usr/bin/python3 bench/training/summarise.py "$out"
