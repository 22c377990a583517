#!/usr/bin/env bash
# Reproduces the worker numbers in bench/README.md ("## Worker").
#   bench/worker/run.sh [BACKLOG] [LIVE_SECONDS]      (defaults: 200000 messages, 30 s per live rate)
# Needs: dotnet, mosquitto + mosquitto-clients, influxdb (apt-get install mosquitto mosquitto-clients influxdb), python3.
# MODEL=DIR uses that model (default: models/default, else a small SDGM trained here in ~1 minute).
#
# Starts a private mosquitto (max_queued_messages 0, max_inflight_messages $MQ_INFLIGHT, default 20000 as in deploy/) and influxd 1.x on free 127.0.0.1
# ports with data in a temp folder, and `pvmonitor run` (Release) against them; everything is killed by PID at the end.
#  1. drain: two persistent sessions (mosquitto_sub's and the worker's) subscribe and go offline; BACKLOG QoS 1 telemetry
#     messages for 1,000 strings are published (queued twice by the broker). mosquitto_sub drains its copy alone
#     (rate from its -F %U timestamps), then the worker starts and drains its copy into InfluxDB: rate = BACKLOG /
#     (time last sample stored - time first message received), from /metrics polled every 0.2 s. Zero loss = the
#     InfluxDB row counts of pv_telemetry and pv_condition equal BACKLOG and no dead letters.
#  2. live: the load generator publishes at 5,000 and 20,000 msg/s for LIVE_SECONDS each with "time" = publish time;
#     p50/p99 publish-to-stored latency = bucket bounds of the worker's pvmonitor_sample_age_at_store_seconds histogram
#     (delta over the run); "kept up" = stored count caught up within 5 s after the publisher finished.
#  3. warm drain: the worker is paused (SIGSTOP) while another BACKLOG is published, then resumed: the same drain with JIT
#     and tiering done (the cold drain in 1 includes them). For 1 and 3 the CPU seconds of worker, influxd and mosquitto
#     during the drain are printed (per message: what limits the rate when they share the cores).
#  4. worker RSS: VmHWM (peak) and VmRSS from /proc at the end.
set -euo pipefail
BACKLOG=${1:-200000}
LIVE_SECONDS=${2:-30}
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d /tmp/pvworker-bench.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
. "$HERE/../lib.sh"
now() { python3 -c 'import time; print(time.time())'; }
M="$HERE/metrics.py"
# CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
cpu_s() { python3 -c "import os,sys; f=open('/proc/%s/stat'%sys.argv[1]).read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))" "$1" 2>/dev/null || echo 0; }
cpu_snapshot() { echo "$(cpu_s "$WORKER") $(cpu_s "$IXPID") $(cpu_s "$MQPID")"; }
# cpu_report LABEL "CPU0" "CPU1" T0 T1 MESSAGES: CPU seconds each process used between two snapshots, and per message.
cpu_report() {
  python3 -c "import sys; a=[float(x) for x in sys.argv[2].split()]; b=[float(x) for x in sys.argv[3].split()]; t=float(sys.argv[5])-float(sys.argv[4]); n=int(sys.argv[6]); print('CPU during %s (%.1f s wall): ' % (sys.argv[1], t) + ', '.join('%s %.1f s (%.0f µs/msg)' % (k, y-x, (y-x)*1e6/n) for k,x,y in zip(['worker','influxd','mosquitto'], a, b)))" "$@"
}

echo "== build (Release)"
# Published as the Dockerfile does it: ReadyToRun (precompiled), so a cold start spends less CPU in the JIT.
dotnet publish -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true "$ROOT/src/PvMonitor/PvMonitor.csproj" -o "$WORK/pvmonitor" >/dev/null
dotnet build -c Release "$HERE/LoadGen/PvMonitor.Worker.LoadGen.csproj" -o "$WORK/loadgen" >/dev/null
LOADGEN=(dotnet "$WORK/loadgen/PvMonitor.Worker.LoadGen.dll")

MODEL=${MODEL:-$ROOT/models/default}
if [ ! -f "$MODEL/manifest.json" ]; then
  echo "== no model at $MODEL: training a small one"
  dotnet "$WORK/pvmonitor/pvmonitor.dll" simulate --days 4 --out "$WORK/train.csv" >/dev/null
  dotnet "$WORK/pvmonitor/pvmonitor.dll" train --data "$WORK/train.csv" --out "$WORK/model" --epochs 3 --learning-rate 1e-3 >/dev/null
  MODEL="$WORK/model"
fi

MQ=$(free_port)
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
max_inflight_messages ${MQ_INFLIGHT:-20000}
user root
CONF
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
MQPID=$!
PIDS+=($MQPID)
IX=$(free_port); IXRPC=$(free_port)
influxd_conf "$WORK/influx" "$IX" "$IXRPC"
influxd -config "$WORK/influx/influxdb.conf" > "$WORK/influxd.log" 2>&1 &
IXPID=$!
PIDS+=($IXPID)
wait_port "$MQ"; wait_port "$IX"; sleep 1
curl -s -XPOST "http://127.0.0.1:$IX/query" --data-urlencode "q=CREATE DATABASE bench" >/dev/null
echo "== mosquitto on :$MQ, influxd on :$IX, model $MODEL, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 1. drain
mosquitto_sub -p "$MQ" -c -i ms-bench -q 1 -t 'pv/+/+/+/telemetry' -E
mosquitto_sub -p "$MQ" -c -i pvmonitor-bench -q 1 -t 'pv/+/+/+/telemetry' -E
echo "== publishing a backlog of $BACKLOG messages (1,000 strings)"
"${LOADGEN[@]}" --port "$MQ" --count "$BACKLOG" --strings 1000 --window 2000
mosquitto_sub -p "$MQ" -c -i ms-bench -q 1 -t 'pv/+/+/+/telemetry' -C "$BACKLOG" -W 600 -F %U > "$WORK/ms.txt"
MS_RATE=$(python3 -c "import sys; t=[float(x) for x in open(sys.argv[1]).read().split()]; print(round((len(t)-1)/(t[-1]-t[0])))" "$WORK/ms.txt")
echo "mosquitto_sub drain: $MS_RATE msg/s"

API=$(free_port)
mkdir -p "$WORK/data"
# The worker runs with the Dockerfile's environment: a 32 MB gen-0 GC budget (DOTNET_GCgen0size; GC_GEN0=default leaves the
# runtime's own, which let the peak RSS wander between 360 and 463 MB in the same runs).
# And glibc's heap settings of the Dockerfile (2 arenas, 32 MiB mmap threshold, 64 MiB trim threshold, 16 MiB top pad;
# NATIVE_HEAP=default leaves glibc's own, and then pvmonitor applies them itself from Main, a little later).
GEN0=${GC_GEN0:-0x2000000}
[ "$GEN0" = default ] && GEN0=""
HEAP_ENV=(MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=67108864 MALLOC_TOP_PAD_=16777216)
[ "${NATIVE_HEAP:-}" = default ] && HEAP_ENV=(PVMONITOR_NATIVE_HEAP=default)
( cd "$WORK" && exec env DOTNET_GCgen0size=$GEN0 "${HEAP_ENV[@]}" dotnet "$WORK/pvmonitor/pvmonitor.dll" run \
  --set Mqtt:Port="$MQ" --set Mqtt:ClientId=pvmonitor-bench --set Influx:Url="http://127.0.0.1:$IX" --set Influx:Version=1 --set Influx:Database=bench \
  --set Model:Path="$MODEL" --set Data:Path="$WORK/data" --set Api:Urls="http://127.0.0.1:$API" \
  --set Serilog:MinimumLevel:Default=Warning ${WORKER_ARGS:-} > "$WORK/worker.log" 2>&1 ) &
WORKER=$!
PIDS+=($WORKER)
URL="http://127.0.0.1:$API/metrics"
T0=""
DEADLINE=$(( $(date +%s) + ${DRAIN_TIMEOUT:-600} ))
while true; do
  if [ "$(date +%s)" -gt "$DEADLINE" ]; then echo "worker did not store the backlog within 600 s:"; tail -50 "$WORK/worker.log"; curl -s "$URL" | grep -v '^#' | head -60; exit 1; fi
  R=$(python3 "$M" value "$URL" pvmonitor_messages_received_total 2>/dev/null || echo 0)
  if [ -z "$T0" ] && [ "$R" -gt 0 ]; then T0=$(now); C0=$(cpu_snapshot); fi
  S=$(python3 "$M" value "$URL" pvmonitor_samples_stored_total 2>/dev/null || echo 0)
  if [ "$S" -ge "$BACKLOG" ]; then T1=$(now); C1=$(cpu_snapshot); break; fi
  if ! kill -0 "$WORKER" 2>/dev/null; then echo "worker died:"; cat "$WORK/worker.log"; exit 1; fi
  sleep 0.2
done
WORKER_RATE=$(python3 -c "print(round($BACKLOG/($T1-$T0)))")
sleep 2
TEL=$(curl -s "http://127.0.0.1:$IX/query?db=bench" --data-urlencode 'q=SELECT COUNT("I") FROM pv_telemetry' | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["series"][0]["values"][0][1])')
CON=$(curl -s "http://127.0.0.1:$IX/query?db=bench" --data-urlencode 'q=SELECT COUNT("condition") FROM pv_condition' | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["series"][0]["values"][0][1])')
DL=$(curl -s "$URL" | awk '/^pvmonitor_dead_letters_total/ {s+=$2} END {print s+0}')
echo "worker drain: $WORKER_RATE msg/s into InfluxDB; pv_telemetry=$TEL pv_condition=$CON of $BACKLOG, dead letters=$DL"
cpu_report "the drain" "$C0" "$C1" "$T0" "$T1" "$BACKLOG"

# --- 2. live
for RATE in 5000 20000; do
  B=$(python3 "$M" buckets "$URL" pvmonitor_sample_age_at_store_seconds)
  S0=$(python3 "$M" value "$URL" pvmonitor_samples_stored_total)
  PUB=$("${LOADGEN[@]}" --port "$MQ" --rate "$RATE" --seconds "$LIVE_SECONDS" --strings 1000 --window 2000)
  SENT=$(echo "$PUB" | sed -n 's/published=\([0-9]*\).*/\1/p')
  KEPT="no"
  for _ in $(seq 25); do
    S=$(python3 "$M" value "$URL" pvmonitor_samples_stored_total)
    if [ $((S - S0)) -ge "$SENT" ]; then KEPT="yes"; break; fi
    sleep 0.2
  done
  A=$(python3 "$M" buckets "$URL" pvmonitor_sample_age_at_store_seconds)
  echo "live $RATE msg/s: publisher $PUB; stored $((S - S0)) of $SENT; kept up: $KEPT; publish→stored p50 ≤ $(python3 "$M" p50 "$B" "$A") s, p99 ≤ $(python3 "$M" p99 "$B" "$A") s"
done

# --- 3. warm drain: the same backlog once more, now that the worker has run for a while (JIT and tiering done). The worker is
# paused (SIGSTOP) while the backlog is published, so the broker queues it, then resumed (SIGCONT); rate = BACKLOG / (time
# the last sample is stored - resume time).
mosquitto_sub -p "$MQ" -i ms-bench -q 1 -t 'pv/none' -W 1 >/dev/null 2>&1 || true   # clean session: stop queueing for mosquitto_sub
S0=$(python3 "$M" value "$URL" pvmonitor_samples_stored_total)
kill -STOP "$WORKER"
"${LOADGEN[@]}" --port "$MQ" --count "$BACKLOG" --strings 1000 --window 2000 >/dev/null
C0=$(cpu_snapshot)
T0=$(now)
kill -CONT "$WORKER"
while true; do
  if [ "$(date +%s)" -gt "$(( ${T0%.*} + ${DRAIN_TIMEOUT:-600} ))" ]; then echo "worker did not store the warm backlog in time"; exit 1; fi
  S=$(python3 "$M" value "$URL" pvmonitor_samples_stored_total 2>/dev/null || echo 0)
  if [ $((S - S0)) -ge "$BACKLOG" ]; then T1=$(now); C1=$(cpu_snapshot); break; fi
  sleep 0.2
done
echo "warm worker drain: $(python3 -c "print(round($BACKLOG/($T1-$T0)))") msg/s (stored $((S - S0)) of $BACKLOG)"
cpu_report "the warm drain" "$C0" "$C1" "$T0" "$T1" "$BACKLOG"

# --- per-stage averages over the whole run
python3 "$M" stages "$URL"

# --- 4. memory
echo "worker memory: $(grep -E 'VmHWM|VmRSS' /proc/$WORKER/status | tr -s ' ' | tr '\n' ' ')"
