"""What the index holds per file, saved beside it for one store generation.

Reading it back from Chroma means reading every chunk's metadata: about half a second at 7,000
chunks, most of what `coach ingest` on an unchanged folder would cost. The store's generation
changes with every write, in any process, so a saved copy is used only while it describes the
current generation, and can never be stale.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = 1


@dataclass(frozen=True)
class StoredFile:
    """What the index holds for one source file."""

    content_hash: str
    chunk_ids: tuple[str, ...]
    indexed_at: str
    title: str = ""
    kind: str = "document"
    reader: str = ""  # how its metadata was read (see knowledge.ingest.reader_fingerprint)


class SavedManifest:
    def __init__(self, path: Path) -> None:
        self._path = path

    def load(self, generation: str) -> dict[str, StoredFile] | None:
        """The files of `generation`, or None when what is saved describes another one (or
        cannot be read: then the store is read instead)."""
        try:
            saved = json.loads(self._path.read_text(encoding="utf-8"))
            if saved.get("format") != FORMAT or saved.get("generation") != generation:
                return None
            return {
                source: StoredFile(**{**fields, "chunk_ids": tuple(fields["chunk_ids"])})
                for source, fields in saved["files"].items()
            }
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            log.warning("ignoring the unreadable index manifest %s: %s", self._path, error)
            return None

    def save(self, generation: str, files: dict[str, StoredFile]) -> None:
        """Write then rename, so a reader sees a whole manifest or the previous one; a failure
        only costs the next ingest a read of the store."""
        payload = {
            "format": FORMAT,
            "generation": generation,
            "files": {source: asdict(file) for source, file in files.items()},
        }
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", dir=self._path.parent, prefix=".manifest-", delete=False, encoding="utf-8"
            ) as out:
                json.dump(payload, out)
            os.replace(out.name, self._path)
        except OSError as error:
            log.warning("could not save the index manifest: %s", error)
