# Every target installs from this project's own files into a local venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install tour test bench typecheck clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

tour: install
	$(PY) -m paycombat_tools.tour

test: install
	$(PY) -m pytest --nbmake tests notebooks

bench: install
	$(PY) bench/client_overhead.py

typecheck: install
	$(PY) -m mypy

clean:
	rm -rf $(VENV)
