# The two commands of the README:
#   make site   build the book into _build/html (creates .venv from the pinned requirements)
#   make test   run every test (also installs the test requirements, axe-core from npm, and the
#               Debian packages the tests need if missing: chromium, poppler-utils, nodejs/npm)
#   make pdf    the PDF edition, _build/latex/iot-survey-book.pdf (installs TeX Live from Debian if missing);
#               the site links it once both are built (either order)
#   make test-fast   every test but the builds (see README)
# Readers who already have the packages can run `jupyter-book build .` instead of `make site`.
# BOOK_URL=https://... sets the site's address for one build (citations, canonical links, sitemap).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --quiet

.PHONY: site strict pdf test test-fast lint clean system-packages

site: $(VENV)/.book
	$(BIN)/jupyter-book build .

pdf: $(VENV)/.book
	@bash .ci/system-packages pdf
	$(BIN)/jupyter-book build . --builder pdflatex
	mkdir -p _build/html/_downloads && cp _build/latex/iot-survey-book.pdf _build/html/_downloads/
	@if [ -f _build/html/index.html ]; then echo "Rewriting the site's pages so that they link the PDF"; \
	  $(BIN)/jupyter-book build . --all >/dev/null; fi

strict: $(VENV)/.book
	$(BIN)/jupyter-book build . -W -n --keep-going

test: system-packages $(VENV)/.test node_modules/.package-lock.json
	$(BIN)/python -m pytest

test-fast: $(VENV)/.test
	$(BIN)/python -m pytest -m "not build" -q

lint: $(VENV)/.test
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

system-packages:
	@bash .ci/system-packages

$(VENV)/.book: requirements.txt constraints.txt
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
