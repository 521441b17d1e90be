"""Draft a personal learning plan: a goal with what "done" looks like, a mix of the hours
someone has, weekly milestones, and resources and people from the knowledge base.

What the organisation's guides say about learning on one's own (protected time, a budget, the
practices it names, how often to meet a buddy or check in) is read from them by the rule reader
and quoted with its source. Where they say nothing, the plan uses common defaults and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coach.domain import SourceRef
from coach.extractive import pieces
from coach.flows.people import PastSession, find_past_sessions
from coach.flows.rulebook import RuleBook
from coach.providers.query_cache import embed_sentences
from coach.reading.quantities import find_quantities, normalise
from coach.reading.rules import Rule
from coach.retrieval import Filters, Retriever
from coach.store import KnowledgeStore
from coach.text import cosine

# Plain words for what a guide on learning on one's own covers (never a document's title).
GROWTH_QUERY = "learning on your own: time set aside each week, a learning budget, peers, mentors"
DEFAULT_HOURS = 2
DEFAULT_WEEKS = 12
DEFAULT_CHECK_IN_WEEKS = 2
# A common default when the guides state no mix; the plan says it is a default.
DEFAULT_MIX = (
    ("On-the-job practice", 70),
    ("Learning from people", 20),
    ("Courses and reading", 10),
)
_PEOPLE_WORDS = re.compile(r"\b(buddy|buddies|mentor|peer|pair|partner|circle|group)", re.I)
QUOTED_SENTENCES = 6
SECOND_GUIDE_MARGIN = 0.05


@dataclass(frozen=True)
class Quote:
    text: str
    source: str
    title: str


@dataclass(frozen=True)
class LearningPlan:
    goal: str
    done_when: str
    hours_per_week: float
    weeks: int
    mix: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    time_blocks: list[str]
    check_ins: list[int]
    resources: list[SourceRef]
    people: list[PastSession]
    buddy: str
    guidance: list[Quote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "done_when": self.done_when,
            "hours_per_week": self.hours_per_week,
            "weeks": self.weeks,
            "mix": self.mix,
            "milestones": self.milestones,
            "time_blocks": self.time_blocks,
            "check_in_weeks": self.check_ins,
            "resources": [vars(r) for r in self.resources],
            "people_to_ask": [vars(p) for p in self.people],
            "buddy": self.buddy,
            "guidance": [vars(q) for q in self.guidance],
            "notes": self.notes,
        }


def _milestones(goal: str, weeks: int) -> list[dict[str, Any]]:
    phases = [
        ("Map the skill: list what good looks like and pick one real task to practise on", 0.15),
        ("Learn the foundations: one course module or chapter, applied the same week", 0.35),
        ("Practise on the real task; ask someone who has done it for feedback", 0.75),
        ("Show it: share the result with your team or in a session, and reflect", 1.0),
    ]
    milestones = []
    for week in range(1, weeks + 1):
        focus = next(text for text, share in phases if week <= max(1, round(weeks * share)))
        milestones.append({"week": week, "focus": focus})
    return milestones


class LearningPlanner:
    def __init__(
        self, retriever: Retriever, store: KnowledgeStore, rulebook: RuleBook | None = None
    ) -> None:
        self._retriever = retriever
        self._store = store
        self._rulebook = rulebook or RuleBook(store)

    def _growth_guides(self, goal: str) -> list[str]:
        """The (at most two) guides closest to learning on one's own."""
        # The guide on learning on one's own, whatever the goal is about.
        query = GROWTH_QUERY
        hits = self._retriever.relevant(
            self._retriever.retrieve(query, 6, filters=Filters(kinds=("playbook",)))
        )
        if not hits:
            return []
        # A second guide only when it is about as close (a separate one on buddies, say).
        best = max(h.similarity for h in hits)
        close = [h for h in hits if h.similarity >= best - SECOND_GUIDE_MARGIN]
        return list(dict.fromkeys(h.source for h in close))[:2]

    def _practices(self, source: str, query: str, rules: list[Rule]) -> list[Quote]:
        """The guide's rules about learning time, budgets and cadences, and its sentences
        closest to learning on one's own (where it names its own practices)."""
        quoted = [
            Quote(r.text, r.source, r.title)
            for r in rules
            if r.kind in ("protected_time", "frequency", "budget", "practice_share")
        ]
        passages = [
            p for p in self._retriever.retrieve(query, 8, filters=Filters(kinds=("playbook",)))
            if p.source == source
        ]  # fmt: skip
        candidates = list(dict.fromkeys(t for p in passages for t in pieces(p)))
        if candidates and passages:
            vectors = embed_sentences(self._retriever.embeddings, candidates)
            asked = self._retriever.embed_query(query)
            ranked = sorted(
                zip(candidates, vectors, strict=True), key=lambda c: -cosine(asked, c[1])
            )
            title = passages[0].title
            quoted += [Quote(text, source, title) for text, _ in ranked]
        unique = list({q.text: q for q in quoted}.values())
        return unique[:QUOTED_SENTENCES]

    def plan(self, goal: str, hours_per_week: float | None, weeks: int | None) -> LearningPlan:
        goal = goal.strip().rstrip(".")
        notes: list[str] = []
        guides = self._growth_guides(goal)
        rules = [r for guide in guides for r in self._rulebook.of(guide)]
        guidance = [
            quote
            for guide in guides
            for quote in self._practices(
                guide, GROWTH_QUERY, [r for r in rules if r.source == guide]
            )
        ]
        protect = next((r for r in rules if r.kind == "protected_time" and r.value), None)
        if hours_per_week is None:
            hours_per_week = float(protect.value) if protect and protect.value else DEFAULT_HOURS
            source = "your guides" if protect else "a default"
            notes.append(f"No time given: planned with {hours_per_week:g} hours a week ({source}).")
        weeks = weeks or DEFAULT_WEEKS
        minutes = round(hours_per_week * 60)
        stated = _stated_mix(guidance)
        if stated is None:
            notes.append(
                "Your guides state no mix of practice, people and courses: this plan uses the "
                "common 70-20-10 default."
            )
        mix = [
            {"kind": name, "percent": share, "minutes_per_week": round(minutes * share / 100)}
            for name, share in (stated or DEFAULT_MIX)
        ]
        cadences = [r for r in rules if r.kind == "frequency" and r.value and r.value >= 1]
        # Check-ins follow a cadence for oneself; a buddy's or a group's is quoted apart.
        cadence = next((r for r in cadences if not _PEOPLE_WORDS.search(r.text)), None)
        cadence = cadence or next(iter(cadences), None)
        every = int(cadence.value) if cadence and cadence.value else DEFAULT_CHECK_IN_WEEKS
        if cadence is None:
            notes.append(f"Check-ins every {every} weeks is a default: your guides set none.")
        buddy = next(
            (r for r in rules if r.kind == "frequency" and _PEOPLE_WORDS.search(r.text)), None
        )
        related = self._retriever.relevant(self._retriever.retrieve(goal, 6))
        people = [s for s, _ in find_past_sessions(self._retriever, self._store, goal, limit=3)]
        resources = {p.source: SourceRef(p.source, p.title) for p in related}
        resources |= {q.source: SourceRef(q.source, q.title) for q in guidance}
        half = minutes // 2
        return LearningPlan(
            goal=goal,
            done_when=(
                f"By week {weeks} you have applied it in a real piece of work, someone who "
                "knows the field has given you feedback, and you can explain what you would "
                "do differently next time."
            ),
            hours_per_week=hours_per_week,
            weeks=weeks,
            mix=mix,
            milestones=_milestones(goal, weeks),
            time_blocks=[
                f"First block: {half} minutes of practice on your real task",
                f"Second block: {minutes - half} minutes for learning from people or a course",
            ],
            check_ins=list(range(every, weeks + 1, every)),
            resources=list(resources.values()),
            people=people,
            buddy=(
                f"Pair with a learning buddy: {buddy.text}"
                if buddy
                else "Pair with a learning buddy and check in regularly."
            ),
            guidance=guidance,
            notes=notes,
        )


def _stated_mix(guidance: list[Quote]) -> tuple[tuple[str, int], ...] | None:
    """A mix a guide states: one sentence with three or more shares adding up to 100."""
    for quote in guidance:
        shares = [
            int(q.value) for q in find_quantities(normalise(quote.text)) if q.dimension == "percent"
        ]
        if len(shares) >= 3 and sum(shares) == 100:
            names = [f"Part {i + 1} (see “{quote.text}”)" for i in range(len(shares))]
            return tuple(zip(names, shares, strict=True))
    return None


def learning_plan_markdown(plan: LearningPlan) -> str:
    lines = [f"# Learning plan: {plan.goal}", "", f"**Done when:** {plan.done_when}", ""]
    lines += [f"**Time:** {plan.hours_per_week:g} hours a week for {plan.weeks} weeks", ""]
    lines += ["## How to spend the hours", ""]
    lines += [
        f"- {m['kind']} ({m['percent']}%): {m['minutes_per_week']} minutes a week" for m in plan.mix
    ]
    lines += ["", "## Weekly milestones", ""]
    lines += [f"- Week {m['week']}: {m['focus']}" for m in plan.milestones]
    lines += ["", "## Time blocks", ""] + [f"- {b}" for b in plan.time_blocks]
    weeks = ", ".join(str(w) for w in plan.check_ins)
    lines += ["", "## Reflection check-ins", "", f"- Weeks {weeks}: what worked, what to change."]
    lines += ["", "## Buddy or mentor", "", f"- {plan.buddy}"]
    if plan.people:
        lines += ["", "## People to learn from", ""] + [f"- {p.describe()}" for p in plan.people]
    lines += ["", "## From the playbooks", ""]
    lines += [f"- {q.text} — *{q.title}* (`{q.source}`)" for q in plan.guidance]
    lines += ["", "## Resources", ""] + [f"- {r.title} (`{r.source}`)" for r in plan.resources]
    if plan.notes:
        lines += ["", "## Assumptions", ""] + [f"- {n}" for n in plan.notes]
    return "\n".join(lines) + "\n"
