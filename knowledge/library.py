"""The knowledge library Learning Ops manages: the folders the index mirrors, plus uploads.

`coach ingest PATH...` records its folders in the data dir, so that a re-index from the API
later syncs the same folders; uploaded files live in the data dir too and are always part of
the index. One ingest runs at a time per data dir, across processes (a file lock).

It is the `DocumentLibrary` of coach.ports (the use case is coach.services.library); the
errors and records it shares with the coach come from there, so the arrows point one way:
knowledge → coach.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from coach.ports import UploadRejectedError
from coach.profile import (
    PROFILE_FILE,
    OrganisationProfile,
    ProfileError,
    load_saved_profile,
    read_profile_file,
    save_profile,
    saved_profile_path,
)
from coach.reading.names import Document, infer_contacts
from coach.records import IndexedDocument
from coach.store import KnowledgeStore
from coach.structured.rules import RuleReview
from knowledge import BUNDLED_KNOWLEDGE_DIR, BUNDLED_SUBFOLDERS
from knowledge.ingest import Ingestor, IngestReport, ProgressCallback, Root, chunks_for, discover
from knowledge.loaders import LOADERS, UnreadableFileError

UPLOAD_FOLDERS = {"playbook": "playbooks", "session_note": "sessions", "document": "documents"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


BUNDLED_ROOT = Root(BUNDLED_KNOWLEDGE_DIR, BUNDLED_SUBFOLDERS)


class KnowledgeLibrary:
    def __init__(
        self,
        store: KnowledgeStore,
        data_dir: Path,
        *,
        max_file_bytes: int,
        rule_review: RuleReview | None = None,
    ) -> None:
        self._store = store
        self._rule_review = rule_review
        self._data_dir = data_dir
        self._max_file_bytes = max_file_bytes
        self.uploads_dir = data_dir / "uploads"
        self._roots_file = data_dir / "knowledge-roots.json"

    def roots(self) -> list[Root]:
        """The folders the index mirrors (bundled knowledge until `sync` is given others)."""
        if not self._roots_file.exists():
            return [BUNDLED_ROOT]
        saved = json.loads(self._roots_file.read_text(encoding="utf-8"))
        return [Root(Path(r["path"]), tuple(r.get("only", ()))) for r in saved]

    def _remember(self, roots: Sequence[Root]) -> None:
        self._data_dir.mkdir(parents=True, exist_ok=True)
        payload = [{"path": str(r.path.resolve()), "only": list(r.only)} for r in roots]
        self._roots_file.write_text(json.dumps(payload, indent=2), encoding="utf-8")

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        self._data_dir.mkdir(parents=True, exist_ok=True)
        with (self._data_dir / "ingest.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def all_roots(self, roots: Sequence[Root] | None = None) -> list[Root]:
        """The roots to sync: the given (or remembered) folders, then the uploads."""
        chosen = list(roots) if roots else self.roots()
        return [*chosen, Root(self.uploads_dir)] if self.uploads_dir.is_dir() else chosen

    def count_files(self, roots: Sequence[Root] | None = None) -> int:
        return len(discover(self.all_roots(roots)))

    @property
    def profile_path(self) -> Path:
        return saved_profile_path(self._data_dir)

    def profile(self) -> OrganisationProfile:
        """The profile the last sync worked out (neutral names before any)."""
        return load_saved_profile(self.profile_path)

    def sync(
        self, roots: Sequence[Root] | None = None, *, on_file: ProgressCallback | None = None
    ) -> IngestReport:
        """Make the index mirror `roots` (remembered for next time) and the uploads, and work
        out the organisation's profile: its `coach.toml`, then what its guides say."""
        with self._exclusive():
            targets = self.all_roots(roots)
            declared, problem = self._declared_profile(targets)
            ingestor = Ingestor(
                self._store, max_file_bytes=self._max_file_bytes, folder_kinds=declared.kinds
            )
            report = ingestor.ingest(targets, on_file=on_file)
            if problem:
                report.failed[PROFILE_FILE] = problem
            changed = report.added or report.updated or report.removed or report.reread
            if changed or not self.profile_path.exists():
                save_profile(declared.filled_from(self._read_profile()), self.profile_path)
            if changed:
                self._store.files()  # saves the new generation's manifest: the next sync is quick
            if self._rule_review is not None:
                self._review_rules(report)
            if roots:
                self._remember(roots)
            return report

    def _review_rules(self, report: IngestReport) -> None:
        """The model's reading of the playbooks' rules against the offline reader's (cached by
        passage, so only new or changed passages reach the model)."""
        assert self._rule_review is not None
        reviewed = self._rule_review.run(self._store)
        report.rules_reviewed = reviewed
        if reviewed.unread:
            report.warnings["(rule review)"] = (
                f"the model could not read {reviewed.unread} of {reviewed.passages} playbook "
                "passages; they are tried again on the next ingest"
            )

    def _declared_profile(self, roots: Sequence[Root]) -> tuple[OrganisationProfile, str]:
        """The profile file at the first root, if any; a broken one is reported, and the last
        good profile's folder map is kept so nothing indexed changes kind."""
        try:
            return read_profile_file(roots[0].path) or OrganisationProfile(), ""
        except (ProfileError, OSError, UnicodeDecodeError) as error:
            return self.profile(), str(error)

    def _read_profile(self) -> OrganisationProfile:
        """What the indexed guides say: who the team, HR and employee support are."""
        texts: dict[str, list[str]] = {}
        metadata: dict[str, dict[str, object]] = {}
        chunks = [c for c in self._store.all_chunks() if c.metadata.get("kind") == "playbook"]
        for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0))):
            source = str(chunk.metadata["source"])
            body = chunk.text.split("\n\n", 1)[-1]
            # The section's heading (kept in metadata, not in the text) names who it is about.
            section = str(chunk.metadata.get("section", "")).split(" > ")[-1]
            texts.setdefault(source, []).append(f"## {section}\n{body}" if section else body)
            metadata.setdefault(source, dict(chunk.metadata))
        documents = [Document(s, metadata[s], "\n\n".join(t)) for s, t in texts.items()]
        return OrganisationProfile(**infer_contacts(documents))  # type: ignore[arg-type]

    def upload(
        self, filename: str, data: bytes, kind: str = "document"
    ) -> tuple[str, IngestReport]:
        """Store an uploaded file and index it; returns its source path and the sync report."""
        source = self._upload_source(filename, kind)
        if len(data) > self._max_file_bytes:
            raise UploadRejectedError(
                f"{filename} is too large ({len(data):,} bytes; the limit is "
                f"{self._max_file_bytes:,})"
            )
        try:
            chunks_for(source, data, content_hash="validation", indexed_at="")
        except UnreadableFileError as error:
            raise UploadRejectedError(f"{filename} could not be indexed: {error}") from None
        target = self.uploads_dir / source
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a half-written upload is never indexed.
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, prefix=".upload-") as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)
        return source, self.sync()

    def _upload_source(self, filename: str, kind: str) -> str:
        if kind not in UPLOAD_FOLDERS:
            raise UploadRejectedError(f"kind must be one of {', '.join(UPLOAD_FOLDERS)}")
        name = _SAFE_NAME.sub("-", PurePosixPath(filename.replace("\\", "/")).name).strip(".-")
        suffix = PurePosixPath(name).suffix.lower()
        if not name or suffix not in LOADERS:
            supported = ", ".join(sorted(LOADERS))
            raise UploadRejectedError(f"unsupported file type '{suffix or filename}' ({supported})")
        return f"{UPLOAD_FOLDERS[kind]}/{name}"

    def session_notes(self, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` indexed session notes written in Markdown, as (source, text), newest
        file names first: how this library writes its notes (coach.community.note_style)."""
        indexed = {s for s, f in self._store.files().items() if f.kind == "session_note"}
        found: dict[str, Path] = {}
        try:
            files = discover(self.all_roots())
        except FileNotFoundError:  # a folder given to `coach ingest` has gone since
            return []
        for file in files:
            if file.source in indexed and file.path.suffix.lower() in (".md", ".markdown"):
                found[file.source] = file.path
        notes = []
        for source in sorted(found, key=lambda s: PurePosixPath(s).name, reverse=True)[:limit]:
            try:
                notes.append((source, found[source].read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError):
                continue  # unreadable now: the other notes still show the style
        return notes

    def documents(self) -> list[IndexedDocument]:
        return [
            IndexedDocument(source, f.title, f.kind, len(f.chunk_ids), f.indexed_at)
            for source, f in sorted(self._store.files().items())
        ]
