"""How the community's records look in the UI (Markdown and tables), and its refusals as
Gradio errors. Everything a person wrote is shown inert (ui.render.inert)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import gradio as gr
import pandas as pd

from coach.community.errors import CommunityError
from coach.community.records import Interest, Notice, TrackedSession
from coach.community.sessions import Invitation
from coach.community.topics import TopicView
from ui.render import inert

DIRECTION = {"learn": "wants to learn", "share": "could share"}


@contextmanager
def refusals_shown() -> Iterator[None]:
    """What a use case refuses, with its reason, as an error in the page."""
    try:
        yield
    except CommunityError as error:
        raise gr.Error(str(error)) from None


def interests_frame(rows: Sequence[Interest]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [i.text, "learn" if i.direction == "learn" else "share",
             "named" if i.named else "anonymous", "yes" if i.session_id else "",
             f"{i.registered_at:%Y-%m-%d}"]
            for i in rows
        ],
        columns=["Interest", "To", "Shown as", "Session drafted", "Registered"],
    )  # fmt: skip


def topic_markdown(view: TopicView) -> str:
    line = (
        f"### {inert(view.label)}\n{view.people} people · {view.learners} to learn · "
        f"{view.sharers} to share"
    )
    if view.named:
        line += "\n\nNamed: " + ", ".join(f"{inert(n)} ({DIRECTION[d]})" for n, d in view.named)
    if view.hosts:
        line += "\n\nSuggested host: " + "; ".join(
            f"{inert(h.name)}, {inert(h.reason)}" for h in view.hosts
        )
    if view.yours:
        line += "\n\n*You are in this topic.*"
    return line


def topics_markdown(views: Sequence[TopicView]) -> str:
    if not views:
        return "No topics yet: register what you'd like to learn or could share."
    return "\n\n".join(topic_markdown(v) for v in views)


def team_topics_frame(views: Sequence[TopicView]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            [v.label, v.people, v.learners, v.sharers, v.new_recently, v.new_before,
             ", ".join(n for n, _ in v.named), "; ".join(f"{h.name} ({h.reason})" for h in v.hosts)]
            for v in views
        ],
        columns=["Topic", "People", "Learn", "Share", "New (30 days)", "Previous 30 days",
                 "Named", "Suggested hosts"],
    )  # fmt: skip


def inbox_markdown(notices: Sequence[Notice]) -> str:
    if not notices:
        return "Nothing new."
    return "\n\n".join(
        f"**{n.created_at:%d %b %H:%M}**{'' if n.read_at else ' · new'}: {inert(n.text)}"
        for n in notices
    )


def session_markdown(session: TrackedSession, invitation: Invitation) -> str:
    when = f"{session.date:%a %d %b %Y}" if session.date else "no date yet"
    named = ", ".join(inert(n) for n in invitation.named) or "nobody named"
    lines = [
        f"### {inert(session.title)}",
        f"**Organiser:** {inert(session.organiser_name)} · **When:** {when}",
        f"**Invitation:** {named}; {invitation.others} more interested (not named)",
    ]
    if session.suggested_host:
        lines.append(f"**Suggested host:** {inert(session.suggested_host)}")
    return "\n\n".join([*lines, inert(session.markdown)])


def task_choices(session: TrackedSession) -> tuple[list[tuple[str, str]], list[str]]:
    """The tasks as checkbox choices (label, id), and the ids of those done."""
    choices = [
        (f"{t.text}" + (f" (due {t.due:%d %b})" if t.due else ""), t.id) for t in session.tasks
    ]
    return choices, [t.id for t in session.tasks if t.done]
