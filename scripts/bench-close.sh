#!/usr/bin/env bash
# Period-close benchmark: a quarter of DEALERS dealers × 100 invoices × 5 lines (5,000,000 lines
# at the default 10,000 dealers) and 2 payments per invoice (2,000,000), generated inside
# PostgreSQL in a database of its own. Measures, in the same run:
#   - `rebate period close` wall time and peak RSS (/usr/bin/time -v),
#   - one plain scan of the same rows: COPY (SELECT ...) TO STDOUT into /dev/null.
# Targets: close ≤ 3 × scan, peak RSS ≤ 1 GiB. Prints one JSON line.
#   scripts/bench-close.sh REBATE_BIN DATABASE_URL        (BENCH_CLOSE_DEALERS=1000 for a quick run)
set -euo pipefail
rebate=$(realpath "$1"); admin_url=$2
dealers=${BENCH_CLOSE_DEALERS:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rebate-bench-close.XXXXXX)
trap 'rm -rf "$work"' EXIT

source "$here/scripts/bench-db.sh"
url=$(bench_database "$admin_url" close)
"$rebate" db migrate --schema "$here/schema" --database "$url" >/dev/null

echo "bench-close: generating $dealers dealers" >&2
psql -X -q "$url" -v ON_ERROR_STOP=1 -v dealers="$dealers" >/dev/null <<'SQL'
INSERT INTO dealers
SELECT 'B' || lpad(g::text, 5, '0'), 'Dealer ' || g, (ARRAY['Gold', 'Silver', 'Bronze'])[1 + g % 3],
  (ARRAY['retail', 'b2b', 'project'])[1 + g % 3], 'region-' || g % 7, 'active'
FROM generate_series(1, :dealers) g;
INSERT INTO products
SELECT 'S' || lpad(g::text, 4, '0'), 'Product ' || g, 'Category ' || g % 20, 'Brand ' || g % 10, 5000
FROM generate_series(1, 1000) g;
INSERT INTO price_list SELECT sku, '2026-01-01', 20000 FROM products;
INSERT INTO invoices
SELECT d.dealer_id, d.dealer_id || '-' || lpad(i::text, 3, '0'), 'invoice',
  date '2026-07-01' + i * 91 / 100, date '2026-07-01' + i * 91 / 100 + 30, 20, NULL,
  md5(d.dealer_id || i)
FROM dealers d, generate_series(0, 99) i;
INSERT INTO invoice_lines
SELECT i.dealer_id, i.document, l, 'S' || lpad((1 + abs(hashtext(i.document || l)) % 1000)::text, 4, '0'),
  1 + l * 3, 20000, 15000 + l * 100, (1 + l * 3) * (15000 + l * 100)
FROM invoices i, generate_series(1, 5) l;
-- Two payments per invoice: half referenced 8 days after the invoice, the rest unreferenced
-- (settling the oldest open invoice) 25 days after.
INSERT INTO payments
SELECT i.dealer_id, i.document || '-A', i.issued_on + 8, t.gross / 2, i.document
FROM invoices i JOIN (SELECT dealer_id, document, sum(net_amount_minor) * 6 / 5 AS gross
  FROM invoice_lines GROUP BY 1, 2) t USING (dealer_id, document)
UNION ALL
SELECT i.dealer_id, i.document || '-B', i.issued_on + 25, t.gross - t.gross / 2, NULL
FROM invoices i JOIN (SELECT dealer_id, document, sum(net_amount_minor) * 6 / 5 AS gross
  FROM invoice_lines GROUP BY 1, 2) t USING (dealer_id, document);
VACUUM ANALYZE;
SQL
lines=$(psql -X -At "$url" -c "SELECT count(*) FROM invoice_lines")
payments=$(psql -X -At "$url" -c "SELECT count(*) FROM payments")

now() { date +%s.%N; }
echo "bench-close: scan" >&2
start=$(now)
psql -X -q "$url" -v ON_ERROR_STOP=1 -c "COPY (
  SELECT i.dealer_id, i.document, i.kind, i.issued_on, i.due_on, i.vat_percent, i.refers_to,
    l.sku, p.category, p.brand, l.qty, l.list_price_minor, l.net_unit_price_minor,
    l.net_amount_minor, NULL::bigint
  FROM invoices i JOIN invoice_lines l ON l.dealer_id = i.dealer_id AND l.document = i.document
  JOIN products p ON p.sku = l.sku
  UNION ALL
  SELECT dealer_id, payment, NULL, paid_on, NULL, NULL, invoice, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, gross_amount_minor FROM payments) TO STDOUT" >/dev/null
scan=$(echo "$(now) - $start" | bc)

echo "bench-close: close" >&2
start=$(now)
/usr/bin/time -v -o "$work/close.time" "$rebate" period close --period 2026-Q3 \
  --policy "$here/policies/standard-2026.toml" --database "$url" >"$work/close.out"
close=$(echo "$(now) - $start" | bc)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/close.time")
results=$(psql -X -At "$url" -c "SELECT count(*) FROM results WHERE period_key = '2026-Q3'")
ratio=$(echo "scale=2; $close / $scan" | bc)
printf '{"dealers":%d,"invoice_lines":%d,"payments":%d,"result_lines":%d,"close_seconds":%.2f,"scan_seconds":%.2f,"ratio":%.2f,"peak_rss_mb":%d,"target_ratio":3,"target_rss_mb":1024}\n' \
  "$dealers" "$lines" "$payments" "$results" "$close" "$scan" "$ratio" $((rss_kb / 1024))
