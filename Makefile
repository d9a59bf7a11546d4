# Two commands for a fresh Debian machine with Python and make: `make demo` and `make test`.
# Both set up what they need (virtual environment, Debian packages) and are fast the second time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Runtime: a CJK font and WeasyPrint's libraries. Tests add poppler (PDF text and images),
# LibreOffice (workbook round-trips through a real spreadsheet program), Chromium (the web
# workspace in a real browser, driven by Playwright) and PostgreSQL (a throwaway server).
RUNTIME_DEBS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
TEST_DEBS := poppler-utils libreoffice-calc-nogui chromium postgresql

.PHONY: demo serve test lint docs lock bench sysdeps sysdeps-test clean

UV_VERSION := 0.13.9
# Compiled at install: with PYTHONDONTWRITEBYTECODE set, nothing would cache the bytecode
# (the project's own modules too: an editable install is not compiled by uv).
UV := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python

# Exact versions from the lock, so every machine renders the same bytes; the project itself
# without its dependencies, which the lock already holds. uv installs in seconds what pip
# takes half a minute for.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(UV) -r requirements.lock
	$(UV) --no-deps -e .
	$(BIN)/python -m compileall -q beautycity
	touch $(STAMP)

# After a change to the dependencies in pyproject.toml. Versions already in the lock are kept
# unless a requirement rules them out; `uv pip compile --upgrade-package NAME` moves one.
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet pyproject.toml --extra test --universal \
		--custom-compile-command 'make lock' -o requirements.lock

sysdeps:
	@scripts/install-debs.sh $(RUNTIME_DEBS)

sysdeps-test:
	@scripts/install-debs.sh $(RUNTIME_DEBS) $(TEST_DEBS)

demo: sysdeps $(STAMP)
	$(BIN)/beautycity demo -o demo-output

# The web workspace on the sample, with demo accounts: http://127.0.0.1:8000/
serve: sysdeps $(STAMP)
	$(BIN)/beautycity serve --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/gen_docs.py --check

# docs/cli.md, docs/problems.md and the method tables of docs/methodology.md, from the code.
docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

test: sysdeps-test $(STAMP) lint
	$(BIN)/pytest

# Not part of `make test`: timings and memory of every stage, and the floor each cannot beat.
bench: sysdeps $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_hostile.py
	$(BIN)/python scripts/bench_web.py

clean:
	rm -rf $(VENV) demo-output .bench .pytest_cache .ruff_cache
