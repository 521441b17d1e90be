"""Learning plans: check-ins on milestones, and picking up where the plan stands."""

from __future__ import annotations

import datetime as dt

import pytest

from coach.community.checkins import CheckInService, standing_markdown, tracked_plan
from coach.community.errors import InvalidInputError, NotFoundError
from coach.community.records import TrackedLearningPlan
from tests.community_fakes import MemoryCheckIns, MemoryLearningPlans
from tests.unit.community.conftest import ALICE, BRUNO, TODAY, World

START = TODAY - dt.timedelta(weeks=3)  # today is in week 4


def _plan(weeks: int = 6) -> TrackedLearningPlan:
    saved = {
        "goal": "Get going with pottery",
        "weeks": weeks,
        "hours_per_week": 2,
        "milestones": [{"week": w, "focus": f"Step {w}"} for w in range(1, weeks + 1)],
    }
    return tracked_plan("lp1", "alice", START, saved)


@pytest.fixture
def check_ins(world: World) -> CheckInService:
    return CheckInService(MemoryLearningPlans(_plan()), MemoryCheckIns(), world.clock)


def test_coming_back_picks_up_where_the_plan_stands_and_adapts_the_next_weeks(
    check_ins: CheckInService,
) -> None:
    check_ins.check_in(ALICE, "lp1", 1, "done")
    check_ins.check_in(ALICE, "lp1", 2, "moved", to_week=5)
    check_ins.check_in(ALICE, "lp1", 4, "dropped")

    resumed = check_ins.resume(ALICE)

    assert resumed is not None
    assert (resumed.week, resumed.done, resumed.dropped, resumed.moved, resumed.missed) == (
        4, (1,), (4,), ((2, 5),), (3,),
    )  # fmt: skip
    assert [(s.week, s.focus) for s in resumed.next_weeks] == [
        (4, "Step 3"),  # missed: carried into this week
        (5, "Step 2"),  # moved to week 5
        (6, "Step 5"),
        (7, "Step 6"),
    ]
    assert resumed.ends_in_week == 7
    assert standing_markdown(resumed) == (
        "# Where your plan stands: Get going with pottery\n\n"
        "Week 4 of 6: 1 done, 1 moved, 1 dropped.\n"
        "Not checked in: week 3, carried forward.\n"
        "At this pace it ends in week 7, 1 later than planned.\n\n"
        "## The next weeks\n\n"
        "- Week 4: Step 3 (from week 3)\n"
        "- Week 5: Step 2 (from week 2)\n"
        "- Week 6: Step 5 (from week 5)\n"
        "- Week 7: Step 6 (from week 6)\n"
    )


def test_the_last_check_in_of_a_week_counts(check_ins: CheckInService, world: World) -> None:
    check_ins.check_in(ALICE, "lp1", 1, "dropped")
    world.clock.advance(minutes=5)

    now = check_ins.check_in(ALICE, "lp1", 1, "done")

    assert (now.done, now.dropped) == ((1,), ())


def test_a_plan_with_everything_checked_is_finished(check_ins: CheckInService) -> None:
    for week in range(1, 7):
        check_ins.check_in(ALICE, "lp1", week, "done")

    assert check_ins.standing(ALICE, "lp1").finished
    assert check_ins.resume(ALICE) is None


def test_check_ins_are_the_owner_s_and_must_make_sense(check_ins: CheckInService) -> None:
    with pytest.raises(NotFoundError):
        check_ins.check_in(BRUNO, "lp1", 1, "done")
    with pytest.raises(InvalidInputError):
        check_ins.check_in(ALICE, "lp1", 9, "done")
    with pytest.raises(InvalidInputError):
        check_ins.check_in(ALICE, "lp1", 3, "moved", to_week=2)
    assert check_ins.resume(BRUNO) is None
