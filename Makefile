# Gloss: two commands on a fresh machine — `make build` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# pytest's worker processes (pytest-xdist), one test file to a worker: the suite is mostly one process's work,
# so two workers use both cores of a 2-core machine (TEST_JOBS=1 runs it in one process).
TEST_JOBS ?= 2
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider $(if $(filter-out 1,$(TEST_JOBS)),-n $(TEST_JOBS) --dist loadfile)

.PHONY: build test test-quick test-under-load dist lint serve bench bench-import bench-names shots golden fields clean

build: $(STAMP)  ## build the bundled edition into build/ (BASE_URL=https://user.github.io/repo/ for GitHub Pages)
	$(BIN)/gloss build $(if $(BASE_URL),--base-url "$(BASE_URL)")

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# pip 23 (Debian's venv) fails to resolve lxml[html_clean] asked for by two packages; a current pip does not
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade 'pip>=24'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

test: $(STAMP)  ## the whole test suite, browser tests included
	@bash tools/test-deps.sh
	$(BIN)/ruff check generator tests bench tools
	$(PYTEST)

test-quick: $(STAMP)  ## everything but the browser part: needs neither Chromium nor Java nor npm
	$(BIN)/ruff check generator tests bench tools
	$(PYTEST) -m "not browser"

test-under-load: $(STAMP)  ## `make test` 5 times in a row while stress-ng keeps every core busy
	bash tools/stress-test.sh 5

dist: $(STAMP)  ## the sdist and wheel into dist/, checked by twine (what release.yml publishes)
	rm -rf dist
	$(BIN)/python -m build --outdir dist
	$(BIN)/python -m twine check --strict dist/*

lint: $(STAMP)
	$(BIN)/ruff check generator tests bench tools

serve: $(STAMP)  ## preview at http://127.0.0.1:8000 with live reload
	$(BIN)/gloss serve

bench: $(STAMP)  ## build speed against the markdown-it-py floor (1,000 and 5,000 articles); search speed and size
	$(BIN)/python bench/build_bench.py
	$(BIN)/python bench/search_bench.py

bench-names: $(STAMP)  ## gloss names' precision, recall and kinds on the hand-listed names of 7 articles (5 languages)
	$(BIN)/python bench/names_bench.py

bench-import: $(STAMP)  ## importer precision/recall on the saved-page test set
	$(BIN)/python bench/import_bench.py

shots: $(STAMP)  ## screenshots of every page kind into shots/
	@bash tools/test-deps.sh
	$(BIN)/python tools/shots.py

golden: $(STAMP)  ## regenerate golden files after an intended change
	GLOSS_REGEN=1 $(BIN)/python -m pytest -q -p no:cacheprovider -k golden

fields: $(STAMP)  ## docs/fields.md, every key of every TOML input, from generator/schema.py
	$(BIN)/python -m generator.schema > docs/fields.md

clean:
	rm -rf build handouts .gloss-cache shots
