"""The web UI behind keys, in a real browser: an employee and a Learning Ops member."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.browser import browser_page, screenshot
from tests.integration.conftest import Server, coach_env, run_coach

pytestmark = pytest.mark.integration
KEYS = "alice-ui-key:employee:alice,olivia-ui-key:learning_ops:olivia"


@pytest.fixture(scope="module")
def keyed_coach(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("ui-keyed")
    env = coach_env(workdir / "data", COACH_API_KEYS=KEYS)
    folder = write_tree(workdir / "knowledge", SMALL_KNOWLEDGE)
    assert run_coach("ingest", str(folder), env=env, cwd=workdir).returncode == 0
    server = Server(env, workdir)
    yield server
    server.stop()


def sign_in(page: Any, server: Server, key: str) -> None:
    page.goto(f"{server.url}/ui/")
    page.wait_for_url("**/login")
    page.fill("#key", key)
    page.click("text=Sign in")
    page.wait_for_selector("text=Signed in as", timeout=60_000)


def ask(page: Any, message: str) -> None:
    page.locator("#coach-input textarea").fill(message)
    page.locator("#coach-send").click()


def test_nothing_under_ui_answers_without_a_key(keyed_coach: Server) -> None:
    with httpx.Client(base_url=keyed_coach.url) as http:
        page = http.get("/ui/", follow_redirects=False)
        assert (page.status_code, page.headers["location"]) == (303, "/login")
        assert http.get("/ui/config").status_code == 401
        assert http.get("/ui/gradio_api/info").status_code == 401
        join = http.post(
            "/ui/gradio_api/queue/join", json={"data": [], "fn_index": 0, "session_hash": "x"}
        )
        assert join.status_code == 401
        for key, status in (("wrong", 401), ("alice-ui-key", 200)):
            bearer = {"Authorization": f"Bearer {key}"}
            with httpx.Client(base_url=keyed_coach.url, headers=bearer) as signed:
                assert signed.get("/ui/config").status_code == status
        csrf = re.search(r'name="csrf" value="([^"]+)"', http.get("/login").text)
        assert csrf is not None
        wrong = http.post("/login", data={"key": "wrong", "csrf": csrf.group(1)})
        assert wrong.status_code == 401
        assert "That key is not valid." in wrong.text


def test_employee_builds_and_downloads_a_session_plan(keyed_coach: Server, tmp_path: Path) -> None:
    with browser_page() as page:
        p: Any = page
        sign_in(p, keyed_coach, "alice-ui-key")
        assert p.get_by_role("tab", name="Learning Ops").count() == 0  # not for employees
        p.get_by_role("tab", name="Session plan").click()
        p.locator("#plan-topic textarea, #plan-topic input").first.fill("Kubernetes basics")
        p.locator("#plan-audience input").fill("25")
        p.locator("#plan-minutes input").fill("60")
        p.locator("#plan-date textarea, #plan-date input").first.fill("2027-03-10")
        p.locator("#plan-draft").click()
        p.wait_for_selector("text=Adjusted to the rules", timeout=60_000)
        screenshot(p, "ui-session-plan")
        with p.expect_download() as download:
            p.locator("#plan-md a").first.click()
        markdown = Path(download.value.path()).read_text()
        with p.expect_download() as invitation:
            p.locator("#plan-ics a").first.click()
        ics = Path(invitation.value.path()).read_text()
    assert markdown.startswith("# Kubernetes basics: a brown bag")
    assert "**Length:** 45 minutes" in markdown
    assert "DTSTART:20270310T120000" in ics


def test_confirmed_hand_off_reaches_the_learning_ops_queue(keyed_coach: Server) -> None:
    with browser_page() as page:
        p: Any = page
        sign_in(p, keyed_coach, "alice-ui-key")
        ask(p, "Can I get an exception to the learning budget policy?")
        button = p.get_by_role("button", name="Yes, open a ticket")
        button.wait_for(timeout=90_000)
        button.click()
        p.wait_for_selector("text=is open with Learning Ops", timeout=60_000)
        chat = p.locator("#coach-chat").inner_text()
        screenshot(p, "ui-employee-ticket")
    ticket_id = next(word.strip("*.") for word in chat.split() if len(word.strip("*.")) == 32)
    with browser_page() as page:
        p = page
        sign_in(p, keyed_coach, "olivia-ui-key")
        p.get_by_role("tab", name="Learning Ops").click()
        p.locator("#queue-refresh").click()
        expect(p.locator("#queue")).to_contain_text(ticket_id, timeout=30_000)
        p.locator("#queue-ticket input").click()
        p.get_by_role("option", name=ticket_id).click()
        expect(p.locator("#ticket-detail")).to_contain_text(
            "Documents the coach tried", timeout=30_000
        )
        detail = p.locator("#ticket-detail").inner_text()
        p.locator("#ticket-status input").click()
        p.get_by_role("option", name="resolved").click()
        p.locator("#ticket-note textarea").fill("Approved for this year.")
        p.locator("#ticket-save").click()
        expect(p.locator("#queue")).to_contain_text("resolved", timeout=30_000)
        screenshot(p, "ui-ops-queue")
    assert "exception to the learning budget policy" in detail
    assert "playbooks/learning-budget.md" in detail


def test_learning_ops_uploads_a_document_and_finds_it_by_chat(
    keyed_coach: Server, tmp_path: Path
) -> None:
    document = tmp_path / "mentoring-circles.md"
    document.write_text(
        "# Mentoring circles\n\nMentoring circles meet on the first Monday of each month.\n"
    )
    with browser_page() as page:
        p: Any = page
        sign_in(p, keyed_coach, "olivia-ui-key")
        p.get_by_role("tab", name="Learning Ops").click()
        p.get_by_role("tab", name="Knowledge").click()
        p.locator("#upload-files input[type=file]").set_input_files(str(document))
        p.locator("#upload-button").click()
        p.wait_for_selector("text=Indexed", timeout=60_000)
        expect(p.locator("#library")).to_contain_text("documents/mentoring-circles.md")
        screenshot(p, "ui-ops-knowledge")
        p.get_by_role("tab", name="Coach", exact=True).click()
        ask(p, "When do mentoring circles meet?")
        p.wait_for_selector("text=Sources (", timeout=90_000)
        p.get_by_text("Sources (").first.click()
        p.wait_for_selector("text=documents/mentoring-circles.md", timeout=10_000)
        screenshot(p, "ui-chat-uploaded-document")


def test_learning_ops_correct_a_rule_the_coach_reads(keyed_coach: Server) -> None:
    lead = "Book the room at least 10 working days before the brown-bag."
    with browser_page() as page:
        p: Any = page
        sign_in(p, keyed_coach, "olivia-ui-key")
        p.get_by_role("tab", name="Learning Ops").click()
        p.get_by_role("tab", name="Rules the coach reads").click()
        p.locator("#rules-refresh").click()
        p.locator("#rules-playbook input").click()
        p.get_by_role("option", name="Running a brown-bag session (playbooks/brown-bag.md)").click()
        expect(p.locator("#rules")).to_contain_text(lead, timeout=30_000)
        p.locator("#rules-sentence input").click()
        p.get_by_role("option", name=lead).click()
        expect(p.locator("#rules-kind input")).to_have_value("lead_time", timeout=30_000)
        p.get_by_label("correct", exact=True).check()
        p.locator("#rules-value input").fill("15")
        p.locator("#rules-save").click()
        expect(p.locator("#rules-saved")).to_contain_text("Saved: correct", timeout=30_000)
        expect(p.locator("#rules")).to_contain_text("corrected", timeout=30_000)
        screenshot(p, "ui-ops-rules")
    with httpx.Client(base_url=keyed_coach.url) as http:
        listed = http.get(
            "/v1/rules",
            params={"source": "playbooks/brown-bag.md"},
            headers={"Authorization": "Bearer olivia-ui-key"},
        ).json()
    rule = next(r for r in listed["playbooks"][0]["rules"] if r["sentence"] == lead)
    assert (rule["value"], rule["unit"], rule["status"], rule["decided_by"]) == (
        15.0, "working_day", "corrected", "olivia",
    )  # fmt: skip
