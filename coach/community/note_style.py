"""How this library writes its session notes, learnt from the notes it already holds: which
front-matter keys it uses for the host, the date, the attendance and the score (`host:` or
`presenter:`, `date:` or `held_on:`…), the keys every note has, the headings of its sections
("What worked" or "Keep", "What to change" or "Next time"), and how files are named. A new note
is drafted the same way, so it reads like the others and is indexed like them."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal

# What a front-matter key is for, by its name (the names organisations use for each).
KEY_ROLES: dict[str, re.Pattern[str]] = {
    "title": re.compile(r"^(?:title|name|subject)$", re.I),
    "host": re.compile(
        r"^(?:hosts?|hosted[_ -]?by|speakers?|presenters?|presented[_ -]?by|facilitators?|"
        r"facilitated[_ -]?by|organi[sz]ers?|organi[sz]ed[_ -]?by|led[_ -]?by|leads?|"
        r"run[_ -]?by|trainers?|instructors?|teachers?)$",
        re.I,
    ),
    "date": re.compile(r"date|^when$|^held|^on$|^day$", re.I),
    "attendees": re.compile(
        r"attend|headcount|turnout|participants|^people$|audience|^count$", re.I
    ),
    "score": re.compile(r"score|rating|^nps$|stars|satisf|^feedback$", re.I),
    "format": re.compile(r"^(?:format|type|session[_ -]?type)$", re.I),
    "tags": re.compile(r"^(?:tags?|keywords|topics|labels)$", re.I),
}
# What a section is for, by its heading; checked in this order ("what didn't work" is a change).
SECTION_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "change",
        re.compile(
            r"chang|differently|next\s+time|improv|lesson|better|wrong|didn.?t|did\s+not|"
            r"\btry\b|learn(?:ed|t)",
            re.I,
        ),
    ),
    ("worked", re.compile(r"work|went\s+well|keep|repeat|highlight|good|liked", re.I)),
    ("resources", re.compile(r"resource|link|material|slide|recording|further", re.I)),
    ("happened", re.compile(r"happen|summary|overview|recap|what\s+we\s+did|about|how\s+it", re.I)),
)
DEFAULT_HEADINGS = {
    "happened": "What happened",
    "worked": "What worked",
    "change": "What to change",
}
NOTHING_NOTED = "- (nothing noted)"
RESOURCES_TO_ADD = "- (links to slides, notes or a recording, if any)"
DEFAULT_KEYS = {
    "title": "title",
    "host": "host",
    "date": "date",
    "format": "format",
    "attendees": "attendees",
    "score": "feedback_score",
}
_FRONT = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w -]*?)\s*:\s*(?P<value>.*)$")
_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.+?)\s*#*\s*$", re.M)
_KIND_KEY = re.compile(r"^(?:kind|category|layout|template|doc[_ -]?type)$", re.I)
_KIND_VALUE = re.compile(r"^[\"']?session[ _-]?notes?[\"']?$", re.I)
_PLAIN = re.compile(r"^[A-Za-z0-9][\w .,&'()/+-]*$")

Naming = Literal["date", "month", "slug"]


@dataclass(frozen=True)
class NoteStyle:
    keys: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_KEYS))  # role -> key
    constants: Mapping[str, str] = field(default_factory=dict)  # key -> raw value every note has
    to_fill: tuple[str, ...] = ()  # other keys most notes have, left for the reviewer
    order: tuple[str, ...] = tuple(DEFAULT_KEYS.values())  # front-matter keys in order
    headings: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_HEADINGS))
    sections: tuple[str, ...] = ("happened", "worked", "change")  # section roles, in order
    level: int = 2
    title_heading: bool = True
    naming: Naming = "date"
    tags_as_list: bool = True
    examples: int = 0


@dataclass(frozen=True)
class _Parsed:
    keys: list[tuple[str, str]]
    headings: list[tuple[int, str]]
    name: str


def _parse(source: str, text: str) -> _Parsed:
    keys: list[tuple[str, str]] = []
    body = text
    if match := _FRONT.match(text):
        body = text[match.end() :]
        for line in match.group("yaml").splitlines():
            if line[:1].isspace() or not (found := _KEY_LINE.match(line)):
                continue
            keys.append((found.group("key").strip(), found.group("value").strip()))
    headings = [(len(m.group("level")), m.group("text")) for m in _HEADING.finditer(body)]
    return _Parsed(keys, headings, PurePosixPath(source).name)


def key_role(key: str) -> str | None:
    return next((role for role, pattern in KEY_ROLES.items() if pattern.search(key)), None)


def section_role(heading: str) -> str | None:
    return next((role for role, pattern in SECTION_ROLES if pattern.search(heading)), None)


def learn_style(examples: Sequence[tuple[str, str]]) -> NoteStyle:
    """The style of these notes ((source, Markdown) pairs); the default style without any."""
    parsed = [_parse(source, text) for source, text in examples]
    if not parsed:
        return NoteStyle()
    keys, constants, to_fill, order = _front_matter(parsed)
    headings, sections, level = _sections(parsed)
    half = len(parsed) / 2
    tags_key = keys.get("tags")
    tag_values = [v for p in parsed for k, v in p.keys if k == tags_key]
    return NoteStyle(
        keys=keys,
        constants=constants,
        to_fill=to_fill,
        order=order,
        headings=headings,
        sections=sections,
        level=level,
        title_heading=sum(any(lv == 1 for lv, _ in p.headings) for p in parsed) >= half,
        naming=_naming(p.name for p in parsed),
        tags_as_list=not tag_values
        or sum(v[:1] in ("[", "") for v in tag_values) >= len(tag_values) / 2,
        examples=len(parsed),
    )


def _front_matter(
    parsed: Sequence[_Parsed],
) -> tuple[dict[str, str], dict[str, str], tuple[str, ...], tuple[str, ...]]:
    """The key used for each role, the keys every note gives the same value, the other usual
    keys, and the usual order of keys."""
    used: dict[str, Counter[str]] = {}
    counts: Counter[str] = Counter()
    values: dict[str, set[str]] = {}
    positions: dict[str, list[float]] = {}
    for note in parsed:
        for index, (key, value) in enumerate(note.keys):
            counts[key] += 1
            values.setdefault(key, set()).add(value)
            positions.setdefault(key, []).append(index / max(1, len(note.keys)))
            if role := key_role(key):
                used.setdefault(role, Counter())[key] += 1
    usual = [k for k, n in counts.items() if n >= len(parsed) / 2]
    # What kind of document it is ("kind: session_note"), stated the same in every note.
    constants = {
        k: next(iter(values[k]))
        for k in usual
        if len(values[k]) == 1 and (_KIND_KEY.match(k) or _KIND_VALUE.match(next(iter(values[k]))))
    }
    keys = {
        role: counter.most_common(1)[0][0]
        for role, counter in used.items()
        if counter.most_common(1)[0][0] not in constants
    }
    to_fill = tuple(k for k in usual if k not in keys.values() and k not in constants)
    kept = set(keys.values()) | set(constants) | set(to_fill)
    order = tuple(sorted(kept, key=lambda k: sum(positions[k]) / len(positions[k])))
    return keys, constants, to_fill, order


def _sections(parsed: Sequence[_Parsed]) -> tuple[dict[str, str], tuple[str, ...], int]:
    """The usual heading of each kind of section, their usual order, and their level."""
    texts: dict[str, Counter[str]] = {}
    places: dict[str, list[int]] = {}
    levels: Counter[int] = Counter()
    for note in parsed:
        inner = [(lv, text) for lv, text in note.headings if lv > 1]
        for place, (level, text) in enumerate(inner):
            if (role := section_role(text)) is None:
                continue
            levels[level] += 1
            texts.setdefault(role, Counter())[text] += 1
            places.setdefault(role, []).append(place)
    headings = dict(DEFAULT_HEADINGS) | {"resources": "Resources"}
    headings |= {role: counter.most_common(1)[0][0] for role, counter in texts.items()}
    found = sorted(places, key=lambda role: sum(places[role]) / len(places[role]))
    sections = tuple(found) + tuple(r for r in ("worked", "change") if r not in found)
    return headings, sections, levels.most_common(1)[0][0] if levels else 2


def _naming(names: Iterable[str]) -> Naming:
    kinds: Counter[Naming] = Counter()
    for name in names:
        if re.match(r"^\d{4}-\d{2}-\d{2}", name):
            kinds["date"] += 1
        elif re.match(r"^\d{4}-\d{2}", name):
            kinds["month"] += 1
        else:
            kinds["slug"] += 1
    return kinds.most_common(1)[0][0] if kinds else "date"


@dataclass(frozen=True)
class NoteContent:
    title: str
    host: str
    date: dt.date
    format: str = ""
    attendees: int | None = None
    score: float | None = None
    summary: str = ""
    worked: tuple[str, ...] = ()
    change: tuple[str, ...] = ()


@dataclass(frozen=True)
class DraftedNote:
    filename: str
    text: str
    to_fill: tuple[str, ...]


def render_note(style: NoteStyle, note: NoteContent) -> DraftedNote:
    """The note as this library writes them: its keys, its headings, its file names. What the
    library's notes record that the note does not know is left empty, for the reviewer."""
    values = _role_values(note)
    lines = ["---"]
    to_fill: list[str] = []
    for key in style.order:
        role = next((r for r, k in style.keys.items() if k == key), None)
        if key in style.constants:
            lines.append(f"{key}: {style.constants[key]}")
        elif role == "tags":
            lines.append(f"{key}: []" if style.tags_as_list else f"{key}: ")
            to_fill.append(key)
        elif role is not None and values.get(role) is not None:
            lines.append(f"{key}: {_scalar(values[role])}")
        else:
            lines.append(f'{key}: ""')
            to_fill.append(key)
    lines += ["---", ""]
    if style.title_heading:
        lines += [f"# {note.title}", ""]
    lines += _body(style, note)
    if "resources" in style.sections:
        to_fill.append(f"{'#' * style.level} {style.headings['resources']}")
    return DraftedNote(_filename(style, note), "\n".join(lines).rstrip() + "\n", tuple(to_fill))


def _role_values(note: NoteContent) -> dict[str, object]:
    return {
        "title": note.title,
        "host": note.host,
        "date": note.date.isoformat(),
        "format": note.format or None,
        "attendees": note.attendees,
        "score": note.score,
    }


def _body(style: NoteStyle, note: NoteContent) -> list[str]:
    """The sections in the library's order; the facts its front matter does not hold are
    written in the opening paragraph, where the indexer reads them too."""
    opening = f"Hosted by {note.host} on {note.date:%d %B %Y}."
    if note.attendees is not None:
        opening += f" {note.attendees} {'person' if note.attendees == 1 else 'people'} came."
    if note.score is not None and "score" not in style.keys:
        opening += f" Feedback score {note.score:g} out of 5."
    if note.summary:
        opening += f" {note.summary.strip()}"
    items = {"worked": note.worked, "change": note.change}
    marker = "#" * style.level
    lines: list[str] = []
    if "happened" in style.sections:
        lines += [f"{marker} {style.headings['happened']}", ""]
    lines += [opening, ""]
    for role in style.sections:
        if role in items:
            lines += [f"{marker} {style.headings[role]}", ""]
            lines += [f"- {item}" for item in items[role]] or [NOTHING_NOTED]
            lines.append("")
        elif role == "resources":
            lines += [f"{marker} {style.headings[role]}", "", RESOURCES_TO_ADD, ""]
    return lines


def _scalar(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text if _PLAIN.match(text) and ": " not in text else json.dumps(text, ensure_ascii=False)


def _filename(style: NoteStyle, note: NoteContent) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", note.title.lower()).strip("-")[:60].strip("-") or "session"
    if style.naming == "date":
        return f"{note.date.isoformat()}-{slug}.md"
    if style.naming == "month":
        return f"{note.date:%Y-%m}-{slug}.md"
    return f"{slug}.md"
