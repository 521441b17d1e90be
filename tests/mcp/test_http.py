"""The MCP door over streamable HTTP, driven by the SDK's own client against a live server:
the same keys and roles as the API, every tool, the library as resources, the prompts, and
nobody reaching another person's conversation or ticket."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
from fastapi.testclient import TestClient
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, TextContent

from coach.core import CoachCore
from coach.safety import FLAG_OPEN
from coach.services.access import Principal
from coach.settings import Settings
from tests.api.conftest import LOOPBACK
from tests.mcp.conftest import FLAGGED, MCP_KNOWLEDGE, LiveCoach, connected
from wiring.app import create_app
from wiring.services import build_services

pytestmark = pytest.mark.integration

TOOLS = {
    "search_playbooks",
    "ask_coach",
    "draft_session_plan",
    "draft_learning_plan",
    "find_past_sessions",
    "request_handoff",
    "handoff_status",
}
ALICE = Principal("alice", frozenset({"employee"}))
BOB = Principal("bob", frozenset({"employee"}))
BOB_KEY = {"Authorization": "Bearer bob-key"}
T = TypeVar("T")


def with_client(url: str, key: str | None, use: Callable[[Client], Awaitable[T]]) -> T:
    async def run() -> T:
        async with connected(url, key) as client:
            return await use(client)

    try:
        return asyncio.run(run())
    except BaseExceptionGroup as group:
        # The client's task groups wrap what a call raised: hand back that one error.
        while isinstance(group, BaseExceptionGroup) and len(group.exceptions) == 1:
            group = group.exceptions[0]  # type: ignore[assignment]
        raise group from None


def call(coach: LiveCoach, key: str, tool: str, **arguments: Any) -> CallToolResult:
    return with_client(coach.url, key, lambda client: client.call_tool(tool, arguments))


def result(called: CallToolResult) -> dict[str, Any]:
    assert not called.is_error, error_text(called)
    assert called.structured_content is not None
    return called.structured_content


def error_text(called: CallToolResult) -> str:
    return " ".join(c.text for c in called.content if isinstance(c, TextContent))


def test_without_a_key_the_endpoint_answers_401_as_the_api_does(live_coach: LiveCoach) -> None:
    ping = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    for headers in ({}, {"Authorization": "Bearer not-a-key"}, {"Authorization": "Basic x"}):
        refused = httpx.post(live_coach.url, json=ping, headers=headers)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["error"]["code"] == "unauthorized"
    # The SDK's client reports the refusal as an error response (the status stays in HTTP).
    with pytest.raises(MCPError, match="error response"):
        with_client(live_coach.url, None, lambda client: client.list_tools())


def test_tools_are_listed_with_typed_inputs_outputs_and_descriptions(
    live_coach: LiveCoach,
) -> None:
    listed = with_client(live_coach.url, "alice-key", lambda client: client.list_tools())
    tools = {tool.name: tool for tool in listed.tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description, tool.name
        assert tool.input_schema["properties"], tool.name
        assert tool.output_schema is not None, tool.name
    assert tools["search_playbooks"].input_schema["required"] == ["query"]
    assert tools["search_playbooks"].annotations.read_only_hint is True
    handoff = tools["request_handoff"]
    assert set(handoff.input_schema["required"]) == {"summary", "reason"}
    assert handoff.description.startswith("Open a ticket so that a person")
    assert "ask your user to confirm before calling it" in handoff.description
    assert handoff.annotations.read_only_hint is False
    assert handoff.annotations.idempotent_hint is True


def test_search_returns_passages_with_citations_and_marks_flagged_text(
    live_coach: LiveCoach,
) -> None:
    found = result(
        call(live_coach, "alice-key", "search_playbooks", query="How long is a brown-bag?", k=3)
    )
    best = found["passages"][0]
    assert best["source"] == "playbooks/brown-bag.md"
    assert best["title"] == "Running a brown-bag session"
    assert best["uri"] == "knowledge://playbooks/brown-bag.md"
    assert "A brown-bag lasts at most 45 minutes" in best["text"]
    guest = result(
        call(live_coach, "bob-key", "search_playbooks", query="guest speaker agenda", k=1)
    )["passages"][0]
    assert guest["source"] == "playbooks/guest-speakers.md"
    assert FLAG_OPEN in guest["text"]
    assert FLAGGED not in guest["text"]
    sessions = result(
        call(
            live_coach, "alice-key", "search_playbooks", query="Kubernetes", kinds=["session_note"]
        )
    )["passages"]
    assert {p["kind"] for p in sessions} == {"session_note"}


def test_bad_arguments_get_a_clear_tool_error(live_coach: LiveCoach) -> None:
    refused = call(live_coach, "alice-key", "search_playbooks", query="brown-bag", k=500)
    assert refused.is_error
    assert "k" in error_text(refused)
    empty = call(live_coach, "alice-key", "ask_coach", question="")
    assert empty.is_error
    assert "question" in error_text(empty)


def test_ask_coach_answers_from_the_library_and_follows_up(live_coach: LiveCoach) -> None:
    first = result(
        call(live_coach, "alice-key", "ask_coach", question="How long should a brown-bag be?")
    )
    assert first["answer"].startswith("A brown-bag lasts at most 45 minutes")
    assert first["sources"] == [
        {
            "source": "playbooks/brown-bag.md",
            "title": "Running a brown-bag session",
            "uri": "knowledge://playbooks/brown-bag.md",
        }
    ]
    assert first["handoff"] is None
    conversation = first["conversation_id"]
    follow_up = result(
        call(
            live_coach,
            "alice-key",
            "ask_coach",
            question="How far ahead should I book the room for a brown-bag?",
            conversation_id=conversation,
        )
    )
    assert follow_up["conversation_id"] == conversation
    assert "10 working days" in follow_up["answer"]
    stored = live_coach.services.conversations.messages(conversation, "alice")
    assert [m.role for m in stored] == ["user", "assistant", "user", "assistant"]


def test_plans_are_drafted_from_the_playbooks_and_saved_for_the_caller(
    live_coach: LiveCoach,
) -> None:
    session = result(
        call(
            live_coach,
            "alice-key",
            "draft_session_plan",
            request="A 60-minute brown-bag on dbt for 30 people",
        )
    )
    # The playbook's 45-minute limit wins over the 60 minutes asked for.
    assert session["plan"]["duration_minutes"] == 45
    assert session["plan"]["audience"]["size"] == 30
    assert "playbooks/brown-bag.md" in {s["source"] for s in session["sources"]}
    plans = live_coach.services.plans
    assert plans.session_plan(session["plan_id"], ALICE) is not None
    assert plans.session_plan(session["plan_id"], BOB) is None
    learning = result(
        call(
            live_coach,
            "bob-key",
            "draft_learning_plan",
            goal="Get confident at running workshops",
            hours_per_week=3,
            weeks=6,
        )
    )
    assert (learning["plan"]["weeks"], learning["plan"]["hours_per_week"]) == (6, 3)
    assert learning["markdown"].startswith("# Learning plan")
    assert plans.learning_plan(learning["plan_id"], BOB) is not None
    assert plans.learning_plan(learning["plan_id"], ALICE) is None


def test_find_past_sessions_names_hosts_dates_and_lessons(live_coach: LiveCoach) -> None:
    found = result(call(live_coach, "bob-key", "find_past_sessions", topic="Kubernetes"))
    [session] = found["sessions"]
    assert session["host"] == "Amara Okafor"
    assert session["team"] == "Platform Engineering"
    assert session["date"] == "2026-03-12"
    assert session["lesson"] == "The session ran 20 minutes over; cut the live demo."
    assert session["uri"] == "knowledge://sessions/2026-03-12-kubernetes-brown-bag.md"


def test_a_handoff_opens_one_ticket_however_often_it_is_requested(live_coach: LiveCoach) -> None:
    asked = result(
        call(live_coach, "alice-key", "ask_coach", question="How long should a brown-bag be?")
    )
    conversation = asked["conversation_id"]
    first = result(
        call(
            live_coach,
            "alice-key",
            "request_handoff",
            summary="Wants a 90-minute brown-bag",
            reason="Longer than the playbook allows",
            conversation_id=conversation,
        )
    )
    again = result(
        call(
            live_coach,
            "alice-key",
            "request_handoff",
            summary="A longer brown-bag, please",
            reason="Needs an exception",
            conversation_id=conversation,
        )
    )
    assert first["opened_now"] is True
    assert again["opened_now"] is False
    assert again["ticket_id"] == first["ticket_id"]
    ticket = live_coach.services.escalations.get(first["ticket_id"])
    assert ticket is not None
    assert ticket.requester == "alice"
    assert ticket.sources == ("playbooks/brown-bag.md",)  # what the coach tried first
    keyed = {"summary": "Budget exception", "reason": "Over the annual limit"}
    one = result(call(live_coach, "bob-key", "request_handoff", idempotency_key="k-1", **keyed))
    two = result(call(live_coach, "bob-key", "request_handoff", idempotency_key="k-1", **keyed))
    assert one["ticket_id"] == two["ticket_id"]
    assert two["opened_now"] is False
    clash = call(
        live_coach, "bob-key", "request_handoff", idempotency_key="k-1", summary="x", reason="y"
    )
    assert clash.is_error
    assert "idempotency_key" in error_text(clash)


def test_an_employee_cannot_reach_another_persons_conversation_or_ticket(
    live_coach: LiveCoach,
) -> None:
    asked = result(
        call(live_coach, "alice-key", "ask_coach", question="How long should a brown-bag be?")
    )
    conversation = asked["conversation_id"]
    ticket = result(
        call(
            live_coach,
            "alice-key",
            "request_handoff",
            summary="Room booking",
            reason="Needs help",
            conversation_id=conversation,
        )
    )["ticket_id"]
    attempts = [
        call(
            live_coach, "bob-key", "ask_coach", question="And then?", conversation_id=conversation
        ),
        call(
            live_coach,
            "bob-key",
            "request_handoff",
            summary="Mine now",
            reason="Testing",
            conversation_id=conversation,
        ),
        call(
            live_coach,
            "bob-key",
            "draft_learning_plan",
            goal="Learn SQL",
            conversation_id=conversation,
        ),
        call(live_coach, "bob-key", "handoff_status", ticket_id=ticket),
    ]
    for attempt in attempts:
        assert attempt.is_error
        assert f"Unknown conversation: {conversation}" in error_text(
            attempt
        ) or f"Unknown ticket: {ticket}" in error_text(attempt)
    # Nothing was added to Alice's conversation; she and Learning Ops see her ticket.
    assert len(live_coach.services.conversations.messages(conversation, "alice")) == 2
    assert result(call(live_coach, "alice-key", "handoff_status", ticket_id=ticket))["status"] == (
        "open"
    )
    seen_by_ops = result(call(live_coach, "olivia-key", "handoff_status", ticket_id=ticket))
    assert seen_by_ops["conversation_id"] == conversation


def test_the_library_is_listed_and_read_as_resources(live_coach: LiveCoach) -> None:
    async def use(client: Client) -> tuple[Any, ...]:
        listed = await client.list_resources()
        templates = await client.list_resource_templates()
        brown_bag = await client.read_resource("knowledge://playbooks/brown-bag.md")
        guest = await client.read_resource("knowledge://playbooks/guest-speakers.md")
        return listed, templates, brown_bag, guest

    listed, templates, brown_bag, guest = with_client(live_coach.url, "bob-key", use)
    assert {r.uri for r in listed.resources} == {f"knowledge://{s}" for s in MCP_KNOWLEDGE}
    titles = {r.uri: r.title for r in listed.resources}
    assert titles["knowledge://playbooks/brown-bag.md"] == "Running a brown-bag session"
    assert [t.uri_template for t in templates.resource_templates] == ["knowledge://{+source}"]
    [content] = brown_bag.contents
    assert content.mime_type == "text/markdown"
    assert content.text.startswith("# Running a brown-bag session\n")
    assert "## Rules" in content.text
    assert content.text.count("Book the room at least 10 working days") == 1
    assert FLAG_OPEN in guest.contents[0].text
    assert FLAGGED not in guest.contents[0].text


@pytest.mark.parametrize(
    "uri",
    [
        "knowledge://playbooks/no-such-playbook.md",
        "knowledge://../../etc/passwd",
        "knowledge://playbooks/%2E%2E/%2E%2E/coach.db",
    ],
)
def test_a_document_outside_the_library_cannot_be_read(live_coach: LiveCoach, uri: str) -> None:
    with pytest.raises(MCPError):
        with_client(live_coach.url, "alice-key", lambda client: client.read_resource(uri))


def test_the_prompts_ask_for_the_coachs_tools(live_coach: LiveCoach) -> None:
    async def use(client: Client) -> tuple[Any, ...]:
        listed = await client.list_prompts()
        organise = await client.get_prompt(
            "organise_session", {"topic": "dbt", "format": "workshop", "audience": "30"}
        )
        learn = await client.get_prompt(
            "plan_my_learning", {"goal": "public speaking", "hours_per_week": "2", "weeks": "8"}
        )
        return listed, organise, learn

    listed, organise, learn = with_client(live_coach.url, "alice-key", use)
    assert {(p.name, p.title) for p in listed.prompts} == {
        ("organise_session", "Organise a session"),
        ("plan_my_learning", "Plan my learning"),
    }
    asked = organise.messages[0].content.text
    assert asked.startswith("I want to organise a workshop for 30 people about dbt.")
    assert "draft_session_plan" in asked
    assert "find_past_sessions" in asked
    planned = learn.messages[0].content.text
    assert "public speaking" in planned
    assert "2 hours a week for 8 weeks" in planned
    assert "draft_learning_plan" in planned


def test_a_client_of_the_initialize_handshake_era_connects_too(live_coach: LiveCoach) -> None:
    async def run() -> set[str]:
        async with connected(live_coach.url, "alice-key", mode="legacy") as client:
            return {tool.name for tool in (await client.list_tools()).tools}

    assert asyncio.run(run()) == TOOLS


LIST_TOOLS = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
JSON_RPC = {"Accept": "application/json, text/event-stream"}


def test_mcp_requests_count_against_the_callers_rate_limit(
    keyed_settings: Settings, make_core: Callable[[], CoachCore]
) -> None:
    settings = keyed_settings.model_copy(update={"rate_limit_per_minute": 2, "warm_up": False})
    services = build_services(settings, core=make_core())
    with TestClient(create_app(settings, services=services, with_ui=False)) as client:
        alice = {**JSON_RPC, "Authorization": "Bearer alice-key"}
        answered = [client.post("/mcp", json=LIST_TOOLS, headers=alice) for _ in range(3)]
        bob = client.post("/mcp", json=LIST_TOOLS, headers={**JSON_RPC, **BOB_KEY})
    services.engine.dispose()
    assert [r.status_code for r in answered] == [200, 200, 429]
    assert answered[0].json()["result"]["tools"]
    assert answered[2].headers["retry-after"].isdigit()
    assert answered[2].json()["error"]["code"] == "too_many_requests"
    assert bob.status_code == 200  # each caller has a limit of their own


def test_in_local_mode_it_answers_loopback_as_the_local_user(
    fake_settings: Settings, make_core: Callable[[], CoachCore]
) -> None:
    settings = fake_settings.model_copy(update={"warm_up": False})
    services = build_services(settings, core=make_core())
    app = create_app(settings, services=services, with_ui=False)
    handoff = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "tools/call",
        "params": {"name": "request_handoff", "arguments": {"summary": "A", "reason": "B"}},
    }
    with TestClient(app, base_url=LOOPBACK) as local:
        opened = local.post("/mcp", json=handoff, headers=JSON_RPC)
    with TestClient(app, base_url="http://coach.example.com") as elsewhere:
        refused = elsewhere.post("/mcp", json=LIST_TOOLS, headers=JSON_RPC)
    ticket_id = opened.json()["result"]["structuredContent"]["ticket_id"]
    ticket = services.escalations.get(ticket_id)
    services.engine.dispose()
    assert ticket is not None
    assert ticket.requester == "local"
    assert refused.status_code == 403
