#!/usr/bin/env bash
# Reproduces the MQTT numbers in bench/README.md ("## MQTT").
#   bench/mqtt/run.sh [ROUNDS] [COUNT]      (defaults: 5 rounds, 100000 messages of 100 bytes per run)
# Needs: dotnet, mosquitto + mosquitto-clients (apt-get install mosquitto mosquitto-clients), python3.
#
# A private mosquitto on 127.0.0.1 (free port, temp folder, killed by PID at the end). Per QoS (0, 1) and round:
#   drain: two persistent sessions subscribe to one topic (mosquitto_sub's and PvMonitor's), go offline, COUNT messages
#          are published (queued twice by the broker), then each subscriber drains its backlog alone (order alternates
#          per round). This is the subscriber's receive capacity.
#   live:  mosquitto_sub and PvMonitor's client subscribe to the same topic at the same time and receive the same live
#          stream from one publisher. Both are bounded by the publisher and broker sharing this machine's cores.
# Rate = (COUNT-1) / (time of last message - time of first message), for mosquitto_sub from its -F %U timestamps,
# for PvMonitor from a Stopwatch in the receive loop (QoS 1 messages acked one by one via AckAsync).
set -euo pipefail
ROUNDS=${1:-5}
COUNT=${2:-100000}
SIZE=100
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/pvmqtt-bench.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

. "$HERE/../lib.sh"
# Rate from a file of mosquitto_sub -F %U lines ("seconds.nanoseconds" per message).
sub_rate() { python3 -c "import sys; t=[float(x) for x in open(sys.argv[1]).read().split()]; print(round((len(t)-1)/(t[-1]-t[0])) if len(t)==int(sys.argv[2]) else 0)" "$1" "$COUNT"; }
our_rate() { sed -n 's/.* rate=\([0-9]*\).*/\1/p' "$1"; }
our_alloc() { sed -n 's/.* alloc_bytes_per_msg=\([0-9]*\).*/\1/p' "$1"; }

dotnet build -c Release "$HERE/PvMonitor.Mqtt.Bench.csproj" -o "$WORK/bin" >/dev/null
BENCH=("dotnet" "$WORK/bin/PvMonitor.Mqtt.Bench.dll")

echo "== decode (codec only, one thread)"
"${BENCH[@]}" decode --count 2000000 --size $SIZE --repeats 5 | tail -1

PORT=$(free_port)
cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
queue_qos0_messages true
user root
CONF
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
PID=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
echo "== mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') on 127.0.0.1:$PORT, $COUNT messages of $SIZE bytes, $ROUNDS rounds, $(nproc) cores"

for QOS in 0 1; do
  : > "$WORK/drain-ms-$QOS"; : > "$WORK/drain-our-$QOS"; : > "$WORK/live-ms-$QOS"; : > "$WORK/live-our-$QOS"
  for R in $(seq "$ROUNDS"); do
    T="bench/q$QOS/r$R"
    # --- drain
    mosquitto_sub -p "$PORT" -c -i "ms-$QOS-$R" -q "$QOS" -t "$T/drain" -E
    "${BENCH[@]}" subscribe-only --port "$PORT" --topic "$T/drain" --qos "$QOS" --client-id "our-$QOS-$R"
    "${BENCH[@]}" publish --port "$PORT" --topic "$T/drain" --qos "$QOS" --count "$COUNT" --size $SIZE > "$WORK/pub.txt"
    drain_ms() { mosquitto_sub -p "$PORT" -c -i "ms-$QOS-$R" -q "$QOS" -t "$T/drain" -C "$COUNT" -W 300 -F %U > "$WORK/ms.txt"; }
    drain_our() { "${BENCH[@]}" receive --port "$PORT" --topic "$T/drain" --qos "$QOS" --count "$COUNT" --client-id "our-$QOS-$R" --session persistent > "$WORK/our.txt"; }
    if (( R % 2 )); then drain_ms; drain_our; else drain_our; drain_ms; fi
    DMS=$(sub_rate "$WORK/ms.txt"); DOUR=$(our_rate "$WORK/our.txt"); DALLOC=$(our_alloc "$WORK/our.txt")
    echo "$DMS" >> "$WORK/drain-ms-$QOS"; echo "$DOUR" >> "$WORK/drain-our-$QOS"
    # --- live
    rm -f "$WORK/ready"
    mosquitto_sub -p "$PORT" -q "$QOS" -t "$T/live" -C "$COUNT" -W 300 -F %U > "$WORK/ms.txt" &
    MS_PID=$!
    "${BENCH[@]}" receive --port "$PORT" --topic "$T/live" --qos "$QOS" --count "$COUNT" --client-id "live-$QOS-$R" --ready-file "$WORK/ready" > "$WORK/our.txt" &
    OUR_PID=$!
    for _ in $(seq 100); do [ -f "$WORK/ready" ] && break; sleep 0.05; done
    sleep 0.3
    "${BENCH[@]}" publish --port "$PORT" --topic "$T/live" --qos "$QOS" --count "$COUNT" --size $SIZE > "$WORK/pub.txt"
    wait "$MS_PID" "$OUR_PID"
    LMS=$(sub_rate "$WORK/ms.txt"); LOUR=$(our_rate "$WORK/our.txt"); LPUB=$(our_rate "$WORK/pub.txt")
    echo "$LMS" >> "$WORK/live-ms-$QOS"; echo "$LOUR" >> "$WORK/live-our-$QOS"
    echo "qos=$QOS round=$R  drain: mosquitto_sub=$DMS pvmonitor=$DOUR (${DALLOC} B allocated/msg)  |  live (publisher $LPUB/s): mosquitto_sub=$LMS pvmonitor=$LOUR  msg/s"
  done
done

echo
echo "== medians (msg/s; ratio = PvMonitor / mosquitto_sub)"
for QOS in 0 1; do
  for MODE in drain live; do
    MS=$(median < "$WORK/$MODE-ms-$QOS"); OUR=$(median < "$WORK/$MODE-our-$QOS")
    printf "qos=%s %-5s mosquitto_sub=%8.0f  pvmonitor=%8.0f  ratio=%.2f\n" "$QOS" "$MODE" "$MS" "$OUR" "$(python3 -c "print($OUR/$MS if $MS else 0)")"
  done
done
