"""Integration fixtures: the real `coach` command, real models, real Chroma, SQLite and HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

COACH = str(Path(sys.executable).with_name("coach"))


def coach_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}, **extra)
    return env


def run_coach(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [COACH, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def ingest_small_knowledge(workdir: Path, env: dict[str, str]) -> Path:
    """`coach ingest` of the small knowledge folder, written to WORKDIR/k; the folder."""
    from tests.conftest import SMALL_KNOWLEDGE, write_tree

    folder = write_tree(workdir / "k", SMALL_KNOWLEDGE)
    result = run_coach("ingest", str(folder), env=env, cwd=workdir)
    assert result.returncode == 0, result.stderr
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, env: dict[str, str], cwd: Path, extra_args: list[str] | None = None) -> None:
        self.port = free_port()
        self.env, self.cwd = env, cwd
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = cwd / f"server-{self.port}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [COACH, "serve", "--port", str(self.port), *(extra_args or [])],
                env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"coach serve exited: {self.log.read_text()}")
            try:
                # Ready: warmed up and the UI built (/healthz answers before either).
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"coach serve did not answer in time: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def bundled_coach(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The coach as a new user runs it: `coach ingest`, then `coach serve`."""
    workdir = tmp_path_factory.mktemp("bundled")
    env = coach_env(workdir / "data")
    ingest = run_coach("ingest", env=env, cwd=workdir)
    assert ingest.returncode == 0, ingest.stderr
    server = Server(env, workdir)
    yield server
    server.stop()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=120) as client:
        yield client


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
