# The two commands of the quick start: `make demo` and `make test`. Each installs what is missing.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
PG_DEMO := .pg
PG_TEST := .pg-test
PG_BENCH := .pg-bench
REBATE := .build/release/rebate

.PHONY: demo test bench lint format build release db-stop clean deps

deps:
	@scripts/deps.sh

build: deps
	swift build

release: deps
	swift build -c release --product rebate

lint:
	swift format lint --strict --recursive --parallel Package.swift Sources Tests

format:
	swift format format --in-place --recursive --parallel Package.swift Sources Tests

## make demo: a private PostgreSQL, sample data, and what a user would want to see.
demo: release
	@scripts/demo.sh "$(REBATE)" "$(PG_DEMO)"

## make test: lint, then unit and integration tests against a throwaway cluster.
test: deps lint
	@scripts/test.sh "$(PG_TEST)"

## make bench: benchmarks; results go to docs/performance.md.
bench: release
	@scripts/deps.sh bench
	@scripts/bench.sh "$(REBATE)" "$(PG_BENCH)"

db-stop:
	@scripts/pg.sh stop $(PG_DEMO); scripts/pg.sh stop $(PG_TEST); scripts/pg.sh stop $(PG_BENCH)

clean: db-stop
	rm -rf .build $(PG_DEMO) $(PG_TEST) $(PG_BENCH)
