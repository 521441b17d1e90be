"""Quantities in a sentence, typed, with where they are.

Numbers written in words become digits first (`text2num`, the maintained parser for eight
languages), then everyday expressions that carry a number without writing one ("a fortnight",
"half an hour", "half a day", "a dozen") are spelled out. A small grammar then composes
typed values from the pieces, as Duckling does: a number and a time unit make a duration, a
currency and a number make money, a number and a word for people make a head count.

Durations of minutes and hours are given in minutes; calendar durations keep their unit (day,
working_day, week, month, year), because "10 working days" is not "2 weeks".
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Literal

from text_to_num import alpha2digit

Dimension = Literal["duration", "money", "people", "percent", "number"]

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"


@dataclass(frozen=True)
class Quantity:
    dimension: Dimension
    value: float
    unit: str  # minute, day, working_day, week, month, year, person, percent, a currency code
    start: int
    end: int
    low: float | None = None  # the lower end of a range ("90-180 minutes")

    @property
    def is_calendar(self) -> bool:
        return self.unit in ("day", "working_day", "week", "month", "year")


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


# --- Spelling out the numbers that everyday expressions imply ------------------------------

_TIME_UNIT = r"(hour|minute|day|week|month|year)"
# fmt: off
_IMPLIED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:an?|1)\s+fortnight\b|\bfortnight\b", re.I), "2 weeks"),
    (re.compile(r"\b(\d+)\s+fortnights\b", re.I), r"\1 fortnights"),
    (re.compile(r"\b(?:an?|1)\s+dozen\b", re.I), "12"),
    (re.compile(r"\b(?:an?|1)\s+hour\s+and\s+a\s+half\b", re.I), "90 minutes"),
    (re.compile(r"\b(?:an?|1)\s+hour\s+and\s+a\s+quarter\b", re.I), "75 minutes"),
    (re.compile(r"\b(?:3\s+quarters|three\s+quarters)\s+of\s+an\s+hour\b", re.I), "45 minutes"),
    (
        re.compile(r"\b(?:an?|1|the\s+\w+)?\s*quarter[\s-]+(?:of\s+an\s+)?hour\b", re.I),
        "15 minutes",
    ),
    (re.compile(r"\bhalf[\s-]+(?:an?\s+)?hour\b", re.I), "30 minutes"),
    (re.compile(r"\bhalf[\s-]+(?:a\s+)?day\b", re.I), "0.5 day"),
    (re.compile(r"\b(\d+)\s+and\s+a\s+half\s+" + _TIME_UNIT + r"s?\b", re.I), r"\1.5 \2s"),
    (re.compile(r"\b(?:an?|1)\s+" + _TIME_UNIT + r"-long\b", re.I), r"1-\1"),
    (re.compile(r"\bevery\s+(?:other|second)\s+week\b", re.I), "every 2 weeks"),
    (re.compile(r"\bevery\s+" + _TIME_UNIT + r"\b", re.I), r"every 1 \1"),
    (
        re.compile(r"\bhalf\s+(?:of\s+)?(?=(?:the|their|your|its|our|any|each|every|a)\b)", re.I),
        "50% of ",
    ),
    (re.compile(r"\b(?:a|one)\s+third\s+of\b", re.I), "33% of"),
    (re.compile(r"\b(?:2|two)\s+thirds\s+of\b", re.I), "67% of"),
    (re.compile(r"\b(?:3|three)\s+quarters\s+of\b", re.I), "75% of"),
]
# fmt: on
# "a week ahead", "an hour": the article is the number one, except in rates ("3 hours a week",
# "once a month", "per day"), where it means "each".
_ARTICLE_UNIT = re.compile(r"\b(an?)\s+" + _TIME_UNIT + r"\b", re.IGNORECASE)
_RATE_BEFORE = re.compile(
    r"(once|twice|times|per|\d+(?:\.\d+)?\s*(?:hours?|hrs?|h|minutes?|mins?|days?|sessions?|"
    r"meetings?|[a-z]+s))\s*$",
    re.IGNORECASE,
)


def _article_as_one(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if _RATE_BEFORE.search(text[: match.start()]):
            return match.group(0)
        return f"1 {match.group(2)}"

    return _ARTICLE_UNIT.sub(replace, text)


_WORD_UNIT_COMPOUND = re.compile(
    r"\b([a-z]+)-(minutes?|hours?|days?|weeks?|months?|person|people|seat|seater)\b", re.I
)


def normalise(text: str) -> str:
    """`text` with numbers as digits: "forty-five minutes" → "45 minutes", "a fortnight" →
    "2 weeks", "half an hour" → "30 minutes"."""
    # "three-hour", "ninety-minute": the parser reads number words, not compounds with units.
    text = _WORD_UNIT_COMPOUND.sub(r"\1 \2", text)
    # The parser is strict about odd input; the text is still usable without it.
    with contextlib.suppress(Exception):
        text = alpha2digit(text, "en", threshold=0)
    for pattern, replacement in _IMPLIED:
        text = pattern.sub(replacement, text)
    return _article_as_one(text)


# --- The grammar ----------------------------------------------------------------------------

_CALENDAR_UNITS = {
    "working day": "working_day", "business day": "working_day", "work day": "working_day",
    "workday": "working_day", "weekday": "working_day", "calendar day": "day", "day": "day",
    "week": "week", "month": "month", "year": "year", "fortnight": "fortnight",
}  # fmt: skip
_TIME_UNIT = (
    r"(?:working|business|work|calendar|week)[\s-]?days?|workdays?|weekdays?|days?|"
    r"weeks?|fortnights?|months?|years?|minutes?|mins?\b\.?|hours?|hrs?\b|hr\b|h\b"
)
# "between 1 and 3 hours", "between 1 hour and 3 hours", "30 to 45 minutes"
_DURATION = re.compile(
    rf"(?:between\s+(?P<low1>{_NUM})\s*(?P<lowunit>{_TIME_UNIT})?\s+and\s+|"
    rf"(?P<low2>{_NUM})\s*(?:-|–|to)\s*)?"
    rf"(?P<num>{_NUM})\s*-?\s*(?P<unit>{_TIME_UNIT})",
    re.IGNORECASE,
)
_CURRENCY_SIGNS = {
    "€": "EUR", "£": "GBP", "$": "$", "a$": "AUD", "au$": "AUD", "us$": "USD", "c$": "CAD",
    "ca$": "CAD", "nz$": "NZD", "s$": "SGD", "₹": "INR", "¥": "JPY",
}  # fmt: skip
_CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP", "quid": "GBP",
    "dollar": "$", "dollars": "$", "franc": "CHF", "francs": "CHF", "swiss franc": "CHF",
    "swiss francs": "CHF", "rupees": "INR", "yen": "JPY", "krona": "SEK", "kronor": "SEK",
    "krone": "NOK", "zloty": "PLN",
}  # fmt: skip
_CODES = r"EUR|GBP|USD|AUD|CAD|CHF|NZD|SGD|INR|JPY|SEK|NOK|DKK|PLN|ZAR|BRL|MXN"
_SIGNS = r"(?:A|AU|US|C|CA|NZ|S)?\$|€|£|₹|¥"
_MONEY = re.compile(
    rf"(?:(?P<pre>{_SIGNS}|\b(?:{_CODES})\b)\s?(?P<num1>{_NUM})\s*(?P<k1>k\b|thousand\b)?)"
    rf"|(?:\b(?P<num2>{_NUM})\s*(?P<k2>k\b|thousand\b)?\s*"
    rf"(?P<post>\b(?:{_CODES})\b|€|(?:swiss\s+)?francs?\b|euros?\b|pounds?\b|dollars?\b|quid\b|"
    r"rupees\b|yen\b|kron[aeo]r?\b|zloty\b))",
    re.IGNORECASE,
)
# Words for people, as a head count ("30 colleagues", "16 hands-on participants").
_PEOPLE_NOUNS = (
    r"people|persons?|participants?|attendees?|guests?|colleagues?|learners?|employees?|"
    r"members?|delegates?|trainees?|students?|staff|folks?|listeners?|viewers?|visitors?|"
    r"seats?|places|spots|registrants|heads|pax|individuals|coworkers|co-workers|teammates|"
    r"audience members|joiners|signups|sign-ups|registrations"
)
_PEOPLE = re.compile(
    rf"(?:(?P<low>{_NUM})\s*(?:-|–|to)\s*)?(?P<num>{_NUM})\s+"
    rf"(?:(?!(?:{_PEOPLE_NOUNS})\b)[a-z][\w-]*\s+){{0,2}}(?P<noun>{_PEOPLE_NOUNS})\b",
    re.IGNORECASE,
)
# "30 in the room", "12 in person": a number of people without the word for them.
_PRESENT = re.compile(
    rf"(?<![\w.:/-])(?P<num>{_NUM})\s+(?:in\s+(?:the\s+)?room|in[\s-]person|on[\s-]site)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUM})\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_BARE = re.compile(rf"(?<![\w.:/-])(?P<num>{_NUM})(?![\w:/-]|\.\d)")


def _duration_unit(raw: str) -> tuple[str, float]:
    """The unit and the factor that turns the written number into that unit."""
    word = re.sub(r"[\s-]+", " ", raw.lower().rstrip(".")).rstrip("s")
    if word in ("minute", "min", "m"):
        return "minute", 1.0
    if word in ("hour", "hr", "h"):
        return "minute", 60.0
    unit = _CALENDAR_UNITS.get(word)
    if unit == "fortnight":
        return "week", 2.0
    return (unit or "day"), 1.0


def currency_code(raw: str, dollar: str = "USD") -> str:
    """The ISO code of a written currency; a bare dollar is the organisation's own."""
    key = raw.lower().strip()
    code = _CURRENCY_SIGNS.get(key) or _CURRENCY_WORDS.get(key) or raw.upper()
    return dollar if code == "$" else code


def find_quantities(text: str, *, dollar: str = "USD") -> list[Quantity]:
    """Every quantity in (normalised) `text`, in order, none overlapping another. Money wins
    over a bare number, a duration over a head count."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def claim(quantity: Quantity) -> None:
        if all(quantity.end <= a or quantity.start >= b for a, b in taken):
            found.append(quantity)
            taken.append((quantity.start, quantity.end))

    for m in _MONEY.finditer(text):
        raw = m.group("num1") or m.group("num2")
        value = _number(raw) * (1000 if (m.group("k1") or m.group("k2")) else 1)
        code = currency_code(m.group("pre") or m.group("post"), dollar)
        claim(Quantity("money", value, code, m.start(), m.end()))
    for m in _DURATION.finditer(text):
        unit, factor = _duration_unit(m.group("unit"))
        low = m.group("low1") or m.group("low2")
        low_unit, low_factor = _duration_unit(m.group("lowunit") or m.group("unit"))
        claim(
            Quantity(
                "duration",
                _number(m.group("num")) * factor,
                unit,
                m.start(),
                m.end(),
                low=_number(low) * low_factor if low and low_unit == unit else None,
            )
        )
    for m in _PERCENT.finditer(text):
        claim(Quantity("percent", _number(m.group("num")), "percent", m.start(), m.end()))
    for m in _PEOPLE.finditer(text):
        low = m.group("low")
        quantity = Quantity(
            "people", _number(m.group("num")), "person", m.start(), m.end(),
            low=_number(low) if low else None,
        )  # fmt: skip
        claim(quantity)
    for m in _PRESENT.finditer(text):
        claim(Quantity("people", _number(m.group("num")), "person", m.start(), m.end()))
    for m in _BARE.finditer(text):
        claim(Quantity("number", _number(m.group("num")), "", m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)
