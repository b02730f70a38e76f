# The two set-up commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt
AIECO_DATA_DIR ?= $(if $(wildcard ../shared/data),../shared/data,)
DEMO_DB ?= out/demo.duckdb

.PHONY: demo test lint bench fuzz install install-dev clean chromium

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	@mkdir -p out
	AIECO_DATA_DIR="$(AIECO_DATA_DIR)" $(VENV)/bin/aieco --db $(DEMO_DB) demo

test: $(VENV)/.installed-dev chromium
	$(PY) -m pytest -q

# The browser test drives Debian's chromium with Playwright (never a browser download): installed when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian's chromium for the browser test"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy

# pv-evaluation (the PatentsView assignee benchmarks benchmarks/firms.py reads) without its heavy dependencies:
# only its data files are read; pysbd, the segmenter benchmarks/segmenters.py measures against syntok.
$(VENV)/.installed-bench: $(VENV)/.installed-dev
	$(PIP) --no-deps pv-evaluation
	$(PIP) pysbd
	touch $@

bench: $(VENV)/.installed-bench
	$(PY) benchmarks/run.py   # BENCH_SMALL=1: smaller sizes; BENCH_JOB_DOCS=1e5,1e6: the whole-job sizes

# 1,000 mutants per reader, 100 MB inputs (peak RSS), a SIGINT sweep over the real CSET ingest: docs/reliability.md
fuzz: $(VENV)/.installed-dev
	$(PY) benchmarks/fuzz.py --mutants 1000 --moments 50

clean:
	rm -rf $(VENV) out
