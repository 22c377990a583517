#!/usr/bin/env bash
# Reproduces the MQTT numbers in bench/README.md ("## MQTT").
#   bench/mqtt/run.sh [ROUNDS] [COUNT] [BACKLOG]     (defaults: 3 rounds of 200000 messages; a 1000000-message backlog; 100-byte payloads)
# Needs: dotnet, mosquitto + mosquitto-clients (apt-get install mosquitto mosquitto-clients), python3, /usr/bin/time.
#
# A private mosquitto on 127.0.0.1 (free port, temp folder, killed by PID at the end), MQTT 3.1.1, QoS 1.
#  1. drain, side by side: three persistent sessions subscribe to one topic and go offline — mosquitto_sub's, PvMonitor's
#     adapter (MqttIngestClient on MQTTnet's low-level client, the worker's route) and MQTTnet's high-level MqttClient
#     (AutoAcknowledge off, handler waits for room in a bounded queue, AcknowledgeAsync per message); COUNT messages are
#     published (queued three times by the broker); then each drains its backlog alone, in an order that rotates per round.
#     Rate = (COUNT-1) / (time of last message - time of first); mosquitto_sub from its -F %U timestamps. CPU µs/msg: the
#     client process's user+system CPU over the drain (mosquitto_sub: /usr/bin/time of the whole process, so a little high).
#  2. backlog: adapter and high-level client each drain a BACKLOG-message backlog while their consumer is paced at
#     CONSUME_RATE msg/s (default 20000, a pipeline at the worker's rate): the socket is faster than the consumer, so the
#     client's memory shows whether back-pressure reaches the socket. RSS sampled at 10/50/90 % of the drain, and VmHWM.
set -euo pipefail
ROUNDS=${1:-3}
COUNT=${2:-200000}
BACKLOG=${3:-1000000}
CONSUME_RATE=${CONSUME_RATE:-20000}
SIZE=100
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d /tmp/pvmqtt-bench.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

. "$HERE/../lib.sh"
# Rate from a file of mosquitto_sub -F %U lines ("seconds.nanoseconds" per message).
sub_rate() { python3 -c "import sys; t=[float(x) for x in open(sys.argv[1]).read().split()]; print(round((len(t)-1)/(t[-1]-t[0])) if len(t)==int(sys.argv[2]) else 0)" "$1" "$2"; }
field() { sed -n "s/.* $1=\([0-9.,-]*\).*/\1/p" "$2"; }

dotnet build -c Release "$HERE/PvMonitor.Mqtt.Bench.csproj" -o "$WORK/bin" >/dev/null
BENCH=("dotnet" "$WORK/bin/PvMonitor.Mqtt.Bench.dll")

PORT=$(free_port)
cat > "$WORK/mosquitto.conf" <<CONF
listener $PORT 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
user root
CONF
mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
PID=$!
wait_port "$PORT"
echo "== mosquitto $(mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') on 127.0.0.1:$PORT, QoS 1, $COUNT messages of $SIZE bytes, $ROUNDS rounds, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for f in ms ad hl ms-cpu ad-cpu hl-cpu ad-alloc hl-alloc ad-rss hl-rss; do : > "$WORK/$f"; done
for R in $(seq "$ROUNDS"); do
  T="bench/r$R"
  mosquitto_sub -p "$PORT" -c -i "ms-$R" -q 1 -t "$T" -E
  "${BENCH[@]}" subscribe-only --port "$PORT" --topic "$T" --client-id "ad-$R"
  "${BENCH[@]}" subscribe-only --port "$PORT" --topic "$T" --client-id "hl-$R"
  "${BENCH[@]}" publish --port "$PORT" --topic "$T" --qos 1 --count "$COUNT" --size $SIZE --window 1000 > "$WORK/pub.txt"
  drain_ms() { /usr/bin/time -f "%U %S" -o "$WORK/ms-time.txt" mosquitto_sub -p "$PORT" -c -i "ms-$R" -q 1 -t "$T" -C "$COUNT" -W 300 -F %U > "$WORK/ms.txt"; }
  drain_ad() { "${BENCH[@]}" receive --client adapter --port "$PORT" --topic "$T" --qos 1 --count "$COUNT" --client-id "ad-$R" --session persistent > "$WORK/ad.txt"; }
  drain_hl() { "${BENCH[@]}" receive --client mqttnet --port "$PORT" --topic "$T" --qos 1 --count "$COUNT" --client-id "hl-$R" --session persistent > "$WORK/hl.txt"; }
  case $(( R % 3 )) in
    1) drain_ms; drain_ad; drain_hl ;;
    2) drain_ad; drain_hl; drain_ms ;;
    0) drain_hl; drain_ms; drain_ad ;;
  esac
  MS=$(sub_rate "$WORK/ms.txt" "$COUNT"); MSCPU=$(python3 -c "import sys; u,s=open(sys.argv[1]).read().split()[-2:]; print('%.1f' % ((float(u)+float(s))*1e6/int(sys.argv[2])))" "$WORK/ms-time.txt" "$COUNT")
  echo "$MS" >> "$WORK/ms"; echo "$MSCPU" >> "$WORK/ms-cpu"
  for C in ad hl; do
    field rate "$WORK/$C.txt" >> "$WORK/$C"; field cpu_us_per_msg "$WORK/$C.txt" >> "$WORK/$C-cpu"
    field alloc_bytes_per_msg "$WORK/$C.txt" >> "$WORK/$C-alloc"; field peak_rss_mb "$WORK/$C.txt" >> "$WORK/$C-rss"
  done
  echo "round $R: mosquitto_sub $MS msg/s ($MSCPU µs/msg) | adapter $(field rate "$WORK/ad.txt") msg/s ($(field cpu_us_per_msg "$WORK/ad.txt") µs/msg, $(field alloc_bytes_per_msg "$WORK/ad.txt") B/msg, peak $(field peak_rss_mb "$WORK/ad.txt") MB) | MQTTnet MqttClient $(field rate "$WORK/hl.txt") msg/s ($(field cpu_us_per_msg "$WORK/hl.txt") µs/msg, $(field alloc_bytes_per_msg "$WORK/hl.txt") B/msg, peak $(field peak_rss_mb "$WORK/hl.txt") MB) | load $(cut -d' ' -f1 /proc/loadavg)"
done

echo
echo "== drain medians (ratio = client / mosquitto_sub, same run)"
MS=$(median < "$WORK/ms")
printf "mosquitto_sub        %8.0f msg/s  %5.1f µs/msg\n" "$MS" "$(median < "$WORK/ms-cpu")"
for C in ad hl; do
  NAME=$([ $C = ad ] && echo "adapter (low-level)" || echo "MQTTnet MqttClient ")
  R=$(median < "$WORK/$C")
  printf "%s  %8.0f msg/s  %5.1f µs/msg  %5.0f B/msg  peak RSS %4.0f MB  ratio %.2f\n" "$NAME" "$R" "$(median < "$WORK/$C-cpu")" "$(median < "$WORK/$C-alloc")" "$(median < "$WORK/$C-rss")" "$(python3 -c "print($R/$MS)")"
done

if [ "$BACKLOG" -gt 0 ]; then
  echo
  echo "== backlog of $BACKLOG messages, consumer paced at $CONSUME_RATE msg/s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "${BENCH[@]}" subscribe-only --port "$PORT" --topic bench/backlog --client-id ad-big
  "${BENCH[@]}" subscribe-only --port "$PORT" --topic bench/backlog --client-id hl-big
  "${BENCH[@]}" publish --port "$PORT" --topic bench/backlog --qos 1 --count "$BACKLOG" --size $SIZE --window 1000
  "${BENCH[@]}" receive --client adapter --port "$PORT" --topic bench/backlog --qos 1 --count "$BACKLOG" --client-id ad-big --session persistent --consume-rate "$CONSUME_RATE"
  "${BENCH[@]}" receive --client mqttnet --port "$PORT" --topic bench/backlog --qos 1 --count "$BACKLOG" --client-id hl-big --session persistent --consume-rate "$CONSUME_RATE"
fi
