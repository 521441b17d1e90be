"""The whole path over the real (small) library: three people want one thing in different
words; the coach groups them and suggests a past host; one step drafts the plan and each of the
three sees it; after the date the organiser's debrief becomes a reviewed, published, indexed
note that the people finder returns; the month's autonomy counts it."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

from coach.community.build import CommunityPorts, build_community
from coach.community.hosts import StoreSessionNotes
from coach.community.records import Debrief
from coach.core import CoachCore
from coach.flows.people import find_past_sessions
from knowledge.ingest import Root
from knowledge.library import KnowledgeLibrary
from tests.community_fakes import (
    CountingIds,
    FakeExamples,
    MemoryActivity,
    MemoryCheckIns,
    MemoryCommunities,
    MemoryDemo,
    MemoryDrafts,
    MemoryInterests,
    MemoryLearningPlans,
    MemoryNotices,
    MemorySessions,
    SettableClock,
)
from tests.unit.community.conftest import (
    ALICE,
    BRUNO,
    CHIDI,
    DARIA,
    OLGA,
    TODAY,
    ConceptEmbeddings,
)

PAST_NOTE = """\
    ---
    title: Pottery evening
    date: 2026-10-01
    host: Rita Vale
    team: Facilities
    format: workshop
    ---
    # Pottery evening

    ## What happened
    Rita Vale showed twelve colleagues how to centre clay on the pottery wheel.

    ## What to change
    Book a room with a sink next time, the clean-up took too long.
    """


def test_three_people_to_a_published_note_the_people_finder_returns(
    make_core: Callable[[], CoachCore], knowledge_dir: Path, tmp_path: Path
) -> None:
    (knowledge_dir / "sessions" / "2026-10-01-pottery-evening.md").write_text(
        textwrap.dedent(PAST_NOTE), encoding="utf-8"
    )
    core = make_core()
    library = KnowledgeLibrary(core.store, tmp_path / "library", max_file_bytes=1_000_000)
    assert library.sync([Root(knowledge_dir)]).ok
    notes = [(p.name, p.read_text()) for p in (knowledge_dir / "sessions").glob("*.md")]
    clock = SettableClock(dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC))
    ports = CommunityPorts(
        interests=MemoryInterests(), notices=MemoryNotices(), sessions=MemorySessions(),
        drafts=MemoryDrafts(), communities=MemoryCommunities(), check_ins=MemoryCheckIns(),
        learning_plans=MemoryLearningPlans(), demo=MemoryDemo(), activity=MemoryActivity(),
        notes=StoreSessionNotes(core.retriever, core.store), examples=FakeExamples(notes),
        library=library, drafter=core.coaching.sessions,
    )  # fmt: skip
    community = build_community(
        ports, ConceptEmbeddings(), enabling_team=lambda: {"Olga Team"}, clock=clock,
        ids=CountingIds(),
    )  # fmt: skip

    community.interests.register(ALICE, "I'd like to learn pottery", "learn")
    community.interests.register(BRUNO, "ceramics, anyone?", "learn", "named")
    community.interests.register(CHIDI, "wheel and glazing", "learn")

    topic = community.board.for_team(OLGA)[0]
    assert (topic.people, topic.named) == (3, (("Bruno Tamura", "learn"),))
    assert [h.name for h in topic.hosts] == ["Rita Vale"]
    assert [v.people for v in community.board.for_employee(DARIA)] == [3]
    for person in (ALICE, BRUNO, CHIDI):
        (notice,) = community.inbox.on_arrival(person)
        assert (
            "Suggested host: Rita Vale, who hosted “Pottery evening” (2026-10-01)." in notice.text
        )

    session = community.sessions.draft_from_topic(ALICE, topic.id)
    session = community.sessions.schedule(ALICE, session.id, dt.date(2027, 3, 24))
    for person in (ALICE, BRUNO, CHIDI):
        assert [s.id for s in community.sessions.of(person)] == [session.id]
        assert [n.kind for n in community.inbox.on_arrival(person)] == ["drafted", "scheduled"]
    assert community.sessions.view(CHIDI, session.id).invitation.named == ("Bruno Tamura",)

    clock.set_date(dt.date(2027, 3, 25))
    assert [n.kind for n in community.reminders.send_due()] == ["debrief"]
    draft = community.debriefs.submit(
        ALICE,
        session.id,
        Debrief(attendees=11, what_worked=("Everyone had clay in hand.",),
                what_to_change=("Bring aprons for everyone next time.",), feedback_score=4.8),
    )  # fmt: skip
    published = community.debriefs.publish(OLGA, draft.id)

    found = find_past_sessions(core.retriever, core.store, "who ran a ceramics session?")
    assert (published.published_source, "Alice Moreau") in [(s.source, s.host) for s, _ in found]
    march = community.autonomy.by_month(OLGA, months=1)[0]
    assert (march.month, march.sessions_by_employees, march.first_time_hosts) == ("2027-03", 1, 1)
    assert march.interests_became_sessions == 3
