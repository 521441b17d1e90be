"""Every rule the playbooks state, read once per version of the index, and the ones that
bind a given session: its format's playbook, limits other guides set for that format, the rooms
anyone lists, and the guidance a guest speaker or a hybrid session brings.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class ReviewedRule:
    rule: Rule
    status: str  # read (nobody has looked), confirmed, corrected


@dataclass(frozen=True)
class Review:
    """What the coach reads in one playbook, for Learning Ops to confirm or correct."""

    source: str
    rules: list[ReviewedRule]
    ignored: list[RuleDecision]
    # Decisions about sentences the document no longer has: to look at again.
    stale: list[RuleDecision]


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
        self._by_source: dict[str, list[Rule]] = {}

    def _load(self) -> dict[str, list[Rule]]:
        generation = self._store.generation()
        with self._lock:
            if generation != self._generation:
                chunks: dict[str, list[Chunk]] = {}
                for chunk in self._store.all_chunks():
                    if chunk.metadata.get("kind") == "playbook":
                        chunks.setdefault(str(chunk.metadata["source"]), []).append(chunk)
                self._by_source = {s: self._read(c) for s, c in chunks.items()}
                self._generation = generation
            return self._by_source

    def _read(self, chunks: list[Chunk]) -> list[Rule]:
        found: list[Rule] = []
        seen: set[tuple[str, str, float | None]] = set()
        for chunk in sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0))):
            body = chunk.text.split("\n\n", 1)[-1]
            source, title = str(chunk.metadata["source"]), str(chunk.metadata.get("title", ""))
            for rule in read_text(body, source=source, title=title, dollar=self._dollar):
                key = (rule.text, rule.kind, rule.value)  # chunks overlap: read each once
                if key not in seen:
                    seen.add(key)
                    found.append(rule)
        return found

    def _decisions(self) -> dict[tuple[str, str], RuleDecision]:
        if self.corrections is None:
            return {}
        return {(d.source, d.sentence): d for d in self.corrections.all()}

    def _decided(self, source: str, read: list[Rule]) -> list[Rule]:
        """`read`, with ignored sentences dropped and corrected ones replaced."""
        decisions = {k: d for k, d in self._decisions().items() if k[0] == source}
        if not decisions:
            return read
        title = read[0].title if read else ""
        rules: list[Rule] = []
        corrected: set[str] = set()
        for rule in read:
            decision = decisions.get((source, rule.text))
            if decision is None or decision.action == "confirm":
                rules.append(rule)
            elif decision.action == "correct" and rule.text not in corrected:
                corrected.add(rule.text)
                rules.append(_as_corrected(rule, decision))
        # A correction can add a rule the reader missed altogether.
        for (_, sentence), decision in decisions.items():
            missed = sentence not in corrected and not any(r.text == sentence for r in read)
            if decision.action == "correct" and missed:
                rules.append(_as_corrected(Rule("feedback", sentence, source, title), decision))
        return rules

    def of(self, source: str | None) -> list[Rule]:
        return self._decided(source or "", list(self._load().get(source or "", [])))

    def everywhere(self) -> Iterable[Rule]:
        for source in self._load():
            yield from self.of(source)

    def review(self, source: str) -> Review:
        """Each rule read from `source` with its status, the sentences ignored, and decisions
        whose sentence the document no longer has."""
        decisions = {s: d for (src, s), d in self._decisions().items() if src == source}
        text = " ".join(c.text for c in self._store.chunks_of(source))
        status = {"confirm": "confirmed", "correct": "corrected"}
        rules = [
            ReviewedRule(r, status.get(decisions[r.text].action, "read") if r.text in decisions
                         else "read")
            for r in self.of(source)
        ]  # fmt: skip
        ignored = [d for d in decisions.values() if d.action == "ignore" and d.sentence in text]
        stale = [d for d in decisions.values() if d.sentence not in text]
        return Review(source, rules, ignored, stale)

    def for_format(self, playbook: str | None, format_name: str | None) -> list[Rule]:
        """The format's playbook's rules (those another format's name scopes left out), and the
        limits other playbooks set for this format by name."""
        own = [
            r for r in self.of(playbook)
            if not (r.scoped and format_name and not same_format(r.format, format_name))
        ]  # fmt: skip
        if format_name is None:
            return own
        elsewhere = [
            r
            for r in self.everywhere()
            if r.source != playbook and r.scoped and same_format(r.format, format_name)
        ]
        return own + elsewhere

    def supporting(self, source: str | None, exclude: str | None) -> list[Rule]:
        """Another playbook's rules, with its format limits demoted to guidance: they bind the
        format that playbook is about, not this one."""
        if not source or source == exclude:
            return []
        return [
            replace(r, value=None) if r.kind in FORMAT_LIMITS and not r.room else r
            for r in self.of(source)
        ]

    def rooms(self) -> list[Room]:
        """Every room a playbook lists with its seats, smallest first (one entry per name)."""
        found: dict[str, Room] = {}
        for rule in self.everywhere():
            if rule.kind == "capacity" and rule.room and rule.value:
                found.setdefault(rule.subject.lower(), Room(rule.subject, int(rule.value), rule))
        return sorted(found.values(), key=lambda room: room.seats)


def _as_corrected(rule: Rule, decision: RuleDecision) -> Rule:
    kind: RuleKind = decision.kind or rule.kind  # type: ignore[assignment]
    return replace(rule, kind=kind, value=decision.value, unit=decision.unit or rule.unit)
