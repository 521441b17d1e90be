"""Who is who in the organisation the coach serves: its enabling team, HR and employee support,
its currency and working week, and how its folders map to kinds of document.

In order: settings (`COACH_TEAM_NAME`, …) win; then a `coach.toml` at the root of the first
knowledge folder; then what the knowledge itself says (a "who to ask" guide, the owner named in
the playbooks' front matter); then neutral words. Each name remembers where it came from, so
Learning Ops can see why the coach says what it says.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

PROFILE_FILE = "coach.toml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ProfileError(ValueError):
    """The profile file cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Contact:
    name: str
    contact: str | None = None
    source: str = "default"  # settings, coach.toml, a document path, or default

    def with_contact(self) -> str:
        return f"{self.name} ({self.contact})" if self.contact else self.name


@dataclass(frozen=True)
class OrganisationProfile:
    team: Contact = field(default_factory=lambda: Contact("your learning team"))
    hr: Contact = field(default_factory=lambda: Contact("HR"))
    wellbeing: Contact = field(default_factory=lambda: Contact("your employee support service"))
    currency: str | None = None
    working_week: tuple[int, ...] = (0, 1, 2, 3, 4)
    kinds: dict[str, str] = field(default_factory=dict)  # folder -> kind

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["working_week"] = list(self.working_week)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrganisationProfile:
        return cls(
            team=Contact(**data["team"]),
            hr=Contact(**data["hr"]),
            wellbeing=Contact(**data["wellbeing"]),
            currency=data.get("currency"),
            working_week=tuple(data.get("working_week", (0, 1, 2, 3, 4))),
            kinds=dict(data.get("kinds", {})),
        )

    def is_default(self, role: str) -> bool:
        contact: Contact = getattr(self, role)
        return contact.source == "default"

    def filled_from(self, other: OrganisationProfile) -> OrganisationProfile:
        """This profile, with what it left at the neutral defaults taken from `other`."""
        changes: dict[str, Any] = {
            role: getattr(other, role)
            for role in ("team", "hr", "wellbeing")
            if self.is_default(role) and not other.is_default(role)
        }
        if self.currency is None and other.currency:
            changes["currency"] = other.currency
        if not self.kinds and other.kinds:
            changes["kinds"] = other.kinds
        return replace(self, **changes)


def _contact(data: dict[str, Any], key: str, default: Contact, origin: str) -> Contact:
    name = data.get(key)
    if name is None:
        return default
    if not isinstance(name, str) or not name.strip():
        raise ProfileError(f"{origin}: `{key}` must be a non-empty string")
    contact = data.get(f"{key}_contact")
    if contact is not None and not isinstance(contact, str):
        raise ProfileError(f"{origin}: `{key}_contact` must be a string")
    return Contact(name.strip(), contact.strip() if contact else None, "coach.toml")


def parse_profile(text: str, origin: str = PROFILE_FILE) -> OrganisationProfile:
    """A profile from the text of a `coach.toml`; unknown keys are ignored, wrong types are
    errors that name the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{origin} is not valid TOML: {error}") from None
    base = OrganisationProfile()
    week = data.get("working_week", ["mon", "tue", "wed", "thu", "fri"])
    if not isinstance(week, list) or not week:
        raise ProfileError(f"{origin}: `working_week` must be a list of days, e.g. ['Mon', 'Tue']")
    try:
        days = tuple(sorted({WEEKDAYS.index(str(day).strip().lower()[:3]) for day in week}))
    except ValueError:
        raise ProfileError(f"{origin}: `working_week` has a day that is not a weekday") from None
    kinds = data.get("kinds", {})
    if not isinstance(kinds, dict) or not all(
        v in ("playbook", "session_note", "document") for v in kinds.values()
    ):
        raise ProfileError(f"{origin}: [kinds] maps folders to playbook, session_note or document")
    currency = data.get("currency")
    return OrganisationProfile(
        team=_contact(data, "team", base.team, origin),
        hr=_contact(data, "hr", base.hr, origin),
        wellbeing=_contact(data, "wellbeing", base.wellbeing, origin),
        currency=str(currency).upper() if currency else None,
        working_week=days,
        kinds={str(k).strip("/").lower(): str(v) for k, v in kinds.items()},
    )


def read_profile_file(root: Path) -> OrganisationProfile | None:
    """The profile at the root of a knowledge folder, if it has one."""
    path = (root if root.is_dir() else root.parent) / PROFILE_FILE
    if not path.is_file():
        return None
    return parse_profile(path.read_text(encoding="utf-8"), origin=str(path))


def saved_profile_path(data_dir: Path) -> Path:
    return data_dir / "profile.json"


def with_overrides(
    profile: OrganisationProfile, overrides: dict[str, str | None]
) -> OrganisationProfile:
    """`profile` with the names and contacts settings give (e.g. COACH_TEAM_NAME) instead."""
    changes: dict[str, Any] = {}
    for role in ("team", "hr", "wellbeing"):
        name, contact = overrides.get(f"{role}_name"), overrides.get(f"{role}_contact")
        if name or contact:
            current: Contact = getattr(profile, role)
            changes[role] = Contact(name or current.name, contact or current.contact, "settings")
    if currency := overrides.get("currency"):
        changes["currency"] = currency.upper()
    return replace(profile, **changes)


def save_profile(profile: OrganisationProfile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(profile.to_json(), indent=2), encoding="utf-8")
    temporary.replace(path)


def load_saved_profile(path: Path) -> OrganisationProfile:
    if not path.is_file():
        return OrganisationProfile()
    return OrganisationProfile.from_json(json.loads(path.read_text(encoding="utf-8")))
