"""Find the sentence, or the table row, that answers a question, and decide whether the library
answers it at all.

Candidates are every sentence and every table row (read with its header) of the retrieved
passages. Each is scored by meaning (embedding similarity to the question, with its document's
title for context), by the question's words it shares, by whether it has the shape of an
answer (a duration for "how long", a name for "who") and by the kind of document the question
prefers. The library answers when the best candidate is close enough in meaning and shares the
question's distinctive words; otherwise the coach says it does not know, rather than quoting
whatever was nearest.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from coach.domain import Passage
from coach.providers.query_cache import embed_sentences
from coach.questions import Question
from coach.reading.quantities import find_quantities, normalise
from coach.reading.rules import read_sentence
from coach.reading.tables import Table, split_tables
from coach.safety import is_suspicious
from coach.text import content_words, cosine, names_all, proper_names, stem

# Calibrated on the development questions (bundled knowledge, odd ids; the development
# organisation); see evals/README.md for the figures on the held-out sets.
MIN_SIMILARITY = 0.45  # best candidate's similarity to the question, below which: not answered
# How far the best candidate must stand out from the typical other candidate (the median of the
# 15 closest): a question the library answers has one sentence that fits far better than the
# rest; one it does not answer finds many sentences about equally near.
MIN_STANDOUT = 0.15
STANDOUT_POOL = 15
# A sentence this close in meaning answers even among many close ones (a guide that is all
# about the question's topic); less close will do when it states the very kind of rule asked
# about (a lead time for "how far ahead").
CLEARLY_ANSWERS = 0.7
CLEARLY_ANSWERS_THE_RULE_ASKED = 0.6
MIN_COVERAGE = 0.2  # share of the question's distinctive words the answer's passage must have
SHAPE_BONUS = 0.12
RULE_ASKED_BONUS = 0.12  # the kind of rule asked about: a lead time for "how far ahead"
LEXICAL_WEIGHT = 0.25
PREFERRED_KIND_BONUS = 0.06
COUNTER_EXAMPLE_PENALTY = 0.15
# "As an example, someone on three days gets…", "A typical session: …": an illustration of a
# rule, not the rule, when a limit or a figure is asked for.
ILLUSTRATION_PENALTY = 0.1
FOCUS_WEIGHT = 0.3  # a follow-up's own words, beside the whole conversation's question
REPEAT_PENALTY = 0.3  # the sentence that answered the question before

_NAME = re.compile(r"\b[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+)+\b")
_RESPONSIBLE = re.compile(
    r"\b(?:approv|sign(?:s|ed)?[\s-]off|ask|contact|handles?|responsible|arranges?|go(?:es)?\s+to|"
    r"helps?\s+with|run\s+by|hosted\s+by|led\s+by|presented\s+by)",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"\b(?:room|hall|floor|building|auditorium|in\s+the\s+[A-Z]|at\s+the\s+[A-Z]|kept\s+in|"
    r"located|cabinet|desk|office|online|intranet|app|portal|page|channel)\b"
)
# A phone number or extension ("+44 20 7946 0000", "ext. 4400", "call 4400"), or an address.
_CONTACT = re.compile(
    r"\+?\d[\d\s().-]{5,}\d|\b(?:ext(?:ension)?\.?|call|ring|dial|phone)\s*:?\s*\d{3,}|"
    r"[\w.+-]+@[\w-]+\.[\w.]+",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|lunch|"
    r"noon|\d{1,2}[:.]\d{2}|\d{1,2}\s?(?:am|pm)|weekly|monthly|every)\b",
    re.IGNORECASE,
)


_ILLUSTRATION = re.compile(
    r"^(?:for\s+(?:example|instance)|as\s+an\s+(?:example|illustration)|e\.g\.|say,|"
    r"an?\s+typical|typically|imagine|suppose|in\s+practice)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    text: str
    passage: Passage
    similarity: float
    score: float
    fits_shape: bool
    states_the_rule_asked: bool = False
    names_what_was_asked: bool = False  # has every name the question names ("Tamarind")


@dataclass(frozen=True)
class Extraction:
    best: Candidate | None
    also: Candidate | None  # a second sentence that adds a condition or an exception
    answerable: bool
    coverage: float
    standout: float = 0.0  # how far the best candidate stands out from the typical near one


def _body(passage: Passage) -> tuple[str, str]:
    """The passage's facts line (who ran a session, when, for how many) and its body, without
    the title line that ingestion puts first."""
    head, _, body = passage.text.partition("\n\n")
    title_line, _, facts = head.partition("\n")
    if not body or not (
        title_line == passage.title or title_line.startswith(passage.title + " — ")
    ):
        return "", passage.text
    return facts.strip(), body


_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])|\n+")
_LEAD_IN = re.compile(r"(?m)^(\s*(?:[-*+]\s+)?)\*\*([^*\n]{1,60}?)[.:]\*\*\s+")
# Sections that list what not to do: their sentences describe mistakes, not the rule.
_COUNTER_EXAMPLES = re.compile(
    r"\b(?:mistakes?|pitfalls?|avoid|don'?ts?|anti-?patterns?|what\s+not|gotchas?)\b", re.I
)


# A FAQ written as "Q: …" / "A: …", each on its own line (bold or not).
_FAQ_QUESTION_LINE = re.compile(r"(?im)^([ \t]*(?:[-*+][ \t]+)?[*_]*)Q[ \t]*[:.][ \t]*(.+)$")
_FAQ_QUESTION = re.compile(r"^Q:\s")
_FAQ_ANSWER = re.compile(r"^A\s*[:.]\s*")


def _one_question(match: re.Match[str]) -> str:
    """A FAQ's question line, kept whole: its sentences are joined so that none is split off
    and read as a statement."""
    text = _SENTENCE_BREAK.sub("; ", match.group(2).replace("*", "").strip())
    return f"{match.group(1)}Q: {text}"


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def pieces(passage: Passage) -> list[str]:
    """The sentences and table rows (each with its header) of a passage."""
    return [text for text, _ in pieces_in_context(passage)]


def pieces_in_context(passage: Passage) -> list[tuple[str, str]]:
    """The sentences and table rows of a passage, each with what it answers when the document
    is written as questions and answers ("**May guests attend?** Yes: …"). A sentence that
    announces what follows ("…as below:") keeps the line after it."""
    facts, body = _body(passage)
    found: list[tuple[str, str]] = [(facts, "")] if facts else []
    for block in split_tables(body):
        if isinstance(block, Table):
            found.extend((block.describe(row), "") for row in block.rows)
            continue
        asked = ""
        # "**Focus hour.** Every Thursday…": a bold lead-in names what its sentence describes.
        block = _LEAD_IN.sub(r"\1\2: ", block)
        # "Q: I have 70 people. What do I do?" is one question, not a sentence and a question.
        block = _FAQ_QUESTION_LINE.sub(_one_question, block)
        for line in _SPLIT.split(block):
            if line.lstrip().startswith("#"):
                asked = ""
                continue
            line = re.sub(r"^\s*(?:[-*+•>]|\d+[.)])\s*", "", line).replace("**", "").strip()
            line = re.sub(r"^\[[ x]\]\s*", "", line)  # checklist boxes
            line = line.strip("*_ ")  # emphasis around a whole line
            if _FAQ_QUESTION.match(line):
                asked = line  # a question the next sentences answer, however many sentences
            elif line.endswith("?"):
                asked = line  # a question the next sentences answer
            elif found and re.search(r"(?::|\bbelow\.?)$", found[-1][0]) and line:
                found[-1] = (f"{found[-1][0]} {line}", found[-1][1])
            elif len(line.split()) >= 3:
                found.append((_FAQ_ANSWER.sub("", line), asked))
    # Text flagged as addressed to an assistant stays indexed and citable, never quoted.
    return [(text, asked) for text, asked in found if not is_suspicious(text)]


def _in_context(text: str, passage: Passage, asked: str = "") -> str:
    """A sentence as embedded: with its document's title and section (or the question it
    answers in a FAQ), which say what it is about when the sentence itself does not ("Book it
    a month ahead.")."""
    where = f"{passage.title} — {passage.section}" if passage.section else passage.title
    return f"{where}: {asked} {text}" if asked else f"{where}: {text}"


def states_rule_asked(question: Question, sentence: str) -> bool:
    """Whether the sentence states the kind of rule the question asks about."""
    if not question.wants or question.about_the_past:
        return False
    return bool({rule.kind for rule in read_sentence(sentence)} & question.wants)


def fits(question: Question, sentence: str) -> bool:
    """Whether a sentence has the shape of an answer to the question: the kind of rule it asks
    about ("how long" a length, "how far ahead" a lead time), else the kind of value."""
    # A rule of another kind may still carry the value asked for ("publish within 5 days" for
    # "how soon after"): the kind of rule is a preference (RULE_ASKED_BONUS), not a gate.
    return states_rule_asked(question, sentence) or _has_value_asked(question, sentence)


def _has_value_asked(question: Question, sentence: str) -> bool:
    shape = question.shape
    if shape in ("duration", "count", "money", "figure"):
        dimensions = {q.dimension for q in find_quantities(normalise(sentence))}
        wanted = {
            "duration": {"duration"},
            "count": {"people", "number"},
            "money": {"money"},
            "figure": {"duration", "people", "number", "money", "percent"},
        }[shape]
        return bool(dimensions & wanted)
    if shape == "yesno":
        # "Can I spend 500 euros?" is settled by a sentence with a sum in it.
        own = {q.dimension for q in find_quantities(normalise(question.text))}
        return not own or bool(own & {q.dimension for q in find_quantities(normalise(sentence))})
    if shape == "contact":
        return bool(_CONTACT.search(sentence))
    if shape == "person":
        return bool(_NAME.search(sentence) or _RESPONSIBLE.search(sentence))
    if shape == "place":
        return bool(_PLACE.search(sentence) or _NAME.search(sentence))
    if shape == "time":
        return bool(_TIME.search(sentence) or find_quantities(normalise(sentence)))
    return True


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def coverage(question: str, passage: Passage, rarity: dict[str, float]) -> float:
    """The share of the question's distinctive words (weighted by how rare they are in what was
    retrieved) that the passage has, its title included. Figures in the question are the
    asker's own case ("a 250 dollar fee"), not words the answer must repeat."""
    words = {w for w in _stems(question) if not w.isdigit()}
    if not words:
        return 1.0
    have = _stems(passage.text)
    total = sum(rarity.get(w, 1.0) for w in words)
    return sum(rarity.get(w, 1.0) for w in words if w in have) / total


def _rarity(passages: Sequence[Passage]) -> dict[str, float]:
    """Inverse document frequency over the retrieved passages: a word every passage has says
    little about whether one of them answers."""
    counts: dict[str, int] = {}
    for passage in passages:
        for word in _stems(passage.text):
            counts[word] = counts.get(word, 0) + 1
    n = len(passages) or 1
    return {w: math.log(1 + n / c) for w, c in counts.items()}


def extract(
    question: Question,
    passages: Sequence[Passage],
    embeddings: Embeddings,
    min_similarity: float = MIN_SIMILARITY,
    min_standout: float = MIN_STANDOUT,
) -> Extraction:
    """The best answering sentence of `passages` (best first), and whether it answers."""
    preferred = "session_note" if question.about_the_past else "playbook"
    candidates = [(text, p, asked) for p in passages for text, asked in pieces_in_context(p)]
    if not candidates:
        return Extraction(None, None, False, 0.0)
    query = embeddings.embed_query(question.text)
    focus = embeddings.embed_query(question.focus) if question.focus else None
    focus_words = _stems(question.focus)
    vectors = embed_sentences(embeddings, [_in_context(t, p, a) for t, p, a in candidates])
    asked = _stems(question.text)
    names = _distinctive(proper_names(question.text), [text for text, _, _ in candidates])
    facts_lines = {_body(p)[0] for p in passages} - {""}
    scored: list[Candidate] = []
    asks_rule = question.wants_figure or bool(question.wants)
    for (text, passage, _), vector in zip(candidates, vectors, strict=True):
        # A note's facts line answers who, when and how many, not what happened.
        off_topic_facts = text in facts_lines and question.shape not in ("person", "count", "time")
        similarity = cosine(query, vector)
        lexical = len(asked & _stems(text)) / (len(asked) or 1)
        rule_asked = states_rule_asked(question, text)
        shaped = rule_asked or _has_value_asked(question, text)
        named = names_all(names, text)
        score = (
            similarity
            + LEXICAL_WEIGHT * lexical
            + (SHAPE_BONUS if shaped and question.shape != "other" else 0.0)
            + (RULE_ASKED_BONUS if rule_asked else 0.0)
            + (PREFERRED_KIND_BONUS if passage.kind == preferred else 0.0)
            - (COUNTER_EXAMPLE_PENALTY if _COUNTER_EXAMPLES.search(passage.section) else 0.0)
            - (COUNTER_EXAMPLE_PENALTY if off_topic_facts else 0.0)
            - (ILLUSTRATION_PENALTY if asks_rule and _ILLUSTRATION.match(text) else 0.0)
        )
        if focus is not None:
            # A follow-up is answered by what its own words ask about ("and the room?"), not
            # again by what answered the question before it.
            own = len(focus_words & _stems(text)) / (len(focus_words) or 1)
            score += FOCUS_WEIGHT * cosine(focus, vector) + LEXICAL_WEIGHT * own
            if text in question.said_before:
                score -= REPEAT_PENALTY
        scored.append(Candidate(text, passage, similarity, score, shaped, rule_asked, named))
    scored.sort(key=lambda c: c.score, reverse=True)
    best = scored[0]
    rarity = _rarity(passages)
    covered = coverage(question.text, best.passage, rarity)
    others = [c.similarity for c in scored if c is not best]
    nearest = sorted(others, reverse=True)[:STANDOUT_POOL]
    # Too few other sentences (a tiny library) say nothing about standing out.
    standout = best.similarity - statistics.median(nearest) if len(nearest) >= 8 else 1.0
    answerable = (
        best.similarity >= min_similarity
        and (
            standout >= min_standout
            or best.similarity >= CLEARLY_ANSWERS
            or (best.states_the_rule_asked and best.similarity >= CLEARLY_ANSWERS_THE_RULE_ASKED)
        )
        and covered >= MIN_COVERAGE
        and (best.fits_shape or question.shape in ("yesno", "how", "other"))
    )
    if not answerable and (rescued := _named_answer(question, scored, preferred)):
        covered = coverage(question.text, rescued.passage, rarity)
        return Extraction(rescued, _also(rescued, scored), True, covered, standout)
    return Extraction(best, _also(best, scored), answerable, covered, standout)


def _named_answer(question: Question, scored: list[Candidate], kind: str) -> Candidate | None:
    """When nothing stands out, the best sentence with every name asked about and the shape of
    the answer (a row giving a room's capacity for "how many fit in Tamarind?"): it answers,
    however little its embedding resembles the question's. Only for a figure, a person, a place
    or a time: a name is no evidence for a yes or a no. And only from the kind of document that
    answers such a question: a past session named like an event says when it was held, not
    when its sign-ups close."""
    if question.shape in ("yesno", "how", "other"):
        return None
    named = next(
        (c for c in scored if c.names_what_was_asked and c.fits_shape and c.passage.kind == kind),
        None,
    )
    # The name is the evidence that the sentence is about what was asked: "fit" and "seats"
    # share no word, so the question's other words are not required.
    return named


def _distinctive(names: frozenset[str], texts: Sequence[str]) -> frozenset[str]:
    """The names, when few of the texts carry them all: a name most sentences share (the
    organisation's own) singles nothing out."""
    carrying = sum(names_all(names, t) for t in texts)
    return names if names and carrying <= max(2, len(texts) // 5) else frozenset()


_ADDS = re.compile(
    r"\b(?:unless|except|only|if|but|however|above|over|otherwise|higher|lower|more|less|fewer|"
    r"beyond|longer|shorter|larger|smaller)\b",
    re.I,
)


def _also(best: Candidate, scored: list[Candidate]) -> Candidate | None:
    """A second sentence from the same document that adds a condition or an exception."""
    for candidate in scored[1:4]:
        if (
            candidate.passage.source == best.passage.source
            and candidate.text != best.text
            and _ADDS.search(candidate.text)
            and candidate.score >= best.score - 0.12
        ):
            return candidate
    return None
