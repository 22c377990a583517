#!/usr/bin/env bash
# SDGM on TorchSharp vs Debian's PyTorch 1.13, side by side on the same 12,000 rows, in one run (medians; this machine is
# shared and noisy, so compare ratios within a run): libtorch on 1 thread, on 2 threads with libgomp's default waiting,
# and on 2 passive threads (OMP_WAIT_POLICY=PASSIVE); then the same with a competing CPU-bound process on one core, as a
# broker or database would be. The quiet 1-thread run ends with a scoring soak (RSS over SOAK seconds).
#   bench/sdgm/run.sh [EPOCHS] [REPS] [SOAK]      (defaults 3, 3, 60)
# Needs: dotnet; PyTorch from Debian (apt-get install -y python3-torch) for the reference lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-3}
reps=${2:-3}
soak=${3:-60}
dotnet build -c Release bench/sdgm/PvMonitor.Bench.Sdgm.csproj -nologo -v q >/dev/null
bench=bench/sdgm/bin/Release/net10.0/PvMonitor.Bench.Sdgm.dll
csv=$(mktemp --suffix .csv)
hog=""
trap 'rm -f "$csv"; [ -n "$hog" ] && kill "$hog" 2>/dev/null || true' EXIT
dotnet "$bench" 1 1 1 "$csv" >/dev/null   # writes the 12,000 rows for the reference
reference() {
  if /usr/bin/python3 -c "import torch" 2>/dev/null; then
    echo "--- PyTorch reference, $1 thread(s) $2"
    /usr/bin/python3 bench/sdgm/sdgm_reference.py "$csv" --epochs "$epochs" --threads "$1"
  fi
}
run_set() {
  echo "--- TorchSharp, 1 thread $1"; dotnet "$bench" "$epochs" "$reps" 1 - "$2"
  echo "--- TorchSharp, 2 threads (libgomp default waiting) $1"; dotnet "$bench" "$epochs" "$reps" 2 -
  echo "--- TorchSharp, 2 threads, OMP_WAIT_POLICY=PASSIVE $1"; OMP_WAIT_POLICY=PASSIVE dotnet "$bench" "$epochs" "$reps" 2 -
  reference 1 "$1"
  reference 2 "$1"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_set "(quiet)" "$soak"
( while :; do :; done ) & hog=$!
run_set "(one core busy with another process)" 0
kill "$hog"; hog=""
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
