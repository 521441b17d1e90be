"""Folder sync into the knowledge store: incremental by content hash, robust to bad files.

Unchanged files cost no embedding; a changed file's new chunks are stored before its old ones
are deleted; files gone from the folders are pruned. A file that cannot be read keeps whatever
the index already had for it and is reported with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from coach.profile import PROFILE_FILE
from coach.store import Chunk, KnowledgeStore
from coach.structured.rules import RuleReviewReport
from knowledge.chunking import facts_line, split_document
from knowledge.loaders import LOADERS, UnreadableFileError, load
from knowledge.metadata import READER_VERSION, kind_of, session_facts

# Large batches let sentence-transformers sort texts by length and pad less.
EMBED_BATCH = 512


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    # Indexed, but something was off (e.g. front matter read line by line).
    warnings: dict[str, str] = field(default_factory=dict)
    # Not a kind of file the coach reads (images, spreadsheets…): left out, not an error.
    skipped: dict[str, str] = field(default_factory=dict)
    reread: list[str] = field(default_factory=list)  # metadata read again, text unchanged
    # With a capable model: its reading of the rules against the offline reader's.
    rules_reviewed: RuleReviewReport | None = None
    chunks_embedded: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "removed": len(self.removed),
            "failed": len(self.failed),
        }


@dataclass(frozen=True)
class SourceFile:
    root: Path
    path: Path

    @property
    def source(self) -> str:
        return self.path.relative_to(self.root).as_posix()


ProgressCallback = Callable[[str], None]


def reader_fingerprint(folder_kinds: Mapping[str, str]) -> str:
    """Changes when how metadata is read changes: the reader's version or the profile's
    folder-to-kind map. Stored with every chunk."""
    kinds = ",".join(f"{k}={v}" for k, v in sorted(folder_kinds.items()))
    return f"{READER_VERSION}:{hashlib.sha1(kinds.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Root:
    """A folder to index; `only` limits it to some of its top-level subfolders."""

    path: Path
    only: tuple[str, ...] = ()


def _as_root(root: Root | Path) -> Root:
    return root if isinstance(root, Root) else Root(Path(root))


def discover(roots: Iterable[Root | Path]) -> list[SourceFile]:
    """Every regular file under the roots, skipping hidden files and folders. When two roots
    hold the same relative path, the later root's file wins (uploads override bundled files)."""
    found: dict[str, SourceFile] = {}
    for root in map(_as_root, roots):
        path = root.path.resolve()
        if path.is_file():
            file = SourceFile(path.parent, path)
            found[file.source] = file
            continue
        if not path.is_dir():
            raise FileNotFoundError(f"No such folder: {path}")
        for candidate in sorted(path.rglob("*")):
            relative = candidate.relative_to(path).parts
            if root.only and relative[0] not in root.only:
                continue
            if relative == (PROFILE_FILE,):
                continue  # the organisation's profile describes the folder; it is not knowledge
            if candidate.is_file() and not any(p.startswith((".", "__")) for p in relative):
                file = SourceFile(path, candidate)
                found[file.source] = file
    return [found[source] for source in sorted(found)]


@dataclass(frozen=True)
class Prepared:
    chunks: list[Chunk]
    warnings: list[str]


def chunks_for(
    source: str,
    data: bytes,
    content_hash: str,
    indexed_at: str,
    folder_kinds: Mapping[str, str] | None = None,
) -> list[Chunk]:
    return prepare(source, data, content_hash, indexed_at, folder_kinds).chunks


def prepare(
    source: str,
    data: bytes,
    content_hash: str,
    indexed_at: str,
    folder_kinds: Mapping[str, str] | None = None,
) -> Prepared:
    """A file's chunks with their metadata: its kind, and for a session note who ran it, when,
    for how many and how it was rated, under the same key names whatever the file called
    them."""
    document = load(source, data)
    pieces = split_document(document)
    if not pieces:
        raise UnreadableFileError("no text to index")
    session = session_facts(document.front_matter, document.text)
    kind = kind_of(source, document.front_matter, session, document.text, folder_kinds)
    described = {**document.metadata, **(session if kind == "session_note" else {})}
    facts = facts_line(document.title, described) if kind == "session_note" else ""
    source_key = hashlib.sha1(source.encode()).hexdigest()[:12]
    base = {
        **described,
        "source": source,
        "title": document.title,
        "kind": kind,
        "content_hash": content_hash,
        "indexed_at": indexed_at,
        "reader": reader_fingerprint(folder_kinds or {}),
    }
    chunks = [
        Chunk(
            id=f"{source_key}-{content_hash[:12]}-{index}",
            text=piece.with_context(document.title, facts),
            metadata={**base, "section": piece.section, "chunk_index": index},
        )
        for index, piece in enumerate(pieces)
    ]
    return Prepared(chunks, document.warnings)


class Ingestor:
    def __init__(
        self,
        store: KnowledgeStore,
        *,
        max_file_bytes: int,
        folder_kinds: Mapping[str, str] | None = None,
    ) -> None:
        self._store = store
        self._max_file_bytes = max_file_bytes
        self._folder_kinds = dict(folder_kinds or {})
        self._reader = reader_fingerprint(self._folder_kinds)

    def ingest(
        self, roots: Sequence[Root | Path], *, on_file: ProgressCallback | None = None
    ) -> IngestReport:
        """Make the index mirror the files under `roots` (see `discover`).

        Embedding (the encoder's forward pass) and storing (Chroma's index) overlap: a writer
        thread stores one batch while the next is embedded.
        """
        report = IngestReport()
        stored = self._store.files()
        files = discover(roots)
        indexed_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        pending: list[Chunk] = []
        replaced_ids: list[str] = []
        seen: set[str] = set()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer") as writer:
            writes: list[Future[None]] = []
            for file in files:
                source = file.source
                seen.add(source)
                if on_file:
                    on_file(source)
                suffix = file.path.suffix.lower()
                if suffix not in LOADERS:
                    report.skipped[source] = f"not a kind of file the coach reads ('{suffix}')"
                    continue
                try:
                    data = self._read(file.path)
                    content_hash = hashlib.sha256(data).hexdigest()
                    previous = stored.get(source)
                    if previous and previous.content_hash == content_hash:
                        if previous.reader == self._reader:
                            report.unchanged.append(source)
                            continue
                        when = previous.indexed_at or indexed_at
                        prepared = prepare(source, data, content_hash, when, self._folder_kinds)
                        if self._reread(prepared.chunks, previous.chunk_ids):
                            report.reread.append(source)
                            continue
                    else:
                        prepared = prepare(
                            source, data, content_hash, indexed_at, self._folder_kinds
                        )
                    chunks = prepared.chunks
                    if prepared.warnings:
                        report.warnings[source] = "; ".join(prepared.warnings)
                except (UnreadableFileError, OSError) as error:
                    report.failed[source] = str(error)
                    continue
                pending.extend(chunks)
                (report.updated if previous else report.added).append(source)
                if previous:
                    fresh = {c.id for c in chunks}
                    replaced_ids.extend(i for i in previous.chunk_ids if i not in fresh)
                if len(pending) >= EMBED_BATCH:
                    report.chunks_embedded += self._flush(pending, replaced_ids, writer, writes)
            report.chunks_embedded += self._flush(pending, replaced_ids, writer, writes)
            for write in writes:
                write.result()  # re-raises a storage error here
        report.removed = sorted(set(stored) - seen)
        self._store.delete([i for s in report.removed for i in stored[s].chunk_ids])
        return report

    def _reread(self, chunks: list[Chunk], stored_ids: tuple[str, ...]) -> bool:
        """Store fresh metadata for an unchanged file when its chunks' texts are unchanged too
        (no embedding needed); False when the texts changed and must be embedded again."""
        stored = self._store.chunks_by_id(list(stored_ids))
        if {c.id for c in chunks} != set(stored) or any(
            stored[c.id].text != c.text for c in chunks
        ):
            return False
        self._store.update_metadata(chunks)
        return True

    def _read(self, path: Path) -> bytes:
        size = path.stat().st_size
        if size > self._max_file_bytes:
            raise UnreadableFileError(
                f"too large ({size:,} bytes; the limit is {self._max_file_bytes:,})"
            )
        return path.read_bytes()

    def _flush(
        self,
        pending: list[Chunk],
        replaced_ids: list[str],
        writer: ThreadPoolExecutor,
        writes: list[Future[None]],
    ) -> int:
        batch, stale = list(pending), list(replaced_ids)
        pending.clear()
        replaced_ids.clear()
        vectors = self._store.embeddings.embed_documents([c.text for c in batch]) if batch else []
        for write in writes:  # one batch in flight: memory stays bounded, errors surface early
            write.result()
        writes.clear()
        writes.append(writer.submit(self._write, batch, vectors, stale))
        return len(batch)

    def _write(self, batch: list[Chunk], vectors: list[list[float]], stale: list[str]) -> None:
        # New chunks land before the old version's are deleted, so a file never vanishes.
        if batch:
            self._store.add(batch, vectors)
        if stale:
            self._store.delete(stale)
