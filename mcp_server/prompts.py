"""Prompts a client offers its user as ready-made requests: "organise a session" and "plan my
learning". Each asks the client's model to use the coach's tools and to show their sources."""

from __future__ import annotations

from inspect import cleandoc
from typing import Annotated

from mcp.server.mcpserver import MCPServer
from pydantic import Field

SHOW_SOURCES = (
    "Keep to what the tools return, quote each rule with the title of its source, and say "
    "when the library does not cover something. Do not open a ticket unless I ask."
)


def organise_session(
    topic: Annotated[str, Field(description="What the session is about.")],
    format: Annotated[
        str | None, Field(description="brown-bag, workshop, meetup, guest talk…")
    ] = None,
    audience: Annotated[str | None, Field(description="How many people.")] = None,
    date: Annotated[str | None, Field(description="When, e.g. 2027-03-10.")] = None,
) -> str:
    """Organise a learning session: a plan from the playbook of its format, the rules it keeps
    to, and colleagues who ran similar sessions."""
    wanted = f"a {format}" if format else "a learning session"
    if audience:
        wanted += f" for {audience} people"
    if date:
        wanted += f" on {date}"
    return (
        f"I want to organise {wanted} about {topic}. Use draft_session_plan to draft it from "
        "our playbooks, find_past_sessions for colleagues who ran similar sessions, and "
        "search_playbooks for anything the plan leaves open. Show me the plan, the rules it "
        f"follows and who to ask. {SHOW_SOURCES}"
    )


def plan_my_learning(
    goal: Annotated[str, Field(description="What you want to learn or get better at.")],
    hours_per_week: Annotated[str | None, Field(description="Hours a week you can give.")] = None,
    weeks: Annotated[str | None, Field(description="For how many weeks.")] = None,
) -> str:
    """Plan my learning: a personal plan for a goal and the time available, with milestones,
    check-ins, the practices the library recommends and people to ask."""
    time = ""
    if hours_per_week:
        time += f" I have about {hours_per_week} hours a week"
        time += f" for {weeks} weeks." if weeks else "."
    elif weeks:
        time += f" I have {weeks} weeks."
    return (
        f"Help me plan my learning: {goal}.{time} Use draft_learning_plan to draft the plan, "
        "and search_playbooks for the practices our library recommends. Show me the weekly "
        f"milestones, the check-ins and who I could ask. {SHOW_SOURCES}"
    )


def add_prompts(server: MCPServer) -> None:
    for prompt, title in (
        (organise_session, "Organise a session"),
        (plan_my_learning, "Plan my learning"),
    ):
        server.prompt(title=title, description=cleandoc(prompt.__doc__ or ""))(prompt)
