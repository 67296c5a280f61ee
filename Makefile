# Every target sets up .venv with the pinned dependencies first, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: serve build check test lint golden bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

serve: $(VENV)/.installed
	$(PY) build.py serve --port $(PORT)

build: $(VENV)/.installed
	$(PY) build.py build

check: $(VENV)/.installed
	$(PY) build.py check --strict --links

lint: $(VENV)/.installed
	$(PY) -m ruff check threadline tests build.py

# One command for every check: lint, the editors' strict check of the live content, then the generator's tests (on tests/fixture/).
test: $(VENV)/.installed
	$(PY) -m ruff check threadline tests build.py
	$(PY) build.py check --strict --links
	$(PY) -m pytest -q $(PYTEST_ARGS)

# Rewrite tests/golden/, the expected build of tests/fixture/, after an intended change; review the diff.
golden: $(VENV)/.installed
	$(PY) -m tests.golden

# Benchmark beside Hugo, Pelican and MkDocs; prints a table and rewrites BENCHMARKS.md (~15-20 min).
# Quick run: make bench N="100 1000". Work files go to .bench/ (git-ignored).
N ?= 100 1000 10000
bench: $(VENV)/.installed
	$(PY) -m bench.run --n $(N)

clean:
	rm -rf public .pytest_cache
