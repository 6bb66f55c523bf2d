# Two commands do all the set-up: `make run` (the main job) and `make test` (the whole suite).
# `make install` is the shared, idempotent step both start with.

VENV     := .venv
BIN      := $(VENV)/bin
PYTHON   ?= python3
SEEDS    ?= seeds/
OUT      ?= out/
CORPUS   ?= ../shared/corpus/police-news

# Debian packages the program needs at run time: Pango/HarfBuzz for WeasyPrint (harfbuzz-subset
# makes font subsetting ~3x faster), and the fonts the styles name.
RUN_PACKAGES  := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
                 fonts-noto-core fonts-noto-cjk fonts-dejavu-core fonts-noto-color-emoji
# ... and the ones the tests use to check the output like a person would (Carlito: LibreOffice
# draws the Word output's Calibri with it, same metrics).
TEST_PACKAGES := qpdf poppler-utils libreoffice-writer-nogui fonts-crosextra-carlito

.PHONY: run test install install-test system-run system-test lint fuzz bench preview clean reference-docx \
        corpus-report

run: install
	$(BIN)/convert pdf $(SEEDS) -o $(OUT)

test: install-test
	$(BIN)/python -m pytest

# The README's picture of the first seed's first page, made from the real `make run` output
# so it stays true.
preview: install system-test
	$(BIN)/convert pdf $(SEEDS) -o $(OUT)
	first=$$(ls $(SEEDS) | head -n 1); \
	pdftoppm -png -r 96 -f 1 -l 1 -singlefile "$(OUT)$${first%.*}.pdf" docs/preview

install: system-run $(VENV)/.installed
install-test: system-test $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,dask,bench]'
	touch $@

# Installs missing Debian packages with apt-get when we may (root or passwordless sudo);
# otherwise says exactly what to install and stops.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "convert: please install these system packages (or their equivalents): $$missing" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else \
	  echo "convert: needs these Debian packages and cannot install them without root:" >&2; \
	  echo "  sudo apt-get install $$missing" >&2; exit 1; fi; \
	echo "installing system packages: $$missing"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null
endef

system-run:
	$(call apt_install,$(RUN_PACKAGES))

system-test: system-run
	$(call apt_install,$(TEST_PACKAGES))

# ruff, then mypy (strict on the model and the engine: pyproject.toml's [tool.mypy])
lint: install-test
	$(BIN)/ruff check convert tests bench tools
	$(BIN)/mypy convert

# Every property test (marked `property` in tests/conftest.py) with the long hypothesis profile.
fuzz: install-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m property

bench: install-test
	$(BIN)/python bench/run.py

# What reading a folder of seeds repairs, and what residue is left (see tools/corpus_report.py).
corpus-report: install
	$(BIN)/python tools/corpus_report.py $(CORPUS)

# The look of every Word document: rebuilt from python-docx's template by a script in the repo.
reference-docx: install
	$(BIN)/python tools/reference_docx.py styles/reference.docx

clean:
	rm -rf $(VENV) out/* .pytest_cache
