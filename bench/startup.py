"""From `coach serve` to /healthz 200, to the first answer and to /readyz 200, next to a fresh
process that loads the same libraries and does the same work (bench.rawproc).

coach: a new server, then a first streamed /v1/chat as soon as /healthz answers (on the
       embedded default the answer is extractive: it waits for the warm-up that loads the
       embedding model, the saved keyword index and the classifier's example embeddings, not
       for the web UI, which is built after). Then /readyz: the UI built too.
raw:   sentence-transformers + chromadb + llama.cpp loaded in a new process: the time to its
       first search (what an extractive answer needs) and to the first token of the
       completion of the coach's prompt. Reported, no target.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.chat import QUESTIONS, coach_payloads
from bench.common import record, serve, table, wait_healthy
from bench.corpus import build_store, copy_store
from bench.rawproc import job_for, spawn

SIZE = 10_000
QUESTION = QUESTIONS[0]


def first_chat(data: Path) -> dict[str, float]:
    body = {"message": QUESTION, "stream": True}
    with (
        serve(data, warm=False) as server,
        httpx.stream("POST", f"{server.url}/v1/chat", json=body, timeout=300) as response,
    ):
        response.raise_for_status()
        first = 0.0
        for line in response.iter_lines():
            if not first and line.startswith("event: token"):
                first = time.perf_counter() - server.started
        done = time.perf_counter() - server.started
        ready = wait_healthy(server.url, server.process, 300, "/readyz") - server.started
        return {
            "healthz_s": server.ready_seconds,
            "first_token_s": first,
            "answer_s": done,
            "readyz_s": ready,
        }


def raw(data: Path, job_file: Path) -> dict[str, float]:
    payload = coach_payloads(data, [QUESTION])[QUESTION]
    started, report = spawn(job_for(data, QUESTION, payload), job_file)
    return {
        "retrieve_s": report["retrieved_at"] - started,
        "first_token_s": report["first_token_at"] - started,
    }


def main(argv: list[str] | None = None) -> list[tuple[str, str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        root = Path(tmp)
        build_store(root / "data", SIZE)
        copy = copy_store(root / "data", root / "raw")
        chat = first_chat(root / "data")
        baseline = raw(copy, root / "job.json")
    figures: dict[str, Any] = {"chunks": SIZE, "question": QUESTION}
    figures |= {
        "coach_healthz_s": round(chat["healthz_s"], 2),
        "coach_first_token_s": round(chat["first_token_s"], 2),
        "coach_first_answer_s": round(chat["answer_s"], 2),
        "coach_readyz_s": round(chat["readyz_s"], 2),
        "raw_first_retrieve_s": round(baseline["retrieve_s"], 2),
        "raw_first_token_s": round(baseline["first_token_s"], 2),
    }
    figures["first_token_ratio"] = round(
        figures["coach_first_token_s"] / figures["raw_first_retrieve_s"], 3
    )
    record("startup", figures)
    rows = rows_of(figures)
    print(table(rows))
    return rows


def rows_of(f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    ratio = f["first_token_ratio"]
    return [
        (
            "start-up: /healthz 200",
            f"{f['coach_healthz_s']} s",
            f"{f['raw_first_retrieve_s']} s to a first search",
            "(report)",
        ),
        (
            "start-up: first answer token (extractive)",
            f"{f['coach_first_token_s']} s (answer {f['coach_first_answer_s']} s)",
            f"{f['raw_first_retrieve_s']} s to a first search",
            f"{ratio:.2f}x (report)",
        ),
        (
            "start-up: /readyz 200 (warm, UI built)",
            f"{f['coach_readyz_s']} s",
            f"{f['raw_first_token_s']} s to a first llama.cpp token",
            "(report)",
        ),
    ]


if __name__ == "__main__":
    main()
