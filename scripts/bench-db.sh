# Sourced by the bench-*.sh scripts: each part measures in a database of its own, named after the
# one given plus a suffix, so earlier parts' rows and bloat do not count.
#   bench_url ADMIN_URL SUFFIX      prints the URL of <name>_SUFFIX next to ADMIN_URL's database
#   bench_database ADMIN_URL SUFFIX drops and creates that database, prints its URL
bench_url() {
  local base=${1%%\?*}
  local params=${1#"$base"}
  local name=${base##*/}
  printf '%s\n' "${base%/*}/${name}_$2${params}"
}

bench_database() {
  local base=${1%%\?*}
  local name=${base##*/}_$2
  PGOPTIONS="-c client_min_messages=warning" psql -X -q "$1" -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" >/dev/null
  bench_url "$1" "$2"
}

# bench_drop ADMIN_URL SUFFIX: drops it (for an EXIT trap; never fails).
bench_drop() {
  local base=${1%%\?*}
  PGOPTIONS="-c client_min_messages=warning" psql -X -q "$1" \
    -c "DROP DATABASE IF EXISTS \"${base##*/}_$2\" WITH (FORCE)" >/dev/null 2>&1 || true
}
