"""Folder sync into the knowledge store: incremental by content hash, robust to bad files.

Unchanged files cost no embedding; a changed file's new chunks are stored before its old ones
are deleted; files gone from the folders are pruned. A file that cannot be read keeps whatever
the index already had for it and is reported with the reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from coach.store import Chunk, KnowledgeStore
from knowledge.chunking import facts_line, split_document
from knowledge.loaders import UnreadableFileError, load

# Large batches let sentence-transformers sort texts by length and pad less.
EMBED_BATCH = 512


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
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


def kind_of(source: str) -> str:
    parts = PurePosixPath(source).parts[:-1]
    if "playbooks" in parts:
        return "playbook"
    if "sessions" in parts:
        return "session_note"
    return "document"


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
            if candidate.is_file() and not any(p.startswith((".", "__")) for p in relative):
                file = SourceFile(path, candidate)
                found[file.source] = file
    return [found[source] for source in sorted(found)]


def chunks_for(source: str, data: bytes, content_hash: str, indexed_at: str) -> list[Chunk]:
    document = load(source, data)
    pieces = split_document(document)
    if not pieces:
        raise UnreadableFileError("no text to index")
    facts = facts_line(document.title, document.metadata)
    source_key = hashlib.sha1(source.encode()).hexdigest()[:12]
    base = {
        **document.metadata,
        "source": source,
        "title": document.title,
        "kind": kind_of(source),
        "content_hash": content_hash,
        "indexed_at": indexed_at,
    }
    return [
        Chunk(
            id=f"{source_key}-{content_hash[:12]}-{index}",
            text=piece.with_context(document.title, facts),
            metadata={**base, "section": piece.section, "chunk_index": index},
        )
        for index, piece in enumerate(pieces)
    ]


class Ingestor:
    def __init__(self, store: KnowledgeStore, *, max_file_bytes: int) -> None:
        self._store = store
        self._max_file_bytes = max_file_bytes

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
                try:
                    data = self._read(file.path)
                    content_hash = hashlib.sha256(data).hexdigest()
                    previous = stored.get(source)
                    if previous and previous.content_hash == content_hash:
                        report.unchanged.append(source)
                        continue
                    chunks = chunks_for(source, data, content_hash, indexed_at)
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
