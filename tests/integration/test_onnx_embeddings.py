"""The ONNX backends export the installed model once into the data dir, and their vectors are
the torch backend's (float) or close to them (int8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.providers.embeddings import build_embeddings
from coach.settings import Settings

pytestmark = pytest.mark.integration

TEXTS = [
    "How long should a brown-bag be?",
    "Book the room at least 10 working days before the lunch & learn.",
    "Every employee has EUR 1,200 per calendar year for courses, books and conferences.",
]


def vectors(data_dir: Path, backend: str) -> np.ndarray:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        embeddings="local",
        embeddings_backend=backend,  # type: ignore[arg-type]
    )
    embeddings, _ = build_embeddings(settings)
    return np.asarray(embeddings.embed_documents(TEXTS))


def test_onnx_vectors_match_torch_and_the_export_is_made_once(tmp_path: Path) -> None:
    torch = vectors(tmp_path, "torch")
    onnx = vectors(tmp_path, "onnx")
    int8 = vectors(tmp_path, "onnx-int8")

    assert np.min(np.sum(torch * onnx, axis=1)) > 0.9999
    assert np.min(np.sum(torch * int8, axis=1)) > 0.97
    exported = sorted(p.name for p in (tmp_path / "models").rglob("*.onnx"))
    assert exported == ["model-qint8-per-channel.onnx", "model.onnx"]

    model = next((tmp_path / "models").rglob("model.onnx"))
    made = model.stat().st_mtime_ns
    vectors(tmp_path, "onnx")  # a second process would load it, not export again
    assert model.stat().st_mtime_ns == made
