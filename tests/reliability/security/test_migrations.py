"""Several processes starting on a new database at once migrate it once, without racing."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from coach.adapters.sql.db import MIGRATIONS_DIR
from tests.reliability.security.services import postgres_admin_url

PROCESSES = 4


def head() -> str:
    """The revision every migration leads to (one: the history never branches)."""
    heads = ScriptDirectory(str(MIGRATIONS_DIR)).get_heads()
    assert len(heads) == 1, f"the migrations branch: {heads}"
    return str(heads[0])


def _migrate(url: str, barrier: multiprocessing.synchronize.Barrier, results: object) -> None:
    from coach.adapters.sql.db import make_engine, upgrade_database

    engine = make_engine(url)
    barrier.wait()
    try:
        upgrade_database(engine)
        results.put("ok")  # type: ignore[attr-defined]
    except Exception as error:  # reported to the test
        results.put(f"{type(error).__name__}: {error}")  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def migrate_at_once(url: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [
        context.Process(target=_migrate, args=(url, barrier, results)) for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(60)
    return outcomes


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    admin_url = postgres_admin_url()
    name = f"coach_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _version(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [
                r[0] for r in connection.execute(text("SELECT version_num FROM alembic_version"))
            ]
    finally:
        engine.dispose()


def test_processes_starting_together_migrate_postgresql_once(fresh_postgres: str) -> None:
    assert migrate_at_once(fresh_postgres) == ["ok"] * PROCESSES
    assert _version(fresh_postgres) == [head()]


def test_processes_starting_together_migrate_sqlite_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'coach.db'}"
    assert migrate_at_once(url) == ["ok"] * PROCESSES
    assert _version(url) == [head()]
