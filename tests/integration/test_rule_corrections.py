"""Learning Ops' corrections in a real database (SQLite, and PostgreSQL when it answers) over a
real Chroma index: a correction survives re-indexing an unchanged file and wins in plans; when
its sentence changes it is set aside, kept, and the rule comes back for review."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from coach.flows.requests import SessionRequest
from coach.services import Services
from coach.settings import Settings
from knowledge.ingest import Root
from tests.api.conftest import POSTGRES_ADMIN_URL
from tests.conftest import SMALL_KNOWLEDGE, write_tree
from wiring.services import build_services

pytestmark = pytest.mark.integration
BROWN_BAG = "playbooks/brown-bag.md"
LIMIT = "A brown-bag lasts at most 45 minutes: 30 minutes of talk and 15 minutes of questions."


def _own_postgres_schema() -> Iterator[str]:
    """A schema of its own on the test server, so parallel runs never share tables."""
    schema = f"rules_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide PostgreSQL on 127.0.0.1:5432")
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432 (database 'test', trust auth)")
    yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None  # the default: a SQLite file in the data dir
    else:
        yield from _own_postgres_schema()


@pytest.fixture
def services(fake_settings: Settings, database_url: str | None) -> Iterator[Services]:
    services = build_services(fake_settings.model_copy(update={"database_url": database_url}))
    yield services
    services.engine.dispose()


def _limit(services: Services) -> tuple[float | None, str]:
    [playbook] = services.rules.playbooks(BROWN_BAG)
    rule = next(r for r in playbook.rules if r.kind == "max_duration")
    return rule.value, rule.status


def _planned_minutes(services: Services) -> int:
    request = SessionRequest("a brown-bag on testing", format="brown-bag", duration_minutes=60)
    return services.plans.draft_session_plan(request, owner="alice").plan["duration_minutes"]


def test_a_correction_survives_re_indexing_until_its_sentence_changes(
    services: Services, tmp_path: Path
) -> None:
    folder = write_tree(tmp_path / "knowledge", SMALL_KNOWLEDGE)
    assert services.library.sync([Root(folder)]).counts()["added"] == 4
    services.rules.decide(BROWN_BAG, LIMIT, "correct", by="olivia", kind="max_duration", value=40)
    assert (_limit(services), _planned_minutes(services)) == ((40.0, "corrected"), 40)

    assert services.library.sync([Root(folder)]).counts()["unchanged"] == 4
    assert (_limit(services), _planned_minutes(services)) == ((40.0, "corrected"), 40)

    guide = folder / BROWN_BAG
    guide.write_text(guide.read_text().replace("at most 45 minutes", "at most 50 minutes"))
    assert services.library.sync([Root(folder)]).counts()["updated"] == 1
    assert (_limit(services), _planned_minutes(services)) == ((50.0, "needs_review"), 50)
    [playbook] = services.rules.playbooks(BROWN_BAG)
    assert [(d.sentence, d.value, d.decided_by) for d in playbook.set_aside] == [
        (LIMIT, 40.0, "olivia")
    ]
