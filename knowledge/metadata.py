"""What a document is and who ran it, read from its front matter under whatever names the
organisation uses, or from its text when it has none.

Kind: front matter `kind` (or `type` when its value is a kind), then the organisation's
folder-to-kind map, then the conventional folders (`playbooks/`, `sessions/`), then the content:
a dated note with a host and an attendance figure or a look back ("what worked", "next time")
is a session note; anything else is a playbook.

People and facts of a session note: the host under any of the usual keys (host, speaker,
presenter, facilitator, organiser, led by…) or from "run by <Name>" in the text; the date
under any date-like key or from the text; attendance and feedback score likewise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

# Bump when how kinds, people or front matter are read, or how files are chunked, changes: the
# next ingest re-reads unchanged files, and embeds again only the chunks whose text changed.
READER_VERSION = "4"

KINDS = ("playbook", "session_note", "document")
CONVENTIONAL_FOLDERS = {
    "playbooks": "playbook",
    "sessions": "session_note",
    "documents": "document",
}

_HOST_KEY = re.compile(
    r"^(?:hosts?|hosted[_ -]?by|speakers?|presenters?|presented[_ -]?by|facilitators?|"
    r"facilitated[_ -]?by|organi[sz]ers?|organi[sz]ed[_ -]?by|led[_ -]?by|leads?|run[_ -]?by|"
    r"trainers?|instructors?|teachers?|moderators?|owners?[_ -]?of[_ -]?session)$",
    re.IGNORECASE,
)
_DATE_KEY = re.compile(r"date|^when$|^held|^on$|^day$", re.IGNORECASE)
_ATTENDEES_KEY = re.compile(
    r"attend|headcount|turnout|participants|^people$|audience|^count$|^size$|registr|^seats$",
    re.IGNORECASE,
)
_SCORE_KEY = re.compile(r"score|rating|^nps$|stars|satisf|^feedback$", re.IGNORECASE)
_FORMAT_KEY = re.compile(r"^(?:format|type|session[_ -]?type|kind)$", re.IGNORECASE)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|der|da|di|du|bin|al|la|le))+"
_HOST_IN_TEXT = re.compile(
    rf"\b(?i:hosted|run|led|presented|facilitated|organi[sz]ed|given|delivered|taught|"
    rf"moderated)\s+(?i:by)\s+(?P<name>{_NAME})"
)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WRITTEN_DATE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTHS})\s+(?P<y1>\d{{4}})\b"
    rf"|\b(?P<m2>{_MONTHS})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})\b",
    re.IGNORECASE,
)
_ATTENDANCE_IN_TEXT = re.compile(
    r"\b(?P<n>\d+)\s+(?:people|attendees|participants|colleagues|folks|guests|of\s+us)\s+"
    r"(?:came|attended|joined|showed\s+up|turned\s+up|took\s+part|were\s+there)"
    r"|\b(?:attendance|turnout|headcount)\W{0,3}(?:was\s+|of\s+)?(?P<m>\d+)\b",
    re.IGNORECASE,
)
_LOOKING_BACK = re.compile(
    r"^#+\s*.*\b(?:what\s+(?:worked|went)|keep|change|next\s+time|improve|lessons?|learn(?:ed|t)|"
    r"retro|takeaways?|went\s+well|feedback|do\s+differently)\b",
    re.IGNORECASE | re.MULTILINE,
)

Scalar = str | int | float | bool


def kind_value(raw: Any) -> str | None:
    """A front-matter value naming one of the kinds ("Session note", "session-note")."""
    if not isinstance(raw, str):
        return None
    word = re.sub(r"[\s-]+", "_", raw.strip().lower()).rstrip("s")
    return word if word in KINDS else None


def date_in(value: Any) -> str | None:
    """An ISO date from a front-matter value or a piece of text, if it holds one."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if match := _ISO_DATE.search(text):
        return match.group(1)
    if match := _WRITTEN_DATE.search(text):
        day = match.group("d1") or match.group("d2")
        month = match.group("m1") or match.group("m2")
        year = match.group("y1") or match.group("y2")
        try:
            return dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date().isoformat()
        except ValueError:
            return None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = re.search(r"\d+(?:\.\d+)?", str(value))
    return float(match.group(0)) if match else None


def _person(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        names = [str(v).strip() for v in value if str(v).strip()]
        return ", ".join(names) or None
    text = str(value).strip()
    return text or None


def session_facts(front: Mapping[str, Any], body: str) -> dict[str, Scalar]:
    """Host, date, attendees, feedback score and format, normalised to those key names."""
    facts: dict[str, Scalar] = {}
    for key, value in front.items():
        name = str(key).strip()
        if "host" not in facts and _HOST_KEY.match(name) and (person := _person(value)):
            facts["host"] = person
        elif "date" not in facts and _DATE_KEY.search(name) and (date := date_in(value)):
            facts["date"] = date
        elif "attendees" not in facts and _ATTENDEES_KEY.search(name):
            if (count := _number(value)) is not None:
                facts["attendees"] = int(count)
        elif "feedback_score" not in facts and _SCORE_KEY.search(name):
            if (score := _number(value)) is not None:
                facts["feedback_score"] = score
        elif (
            "format" not in facts
            and _FORMAT_KEY.match(name)
            and not kind_value(value)
            and isinstance(value, str)
            and value.strip()
        ):
            facts["format"] = value.strip()
    if "host" not in facts and (host := _HOST_IN_TEXT.search(body)):
        facts["host"] = host.group("name").strip()
    if "date" not in facts and (date := date_in(body[:600])):
        facts["date"] = date
    if "attendees" not in facts and (seen := _ATTENDANCE_IN_TEXT.search(body)):
        facts["attendees"] = int(seen.group("n") or seen.group("m"))
    return facts


def kind_of(
    source: str,
    front: Mapping[str, Any],
    facts: Mapping[str, Scalar],
    body: str,
    folder_kinds: Mapping[str, str] | None = None,
) -> str:
    """The document's kind (see the module's docstring for the order)."""
    for key in ("kind", "type"):
        if kind := kind_value(front.get(key)):
            return kind
    folders = PurePosixPath(source).parts[:-1]
    for folder_map in (folder_kinds or {}, CONVENTIONAL_FOLDERS):
        for index in range(len(folders), 0, -1):
            path = "/".join(folders[:index]).strip("/").lower()
            if (kind := folder_map.get(path)) in KINDS:
                return str(kind)
        if any((kind := folder_map.get(f.lower())) in KINDS for f in folders):
            return str(kind)
    looks_back = bool(_LOOKING_BACK.search(body))
    evidence = ("attendees" in facts) + ("feedback_score" in facts) + looks_back
    if facts.get("host") and facts.get("date") and evidence:
        return "session_note"
    return "playbook"
