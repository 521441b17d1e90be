"""After a session: its organiser says how it went (a form, or four questions in the chat), the
coach drafts a session note the way this library writes them, Learning Ops review, edit and
publish it, and publishing writes the file into the library and indexes it, so the people
finder and "similar past sessions" find it from then on."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from coach.bounds import read_number
from coach.community.errors import InvalidInputError, NotFoundError, PublishFailedError
from coach.community.note_style import NoteContent, learn_style, render_note
from coach.community.people import TEAM_INBOX, Caller, require_person, require_team
from coach.community.ports import (
    Clock,
    IdGenerator,
    NoteDraftStore,
    NoteExamples,
    NoteLibrary,
    NoticeStore,
    SessionStore,
)
from coach.community.records import Debrief, NoteDraft, Notice, NoticeKind, TrackedSession
from coach.reading.quantities import normalise

# How many of the library's notes are read to learn how it writes them.
EXAMPLE_NOTES = 30
MAX_NOTE_CHARS = 50_000
MAX_ITEMS = 12
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("attendees", "How many people came? List who, too, if you like."),
    ("what_worked", "What worked well?"),
    ("what_to_change", "What would you change next time?"),
    ("feedback_score", "What was the feedback score, out of 5? (Say “none” if there was none.)"),
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NONE = re.compile(r"^\s*(?:none|no|n/?a|nothing|skip|-)\s*[.!]?\s*$", re.I)
_ITEM_SPLIT = re.compile(r"\n+|;\s*|(?:^|\s)[-•*]\s+")
_NAME = re.compile(r"^[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){0,3}$")


@dataclass(frozen=True)
class DebriefExchange:
    """The debrief as a short exchange: one question at a time, the answers kept in the
    conversation's state until the last one."""

    session_id: str
    answers: tuple[tuple[str, str], ...] = ()

    @property
    def question(self) -> str | None:
        return QUESTIONS[len(self.answers)][1] if len(self.answers) < len(QUESTIONS) else None

    def answer(self, text: str) -> DebriefExchange:
        if self.question is None:
            return self
        return replace(self, answers=(*self.answers, (QUESTIONS[len(self.answers)][0], text)))

    def debrief(self) -> Debrief:
        return read_debrief(dict(self.answers))

    def to_state(self) -> dict[str, Any]:
        return {"flow": "debrief", "session_id": self.session_id, "answers": list(self.answers)}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> DebriefExchange:
        answers = tuple((str(k), str(v)) for k, v in state.get("answers", []))
        return cls(str(state["session_id"]), answers)


def read_debrief(answers: Mapping[str, str]) -> Debrief:
    """A debrief from answers in words: "about twenty, with Ana Diaz and Tom Reed", "the demo;
    the small groups", "4.5/5" or "9 out of 10"."""
    attendees_text = normalise(answers.get("attendees", ""))
    count = _NUMBER.search(attendees_text)
    return Debrief(
        attendees=int(read_number(count.group(0))) if count else None,
        what_worked=_items(answers.get("what_worked", "")),
        what_to_change=_items(answers.get("what_to_change", "")),
        feedback_score=_score(answers.get("feedback_score", "")),
        summary=answers.get("summary", "").strip(),
        attendee_names=_names(attendees_text),
    )


def _items(text: str) -> tuple[str, ...]:
    if _NONE.match(text):
        return ()
    pieces = [p.strip(" .,-•*") for p in _ITEM_SPLIT.split(text)]
    return tuple(_sentence(p) for p in pieces if p)[:MAX_ITEMS]


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return text[:1].upper() + text[1:] + ("" if text.endswith(("?", "!")) else ".")


def _score(text: str) -> float | None:
    digits = normalise(text)
    numbers = [read_number(n) for n in _NUMBER.findall(digits)]
    if not numbers or _NONE.match(text):
        return None
    out_of = numbers[1] if len(numbers) > 1 and re.search(r"/|out of|of", digits) else 5.0
    if out_of <= 0:
        return None
    score = round(numbers[0] * 5 / out_of, 1)
    return score if 0 <= score <= 5 else None


def _names(text: str) -> tuple[str, ...]:
    """Names listed after the count ("12: Ana Diaz, Tom Reed and Lee Wu")."""
    rest = _NUMBER.sub(" ", text, count=1)
    pieces = re.split(r",|;|\band\b|\bwith\b|\bincluding\b|:|\(|\)", rest)
    return tuple(dict.fromkeys(p.strip() for p in pieces if _NAME.match(p.strip())))


class DebriefService:
    def __init__(
        self,
        sessions: SessionStore,
        drafts: NoteDraftStore,
        notices: NoticeStore,
        examples: NoteExamples,
        library: NoteLibrary,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._sessions = sessions
        self._drafts = drafts
        self._notices = notices
        self._examples = examples
        self._library = library
        self._clock = clock
        self._ids = ids

    def session_to_debrief(self, caller: Caller) -> TrackedSession | None:
        """The caller's most recent session whose date has passed and that has no debrief."""
        require_person(caller)
        today = self._clock.now().date()
        waiting = [
            s
            for s in self._sessions.all()
            if s.organiser == caller.id and s.date and s.date < today and not s.debriefed
        ]
        return max(waiting, key=lambda s: s.date or today, default=None)

    def submit(self, caller: Caller, session_id: str, debrief: Debrief) -> NoteDraft:
        """Draft the session's note from the debrief (again, while it is still a draft) and
        ask Learning Ops to review it."""
        session = self._sessions.get(session_id)
        require_person(caller)
        if session is None or not (session.organiser == caller.id or caller.is_learning_ops):
            raise NotFoundError("No such session of yours.")
        if session.date is None or session.date > self._clock.now().date():
            raise InvalidInputError("A debrief comes after the session's date.")
        _check(debrief)
        style = learn_style(self._examples.session_notes(EXAMPLE_NOTES))
        note = render_note(style, _content(session, debrief))
        now = self._clock.now()
        existing = next((d for d in self._drafts.all() if d.session_id == session.id), None)
        if existing is not None and existing.status == "published":
            raise InvalidInputError("This session's note is already published.")
        draft = NoteDraft(
            id=existing.id if existing else self._ids.new_id("note"),
            session_id=session.id,
            organiser=session.organiser,
            filename=note.filename,
            text=note.text,
            status="draft",
            created_at=existing.created_at if existing else now,
            updated_at=now,
            debrief=debrief,
            to_fill=note.to_fill,
        )
        (self._drafts.update if existing else self._drafts.add)(draft)
        self._sessions.update(replace(session, debriefed=True))
        self._tell(TEAM_INBOX, "review", f"review:{draft.id}", _review_text(session), session.id)
        return draft

    def pending(self, caller: Caller) -> list[NoteDraft]:
        """Drafts waiting for review, oldest first."""
        require_team(caller)
        return [d for d in self._drafts.all() if d.status == "draft"]

    def get(self, caller: Caller, draft_id: str) -> NoteDraft:
        require_person(caller)
        draft = self._drafts.get(draft_id)
        if draft is None or not (draft.organiser == caller.id or caller.is_learning_ops):
            raise NotFoundError("No such note.")
        return draft

    def edit(self, caller: Caller, draft_id: str, text: str) -> NoteDraft:
        require_team(caller)
        draft = self._draft(draft_id)
        if not text.strip() or len(text) > MAX_NOTE_CHARS:
            raise InvalidInputError(f"A note has some text, and under {MAX_NOTE_CHARS} characters.")
        edited = replace(draft, text=text.rstrip() + "\n", updated_at=self._clock.now())
        self._drafts.update(edited)
        return edited

    def publish(self, caller: Caller, draft_id: str) -> NoteDraft:
        """Write the note into the library and index it; its organiser is told."""
        require_team(caller)
        draft = self._draft(draft_id)
        try:
            source, outcome = self._library.upload(
                draft.filename, draft.text.encode("utf-8"), "session_note"
            )
        except ValueError as error:
            raise PublishFailedError(f"The library refused the note: {error}") from None
        if not outcome.ok:
            reasons = "; ".join(f"{k}: {v}" for k, v in outcome.failed.items())
            raise PublishFailedError(f"The note was stored but could not be indexed: {reasons}")
        published = replace(
            draft,
            status="published",
            published_source=source,
            reviewed_by=caller.id,
            updated_at=self._clock.now(),
        )
        self._drafts.update(published)
        text = f"Your session note is published in the library: {source}."
        self._tell(draft.organiser, "published", f"published:{draft.id}", text, draft.session_id)
        return published

    def _draft(self, draft_id: str) -> NoteDraft:
        draft = self._drafts.get(draft_id)
        if draft is None:
            raise NotFoundError("No such note.")
        if draft.status != "draft":
            raise InvalidInputError("This note is already published.")
        return draft

    def _tell(self, recipient: str, kind: NoticeKind, key: str, text: str, session_id: str) -> None:
        self._notices.add(
            Notice(
                id=self._ids.new_id("ntc"),
                recipient=recipient,
                kind=kind,
                text=text,
                created_at=self._clock.now(),
                key=key,
                session_id=session_id,
            )
        )


def _check(debrief: Debrief) -> None:
    if debrief.attendees is not None and not 0 <= debrief.attendees <= 100_000:
        raise InvalidInputError("Attendees is a number of people.")
    if debrief.feedback_score is not None and not 0 <= debrief.feedback_score <= 5:
        raise InvalidInputError("The feedback score is out of 5.")


def _content(session: TrackedSession, debrief: Debrief) -> NoteContent:
    assert session.date is not None
    return NoteContent(
        title=session.topic[:1].upper() + session.topic[1:] if session.topic else session.title,
        host=debrief.host.strip() or session.organiser_name,
        date=session.date,
        format=session.format,
        attendees=debrief.attendees,
        score=debrief.feedback_score,
        summary=debrief.summary,
        worked=debrief.what_worked,
        change=debrief.what_to_change,
    )


def _review_text(session: TrackedSession) -> str:
    when = f" ({session.date:%d %b %Y})" if session.date else ""
    return (
        f"A session note is ready for review: “{session.title}”{when}, from its organiser "
        f"{session.organiser_name}."
    )
