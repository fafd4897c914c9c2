#!/usr/bin/env bash
# Import throughput: `rebate import invoices` (stream + check in Swift, set-wise checks against
# the database, COPY of the lines straight into invoice_lines, in one transaction) against a
# plain `psql \copy` of the same lines into a copy of invoice_lines' definition, in the same run.
#   scripts/bench-import.sh REBATE_BIN DATABASE_URL ROWS
# DATABASE_URL must be a postgresql:// URL of a role that may create databases; the benchmark
# runs in a throwaway database of its own, dropped at the end. Prints one JSON line.
# Target: ours at least half as fast as the raw copy (ratio >= 0.5).
#
# The raw copy loads the same lines as the CSV, already converted to invoice_lines' columns
# (dealer_id, document, line, sku, qty, minor-unit prices, net amount), into
# `CREATE TABLE raw_invoice_lines (LIKE invoice_lines INCLUDING ALL)`: the same primary key and
# CHECK constraints as the real table. It is timed after our import, so both write into a
# database of the same size. The same CSV file is also \copy'd into a table of its own 12
# columns (typed, no keys) for reference ("raw_copy_file_…").
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2; rows=$3
[[ "$rows" =~ ^[0-9]+$ ]] && [ "$rows" -gt 0 ] || { echo "ROWS must be a positive number" >&2; exit 2; }
work=$(mktemp -d)
source "$(dirname "$0")/bench-db.sh"
cleanup() { bench_drop "$admin_url" import; rm -rf "$work"; }
trap cleanup EXIT
url=$(bench_database "$admin_url" import)

dealers=100; skus=1000; lines_per_document=5
awk -v n=$dealers 'BEGIN { print "dealer,name,tier,segment,region,status";
  for (i = 1; i <= n; i++) printf "D-%04d,Дилер %d,gold,retail,north,active\n", i, i }' >"$work/dealers.csv"
awk -v n=$skus 'BEGIN { print "sku,name,category,brand,cost";
  for (i = 1; i <= n; i++) printf "SKU-%05d,Товар %d,tools,Brand%d,%d.%02d\n", i, i, i % 7, 10 + i % 90, i % 100 }' \
  >"$work/products.csv"
# One generator writes both files, so they hold the same lines.
awk -v rows="$rows" -v dealers=$dealers -v skus=$skus -v per=$lines_per_document \
  -v csv="$work/invoices.csv" -v tsv="$work/invoice_lines.tsv" 'BEGIN {
  print "document,kind,dealer,date,due_date,vat_percent,line,sku,qty,list_price,net_unit_price,refers_to" >csv;
  for (r = 0; r < rows; r++) {
    doc = int(r / per); line = r % per + 1; day = doc % 28 + 1;
    dealer = doc % dealers + 1; sku = (r * 7) % skus + 1; qty = r % 50 + 1;
    list = 100 + r % 900; net = 80 + r % 700;
    printf "INV-%08d,invoice,D-%04d,2026-07-%02d,2026-08-%02d,20,%d,SKU-%05d,%d,%d.00,%d.50,\n",
      doc, dealer, day, day, line, sku, qty, list, net >csv;
    printf "D-%04d\tINV-%08d\t%d\tSKU-%05d\t%d\t%d\t%d\t%d\n",
      dealer, doc, line, sku, qty, list * 100, net * 100 + 50, qty * (net * 100 + 50) >tsv
  } }'

"$rebate" db migrate --database "$url" >/dev/null
"$rebate" import dealers "$work/dealers.csv" --database "$url" >/dev/null
"$rebate" import products "$work/products.csv" --database "$url" >/dev/null

now() { date +%s.%N; }
start=$(now)
/usr/bin/time -f '%M' -o "$work/import.time" \
  "$rebate" import invoices "$work/invoices.csv" --database "$url" >/dev/null
ours=$(echo "$(now) - $start" | bc -l)
rss_kb=$(tail -n 1 "$work/import.time")

imported=$(psql -X -At "$url" -c "SELECT count(*) FROM invoice_lines")
[ "$imported" -eq "$rows" ] || { echo "imported $imported lines, expected $rows" >&2; exit 1; }

start=$(now)
"$rebate" import invoices "$work/invoices.csv" --database "$url" >/dev/null
again=$(echo "$(now) - $start" | bc -l)

psql -X -q -v ON_ERROR_STOP=1 "$url" \
  -c "CREATE TABLE raw_invoice_lines (LIKE invoice_lines INCLUDING ALL)" \
  -c "CREATE TABLE raw_invoice_file (document text, kind text, dealer text, date date,
        due_date date, vat_percent numeric, line integer, sku text, qty bigint,
        list_price numeric, net_unit_price numeric, refers_to text)"
start=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy raw_invoice_lines FROM '$work/invoice_lines.tsv'"
raw=$(echo "$(now) - $start" | bc -l)
start=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy raw_invoice_file FROM '$work/invoices.csv' WITH (FORMAT csv, HEADER true)"
raw_file=$(echo "$(now) - $start" | bc -l)

printf '{"benchmark":"import_invoices","rows":%d,"ours_seconds":%.2f,"ours_rows_per_second":%.0f,' \
  "$rows" "$ours" "$(echo "$rows / $ours" | bc -l)"
printf '"raw_target":"copy of invoice_lines definition (LIKE INCLUDING ALL: primary key, checks), same lines pre-converted to its columns",'
printf '"raw_copy_seconds":%.2f,"raw_copy_rows_per_second":%.0f,"ratio":%.3f,' \
  "$raw" "$(echo "$rows / $raw" | bc -l)" "$(echo "$raw / $ours" | bc -l)"
printf '"raw_copy_file_rows_per_second":%.0f,"ratio_to_file_copy":%.3f,' \
  "$(echo "$rows / $raw_file" | bc -l)" "$(echo "$raw_file / $ours" | bc -l)"
printf '"reimport_no_op_seconds":%.2f,"peak_rss_mb":%d}\n' "$again" $((rss_kb / 1024))
