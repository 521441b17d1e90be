"""Faults: a model server that is down, hangs or talks nonsense; a locked database; a second
process on the same embedded store; an ingest killed half-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from knowledge import BUNDLED_KNOWLEDGE_DIR
from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.conftest import (
    COACH,
    Server,
    coach_env,
    free_port,
    ingest_small_knowledge,
    run_coach,
)

pytestmark = pytest.mark.integration


class BadModelServer:
    """An OpenAI-compatible server that misbehaves on purpose."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if server.mode == "slow":
                    time.sleep(20)
                self.send_response(500 if server.mode == "error" else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{this is not json")

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/v1"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def flaky_model() -> Iterator[BadModelServer]:
    server = BadModelServer("slow")
    yield server
    server.http.shutdown()


@pytest.fixture(scope="module")
def coach_on_flaky_model(
    flaky_model: BadModelServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("flaky")
    env = coach_env(
        workdir / "data",
        COACH_LLM="openai",
        COACH_LLM_BASE_URL=flaky_model.url,
        COACH_LLM_MODEL="m",
    )
    assert (
        run_coach(
            "ingest", str(write_tree(workdir / "k", SMALL_KNOWLEDGE)), env=env, cwd=workdir
        ).returncode
        == 0
    )
    server = Server(env, workdir)
    yield server
    server.stop()


@pytest.mark.parametrize("mode", ["slow", "error", "garbage", "down"])
def test_the_documents_answer_within_5_seconds_whatever_the_model_does(
    flaky_model: BadModelServer, coach_on_flaky_model: Server, mode: str
) -> None:
    flaky_model.mode = mode
    if mode == "down":
        flaky_model.http.server_close()  # connection refused from now on
    started = time.monotonic()
    body = httpx.post(
        f"{coach_on_flaky_model.url}/v1/chat",
        json={"message": "How long should a brown-bag be?"},
        timeout=30,
    ).json()
    assert time.monotonic() - started < 5
    assert "A brown-bag lasts at most 45 minutes" in body["answer"]
    assert body["sources"][0]["source"] == "playbooks/brown-bag.md"
    assert body["handoff"]["route"] == "learning_ops"  # the offer to reach a person
    ticket = httpx.post(
        f"{coach_on_flaky_model.url}/v1/chat", json={"message": "I want to talk to a human"}
    ).json()
    assert ticket["handoff"]["ticket_id"]


def test_a_second_process_cannot_open_the_embedded_store(tmp_path: Path) -> None:
    env = coach_env(tmp_path / "data")
    ingest_small_knowledge(tmp_path, env)
    server = Server(env, tmp_path)
    try:
        second = run_coach("ingest", str(tmp_path / "k"), env=env, cwd=tmp_path)
        port = free_port()
        third = subprocess.run(
            [COACH, "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.stop()
    for refused in (second, third):
        assert refused.returncode == 2
        assert (
            "Two processes must not share an embedded Chroma store"
            in refused.stderr + refused.stdout
        )


def test_a_locked_database_gives_503_and_never_half_a_ticket(tmp_path: Path) -> None:
    env = coach_env(tmp_path / "data", COACH_SQLITE_BUSY_TIMEOUT_MS="300", COACH_LLM="fake")
    ingest_small_knowledge(tmp_path, env)
    server = Server(env, tmp_path)
    try:
        blocker = sqlite3.connect(tmp_path / "data" / "coach.db", timeout=1, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            locked = httpx.post(
                f"{server.url}/v1/escalations", json={"summary": "s", "reason": "r"}, timeout=30
            )
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert locked.status_code == 503
        assert locked.headers["retry-after"] == "2"
        assert locked.json()["error"]["code"] == "service_unavailable"
        assert httpx.get(f"{server.url}/v1/escalations").json()["total"] == 0
        retried = httpx.post(f"{server.url}/v1/escalations", json={"summary": "s", "reason": "r"})
        assert retried.status_code == 201
    finally:
        server.stop()


def test_an_ingest_killed_half_way_is_finished_by_the_next_run(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for copy in range(4):
        for path in sorted(BUNDLED_KNOWLEDGE_DIR.glob("*/*.md")):
            target = corpus / path.parent.name / f"{path.stem}-{copy}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text() + f"\n\nCopy {copy}.\n")
    env = coach_env(tmp_path / "data")
    process = subprocess.Popen(
        [COACH, "ingest", str(corpus)], env=env, cwd=tmp_path, stderr=subprocess.PIPE
    )
    chroma = tmp_path / "data" / "chroma"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(chroma.glob("*/data_level0.bin")):
        time.sleep(0.2)
    time.sleep(2)  # well into the embedding of the 180 files
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    finished = run_coach("ingest", str(corpus), env=env, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr
    assert "0 failed" in finished.stderr
    check = subprocess.run(
        [str(Path(COACH).with_name("python")), "-c", CHECK_INDEX], env=env, cwd=tmp_path,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    files, sources, mixed = map(int, check.stdout.split())
    assert (files, sources, mixed) == (180, 180, 0)


CHECK_INDEX = """
from pathlib import Path
from coach.core import open_store
from coach.settings import Settings
store = open_store(Settings())
hashes = {}
for chunk in store.all_chunks():
    hashes.setdefault(chunk.metadata["source"], set()).add(chunk.metadata["content_hash"])
files = len(list(Path("corpus").glob("*/*.md")))
print(files, len(hashes), sum(len(h) > 1 for h in hashes.values()))
"""
