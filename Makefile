# Two commands on a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test browser-deps reader-deps postgres-deps ingest serve lint bench eval eval-extra clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# torch first, pinned: here that resolves to the local CPU wheel; unpinned it pulls CUDA builds.
$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test,postgres]'
	touch $(STAMP)

install: $(STAMP)

# Chromium for the browser tests comes from Debian's packages (Playwright's own download is not reachable).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing Debian chromium for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; \
	fi

# PostgreSQL server binaries (initdb, pg_ctl) for the tests' throwaway cluster, from Debian's packages.
postgres-deps:
	@if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  echo "installing Debian postgresql for the PostgreSQL tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null) \
	  || echo "WARNING: could not install postgresql (as root: apt-get install postgresql); the PostgreSQL tests will fail"; \
	fi

# System tools the readers use, from Debian's packages: antiword reads Word 97-2003 .doc files; OpenCV,
# under the OCR engine, loads libGL and GLib; the tests draw scanned pages and CFF-font PDFs with Noto CJK.
READER_DEBS := antiword fonts-noto-cjk libgl1 libglib2.0-0
reader-deps:
	@missing=$$(for p in $(READER_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages for the readers:" $$missing; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	  || echo "WARNING: could not install" $$missing "(as root: apt-get install" $$missing"); .doc files will be refused and OCR may fail to load"; \
	fi

ingest: install reader-deps
	$(VENV)/bin/policy-assistant ingest data/plans --if-empty

serve: install reader-deps
	$(VENV)/bin/policy-assistant serve --host $(HOST) --port $(PORT)

run: install ingest serve

# REQUIRE_POSTGRES=1: a missing PostgreSQL server or driver fails the PostgreSQL tests instead of skipping them.
test: install browser-deps reader-deps postgres-deps
	REQUIRE_POSTGRES=1 $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check assistant ingestion vectorstore evals ui benchmarks tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: install
	$(PY) -m benchmarks.run_all

eval: install
	$(VENV)/bin/policy-assistant eval --report reports/latest

# The real plans kept outside the product (evals/extra_plans) with the shipped ones, in a store of their own,
# and the questions written on them before any code change for them (evals/extra_datasets).
EXTRA_DATA_DIR ?= var/extra
eval-extra: install reader-deps
	POLICY_ASSISTANT_DATA_DIR=$(EXTRA_DATA_DIR) $(VENV)/bin/policy-assistant ingest data/plans evals/extra_plans/*.txt
	POLICY_ASSISTANT_DATA_DIR=$(EXTRA_DATA_DIR) $(VENV)/bin/policy-assistant eval evals/extra_datasets/*.jsonl --report reports/extra

clean:
	rm -rf var reports
