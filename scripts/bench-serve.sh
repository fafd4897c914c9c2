#!/usr/bin/env bash
# HTTP benchmark of `rebate serve` on loopback: the quote route (token check + one database round
# trip + the pricing cascade) next to the same server's /health, in the same run, on a fresh
# sample database of its own. Prints one JSON line:
#   {"health":{…bench-http…},"quote":{…},"quote_vs_health":0.62,"targets":{…}}
# Targets (docs/performance.md): quote ≥ 50 % of /health throughput and ≥ 10,000 requests/s.
#   scripts/bench-serve.sh REBATE_BIN DATABASE_URL
#   (BENCH_SERVE_SECONDS=10 per round, BENCH_SERVE_ROUNDS=3, BENCH_SERVE_THREADS=2)
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2
seconds=${BENCH_SERVE_SECONDS:-10}
threads=${BENCH_SERVE_THREADS:-2}
port=${BENCH_SERVE_PORT:-18181}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rebate-bench-serve.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

source "$here/scripts/bench-db.sh"
url=$(bench_database "$admin_url" serve)
export DATABASE_URL=$url
"$rebate" db migrate --schema "$here/schema" >/dev/null
"$rebate" demo-data --seed 42 --out "$work/sample" >/dev/null
for kind in dealers products prices invoices payments; do
  "$rebate" import "$kind" "$work/sample/$kind.csv" >/dev/null
done
admin=$("$rebate" users add --name bench-admin --role admin 2>/dev/null)
sales=$("$rebate" users add --name bench-sales --role sales 2>/dev/null)
dealer=$(psql -X -qAt "$url" -c "SELECT dealer_id FROM dealers ORDER BY dealer_id LIMIT 1")
sku=$(psql -X -qAt "$url" -c "SELECT sku FROM price_list ORDER BY sku LIMIT 1")
dealer_token=$("$rebate" users add --name bench-dealer --role dealer --dealer "$dealer" 2>/dev/null)

"$rebate" serve --listen "127.0.0.1:$port" --threads "$threads" --access-log off >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs -X POST -H "Authorization: Bearer $admin" --data-binary @"$here/policies/standard-2026.toml" \
  "http://127.0.0.1:$port/api/policies" >/dev/null
curl -fs -X POST -H "Authorization: Bearer $sales" -H 'Content-Type: application/json' \
  -d '{"policy":"standard-2026","tier":"Gold","extra_discount":"1%","effective_from":"2026-01-01"}' \
  "http://127.0.0.1:$port/api/dealers/$dealer/terms" >/dev/null
quote_url="http://127.0.0.1:$port/api/dealers/$dealer/quote?sku=$sku&quantity=60&date=2026-07-15"
curl -fs -H "Authorization: Bearer $dealer_token" "$quote_url" >/dev/null

# bench-http.sh runs `wrk` from PATH; this wrapper adds the dealer's token to every request.
mkdir -p "$work/bin"
cat >"$work/bin/wrk" <<WRK
#!/usr/bin/env bash
exec $(command -v wrk) -H "Authorization: Bearer \$BENCH_TOKEN" "\$@"
WRK
chmod +x "$work/bin/wrk"
# Rounds alternate /health and the quote, so drift in the machine's load reaches both alike;
# each side is reported by its median round, and the ratio is of the two medians.
rounds=${BENCH_SERVE_ROUNDS:-3}
results="$work/rounds.jsonl"
for _ in $(seq "$rounds"); do
  echo "health $("$here/scripts/bench-http.sh" "http://127.0.0.1:$port/health" "$seconds" 32 2)" >>"$results"
  echo "quote $(BENCH_TOKEN=$dealer_token PATH="$work/bin:$PATH" \
    "$here/scripts/bench-http.sh" "$quote_url" "$seconds" 32 2)" >>"$results"
done
python3 - "$results" "$threads" <<'PY'
import json, sys
rounds = {"health": [], "quote": []}
for line in open(sys.argv[1]):
    side, record = line.split(" ", 1)
    rounds[side].append(json.loads(record))
def median(records):
    ordered = sorted(records, key=lambda r: r["requests_per_second"])
    return ordered[len(ordered) // 2]
health, quote, threads = median(rounds["health"]), median(rounds["quote"]), int(sys.argv[2])
ratio = quote["requests_per_second"] / max(health["requests_per_second"], 1)
print(json.dumps({
    "server_threads": threads,
    "rounds": len(rounds["quote"]),
    "health": health,
    "quote": quote,
    "health_rounds_rps": [round(r["requests_per_second"]) for r in rounds["health"]],
    "quote_rounds_rps": [round(r["requests_per_second"]) for r in rounds["quote"]],
    "quote_vs_health": round(ratio, 3),
    "targets": {"quote_vs_health_min": 0.5, "quote_rps_min": 10000,
                "met": ratio >= 0.5 and quote["requests_per_second"] >= 10000
                       and all(r["non_2xx"] == 0 for r in rounds["quote"])},
}, sort_keys=True))
PY
