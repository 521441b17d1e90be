"""Indexed text is data, never instructions.

Passages are fenced in the prompt, and text that addresses the assistant ("ignore your
instructions", "note to the AI", chat-template tokens, in several languages) is removed before
any model or quote sees it. A flagged sentence takes its whole paragraph with it, because an
injection rarely stops at one sentence; in lists and tables only the flagged line goes.
"""

from __future__ import annotations

import re

# Words that address a model: an instruction aimed at one of these is not guidance for people.
_ADDRESSEE = (
    r"(assistants?|asistentes?|assistente|assistenten?|\bai\b|\bia\b|\bki\b|chat ?bots?|\bbots?\b"
    r"|\bllms?\b|\bgpt\b|language models?|\bmodels?\b|the coach|for the coach|ai tools?)"
)
_OVERRIDE = (
    r"(ignore|ignorez|ignora|ignoriere|ignorieren|disregard|forget|olvida|oublie|vergiss|override)"
    r"\b.{0,40}?\b(instructions?|instrucciones|instruções|anweisungen|consignes|rules|règles|"
    r"reglas|regeln|prompts?|guidelines|directions|system|question|user)"
)
_PATTERNS = [
    _OVERRIDE,
    r"\byou are now\b|\bfrom now on\b|\bstay in character\b|\bà partir de maintenant\b",
    r"\bsystem ?prompt\b|\bsystemhinweis\b|\bhidden instructions\b|^\s*system\s*:",
    r"<\|[a-z_]+\|>|\[/?inst\]|<</?sys>>",
    rf"{_ADDRESSEE}.{{0,60}}\b(must|should|shall|will now|need to|has to|are required|muss|"
    r"debe|doit)\b",
    rf"\b(note|message|instruction|instructions|nota|hinweis|notice|important)\b[^.\n]{{0,50}}"
    rf"\b(to|for|pour|para|für|an)\b[^.\n]{{0,15}}{_ADDRESSEE}",
    r"\b(decode|execute)\b.{0,40}\b(string|configuration|code|instructions?)\b",
    r"\bfollow\b.{0,40}\bexactly\b",
    r"\b(reply|respond|answer|output|print|répondez|réponds|responde|antworte)\b.{0,40}"
    r"\b(only|solely|uniquement|solo|ausschließlich|exactly|verbatim)\b",
    rf"\b(mandatory|required|compulsory)\b[^.\n]{{0,15}}{_ADDRESSEE}",
    r"\b(open|create|file) a ticket\b|\bescalate (this|to)\b",
]
_INSTRUCTION_LIKE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.M)
_FENCE = re.compile(r"</?\s*(document|documents|system|instructions?)\b[^>]*>", re.IGNORECASE)
_LIST_LINE = re.compile(r"^\s*([-*+|>]|\d+\.)")
REMOVED = "[text removed: it addressed the assistant]"


def looks_like_instruction(text: str) -> bool:
    return bool(_INSTRUCTION_LIKE.search(text))


def _clean_block(block: str) -> str:
    lines = block.split("\n")
    if all(_LIST_LINE.match(line) or not line.strip() for line in lines):
        return "\n".join(REMOVED if looks_like_instruction(line) else line for line in lines)
    return REMOVED if looks_like_instruction(block) else block


def neutralise(text: str) -> str:
    """The passage without fence tags or text aimed at the assistant."""
    text = _FENCE.sub("", text)
    if not _INSTRUCTION_LIKE.search(text):
        return text
    return "\n\n".join(_clean_block(block) for block in re.split(r"\n\s*\n", text))
