"""Load on loopback: a flood of idempotent ticket requests, and two workers sharing a
Chroma server and PostgreSQL."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.api.conftest import POSTGRES_ADMIN_URL
from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.conftest import Server, coach_env, run_coach

pytestmark = pytest.mark.integration
TICKETS = 100


def flood(base_url: str) -> tuple[Counter[int], set[str], set[str]]:
    """200 POSTs at once: 100 tickets, each sent twice with the same Idempotency-Key."""
    keys = [str(uuid.uuid4()) for _ in range(TICKETS)]
    requests = [k for k in keys for _ in range(2)]

    def post(key: str) -> httpx.Response:
        return httpx.post(
            f"{base_url}/v1/escalations",
            json={"summary": f"Ticket {key}", "reason": "load"},
            headers={"Idempotency-Key": key},
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=32) as pool:
        responses = list(pool.map(post, requests))
    return (
        Counter(r.status_code for r in responses),
        {r.json()["id"] for r in responses if r.status_code < 300},
        {r.headers["x-coach-worker"] for r in responses},
    )


def test_a_flood_of_replayed_ticket_requests_makes_exactly_one_ticket_each(tmp_path: Path) -> None:
    env = coach_env(tmp_path / "data", COACH_LLM="fake", COACH_RATE_LIMIT_PER_MINUTE="100000")
    server = Server(env, tmp_path)
    try:
        statuses, ids, _ = flood(server.url)
        listed = httpx.get(f"{server.url}/v1/escalations?limit=200").json()
        readable = [httpx.get(f"{server.url}/v1/escalations/{i}").status_code for i in ids]
    finally:
        server.stop()
    assert statuses == Counter({201: TICKETS, 200: TICKETS})
    assert len(ids) == TICKETS
    assert listed["total"] == TICKETS
    assert set(readable) == {200}


def wait_for_workers(base_url: str, expected: int, seconds: float = 120) -> int:
    """Until `expected` worker processes have answered (each loads the models first)."""
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    while len(seen) < expected and time.monotonic() < deadline:
        try:
            response = httpx.get(f"{base_url}/healthz", headers={"Connection": "close"}, timeout=5)
            seen.add(response.headers["x-coach-worker"])
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return len(seen)


@pytest.fixture
def scale_database() -> Iterator[str]:
    name = f"coach_scale_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError:
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 (database 'test', trust auth)")
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.postgres
def test_two_workers_share_one_chroma_server_and_postgresql(
    chroma_url: str,
    scale_database: str,
    tmp_path: Path,
) -> None:
    env = coach_env(
        tmp_path / "data",
        COACH_LLM="fake",
        COACH_CHROMA_URL=chroma_url,
        COACH_DATABASE_URL=scale_database,
        COACH_COLLECTION=f"scale-{uuid.uuid4().hex[:6]}",
        COACH_RATE_LIMIT_PER_MINUTE="100000",
    )
    folder = write_tree(tmp_path / "knowledge", SMALL_KNOWLEDGE)
    assert run_coach("ingest", str(folder), env=env, cwd=tmp_path).returncode == 0
    server = Server(env, tmp_path, extra_args=["--workers", "2"])
    try:
        booted = wait_for_workers(server.url, 2)
        statuses, ids, flood_workers = flood(server.url)
        with httpx.Client(base_url=server.url, timeout=60) as http:
            answers = [
                http.post("/v1/retrieve", json={"query": "How long is a brown-bag?"})
                for _ in range(40)
            ]
            workers = {r.headers["x-coach-worker"] for r in answers}
            tops = {r.json()["results"][0]["source"] for r in answers}
            readable = {http.get(f"/v1/escalations/{i}").status_code for i in ids}
            total = http.get("/v1/escalations").json()["total"]
    finally:
        server.stop()
    assert booted == 2
    assert statuses == Counter({201: TICKETS, 200: TICKETS})
    assert len(workers | flood_workers) == 2  # both workers answered
    assert tops == {"playbooks/brown-bag.md"}  # and they agree
    assert (readable, total) == ({200}, TICKETS)
    # The keyword index `coach ingest` saved, loaded by both workers: still one copy.
    assert len(list((tmp_path / "data" / "keyword-index").glob("bm25s-*"))) == 1
