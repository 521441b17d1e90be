"""A LangChain chat model over an in-process `llama_cpp.Llama` (the offline default).

One `Llama` instance is loaded per process and shared; llama.cpp contexts are not safe to use
from two threads at once, so generation is serialised by a lock. A generation whose caller has
gone (coach.providers.cancel) stops at its next token, or leaves the queue for the lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from coach.providers.cancel import acquire_unless_cancelled, cancelled

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChatModel(BaseChatModel):
    model_path: Path
    context_tokens: int = 4096
    max_tokens: int = 256
    temperature: float = 0.1
    threads: int | None = None
    seed: int = 7
    # Tiny models loop on a sentence without it.
    repeat_penalty: float = 1.15

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def load(self) -> None:
        """Load the weights now rather than on the first answer."""
        with self._lock:
            self._model()

    def _model(self) -> Any:  # callers hold self._lock
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=str(self.model_path),
                n_ctx=self.context_tokens,
                n_threads=self.threads,
                seed=self.seed,
                verbose=False,
            )
        return self._llama

    def _payload(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "repeat_penalty": self.repeat_penalty,
            "stop": stop or [],
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            result = self._model().create_chat_completion(**self._payload(messages, stop))
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # Queued behind other generations: a caller that has gone leaves the queue.
        if not acquire_unless_cancelled(self._lock):
            return
        try:
            stream = self._model().create_chat_completion(
                **self._payload(messages, stop), stream=True
            )
            try:
                for event in stream:
                    if cancelled():  # the caller has gone: free the model for the next one
                        break
                    piece = event["choices"][0]["delta"].get("content") or ""
                    if not piece:
                        continue
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                    if run_manager:
                        run_manager.on_llm_new_token(piece, chunk=chunk)
                    yield chunk
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
        finally:
            self._lock.release()
