"""The refusals docs/deployment.md promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import coach_env, run_coach

pytestmark = pytest.mark.integration


def test_several_workers_need_a_chroma_server(tmp_path: Path) -> None:
    result = run_coach(
        "serve", "--workers", "2", env=coach_env(tmp_path / "data", COACH_LLM="fake"), cwd=tmp_path
    )
    assert result.returncode == 2
    assert (
        "Several workers cannot share an embedded Chroma store: set COACH_CHROMA_URL"
        in result.stderr
    )


def test_a_public_address_needs_keys(tmp_path: Path) -> None:
    result = run_coach(
        "serve",
        "--host",
        "0.0.0.0",
        env=coach_env(tmp_path / "data", COACH_LLM="fake"),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Refusing to listen on 0.0.0.0 without API keys" in result.stderr
