"""How any organisation's folder is read: kinds, people and front matter as people write them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coach.store import KnowledgeStore
from knowledge.ingest import Ingestor, prepare
from knowledge.metadata import kind_of, session_facts


def _prepare(source: str, text: str, kinds: dict[str, str] | None = None) -> dict[str, object]:
    data = textwrap.dedent(text).encode()
    return dict(prepare(source, data, "hash", "now", kinds).chunks[0].metadata)


NOTE_WITH_SPEAKER = """\
    ---
    title: Graph queries for beginners
    speaker: Ana Lopez
    when: 2026-02-03
    type: lightning talk
    headcount: 31
    score: 4.4
    ---
    ## Keep
    The live demo.
    ## Change
    Start on time.
    """


@pytest.mark.parametrize("folder", ["retros", "notes", "archive/2026", ""])
def test_a_dated_note_with_a_host_and_a_look_back_is_a_session_note_in_any_folder(
    folder: str,
) -> None:
    source = f"{folder}/graph.md".lstrip("/")
    metadata = _prepare(source, NOTE_WITH_SPEAKER)
    assert metadata["kind"] == "session_note"
    assert metadata["host"] == "Ana Lopez"
    assert metadata["date"] == "2026-02-03"
    assert metadata["attendees"] == 31
    assert metadata["feedback_score"] == 4.4
    assert metadata["format"] == "lightning talk"


@pytest.mark.parametrize(
    "key", ["host", "presenter", "facilitator", "organiser", "organizer", "led_by", "run by"]
)
def test_the_host_is_read_under_any_usual_key(key: str) -> None:
    facts = session_facts({key: "Kim Park", "date": "2026-01-05"}, "")
    assert facts["host"] == "Kim Park"


def test_a_note_without_front_matter_names_its_host_date_and_attendance_in_the_text() -> None:
    text = """\
        # Accessible forms clinic

        Run by Rowan O'Neill on 12 March 2026, and 22 people came.

        ## What worked
        Pairing with a screen-reader user.
        """
    metadata = _prepare("docs/forms-clinic.md", text)
    assert metadata["kind"] == "session_note"
    assert (metadata["host"], metadata["date"], metadata["attendees"]) == (
        "Rowan O'Neill", "2026-03-12", 22,
    )  # fmt: skip


def test_an_unquoted_colon_in_the_title_is_read_line_by_line_with_a_warning(
    store: KnowledgeStore, tmp_path: Path
) -> None:
    folder = tmp_path / "org"
    (folder / "retros").mkdir(parents=True)
    (folder / "retros" / "spanish.md").write_text(
        "---\ntitle: Language exchange: Spanish\npresenter: Luis Vidal\ndate: 2026-05-13\n"
        "attendance: 14\n---\n## What worked\nSmall tables of four.\n",
        encoding="utf-8",
    )

    report = Ingestor(store, max_file_bytes=10_000).ingest([folder])

    assert report.ok
    assert report.added == ["retros/spanish.md"]
    assert "line by line" in report.warnings["retros/spanish.md"]
    chunk = store.chunks_of("retros/spanish.md")[0]
    assert chunk.metadata["title"] == "Language exchange: Spanish"
    assert chunk.metadata["host"] == "Luis Vidal"


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ({"kind": "session_note"}, "session_note"),
        ({"kind": "Session note"}, "session_note"),
        ({"type": "playbook"}, "playbook"),
        ({"type": "workshop"}, "playbook"),  # a format, not a kind
        ({}, "playbook"),
    ],
)
def test_front_matter_kind_or_type_names_the_kind(front: dict[str, str], expected: str) -> None:
    assert kind_of("docs/x.md", front, {}, "Some guidance.") == expected


def test_the_profiles_folder_map_wins_over_content_and_conventional_folders() -> None:
    kinds = {"handbook": "playbook", "write-ups": "session_note", "sessions": "document"}
    assert kind_of("write-ups/a.md", {}, {}, "text", kinds) == "session_note"
    assert kind_of("handbook/deep/b.md", {}, {}, "text", kinds) == "playbook"
    assert kind_of("sessions/c.md", {}, {}, "text", kinds) == "document"
    assert kind_of("sessions/c.md", {}, {}, "text") == "session_note"


def test_a_changed_reader_re_reads_metadata_without_re_embedding(
    store: KnowledgeStore, tmp_path: Path, embedder: object
) -> None:
    folder = tmp_path / "org"
    (folder / "misc").mkdir(parents=True)
    (folder / "misc" / "rooms.md").write_text("# Rooms\n\nBook early.\n", encoding="utf-8")
    Ingestor(store, max_file_bytes=10_000).ingest([folder])
    embedded = embedder.texts_embedded  # type: ignore[attr-defined]

    again = Ingestor(store, max_file_bytes=10_000, folder_kinds={"misc": "document"})
    report = again.ingest([folder])

    assert report.reread == ["misc/rooms.md"]
    assert embedder.texts_embedded == embedded  # type: ignore[attr-defined]
    assert store.chunks_of("misc/rooms.md")[0].metadata["kind"] == "document"


def test_the_profile_file_at_a_folders_root_is_not_indexed(
    store: KnowledgeStore, tmp_path: Path
) -> None:
    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "coach.toml").write_text('team = "Skills Crew"\n', encoding="utf-8")
    (folder / "guide.md").write_text("# Guide\n\nAsk early.\n", encoding="utf-8")

    report = Ingestor(store, max_file_bytes=10_000).ingest([folder])

    assert report.added == ["guide.md"]
    assert not report.skipped
    assert report.ok


def test_an_html_table_inside_markdown_is_read_row_by_row() -> None:
    text = """\
        # Growing here

        <table>
        <tr><th>What</th><th>How much</th></tr>
        <tr><td>Protected time</td><td>Three hours a week</td></tr>
        </table>
        """
    chunk = prepare("docs/growing.md", textwrap.dedent(text).encode(), "h", "now").chunks[0]
    assert "What | How much\nProtected time | Three hours a week" in chunk.text
    assert "<td>" not in chunk.text


def test_a_table_split_across_chunks_repeats_its_header_in_each() -> None:
    rows = "\n".join(f"| Room {i} | Floor {i} | {10 + i} |" for i in range(60))
    text = f"# Rooms\n\n| Room | Where | Seats |\n|---|---|---|\n{rows}\n"
    chunks = prepare("docs/rooms.md", text.encode(), "h", "now").chunks

    assert len(chunks) > 2
    for chunk in chunks:
        body = chunk.text.split("\n\n", 1)[1]
        assert body.startswith("| Room | Where | Seats |\n|---|---|---|\n| Room ")
