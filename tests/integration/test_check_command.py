"""`coach check` on this machine, with the embedded models the install put in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import coach_env, run_coach

pytestmark = pytest.mark.integration


def test_the_embedded_models_load_and_answer(tmp_path: Path) -> None:
    result = run_coach("check", env=coach_env(tmp_path / "data"), cwd=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    embedder = "sentence-transformers:all-MiniLM-L6-v2"
    assert f"embeddings: ok ({embedder}: 384 dimensions)" in result.stdout
    assert "chat model: ok (local: answered" in result.stdout


def test_a_missing_chat_model_fails_the_check_and_says_which(tmp_path: Path) -> None:
    missing = tmp_path / "missing.gguf"
    env = coach_env(tmp_path / "data", COACH_LLM_MODEL=str(missing))

    result = run_coach("check", env=env, cwd=tmp_path)

    assert result.returncode == 1
    assert "chat model: FAILED" in result.stdout
    assert "missing.gguf" in result.stdout
