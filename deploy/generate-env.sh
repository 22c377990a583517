#!/usr/bin/env bash
# Writes the secrets docker-compose.yml needs into an env file (default ./.env next to docker-compose.yml, mode 600) and
# prints the operator API token once: only its SHA-256 is stored (Api:Tokens:0:Sha256), so keep the printed token.
# An existing file is never overwritten.
#   deploy/generate-env.sh [FILE]
set -euo pipefail
file=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.env"}
if [ -e "$file" ]; then
  echo "generate-env.sh: $file exists; not overwriting it" >&2
  exit 1
fi
rand() { openssl rand -hex "$1"; }
api_token=$(rand 24)
umask 077
cat > "$file" <<ENV
# PvMonitor compose stack secrets (generated $(date -u +%Y-%m-%dT%H:%M:%SZ)). Keep this file private.
MQTT_PVMONITOR_PASSWORD=$(rand 16)
MQTT_PLANT_PASSWORD=$(rand 16)
INFLUX_ORG=pvmonitor
INFLUX_BUCKET=pv
INFLUX_ADMIN_PASSWORD=$(rand 16)
INFLUX_TOKEN=$(rand 32)
GRAFANA_ADMIN_PASSWORD=$(rand 16)
PVMON_API_TOKEN_SHA256=$(printf %s "$api_token" | sha256sum | cut -d' ' -f1)
ENV
echo "wrote $file"
echo "operator API token (Authorization: Bearer …; shown once, only its SHA-256 is stored): $api_token"
