# One command to run, one to test. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test upgrade mutate bench schema screenshots clean

# Installs come from uv.lock, through a pinned uv living in the venv itself.
UV_VERSION := 0.13.10
UV     := UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv
# Bytecode is compiled at install (and ours before each run): where PYTHONDONTWRITEBYTECODE
# is set, as on CI, every process would otherwise compile every module it imports anew.
SYNC   := $(UV) sync --frozen --inexact --compile-bytecode
COMPILE := $(BIN)/python -m compileall -q -j 0 src adapters

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.run-installed: pyproject.toml uv.lock | $(BIN)/uv
	$(SYNC) --quiet --extra all
	touch $@

$(VENV)/.dev-installed: pyproject.toml uv.lock | $(BIN)/uv
	$(SYNC) --quiet --extra dev
	touch $@ $(VENV)/.run-installed

## make run: serve what is configured (.env / environment), else chat in this terminal
run: $(VENV)/.run-installed
	@$(COMPILE) >/dev/null
	$(BIN)/careerbot run

## make test: lint, type-check and run the whole test suite
test: $(VENV)/.dev-installed
	$(BIN)/ruff check src adapters tests bench
	$(BIN)/ruff format --check src adapters tests bench
	$(BIN)/mypy
	@$(COMPILE) >/dev/null
	$(BIN)/pytest

$(VENV)/.mutate-installed: pyproject.toml uv.lock | $(BIN)/uv
	$(SYNC) --quiet --extra mutate
	touch $@ $(VENV)/.dev-installed $(VENV)/.run-installed

## make upgrade: move uv.lock to the newest versions pyproject.toml allows, then test them
upgrade: | $(BIN)/uv
	$(UV) lock --upgrade
	rm -f $(VENV)/.dev-installed
	$(MAKE) test

## make mutate: mutation-test the pure modules ([tool.mutmut] in pyproject.toml lists
## them and their tests); prints killed/total. Results are cached in mutants/.
mutate: $(VENV)/.mutate-installed
	$(BIN)/mutmut run
	$(BIN)/mutmut export-cicd-stats
	@$(BIN)/python -c 'import json; s = json.load(open("mutants/mutmut-cicd-stats.json")); \
	print("mutation score: {killed}/{total} killed ({p:.1f} %), {survived} survived" \
	" (listed by: $(BIN)/mutmut results)".format(p=100 * s["killed"] / max(s["total"], 1), **s))'

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

## make screenshots: refresh docs/preview.png (the README's picture) from a real browser
screenshots: $(VENV)/.dev-installed
	CAREERBOT_SCREENSHOT_DIR=docs $(BIN)/pytest tests/preview/test_browser.py -k readme_screenshot -q

schema: $(VENV)/.run-installed
	$(BIN)/careerbot schema > content/schema.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
