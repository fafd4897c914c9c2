#!/usr/bin/env bash
# Load-tests an HTTP endpoint with wrk and prints one JSON line:
#   {"url":...,"duration_s":...,"threads":...,"connections":...,"requests":...,
#    "requests_per_second":...,"p50_ms":...,"p99_ms":...,"non_2xx":...,"socket_errors":...}
# Usage: scripts/bench-http.sh URL [DURATION_SECONDS=10] [CONNECTIONS=32] [THREADS=2]
# Needs wrk: scripts/deps.sh bench. Start the server first (e.g. `rebate serve`).
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 URL [DURATION_SECONDS] [CONNECTIONS] [THREADS]" >&2
  exit 2
fi
url=$1
duration_s=${2:-10}
connections=${3:-32}
threads=${4:-2}
for number in "$duration_s" "$connections" "$threads"; do
  [[ $number =~ ^[1-9][0-9]*$ ]] || { echo "error: '$number' is not a positive integer" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "error: wrk is missing; run scripts/deps.sh bench" >&2; exit 1; }

output=$(wrk --latency -t"$threads" -c"$connections" -d"${duration_s}s" "$url")

# wrk prints latencies with a unit (us, ms, s, m); everything is converted to milliseconds.
echo "$output" | awk -v url="$url" -v duration="$duration_s" -v threads="$threads" \
  -v connections="$connections" '
  function ms(text,   value) {
    value = text + 0
    if (text ~ /us$/) return value / 1000
    if (text ~ /ms$/) return value
    if (text ~ /m$/) return value * 60000
    if (text ~ /s$/) return value * 1000
    return -1
  }
  /^Requests\/sec:/ { rps = $2 }
  /requests in/ { requests = $1 }
  /^ +50%/ { p50 = ms($2) }
  /^ +99%/ { p99 = ms($2) }
  /Non-2xx or 3xx responses:/ { non2xx = $NF }
  /Socket errors:/ {
    for (i = 3; i <= NF; i += 2) { gsub(",", "", $(i + 1)); errors += $(i + 1) }
  }
  END {
    if (rps == "" || p99 == "") { print "error: could not read wrk output" > "/dev/stderr"; exit 1 }
    gsub("\"", "\\\"", url)
    printf "{\"url\":\"%s\",\"duration_s\":%d,\"threads\":%d,\"connections\":%d,", url, duration, threads, connections
    printf "\"requests\":%d,\"requests_per_second\":%.2f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,", requests, rps, p50, p99
    printf "\"non_2xx\":%d,\"socket_errors\":%d}\n", non2xx + 0, errors + 0
  }'
