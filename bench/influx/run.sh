#!/usr/bin/env bash
# Reproduces the InfluxDB numbers in bench/README.md ("## InfluxDB").
#   bench/influx/run.sh [ROUNDS] [POINTS]      (defaults: 5 rounds, 500000 points per run)
# Needs: dotnet, influxd (apt-get install influxdb), curl, python3.
# 1. encoding throughput on one core (build + encode PV telemetry points; values as instruments report them, then full-precision doubles),
#    then the line-protocol choice: our encoder vs InfluxDB.Client's PointData, and the writer's client-side CPU per point on the
#    v1 endpoint vs the v2 endpoint (InfluxDB.Client WriteApiAsync) with no server (client-cost);
# 2. a private influxd on 127.0.0.1 (free ports, temp data folder, killed by PID at the end);
# 3. per round: the same 5,000-point batch files posted by one curl process (keep-alive, sequential),
#    then PvMonitor's InfluxWriter (encoding included) without and with gzip, each into a fresh database.
set -euo pipefail
ROUNDS=${1:-5}
POINTS=${2:-500000}
BATCH=5000
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d /tmp/pvinflux-bench.XXXXXX)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

. "$HERE/../lib.sh"

dotnet build -c Release "$HERE/PvMonitor.Influx.Bench.csproj" -o "$WORK/bin" >/dev/null
BENCH=("dotnet" "$WORK/bin/PvMonitor.Influx.Bench.dll")

echo "== encoding (one thread)"
"${BENCH[@]}" encode --points 2000000 --repeats 7 | tee "$WORK/encode.txt"
"${BENCH[@]}" encode --points 2000000 --repeats 7 --full-precision true | tee -a "$WORK/encode.txt"
"${BENCH[@]}" client-cost --points 1000000 --repeats 5 | tee -a "$WORK/encode.txt"

HTTP=$(free_port); RPC=$(free_port)
influxd_conf "$WORK" "$HTTP" "$RPC"
influxd -config "$WORK/influxdb.conf" >"$WORK/influxd.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HTTP/ping" >/dev/null && break; sleep 0.1; done
URL="http://127.0.0.1:$HTTP"
echo "== influxd $(influxd version | head -1) on $URL (pid $PID), $POINTS points per run, $BATCH-point batches, $ROUNDS rounds"

"${BENCH[@]}" make-batches --out "$WORK/batches" --points "$POINTS" --batch "$BATCH" >/dev/null
: > "$WORK/curl.cfg.tmpl"
first=1
for f in "$WORK"/batches/*.lp; do
  [ $first -eq 1 ] || echo 'next' >> "$WORK/curl.cfg.tmpl"
  first=0
  printf 'url = "%s"\ndata-binary = "@%s"\noutput = "/dev/null"\nfail\nsilent\n' '__URL__' "$f" >> "$WORK/curl.cfg.tmpl"
done

run_curl() { # $1 = database
  curl -sf -XPOST "$URL/query" --data-urlencode "q=CREATE DATABASE $1" >/dev/null
  sed "s#__URL__#$URL/write?db=$1\&precision=ms#" "$WORK/curl.cfg.tmpl" > "$WORK/curl.cfg"
  local t0 t1
  sleep 2 # the same settling pause the writer run takes after its warm-up
  t0=$(date +%s.%N)
  curl -K "$WORK/curl.cfg"
  t1=$(date +%s.%N)
  python3 -c "print(round($POINTS/($t1-$t0)))"
}
run_ours() { # $1 = database, $2 = gzip
  "${BENCH[@]}" ingest --url "$URL" --db "$1" --points "$POINTS" --batch "$BATCH" --gzip "$2" | tee -a "$WORK/ingest.log" | awk '/^RESULT/ {print $3}'
}

# Rounds alternate the order (curl first, then the writer first) and each round's ratio is kept, so a machine whose load
# drifts during the run biases neither side; medians are over rounds.
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    c=$(run_curl "curl_$r"); o=$(run_ours "ours_$r" false); g=$(run_ours "gzip_$r" true)
  else
    g=$(run_ours "gzip_$r" true); o=$(run_ours "ours_$r" false); c=$(run_curl "curl_$r")
  fi
  echo "round $r: curl $c, writer $o ($(python3 -c "print(f'{$o/$c:.2f}')")x), writer+gzip $g ($(python3 -c "print(f'{$g/$c:.2f}')")x) points/s; load $(cut -d' ' -f1 /proc/loadavg)"
  echo "$c" >> "$WORK/curl.rates"; echo "$o" >> "$WORK/ours.rates"; echo "$g" >> "$WORK/gzip.rates"
  python3 -c "print($o/$c)" >> "$WORK/ours.ratios"; python3 -c "print($g/$c)" >> "$WORK/gzip.ratios"
done

C=$(median < "$WORK/curl.rates"); O=$(median < "$WORK/ours.rates"); G=$(median < "$WORK/gzip.rates")
RO=$(median < "$WORK/ours.ratios"); RG=$(median < "$WORK/gzip.ratios")
echo "== medians over $ROUNDS rounds"
echo "curl (same batch files)   : $C points/s"
echo "InfluxWriter, no gzip     : $O points/s  median ratio $(python3 -c "print(f'{$RO:.2f}')")"
echo "InfluxWriter, gzip        : $G points/s  median ratio $(python3 -c "print(f'{$RG:.2f}')")"
grep '^RESULT' "$WORK/encode.txt"
