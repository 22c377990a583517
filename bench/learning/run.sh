#!/usr/bin/env bash
# Runs the .NET learning-engine bench and the PyTorch reference back to back (same shapes, same harness:
# warm-up, then the median of many timed samples) and prints both medians and the PyTorch/ours ratio.
#   bench/learning/run.sh                 # 2 s per case, PyTorch on 2 threads
#   SECONDS_PER_CASE=5 TORCH_THREADS=1 bench/learning/run.sh
# Needs: dotnet, and PyTorch from Debian (apt-get install -y python3-torch) for the reference column.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${SECONDS_PER_CASE:-2}
threads=${TORCH_THREADS:-2}
dotnet build -c Release bench/learning/PvMonitor.Bench.Learning.csproj -nologo -v q >/dev/null
ours=$(dotnet bench/learning/bin/Release/net10.0/PvMonitor.Bench.Learning.dll --json --seconds "$secs")
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  theirs=$(/usr/bin/python3 bench/learning/torch_reference.py --json --threads "$threads" --seconds "$secs")
else
  echo "PyTorch not installed (apt-get install -y python3-torch); showing ours only" >&2
  theirs=""
fi
python3 - "$ours" "$theirs" "$threads" <<'PY'
import json, sys
ours = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
theirs = {d["name"]: d for d in (json.loads(l) for l in sys.argv[2].splitlines() if l.strip())}
print(f"| case | ours median (min) µs | ours GFLOP/s or rows/s | PyTorch {sys.argv[3]} thr median (min) µs | PyTorch/ours (medians) |")
print("|---|---:|---:|---:|---:|")
for d in ours:
    t = theirs.get(d["name"])
    rate = f'{d["gflops"]:.1f} GFLOP/s' if "gflops" in d else (f'{d["rows_per_s"]:,.0f} rows/s' if "rows_per_s" in d else "")
    tt = f'{t["median_us"]:.1f} ({t["min_us"]:.1f})' if t else "n/a"
    ratio = f'{t["median_us"] / d["median_us"]:.1f}×' if t else "n/a"
    print(f'| {d["name"]} | {d["median_us"]:.1f} ({d["min_us"]:.1f}) | {rate} | {tt} | {ratio} |')
PY
