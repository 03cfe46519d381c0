# The two commands of the README:
#   make site   build the book into _build/html (creates .venv from the pinned requirements)
#   make test   run every test (also installs the test requirements, axe-core from npm, and the
#               Debian packages the tests need if missing: chromium, poppler-utils, nodejs/npm)
# Readers who already have the packages can run `jupyter-book build .` instead of `make site`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check --quiet

.PHONY: site strict test clean system-packages

site: $(VENV)/.book
	$(BIN)/jupyter-book build .

strict: $(VENV)/.book
	$(BIN)/jupyter-book build . -W -n --keep-going

test: system-packages $(VENV)/.test node_modules/.package-lock.json
	$(BIN)/python -m pytest

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
