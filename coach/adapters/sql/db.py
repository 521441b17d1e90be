"""Engine and sessions. SQLite gets WAL and a busy timeout so readers never block the writer."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from filelock import FileLock
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

# What the adapters are built over, named here so the composition root needs no SQLAlchemy.
SessionFactory = sessionmaker[Session]
__all__ = ["Engine", "SessionFactory", "make_engine", "make_session_factory", "open_database"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
# Locked past the busy timeout, restarting, unreachable: the doors answer "try again shortly".
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return apply


def make_engine(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        return engine
    # Fail fast when PostgreSQL is unreachable, so the request gets a clear 503.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def open_database(url: str, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """The database at `url`, migrated to the current schema."""
    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
    upgrade_database(engine)
    return engine


MIGRATION_LOCK_ID = 0x636F616368  # "coach": one advisory lock id for every process


def upgrade_database(engine: Engine) -> None:
    """Apply every Alembic migration to the database `engine` points at. Several processes
    starting on a new version at once take turns: a PostgreSQL advisory lock (held until the
    migration's transaction ends), or a file lock next to a SQLite database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with _sqlite_file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _sqlite_file_lock(engine: Engine) -> AbstractContextManager[object]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return nullcontext()
    return FileLock(f"{database}.migrate.lock", timeout=600)
