# Gloss: two commands on a fresh machine — `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: build test lint serve bench bench-import shots golden clean

build: $(STAMP)  ## build the bundled edition into build/ (BASE_URL=https://user.github.io/repo/ for GitHub Pages)
	$(BIN)/gloss build $(if $(BASE_URL),--base-url "$(BASE_URL)")

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

test: $(STAMP)  ## the whole test suite, browser tests included
	@bash tools/test-deps.sh
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench tools

serve: $(STAMP)  ## preview at http://127.0.0.1:8000 with live reload
	$(BIN)/gloss serve

bench: $(STAMP)  ## build speed against the markdown-it-py floor (1,000 and 5,000 articles)
	$(BIN)/python bench/build_bench.py

bench-import: $(STAMP)  ## importer precision/recall on the saved-page test set
	$(BIN)/python bench/import_bench.py

shots: $(STAMP)  ## screenshots of every page kind into shots/
	@bash tools/test-deps.sh
	$(BIN)/python tools/shots.py

golden: $(STAMP)  ## regenerate golden files after an intended change
	GLOSS_REGEN=1 $(BIN)/python -m pytest -q -p no:cacheprovider -k golden

clean:
	rm -rf build handouts .gloss-cache shots
