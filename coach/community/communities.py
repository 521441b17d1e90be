"""Communities of practice: people who meet around a subject and run it themselves. Each keeps a
page: its organisers, its members (named only when they agree, counted otherwise), the
gatherings held (from the library's session notes) and the next one planned."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from coach.community.errors import InvalidInputError, NotFoundError
from coach.community.people import Caller, require_person
from coach.community.ports import (
    Clock,
    CommunityStore,
    IdGenerator,
    NoteDraftStore,
    SessionNotes,
    SessionStore,
)
from coach.community.records import Community, Member, NoteFacts, Visibility

MAX_NAME = 80
MAX_ABOUT = 500
GATHERINGS_SHOWN = 12


@dataclass(frozen=True)
class Gathering:
    title: str
    date: str
    host: str
    attendees: int | None = None
    source: str | None = None  # the session note, for one held
    session_id: str | None = None  # the plan, for one to come


@dataclass(frozen=True)
class CommunityPage:
    id: str
    name: str
    about: str
    organisers: tuple[str, ...]
    members_named: tuple[str, ...]
    members: int
    held: tuple[Gathering, ...]  # newest first
    next_gathering: Gathering | None
    you_are_member: bool = False


class CommunityService:
    def __init__(
        self,
        communities: CommunityStore,
        sessions: SessionStore,
        drafts: NoteDraftStore,
        notes: SessionNotes,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._communities = communities
        self._sessions = sessions
        self._drafts = drafts
        self._notes = notes
        self._clock = clock
        self._ids = ids

    def create(self, caller: Caller, name: str, about: str, tag: str | None = None) -> Community:
        """A new community, with the caller as its first organiser (named: organisers are the
        people to contact)."""
        require_person(caller)
        name, about = _text(name, MAX_NAME, "a name"), _text(about, MAX_ABOUT, "what it is about")
        if any(c.name.casefold() == name.casefold() for c in self._communities.all()):
            raise InvalidInputError(f"There is already a community called {name}.")
        now = self._clock.now()
        community = Community(
            id=self._ids.new_id("com"),
            name=name,
            about=about,
            tag=_slug(tag or name),
            created_at=now,
            members=(Member(caller.id, caller.name, "named", now, organiser=True),),
        )
        self._communities.add(community)
        return community

    def join(
        self, caller: Caller, community_id: str, visibility: Visibility = "anonymous"
    ) -> Community:
        require_person(caller)
        community = self._get(community_id)
        members = [m for m in community.members if m.person != caller.id]
        old = next((m for m in community.members if m.person == caller.id), None)
        member = Member(
            caller.id,
            caller.name,
            "named" if old and old.organiser else visibility,
            old.joined_at if old else self._clock.now(),
            organiser=bool(old and old.organiser),
        )
        return self._save(replace(community, members=(*members, member)))

    def leave(self, caller: Caller, community_id: str) -> Community:
        require_person(caller)
        community = self._get(community_id)
        kept = tuple(m for m in community.members if m.person != caller.id)
        if kept and not any(m.organiser for m in kept):
            raise InvalidInputError("Name another organiser before you leave: it needs one.")
        return self._save(replace(community, members=kept))

    def make_organiser(self, caller: Caller, community_id: str, person: str) -> Community:
        """An organiser (or Learning Ops) makes a member an organiser; organisers are named."""
        require_person(caller)
        community = self._get(community_id)
        if not (caller.is_learning_ops or _is_organiser(community, caller.id)):
            raise NotFoundError("Only its organisers can do this.")
        if not any(m.person == person for m in community.members):
            raise NotFoundError("Only a member can become an organiser.")
        members = tuple(
            replace(m, organiser=True, visibility="named") if m.person == person else m
            for m in community.members
        )
        return self._save(replace(community, members=members))

    def all(self, caller: Caller) -> list[Community]:
        require_person(caller)
        return sorted(self._communities.all(), key=lambda c: c.name.casefold())

    def page(self, caller: Caller, community_id: str) -> CommunityPage:
        require_person(caller)
        community = self._get(community_id)
        today = self._clock.now().date()
        members = community.members
        return CommunityPage(
            id=community.id,
            name=community.name,
            about=community.about,
            organisers=tuple(m.name for m in members if m.organiser),
            members_named=tuple(m.name for m in members if m.visibility == "named"),
            members=len(members),
            held=tuple(self._held(community)[:GATHERINGS_SHOWN]),
            next_gathering=self._next(community, today),
            you_are_member=any(m.person == caller.id for m in members),
        )

    def _held(self, community: Community) -> list[Gathering]:
        """Its session notes: those tagged with its tag, and those published from its own
        sessions' debriefs."""
        sessions = {s.id for s in self._sessions.all() if s.community_id == community.id}
        own = {d.published_source for d in self._drafts.all() if d.session_id in sessions}
        notes = [n for n in self._notes.all() if community.tag in n.tags or n.source in own]
        return [_gathering(n) for n in sorted(notes, key=lambda n: n.date, reverse=True)]

    def _next(self, community: Community, today: dt.date) -> Gathering | None:
        coming = [
            s
            for s in self._sessions.all()
            if s.community_id == community.id and s.date is not None and s.date >= today
        ]
        if not coming:
            return None
        session = min(coming, key=lambda s: s.date or today)
        return Gathering(
            session.title,
            session.date.isoformat() if session.date else "",
            session.organiser_name,
            session_id=session.id,
        )

    def _get(self, community_id: str) -> Community:
        community = self._communities.get(community_id)
        if community is None:
            raise NotFoundError("No such community.")
        return community

    def _save(self, community: Community) -> Community:
        self._communities.update(community)
        return community


def _is_organiser(community: Community, person: str) -> bool:
    return any(m.person == person and m.organiser for m in community.members)


def _gathering(note: NoteFacts) -> Gathering:
    return Gathering(note.title, note.date, note.host, note.attendees, source=note.source)


def _text(value: str, limit: int, what: str) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    if not value or len(value) > limit:
        raise InvalidInputError(f"Give {what}, under {limit} characters.")
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
