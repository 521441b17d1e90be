"""A chat whose caller has gone stops generating: no backlog of abandoned answers queues on
the model. The in-process provider runs over a scripted llama.cpp stand-in whose tokens come
only when the test lets them, so nothing here depends on timing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.chat import ChatService, Token
from coach.core import CoachCore
from coach.providers.llama_cpp_chat import LlamaCppChatModel
from tests.fakes import MemoryConversationLog, MemoryTicketDesk

TOKENS = 50


class SlowLlama:
    """Stands in for `llama_cpp.Llama`: each token waits until the test allows it; counts
    generations and tokens."""

    def __init__(self) -> None:
        self._allowed = threading.Semaphore(0)
        self.started = 0
        self.tokens = 0
        self.completed = 0
        self._lock = threading.Lock()

    def create_chat_completion(self, **_: Any) -> Iterator[dict[str, Any]]:
        with self._lock:
            self.started += 1
        return self._tokens()

    def _tokens(self) -> Iterator[dict[str, Any]]:
        for i in range(TOKENS):
            self._allowed.acquire()
            with self._lock:
                self.tokens += 1
            yield {"choices": [{"delta": {"content": f"word{i} "}}]}
        with self._lock:
            self.completed += 1

    def allow(self, tokens: int) -> None:
        self._allowed.release(tokens)


def wait_for_generations_to_end() -> None:
    for thread in threading.enumerate():
        if thread.name == "model-stream":
            thread.join(30)
            assert not thread.is_alive()


@pytest.fixture
def llama() -> SlowLlama:
    return SlowLlama()


@pytest.fixture
def chat(make_core: Callable[[], CoachCore], llama: SlowLlama) -> ChatService:
    core = make_core()
    model = LlamaCppChatModel(model_path=Path("not-loaded.gguf"))
    model._llama = llama
    return ChatService(
        retriever=core.retriever,
        chat_model=model,
        router=core.router,
        coaching=core.coaching,
        conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(),
        first_token_seconds=0.05,
        total_seconds=60,
    )


def test_chats_past_their_deadline_stop_generating_and_leave_the_queue(
    chat: ChatService, llama: SlowLlama
) -> None:
    abandoned = 5
    for _ in range(abandoned):
        reply = chat.chat("How many minutes can a brown-bag last?").reply
        assert reply.kind == "model_unavailable"  # answered from the documents meanwhile
    llama.allow(TOKENS * abandoned)  # the model gets going again, after every caller has gone
    wait_for_generations_to_end()
    assert llama.completed == 0  # no abandoned answer is generated to its end
    assert llama.started == 1  # the ones queued behind the first never start
    assert llama.tokens <= 1  # the first stops at its next token


def test_a_stream_closed_by_its_reader_stops_the_generation(
    chat: ChatService, llama: SlowLlama
) -> None:
    llama.allow(1)
    chat_with_time = ChatService(
        retriever=chat._retriever,
        chat_model=chat._model,
        router=chat._router,
        coaching=chat._coaching,
        conversations=MemoryConversationLog(),
        tickets=MemoryTicketDesk(),
        first_token_seconds=30,
        total_seconds=60,
    )
    events = chat_with_time.stream("How many minutes can a brown-bag last?")
    first = next(event for event in events if isinstance(event, Token))
    assert first.text == "word0 "
    events.close()  # the client went away
    llama.allow(TOKENS)
    wait_for_generations_to_end()
    assert llama.completed == 0
    assert llama.tokens <= 2  # the one read, and at most the one being written
