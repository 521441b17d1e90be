"""`coach mcp`: the MCP server on stdio, started as a desktop assistant starts it, driven by the
SDK's client. It acts as the local user while the coach has no keys, and needs a valid key
otherwise."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from mcp import Client, StdioServerParameters

from tests.conftest import SMALL_KNOWLEDGE
from tests.integration.conftest import COACH, coach_env, ingest_small_knowledge
from tests.mcp.conftest import readme_example

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
KEYS = "alice-key:employee:alice,bob-key:employee:bob"
T = TypeVar("T")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small knowledge indexed by `coach ingest` with the fake embedder."""
    workdir = tmp_path_factory.mktemp("mcp-stdio")
    ingest_small_knowledge(workdir, fake_env(workdir))
    return workdir


def fake_env(workdir: Path, **extra: str) -> dict[str, str]:
    return coach_env(
        workdir / "data", COACH_LLM="fake", COACH_EMBEDDINGS="fake", PYTHONPATH=str(ROOT), **extra
    )


def over_stdio(env: dict[str, str], cwd: Path, use: Callable[[Client], Awaitable[T]]) -> T:
    """Start `coach mcp` as a desktop client does, and `use` it."""
    server = StdioServerParameters(command=COACH, args=["mcp"], env=env, cwd=str(cwd))

    async def run() -> T:
        async with Client(server) as client:
            return await use(client)

    return asyncio.run(run())


def requester_of(workdir: Path, ticket_id: str) -> str:
    with sqlite3.connect(workdir / "data" / "coach.db") as db:
        [(requester,)] = db.execute("SELECT requester FROM escalations WHERE id = ?", (ticket_id,))
    return str(requester)


def test_without_keys_it_serves_the_local_user(workdir: Path) -> None:
    async def use(client: Client) -> tuple[Any, ...]:
        tools = await client.list_tools()
        found = await client.call_tool("search_playbooks", {"query": "brown-bag length", "k": 1})
        listed = await client.list_resources()
        resource = await client.read_resource("knowledge://playbooks/learning-budget.md")
        ticket = await client.call_tool(
            "request_handoff", {"summary": "Budget exception", "reason": "Above the limit"}
        )
        return tools, found, listed, resource, ticket

    tools, found, listed, resource, ticket = over_stdio(fake_env(workdir), workdir, use)
    assert len(tools.tools) == 7
    assert found.structured_content["passages"][0]["source"] == "playbooks/brown-bag.md"
    assert {r.uri for r in listed.resources} == {f"knowledge://{s}" for s in SMALL_KNOWLEDGE}
    assert "EUR 1,200 per calendar year" in resource.contents[0].text
    assert ticket.structured_content["opened_now"] is True
    assert requester_of(workdir, ticket.structured_content["ticket_id"]) == "local"


def test_with_keys_it_acts_for_the_holder_of_the_key_it_is_given(workdir: Path) -> None:
    async def alice_hands_off(client: Client) -> tuple[Any, ...]:
        ticket = await client.call_tool(
            "request_handoff", {"summary": "A room", "reason": "All booked"}
        )
        ticket_id = ticket.structured_content["ticket_id"]
        return ticket_id, await client.call_tool("handoff_status", {"ticket_id": ticket_id})

    # As the README's desktop configuration starts it, with its paths and key filled in.
    [configured] = json.loads(readme_example("json"))["mcpServers"].values()
    assert configured["args"] == ["mcp"]
    assert configured["command"].endswith("/.venv/bin/coach")
    filled = {"COACH_DATA_DIR": str(workdir / "data"), "COACH_API_KEY": "alice-key"}
    assert set(configured["env"]) == set(filled)
    alice = fake_env(workdir, COACH_API_KEYS=KEYS) | filled
    ticket, seen_by_alice = over_stdio(alice, workdir, alice_hands_off)
    assert requester_of(workdir, ticket) == "alice"
    assert seen_by_alice.structured_content["status"] == "open"

    # Bob's key, given on the command line this time: Alice's ticket is unknown to him.
    bob = fake_env(workdir, COACH_API_KEYS=KEYS)
    server = StdioServerParameters(
        command=COACH, args=["mcp", "--key", "bob-key"], env=bob, cwd=str(workdir)
    )

    async def bob_looks() -> Any:
        async with Client(server) as client:
            return await client.call_tool("handoff_status", {"ticket_id": ticket})

    looked = asyncio.run(bob_looks())
    assert looked.is_error
    assert f"Unknown ticket: {ticket}" in looked.content[0].text


@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_with_keys_it_does_not_start_without_a_valid_one(workdir: Path, key: str | None) -> None:
    env = fake_env(workdir, COACH_API_KEYS=KEYS)
    args = ["mcp"] if key is None else ["mcp", "--key", key]
    started = subprocess.run(
        [COACH, *args], env=env, cwd=workdir, input="", capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert started.returncode == 2
    assert started.stdout == ""  # stdout is the protocol's: nothing else is ever written there
    expected = "give the MCP server yours" if key is None else "This API key is not valid"
    assert expected in started.stderr
