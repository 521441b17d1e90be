"""Debrief → a session note in the library's own format → reviewed, published and indexed."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from coach.community.debriefs import DebriefExchange, DebriefService, read_debrief
from coach.community.errors import (
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
    PublishFailedError,
)
from coach.community.note_style import learn_style
from coach.community.people import TEAM_INBOX
from coach.community.records import Debrief, TrackedSession
from coach.flows.people import find_past_sessions
from coach.retrieval import Retriever
from coach.store import KnowledgeStore
from knowledge.ingest import Root
from knowledge.library import KnowledgeLibrary
from tests.community_fakes import FakeExamples, FakeLibrary, MemoryDrafts
from tests.unit.community.conftest import ALICE, BRUNO, OLGA, WIDGET, World, sample_plan

# A library written its own way (invented for this test): other keys, other headings, no
# title heading, files named by month.
OWN_WAY = [
    (
        f"recaps/2026-0{n}-evening-{n}.md",
        textwrap.dedent(f"""\
            ---
            kind: session_note
            title: Gathering {n}
            facilitator: Person {n}
            held: 2026-0{n}-10
            headcount: {10 + n}
            stars: 4.{n}
            room: Annex {n}
            ---

            Some words about the evening.

            ### Highlights

            - One thing.

            ### Improvements

            - Another thing.
            """),
    )
    for n in (1, 2, 3)
]
DEBRIEF = Debrief(
    attendees=14,
    what_worked=("The live demo.",),
    what_to_change=("Start five minutes early.", "Bring spare cables."),
    feedback_score=4.6,
)


@pytest.fixture
def held(world: World) -> TrackedSession:
    session = world.planning.track(
        ALICE, sample_plan(topic="clay glazing", date=dt.date(2027, 3, 10))
    )
    world.clock.set_date(dt.date(2027, 3, 11))
    return session


def _service(world: World, examples: FakeExamples, library: object = None) -> DebriefService:
    return DebriefService(
        world.sessions,
        MemoryDrafts(),
        world.notices,
        examples,
        library or FakeLibrary(),  # type: ignore[arg-type]
        world.clock,
        world.ids,
    )


def test_the_note_mirrors_how_this_library_writes_its_notes(
    world: World, held: TrackedSession
) -> None:
    debriefs = _service(world, FakeExamples(OWN_WAY))

    draft = debriefs.submit(ALICE, held.id, DEBRIEF)

    assert draft.filename == "2027-03-clay-glazing.md"
    assert draft.text == textwrap.dedent("""\
        ---
        kind: session_note
        title: Clay glazing
        facilitator: Alice Moreau
        held: 2027-03-10
        headcount: 14
        stars: 4.6
        room: ""
        ---

        Hosted by Alice Moreau on 10 March 2027. 14 people came.

        ### Highlights

        - The live demo.

        ### Improvements

        - Start five minutes early.
        - Bring spare cables.
        """)
    assert draft.to_fill == ("room",)


def test_without_notes_to_learn_from_the_note_uses_plain_defaults(
    world: World, held: TrackedSession
) -> None:
    draft = _service(world, FakeExamples()).submit(ALICE, held.id, DEBRIEF)

    assert draft.filename == "2027-03-10-clay-glazing.md"
    assert draft.text.startswith(
        "---\ntitle: Clay glazing\nhost: Alice Moreau\ndate: 2027-03-10\nformat: talk\n"
        "attendees: 14\nfeedback_score: 4.6\n---\n\n# Clay glazing\n\n## What happened\n"
    )
    assert "\n## What worked\n\n- The live demo.\n" in draft.text


def test_a_library_without_a_score_key_gets_the_score_in_the_text() -> None:
    from coach.community.note_style import NoteContent, render_note

    style = learn_style([("a.md", "---\ntitle: A\nhost: B\ndate: 2026-01-01\n---\n# A\n")])
    note = render_note(
        style, NoteContent("T", "Ana Diaz", dt.date(2027, 1, 5), score=4.0, attendees=9)
    )

    assert "attendees" not in note.text.split("---")[1]
    assert (
        "Hosted by Ana Diaz on 05 January 2027. 9 people came. Feedback score 4 out of 5."
        in note.text
    )


def test_a_title_with_a_colon_stays_valid_front_matter() -> None:
    from coach.community.note_style import NoteContent, NoteStyle, render_note

    note = render_note(NoteStyle(), NoteContent("Clay: part 2", "Ana Diaz", dt.date(2027, 1, 5)))

    assert 'title: "Clay: part 2"' in note.text


def test_the_exchange_asks_four_questions_and_reads_the_answers_in_words() -> None:
    exchange = DebriefExchange("ses1")
    asked = []
    for answer in (
        "about twenty, with Ana Diaz and Tom Reed",
        "the demo; the small groups",
        "none",
        "9 out of 10",
    ):
        asked.append(exchange.question)
        exchange = DebriefExchange.from_state(exchange.answer(answer).to_state())

    assert asked[0] == "How many people came? List who, too, if you like."
    assert exchange.question is None
    assert exchange.debrief() == Debrief(
        attendees=20,
        what_worked=("The demo.", "The small groups."),
        what_to_change=(),
        feedback_score=4.5,
        attendee_names=("Ana Diaz", "Tom Reed"),
    )


@pytest.mark.parametrize(
    ("said", "score"), [("4.5", 4.5), ("4.2/5", 4.2), ("eight out of ten", 4.0), ("n/a", None)]
)
def test_a_feedback_score_is_read_out_of_five(said: str, score: float | None) -> None:
    assert read_debrief({"feedback_score": said}).feedback_score == score


def test_only_the_organiser_debriefs_and_only_after_the_date(
    world: World, held: TrackedSession
) -> None:
    debriefs = _service(world, FakeExamples())
    with pytest.raises(NotFoundError):
        debriefs.submit(BRUNO, held.id, DEBRIEF)
    with pytest.raises(Exception, match="shared key"):
        debriefs.submit(WIDGET, held.id, DEBRIEF)
    world.clock.set_date(dt.date(2027, 3, 9))
    with pytest.raises(InvalidInputError):
        debriefs.submit(ALICE, held.id, DEBRIEF)
    world.clock.set_date(dt.date(2027, 3, 11))
    with pytest.raises(InvalidInputError):
        debriefs.submit(ALICE, held.id, replace(DEBRIEF, feedback_score=7.0))


def test_the_organiser_is_asked_about_their_last_session_until_they_answer(
    world: World, held: TrackedSession
) -> None:
    debriefs = _service(world, FakeExamples())
    assert debriefs.session_to_debrief(ALICE) == held

    debriefs.submit(ALICE, held.id, DEBRIEF)

    assert debriefs.session_to_debrief(ALICE) is None
    assert world.sessions.get(held.id).debriefed  # type: ignore[union-attr]


def test_learning_ops_review_edit_and_publish_and_the_organiser_is_told(
    world: World, held: TrackedSession
) -> None:
    library = FakeLibrary()
    debriefs = _service(world, FakeExamples(), library)
    draft = debriefs.submit(ALICE, held.id, DEBRIEF)
    review = [n for n in world.notices.items if n.recipient == TEAM_INBOX]
    assert [n.kind for n in review] == ["review"]
    with pytest.raises(NotAllowedError):
        debriefs.publish(ALICE, draft.id)

    assert debriefs.pending(OLGA) == [draft]
    edited = debriefs.edit(
        OLGA, draft.id, draft.text.replace("Start five minutes early", "Start at noon")
    )
    published = debriefs.publish(OLGA, draft.id)

    assert library.files == {"sessions/2027-03-10-clay-glazing.md": edited.text.encode()}
    assert (published.status, published.reviewed_by) == ("published", "olga")
    assert debriefs.pending(OLGA) == []
    assert world.notices.texts("alice")[-1] == (
        "Your session note is published in the library: sessions/2027-03-10-clay-glazing.md."
    )
    with pytest.raises(InvalidInputError):
        debriefs.publish(OLGA, draft.id)
    with pytest.raises(InvalidInputError):
        debriefs.submit(ALICE, held.id, DEBRIEF)


def test_a_refused_upload_keeps_the_draft(world: World, held: TrackedSession) -> None:
    debriefs = _service(world, FakeExamples(), FakeLibrary(fail_with="unsupported file type"))
    draft = debriefs.submit(ALICE, held.id, DEBRIEF)

    with pytest.raises(PublishFailedError, match="unsupported file type"):
        debriefs.publish(OLGA, draft.id)

    assert debriefs.get(ALICE, draft.id).status == "draft"


def test_a_published_note_is_indexed_and_the_people_finder_returns_its_host(
    world: World,
    held: TrackedSession,
    indexed_store: KnowledgeStore,
    knowledge_dir: Path,
    tmp_path: Path,
) -> None:
    library = KnowledgeLibrary(indexed_store, tmp_path / "library", max_file_bytes=1_000_000)
    library.sync([Root(knowledge_dir)])
    examples = FakeExamples(
        [
            (str(p.relative_to(knowledge_dir)), p.read_text())
            for p in (knowledge_dir / "sessions").glob("*.md")
        ]
    )
    debriefs = _service(world, examples, library)
    draft = debriefs.submit(ALICE, held.id, DEBRIEF)

    published = debriefs.publish(OLGA, draft.id)

    finder = Retriever(indexed_store, min_relevance=0.2)
    found = find_past_sessions(finder, indexed_store, "clay glazing session")
    # This library's notes keep no score in their front matter: neither does the new one.
    assert [(s.source, s.host, s.date, s.attendees, s.feedback_score) for s, _ in found][:1] == [
        (published.published_source, "Alice Moreau", "2027-03-10", "14", "")
    ]
    assert found[0][0].lesson == "Start five minutes early."
    assert draft.to_fill == ("team",)
    assert "Feedback score 4.6 out of 5." in draft.text
