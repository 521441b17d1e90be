"""Bounds for the numbers people type: weeks, hours a week, audience size, session length.

One place for them, shared by the REST schemas (which refuse a value out of bounds with a 422)
and by everything that reads a number from free text (chat, the OpenAI-compatible route, the
web UI), which clamps it and says so: "for the next 50000000 weeks" must not build a plan week
by week for a million years.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

N = TypeVar("N", int, float)

MIN_WEEKS, MAX_WEEKS = 1, 104
# The REST schema takes any time above 0 and up to 40 hours; none at all plans with half an hour.
MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 0.0, 40.0
FEWEST_HOURS_PER_WEEK = 0.5
MIN_AUDIENCE, MAX_AUDIENCE = 1, 10_000
MIN_DURATION_MINUTES, MAX_DURATION_MINUTES = 5, 1440


# Digits past this many are beyond every bound; reading them whole would only cost time (and
# Python refuses int() of more than 4300 digits).
_MAX_DIGITS = 12
_HUGE = 10**_MAX_DIGITS


def read_number(digits: str) -> float:
    """A number as typed ("40", "2.5", "50000000"), without ever reading thousands of digits."""
    whole, _, fraction = digits.partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > _MAX_DIGITS:
        return float(_HUGE)
    return float(f"{whole}.{fraction[:6] or 0}")


@dataclass(frozen=True)
class Clamped(Generic[N]):
    """A value inside its bounds, and why it changed (None when it was already inside)."""

    value: N
    note: str | None = None


def _clamp(value: N, low: N, high: N, what: str, unit: str) -> Clamped[N]:
    if value > high:
        return Clamped(high, f"{what} is capped at {high:g} {unit}; planned with {high:g}.")
    if value < low:
        return Clamped(low, f"{what} is at least {low:g} {unit}; planned with {low:g}.")
    return Clamped(value)


def clamp_weeks(value: int) -> Clamped[int]:
    return _clamp(int(value), MIN_WEEKS, MAX_WEEKS, "A learning plan", "weeks")


def clamp_hours_per_week(value: float) -> Clamped[float]:
    if value <= MIN_HOURS_PER_WEEK:
        return _clamp(
            float(value), FEWEST_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK, "Study time", "hours a week"
        )
    return _clamp(
        float(value), MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK, "Study time", "hours a week"
    )


def clamp_audience(value: int) -> Clamped[int]:
    return _clamp(int(value), MIN_AUDIENCE, MAX_AUDIENCE, "The audience", "people")


def clamp_duration_minutes(value: int) -> Clamped[int]:
    return _clamp(int(value), MIN_DURATION_MINUTES, MAX_DURATION_MINUTES, "A session", "minutes")
