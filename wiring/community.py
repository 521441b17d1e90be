"""The community's use cases over their SQL adapters, the library and the session planner; and
the scheduler that sends what falls due, led by one process at a time."""

from __future__ import annotations

from collections.abc import Callable

from coach.adapters.sql.activity import SqlActivity, SqlLearningPlanSource
from coach.adapters.sql.community import (
    SqlCheckIns,
    SqlCommunities,
    SqlDemo,
    SqlInterests,
    SqlNoteDrafts,
    SqlNotices,
    SqlTrackedSessions,
)
from coach.adapters.sql.db import Engine, SessionFactory, make_session_factory, open_database
from coach.adapters.sql.leader import DatabaseLeaderLock
from coach.community.build import Community, CommunityPorts, build_community
from coach.community.demo import DemoService
from coach.community.hosts import StoreSessionNotes
from coach.community.ports import Clock
from coach.community.scheduler import Scheduler
from coach.core import CoachCore, load_profile
from coach.services.access import KeyRing
from coach.settings import Settings
from knowledge.library import KnowledgeLibrary


def enabling_team(core: CoachCore, keys: KeyRing, activity: SqlActivity) -> Callable[[], set[str]]:
    """The enabling team as notes name it (its name) and as keys do (learning_ops users)."""

    def team() -> set[str]:
        return {core.profile.team.name} | keys.configured_team() | activity.team_users()

    return team


def build_community_services(
    settings: Settings,
    core: CoachCore,
    sessions: SessionFactory,
    documents: KnowledgeLibrary,
    keys: KeyRing,
    *,
    clock: Clock | None = None,
) -> Community:
    activity = SqlActivity(sessions)
    ports = CommunityPorts(
        interests=SqlInterests(sessions),
        notices=SqlNotices(sessions),
        sessions=SqlTrackedSessions(sessions),
        drafts=SqlNoteDrafts(sessions),
        communities=SqlCommunities(sessions),
        check_ins=SqlCheckIns(sessions),
        learning_plans=SqlLearningPlanSource(sessions),
        demo=SqlDemo(sessions),
        activity=activity,
        notes=StoreSessionNotes(core.retriever, core.store),
        examples=documents,
        library=documents,
        drafter=core.coaching.sessions,
    )
    return build_community(
        ports,
        core.store.embeddings,
        enabling_team=enabling_team(core, keys, activity),
        clock=clock,
        working_week=core.profile.working_week,
    )


def build_scheduler(settings: Settings, community: Community, engine: Engine) -> Scheduler:
    return Scheduler(
        community.reminders,
        DatabaseLeaderLock(engine),
        poll_seconds=settings.scheduler_poll_seconds,
    )


def open_scheduler(settings: Settings) -> tuple[Scheduler, Engine]:
    """The scheduler alone, over the configured database (for `coach worker`): it needs the
    tracked sessions and the inboxes, not the models or the index."""
    from coach.community.clock import RandomIds, SystemClock
    from coach.community.reminders import ReminderService

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    sessions = make_session_factory(engine)
    reminders = ReminderService(
        SqlTrackedSessions(sessions),
        SqlNotices(sessions),
        SystemClock(),
        RandomIds(),
        working_week=load_profile(settings).working_week,
    )
    lock = DatabaseLeaderLock(engine)
    return Scheduler(reminders, lock, poll_seconds=settings.scheduler_poll_seconds), engine


def open_demo(settings: Settings) -> tuple[DemoService, Engine]:
    """The demo history alone (for `coach demo seed` and `coach demo remove`)."""
    from coach.community.clock import SystemClock

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_database(settings.sqlalchemy_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    return DemoService(SqlDemo(make_session_factory(engine)), SystemClock()), engine
