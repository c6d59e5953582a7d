# abuild: the two set-up commands are `make render` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ABUILD := $(VENV)/bin/abuild
STAMP := $(VENV)/.installed-stamp
REPORT ?= reports/voorbeeldland

.PHONY: all render check test bench schemas browser clean

all: render

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## render: create .venv, install abuild, render the example report to build/
render: $(STAMP)
	$(ABUILD) render $(REPORT)

## check: check every report in reports/ strictly
check: $(STAMP)
	$(ABUILD) check --strict

## test: the whole test suite (creates .venv if needed)
test: $(STAMP) browser
	$(PY) -m pytest -q -n 2

## browser: Debian's chromium for the accessibility test (tests/render/test_accessibility.py).
## Installed with apt-get when missing and we are root; elsewhere the test is
## skipped with its reason, except in CI (CI=true), where it fails.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: installing chromium with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "browser: /usr/bin/chromium is missing and cannot be installed here (not root, or no apt-get)"; \
	fi

## bench: speed figures against bare pandoc and WeasyPrint
bench: $(STAMP)
	$(PY) benchmarks/run.py

## schemas: regenerate schemas/*.schema.json from the models
schemas: $(STAMP)
	$(ABUILD) schemas schemas

clean:
	rm -rf build .pytest_cache
