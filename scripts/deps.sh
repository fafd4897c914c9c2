#!/usr/bin/env bash
# Installs what the project needs with apt-get, only when something is missing.
# Usage: scripts/deps.sh [bench|browser]  (extra tools for benchmarks or the browser test)
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql postgresql-contrib)
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
[ -f /usr/include/microhttpd.h ] || need+=(libmicrohttpd-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v psql >/dev/null || need+=(postgresql-client)
command -v runuser >/dev/null || need+=(util-linux)
for extra in "$@"; do
  case "$extra" in
    bench) command -v wrk >/dev/null || need+=(wrk)
           [ -x /usr/bin/time ] || need+=(time) ;;
    browser) command -v chromium >/dev/null || need+=(chromium) ;;
  esac
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v swift >/dev/null && [ ! -x /opt/swift/usr/bin/swift ]; then
  echo "error: the Swift 6 toolchain is not installed (expected at /opt/swift)" >&2
  exit 1
fi
