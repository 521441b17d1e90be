"""`coach demo seed` / `coach demo remove` and `coach worker`, on SQLite and PostgreSQL; and the
scheduler `coach serve` runs while it serves."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from coach.adapters.sql.community import SqlDemo, SqlNotices, SqlTrackedSessions
from coach.adapters.sql.db import make_session_factory, open_database
from coach.cli import app
from coach.community.people import Caller
from coach.community.records import TrackedSession
from coach.core import CoachCore
from coach.settings import Settings
from tests.api.conftest import LOOPBACK
from wiring.app import create_app
from wiring.services import build_services

TODAY = dt.date.today()


@pytest.fixture
def env(api_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("COACH_DATA_DIR", str(api_settings.data_dir))
    if api_settings.database_url:
        monkeypatch.setenv("COACH_DATABASE_URL", api_settings.database_url)
    else:
        monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    monkeypatch.chdir(api_settings.data_dir.parent)  # no .env of the developer's
    return api_settings


def _session_held_yesterday(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.sqlalchemy_url)
    SqlTrackedSessions(make_session_factory(engine)).add(
        TrackedSession(
            id="ses1", title="Pottery: a talk", topic="pottery", format="talk",
            organiser="alice", organiser_name="Alice", created_at=dt.datetime.now(dt.UTC),
            date=TODAY - dt.timedelta(days=1), duration_minutes=45, lead_times=(), tasks=(),
            plan={}, markdown="",
        )
    )  # fmt: skip
    engine.dispose()


def _notices_of(settings: Settings, person: str) -> list[str]:
    engine = open_database(settings.sqlalchemy_url)
    try:
        notices = SqlNotices(make_session_factory(engine))
        return [n.kind for n in notices.of([person], unread_only=False, limit=50)]
    finally:
        engine.dispose()


def test_the_demo_year_is_seeded_and_removed_with_one_command_each(env: Settings) -> None:
    runner = CliRunner()

    seeded = runner.invoke(app, ["demo", "seed", "--seed", "5"])
    engine = open_database(env.sqlalchemy_url)
    history = SqlDemo(make_session_factory(engine)).load()
    removed = runner.invoke(app, ["demo", "remove"])
    after = SqlDemo(make_session_factory(engine)).load()
    engine.dispose()

    assert seeded.exit_code == 0, seeded.output
    assert history is not None
    assert history.tag == "demo:5"
    assert f"{len(history.held)} sessions" in seeded.output
    assert all(h.demo for h in history.held)
    assert (removed.exit_code, after) == (0, None)
    assert "Removed the demo year." in removed.output
    assert "There was no demo year." in runner.invoke(app, ["demo", "remove"]).output


def test_the_worker_sends_what_fell_due_once(env: Settings) -> None:
    _session_held_yesterday(env)
    runner = CliRunner()

    first = runner.invoke(app, ["worker", "--once"])
    second = runner.invoke(app, ["worker", "--once"])

    assert (first.exit_code, second.exit_code) == (0, 0)
    assert "Sent 1." in first.output
    assert "Sent 0." in second.output
    assert _notices_of(env, "alice") == ["debrief"]


def test_coach_serve_runs_the_scheduler_while_it_serves(
    api_settings: Settings, make_core: Callable[[], CoachCore]
) -> None:
    _session_held_yesterday(api_settings)
    settings = api_settings.model_copy(update={"scheduler_poll_seconds": 0.2})
    services = build_services(settings, core=make_core())
    assert services.scheduler is not None

    with TestClient(create_app(settings, services=services, with_ui=False), base_url=LOOPBACK):
        for _ in range(100):  # its first pass runs as the app starts
            if _notices_of(settings, "alice"):
                break
            time.sleep(0.1)
    services.engine.dispose()

    assert _notices_of(settings, "alice") == ["debrief"]
    prompt = services.community.inbox.notices(Caller.person("alice"))[0].text
    assert prompt.startswith("How did “Pottery: a talk” go?")
