"""Read what a session request says: topic, format, audience size, duration and date.

Explicit fields win; otherwise they are read from the text, so a chat message and the API
give the same plan, and a follow-up ("and for 40 people?") changes only what it mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from coach.bounds import Clamped, clamp_audience, clamp_duration_minutes, read_number
from coach.reading.quantities import find_quantities, normalise

_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:-|\s)?(minutes?|mins?|hours?|hrs?|h)\b|\b(an|one|half an) hour\b",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(
    r"(\d+)\s+(?:[\w-]+\s+)?(people|persons|attendees|participants|colleagues|engineers|"
    r"folks|guests|devs|developers|designers|managers|members)\b"
    r"|\bfor\s+(?:about\s+|around\s+|~)?(\d+)\b(?!\s*(?:minutes?|mins?|hours?|h)\b)"
    r"|\b(\d+)\s+(?:of\s+(?:us|them|you)\s+)?(?:sign(?:s|ed)?\s+up|register(?:s|ed)?|come|"
    r"turn\s+up|attend|join|show\s+up|in\s+(?:the\s+room|person))\b"
    r"|\b(\d+)\s+of\s+(?:us|them|you)\b",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_WRITTEN_DATE = re.compile(
    r"\b(\d{1,2})\s+(January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(\d{4})\b|\b(January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+(\d{1,2}),?\s+(\d{4})\b",
    re.IGNORECASE,
)
_TOPIC = re.compile(
    r"(?<![\w-])(?:on|about|around|covering|introducing|intro to|explaining)\s+(.+?)"
    r"(?=\s+(?:for|with|next|on \d+|in \d+|at|this|that|lasting)\b|[,.;?!]|$)",
    re.IGNORECASE,
)
_HYBRID = re.compile(r"\b(hybrid|remote|online|streamed|virtual)\b", re.IGNORECASE)
# Nobody in a room: "online-only", "fully remote", "purely virtual".
_ONLINE_ONLY = re.compile(
    r"\b(?:online|remote|virtual)[\s-]only\b|"
    r"\b(?:fully|entirely|only|purely|all)\s+(?:online|remote|virtual)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SessionRequest:
    request: str
    topic: str | None = None
    format: str | None = None
    audience_size: int | None = None
    duration_minutes: int | None = None
    date: dt.date | None = None
    hybrid: bool = False
    online_only: bool = False  # nobody in a room: no room to book

    def updated_by(self, follow_up: SessionRequest) -> SessionRequest:
        """This request with whatever the follow-up states replacing it."""
        changes = {
            name: value
            for name in ("topic", "format", "audience_size", "duration_minutes", "date")
            if (value := getattr(follow_up, name)) is not None
        }
        return replace(
            self,
            request=f"{self.request} / {follow_up.request}",
            hybrid=self.hybrid or follow_up.hybrid,
            online_only=self.online_only or follow_up.online_only,
            **changes,
        )

    def to_json(self) -> dict[str, Any]:
        data = dict(vars(self))
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SessionRequest:
        values = dict(data)
        values["date"] = dt.date.fromisoformat(values["date"]) if values.get("date") else None
        return cls(**values)


# What someone asks to organise: "run a coding dojo about…" → "coding dojo".
_FORMAT_PHRASE = re.compile(
    r"\b(?:plan|organi[sz]e|run|host|hold|set\s+up|prepare|draft|do|give|arrange|schedule|"
    r"put\s+on|put\s+together|pull\s+together|start|lead|facilitate|invite\s+\w+\s+to|for)\s+(?:me\s+|us\s+)?(?:an?|the|our|my|one|another)\s+"
    r"(?P<phrase>(?:[\w&'-]+\s+){0,3}?[\w&'-]+?)"
    r"(?=\s+(?:on|about|around|covering|for|with|next|this|in|at|introducing|where|that|"
    r"lasting|of)\b|[,.;?!]|$)",
    re.IGNORECASE,
)
_NOT_A_FORMAT = re.compile(r"^(?:plan|session\s+plan|draft|agenda|list|few|couple|lot)$", re.I)


def detect_format(text: str, known_formats: Iterable[str] = ()) -> str | None:
    """The format a request names: one the knowledge knows by name (front matter `format` of
    playbooks and notes), else the words the request uses for it ("hands-on workshop")."""

    def spaced(words: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"[-_]", " ", words.lower().replace("&", " and ")))

    asked = spaced(text)
    for name in sorted(known_formats, key=len, reverse=True):
        if re.search(rf"\b{re.escape(spaced(name))}s?\b", asked):
            return name
    match = _FORMAT_PHRASE.search(normalise(text))
    if match is None:
        return None
    phrase = re.sub(r"\s+", " ", match.group("phrase")).strip(" -")
    # "3 hour meetup evening" → "meetup evening": the length is not part of the format's name.
    phrase = re.sub(
        r"^(?:\d+(?:\.\d+)?|half)[\s-]*(?:minutes?|mins?|hours?|hrs?|h|days?)\s+", "", phrase
    )
    if not phrase or _NOT_A_FORMAT.match(phrase) or re.search(r"\d", phrase):
        return None
    return phrase.lower()


def _duration(text: str) -> int | None:
    return clamped.value if (clamped := _bounded_duration(text)) else None


def _bounded_duration(text: str) -> Clamped[int] | None:
    match = _DURATION.search(text)
    if not match:
        return None
    if match.group(3):
        return Clamped(30 if match.group(3).lower() == "half an" else 60)
    value, unit = read_number(match.group(1)), match.group(2).lower()
    return clamp_duration_minutes(round(value * 60) if unit.startswith("h") else round(value))


def _audience(text: str) -> int | None:
    return clamped.value if (clamped := _bounded_audience(text)) else None


def _bounded_audience(text: str) -> Clamped[int] | None:
    match = _AUDIENCE.search(text)
    if match:
        return clamp_audience(
            int(read_number(next(g for g in match.groups() if g and g.isdigit())))
        )
    # Any other word for people the rule reader knows ("45 coworkers", "30 trainees").
    people = next((q for q in find_quantities(text) if q.dimension == "people"), None)
    return clamp_audience(int(people.value)) if people else None


def clamp_notes(text: str) -> list[str]:
    """What `parse_request` clamped in `text` (see coach.bounds), for the answer to say."""
    digits = normalise(text)
    read = (_bounded_audience(digits), _bounded_duration(digits))
    return [clamped.note for clamped in read if clamped is not None and clamped.note]


EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def plausible(date: dt.date | None) -> dt.date | None:
    """Session dates outside 2000-2100 are typos, not plans."""
    return date if date is not None and EARLIEST <= date <= LATEST else None


def _date(text: str) -> dt.date | None:
    return plausible(_any_date(text))


def _any_date(text: str) -> dt.date | None:
    if match := _ISO_DATE.search(text):
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            return None
    if match := _WRITTEN_DATE.search(text):
        day, month, year = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1)
            else (match.group(5), match.group(4), match.group(6))
        )
        try:
            return dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
        except ValueError:
            return None
    return None


def _topic(text: str, format_name: str | None) -> str | None:
    match = _TOPIC.search(text)
    if not match:
        return None
    topic = match.group(1).strip(" '\"")
    if format_name:
        name = re.escape(format_name).replace(r"\-", "[- ]").replace(r"\ ", "[- ]")
        topic = re.sub(rf"\b(?:an?|the)?\s*{name}s?\b", "", topic, flags=re.I)
    topic = re.sub(r"\s+", " ", topic).strip(" -")
    return topic or None


def parse_request(text: str, known_formats: Iterable[str] = ()) -> SessionRequest:
    format_name = detect_format(text, known_formats)
    digits = normalise(text)  # "thirty colleagues", "ninety minutes"
    return SessionRequest(
        request=text.strip(),
        topic=_topic(text, format_name),
        format=format_name,
        audience_size=_audience(digits),
        duration_minutes=_duration(digits),
        date=_date(text),
        hybrid=bool(_HYBRID.search(text)),
        online_only=bool(_ONLINE_ONLY.search(text)),
    )


# How a request is read: `parse_request`, or a model's structured reading (coach.structured).
RequestReader = Callable[[str, Iterable[str]], SessionRequest]
