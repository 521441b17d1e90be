"""The scheduler sends what fell due only while it leads, and never twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coach.community.scheduler import Scheduler
from tests.unit.community.conftest import ALICE, BRUNO, CHIDI, World


@dataclass
class SharedLock:
    """One lead among the holders that ask, as a database lock gives it."""

    leader: str | None = None
    released: list[str] = field(default_factory=list)

    def for_holder(self, name: str) -> HolderLock:
        return HolderLock(self, name)


@dataclass
class HolderLock:
    shared: SharedLock
    name: str

    def hold(self) -> bool:
        if self.shared.leader is None:
            self.shared.leader = self.name
        return self.shared.leader == self.name

    def release(self) -> None:
        if self.shared.leader == self.name:
            self.shared.leader = None
        self.shared.released.append(self.name)


def _scheduled_session(world: World) -> str:
    world.registry.register(ALICE, "pottery", "learn", "named")
    world.registry.register(BRUNO, "ceramics", "learn")
    world.registry.register(CHIDI, "clay", "share")
    session = world.planning.draft_from_topic(ALICE, world.board.topics()[0].id)
    world.planning.schedule(ALICE, session.id, world.clock.now().date() + dt.timedelta(days=30))
    return session.id


def test_only_the_leader_sends_and_a_second_pass_sends_nothing_new(world: World) -> None:
    _scheduled_session(world)
    lock = SharedLock()
    first = Scheduler(world.reminders, lock.for_holder("a"))
    second = Scheduler(world.reminders, lock.for_holder("b"))
    world.clock.advance(days=27)  # the week-before lead time has fallen due

    sent = first.run_once()

    assert sent is not None
    assert [n.kind for n in sent] == ["reminder", "reminder"]
    assert {n.recipient for n in sent} == {"alice"}
    assert second.run_once() is None  # another process leads
    assert first.run_once() == []  # already sent: each notice once


def test_when_the_leader_stops_another_takes_over(world: World) -> None:
    _scheduled_session(world)
    lock = SharedLock()
    first = Scheduler(world.reminders, lock.for_holder("a"), poll_seconds=0.01)
    second = Scheduler(world.reminders, lock.for_holder("b"))
    first.start()
    first.stop()
    world.clock.advance(days=31)  # the day after the session: its organiser is asked

    sent = second.run_once()

    assert lock.released == ["a"]
    assert sent is not None
    assert [n.kind for n in sent] == ["debrief"]


def test_a_failing_pass_does_not_stop_the_loop(world: World) -> None:
    calls: list[int] = []

    class Flaky:
        def hold(self) -> bool:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("database restarting")
            if len(calls) >= 3:
                scheduler.stop_soon()
            return False

        def release(self) -> None:
            pass

    class StoppingScheduler(Scheduler):
        def stop_soon(self) -> None:
            self._stop.set()

    scheduler = StoppingScheduler(world.reminders, Flaky(), poll_seconds=0.0)
    scheduler.run()

    assert len(calls) == 3
