"""A queue of chats waiting for the model never starves the server's other requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from langchain_core.messages import BaseMessage

from coach.core import CoachCore
from coach.providers.fakes import ScriptedChatModel
from coach.settings import Settings
from knowledge.ingest import Root
from tests.integration.conftest import free_port
from wiring.app import create_app
from wiring.services import build_services

WAITING = 48  # more than the thread pool's 40 default tokens


@pytest.fixture
def served(
    fake_settings: Settings,
    make_core: Callable[[], CoachCore],
    knowledge_dir: Path,
) -> Iterator[str]:
    settings = fake_settings.model_copy(update={"llm_first_token_seconds": 60.0})
    services = build_services(settings, core=make_core())
    services.library.sync([Root(knowledge_dir)])
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, services=services, with_ui=False), port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    services.engine.dispose()


@pytest.mark.parametrize("stream", [True, False])
def test_other_requests_answer_while_chats_wait_for_the_model(
    served: str, scripted_model: ScriptedChatModel, stream: bool
) -> None:
    gate = threading.Event()

    def slow_model(_: Sequence[BaseMessage]) -> str:
        gate.wait(60)
        return "A brown-bag lasts at most 45 minutes."

    scripted_model.enqueue(*[slow_model] * WAITING)

    def ask(_: int) -> httpx.Response:
        body = {"message": "How long should a brown-bag be?", "stream": stream}
        return httpx.post(f"{served}/v1/chat", json=body, timeout=90)

    with ThreadPoolExecutor(WAITING) as pool:
        chats = [pool.submit(ask, i) for i in range(WAITING)]
        deadline = time.monotonic() + 30
        while len(scripted_model.prompts) < WAITING and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(scripted_model.prompts) == WAITING  # every chat is waiting for the model
        try:
            retrieved = httpx.post(
                f"{served}/v1/retrieve", json={"query": "brown-bag room"}, timeout=10
            )
            listed = httpx.get(f"{served}/v1/conversations", timeout=10)
        finally:
            gate.set()
        answers = [chat.result() for chat in chats]
    assert retrieved.status_code == 200
    assert retrieved.json()["results"]
    assert listed.status_code == 200
    assert {a.status_code for a in answers} == {200}
    assert all("45 minutes" in a.text for a in answers)
