#!/usr/bin/env bash
# Browser test of the dealer portal in headless Chromium (Debian's `chromium`, no display
# needed): a database of its own, `rebate serve`, then scripts/browser_test.py drives sign-in,
# a rejected and an accepted sell-out upload, the progress bars and a printable statement.
#   scripts/browser-test.sh REBATE_BIN DATABASE_URL      (scripts/deps.sh browser installs chromium)
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2
port=${BROWSER_TEST_PORT:-18282}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rebate-browser.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
command -v chromium >/dev/null || { echo "error: chromium is missing; run scripts/deps.sh browser" >&2; exit 1; }

base=${admin_url%%\?*}; params=${admin_url#"$base"}; name=${base##*/}
url="${base%/*}/${name}_browser${params}"
psql -X -q "$admin_url" -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"${name}_browser\" WITH (FORCE)" \
  -c "CREATE DATABASE \"${name}_browser\"" >/dev/null
export DATABASE_URL=$url
"$rebate" db migrate --schema "$here/schema" >/dev/null
psql -X -q "$url" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO dealers VALUES ('D-01', 'Alpha Tools', 'Gold', 'Retail', 'North', 'active');
INSERT INTO products VALUES ('SKU-1', 'Cordless drill', 'Power tools', 'Acme', 690000);
INSERT INTO price_list VALUES ('SKU-1', '2026-01-01', 1000000);
INSERT INTO invoices VALUES ('D-01', 'INV-1', 'invoice', '2026-07-01', '2026-07-31', 20, NULL, 'x');
INSERT INTO invoice_lines VALUES ('D-01', 'INV-1', 1, 'SKU-1', 200, 1000000, 724500, 144900000);
INSERT INTO payments VALUES ('D-01', 'PAY-1', '2026-07-08', 173880000, 'INV-1');
SQL
admin=$("$rebate" users add --name browser-admin --role admin 2>/dev/null)
sales=$("$rebate" users add --name browser-sales --role sales 2>/dev/null)
finance=$("$rebate" users add --name browser-finance --role finance 2>/dev/null)
dealer=$("$rebate" users add --name browser-dealer --role dealer --dealer D-01 2>/dev/null)

"$rebate" serve --listen "127.0.0.1:$port" --threads 2 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
api() { curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $1" "${@:2}"; }
api "$admin" --data-binary @"$here/policies/standard-2026.toml" "http://127.0.0.1:$port/api/policies"
api "$sales" -H 'Content-Type: application/json' \
  -d '{"policy":"standard-2026","tier":"Gold","effective_from":"2026-01-01"}' \
  "http://127.0.0.1:$port/api/dealers/D-01/terms"
api "$finance" -H 'Content-Type: application/json' -d '{"policy":"standard-2026"}' \
  "http://127.0.0.1:$port/api/periods/2026-Q3/close"

python3 "$here/scripts/browser_test.py" "http://127.0.0.1:$port" D-01 "$dealer" 2026-Q3 "$work"
