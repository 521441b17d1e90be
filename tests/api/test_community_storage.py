"""The community's SQL adapters on SQLite and PostgreSQL: the migration builds what the models
describe, a notice is stored once per key however many send it, withdrawing reaches every
notice that names an interest, and one process at a time leads the scheduler."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import coach.adapters.sql.community_models  # noqa: F401  (the tables, in the metadata)
from coach.adapters.sql.community import SqlDemo, SqlInterests, SqlNotices
from coach.adapters.sql.db import make_session_factory, open_database
from coach.adapters.sql.leader import DatabaseLeaderLock
from coach.adapters.sql.models import Base
from coach.community.demo import generate
from coach.community.records import Interest, Notice
from coach.settings import Settings

COMMUNITY_TABLES = {
    "community_interests", "community_notices", "community_notice_interests",
    "community_sessions", "community_note_drafts", "communities", "learning_plan_check_ins",
    "community_demo", "scheduler_leases",
}  # fmt: skip
NOW = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def engine(api_settings: Settings) -> Iterator[Engine]:
    api_settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(api_settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def _notice(key: str, number: int, about: tuple[str, ...] = ()) -> Notice:
    return Notice(f"ntc{number}", "bob", "topic", f"text {number}", NOW, key, about)


def test_the_migration_builds_the_community_tables_the_models_describe(engine: Engine) -> None:
    community = {t.name for t in Base.metadata.sorted_tables if t.name in COMMUNITY_TABLES}
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert community == COMMUNITY_TABLES
    # (Older tables' differences are not this migration's to settle.)
    assert [d for d in differences if any(t in repr(d) for t in COMMUNITY_TABLES)] == []


def test_a_notice_sent_by_many_workers_at_once_is_stored_once(
    sessions: sessionmaker[Session],
) -> None:
    notices = SqlNotices(sessions)
    results: list[bool] = []
    start = threading.Barrier(6)

    def send(number: int) -> None:
        start.wait()
        results.append(notices.add(_notice("reminder:ses1:0", number)))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 5 + [True]
    assert len(notices.of(["bob"], unread_only=False, limit=50)) == 1


def test_removing_what_names_an_interest_reaches_every_such_notice(
    sessions: sessionmaker[Session],
) -> None:
    notices = SqlNotices(sessions)
    notices.add(_notice("topic:int1", 1, ("int1", "int2")))
    notices.add(_notice("topic:int3", 2, ("int3", "int2")))
    notices.add(_notice("topic:int4", 3, ("int4",)))

    removed = notices.remove_about(["int2"])

    kept = notices.of(["bob"], unread_only=False, limit=50)
    assert removed == 2
    assert [(n.id, n.interest_ids) for n in kept] == [("ntc3", ("int4",))]


def test_read_notices_are_marked_only_in_the_reader_s_inboxes(
    sessions: sessionmaker[Session],
) -> None:
    notices = SqlNotices(sessions)
    notices.add(_notice("a", 1))

    assert notices.mark_read(["alice"], ["ntc1"], NOW) == 0
    assert notices.mark_read(["bob"], ["ntc1"], NOW) == 1
    assert notices.of(["bob"], unread_only=True, limit=50) == []


def test_an_interest_keeps_its_vector_and_leaves_no_trace_when_removed(
    sessions: sessionmaker[Session],
) -> None:
    interests = SqlInterests(sessions)
    interest = Interest("int1", "alice", "Alice", "pottery", "learn", "named", (0.6, -0.8), NOW)
    interests.add(interest)

    assert interests.of_person("alice") == [interest]
    interests.remove("int1")
    assert (interests.get("int1"), interests.all()) == (None, [])


def test_the_demo_year_is_one_row_replaced_and_removed_whole(
    sessions: sessionmaker[Session],
) -> None:
    demo = SqlDemo(sessions)
    demo.save(generate(1, dt.date(2027, 3, 1)))
    second = generate(2, dt.date(2027, 3, 1))

    demo.save(second)

    assert demo.load() == second
    assert (demo.remove(), demo.remove(), demo.load()) == (True, False, None)


def test_one_process_leads_and_another_takes_over_when_it_lets_go(engine: Engine) -> None:
    first, second = DatabaseLeaderLock(engine), DatabaseLeaderLock(engine)

    assert first.hold() is True
    assert (second.hold(), first.hold()) == (False, True)
    first.release()
    assert (second.hold(), first.hold()) == (True, False)
    second.release()


def test_on_sqlite_a_lapsed_lease_is_taken_over(tmp_path: Path) -> None:
    # (PostgreSQL's advisory lock ends with its connection instead: see the test above.)
    engine = open_database(f"sqlite:///{tmp_path / 'lease.db'}")
    gone = DatabaseLeaderLock(engine, lease=dt.timedelta(seconds=-1))  # a leader that died
    assert gone.hold() is True

    assert DatabaseLeaderLock(engine).hold() is True
    engine.dispose()
