"""Every rule the playbooks state, read once per version of the index, and the ones that
bind a given session: its format's playbook, limits other guides set for that format, the rooms
anyone lists, and the guidance a guest speaker or a hybrid session brings.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from coach.domain import RuleDecision
from coach.ports import RuleCorrections
from coach.reading.reader import read_text
from coach.reading.rules import Rule, RuleKind
from coach.store import Chunk, KnowledgeStore
from coach.text import content_words, stem

# Limits that belong to one format: another format's are never applied to a plan.
FORMAT_LIMITS = ("max_duration", "min_duration", "capacity", "per_facilitator", "practice_share")


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text.replace("&", " and "))}


def same_format(a: str | None, b: str | None) -> bool:
    """Whether two names of formats name the same one ("lunch & learns", "lunch-and-learn";
    "workshops", "hands-on workshop")."""
    if not a or not b:
        return False
    left, right = _stems(a), _stems(b)
    return bool(left and right) and (left <= right or right <= left)


@dataclass(frozen=True)
class Room:
    name: str
    seats: int
    rule: Rule


RuleStatus = Literal["read", "confirmed", "corrected", "ignored", "needs_review"]
_STATUS: dict[str, RuleStatus] = {"confirm": "confirmed", "ignore": "ignored"}


@dataclass(frozen=True)
class ReviewedRule:
    """A rule as it binds plans (corrected, when it was), and Learning Ops' say on it: read
    (nobody has looked), confirmed, corrected, ignored, or needs_review (its sentence replaced
    one they had decided about)."""

    rule: Rule
    status: RuleStatus
    # The decision behind the status; for needs_review, the one about the sentence it replaced.
    decision: RuleDecision | None = None


@dataclass(frozen=True)
class Review:
    """What the coach reads in one playbook, for Learning Ops to confirm or correct."""

    source: str
    title: str
    rules: list[ReviewedRule]
    # Decisions about sentences the document no longer has: they no longer apply.
    stale: list[RuleDecision]


@dataclass(frozen=True)
class _Playbook:
    title: str
    rules: list[Rule]
    text: str  # its passages, whitespace collapsed: is a decision's sentence still there?
    # Each section's opening line, by heading: "Our open evenings for neighbours." says what
    # else the section's format is called.
    openings: dict[str, str] = field(default_factory=dict)


Decisions = dict[str, dict[str, RuleDecision]]  # source -> sentence -> decision


class RuleBook:
    """The rules of the playbooks, with the sentence (or table row) each came from, and Learning
    Ops' corrections over them (a correction wins over what was read)."""

    def __init__(
        self,
        store: KnowledgeStore,
        *,
        dollar: str = "USD",
        corrections: RuleCorrections | None = None,
    ) -> None:
        self._store = store
        self._dollar = dollar
        self.corrections = corrections
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._by_source: dict[str, _Playbook] = {}
        self._format_names: set[str] = set()

    def _load(self) -> dict[str, _Playbook]:
        generation = self._store.generation()
        with self._lock:
            if generation != self._generation:
                chunks: dict[str, list[Chunk]] = {}
                for chunk in self._store.all_chunks():
                    if chunk.metadata.get("kind") == "playbook":
                        chunks.setdefault(str(chunk.metadata["source"]), []).append(chunk)
                read = {s: self._read(c) for s, c in chunks.items()}
                names = _format_names(
                    self._store.metadata_values("format"),
                    [r for p in read.values() for r in p.rules],
                )
                self._by_source = {
                    s: replace(p, rules=[_scoped_by_name(r, names) for r in p.rules])
                    for s, p in read.items()
                }
                self._format_names = names
                self._generation = generation
            return self._by_source

    def _read(self, chunks: list[Chunk]) -> _Playbook:
        found: list[Rule] = []
        seen: set[tuple[str, str, float | None]] = set()
        chunks = sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0)))
        openings: dict[str, str] = {}
        for chunk in chunks:
            body = chunk.text.split("\n\n", 1)[-1]
            source, title = str(chunk.metadata["source"]), str(chunk.metadata.get("title", ""))
            # The deepest heading the passage sits under ("Formats > Workshops" → "Workshops").
            section = str(chunk.metadata.get("section") or "").split(">")[-1].strip() or None
            if section and section not in openings:
                openings[section] = re.split(r"(?<=[.!?])\s", body.strip(), maxsplit=1)[0]
            for rule in read_text(body, source=source, title=title, dollar=self._dollar):
                rule = rule if rule.heading else replace(rule, heading=section)
                key = (rule.text, rule.kind, rule.value)  # chunks overlap: read each once
                if key not in seen:
                    seen.add(key)
                    found.append(rule)
        title = str(chunks[0].metadata.get("title", "")) if chunks else ""
        return _Playbook(title, found, "\n".join(one_line(c.text) for c in chunks), openings)

    def _decisions(self) -> Decisions:
        decided: Decisions = {}
        for decision in self.corrections.all() if self.corrections is not None else []:
            decided.setdefault(decision.source, {})[decision.sentence] = decision
        return decided

    def _reviewed(self, source: str, decisions: Decisions) -> list[ReviewedRule]:
        """Each rule read from `source` with the decision on its sentence: an ignored sentence
        binds nothing, a corrected one states the corrected rule (one per sentence), and a
        correction can add a rule the reader missed. A decision about a sentence the playbook
        no longer has does not apply."""
        playbook = self._load().get(source)
        if playbook is None:
            return []
        live = {s: d for s, d in decisions.get(source, {}).items() if _has(playbook, s)}
        reviewed: list[ReviewedRule] = []
        corrected: set[str] = set()
        for rule in playbook.rules:
            decision = live.get(rule.text)
            if decision is None:
                reviewed.append(ReviewedRule(rule, "read"))
            elif decision.action != "correct":
                reviewed.append(ReviewedRule(rule, _STATUS[decision.action], decision))
            elif rule.text not in corrected:
                corrected.add(rule.text)
                reviewed.append(ReviewedRule(_as_corrected(rule, decision), "corrected", decision))
        read = {rule.text for rule in playbook.rules}
        for sentence, decision in live.items():
            if decision.action == "correct" and sentence not in read:
                missed = _as_corrected(Rule("feedback", sentence, source, playbook.title), decision)
                reviewed.append(ReviewedRule(missed, "corrected", decision))
        return reviewed

    def _binding(self, source: str, decisions: Decisions) -> list[Rule]:
        return [r.rule for r in self._reviewed(source, decisions) if r.status != "ignored"]

    def of(self, source: str | None) -> list[Rule]:
        return self._binding(source or "", self._decisions())

    def everywhere(self) -> Iterable[Rule]:
        decisions = self._decisions()
        for source in self._load():
            yield from self._binding(source, decisions)

    def format_names(self) -> set[str]:
        """Every format the knowledge names: in front matter, and in rules that bind one."""
        self._load()
        return set(self._format_names)

    def playbooks(self) -> dict[str, str]:
        """Every playbook's source, with its title."""
        return {source: playbook.title for source, playbook in self._load().items()}

    def states(self, source: str, sentence: str) -> bool:
        """Whether the playbook reads a rule from `sentence` or has it in its text."""
        playbook = self._load().get(source)
        return playbook is not None and _has(playbook, sentence)

    def review(self, source: str) -> Review:
        """Each rule read from `source` with its status, and the decisions whose sentence the
        playbook no longer has. A rule whose sentence resembles one of those needs review: it
        most likely replaced a sentence Learning Ops had decided about."""
        playbook = self._load().get(source)
        decisions = self._decisions()
        mine = decisions.get(source, {})
        stale = [d for s, d in mine.items() if playbook is None or not _has(playbook, s)]
        rules = []
        for reviewed in self._reviewed(source, decisions):
            earlier = next((d for d in stale if _resembles(d.sentence, reviewed.rule.text)), None)
            if reviewed.status == "read" and earlier is not None:
                reviewed = ReviewedRule(reviewed.rule, "needs_review", earlier)
            rules.append(reviewed)
        return Review(source, playbook.title if playbook else "", rules, stale)

    def for_format(self, playbook: str | None, format_name: str | None) -> list[Rule]:
        """The format's playbook's rules (without those scoped to another format, or to any
        format when none is known), and the limits other playbooks set for this format by name;
        the format's own limits first, so they win over the general ones."""
        binds = self._binds(format_name)
        own = [r for r in self.of(playbook) if not r.scoped or binds(r)]
        if format_name is None:
            return own
        elsewhere = [r for r in self.everywhere() if r.source != playbook and r.scoped and binds(r)]
        return sorted(own + elsewhere, key=lambda r: not r.scoped)

    def _binds(self, format_name: str | None) -> Callable[[Rule], bool]:
        """Whether a scoped rule binds `format_name`: it names it, or it names a section whose
        opening line calls its format by that name (a "Lantern nights" section opening "Our
        open evenings for neighbours" binds an "open evening")."""
        if format_name is None:
            return lambda rule: False
        playbooks = self._load()
        aliases = {
            (source, heading)
            for source, playbook in playbooks.items()
            for heading, opening in playbook.openings.items()
            if mentions(opening, format_name)
        }

        def binds(rule: Rule) -> bool:
            if same_format(rule.format, format_name):
                return True
            return any(
                same_format(rule.format, heading)
                for source, heading in aliases
                if source == rule.source
            )

        return binds

    def supporting(self, source: str | None, exclude: str | None) -> list[Rule]:
        """Another playbook's rules, with its format limits demoted to guidance: they bind the
        format that playbook is about, not this one; a rule one of its formats' sections or
        rows scopes is left out."""
        if not source or source == exclude:
            return []
        return [
            replace(r, value=None) if r.kind in FORMAT_LIMITS and not r.room else r
            for r in self.of(source)
            if not r.scoped
        ]

    def rooms(self) -> list[Room]:
        """Every room a playbook lists with its seats, smallest first (one entry per name)."""
        found: dict[str, Room] = {}
        for rule in self.everywhere():
            if rule.kind == "capacity" and rule.room and rule.value:
                found.setdefault(rule.subject.lower(), Room(rule.subject, int(rule.value), rule))
        return sorted(found.values(), key=lambda room: room.seats)


def named_in_words(text: str, names: Iterable[str]) -> str | None:
    """The one format whose every word the text uses, not necessarily side by side (the one
    with most words when several fit); None when none does or two fit equally."""
    said = _stems(text)
    fits = sorted(
        ((len(_stems(n)), n) for n in names if _stems(n) and _stems(n) <= said), reverse=True
    )
    if not fits or (
        len(fits) > 1 and fits[0][0] == fits[1][0] and not same_format(fits[0][1], fits[1][1])
    ):
        return None
    return fits[0][1]


def _format_names(declared: set[str], rules: list[Rule]) -> set[str]:
    """The formats the knowledge names: front matter's, the labels of table rows and list
    items that state one format's length or size ("Workshop — Max length: …"; not a budget
    table's rows), and the subjects of sentences listing several formats' limits when a label
    or a heading names them too (a sentence's subject alone may be any phrase: "Under an
    hour, …")."""
    labelled = declared | {
        r.format
        for r in rules
        if r.scoped
        and r.format
        and r.kind in ("max_duration", "min_duration", "capacity")
        and (r.text.startswith(f"{r.format} — ") or r.heading == r.format)
    }
    headings = {r.heading for r in rules if r.heading}
    listed = {
        r.format
        for r in rules
        if (r.scoped or r.kind in FORMAT_LIMITS)
        and r.format
        and (
            any(names_format(r.format, label) for label in labelled)
            or any(names_format(heading, r.format) for heading in headings)
        )
    }
    return {name for name in labelled | listed if re.search(r"[^\W\d_]{2}", name)}


def mentions(text: str, name: str) -> bool:
    """Whether `text` uses every word of the format's name."""
    named = _stems(name)
    return bool(named) and named <= _stems(text)


def names_format(phrase: str | None, name: str) -> bool:
    """Whether a heading or a subject is the name of a format: all of the name's words, and
    at most one more ("Workshops (hands-on)", "Community evenings in the hall"; not "Booking a
    room for a workshop")."""
    if not phrase:
        return False
    said, named = _stems(phrase), _stems(name)
    return bool(named) and named <= said and len(said - named) <= 1


def _scoped_by_name(rule: Rule, names: set[str]) -> Rule:
    """A rule under a heading or a bold lead-in that names a format, or a limit whose subject
    is a format, binds that format only (a formats guide with a section per format)."""
    if rule.scoped or rule.room:
        return rule
    phrases = (rule.heading, rule.format) if rule.kind in FORMAT_LIMITS else (rule.heading,)
    for phrase in phrases:
        if any(names_format(phrase, name) for name in names):
            return replace(rule, format=phrase, scoped=True)
    return rule


def one_line(text: str) -> str:
    return " ".join(text.split())


def _has(playbook: _Playbook, sentence: str) -> bool:
    return any(r.text == sentence for r in playbook.rules) or one_line(sentence) in playbook.text


def _resembles(a: str, b: str) -> bool:
    """Most of the shorter sentence's words are in the other ("must not exceed forty-five
    minutes" and "must not exceed fifty minutes")."""
    left, right = content_words(a), content_words(b)
    return bool(left and right) and len(left & right) / min(len(left), len(right)) >= 0.6


def _as_corrected(rule: Rule, decision: RuleDecision) -> Rule:
    kind: RuleKind = decision.kind or rule.kind  # type: ignore[assignment]
    return replace(rule, kind=kind, value=decision.value, unit=decision.unit or rule.unit)
