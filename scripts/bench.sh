#!/usr/bin/env bash
# Benchmarks, measured in one run on this machine, written to docs/performance.md.
# Each part prints one JSON line; this script turns them into the report.
#   scripts/bench.sh REBATE_BIN PGDIR
set -euo pipefail
rebate=$(realpath "$1"); pgdir=$2
work=$(mktemp -d /tmp/rebate-bench.XXXXXX)
trap 'rm -rf "$work"; [ -z "${KEEP_DB:-}" ] && scripts/pg.sh stop "$pgdir"' EXIT
url=$(scripts/pg.sh start "$pgdir" rebate_bench)
results="$work/results.jsonl"
: >"$results"
part() { # name, command...
  local name=$1; shift
  echo "bench: $name" >&2
  local line
  if line=$("$@" | tail -n 1); then
    printf '{"part":"%s","result":%s}\n' "$name" "$line" >>"$results"
  else
    printf '{"part":"%s","result":{"error":"failed"}}\n' "$name" >>"$results"
  fi
}

generator_memory() {
  /usr/bin/time -f '%M %e' -o "$work/gen.time" "$rebate" demo-data --seed 7 --scale 50 \
    --out "$work/large" >/dev/null
  read -r rss_kb seconds <"$work/gen.time"
  lines=$(($(wc -l <"$work/large/invoices.csv") - 1))
  rm -rf "$work/large"
  printf '{"invoice_lines":%d,"peak_rss_mb":%d,"seconds":%s}\n' "$lines" $((rss_kb / 1024)) "$seconds"
}

part import scripts/bench-import.sh "$rebate" "$url" 1000000
part generator generator_memory
part quote "$rebate" bench quote --steps 50 --dealers 10000 --quotes 2000000
part close scripts/bench-close.sh "$rebate" "$url"
part whatif scripts/bench-whatif.sh "$rebate" "$url"
part sellout scripts/bench-sellout.sh "$rebate" "$url"
part http scripts/bench-serve.sh "$rebate" "$url"

python3 scripts/bench-report.py "$results" >docs/performance.md
cat docs/performance.md
