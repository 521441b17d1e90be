"""The community's use cases built once over their ports: what the composition root (phase 2:
`wiring`) calls with the SQL adapters, and tests call with in-memory ones."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from coach.community.autonomy import AutonomyService
from coach.community.checkins import CheckInService
from coach.community.clock import RandomIds, SystemClock
from coach.community.communities import CommunityService
from coach.community.conversation import CommunityTurns
from coach.community.debriefs import DebriefService
from coach.community.demo import DemoService
from coach.community.grouping import GROUPING_THRESHOLD, TopicSpace
from coach.community.inbox import InboxService
from coach.community.interests import InterestService
from coach.community.ports import (
    ActivitySource,
    CheckInStore,
    Clock,
    CommunityStore,
    DemoStore,
    IdGenerator,
    InterestStore,
    LearningPlanSource,
    NoteDraftStore,
    NoteExamples,
    NoteLibrary,
    NoticeStore,
    SessionDrafter,
    SessionNotes,
    SessionStore,
)
from coach.community.reminders import ReminderService
from coach.community.sessions import SessionService
from coach.community.topics import MIN_PEOPLE, TopicBoard
from coach.flows.session_plan import WORKING_WEEK


@dataclass(frozen=True)
class CommunityPorts:
    interests: InterestStore
    notices: NoticeStore
    sessions: SessionStore
    drafts: NoteDraftStore
    communities: CommunityStore
    check_ins: CheckInStore
    learning_plans: LearningPlanSource
    demo: DemoStore
    activity: ActivitySource
    notes: SessionNotes
    examples: NoteExamples
    library: NoteLibrary
    drafter: SessionDrafter


@dataclass(frozen=True)
class Community:
    board: TopicBoard
    interests: InterestService
    sessions: SessionService
    inbox: InboxService
    reminders: ReminderService
    debriefs: DebriefService
    communities: CommunityService
    check_ins: CheckInService
    autonomy: AutonomyService
    demo: DemoService
    turns: CommunityTurns = field(repr=False)


def build_community(
    ports: CommunityPorts,
    embeddings: Embeddings,
    *,
    enabling_team: Callable[[], Collection[str]],
    clock: Clock | None = None,
    ids: IdGenerator | None = None,
    working_week: tuple[int, ...] = WORKING_WEEK,
    threshold: float = GROUPING_THRESHOLD,
    min_people: int = MIN_PEOPLE,
) -> Community:
    """`enabling_team` gives the names (as notes write them) and user ids of the enabling
    team, whose sessions are not counted as employees'."""
    clock = clock or SystemClock()
    ids = ids or RandomIds()
    p = ports
    board = TopicBoard(
        p.interests, p.notices, p.notes, clock, ids, threshold=threshold, min_people=min_people
    )
    space = TopicSpace(embeddings)
    interests = InterestService(p.interests, p.sessions, p.notices, board, space, clock, ids)
    inbox = InboxService(p.notices, clock)
    debriefs = DebriefService(p.sessions, p.drafts, p.notices, p.examples, p.library, clock, ids)
    check_ins = CheckInService(p.learning_plans, p.check_ins, clock)
    return Community(
        board=board,
        interests=interests,
        sessions=SessionService(
            p.interests, p.sessions, p.notices, board, p.drafter, clock, ids,
            working_week=working_week,
        ),
        inbox=inbox,
        reminders=ReminderService(p.sessions, p.notices, clock, ids, working_week=working_week),
        debriefs=debriefs,
        communities=CommunityService(p.communities, p.sessions, p.drafts, p.notes, clock, ids),
        check_ins=check_ins,
        autonomy=AutonomyService(
            sessions=p.sessions, drafts=p.drafts, interests=p.interests,
            communities=p.communities, notes=p.notes, activity=p.activity, demo=p.demo,
            clock=clock, enabling_team=enabling_team,
        ),
        demo=DemoService(p.demo, clock),
        turns=CommunityTurns(interests, inbox, debriefs, check_ins),
    )  # fmt: skip
