#!/usr/bin/env bash
# `make demo`: a private PostgreSQL (or $DATABASE_URL), the sample data, and the main job —
# import, quotes, the quarter's close — with what a user would want to see.
set -euo pipefail
rebate=$(realpath "$1"); pgdir=$2
sample=var/sample
DATABASE_URL=$(scripts/pg.sh start "$pgdir" rebate_demo)
export DATABASE_URL
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ rebate %s\n' "$*"; "$rebate" "$@"; }
# Runs a command and shows only its first N lines (its full output is in var/demo-output/).
first() {
  local lines=$1; shift
  local out="var/demo-output/$(printf '%s' "$*" | tr -c 'A-Za-z0-9-' '_' | cut -c1-60).txt"
  printf '$ rebate %s\n' "$*"
  "$rebate" "$@" >"$out"
  head -n "$lines" "$out"
  local total; total=$(wc -l <"$out")
  if [ "$total" -gt "$lines" ]; then echo "... ($((total - lines)) more lines in $out)"; fi
}
mkdir -p var/demo-output

say "Database"
echo "$DATABASE_URL"
run db migrate

say "Sample data: 200 dealers, 500 SKUs, July 2025 to October 2026 (seed 42)"
rm -rf "$sample"
run demo-data --seed 42 --out "$sample"
for kind in dealers products prices price_changes invoices payments; do
  run import "${kind//_/-}" "$sample/$kind.csv"
done

say "Commercial policy"
run policy check policies/standard-2026.toml

say "Sales: the policy in the database, every dealer's terms, one approval"
run policy load policies/standard-2026.toml --by alice.admin
run terms sample --seed 42 --out "$sample/terms.csv"
run terms import "$sample/terms.csv" --by sam.sales
run terms approve --dealer D00200 --version 2 --by sam.sales || true
run terms approve --dealer D00200 --version 2 --by fiona.head
first 12 terms show --dealer D00200 --date 2026-11-20
"$rebate" terms show --dealer D00200 --date 2026-11-20 --format html >var/demo-output/terms-D00200.html
echo "terms sheet to send the dealer: var/demo-output/terms-D00200.html"

say "Quotes, every step with the price after it"
run quote --dealer D00050 --sku NO-VLV-0005 --qty 60 --date 2026-11-20
run quote --dealer D00200 --sku NO-BOI-0001 --qty 2 --date 2026-11-20

say "Price leakage: 2026-Q3 invoice lines priced below the dealers' terms"
run invoices audit --period 2026-Q3 --limit 10

say "Dealers send sell-out files (one with errors, rejected whole; then the corrected file)"
samples="$sample/sellout"
"$rebate" sellout samples --seed 7 --out "$samples" | tail -n 1
run sellout codes --dealer D00005 "$samples/codes-D00005.csv"
run sellout map --dealer D00005 --column "Item code" --as sku
while IFS=$'\t' read -r dealer month day file kind; do
  if [ "$kind" = errors ]; then
    run sellout submit --dealer "$dealer" --month "$month" --at "$day" "$samples/$file" || true
  else
    "$rebate" sellout submit --dealer "$dealer" --month "$month" --at "$day" "$samples/$file" >/dev/null
  fi
done <"$samples/submit.tsv"
first 12 sellout status --dealer D00002 --through 2026-09

say "Finance closes 2026-Q3: draft, approve"
run period close --period 2026-Q3 --policy standard-2026
run period approve --period 2026-Q3 --by finance.lead

say "Overview of 2026-Q3: turnover by tier and region, payment discipline by grade"
run report overview --period 2026-Q3

say "Program cost of 2026-Q3 against the policy's cap"
first 30 report cost --period 2026-Q3

say "One dealer's statement for 2026-Q3"
run statement --dealer D00002 --period 2026-Q3 --format text

say "Credit notes for accounting (first lines)"
first 8 export credit-notes --period 2026-Q3

say "Accruals of the open quarter 2026-Q4 (first lines)"
first 12 accruals --period 2026-Q4 --policy standard-2026 --as-of 2026-10-31

say "The API and the dealer portal"
dealer_token=$("$rebate" users add --name demo-dealer-D00002 --role dealer --dealer D00002 2>/dev/null)
finance_token=$("$rebate" users add --name demo-finance --role finance 2>/dev/null)
sales_token=$("$rebate" users add --name demo-sales --role sales 2>/dev/null)
cat <<TEXT
Start the server (it stops cleanly on Ctrl-C or SIGTERM):
  DATABASE_URL='$DATABASE_URL' $rebate serve --listen 127.0.0.1:8080
Then open http://127.0.0.1:8080/portal and sign in with a token (shown once, stored as a hash):
  dealer D00002  $dealer_token
  finance        $finance_token
  sales          $sales_token
The JSON API is described in docs/openapi.yaml; stop the private database with 'make db-stop'.
TEXT
