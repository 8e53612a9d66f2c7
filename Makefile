# Every target installs from this project's own files into a local venv (.venv).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install tour test bench typecheck clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The tour needs only the client and the sandbox; the tests need everything.
$(VENV)/.installed-tour: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[sandbox]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed-dev

tour: $(VENV)/.installed-tour
	$(PY) -m paycombat_tools.tour

test: $(VENV)/.installed-dev
	$(PY) -m pytest --nbmake tests notebooks

bench: $(VENV)/.installed-dev
	$(PY) bench/client_overhead.py
	$(PY) bench/sandbox_throughput.py
	$(PY) bench/notebooks.py
	$(PY) bench/async_vs_threads.py

typecheck: $(VENV)/.installed-dev
	$(PY) -m mypy

clean:
	rm -rf $(VENV)
