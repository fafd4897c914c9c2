#!/usr/bin/env bash
# Import throughput: `rebate import invoices` (COPY to staging + set-based validation + insert, in
# one transaction) against a plain `psql \copy` of the same file into a table of the same shape.
#   scripts/bench-import.sh REBATE_BIN DATABASE_URL ROWS
# DATABASE_URL must be a postgresql:// URL of a role that may create databases; the benchmark
# runs in a throwaway database of its own, dropped at the end. Prints one JSON line.
# Target: ours at least half as fast as the raw copy (ratio >= 0.5).
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2; rows=$3
[[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -gt 0 ] || { echo "ROWS must be a positive number" >&2; exit 2; }
db="rebate_bench_$$"
url=$(printf '%s' "$admin_url" | sed -E "s#^(postgres(ql)?://[^/]*/)[^?]*#\\1$db#")
work=$(mktemp -d)
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$admin_url" "$@"; }
cleanup() { psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null

dealers=100; skus=1000; lines_per_document=5
awk -v n=$dealers 'BEGIN { print "dealer,name,tier,segment,region,status";
  for (i = 1; i <= n; i++) printf "D-%04d,Дилер %d,gold,retail,north,active\n", i, i }' >"$work/dealers.csv"
awk -v n=$skus 'BEGIN { print "sku,name,category,brand,cost";
  for (i = 1; i <= n; i++) printf "SKU-%05d,Товар %d,tools,Brand%d,%d.%02d\n", i, i, i % 7, 10 + i % 90, i % 100 }' \
  >"$work/products.csv"
awk -v rows="$rows" -v dealers=$dealers -v skus=$skus -v per=$lines_per_document 'BEGIN {
  print "document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to";
  for (r = 0; r < rows; r++) {
    doc = int(r / per); line = r % per + 1; day = doc % 28 + 1;
    printf "INV-%08d,invoice,D-%04d,2026-07-%02d,2026-08-%02d,20,%d,SKU-%05d,%d,%d.00,%d.50,\n",
      doc, doc % dealers + 1, day, day, line, (r * 7) % skus + 1, r % 50 + 1, 100 + r % 900, 80 + r % 700
  } }' >"$work/invoices.csv"

"$rebate" db migrate --database "$url" >/dev/null
"$rebate" import dealers "$work/dealers.csv" --database "$url" >/dev/null
"$rebate" import products "$work/products.csv" --database "$url" >/dev/null

now() { date +%s.%N; }
start=$(now)
"$rebate" import invoices "$work/invoices.csv" --database "$url" >/dev/null
ours=$(echo "$(now) - $start" | bc -l)

psql -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE TABLE raw_invoice_lines (document text,
  kind text, dealer text, date date, due_date date, vat_percent numeric, line integer, sku text,
  qty bigint, list_price numeric, net_unit_price numeric, refers_to text)"
start=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy raw_invoice_lines FROM '$work/invoices.csv' WITH (FORMAT csv, HEADER true)"
raw=$(echo "$(now) - $start" | bc -l)

imported=$(psql -X -At "$url" -c "SELECT count(*) FROM invoice_lines")
[ "$imported" -eq "$rows" ] || { echo "imported $imported lines, expected $rows" >&2; exit 1; }
printf '{"benchmark":"import_invoices","rows":%d,"ours_rows_per_s":%.0f,"raw_copy_rows_per_s":%.0f,"ratio":%.3f}\n' \
  "$rows" "$(echo "$rows / $ours" | bc -l)" "$(echo "$rows / $raw" | bc -l)" "$(echo "$raw / $ours" | bc -l)"
