# Shared helpers of the bench scripts (source it: `. "$HERE/../lib.sh"`).

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Waits up to 30 s until 127.0.0.1:PORT accepts connections.
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

# Median of the numbers on stdin, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# influxd_conf DIR HTTP_PORT RPC_PORT: writes DIR/influxdb.conf for a private InfluxDB 1.x on 127.0.0.1 with its data
# under DIR; reporting, monitoring, logging of queries/requests, continuous queries, subscribers and pprof off.
influxd_conf() {
  mkdir -p "$1"
  cat > "$1/influxdb.conf" <<CONF
reporting-enabled = false
bind-address = "127.0.0.1:$3"
[meta]
  dir = "$1/meta"
  logging-enabled = false
[data]
  dir = "$1/data"
  wal-dir = "$1/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$2"
  log-enabled = false
  pprof-enabled = false
[continuous_queries]
  enabled = false
[subscriber]
  enabled = false
[logging]
  level = "warn"
CONF
}
