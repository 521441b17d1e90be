"""Deterministic stand-ins for the model providers, for tests and `COACH_LLM=fake`.

`HashingEmbeddings` maps words to buckets (a bag-of-words vector): texts that share words are
close, so retrieval tests are meaningful without a neural model. `ScriptedChatModel` replies
with queued answers and records every prompt it was sent.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from coach.providers.cancel import cancelled
from coach.text import STOPWORDS, WORD


class HashingEmbeddings(Embeddings):
    name = "fake:hashing-bag-of-words"

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension
        self.calls: list[int] = []  # batch sizes, so tests can count embedding work

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in WORD.findall(text.lower()):
            if word in STOPWORDS:
                continue
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "big") % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    @property
    def texts_embedded(self) -> int:
        return sum(self.calls)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(len(texts))
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


Responder = Callable[[Sequence[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """Replies with queued strings (or a function of the prompt); remembers every prompt."""

    _queue: list[str | Responder] = PrivateAttr(default_factory=list)
    _prompts: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    default_reply: str = "I could not find that in the playbooks."

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def enqueue(self, *replies: str | Responder) -> ScriptedChatModel:
        self._queue.extend(replies)
        return self

    @property
    def prompts(self) -> list[list[BaseMessage]]:
        return self._prompts

    def _next_reply(self, messages: Sequence[BaseMessage]) -> str:
        self._prompts.append(list(messages))
        reply = self._queue.pop(0) if self._queue else self.default_reply
        return reply if isinstance(reply, str) else reply(messages)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = self._next_reply(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text = self._next_reply(messages)
        for piece in re.findall(r"\S+\s*", text):
            if cancelled():
                return
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
