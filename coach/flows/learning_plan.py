"""Draft a personal learning plan: a goal with what "done" looks like, a 70-20-10 mix of
the hours someone has, weekly milestones, and resources and people from the knowledge base.

Cadences (how many hours to protect, how often to reflect, how often to meet a buddy) come
from the planning and mentoring playbooks when they state them, quoted with their source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coach.domain import SourceRef
from coach.flows.people import PastSession, find_past_sessions
from coach.grounding import sentences
from coach.retrieval import Filters, Retriever
from coach.store import KnowledgeStore

PLANNING_QUERY = "planning your own learning: goals, 70-20-10, protected hours, reflection"
BUDDY_QUERY = "find a mentor or learning buddy: how often to meet"
DEFAULT_HOURS = 2
DEFAULT_WEEKS = 12
MIX = (("On-the-job practice", 70), ("Learning from people", 20), ("Courses and reading", 10))
_EVERY_WEEKS = re.compile(r"every\s+(\d+)\s+weeks", re.IGNORECASE)
_HOURS_PER_WEEK = re.compile(r"(\d+)\s+hours?\s+(?:per|a)\s+week", re.IGNORECASE)


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
    def __init__(self, retriever: Retriever, store: KnowledgeStore) -> None:
        self._retriever = retriever
        self._store = store

    def _guidance(self, query: str, pattern: re.Pattern[str]) -> Quote | None:
        hits = self._retriever.relevant(
            self._retriever.retrieve(query, 4, filters=Filters(kinds=("playbook",)))
        )
        for passage in hits:
            for sentence in sentences(passage.text.split("\n\n", 1)[-1]):
                if pattern.search(sentence):
                    return Quote(sentence, passage.source, passage.title)
        return None

    def plan(self, goal: str, hours_per_week: float | None, weeks: int | None) -> LearningPlan:
        goal = goal.strip().rstrip(".")
        notes: list[str] = []
        protect = self._guidance(PLANNING_QUERY, _HOURS_PER_WEEK)
        reflect = self._guidance(PLANNING_QUERY, re.compile(r"reflect.*every\s+\d+\s+weeks", re.I))
        buddy = self._guidance(BUDDY_QUERY, re.compile(r"buddies.*every\s+\d+\s+weeks", re.I))
        if hours_per_week is None:
            match = _HOURS_PER_WEEK.search(protect.text) if protect else None
            hours_per_week = float(match.group(1)) if match else DEFAULT_HOURS
            notes.append(f"No time given: planned with {hours_per_week:g} hours a week.")
        weeks = weeks or DEFAULT_WEEKS
        minutes = round(hours_per_week * 60)
        mix = [
            {"kind": name, "percent": share, "minutes_per_week": round(minutes * share / 100)}
            for name, share in MIX
        ]
        every = int(_EVERY_WEEKS.search(reflect.text).group(1)) if reflect else 2  # type: ignore[union-attr]
        related = self._retriever.relevant(self._retriever.retrieve(goal, 6))
        people = [s for s, _ in find_past_sessions(self._retriever, self._store, goal, limit=3)]
        guidance = [q for q in (protect, reflect, buddy) if q]
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
                f"Tuesday: {half} minutes of practice on your real task",
                f"Thursday: {minutes - half} minutes for learning from people or a course",
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


def learning_plan_markdown(plan: LearningPlan) -> str:
    lines = [f"# Learning plan: {plan.goal}", "", f"**Done when:** {plan.done_when}", ""]
    lines += [f"**Time:** {plan.hours_per_week:g} hours a week for {plan.weeks} weeks", ""]
    lines += ["## The 70-20-10 mix", ""]
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
