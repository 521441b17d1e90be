"""A realistic year of made-up history, so a new install can show what the autonomy view means.

Generated from a seed (the same seed, the same year), kept in the demo store only, never in the
real stores, counted only when asked for, and removed as one. The year tells a plausible story:
the enabling team runs most sessions at first; employees take over, hosts come back, attendees
start hosting, communities form, hand-offs and unanswered questions fall.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from coach.community.autonomy import months_until
from coach.community.people import Caller, require_team
from coach.community.ports import Clock, DemoStore
from coach.community.records import ConversationFact, DemoHistory, HeldSession, InterestFact

FIRST_NAMES = (
    "Keiko", "Oona", "Dmitri", "Signe", "Yara", "Henrik", "Noor", "Emeka", "Bettina", "Joaquin",
    "Sunniva", "Farid", "Ottilie", "Ravi", "Marisol", "Aurelio", "Linnea", "Halvard", "Zuri",
    "Ilse", "Casimir", "Anouk", "Tamsin",
)  # fmt: skip
LAST_NAMES = (
    "Brannock", "Vasquez", "Okonkwo", "Halloran", "Nakamura", "Brandt", "Szabo", "Moravec",
    "Quintero", "Ekdahl", "Dufresne", "Pellegrini", "Koskinen",
)  # fmt: skip
TOPICS = (
    "Bookbinding basics", "Birdsong by ear", "Stargazing for beginners", "Ukulele circle",
    "Watercolour sketching", "Board game design", "Origami at lunch", "Improv warm-ups",
    "Podcast editing", "Map reading outdoors", "Calligraphy practice", "Journaling habits",
)  # fmt: skip
COMMUNITIES = ("demo-ukulele", "demo-sketching", "demo-stargazing", "demo-board-games")
TEAM_SIZE = 3
PEOPLE = 48


@dataclass(frozen=True)
class _Month:
    first: dt.date
    days: int
    progress: float  # 0 in the first month, 1 in the last


def generate(seed: int, last: dt.date, months: int = 12) -> DemoHistory:
    """The demo year ending with `last`'s month."""
    rng = random.Random(seed)
    people = _people(rng)
    team, staff = people[:TEAM_SIZE], people[TEAM_SIZE:]
    held: list[HeldSession] = []
    conversations: list[ConversationFact] = []
    interests: list[InterestFact] = []
    hosts_so_far: list[str] = []
    for index, name in enumerate(months_until(last, months)):
        year, number = map(int, name.split("-"))
        first = dt.date(year, number, 1)
        following = dt.date(year + number // 12, number % 12 + 1, 1)
        days = min((following - first).days, (last - first).days + 1)  # nothing after `last`
        month = _Month(first, days, index / max(1, months - 1))
        held += _sessions(rng, month, team, staff, hosts_so_far)
        conversations += _conversations(rng, month)
        interests += _interests(rng, month)
    return DemoHistory(
        tag=f"demo:{seed}",
        held=tuple(held),
        conversations=tuple(conversations),
        interests=tuple(interests),
        team=tuple(team),
        seed=seed,
    )


def _people(rng: random.Random) -> list[str]:
    names = [f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES]
    return rng.sample(names, PEOPLE)


def _day(rng: random.Random, month: _Month) -> dt.date:
    return month.first + dt.timedelta(days=rng.randrange(month.days))


def _sessions(
    rng: random.Random, month: _Month, team: list[str], staff: list[str], hosts: list[str]
) -> list[HeldSession]:
    sessions = []
    for _ in range(2 + round(7 * month.progress) + rng.randint(0, 2)):
        by_team = rng.random() < 0.7 - 0.6 * month.progress
        if by_team:
            host = rng.choice(team)
        elif hosts and rng.random() < 0.3 + 0.3 * month.progress:
            host = rng.choice(hosts)  # someone who hosted before comes back
        else:
            host = rng.choice(staff)
        if not by_team and host not in hosts:
            hosts.append(host)
        community = rng.choice(COMMUNITIES) if rng.random() < 0.2 + 0.5 * month.progress else None
        sessions.append(
            HeldSession(
                date=_day(rng, month),
                title=rng.choice(TOPICS),
                hosts=(host,),
                attendees=tuple(rng.sample(staff, rng.randint(4, 14))),
                community=community,
                handed_off=by_team or rng.random() < 0.6 - 0.5 * month.progress,
                demo=True,
            )
        )
    return sessions


def _conversations(rng: random.Random, month: _Month) -> list[ConversationFact]:
    count = 60 + round(90 * month.progress) + rng.randint(-10, 10)
    return [
        ConversationFact(
            started_at=dt.datetime.combine(_day(rng, month), dt.time(9 + rng.randrange(9)), dt.UTC),
            handed_off=rng.random() < 0.14 - 0.09 * month.progress,
            unanswered=int(rng.random() < 0.18 - 0.1 * month.progress),
            demo=True,
        )
        for _ in range(count)
    ]


def _interests(rng: random.Random, month: _Month) -> list[InterestFact]:
    facts = []
    for _ in range(4 + round(8 * month.progress) + rng.randint(0, 3)):
        registered = _day(rng, month)
        became = None
        if rng.random() < 0.15 + 0.45 * month.progress:
            became = registered + dt.timedelta(
                days=rng.randint(35, 70) - round(25 * month.progress)
            )
        facts.append(InterestFact(registered, became, demo=True))
    return facts


class DemoService:
    """Load or remove the demo year (Learning Ops only)."""

    def __init__(self, store: DemoStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def seed(self, caller: Caller, seed: int = 2024, months: int = 12) -> DemoHistory:
        """Replace any demo history with the year ending this month."""
        require_team(caller)
        history = generate(seed, self._clock.now().date(), months)
        self._store.save(history)
        return history

    def current(self, caller: Caller) -> DemoHistory | None:
        """The demo year loaded now, if any."""
        require_team(caller)
        return self._store.load()

    def remove(self, caller: Caller) -> bool:
        require_team(caller)
        return self._store.remove()
