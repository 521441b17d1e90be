"""`coach check`: how each way a model can fail on a machine is reported."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from coach.checks import check_chat_model, check_embeddings
from coach.settings import Settings


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_a_chat_model_killed_by_an_illegal_instruction_gets_the_rebuild_steps() -> None:
    result = check_chat_model(python("import os, signal; os.kill(os.getpid(), signal.SIGILL)"))

    assert not result.ok
    assert "SIGILL" in result.detail
    assert "pip cache remove llama_cpp_python" in result.detail


def test_another_crash_is_named_without_the_rebuild_steps() -> None:
    result = check_chat_model(python("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"))

    assert not result.ok
    assert "SIGSEGV" in result.detail
    assert "pip cache" not in result.detail


def test_an_error_is_reported_by_its_last_line() -> None:
    code = "import sys; print('loading', file=sys.stderr); sys.exit('model file not found')"

    result = check_chat_model(python(code))

    assert not result.ok
    assert result.detail == "model file not found"


def test_an_answer_passes_with_what_the_probe_said() -> None:
    result = check_chat_model(python("print('local: answered hello')"))

    assert result.ok
    assert result.detail == "local: answered hello"


def test_the_chat_probe_answers_with_the_configured_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COACH_LLM", "fake")

    result = check_chat_model()

    assert result.ok, result.detail
    assert result.detail.startswith("fake: answered")


def test_embeddings_report_their_model_and_dimension() -> None:
    result = check_embeddings(Settings(embeddings="fake"))

    assert result.ok
    assert "dimensions" in result.detail


def test_embeddings_that_cannot_load_say_why(tmp_path: Path) -> None:
    result = check_embeddings(Settings(embeddings_model=str(tmp_path / "no-such-model")))

    assert not result.ok
    assert "no-such-model" in result.detail
