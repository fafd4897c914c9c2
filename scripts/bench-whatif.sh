#!/usr/bin/env bash
# What-if benchmark: `rebate simulate --policy --period` against `rebate period close` on the same
# large data. bench-close.sh generates the quarter (BENCH_CLOSE_DEALERS dealers, default 10,000)
# in a database of its own and closes it; the what-if then recomputes that quarter with the same
# policy beside the stored result, writing nothing. Target: what-if ≤ close. Prints one JSON line.
#   scripts/bench-whatif.sh REBATE_BIN DATABASE_URL      (BENCH_CLOSE_DEALERS=1000 for a quick run)
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rebate-bench-whatif.XXXXXX)
trap 'rm -rf "$work"' EXIT

close_json=$("$here/scripts/bench-close.sh" "$rebate" "$admin_url")
close=$(sed -E 's/.*"close_seconds":([0-9.]+).*/\1/' <<<"$close_json")
dealers=$(sed -E 's/.*"dealers":([0-9]+).*/\1/' <<<"$close_json")
# bench-close.sh leaves its database in place.
source "$here/scripts/bench-db.sh"
url=$(bench_url "$admin_url" close)

now() { date +%s.%N; }
echo "bench-whatif: simulate" >&2
start=$(now)
/usr/bin/time -v -o "$work/whatif.time" "$rebate" simulate --period 2026-Q3 \
  --policy "$here/policies/standard-2026.toml" --database "$url" >"$work/whatif.out"
whatif=$(echo "$(now) - $start" | bc)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/whatif.time")
identical=false
grep -q "simulated identical to the actual result" "$work/whatif.out" && identical=true
ratio=$(echo "scale=2; $whatif / $close" | bc)
printf '{"dealers":%d,"whatif_seconds":%.2f,"close_seconds":%.2f,"ratio":%.2f,"identical":%s,"peak_rss_mb":%d,"target_ratio":1}\n' \
  "$dealers" "$whatif" "$close" "$ratio" "$identical" $((rss_kb / 1024))
