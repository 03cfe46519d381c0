# The two commands of the README:
#   make site   build the book into _build/html (creates .venv from the pinned requirements and installs the
#               book's package, iotsurvey, editable)
#   make test   every test, in four tiers (also installs the test requirements, axe-core from npm, and the
#               Debian packages the tests need if missing: chromium, poppler-utils, TeX Live, nodejs/npm)
# Also:
#   make pdf          the PDF edition, _build/latex/iot-survey-book.pdf; builds the site first, so that the
#                     site links the PDF (installs TeX Live from Debian if missing: a few minutes, once)
#   make check        check data/ as the build does (file, row and column of every problem)
#   make keys CHAPTER=awareness [PREFIX=N01]   a chapter's glue keys and values, without a build
#   make export DIR=out   the files readers download (values, schemas, chapter CSVs, ZIP, sources.bib)
#   make test-unit    tests/unit (no build)
#   make test-quick   tests/unit, tests/build and tests/browser: what CI runs on every change
#   make test-slow    tests/slow: rebuilds, bad data, the PDF, every guard flipped, notebooks run
# Readers who already have the packages can run `jupyter-book build .` instead of `make site`.
# BOOK_URL=https://... sets the site's address for one build (citations, canonical links, sitemap).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --quiet
PYTEST := $(BIN)/python -m pytest

.PHONY: site strict pdf check keys export test test-unit test-quick test-slow lint clean system-packages

site: $(VENV)/.book
	$(BIN)/jupyter-book build .

strict: $(VENV)/.book
	$(BIN)/jupyter-book build . -W -n --keep-going

pdf: site
	@bash .ci/system-packages pdf
	$(BIN)/jupyter-book build . --builder pdflatex
	@echo "Linking the PDF from the site's pages"
	$(BIN)/jupyter-book build . >/dev/null

check: $(VENV)/.book
	$(BIN)/python -m iotsurvey check

keys: $(VENV)/.book
	$(BIN)/python -m iotsurvey keys $(CHAPTER) $(PREFIX)

export: $(VENV)/.book
	$(BIN)/python -m iotsurvey export $(or $(DIR),_build/export)

test: system-packages $(VENV)/.test node_modules/.package-lock.json
	$(PYTEST)

test-unit: $(VENV)/.test
	$(PYTEST) tests/unit -q

test-quick: system-packages $(VENV)/.test node_modules/.package-lock.json
	$(PYTEST) tests/unit tests/build tests/browser

test-slow: system-packages $(VENV)/.test node_modules/.package-lock.json
	$(PYTEST) tests/slow

lint: $(VENV)/.test
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

system-packages:
	@bash .ci/system-packages

$(VENV)/.book: requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.test: $(VENV)/.book requirements-test.txt
	$(PIP) -r requirements-test.txt -c constraints.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

clean:
	rm -rf _build
