"""Plan downloads go to one folder that is pruned; nothing piles up in the temp directory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from ui.files import DownloadFolder


def test_downloads_share_one_pruned_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = DownloadFolder()
    paths = [folder.write("session-plan.md", f"plan {i}") for i in range(20)]
    assert all(Path(p).read_text().startswith("plan") for p in paths)
    assert [p.name for p in tmp_path.iterdir()] == [folder.path.name]  # one folder, not 20
    folder.prune(max_age_seconds=0)
    assert list(folder.path.iterdir()) == []
    folder.remove()
    assert list(tmp_path.iterdir()) == []
