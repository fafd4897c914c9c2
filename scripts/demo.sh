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
