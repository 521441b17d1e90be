"""Read what a session request says: topic, format, audience size, duration and date.

Explicit fields win; otherwise they are read from the text, so a chat message and the API
give the same plan, and a follow-up ("and for 40 people?") changes only what it mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from coach.bounds import Clamped, clamp_audience, clamp_duration_minutes, read_number

# Everyday names of the bundled formats; formats named in other playbooks' front matter
# ("tech-talk") are recognised by their own words.
FORMAT_SYNONYMS = {
    "brown-bag": ("brown-bag", "brown bag", "brownbag"),
    "lunch-and-learn": ("lunch and learn", "lunch & learn", "lunch-and-learn", "lunch n learn"),
    "workshop": ("workshop", "hands-on session", "training session"),
    "guest-talk": ("guest talk", "guest speaker", "external speaker", "external guest", "guest"),
    "community-meetup": ("meetup", "meet-up", "community of practice", "guild meeting"),
}
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:-|\s)?(minutes?|mins?|hours?|hrs?|h)\b|\b(an|one|half an) hour\b",
    re.IGNORECASE,
)
_AUDIENCE = re.compile(
    r"(\d+)\s+(?:[\w-]+\s+)?(people|persons|attendees|participants|colleagues|engineers|"
    r"folks|guests|devs|developers|designers|managers|members)\b"
    r"|\bfor\s+(?:about\s+|around\s+|~)?(\d+)\b(?!\s*(?:minutes?|mins?|hours?|h)\b)",
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


@dataclass(frozen=True)
class SessionRequest:
    request: str
    topic: str | None = None
    format: str | None = None
    audience_size: int | None = None
    duration_minutes: int | None = None
    date: dt.date | None = None
    hybrid: bool = False

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


def detect_format(text: str, known_formats: Iterable[str] = ()) -> str | None:
    lowered = text.lower()
    spaced = lowered.replace("-", " ")
    for name in known_formats:
        if name.replace("-", " ") in spaced:
            return name
    for name, synonyms in FORMAT_SYNONYMS.items():
        if any(s in lowered for s in synonyms):
            return name
    return None


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
    if not match:
        return None
    return clamp_audience(int(read_number(match.group(1) or match.group(3))))


def clamp_notes(text: str) -> list[str]:
    """What `parse_request` clamped in `text` (see coach.bounds), for the answer to say."""
    read = (_bounded_audience(text), _bounded_duration(text))
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
    for synonyms in FORMAT_SYNONYMS.values():
        for word in synonyms:
            topic = re.sub(rf"\b(a|an|the)?\s*{re.escape(word)}\b", "", topic, flags=re.I)
    if format_name:
        topic = re.sub(re.escape(format_name.replace("-", " ")), "", topic, flags=re.I)
    topic = re.sub(r"\s+", " ", topic).strip(" -")
    return topic or None


def parse_request(text: str, known_formats: Iterable[str] = ()) -> SessionRequest:
    format_name = detect_format(text, known_formats)
    return SessionRequest(
        request=text.strip(),
        topic=_topic(text, format_name),
        format=format_name,
        audience_size=_audience(text),
        duration_minutes=_duration(text),
        date=_date(text),
        hybrid=bool(_HYBRID.search(text)),
    )
