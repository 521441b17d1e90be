"""The names an organisation gives its enabling team, HR and employee support, read from its
own guides when it ships no profile.

A name is a run of capitalised words ("People Team", "the Wellbeing Hub", "HR"). Each sentence
naming one is weighed by what it is about: contracts, pay and complaints point to HR; stress,
counselling and confidential support to the wellbeing service; sessions, budgets, exceptions
and accessibility to the enabling team. The team's name is also the owner most playbooks name
in their front matter. A name is only taken when a sentence says enough about its role.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coach.profile import Contact

ROLE_CUES = {
    "hr": re.compile(
        r"\bHR\b|human\s+resources|\bcontracts?\b|\bpay\b|\bpayroll\b|salar|\bleave\b|"
        r"grievance|complain|disciplin|harass|promotion|performance\s+review|conflicts?\b|"
        r"disputes?\b|employment|\bwages?\b|benefits\b|working\s+hours",
        re.IGNORECASE,
    ),
    "wellbeing": re.compile(
        r"well-?being|counsel|confidential|stress|mental|burn-?out|personal\s+(?:difficult|"
        r"problem|matter|issue|circumstance)|crisis|assistance\s+programme?|\bEAP\b|helpline|"
        r"anxi|struggl|overwhelm|emotional|therap|24/7|free\s+and\s+confidential",
        re.IGNORECASE,
    ),
    "team": re.compile(
        r"exceptions?\b|accessib|caption|interpreter|speaker\s+fees?|honorari|stipend|budget|"
        r"sessions?\b|workshops?\b|talks?\b|learning|training|approv|organis|organiz|events?\b|"
        r"guest|speakers?\b|facilitat|rooms?\b",
        re.IGNORECASE,
    ),
}
# Front-matter keys that name who looks after a document.
_OWNER_KEY = re.compile(r"owner|maintain|curat|steward|team|published|responsible", re.I)
_NAME = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’&-]*|HR)(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w'’&-]*)*"
)
_NOT_NAMES = re.compile(
    r"^(?:I|A|An|The|This|That|These|Those|If|For|When|Where|What|Who|How|Why|Please|Yes|No|"
    r"Each|Every|Any|All|Our|Your|We|You|It|They|Questions?|Anything|Ask|Contact|Email|See|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|Note|Tip|Also|Then|Only|Some)$"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Document:
    source: str
    metadata: Mapping[str, object]
    text: str


def _candidates(sentence: str, capitalised_mid: set[str]) -> list[str]:
    """Names in a sentence; a lone capitalised first word counts only if the corpus also
    writes it capitalised mid-sentence (it is a name, not just the start of a sentence)."""
    names = []
    body = re.sub(r"^[\s>*#-]+", "", sentence)
    for match in _NAME.finditer(body):
        name = match.group(0).strip()
        words = name.split()
        while words and _NOT_NAMES.match(words[0]):
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        at_start = match.start() == 0 and len(match.group(0).split()) == len(words)
        if len(words) == 1 and at_start and name not in capitalised_mid:
            continue
        names.append(name)
    return names


def _mid_sentence_names(sentences: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    for sentence in sentences:
        for match in _NAME.finditer(sentence):
            if match.start() > 0:
                seen.update(match.group(0).split())
                seen.add(match.group(0))
    return seen


def owner_named_by_most(documents: Iterable[Document]) -> str | None:
    """The owner most playbooks name in their front matter (at least three, and most of them)."""
    owners: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        for key, value in document.metadata.items():
            if _OWNER_KEY.search(str(key)) and isinstance(value, str) and value.strip():
                owners[value.strip()] += 1
                break
    if not owners:
        return None
    name, count = owners.most_common(1)[0]
    return name if count >= 3 and count * 2 > total else None


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """The document as (heading, sentences) pairs; text before the first heading has none."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            sections.append((line.lstrip("# ").strip(), []))
        else:
            sections[-1][1].extend(s.strip() for s in _SENTENCE.split(line) if s.strip())
    return sections


def infer_contacts(documents: list[Document]) -> dict[str, Contact]:
    """For each role that the documents name, its name and the document that names it. A
    name is credited with the role words of its sentence, and a name in a heading with those
    of its whole section ("## Crew Services (HR)" over a list of what they handle)."""
    parsed = [(d.source, _sections(d.text)) for d in documents]
    capitalised = _mid_sentence_names(
        sentence for _, sections in parsed for _, body in sections for sentence in body
    )
    scores: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[tuple[str, str], str] = {}

    def credit(names: list[str], text: str, source: str) -> None:
        for role, cue in ROLE_CUES.items():
            hits = len(cue.findall(text))
            for name in names:
                if hits and not cue.fullmatch(name):
                    scores[role][name] += hits
                    where.setdefault((role, name), source)

    for source, sections in parsed:
        for heading, body in sections:
            for sentence in body:
                credit(_candidates(sentence, capitalised), sentence, source)
            if heading:
                # A heading's name counts when the text also uses it as a name.
                named = [n for n in _NAME.findall(heading) if n in capitalised]
                credit(named, heading + " " + " ".join(body), source)
    found: dict[str, Contact] = {}
    if owner := owner_named_by_most(documents):
        found["team"] = Contact(owner, source="front matter of the playbooks")
    taken = {c.name for c in found.values()}
    for role in ("hr", "wellbeing", "team"):
        if role in found:
            continue
        ranked = [(n, s) for n, s in scores[role].most_common() if n not in taken]
        # A name must be about this role more than about the others, and said more than once.
        for name, score in ranked:
            other = max((scores[r][name] for r in scores if r != role), default=0)
            if score >= 2 and score > other:
                found[role] = Contact(name, source=where[(role, name)])
                taken.add(name)
                break
    return found
