"""The employee's community: their interests, the topics people want (drafting a session from
one), their inbox, the tasks of the sessions they organise, and the debrief after a session."""

from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr
import pandas as pd

from coach.community.people import Caller
from coach.community.records import Debrief, Direction, Visibility
from coach.services import Services
from coach.services.access import caller_of
from ui.community_render import (
    inbox_markdown,
    interests_frame,
    refusals_shown,
    session_markdown,
    task_choices,
    topics_markdown,
)
from ui.files import DownloadFolder
from ui.identity import SignIn, person
from ui.render import inert


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip(" -•*") for line in text.splitlines() if line.strip(" -•*"))


class CommunityHandlers:
    def __init__(self, services: Services, auth: SignIn) -> None:
        self._community = services.community
        self._auth = auth

    def _caller(self, request: gr.Request) -> Caller:
        return caller_of(person(self._auth, request))

    def register(
        self, text: str, direction: Direction, named: bool, request: gr.Request
    ) -> tuple[str, pd.DataFrame, Any]:
        with refusals_shown():
            visibility: Visibility = "named" if named else "anonymous"
            interest, _ = self._community.interests.register(
                self._caller(request), text, direction, visibility
            )
        shown = "with your name" if interest.named else "anonymously (counted, never named)"
        message = f"Registered “{inert(interest.text)}”, {shown}."
        return message, *self.interests(request)

    def interests(self, request: gr.Request) -> tuple[pd.DataFrame, Any]:
        """The person's interests, as a table and as choices to change or withdraw."""
        with refusals_shown():
            rows = self._community.interests.mine(self._caller(request))
        choices = [(i.text[:60], i.id) for i in rows]
        return interests_frame(rows), gr.update(choices=choices, value=None)

    def change(
        self, interest_id: str | None, action: str, request: gr.Request
    ) -> tuple[str, pd.DataFrame, Any]:
        """Show or hide the name with an interest, or withdraw it."""
        if not interest_id:
            raise gr.Error("Pick one of your interests first.")
        caller = self._caller(request)
        with refusals_shown():
            if action == "withdraw":
                self._community.interests.withdraw(caller, interest_id)
                message = "Withdrawn: it is gone from topics, counts, invitations and notices."
            else:
                visibility: Visibility = "named" if action == "name" else "anonymous"
                self._community.interests.set_visibility(caller, interest_id, visibility)
                message = (
                    f"It is now shown {'with your name' if action == 'name' else 'anonymously'}."
                )
        return message, *self.interests(request)

    def topics(self, request: gr.Request) -> tuple[str, Any]:
        """The topics the person may see, and those they are in, to draft a session from."""
        with refusals_shown():
            views = self._community.board.for_employee(self._caller(request))
        mine = [(v.label[:60], v.id) for v in views if v.yours]
        return topics_markdown(views), gr.update(choices=mine, value=None)

    def draft(self, topic_id: str | None, request: gr.Request) -> str:
        """One step from a topic to a drafted session plan the person organises."""
        if not topic_id:
            raise gr.Error("Pick a topic you are in.")
        caller = self._caller(request)
        with refusals_shown():
            session = self._community.sessions.draft_from_topic(caller, topic_id)
            view = self._community.sessions.view(caller, session.id)
        return session_markdown(view.session, view.invitation)

    def inbox(self, request: gr.Request) -> str:
        with refusals_shown():
            caller = self._caller(request)
            notices = self._community.inbox.notices(caller)
            self._community.inbox.mark_read(caller, [n.id for n in notices if n.read_at is None])
        return inbox_markdown(notices)


class SessionHandlers:
    """The sessions the person organises or is interested in: the plan, its tasks, its date
    and, after the date, the debrief."""

    def __init__(self, services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
        self._community = services.community
        self._auth = auth
        self._downloads = downloads

    def _caller(self, request: gr.Request) -> Caller:
        return caller_of(person(self._auth, request))

    def sessions(self, request: gr.Request) -> Any:
        with refusals_shown():
            rows = self._community.sessions.of(self._caller(request))
        return gr.update(choices=[(s.title[:60], s.id) for s in rows], value=None)

    def show(self, session_id: str | None, request: gr.Request) -> tuple[str, Any, Any]:
        """The plan, its tasks, and its calendar invitation once it has a date."""
        if not session_id:
            return "", gr.update(choices=[], value=[]), gr.update(visible=False)
        caller = self._caller(request)
        with refusals_shown():
            view = self._community.sessions.view(caller, session_id)
            ics = (
                self._community.sessions.calendar(caller, session_id) if view.session.date else None
            )
        choices, done = task_choices(view.session)
        invitation = self._downloads.write("session.ics", ics) if ics else None
        return (
            session_markdown(view.session, view.invitation),
            gr.update(choices=choices, value=done),
            gr.update(value=invitation, visible=invitation is not None),
        )

    def save_ticks(self, session_id: str | None, ticked: list[str], request: gr.Request) -> str:
        """Tick off (or back on) every task whose box changed."""
        if not session_id:
            raise gr.Error("Pick one of your sessions.")
        caller = self._caller(request)
        with refusals_shown():
            session = self._community.sessions.view(caller, session_id).session
            for task in session.tasks:
                if task.done != (task.id in ticked):
                    session = self._community.sessions.tick(
                        caller, session_id, task.id, not task.done
                    )
        return f"Saved: {sum(t.done for t in session.tasks)} of {len(session.tasks)} tasks done."

    def schedule(self, session_id: str | None, date: str, request: gr.Request) -> str:
        if not session_id:
            raise gr.Error("Pick one of your sessions.")
        try:
            when = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise gr.Error("Write the date as YYYY-MM-DD, e.g. 2027-03-10.") from None
        with refusals_shown():
            session = self._community.sessions.schedule(self._caller(request), session_id, when)
        return f"Scheduled for {session.date:%a %d %b %Y}: everyone interested has been told."

    def debrief(
        self, session_id: str | None, attendees: float | None, names: str, worked: str,
        change: str, score: float | None, summary: str, request: gr.Request,
    ) -> str:  # fmt: skip
        """The organiser's debrief: the coach drafts the session note for Learning Ops."""
        if not session_id:
            raise gr.Error("Pick the session you ran.")
        debrief = Debrief(
            attendees=int(attendees) if attendees is not None else None,
            what_worked=_lines(worked), what_to_change=_lines(change),
            feedback_score=score, summary=summary.strip(),
            attendee_names=tuple(n.strip() for n in names.split(",") if n.strip()),
        )  # fmt: skip
        with refusals_shown():
            draft = self._community.debriefs.submit(self._caller(request), session_id, debrief)
        return f"Drafted; Learning Ops will review it.\n\n```markdown\n{draft.text}```"


def _interests_panel(handlers: CommunityHandlers) -> None:
    with gr.Row():
        text = gr.Textbox(label="Topic", placeholder="e.g. pottery for beginners", scale=3,
                          elem_id="interest-text")  # fmt: skip
        direction = gr.Radio([("I'd like to learn about it", "learn"),
                              ("I could share about it", "share")], value="learn",
                             label="I…", elem_id="interest-direction")  # fmt: skip
        named = gr.Checkbox(label="Show my name with it", elem_id="interest-named")
    register = gr.Button("Register", variant="primary", elem_id="interest-register")
    message = gr.Markdown(elem_id="interest-message")
    table = gr.Dataframe(interactive=False, wrap=True, elem_id="my-interests")
    with gr.Row():
        chosen = gr.Dropdown(label="One of your interests", choices=[], elem_id="interest-pick")
        choices = [("Show my name", "name"), ("Hide my name", "hide"), ("Withdraw it", "withdraw")]
        action = gr.Radio(choices, value="withdraw", label="Change")
        apply = gr.Button("Apply", elem_id="interest-apply")
    register.click(handlers.register, [text, direction, named], [message, table, chosen])
    apply.click(handlers.change, [chosen, action], [message, table, chosen])
    chosen.focus(handlers.interests, None, [table, chosen])


def _topics_panel(handlers: CommunityHandlers) -> None:
    refresh = gr.Button("Show topics people want", elem_id="topics-refresh")
    topics = gr.Markdown(elem_id="topics")
    with gr.Row():
        chosen = gr.Dropdown(label="A topic you are in", choices=[], elem_id="topic-pick")
        draft = gr.Button("Draft a session plan from it", variant="primary", elem_id="topic-draft")
    plan = gr.Markdown(elem_id="topic-plan")
    refresh.click(handlers.topics, None, [topics, chosen])
    draft.click(handlers.draft, [chosen], plan)


def _inbox_panel(handlers: CommunityHandlers) -> None:
    refresh = gr.Button("Check my inbox", elem_id="inbox-refresh")
    notices = gr.Markdown(elem_id="inbox")
    refresh.click(handlers.inbox, None, notices)


def _sessions_panel(handlers: SessionHandlers) -> gr.Dropdown:
    chosen = gr.Dropdown(label="Your sessions", choices=[], elem_id="session-pick")
    details = gr.Markdown(elem_id="session-detail")
    tasks = gr.CheckboxGroup(label="Tasks", choices=[], elem_id="session-tasks")
    save = gr.Button("Save ticked tasks", elem_id="session-save-ticks")
    with gr.Row():
        date = gr.Textbox(label="Date (YYYY-MM-DD)", elem_id="session-date")
        schedule = gr.Button("Schedule it", elem_id="session-schedule")
    result = gr.Markdown(elem_id="session-result")
    invitation = gr.File(label="Calendar invitation", visible=False, elem_id="session-ics")
    chosen.focus(handlers.sessions, None, chosen)
    chosen.input(handlers.show, [chosen], [details, tasks, invitation])
    save.click(handlers.save_ticks, [chosen, tasks], result)
    schedule.click(handlers.schedule, [chosen, date], result).success(
        handlers.show, [chosen], [details, tasks, invitation]
    )
    return chosen


def _debrief_panel(handlers: SessionHandlers, session: gr.Dropdown) -> None:
    gr.Markdown("#### After the session: how did it go?")
    with gr.Row():
        attendees = gr.Number(
            label="How many came", precision=0, minimum=0, elem_id="debrief-count"
        )
        score = gr.Number(label="Feedback score (out of 5)", minimum=0, maximum=5,
                          elem_id="debrief-score")  # fmt: skip
    names = gr.Textbox(label="Who came (names, comma-separated; optional)", elem_id="debrief-names")
    worked = gr.Textbox(label="What worked (one per line)", lines=3, elem_id="debrief-worked")
    change = gr.Textbox(label="What to change (one per line)", lines=3, elem_id="debrief-change")
    summary = gr.Textbox(label="In a sentence or two", lines=2, elem_id="debrief-summary")
    send = gr.Button("Draft the session note", variant="primary", elem_id="debrief-send")
    drafted = gr.Markdown(elem_id="debrief-draft")
    inputs = [session, attendees, names, worked, change, score, summary]
    send.click(handlers.debrief, inputs, drafted)


def build_community_tab(services: Services, auth: SignIn, downloads: DownloadFolder) -> None:
    handlers = CommunityHandlers(services, auth)
    sessions = SessionHandlers(services, auth, downloads)
    with gr.Tab("My interests", id="my-interests-tab"):
        _interests_panel(handlers)
    with gr.Tab("Topics people want", id="topics-tab"):
        _topics_panel(handlers)
    with gr.Tab("Inbox", id="inbox-tab"):
        _inbox_panel(handlers)
    with gr.Tab("My sessions", id="sessions-tab"):
        chosen = _sessions_panel(sessions)
        _debrief_panel(sessions, chosen)
