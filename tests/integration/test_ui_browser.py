"""The chat page in a real browser."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.browser import browser_page, screenshot
from tests.integration.conftest import Server

pytestmark = pytest.mark.integration


def ask(page: Any, message: str) -> None:
    page.locator("#coach-input textarea").fill(message)
    page.locator("#coach-send").click()


def test_a_question_gets_a_cited_answer(bundled_coach: Server) -> None:
    with browser_page() as page:
        p: Any = page
        p.goto(f"{bundled_coach.url}/ui/")
        ask(p, "How long should a brown-bag be?")
        p.wait_for_selector("text=Sources (", timeout=90_000)
        chat = p.locator("#coach-chat").inner_text()
        assert "45 minutes" in chat
        p.get_by_text("Sources (").first.click()
        p.wait_for_selector("text=playbooks/brown-bag.md")
        screenshot(p, "ui-chat-answer")


def test_confirming_a_suggested_hand_off_opens_a_ticket(
    bundled_coach: Server, http: httpx.Client
) -> None:
    with browser_page() as page:
        p: Any = page
        p.goto(f"{bundled_coach.url}/ui/")
        ask(p, "Can Learning Ops make an exception so I can spend more than my annual budget?")
        button = p.get_by_role("button", name="Yes, open a ticket")
        button.wait_for(timeout=90_000)
        screenshot(p, "ui-handoff-suggested")
        button.click()
        p.wait_for_selector("text=is open with Learning Ops", timeout=60_000)
        screenshot(p, "ui-handoff-ticket")
        chat = p.locator("#coach-chat").inner_text()
    tickets = http.get(f"{bundled_coach.url}/v1/escalations").json()["escalations"]
    assert any(t["id"] in chat for t in tickets)
