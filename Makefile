# Two commands, from a clean clone: `make demo` and `make test` (each sets itself up).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test soak lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	rm -f out/modernise.db*
	$(BIN)/modernise validate data/sample-trust
	$(BIN)/modernise import data/sample-trust --db out/modernise.db
	$(BIN)/modernise rank --db out/modernise.db --limit 10
	$(BIN)/modernise graph pas --db out/modernise.db --out out/pas-dependencies.png
	$(BIN)/modernise roadmap data/sample-trust --out out/roadmap --pdf \
		--organisation "Northshire Hospitals NHS FT" --title "Legacy replacement roadmap"

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -n auto

soak: $(STAMP)
	$(BIN)/python tools/soak.py

lint: $(STAMP)
	$(BIN)/python -m ruff check . && $(BIN)/python -m ruff format --check .

clean:
	rm -rf $(VENV) out modernise.db .pytest_cache
