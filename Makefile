# Listener: set-up and day-to-day commands. Every target creates .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint format bench eval faults screenshots dist dist-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/listener

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -p no:randomly tests/test_layers.py  # the layers, cycles and where SQL lives

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

faults: $(STAMP)
	rm -f build/faults.jsonl
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -m faults -o addopts="-q -p no:cacheprovider" tests/faults
	@cat build/faults.jsonl

bench: $(STAMP)
	$(BIN)/python -m bench

eval: $(STAMP)
	$(BIN)/python -m listener_app.eval

clean:
	rm -rf $(VENV) build dist *.egg-info

screenshots: $(STAMP)
	if command -v xvfb-run >/dev/null 2>&1; then \
		xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/python scripts/screenshots.py; \
	else \
		QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py; \
	fi

dist: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,dist]'
	$(BIN)/pyinstaller --noconfirm --clean build.spec

dist-check:
	QT_QPA_PLATFORM=offscreen LISTENER_HOME=$$(mktemp -d) LISTENER_EXIT_AFTER_PAINT=1 dist/Listener/Listener
	dist/Listener/Listener --version
