#!/usr/bin/env bash
# A private PostgreSQL cluster inside the checkout, run as the `postgres` user on a Unix socket.
#   scripts/pg.sh start DIR DB   starts (initialising if needed) and creates database DB afresh;
#                                prints the DATABASE_URL to use
#   scripts/pg.sh stop DIR       stops it
# When DATABASE_URL is already set, `start` prints it unchanged and starts nothing.
set -euo pipefail
cmd=$1; dir=$(realpath -m "$2")
bin=/usr/lib/postgresql/15/bin
as_pg() { runuser -u postgres -- "$@"; }
# A socket path longer than the kernel's limit (107 bytes) fails; fall back to /tmp for deep clones.
sock="$dir/sock"
if [ ${#sock} -gt 80 ]; then sock="/tmp/rebate-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)"; fi
case "$cmd" in
  start)
    db=$3
    if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; exit 0; fi
    mkdir -p "$dir" "$sock"
    chown postgres:postgres "$dir" "$sock"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
        start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    url="postgresql:///$db?host=$sock&user=postgres"
    PGOPTIONS="-c client_min_messages=warning" psql -q -X "postgresql:///postgres?host=$sock&user=postgres" -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\"" >/dev/null
    echo "$url"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
  *) echo "usage: $0 start DIR DB | stop DIR" >&2; exit 2 ;;
esac
