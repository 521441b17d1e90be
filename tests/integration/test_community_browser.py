"""Shared interests become a session and the session a note, in a real browser, on the real
embedded models: three employees state an interest in one topic in different words; the coach
groups them and suggests a past host; one drafts the plan and each of the three sees it; after
the session its organiser's debrief becomes a note Learning Ops review and publish, and the
people finder names its host."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import SMALL_KNOWLEDGE, write_tree
from tests.integration.browser import CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.integration.conftest import Server, coach_env, run_coach

pytestmark = pytest.mark.integration
PEOPLE = ("alice", "bob", "chidi", "olivia")
KEYS = ",".join(
    f"{who}-community-key:{'learning_ops' if who == 'olivia' else 'employee'}:{who}"
    for who in PEOPLE
)
# One wish, three ways of putting it.
INTERESTS = {
    "alice": "Kubernetes for beginners",
    "bob": "getting started with k8s clusters",
    "chidi": "container orchestration on a cluster",
}
WAIT = 60_000


@pytest.fixture(scope="module")
def community_coach(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("community")
    env = coach_env(workdir / "data", COACH_API_KEYS=KEYS)
    folder = write_tree(workdir / "knowledge", SMALL_KNOWLEDGE)
    assert run_coach("ingest", str(folder), env=env, cwd=workdir).returncode == 0
    server = Server(env, workdir)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("needs Chromium: apt-get install chromium (.ci/run installs it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def signed_in(browser: Any, server: Server, who: str) -> Any:
    """A page of its own (own cookies), signed in as `who`, on the Community tab."""
    page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    page.goto(f"{server.url}/ui/")
    page.wait_for_url("**/login")
    page.fill("#key", f"{who}-community-key")
    page.click("text=Sign in")
    page.wait_for_selector("text=Signed in as", timeout=WAIT)
    page.get_by_role("tab", name="Community").click()
    return page


def field(page: Any, elem_id: str) -> Any:
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def pick(page: Any, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option).first.click()


def state_interest(page: Any, text: str) -> None:
    field(page, "interest-text").fill(text)
    page.locator("#interest-register").click()
    expect(page.locator("#interest-message")).to_contain_text("Registered", timeout=WAIT)


def test_three_wishes_become_a_session_and_its_debrief_a_published_note(
    community_coach: Server, browser: Any
) -> None:
    pages = {who: signed_in(browser, community_coach, who) for who in PEOPLE}
    pages["alice"].locator("#interest-named label, #interest-named input").first.click()
    for who, text in INTERESTS.items():
        state_interest(pages[who], text)

    alice = pages["alice"]
    alice.get_by_role("tab", name="Topics people want").click()
    alice.locator("#topics-refresh").click()
    expect(alice.locator("#topics")).to_contain_text("3 people", timeout=WAIT)
    expect(alice.locator("#topics")).to_contain_text("Suggested host: Amara Okafor")
    topics_text = alice.locator("#topics").inner_text()
    pick(alice, "topic-pick", INTERESTS["alice"])
    alice.locator("#topic-draft").click()
    expect(alice.locator("#topic-plan")).to_contain_text("Invitation: alice; 2 more", timeout=WAIT)
    screenshot(alice, "community-drafted-plan")

    for who in ("bob", "chidi"):
        page = pages[who]
        page.get_by_role("tab", name="Inbox").click()
        page.locator("#inbox-refresh").click()
        expect(page.locator("#inbox")).to_contain_text("A session is being planned", timeout=WAIT)
    for who in ("alice", "bob", "chidi"):
        page = pages[who]
        page.get_by_role("tab", name="My sessions").click()
        page.locator("#session-pick input").click()
        expect(page.get_by_role("option")).to_have_count(1, timeout=WAIT)
        page.get_by_role("option").first.click()
        expect(page.locator("#session-detail")).to_contain_text("Organiser: alice", timeout=WAIT)

    field(alice, "session-date").fill(dt.date.today().isoformat())
    alice.locator("#session-schedule").click()
    expect(alice.locator("#session-result")).to_contain_text("Scheduled for", timeout=WAIT)
    with alice.expect_download(timeout=WAIT) as download:
        alice.locator("#session-ics a").first.click()
    invitation = Path(download.value.path()).read_text()
    field(alice, "debrief-count").fill("14")
    field(alice, "debrief-score").fill("4.5")
    field(alice, "debrief-worked").fill("The live demo of a rolling update")
    field(alice, "debrief-change").fill("Start on time")
    alice.locator("#debrief-send").click()
    expect(alice.locator("#debrief-draft")).to_contain_text("host: alice", timeout=WAIT)

    olivia = pages["olivia"]
    olivia.get_by_role("tab", name="Learning Ops").click()
    olivia.get_by_role("tab", name="Session notes").click()
    olivia.locator("#drafts-refresh").click()
    olivia.locator("#draft-pick input").click()
    olivia.get_by_role("option").first.click()
    expect(field(olivia, "draft-text")).to_have_value(re.compile("rolling update"), timeout=WAIT)
    note = field(olivia, "draft-text").input_value()
    field(olivia, "draft-text").fill(
        note.replace("Start on time.", "Start on time; test the Wi-Fi.")
    )
    olivia.locator("#draft-publish").click()
    expect(olivia.locator("#draft-result")).to_contain_text("Published and indexed", timeout=WAIT)
    screenshot(olivia, "community-published-note")

    olivia.get_by_role("tab", name="Coach", exact=True).click()
    olivia.locator("#coach-input textarea").fill("Who has run a session on Kubernetes before?")
    olivia.locator("#coach-send").click()
    expect(olivia.locator("#coach-chat")).to_contain_text("hosted by alice", timeout=90_000)

    assert "BEGIN:VALARM" in invitation  # booking the room, ten working days before
    assert "bob" not in topics_text  # anonymous: counted, never named
    assert "chidi" not in topics_text
