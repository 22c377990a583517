#!/usr/bin/env bash
# Runs every PvMonitor test. On Debian/Ubuntu as root it first installs the real servers the integration tests start
# (mosquitto, InfluxDB 1.x, openssl, curl, Chromium, docker-compose to validate docker-compose.yml, and Debian's python3-torch
# for the PyTorch interop test); the tests themselves start each server on 127.0.0.1 on a free port with its
# data in a temp folder and stop it (by PID) afterwards. Without root or apt-get, tests that need a missing server are
# reported as skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")"

packages=(mosquitto mosquitto-clients influxdb openssl curl chromium docker-compose python3-torch)
need_install=()
for exe in mosquitto mosquitto_sub influxd openssl curl chromium docker-compose; do
  command -v "$exe" >/dev/null 2>&1 || [ -x "/usr/sbin/$exe" ] || need_install+=("$exe")
done
# The PyTorch round-trip test (a saved model read by torch.load) needs Debian's python3 with torch.
/usr/bin/python3 -c "import torch" >/dev/null 2>&1 || need_install+=("python3-torch")
if [ ${#need_install[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${packages[*]} (missing: ${need_install[*]})"
    export DEBIAN_FRONTEND=noninteractive
    # Don't let package scripts start system services: the tests start their own servers on free ports.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  else
    echo "test.sh: NOTE: ${need_install[*]} missing and cannot install (need root + apt-get): tests that need them will be SKIPPED."
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A hung test fails its project after 5 minutes (and names the test) instead of blocking CI.
dotnet test PvMonitor.sln -c Release --nologo --blame-hang-timeout 5m --blame-hang-dump-type none 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test projects: "tests: N passed, N failed, N skipped".
awk '
  /^(Passed|Failed)! +- +Failed: / {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
  }
  /Test Run Aborted/ { aborted++ }
  END {
    if (aborted) printf "test.sh: %d test run(s) aborted (crash or hang), counted as failed\n", aborted
    printf "tests: %d passed, %d failed, %d skipped\n", p, f + aborted, s
  }' "$log"
exit "$status"
