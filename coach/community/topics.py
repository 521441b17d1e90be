"""Topics people want: interests grouped by meaning, what each person may see of them, and the
notices that tell people they are not alone.

Privacy: a person's name appears next to an interest, in a notice or on an invitation list only
when they chose "named". A topic's words are shown to others when someone in it chose to be
named (their words), or once at least MIN_PEOPLE people share it (then no statement can be
traced to one person); below that, only its own members see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from coach.community.errors import NotFoundError
from coach.community.grouping import GROUPING_THRESHOLD, central, cluster
from coach.community.people import Caller, require_person, require_team
from coach.community.ports import Clock, IdGenerator, InterestStore, NoticeStore, SessionNotes
from coach.community.records import Direction, Interest, Notice, NoticeKind

# "Several people": from this many, the members of a topic are told and a host is suggested.
MIN_PEOPLE = 3
PAST_HOSTS = 2
TREND_DAYS = 30


@dataclass(frozen=True)
class Topic:
    """Open interests (not yet a session) that mean the same thing."""

    id: str
    interests: tuple[Interest, ...]
    centre: Interest  # the most typical statement
    named_centre: Interest | None  # the most typical among those who chose to be named

    @property
    def people(self) -> frozenset[str]:
        return frozenset(i.person for i in self.interests)

    @property
    def size(self) -> int:
        return len(self.people)

    def count(self, direction: Direction) -> int:
        return len({i.person for i in self.interests if i.direction == direction})

    def public_label(self, min_people: int = MIN_PEOPLE) -> str | None:
        """The words others may see, if any (see the module's docstring)."""
        if self.named_centre is not None:
            return self.named_centre.text
        return self.centre.text if self.size >= min_people else None

    def query(self, statements: int = 5) -> str:
        """What to search the library with: the typical statement, then a few others (their
        words together find past sessions better than any one of them)."""
        others = [i.text for i in self.interests if i.id != self.centre.id]
        return " / ".join([self.centre.text, *others[: statements - 1]])

    def named(self) -> list[Interest]:
        """One named interest per person who chose to be named, oldest first."""
        seen: dict[str, Interest] = {}
        for interest in self.interests:
            if interest.named and interest.person not in seen:
                seen[interest.person] = interest
        return list(seen.values())


@dataclass(frozen=True)
class HostSuggestion:
    name: str
    reason: str
    source: str | None = None  # the session note, for a past host
    interest_id: str | None = None  # the offer to share, for a colleague who made one


@dataclass(frozen=True)
class TopicView:
    """A topic as one caller may see it."""

    id: str
    label: str
    people: int
    learners: int
    sharers: int
    named: tuple[tuple[str, Direction], ...]
    yours: tuple[str, ...] = ()
    hosts: tuple[HostSuggestion, ...] = ()
    new_recently: int | None = None  # Learning Ops: registered in the last TREND_DAYS days
    new_before: int | None = None  # … and in the TREND_DAYS before those


class TopicBoard:
    def __init__(
        self,
        interests: InterestStore,
        notices: NoticeStore,
        notes: SessionNotes,
        clock: Clock,
        ids: IdGenerator,
        *,
        threshold: float = GROUPING_THRESHOLD,
        min_people: int = MIN_PEOPLE,
    ) -> None:
        self._interests = interests
        self._notices = notices
        self._notes = notes
        self._clock = clock
        self._ids = ids
        self.threshold = threshold
        self.min_people = min_people

    def topics(self) -> list[Topic]:
        """Open interests grouped by meaning, the most wanted first."""
        open_ = [i for i in self._interests.all() if i.session_id is None]
        vectors = [i.vector for i in open_]
        topics = []
        for members in cluster(vectors, self.threshold):
            chosen = tuple(open_[m] for m in members)
            named = [m for m in members if open_[m].named]
            topics.append(
                Topic(
                    id=f"topic-{chosen[0].id}",
                    interests=chosen,
                    centre=open_[central(vectors, members)],
                    named_centre=open_[central(vectors, named)] if named else None,
                )
            )
        return sorted(topics, key=lambda t: (-t.size, t.id))

    def topic(self, topic_id: str) -> Topic:
        found = next((t for t in self.topics() if t.id == topic_id), None)
        if found is None:
            raise NotFoundError("That topic has changed or no longer exists: look at it again.")
        return found

    def for_employee(self, caller: Caller) -> list[TopicView]:
        """The caller's own topics, and those others may see."""
        require_person(caller)
        views = []
        for topic in self.topics():
            mine = tuple(i.id for i in topic.interests if i.person == caller.id)
            label = topic.public_label(self.min_people)
            if label is None and mine:
                label = next(i.text for i in topic.interests if i.person == caller.id)
            if label is not None:
                views.append(self._view(topic, label, mine))
        return views

    def for_team(self, caller: Caller) -> list[TopicView]:
        """Every topic others may see, with suggested hosts and how it is growing."""
        require_team(caller)
        today = self._clock.now().date()
        views = []
        for topic in self.topics():
            label = topic.public_label(self.min_people)
            if label is None:
                continue
            recent, before = _trend(topic.interests, today)
            view = self._view(topic, label, (), self.suggested_hosts(topic))
            views.append(_with_trend(view, recent, before))
        return views

    def _view(
        self,
        topic: Topic,
        label: str,
        mine: tuple[str, ...],
        hosts: Sequence[HostSuggestion] | None = None,
    ) -> TopicView:
        if hosts is None:
            hosts = self.suggested_hosts(topic) if topic.size >= self.min_people else ()
        return TopicView(
            id=topic.id,
            label=label,
            people=topic.size,
            learners=topic.count("learn"),
            sharers=topic.count("share"),
            named=tuple((i.name, i.direction) for i in topic.named()),
            yours=mine,
            hosts=tuple(hosts),
        )

    def suggested_hosts(self, topic: Topic) -> list[HostSuggestion]:
        """Colleagues in the topic who offered to share and chose to be named; else past hosts
        of the closest session notes."""
        offers = [
            HostSuggestion(i.name, "offered to share", interest_id=i.id)
            for i in topic.named()
            if i.direction == "share"
        ]
        if offers:
            return offers
        return [
            HostSuggestion(note.host, _hosted(note.title, note.date), source=note.source)
            for note in self._notes.about(topic.query(), PAST_HOSTS)
        ]

    def announce(self, touching: Collection[str] | None = None) -> list[Notice]:
        """Tell each member of every topic of MIN_PEOPLE or more that others want it too (once
        per interest), and ask members who offered to share anonymously whether they would
        host; only topics holding one of the `touching` interests, when given (what one
        registration can have changed). Returns what was sent now."""
        sent: list[Notice] = []
        for topic in self.topics():
            if topic.size < self.min_people:
                continue
            if touching is not None and not any(i.id in touching for i in topic.interests):
                continue
            hosts = self.suggested_hosts(topic)
            for interest in topic.interests:
                for notice in self._notices_for(topic, interest, hosts):
                    if self._notices.add(notice):
                        sent.append(notice)
        return sent

    def _notices_for(
        self, topic: Topic, interest: Interest, hosts: Sequence[HostSuggestion]
    ) -> list[Notice]:
        others = [i for i in topic.named() if i.person != interest.person]
        shown_hosts = [h for h in hosts if h.interest_id != interest.id]
        text = (
            f"{topic.size - 1} other {_people(topic.size - 1)} want to learn or share about what "
            f"you registered: “{interest.text}”."
        )
        if others:
            text += " Among them: " + ", ".join(f"{i.name} ({_role(i)})" for i in others) + "."
        if shown_hosts:
            text += " Suggested host: " + "; ".join(f"{h.name}, {h.reason}" for h in shown_hosts)
            text += "."
        text += " You can turn this into a session plan in one step."
        revealed = [i.id for i in others] + [h.interest_id for h in shown_hosts if h.interest_id]
        notices = [self._notice(interest, "topic", f"topic:{interest.id}", text, revealed)]
        if interest.direction == "share" and not interest.named:
            ask = (
                f"You offered to share about “{interest.text}”, and {topic.size - 1} other "
                f"{_people(topic.size - 1)} want it too. Would you host a session? Your name is "
                "shown to others only if you choose."
            )
            notices.append(self._notice(interest, "host_request", f"host:{interest.id}", ask, []))
        return notices

    def _notice(
        self, interest: Interest, kind: NoticeKind, key: str, text: str, revealed: list[str]
    ) -> Notice:
        return Notice(
            id=self._ids.new_id("ntc"),
            recipient=interest.person,
            kind=kind,
            text=text,
            created_at=self._clock.now(),
            key=key,
            interest_ids=(interest.id, *dict.fromkeys(revealed)),
        )


def _role(interest: Interest) -> str:
    return "could share" if interest.direction == "share" else "wants to learn"


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


def _hosted(title: str, date: str) -> str:
    return f"who hosted “{title}”" + (f" ({date})" if date else "")


def _trend(interests: Sequence[Interest], today: dt.date) -> tuple[int, int]:
    ages = [(today - i.registered_at.date()).days for i in interests]
    recent = sum(age < TREND_DAYS for age in ages)
    before = sum(TREND_DAYS <= age < 2 * TREND_DAYS for age in ages)
    return recent, before


def _with_trend(view: TopicView, recent: int, before: int) -> TopicView:
    return replace(view, new_recently=recent, new_before=before)
