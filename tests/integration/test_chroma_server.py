"""`COACH_CHROMA_URL` puts the index in a Chroma server that several API workers can share."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.conftest import Server, coach_env, free_port, run_coach

pytestmark = pytest.mark.integration

CHROMA = str(Path(sys.executable).with_name("chroma"))


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = (path / "chroma.log").open("w")
    process = subprocess.Popen(
        [CHROMA, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma run did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_two_servers_share_one_chroma_index(chroma_url: str, tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "knowledge", SMALL_KNOWLEDGE)
    # Separate data dirs: nothing of the index lives on the API servers' disks.
    env_a = coach_env(tmp_path / "a", COACH_CHROMA_URL=chroma_url)
    env_b = coach_env(tmp_path / "b", COACH_CHROMA_URL=chroma_url)
    ingest = run_coach("ingest", str(folder), env=env_a, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert not (tmp_path / "a" / "chroma").exists()
    first, second = Server(env_a, tmp_path), Server(env_b, tmp_path)
    try:
        with httpx.Client(timeout=60) as http:
            for server in (first, second):
                results = http.post(
                    f"{server.url}/v1/retrieve", json={"query": "How long is a brown-bag?"}
                ).json()["results"]
                assert results[0]["source"] == "playbooks/brown-bag.md"
            upload = http.post(
                f"{first.url}/v1/knowledge/documents",
                files={"file": ("pairing.md", b"# Pairing\n\nRotate pairing partners weekly.\n")},
            )
            assert upload.status_code == 201
            # The other worker sees the new document at once: BM25 follows the generation.
            results = http.post(
                f"{second.url}/v1/retrieve",
                json={"query": "rotate pairing partners", "mode": "keyword"},
            ).json()["results"]
            assert results[0]["source"] == "documents/pairing.md"
    finally:
        first.stop()
        second.stop()
