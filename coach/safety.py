"""Indexed text is data, never instructions.

Passages are fenced in the prompt, and sentences that address the assistant ("ignore your
instructions", "you are now ...") are removed before any model or quote sees them.
"""

from __future__ import annotations

import re

_INSTRUCTION_LIKE = re.compile(
    r"(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|"
    r"above\s+|earlier\s+)*(instructions?|rules|prompts?|guidelines|directions)"
    r"|\byou\s+are\s+now\b|\bsystem\s+prompt\b|\bnew\s+instructions?\b"
    r"|\b(as an? (ai|assistant|language model)|dear (ai|assistant|model|coach))\b"
    r"|\b(assistant|ai|model|chatbot|coach)\s+(must|should|will)\s+(now\s+)?(say|reply|respond|"
    r"answer|output|print|reveal|create|open|escalate)",
    re.IGNORECASE,
)
_FENCE = re.compile(r"</?\s*(document|documents|system|instructions?)\b[^>]*>", re.IGNORECASE)
REMOVED = "[text removed: it addressed the assistant]"


def looks_like_instruction(sentence: str) -> bool:
    return bool(_INSTRUCTION_LIKE.search(sentence))


def neutralise(text: str) -> str:
    """The passage without fence tags or sentences aimed at the assistant."""
    text = _FENCE.sub("", text)
    if not _INSTRUCTION_LIKE.search(text):
        return text
    parts = re.split(r"((?<=[.!?])\s+|\n)", text)
    return "".join(REMOVED if looks_like_instruction(p) else p for p in parts)
