#!/usr/bin/env bash
# SDGM on TorchSharp vs Debian's PyTorch 1.13, side by side on the same 12,000 rows, in one run (medians; this machine is
# shared and noisy, so compare ratios within a run). Then the same with a competing CPU load on one core, to show what
# threads and OMP_WAIT_POLICY do under contention.
#   bench/sdgm/run.sh [EPOCHS] [REPS]
# Needs: dotnet; PyTorch from Debian (apt-get install -y python3-torch) for the reference column.
set -euo pipefail
cd "$(dirname "$0")/../.."
epochs=${1:-5}
reps=${2:-5}
dotnet build -c Release bench/sdgm/PvMonitor.Bench.Sdgm.csproj -nologo -v q >/dev/null
bench=bench/sdgm/bin/Release/net10.0/PvMonitor.Bench.Sdgm.dll
csv=$(mktemp --suffix .csv)
trap 'rm -f "$csv"; [ -n "${hog:-}" ] && kill "$hog" 2>/dev/null || true' EXIT
run_set() {
  for t in 1 2; do
    echo "--- TorchSharp, $t thread(s) $1"
    dotnet "$bench" "$epochs" "$reps" "$t" "$csv"
    if /usr/bin/python3 -c "import torch" 2>/dev/null; then
      echo "--- reference, $t thread(s) $1"
      /usr/bin/python3 bench/sdgm/sdgm_reference.py "$csv" --epochs "$epochs" --threads "$t"
    fi
  done
  echo "--- TorchSharp, 2 threads, OMP_WAIT_POLICY=ACTIVE (spinning, libtorch's default) $1"
  OMP_WAIT_POLICY=ACTIVE dotnet "$bench" "$epochs" 1 2
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_set "(quiet)"
# One busy process competing for a core, as the broker or the database would.
( while :; do :; done ) & hog=$!
run_set "(one core busy with another process)"
kill "$hog"; hog=""
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
