"""The library hands the community its indexed session notes, as written, to learn how a new
note should look: Markdown notes only, newest file names first, none of its playbooks."""

from __future__ import annotations

from pathlib import Path

from coach.store import KnowledgeStore
from knowledge.ingest import Root
from knowledge.library import KnowledgeLibrary
from tests.conftest import write_tree

POTTERY = "---\ntitle: Pottery\npresenter: Rita Vale\n---\n# Pottery\n\nTwelve came to the wheel.\n"
BIRDING = "---\ntitle: Birding\npresenter: Ola Berg\n---\n# Birding\n\nWe heard nine songs.\n"
NOTES = {
    "write-ups/2026-05-02-pottery.md": POTTERY,
    "write-ups/2026-09-14-birding.md": BIRDING,
    "write-ups/2026-10-01-talk.txt": "Run by Ola Berg on 2026-10-01. 12 people came.\n",
    "handbook/rooms.md": "# Rooms\n\nThe big room seats 40.\n",
}


def test_only_the_indexed_markdown_session_notes_are_given_newest_first(
    store: KnowledgeStore, tmp_path: Path
) -> None:
    folder = write_tree(tmp_path / "org", NOTES)
    (folder / "coach.toml").write_text('[kinds]\n"write-ups" = "session_note"\n')
    library = KnowledgeLibrary(store, tmp_path / "data", max_file_bytes=1_000_000)
    assert library.sync([Root(folder)]).ok

    notes = library.session_notes(limit=5)

    assert [source for source, _ in notes] == [
        "write-ups/2026-09-14-birding.md",
        "write-ups/2026-05-02-pottery.md",
    ]
    assert notes[0][1] == BIRDING
    assert [source for source, _ in library.session_notes(limit=1)] == [notes[0][0]]


def test_a_folder_gone_since_the_last_sync_gives_no_examples(
    store: KnowledgeStore, tmp_path: Path
) -> None:
    folder = write_tree(tmp_path / "org", {"sessions/2026-01-01-a.md": "# A\n\nRun by Bo.\n"})
    library = KnowledgeLibrary(store, tmp_path / "data", max_file_bytes=1_000_000)
    library.sync([Root(folder)])
    (folder / "sessions" / "2026-01-01-a.md").unlink()
    (folder / "sessions").rmdir()
    folder.rmdir()

    assert library.session_notes(limit=5) == []
