"""Community pages: organisers, members (named only when they agree), gatherings held (from the
library's notes) and the next one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coach.community.communities import CommunityService
from coach.community.errors import InvalidInputError, NotAPersonError, NotFoundError
from coach.community.hosts import StoreSessionNotes
from coach.community.records import Debrief, NoteDraft, NoteFacts
from coach.retrieval import Retriever
from coach.store import KnowledgeStore
from knowledge.ingest import Ingestor
from tests.community_fakes import MemoryCommunities, MemoryDrafts
from tests.conftest import write_tree
from tests.unit.community.conftest import ALICE, BRUNO, CHIDI, OLGA, WIDGET, World, sample_plan

CLAY_NOTE = """\
    ---
    title: Clay evening
    date: 2026-10-01
    host: Rita Vale
    format: workshop
    attendees: 12
    feedback_score: 4.5
    tags: [clay-circle, crafts]
    ---
    # Clay evening

    ## What happened
    Rita Vale showed twelve colleagues how to centre clay on the pottery wheel.
    """


@pytest.fixture
def drafts() -> MemoryDrafts:
    return MemoryDrafts()


@pytest.fixture
def communities(world: World, drafts: MemoryDrafts) -> CommunityService:
    return CommunityService(
        MemoryCommunities(), world.sessions, drafts, world.notes, world.clock, world.ids
    )


def test_a_community_page_shows_organisers_members_gatherings_and_the_next_one(
    world: World, communities: CommunityService, drafts: MemoryDrafts
) -> None:
    world.notes.notes += [
        NoteFacts("sessions/a.md", "Glaze night", "Rita Vale", "2026-11-02", tags=("clay-circle",)),
        NoteFacts("sessions/b.md", "Other thing", "Sam Poe", "2026-12-01", tags=("other",)),
        NoteFacts("sessions/c.md", "Wheel basics", "Alice Moreau", "2027-01-20", attendees=9),
    ]
    circle = communities.create(ALICE, "Clay circle", "Pottery at lunch, all levels")
    communities.join(BRUNO, circle.id, "named")
    communities.join(CHIDI, circle.id)
    past = world.planning.track(
        ALICE, sample_plan(date=dt.date(2027, 1, 20)), community_id=circle.id
    )
    drafts.add(
        NoteDraft("note1", past.id, "alice", "f.md", "", "published", world.clock.now(),
                  world.clock.now(), Debrief(), published_source="sessions/c.md")
    )  # fmt: skip
    coming = world.planning.track(
        ALICE, sample_plan(date=dt.date(2027, 3, 18)), community_id=circle.id
    )

    page = communities.page(CHIDI, circle.id)

    assert (page.organisers, page.members_named, page.members) == (
        ("Alice Moreau",), ("Alice Moreau", "Bruno Tamura"), 3,
    )  # fmt: skip
    assert [(g.title, g.date, g.host) for g in page.held] == [
        ("Wheel basics", "2027-01-20", "Alice Moreau"),
        ("Glaze night", "2026-11-02", "Rita Vale"),
    ]
    assert page.next_gathering is not None
    assert (page.next_gathering.date, page.next_gathering.session_id) == ("2027-03-18", coming.id)
    assert page.you_are_member
    assert "Chidi" not in repr(page)


def test_the_last_organiser_cannot_leave_without_naming_another(
    communities: CommunityService,
) -> None:
    circle = communities.create(ALICE, "Clay circle", "Pottery")
    communities.join(BRUNO, circle.id)
    with pytest.raises(InvalidInputError):
        communities.leave(ALICE, circle.id)
    with pytest.raises(NotFoundError):
        communities.make_organiser(BRUNO, circle.id, "bruno")

    communities.make_organiser(ALICE, circle.id, "bruno")
    after = communities.leave(ALICE, circle.id)

    assert [(m.person, m.organiser, m.visibility) for m in after.members] == [
        ("bruno", True, "named")
    ]


def test_names_must_be_unique_and_a_shared_key_cannot_join(communities: CommunityService) -> None:
    circle = communities.create(OLGA, "Clay circle", "Pottery")
    with pytest.raises(InvalidInputError):
        communities.create(ALICE, "clay CIRCLE", "Again")
    with pytest.raises(NotAPersonError):
        communities.join(WIDGET, circle.id)
    with pytest.raises(NotFoundError):
        communities.page(ALICE, "com-unknown")


def test_the_library_s_notes_give_past_hosts_and_every_note_s_facts(
    indexed_store: KnowledgeStore, knowledge_dir: Path
) -> None:
    write_tree(knowledge_dir, {"sessions/2026-10-01-clay.md": CLAY_NOTE})
    Ingestor(indexed_store, max_file_bytes=1_000_000).ingest([knowledge_dir])
    notes = StoreSessionNotes(Retriever(indexed_store, min_relevance=0.2), indexed_store)

    every = notes.all()
    about = notes.about("pottery wheel and clay", 1)

    mine = NoteFacts(
        "sessions/2026-10-01-clay.md", "Clay evening", "Rita Vale", "2026-10-01", "workshop",
        12, 4.5, ("clay-circle", "crafts"),
    )  # fmt: skip
    assert mine in every
    assert len(every) == 2  # and the fixture's own note
    assert [(n.source, n.host) for n in about] == [(mine.source, mine.host)]
