"""Services the security tests use: absent, a test skips with a message, but not under CI."""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

REDIS_URL = os.environ.get("COACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get(
    "COACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def missing(what: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must provide {what}")
    pytest.skip(f"needs {what}")


def redis_url() -> str:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        client.flushdb()
    except redis.RedisError:
        missing("Redis on 127.0.0.1:6379")
    return REDIS_URL


def postgres_admin_url() -> str:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        missing("PostgreSQL on 127.0.0.1:5432 (database 'test', trust auth)")
    finally:
        engine.dispose()
    return POSTGRES_URL


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        missing("Chromium (apt-get install chromium)")
    return path
