#!/usr/bin/env bash
# The PvMonitor stack without Docker on Debian/Ubuntu: mosquitto and InfluxDB from the distribution (InfluxDB 1.x there, so
# the worker uses Influx:Version=1), both on loopback with credentials, and the worker against them.
#
#   deploy/local-stack.sh start [options]   install what is missing (as root, apt-get), start all three, wait for /healthz
#   deploy/local-stack.sh stop  [--dir DIR] stop them (by the PIDs it recorded), worker first so it drains
#   deploy/local-stack.sh status [--dir DIR]
#
# Options: --dir DIR (state: configs, data, secrets, logs, PIDs; default ${XDG_STATE_HOME:-~/.local/state}/pvmonitor-stack),
#          --mqtt-port N (1883), --influx-port N (8086), --api-port N (5080),
#          --pvmonitor "CMD" (how to run the worker; default: pvmonitor on PATH, else dotnet run on this repository),
#          --no-install (never call apt-get).
# Secrets are generated on the first start into DIR/secrets.env (mode 600): MQTT passwords of users pvmonitor (reads) and
# plant (publishes pv/#), the InfluxDB admin password, and the operator API token (only its SHA-256 reaches the worker).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cmd=${1:-start}
[ $# -gt 0 ] && shift
dir=${XDG_STATE_HOME:-$HOME/.local/state}/pvmonitor-stack
mqtt_port=1883 influx_port=8086 api_port=5080 pvmonitor_cmd="" install=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --mqtt-port) mqtt_port=$2; shift 2 ;;
    --influx-port) influx_port=$2; shift 2 ;;
    --api-port) api_port=$2; shift 2 ;;
    --pvmonitor) pvmonitor_cmd=$2; shift 2 ;;
    --no-install) install=0; shift ;;
    *) echo "local-stack.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
run="$dir/run"

say() { echo "local-stack.sh: $*"; }
die() { echo "local-stack.sh: $*" >&2; exit 1; }
alive() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

stop_one() {
  local name=$1 pid
  [ -f "$run/$name.pid" ] || return 0
  pid=$(cat "$run/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { say "$name ($pid) did not stop in 60 s; killing it"; kill -KILL "$pid"; }
    say "stopped $name ($pid)"
  fi
  rm -f "$run/$name.pid"
}

wait_tcp() { # port seconds name
  for _ in $(seq 1 $(( $2 * 10 ))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    alive "$3" || die "$3 exited; see $dir/logs/$3.log"
    sleep 0.1
  done
  die "$3 did not listen on 127.0.0.1:$1 within $2 s; see $dir/logs/$3.log"
}

case "$cmd" in
  stop)
    stop_one pvmonitor; stop_one mosquitto; stop_one influxd
    exit 0 ;;
  status)
    for name in mosquitto influxd pvmonitor; do
      if alive "$name"; then echo "$name: running ($(cat "$run/$name.pid"))"; else echo "$name: stopped"; fi
    done
    exit 0 ;;
  start) ;;
  *) echo "usage: local-stack.sh start|stop|status [options]" >&2; exit 2 ;;
esac

# 1. The servers, from the distribution.
find_exe() { command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true; }
missing=()
for exe in mosquitto mosquitto_passwd influxd curl openssl; do [ -n "$(find_exe "$exe")" ] || missing+=("$exe"); done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    || die "missing ${missing[*]}: run as root on Debian/Ubuntu to install them (apt-get install mosquitto mosquitto-clients influxdb curl openssl)"
  say "installing mosquitto, mosquitto-clients, influxdb, curl, openssl (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packages' own services from starting: this script runs its own on the chosen ports.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients influxdb curl openssl >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
mosquitto=$(find_exe mosquitto) mosquitto_passwd=$(find_exe mosquitto_passwd) influxd=$(find_exe influxd)

mkdir -p "$run" "$dir/logs" "$dir/mosquitto" "$dir/influxdb" "$dir/data"
chmod 700 "$dir"

# 2. Secrets, once.
secrets="$dir/secrets.env"
if [ ! -f "$secrets" ]; then
  token=$(openssl rand -hex 24)
  (umask 077; cat > "$secrets" <<ENV
MQTT_PVMONITOR_PASSWORD=$(openssl rand -hex 16)
MQTT_PLANT_PASSWORD=$(openssl rand -hex 16)
INFLUX_ADMIN_PASSWORD=$(openssl rand -hex 16)
PVMON_API_TOKEN=$token
PVMON_API_TOKEN_SHA256=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
ENV
  )
  say "generated secrets in $secrets"
fi
# shellcheck disable=SC1090
. "$secrets"

# 3. mosquitto on loopback with a password file, the ACL and the limits of deploy/mosquitto.conf.
if ! alive mosquitto; then
  "$mosquitto_passwd" -b -c "$dir/mosquitto/passwd" pvmonitor "$MQTT_PVMONITOR_PASSWORD"
  "$mosquitto_passwd" -b "$dir/mosquitto/passwd" plant "$MQTT_PLANT_PASSWORD"
  cp "$here/mosquitto.acl" "$dir/mosquitto/acl"
  {
    echo "listener $mqtt_port 127.0.0.1"
    echo "allow_anonymous false"
    echo "password_file $dir/mosquitto/passwd"
    echo "acl_file $dir/mosquitto/acl"
    echo "persistence true"
    echo "persistence_location $dir/mosquitto/"
    # As root mosquitto would switch to the mosquitto user, which cannot read this folder.
    [ "$(id -u)" = 0 ] && echo "user root"
    grep -E '^max_' "$here/mosquitto.conf"
  } > "$dir/mosquitto/mosquitto.conf"
  "$mosquitto" -c "$dir/mosquitto/mosquitto.conf" > "$dir/logs/mosquitto.log" 2>&1 &
  echo $! > "$run/mosquitto.pid"
  wait_tcp "$mqtt_port" 20 mosquitto
  say "mosquitto on 127.0.0.1:$mqtt_port (users pvmonitor, plant)"
fi

# 4. InfluxDB 1.x on loopback with authentication, an admin user and the database.
influx="http://127.0.0.1:$influx_port"
if ! alive influxd; then
  rpc_port=$(( influx_port + 1 ))
  cat > "$dir/influxdb/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$rpc_port"
[meta]
  dir = "$dir/influxdb/meta"
[data]
  dir = "$dir/influxdb/data"
  wal-dir = "$dir/influxdb/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$influx_port"
  auth-enabled = true
  log-enabled = false
CONF
  "$influxd" -config "$dir/influxdb/influxdb.conf" > "$dir/logs/influxd.log" 2>&1 &
  echo $! > "$run/influxd.pid"
  wait_tcp "$influx_port" 60 influxd
  for _ in $(seq 1 100); do curl -fsS "$influx/ping" >/dev/null 2>&1 && break; sleep 0.1; done
  # The first user may be created without credentials while none exists; afterwards every request needs them.
  curl -fsS -XPOST "$influx/query" --data-urlencode "q=CREATE USER admin WITH PASSWORD '$INFLUX_ADMIN_PASSWORD' WITH ALL PRIVILEGES" >/dev/null 2>&1 || true
  curl -fsS -XPOST -u "admin:$INFLUX_ADMIN_PASSWORD" "$influx/query" --data-urlencode "q=CREATE DATABASE pvmonitor" >/dev/null \
    || die "InfluxDB refused the admin credentials in $secrets"
  say "InfluxDB on $influx (database pvmonitor, user admin)"
fi

# 5. The worker.
if ! alive pvmonitor; then
  if [ -z "$pvmonitor_cmd" ]; then
    if command -v pvmonitor >/dev/null; then pvmonitor_cmd=pvmonitor
    else pvmonitor_cmd="dotnet run --project $repo/src/PvMonitor -c Release --"; fi
  fi
  # Secrets go through the environment, not the command line (which every user can read in ps).
  (
    export PVMON_Mqtt__Host=127.0.0.1 PVMON_Mqtt__Port=$mqtt_port PVMON_Mqtt__Username=pvmonitor PVMON_Mqtt__Password=$MQTT_PVMONITOR_PASSWORD
    export PVMON_Influx__Url=$influx PVMON_Influx__Version=1 PVMON_Influx__Database=pvmonitor
    export PVMON_Influx__Username=admin PVMON_Influx__Password=$INFLUX_ADMIN_PASSWORD
    export PVMON_Data__Path=$dir/data PVMON_Serilog__WriteTo__1__Args__path=$dir/logs/pvmonitor-.log
    export PVMON_Api__Urls=http://127.0.0.1:$api_port PVMON_Alerts__OperatorBaseUrl=http://127.0.0.1:$api_port
    export PVMON_Api__RequireAuth=true PVMON_Api__Tokens__0__Name=operator PVMON_Api__Tokens__0__Role=operator
    export PVMON_Api__Tokens__0__Sha256=$PVMON_API_TOKEN_SHA256
    export DOTNET_GCgen0size=0x2000000
    export MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=67108864 MALLOC_TOP_PAD_=16777216
    cd "$dir"
    # shellcheck disable=SC2086
    exec $pvmonitor_cmd run > "$dir/logs/pvmonitor.out" 2>&1
  ) &
  echo $! > "$run/pvmonitor.pid"
  for _ in $(seq 1 1800); do
    curl -fsS "http://127.0.0.1:$api_port/healthz" >/dev/null 2>&1 && break
    alive pvmonitor || die "pvmonitor exited; see $dir/logs/pvmonitor.out"
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$api_port/healthz" >/dev/null 2>&1 || die "pvmonitor did not answer /healthz within 180 s; see $dir/logs/pvmonitor.out"
fi

say "PvMonitor on http://127.0.0.1:$api_port (operator API token: PVMON_API_TOKEN in $secrets)"
say "publish telemetry as user plant: mosquitto_pub -h 127.0.0.1 -p $mqtt_port -u plant -P \"\$MQTT_PLANT_PASSWORD\" -q 1 -t pv/PLANT/INVERTER/STRING/telemetry -m '{\"time\":…}'"
say "stop with: $0 stop --dir $dir"
