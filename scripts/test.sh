#!/usr/bin/env bash
# Unit and integration tests against a throwaway PostgreSQL cluster (or $DATABASE_URL when set).
# Integration tests create a database of their own per suite from this admin URL.
set -euo pipefail
pgdir=$1
if [ -z "${DATABASE_URL:-}" ]; then
  scripts/pg.sh stop "$pgdir"
  rm -rf "$pgdir"
  trap 'scripts/pg.sh stop "$pgdir"' EXIT
fi
DATABASE_URL=$(scripts/pg.sh start "$pgdir" rebate_test)
export DATABASE_URL
scripts/deps.sh browser
swift build --build-tests
swift test --skip-build 2>&1 | tee .build/test-output.txt
# The dealer portal in headless Chromium (about 10 s).
scripts/browser-test.sh .build/debug/rebate "$DATABASE_URL"
