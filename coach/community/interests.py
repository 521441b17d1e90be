"""Registering, changing and withdrawing an interest: "I'd like to learn about X" or "I could
share about X". Only a person registers one, explicitly (asking for a learning plan is not
registering an interest); it is anonymous unless they choose to be named, and withdrawing it
removes it everywhere: from topics and their counts, invitation lists and the notices that are
about it or name its owner."""

from __future__ import annotations

import re
from dataclasses import replace

from coach.community.errors import InvalidInputError, NotFoundError
from coach.community.grouping import TopicSpace
from coach.community.people import Caller, require_person
from coach.community.ports import Clock, IdGenerator, InterestStore, NoticeStore, SessionStore
from coach.community.records import Direction, Interest, Notice, Visibility
from coach.community.topics import TopicBoard

MIN_CHARS = 2
MAX_CHARS = 300
DIRECTIONS: tuple[Direction, ...] = ("learn", "share")
VISIBILITIES: tuple[Visibility, ...] = ("anonymous", "named")


class InterestService:
    def __init__(
        self,
        interests: InterestStore,
        sessions: SessionStore,
        notices: NoticeStore,
        board: TopicBoard,
        space: TopicSpace,
        clock: Clock,
        ids: IdGenerator,
    ) -> None:
        self._interests = interests
        self._sessions = sessions
        self._notices = notices
        self._board = board
        self._space = space
        self._clock = clock
        self._ids = ids

    def register(
        self,
        caller: Caller,
        text: str,
        direction: Direction,
        visibility: Visibility = "anonymous",
    ) -> tuple[Interest, list[Notice]]:
        """Record the interest and tell the people of any topic it completes; the interest and
        the notices sent now. The same statement registered again is the same interest."""
        require_person(caller)
        text = _clean(text)
        _check(direction, visibility)
        same = next(
            (
                i
                for i in self._interests.of_person(caller.id)
                if i.direction == direction and i.text.casefold() == text.casefold()
            ),
            None,
        )
        if same is not None:
            return same, []
        interest = Interest(
            id=self._ids.new_id("int"),
            person=caller.id,
            name=caller.name,
            text=text,
            direction=direction,
            visibility=visibility,
            vector=self._space.vector(text),
            registered_at=self._clock.now(),
        )
        self._interests.add(interest)
        return interest, self._board.announce(touching={interest.id})

    def mine(self, caller: Caller) -> list[Interest]:
        require_person(caller)
        return self._interests.of_person(caller.id)

    def set_visibility(self, caller: Caller, interest_id: str, visibility: Visibility) -> Interest:
        """Named or anonymous from now on; notices that named the person are written again."""
        interest = self._own(caller, interest_id)
        _check(interest.direction, visibility)
        changed = replace(interest, visibility=visibility, name=caller.name)
        self._interests.update(changed)
        if interest.visibility != visibility:
            self._notices.remove_about([interest.id])
            self._board.announce(touching=self._topic_members(interest))
        return changed

    def withdraw(self, caller: Caller, interest_id: str) -> None:
        """Delete the interest and every trace of it; the others in its topic are told again,
        without it."""
        interest = self._own(caller, interest_id)
        members = self._topic_members(interest)
        self._interests.remove(interest.id)
        for session in self._sessions.all():
            if interest.id in session.interest_ids:
                kept = tuple(i for i in session.interest_ids if i != interest.id)
                self._sessions.update(replace(session, interest_ids=kept))
        self._notices.remove_about([interest.id])
        self._board.announce(touching=members - {interest.id})

    def _topic_members(self, interest: Interest) -> set[str]:
        """The ids of the interests in the same topic as this one (itself included)."""
        topic = next(
            (t for t in self._board.topics() if any(i.id == interest.id for i in t.interests)),
            None,
        )
        return {i.id for i in topic.interests} if topic else {interest.id}

    def _own(self, caller: Caller, interest_id: str) -> Interest:
        require_person(caller)
        interest = self._interests.get(interest_id)
        if interest is None or interest.person != caller.id:
            raise NotFoundError("No such interest of yours.")
        return interest


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(".!")
    if len(text) < MIN_CHARS:
        raise InvalidInputError("Say what you would like to learn or share about.")
    if len(text) > MAX_CHARS:
        raise InvalidInputError(f"Keep it under {MAX_CHARS} characters: the topic, not a story.")
    return text


def _check(direction: str, visibility: str) -> None:
    if direction not in DIRECTIONS:
        raise InvalidInputError("An interest is to learn about something or to share about it.")
    if visibility not in VISIBILITIES:
        raise InvalidInputError("Visibility is named or anonymous.")
