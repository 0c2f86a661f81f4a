# shopguard — one command for the main job, one for the tests.
#   make demo   create .venv, install, simulate two marketplace years on the embedded default
#               (SQLite) and write the yearly report (html, pdf, md, json; zh and en)
#   make test   install what tests need (PostgreSQL included) and run the whole suite on
#               SQLite and on a real PostgreSQL server started in a temporary folder
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PGBIN = $(shell ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
PGDIR ?= /tmp/shopguard-pg-$(shell id -u)
PGPORT ?= 55432
# The benchmark runs its own server so it never shares data with a test run.
BENCH_PGDIR := /tmp/shopguard-bench-pg-$(shell id -u)
BENCH_PGPORT := 55433
# The main job's benchmark scale: medium (over 5 million stored events) takes about an hour a
# database on this 2-core machine; `make bench BENCH_SCALE=small` for a quick figure.
BENCH_SCALE ?= medium
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: demo test test-sqlite test-postgres lint eval bench pg-up pg-down install clean report-deps

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory report-deps
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# What WeasyPrint needs to print the report and waybills (Pango, HarfBuzz subsetting), the CJK
# fonts they are set in, and pdftotext for the tests that read the PDFs back.
REPORT_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils
report-deps:
	@missing=$$(for p in $(REPORT_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP)
	$(BIN)/shopguard demo --scale small --year 2025

# PostgreSQL: installed with apt-get when missing, run as the postgres user (it refuses root)
# from a throw-away data folder on a private port, and stopped again after the tests.
pg-install:
	@if [ -z "$(PGBIN)" ]; then \
	  echo "installing PostgreSQL"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	fi

pg-up: pg-install
	@set -e; PGBIN=$$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1); \
	RUN="$$( [ $$(id -u) = 0 ] && echo 'runuser -u postgres --' )"; \
	$$RUN $$PGBIN/pg_ctl -D $(PGDIR) stop -m fast >/dev/null 2>&1 || true; \
	rm -rf $(PGDIR); mkdir -p $(PGDIR); \
	[ $$(id -u) = 0 ] && chown postgres $(PGDIR); \
	$$RUN $$PGBIN/initdb -D $(PGDIR) -U postgres -A trust >/dev/null; \
	$$RUN $$PGBIN/pg_ctl -D $(PGDIR) -l $(PGDIR)/log -w \
	  -o "-p $(PGPORT) -k $(PGDIR) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; \
	$$RUN $$PGBIN/createdb -h 127.0.0.1 -p $(PGPORT) -U postgres shopguard_test; \
	echo "PostgreSQL up on 127.0.0.1:$(PGPORT)"

pg-down:
	@PGBIN=$$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1); \
	RUN="$$( [ $$(id -u) = 0 ] && echo 'runuser -u postgres --' )"; \
	[ -n "$$PGBIN" ] && $$RUN $$PGBIN/pg_ctl -D $(PGDIR) stop -m fast >/dev/null 2>&1; \
	rm -rf $(PGDIR); true

test-sqlite: $(STAMP)
	$(BIN)/pytest

test-postgres: $(STAMP) pg-up
	@status=0; SHOPGUARD_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$(PGPORT)/shopguard_test \
	  $(BIN)/pytest tests/integration tests/e2e || status=$$?; \
	$(MAKE) --no-print-directory pg-down; exit $$status

test: $(STAMP) lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

lint: $(STAMP)
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval
	$(BIN)/mypy
	$(BIN)/lint-imports

eval: $(STAMP)
	$(BIN)/python eval/run.py

bench: $(STAMP)
	@command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@$(MAKE) --no-print-directory pg-up PGDIR=$(BENCH_PGDIR) PGPORT=$(BENCH_PGPORT)
	@status=0; SHOPGUARD_BENCH_PG=postgresql://postgres@127.0.0.1:$(BENCH_PGPORT)/shopguard_test \
	  $(BIN)/python bench/run.py || status=$$?; \
	$(BIN)/python bench/ac_bindings.py || status=$$?; \
	SHOPGUARD_BENCH_PG=postgresql://postgres@127.0.0.1:$(BENCH_PGPORT)/shopguard_test $(BIN)/python bench/enforcement.py || status=$$?; \
	$(BIN)/python bench/vault.py || status=$$?; \
	SHOPGUARD_BENCH_PG=postgresql://postgres@127.0.0.1:$(BENCH_PGPORT)/shopguard_test $(BIN)/python bench/privacy.py || status=$$?; \
	SHOPGUARD_BENCH_PG=postgresql://postgres@127.0.0.1:$(BENCH_PGPORT)/shopguard_test $(BIN)/python bench/main_job.py --scale $(BENCH_SCALE) || status=$$?; \
	$(MAKE) --no-print-directory pg-down PGDIR=$(BENCH_PGDIR) PGPORT=$(BENCH_PGPORT); exit $$status

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
