#!/usr/bin/env bash
# Sell-out ingestion: `rebate sellout submit` of a 1,000,000-line file (read, every line checked,
# raw bytes + lines stored in one transaction) against plain `psql \copy` in the same run:
#   - `ratio`: the same rows into a table of the same shape as `sellout_lines` (its primary key,
#     checks and foreign keys), the comparison the target is about;
#   - `ratio_text_table`: the CSV file itself into a table of text columns without constraints,
#     which shows what the schema's per-row constraint checks cost on top.
# Peak memory of the submit from /usr/bin/time -v.
#   scripts/bench-sellout.sh REBATE_BIN DATABASE_URL [LINES]
# DATABASE_URL must be a postgresql:// URL of a role that may create databases; the benchmark
# runs in a throwaway database of its own, dropped at the end. Prints one JSON line.
# Targets: ours ≤ 2.5× the raw copy's time; peak RSS ≤ 300 MB.
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2; lines=${3:-1000000}
[[ "$lines" =~ ^[0-9]+$ ]] && [ "$lines" -gt 0 ] || { echo "LINES must be a positive number" >&2; exit 2; }
work=$(mktemp -d)
source "$(dirname "$0")/bench-db.sh"
cleanup() { bench_drop "$admin_url" sellout; rm -rf "$work"; }
trap cleanup EXIT
url=$(bench_database "$admin_url" sellout)

skus=1000
printf 'dealer,name,tier,segment,region,status\nD-BENCH,Дилер,gold,retail,north,active\n' >"$work/dealers.csv"
awk -v n=$skus 'BEGIN { print "sku,name,category,brand,cost";
  for (i = 1; i <= n; i++) printf "SKU-%05d,Товар %d,tools,Brand%d,10.00\n", i, i, i % 7 }' >"$work/products.csv"
# Every line differs (a repeated line is an error): day and SKU cycle, the quantity counts up.
awk -v n="$lines" -v skus=$skus 'BEGIN { print "Дата;Артикул;Количество;Цена";
  for (i = 0; i < n; i++)
    printf "%02d.07.2026;SKU-%05d;%d;%d,%02d\n", i % 31 + 1, int(i / 31) % skus + 1,
      int(i / (31 * skus)) + 1, 100 + i % 900, i % 100 }' >"$work/sellout.csv"

"$rebate" db migrate --database "$url" >/dev/null
"$rebate" import dealers "$work/dealers.csv" --database "$url" >/dev/null
"$rebate" import products "$work/products.csv" --database "$url" >/dev/null

now() { date +%s.%N; }
start=$(now)
/usr/bin/time -v -o "$work/submit.time" "$rebate" sellout submit --dealer D-BENCH --month 2026-07 \
  --at 2026-08-05 "$work/sellout.csv" --database "$url" >/dev/null
ours=$(echo "$(now) - $start" | bc -l)
rss_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/submit.time")

psql -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE TABLE raw_sellout_lines (sold_on text, sku text,
  qty bigint, resale_price text)"
start=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy raw_sellout_lines FROM '$work/sellout.csv' WITH (FORMAT csv, HEADER true, DELIMITER ';')"
text_table=$(echo "$(now) - $start" | bc -l)

# The same rows as the submit stored them, in sellout_lines' own COPY form.
awk -v n="$lines" -v skus=$skus 'BEGIN { for (i = 0; i < n; i++)
  printf "D-BENCH\t2026-07-01\t1\t%d\t2026-07-%02d\tSKU-%05d\t\\N\t%d\t%d%02d\n", i + 2, i % 31 + 1,
    int(i / 31) % skus + 1, int(i / (31 * skus)) + 1, 100 + i % 900, i % 100 }' >"$work/lines.tsv"
# The same table shape: sellout_lines' own definition (primary key, checks; it has no foreign keys).
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE TABLE same_shape_lines (LIKE sellout_lines
  INCLUDING ALL)"
start=$(now)
psql -X -q -v ON_ERROR_STOP=1 "$url" -c "\\copy same_shape_lines FROM '$work/lines.tsv'"
raw=$(echo "$(now) - $start" | bc -l)

stored=$(psql -X -At "$url" -c "SELECT count(*) FROM sellout_lines")
[ "$stored" -eq "$lines" ] || { echo "stored $stored lines, expected $lines" >&2; exit 1; }
differing=$(psql -X -At "$url" -c "SELECT count(*) FROM (SELECT * FROM sellout_lines EXCEPT SELECT * FROM same_shape_lines) d")
[ "$differing" -eq 0 ] || { echo "$differing stored lines differ from the raw copy" >&2; exit 1; }
printf '{"benchmark":"sellout_submit","lines":%d,"file_mb":%.1f,"ours_s":%.2f,"raw_copy_s":%.2f,"ratio":%.2f,"raw_text_table_s":%.2f,"ratio_text_table":%.2f,"peak_rss_mb":%d,"target_ratio":2.5,"target_rss_mb":300}\n' \
  "$lines" "$(echo "$(stat -c %s "$work/sellout.csv") / 1048576" | bc -l)" "$ours" "$raw" \
  "$(echo "$ours / $raw" | bc -l)" "$text_table" "$(echo "$ours / $text_table" | bc -l)" $((rss_kb / 1024))
