from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from coach.providers.embeddings import EmbeddingIdentity
from coach.providers.fakes import HashingEmbeddings
from coach.settings import Settings
from coach.store import EmbeddingMismatchError, KnowledgeStore, chroma_client
from knowledge.ingest import Ingestor, chunks_for


def ingest(store: KnowledgeStore, root: Path) -> Ingestor:
    return Ingestor(store, max_file_bytes=10_000)


def test_chunks_remember_source_title_kind_and_section(indexed_store: KnowledgeStore) -> None:
    chunks = indexed_store.all_chunks()
    rules = [
        c
        for c in chunks
        if c.metadata["source"] == "playbooks/brown-bag.md" and c.metadata["section"] == "Rules"
    ]
    assert len(rules) == 1
    assert rules[0].metadata["title"] == "Running a brown-bag session"
    assert rules[0].metadata["kind"] == "playbook"
    assert rules[0].text.startswith("Running a brown-bag session — Rules\n\n")
    note = next(c for c in chunks if c.metadata["source"].startswith("sessions/"))
    assert note.metadata["kind"] == "session_note"
    assert note.metadata["host"] == "Amara Okafor"
    assert note.metadata["date"] == "2026-03-12"


def test_unchanged_files_are_not_re_embedded(
    store: KnowledgeStore, knowledge_dir: Path, embedder: HashingEmbeddings
) -> None:
    ingestor = Ingestor(store, max_file_bytes=10_000)
    first = ingestor.ingest([knowledge_dir])
    embedded_once = embedder.texts_embedded
    second = ingestor.ingest([knowledge_dir])
    assert len(first.added) == 4
    assert second.counts() == {"added": 0, "updated": 0, "unchanged": 4, "removed": 0, "failed": 0}
    assert embedder.texts_embedded == embedded_once


def test_changed_file_replaces_its_chunks(
    store: KnowledgeStore, knowledge_dir: Path, embedder: HashingEmbeddings
) -> None:
    ingestor = Ingestor(store, max_file_bytes=10_000)
    ingestor.ingest([knowledge_dir])
    before = embedder.texts_embedded
    budget = knowledge_dir / "playbooks/learning-budget.md"
    budget.write_text("# Personal learning budget\n\nEvery employee has EUR 900 per year.\n")
    report = ingestor.ingest([knowledge_dir])
    assert report.updated == ["playbooks/learning-budget.md"]
    texts = [c.text for c in store.all_chunks() if c.metadata["source"].endswith("budget.md")]
    assert texts == ["Personal learning budget\n\nEvery employee has EUR 900 per year."]
    assert embedder.texts_embedded - before == 1


def test_deleted_file_chunks_are_pruned(store: KnowledgeStore, knowledge_dir: Path) -> None:
    ingestor = Ingestor(store, max_file_bytes=10_000)
    ingestor.ingest([knowledge_dir])
    (knowledge_dir / "playbooks/brown-bag.md").unlink()
    report = ingestor.ingest([knowledge_dir])
    assert report.removed == ["playbooks/brown-bag.md"]
    assert "playbooks/brown-bag.md" not in store.files()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"   \n", "empty file"),
        ("binary.txt", b"\x00\x01\x02PNG", "binary content"),
        ("latin1.txt", "caf\u00e9 cr\u00e8me".encode("latin-1"), "not valid UTF-8"),
        ("huge.txt", b"word " * 5000, "too large"),
        ("frontmatter-only.md", b"---\ntitle: x\n---\n", "no text after the front matter"),
    ],
)
def test_bad_file_is_reported_and_the_rest_still_indexes(
    store: KnowledgeStore, knowledge_dir: Path, name: str, content: bytes, reason: str
) -> None:
    (knowledge_dir / name).write_bytes(content)
    report = Ingestor(store, max_file_bytes=10_000).ingest([knowledge_dir])
    assert list(report.failed) == [name]
    assert reason in report.failed[name]
    assert len(report.added) == 4


def test_a_kind_of_file_the_coach_does_not_read_is_skipped_not_failed(
    store: KnowledgeStore, knowledge_dir: Path
) -> None:
    (knowledge_dir / "slides.key").write_bytes(b"keynote")
    (knowledge_dir / "cases.json").write_text("{}", encoding="utf-8")

    report = Ingestor(store, max_file_bytes=10_000).ingest([knowledge_dir])

    assert report.ok
    assert set(report.skipped) == {"slides.key", "cases.json"}
    assert "'.key'" in report.skipped["slides.key"]
    assert len(report.added) == 4


def test_file_that_turns_bad_keeps_what_was_indexed(
    store: KnowledgeStore, knowledge_dir: Path
) -> None:
    ingestor = Ingestor(store, max_file_bytes=10_000)
    ingestor.ingest([knowledge_dir])
    before = store.files()["playbooks/brown-bag.md"]
    (knowledge_dir / "playbooks/brown-bag.md").write_bytes(b"\xff\xfe broken")
    report = ingestor.ingest([knowledge_dir])
    assert "playbooks/brown-bag.md" in report.failed
    assert store.files()["playbooks/brown-bag.md"] == before


def test_missing_folder_is_a_clear_error(store: KnowledgeStore, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="No such folder"):
        Ingestor(store, max_file_bytes=10).ingest([tmp_path / "nope"])


def test_opening_an_index_with_another_embedding_model_names_the_fix(
    indexed_store: KnowledgeStore, fake_settings: Settings
) -> None:
    other = HashingEmbeddings(dimension=64)
    identity = EmbeddingIdentity("fake:other", 64)
    with pytest.raises(EmbeddingMismatchError, match="coach ingest --rebuild"):
        KnowledgeStore(chroma_client(fake_settings), "knowledge", other, identity)
    rebuilt = KnowledgeStore(
        chroma_client(fake_settings), "knowledge", other, identity, rebuild=True
    )
    assert rebuilt.count() == 0


def test_interrupted_update_is_finished_by_the_next_run(
    store: KnowledgeStore, knowledge_dir: Path
) -> None:
    """A crash after the new version's chunks landed but before the old ones were deleted
    leaves two versions; the next run keeps exactly the file's current version."""
    ingestor = Ingestor(store, max_file_bytes=10_000)
    ingestor.ingest([knowledge_dir])
    path = knowledge_dir / "playbooks/learning-budget.md"
    path.write_text("# Personal learning budget\n\nEvery employee has EUR 900 per year.\n")
    data = path.read_bytes()
    new_hash = hashlib.sha256(data).hexdigest()
    store.add(chunks_for("playbooks/learning-budget.md", data, new_hash, "now"))  # the crash
    assert store.files()["playbooks/learning-budget.md"].content_hash == ""
    report = ingestor.ingest([knowledge_dir])
    assert report.updated == ["playbooks/learning-budget.md"]
    texts = [c.text for c in store.all_chunks() if c.metadata["source"].endswith("budget.md")]
    assert texts == ["Personal learning budget\n\nEvery employee has EUR 900 per year."]
