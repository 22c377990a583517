#!/usr/bin/env bash
# Reproduces bench/README.md, "Model variants" (issue 18): `pvmonitor experiment variants` on the simulator and on the
# La Réunion field measurements in ../shared/realdata (skipped with the reason when absent; that data stays out of the
# repository). One libtorch thread; ~16 min for the simulator and ~10 min for the field data on one core of this machine.
#   bench/variants/run.sh [OUT_DIR]     (default bench/variants: simulator/ and field/ below it)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-bench/variants}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/PvMonitor -c Release -v q -o "$work/bin" >/dev/null
pv() { dotnet "$work/bin/pvmonitor.dll" "$@"; }
pv simulate --days 30 --out "$work/sim30.csv" >/dev/null
pv experiment variants --data "$work/sim30.csv" --out "$out/simulator" --seeds 3 --epochs 20 --rows 4000
field=../shared/realdata/la-reunion/la-reunion-5min.csv
if [ -f "$field" ]; then
  # No wind sensor there: the complex inputs are the five measured columns. Its only fault is held out for the AUROC.
  pv experiment variants --data "$field" --out "$out/field" --seeds 3 --epochs 30 --holdout fault_3_1 --features I,V,G,TExt,TMod
else
  echo "field data: SKIPPED: $field is absent (real measurements are kept out of the repository)"
fi
