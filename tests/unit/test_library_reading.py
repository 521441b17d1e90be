"""A document of the library read back whole (the MCP door's resources): its chunks joined in
order, headings restored, and the words neighbouring chunks repeat given once."""

from __future__ import annotations

import textwrap
from pathlib import Path

from coach.services.library import Library
from coach.store import KnowledgeStore
from knowledge.ingest import Ingestor
from knowledge.library import KnowledgeLibrary

STEPS = [
    f"Step {n} of the checklist is to confirm item number {n} with the host." for n in range(60)
]
LONG_GUIDE = textwrap.dedent(
    """\
    ---
    title: The long checklist
    ---
    # The long checklist

    ## Before the day
    {steps}

    ## On the day
    Open the doors ten minutes early.
    """
).format(steps=" ".join(STEPS))


BULLETS = [f"- Item {n}: ask the host to confirm detail number {n} in writing." for n in range(50)]
LONG_LIST = "---\ntitle: The long list\n---\n# The long list\n\n## Items\n" + "\n".join(BULLETS)


def library_over(store: KnowledgeStore, tmp_path: Path) -> Library:
    return Library(KnowledgeLibrary(store, tmp_path / "data", max_file_bytes=1_000_000), store)


def test_a_long_document_reads_back_whole_with_every_sentence_once(
    store: KnowledgeStore, tmp_path: Path
) -> None:
    (tmp_path / "k" / "playbooks").mkdir(parents=True)
    (tmp_path / "k" / "playbooks" / "checklist.md").write_text(LONG_GUIDE, encoding="utf-8")
    assert Ingestor(store, max_file_bytes=1_000_000).ingest([tmp_path / "k"]).ok
    chunks = store.chunks_of("playbooks/checklist.md")
    bodies = " ".join(c.text.partition("\n\n")[2] for c in chunks)
    # Not a vacuous check: the section was split, and its chunks repeat each other's words.
    assert len(chunks) >= 3
    assert any(bodies.count(step) > 1 for step in STEPS)

    document = library_over(store, tmp_path).read("playbooks/checklist.md")

    assert document is not None
    assert (document.title, document.kind) == ("The long checklist", "playbook")
    text = document.text
    assert text.startswith("# The long checklist\n\n## Before the day\n\nStep 0 of the checklist")
    assert [text.count(step) for step in STEPS] == [1] * len(STEPS)
    assert [text.index(step) for step in STEPS] == sorted(text.index(step) for step in STEPS)
    assert text.endswith("## On the day\n\nOpen the doors ten minutes early.\n")


def test_a_long_list_reads_back_one_item_a_line(store: KnowledgeStore, tmp_path: Path) -> None:
    (tmp_path / "k" / "playbooks").mkdir(parents=True)
    (tmp_path / "k" / "playbooks" / "list.md").write_text(LONG_LIST, encoding="utf-8")
    assert Ingestor(store, max_file_bytes=1_000_000).ingest([tmp_path / "k"]).ok
    assert len(store.chunks_of("playbooks/list.md")) >= 3

    document = library_over(store, tmp_path).read("playbooks/list.md")

    assert document is not None
    assert document.text == "# The long list\n\n## Items\n\n" + "\n".join(BULLETS) + "\n"


def test_a_session_note_keeps_its_facts_and_an_unknown_source_is_none(
    indexed_store: KnowledgeStore, tmp_path: Path
) -> None:
    library = library_over(indexed_store, tmp_path)
    note = library.read("sessions/2026-03-12-kubernetes-brown-bag.md")
    assert note is not None
    assert note.text.splitlines()[:3] == [
        "# Kubernetes basics for non-platform engineers",
        "",
        "Kubernetes basics for non-platform engineers was hosted by Amara Okafor (Platform "
        "Engineering) on 2026-03-12 as a brown-bag.",
    ]
    assert "## What to change\n\nThe session ran 20 minutes over; cut the live demo." in note.text
    assert library.read("playbooks/none-such.md") is None
    assert library.read("../playbooks/brown-bag.md") is None
