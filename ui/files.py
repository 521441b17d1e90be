"""Files the UI offers for download (plans as Markdown and calendar invitations).

All of them go to one folder owned by this process, and files older than `max_age_seconds`
are pruned whenever a new one is written and when the app stops: a drafted plan no longer
leaves a temporary folder behind. (Gradio copies what it serves into its own cache, which
`gr.Blocks(delete_cache=...)` prunes the same way.)
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

MAX_AGE_SECONDS = 15 * 60


class DownloadFolder:
    def __init__(self, max_age_seconds: float = MAX_AGE_SECONDS) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="coach-downloads-"))
        self._max_age = max_age_seconds
        self._lock = threading.Lock()

    def write(self, name: str, content: str | bytes) -> str:
        self.prune()
        folder = self.path / uuid.uuid4().hex  # each file keeps its own name for the browser
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        target.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(target)

    def prune(self, max_age_seconds: float | None = None) -> None:
        limit = self._max_age if max_age_seconds is None else max_age_seconds
        cutoff = time.time() - limit
        with self._lock:
            for entry in self.path.iterdir() if self.path.exists() else []:
                if entry.stat().st_mtime <= cutoff:
                    shutil.rmtree(entry, ignore_errors=True)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
