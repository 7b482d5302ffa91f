# Rettidig — the two commands: `make demo` (install, build the demo, serve on :5000)
# and `make test` (install test extras and Debian chromium, run every test).
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test install install-test serve bench lint

$(PY):
	python3 -m venv $(VENV)

install: $(PY)
	$(PIP) install -e .

# demo mode: the repository's demo secrets are accepted (config.toml [app] mode)
demo: install
	RETTIDIG_MODE=demo $(VENV)/bin/flask --app booking demo --reset
	VENV=$(VENV) scripts/serve

serve: install
	VENV=$(VENV) scripts/serve

install-test: $(PY)
	$(PIP) install -e ".[test]"
	scripts/install-system-packages

test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: install
	$(PY) -m solver.bench --size all
