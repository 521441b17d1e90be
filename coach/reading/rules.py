"""Read the rules a guide states, in whatever words it states them.

Quantities are found first (see `quantities`), then each is classified by the words around it
(see `cues`): a duration before "before" is a lead time, one after "at most" is a length limit,
money next to "approved by" is an approval threshold, people next to "per facilitator" a
ratio. A sentence that lists several formats' limits gives one rule per format, and tables are
read row by row with their header. Each rule keeps the sentence (or row) it came from, for
citation, so a plan can quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from coach.reading import cues
from coach.reading.approvers import approver_in
from coach.reading.quantities import Quantity, find_quantities, normalise

RuleKind = Literal[
    "max_duration", "min_duration", "part_duration", "capacity", "per_facilitator",
    "lead_time", "approval_threshold", "budget", "break", "practice_share", "protected_time",
    "frequency", "moderator", "feedback", "recording",
]  # fmt: skip


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    text: str  # the sentence or table row it was read from, for citation
    source: str = ""
    title: str = ""
    value: float | None = None
    unit: str | None = None  # minute, day, working_day, week, month, hour, person, percent, EUR…
    subject: str = "session"  # what it is about: the session, a part, a room, an action
    format: str | None = None  # the format it is limited to, in the document's words
    approver: str | None = None  # who approves above a threshold
    scoped: bool = False  # the sentence lists several formats: this rule binds only `format`
    room: bool = False  # `subject` names a room
    conditional: bool = False  # "if you order food…": binds only some sessions
    heading: str | None = None  # the heading or bold lead-in ("**Name**:") it sits under
    # The whole list item it is one sentence of ("The Hall is not self-serve. Ask three weeks
    # ahead."): what the item is about may be named only in another of its sentences.
    item: str | None = None

    def cite(self) -> str:
        return f"{self.text} ({self.title}, `{self.source}`)"


_GENERIC_SUBJECTS = re.compile(
    r"^(?:sessions?|it|they|this|that|these|those|everything|anything|all|you|we|events?|"
    r"each|every|one|ones|them|people|everyone|anyone|attendance|time)$",
    re.IGNORECASE,
)
_DETERMINERS = re.compile(
    r"^(?:(?:the|a|an|all|our|your|each|every|any|any\s+one|one|no|please|and|but|so|also|"
    r"only|just|most|new|regular|typical|standard|in-person)\s+)+",
    re.IGNORECASE,
)
_SUBJECT_END = re.compile(
    r"\b(?:is|are|be|run|runs|last|lasts|should|shouldn't|must|mustn't|may|might|can|can't|"
    r"cannot|need|needs|take|takes|get|gets|have|has|hold|holds|seat|seats|fit|fits|cover|covers|"
    r"will|won't|don't|do|does|stay|stays|meet|meets|require|requires|accommodate|accommodates|"
    r"go|goes|max|up\s+to|at\s+most|no\s+more|limited|capped|allowed|work|works|aim|ideally|"
    r"typically|usually)\b|[:≤(—–-]\s|[,;]",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^\s*(?:please\s+)?(?:keep|limit|cap|plan|run|hold|schedule|allow|make|restrict)\s+(?P<np>.+?)"
    r"\s+(?:to|under|at|within|below|for)\b",
    re.IGNORECASE,
)
_ROOM_NOUNS = re.compile(
    r"\b(?:room|hall|auditorium|lounge|suite|studio|space|venue|theatre|theater|boardroom|"
    r"library|cafeteria|canteen|atrium|kitchen|terrace|floor|wing)s?\b",
    re.IGNORECASE,
)
# A capitalised name right before a head count: "Nook 12 people", "Studio (16 seats)".
_NAME_BEFORE = re.compile(r"(?:^|[,:;]\s*|\band\s+)((?:[A-Z][\w'&-]*\s+)*[A-Z][\w'&-]*)\s*\(?\s*$")
_ROOM_VERBS = re.compile(r"\b(?:seats|holds|fits|accommodates|takes|sits)\b", re.IGNORECASE)


def _clause(text: str, quantity: Quantity) -> tuple[int, int]:
    """The span of the clause around a quantity: between separators that end a statement."""
    separators = re.compile(r"[;—–]|[.!?](?=\s)|,\s|\s(?:and|but|so|while|whereas|or)\s")
    start, end = 0, len(text)
    for m in separators.finditer(text):
        if m.end() <= quantity.start:
            start = m.end()
        elif m.start() >= quantity.end:
            end = m.start()
            break
    return start, end


def subject_of(clause: str) -> str | None:
    """The noun phrase a clause is about ("Talks run up to…" → "Talks"), or None when it is
    about sessions in general."""
    if imperative := _IMPERATIVE.match(clause):
        phrase = imperative.group("np")
    else:
        cut = _SUBJECT_END.search(clause)
        phrase = clause[: cut.start()] if cut else ""
    phrase = _DETERMINERS.sub("", phrase.strip(" -*•\t'\"")).strip(" ,")
    if not phrase or re.search(r"\d", phrase) or len(phrase.split()) > 5:
        return None
    last = phrase.split()[-1]
    return None if _GENERIC_SUBJECTS.match(phrase) or _GENERIC_SUBJECTS.match(last) else phrase


def _is_room(subject: str | None, clause: str) -> bool:
    if not subject:
        return False
    if _ROOM_NOUNS.search(subject):
        return True
    words = subject.split()
    proper = all(w[:1].isupper() for w in words)
    return proper and not words[-1].lower().endswith("s") and bool(_ROOM_VERBS.search(clause))


def action_of(clause: str) -> str:
    return next((name for name, pattern in cues.ACTIONS if pattern.search(clause)), "prepare")


class _Sentence:
    """One sentence being read: its normalised text and the rules found so far."""

    def __init__(self, text: str, following: str, dollar: str) -> None:
        self.original = text
        self.text = normalise(text)
        self.following = normalise(following) if following else ""
        self.quantities = find_quantities(self.text, dollar=dollar)
        self.rules: list[Rule] = []
        self.conditional = bool(cues.CONDITION.search(self.text))

    def window(self, q: Quantity, before: int = 45, after: int = 40) -> tuple[str, str]:
        start, end = _clause(self.text, q)
        return self.text[max(start, q.start - before) : q.start], self.text[
            q.end : min(end, q.end + after)
        ]

    def original_before(self, q: Quantity) -> str:
        """The words just before a quantity, in their original case (normalising numbers keeps
        the words before the first number in place)."""
        head = self.text[max(0, q.start - 40) : q.start]
        return head

    def clause(self, q: Quantity) -> str:
        start, end = _clause(self.text, q)
        return self.text[start:end]

    def add(self, kind: RuleKind, q: Quantity | None, value: float | None, unit: str | None,
            **extra: object) -> None:  # fmt: skip
        subject = extra.pop("subject", None)
        fmt = subject_of(self.clause(q)) if q is not None else subject_of(self.text)
        self.rules.append(
            Rule(kind, self.original, value=value, unit=unit, subject=str(subject or "session"),
                 format=fmt, conditional=self.conditional, **extra)  # type: ignore[arg-type]
        )  # fmt: skip


def _read_duration(s: _Sentence, q: Quantity) -> None:
    before, after = s.window(q)
    clause = s.clause(q)
    lead_window = after[:30] + " " + before[-20:]
    if q.is_calendar:
        if re.search(r"\bevery\s*$", before, re.IGNORECASE):
            weeks = {"day": 1 / 7, "working_day": 1 / 5, "week": 1, "month": 4, "year": 52}[q.unit]
            s.add("frequency", q, round(q.value * weeks, 2), "week", subject=_what_recurs(clause))
        elif (cues.BEFORE.search(lead_window) or cues.BEFORE.search(clause)) and not (
            cues.AFTER.search(after[:20])
        ):
            s.add("lead_time", q, q.value, q.unit, subject=action_of(clause))
        return
    if cues.AFTER.search(after[:20]):
        return  # "within 48 hours after the session": a follow-up, not the session's length
    if cues.BEFORE.search(after[:25]) and not cues.PART.search(before[-25:]):
        days = q.value / (24 * 60)
        value, unit = (days, "day") if days.is_integer() else (q.value / 60, "hour")
        s.add("lead_time", q, value, unit, subject=action_of(clause))
        return
    if re.search(r"\bevery\s*$", before, re.IGNORECASE):
        if cues.BREAK.search(clause):
            s.add("break", q, q.value, "minute")
        return
    if cues.PER_WEEK.match(after.strip()) or re.match(r"\s*of\s+\w+(?:\s+\w+)?\s+(?:time\s+)?"
                                                     r"(?:per|a|each|every)\s+(?:1\s+)?week",
                                                     after):  # fmt: skip
        s.add("protected_time", q, q.value / 60, "hour", subject="learning time")
        return
    if cues.BREAK.match(after.strip(" -")) or re.search(
        r"\bbreaks?\s+(?:of|lasting)\s+(?:at\s+least\s+|at\s+most\s+|up\s+to\s+)?$", before, re.I
    ):
        return  # the length of a break, not a rule about the session
    if re.search(
        r"(?:anything|sessions?|events?|for|if|when|once)\s+(?:\w+\s+)?"
        r"(?:longer|more|over|beyond)\s+(?:than\s+)?$",
        before,
        re.IGNORECASE,
    ):
        return  # a condition ("for anything longer than an hour, …"), not a limit
    if _is_part(before, s.text[q.end :], s.text):
        part = cues.PART.search(before[-30:] + " " + after)
        name = re.sub(r"^of\s+", "", part.group(0)) if part else "part"
        s.add("part_duration", q, q.value, "minute", subject=name)
        return
    if q.low is not None:
        s.add("min_duration", q, q.low, "minute")
        s.add("max_duration", q, q.value, "minute")
    elif cues.AT_LEAST.search(before[-30:]) or re.match(r"\s*(?:or\s+(?:more|longer))", after):
        s.add("min_duration", q, q.value, "minute")
    elif (
        cues.AT_MOST.search(before[-40:] + " " + after[:25])
        or cues.LENGTH_VERB.search(clause)
        or (cues.NORMATIVE.search(clause) and not cues.NARRATIVE.search(clause))
    ):
        s.add("max_duration", q, q.value, "minute")


def _is_part(before: str, after: str, sentence: str) -> bool:
    if re.match(r"\W*(?:including|incl\.?|all\s+in|in\s+total)\b", after):
        return False  # "55 minutes, including the intro" is the whole
    # "The Q&A, which…, deserves its own slot of 15 minutes": a definite part is the subject.
    lead = re.match(
        r"\s*(?:[-*•]\s*)?the\s+([^,;:]+?)(?:,|\s+(?:is|are|should|must|lasts?|"
        r"deserves?|gets?|takes?|runs?|can|may)\b)",
        sentence,
        re.IGNORECASE,
    )
    if lead and cues.PART.search(lead.group(1).split()[-1] + " " + lead.group(1)):
        return True
    # Only the words up to the next quantity: they may describe the next part, not this one.
    near = before[-30:] + " " + re.split(r"\d", after[:25], maxsplit=1)[0]
    if not cues.PART.search(near):
        return False
    # "a 45-minute talk slot": the session noun is nearer than the part.
    return not re.match(r"\s*-?\s*(?:sessions?|slots?|events?|meetings?)\b", after)


def _what_recurs(clause: str) -> str:
    return subject_of(clause) or "check-in"


def _read_money(s: _Sentence, q: Quantity) -> None:
    before, after = s.window(q, before=60, after=60)
    text = s.text
    approval_here = cues.APPROVAL.search(text)
    anaphoric = s.following and cues.ANAPHORIC_ABOVE.search(s.following)
    if approval_here or (anaphoric and cues.APPROVAL.search(s.following)):
        above = cues.ABOVE.search(text[q.end :]) or cues.ABOVE.search(before[-25:])
        tail = text[above.end() :] if above and above.start() >= q.end else ""
        approver = (
            approver_in(tail) or (approver_in(s.following) if anaphoric else None)
            or approver_in(text)
        )  # fmt: skip
        s.add("approval_threshold", q, q.value, q.unit, approver=approver, subject=_paid(text))
        return
    if cues.NARRATIVE.search(text) and not cues.AT_MOST.search(before + after):
        return
    subject = "per person" if cues.PER_PERSON.search(after[:40]) else _paid(text)
    if cues.PER_YEAR.search(after[:40]) or cues.PER_YEAR.search(before[-40:]):
        subject = "per year"
    if (
        cues.BUDGET_WORDS.search(text)
        or cues.PER_PERSON.search(after[:40])
        or cues.AT_MOST.search(before[-30:])
    ):
        s.add("budget", q, q.value, q.unit, subject=subject)


def _paid(text: str) -> str:
    noun = re.search(
        r"\b(fees?|honorari(?:a|um)|catering|food|travel|gifts?|tickets?|courses?|books?|"
        r"conferences?|budget|stipend|allowance|expenses?|spend|costs?|refreshments?|drinks?)\b",
        text,
        re.IGNORECASE,
    )
    return noun.group(1).lower() if noun else "spend"


# "one trainer should never handle more than 9", "every mentor can guide 7".
_ONE_FACILITATOR_BEFORE = re.compile(
    rf"\b(?:one|1|a\s+single|each|every|any)\s+(?:\w+\s+)?{cues.FACILITATOR}\b"
    r"(?:\s+\w+){0,6}\s*$",
    re.IGNORECASE,
)
_NEGATION_BEFORE = re.compile(r"(?:\bno|\bnot|n't|\bnever)\b[^.,;]{0,25}$", re.IGNORECASE)
_CLOSING_LIMIT = re.compile(
    r"[^.;]{0,22}?\b(?:tops|max(?:imum)?|at\s+(?:the\s+)?most)\b", re.IGNORECASE
)


def _read_people(s: _Sentence, q: Quantity) -> None:
    before, after = s.window(q, before=50, after=45)
    clause = s.clause(q)
    if cues.PER_FACILITATOR.match(s.text[q.end - len(s.text[q.start : q.end]) :]) or (
        cues.PER_FACILITATOR.search(s.text[q.start : q.end] + after[:25])
    ):
        s.add("per_facilitator", q, q.value, "person")
        return
    # "Trainers should not be responsible for more than 10 delegates": the facilitator is
    # the subject, the people are theirs.
    subject = subject_of(s.text)
    if (subject and re.search(rf"{cues.FACILITATOR}$", subject, re.IGNORECASE)) or (
        _ONE_FACILITATOR_BEFORE.search(s.text[: q.start])
    ):
        s.add("per_facilitator", q, q.value, "person")
        return
    condition = re.search(
        r"\b(?:if|when|once|for|with|over|above|beyond|more\s+than|exceeds?|larger\s+than)\s+"
        r"(?:\w+\s+){0,2}$",
        before,
    )
    # "No event can host more than 70 guests" is a limit, not a condition on the size.
    negated = condition is not None and bool(_NEGATION_BEFORE.search(before[: condition.start()]))
    if (
        condition
        and not negated
        and re.search(r"more\s+than|over|above|beyond|exceed|larger", condition.group(0))
    ):
        if cues.MODERATOR.search(s.text):
            s.add("moderator", q, q.value, "person")
        return
    # "turned up to the meetup" is what happened, not "up to" a limit.
    before, after = cues.NARRATIVE.sub(" ", before), cues.NARRATIVE.sub(" ", after)
    if cues.NARRATIVE.search(clause) and not cues.AT_MOST.search(before + after):
        return
    listed = _NAME_BEFORE.search(s.original_before(q))
    if listed and _DETERMINERS.fullmatch(listed.group(1) + " "):
        listed = None  # "The 60-person limit…": an article, not a room's name
    if listed and (cues.AT_MOST.search(s.text) or cues.HOLDS.search(s.text)):
        # A list of rooms ("Harbor Room 24 people, Nook 12 people"): each number is its own.
        s.add("capacity", q, q.value, "person", subject=listed.group(1), room=True)
        return
    # "Thirty-five learners on site, tops": the limit word may close the sentence, past a comma.
    closing = _CLOSING_LIMIT.match(s.text[q.end :])
    # The count's own words ("30 in person") are not the clause saying what something holds.
    around = clause.replace(s.text[q.start : q.end], " ")
    if (
        negated
        or closing
        or cues.AT_MOST.search(before[-35:] + " " + after[:20])
        or cues.HOLDS.search(around)
    ):
        subject = subject_of(clause)
        room = _is_room(subject, clause)
        if cues.AT_LEAST.search(before[-20:]) and not room:
            return
        s.add("capacity", q, q.value, "person", subject=subject if room else "session", room=room)


def _read_number(s: _Sentence, q: Quantity) -> None:
    """A bare number is a capacity when the clause speaks of one ("attendance is capped at
    120"), or a ratio ("one facilitator for every 15")."""
    before, after = s.window(q)
    clause = s.clause(q)
    if cues.NARRATIVE.search(clause) and not cues.AT_MOST.search(before):
        return
    if re.search(r"(?:\b\d+(?:st|nd|rd|th)|\b(?:the|this|that|which|each|every|any))\s*$", before):
        return  # "the first one", "this one": a pronoun, not a number of people
    ends = re.match(r"\s*(?:[,.;)]|$|(?:at|in|per|and|or|tops|max)\b)", after)
    if (cues.HOLDS.search(clause) and cues.AT_MOST.search(before[-30:] + after[:10])) or (
        ends and cues.AT_MOST.search(before[-22:]) and subject_of(clause)
    ):
        subject = subject_of(clause)
        room = _is_room(subject, clause)
        s.add("capacity", q, q.value, "person", subject=subject if room else "session", room=room)


def _read_ratio(s: _Sentence) -> None:
    m = cues.FACILITATOR_FOR.search(s.text) or (
        re.search(cues.FACILITATOR, s.text, re.I) and cues.RATIO.search(s.text)
    )
    if m and not any(r.kind == "per_facilitator" for r in s.rules):
        s.add("per_facilitator", None, float(m.group("num")), "person")


def _read_frequency(s: _Sentence) -> None:
    if any(r.kind == "frequency" for r in s.rules) or cues.NARRATIVE.search(s.text):
        return
    if m := cues.FREQUENCY.search(s.text):
        s.add("frequency", None, cues.RATE_WORDS[m.group(1).lower()], "week",
              subject=_what_recurs(s.text))  # fmt: skip


def _read_qualitative(s: _Sentence) -> None:
    if s.rules:
        return
    if cues.MODERATOR.search(s.text):
        s.add("moderator", None, None, None)
    elif re.search(r"\b(?:feedback|survey|evaluation\s+form|response\s+rate)\b", s.text, re.I):
        s.add("feedback", None, None, None)
    elif re.search(r"\b(?:record(?:ing|ed)?|consent)\b", s.text, re.I):
        s.add("recording", None, None, None)


# One item of a list of lengths: "tech talks 45", "guest talks 1 hour", "and workshops 3 hours
# tops" (a name, an optional verb, a number, an optional unit).
_LENGTH_ITEM = re.compile(
    r"^\s*(?:and\s+)?(?P<name>[A-Za-z][\w&'/-]*(?:\s+[A-Za-z&][\w&'/-]*){0,3}?)\s+"
    r"(?:(?:get|gets|run|runs|last|lasts|are|is|take|takes|have|has)\s+)?(?:up\s+to\s+)?"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>minutes?|mins?|hours?|hrs?)?\b"
)


def _length_list(s: _Sentence) -> list[Rule]:
    """A sentence listing lengths per format, with the unit written once or not at all for some
    ("lightning talks get 5 minutes, tech talks 45, workshops 3 hours"): one length per format.
    At least three items and one written unit; a bare number takes the unit before it."""
    if any(q.dimension not in ("duration", "number") for q in s.quantities):
        return []
    body = s.text.split(":", 1)[-1] if s.text.count(":") == 1 else s.text
    items = [m for part in re.split(r",\s+|;\s+", body) if (m := _LENGTH_ITEM.match(part))]
    if len(items) < 3 or not any(m.group("unit") for m in items):
        return []
    rules, unit = [], ""
    for m in items:
        unit = m.group("unit") or unit
        if not unit:
            continue
        minutes = float(m.group("num")) * (60 if unit.lower().startswith("h") else 1)
        name = _DETERMINERS.sub("", m.group("name")).strip()
        rules.append(
            Rule("max_duration", s.original, value=minutes, unit="minute", format=name,
                 scoped=True, conditional=s.conditional)
        )  # fmt: skip
    return rules


def read_sentence(sentence: str, *, following: str = "", dollar: str = "USD") -> list[Rule]:
    """The rules one sentence states (none for history, examples and advice without a limit).
    `following` is the next sentence, which may finish a threshold ("Anything higher needs…")."""
    if sentence.rstrip(" *_\"')").endswith("?"):
        return []  # a question (an FAQ's) asks; its answer states
    s = _Sentence(sentence, following, dollar)
    if (listed := _length_list(s)) and not cues.NARRATIVE.search(s.text):
        return listed
    narrative_only = cues.NARRATIVE.search(s.text) and not _STRICT_NORMATIVE.search(s.text)
    if not narrative_only:
        for q in s.quantities:
            if q.dimension == "duration":
                _read_duration(s, q)
            elif q.dimension == "money":
                _read_money(s, q)
            elif q.dimension == "people":
                _read_people(s, q)
            elif q.dimension == "number":
                _read_number(s, q)
            elif q.dimension == "percent" and cues.PRACTICE.search(s.text):
                s.add("practice_share", q, q.value, "percent")
        _read_ratio(s)
        _read_frequency(s)
    _read_qualitative(s)
    return _scope_formats(_one_reading_per_head_count(s.rules))


def _one_reading_per_head_count(rules: list[Rule]) -> list[Rule]:
    """A head count that is a facilitator's share ("one host per 12 people, max") is not also
    the session's capacity."""
    ratios = {r.value for r in rules if r.kind == "per_facilitator"}
    return [r for r in rules if not (r.kind == "capacity" and not r.room and r.value in ratios)]


_STRICT_NORMATIVE = re.compile(
    r"\b(?:must|should|needs?|requires?|have\s+to|has\s+to|please|never|always|at\s+most|"
    r"at\s+least|up\s+to|no\s+more|maximum|minimum|limit(?:ed)?|capped|keep|allowed|"
    r"entitled|may|can|cannot|can't|per)\b",
    re.IGNORECASE,
)


def _scope_formats(rules: list[Rule]) -> list[Rule]:
    """Several limits of one kind for different subjects ("talks up to 45 minutes, workshops up
    to three hours") bind one format each."""
    scoped: list[Rule] = []
    for rule in rules:
        same = [r for r in rules if r.kind == rule.kind and r.format]
        several = len({r.format for r in same}) >= 2 and rule.format is not None
        scoped.append(replace(rule, scoped=True) if several else rule)
    return scoped


def first(rules: list[Rule], kind: RuleKind) -> Rule | None:
    return next((r for r in rules if r.kind == kind and r.value is not None), None)
