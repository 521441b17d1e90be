"""Split documents into retrieval-sized chunks that remember their title and section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from knowledge.loaders import LoadedDocument

# all-MiniLM-L6-v2 reads at most 256 word pieces (~1,000 characters of English) per chunk.
CHUNK_CHARS = 900
CHUNK_OVERLAP = 120
_HEADINGS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


@dataclass(frozen=True)
class TextChunk:
    section: str
    body: str

    def with_context(self, title: str, facts: str = "") -> str:
        """The chunk as embedded and shown: title, section and key facts first, so it stands
        alone in search results and quotes."""
        heading = f"{title} — {self.section}" if self.section and self.section != title else title
        return f"{heading}\n{facts}\n\n{self.body}" if facts else f"{heading}\n\n{self.body}"


def facts_line(title: str, metadata: dict[str, str | int | float | bool]) -> str:
    """Who, when and how of a session note (from its front matter) as one sentence."""
    host = metadata.get("host")
    if not host:
        return ""
    team = metadata.get("team")
    line = f"{title} was hosted by {host}" + (f" ({team})" if team else "")
    if date := metadata.get("date"):
        line += f" on {date}"
    if session_format := metadata.get("format"):
        line += f" as a {session_format}"
    if (attendees := metadata.get("attendees")) is not None:
        line += f", with {attendees} attendees"
    if (score := metadata.get("feedback_score")) is not None:
        line += f" and a feedback score of {score} out of 5"
    return line + "."


def split_document(document: LoadedDocument) -> list[TextChunk]:
    sizer = RecursiveCharacterTextSplitter(chunk_size=CHUNK_CHARS, chunk_overlap=CHUNK_OVERLAP)
    if not document.is_markdown:
        return [TextChunk("", piece) for piece in sizer.split_text(document.text)]
    sections = MarkdownHeaderTextSplitter(_HEADINGS, strip_headers=True).split_text(document.text)
    chunks: list[TextChunk] = []
    for section in sections:
        # The top heading repeats the title, which every chunk carries anyway.
        path = " > ".join(str(section.metadata[k]) for k in ("h2", "h3") if k in section.metadata)
        pieces = sizer.split_text(section.page_content)
        chunks.extend(
            TextChunk(path, _with_table_header(piece, section.page_content)) for piece in pieces
        )
    return [c for c in chunks if c.body.strip()]


_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _with_table_header(piece: str, section: str) -> str:
    """A piece that opens partway through a table gets the table's header row again, so its
    rows can still be read by column (which one holds the seats, which the lead time)."""
    lines = piece.lstrip("\n").splitlines()
    if not lines or not lines[0].lstrip().startswith("|"):
        return piece
    if len(lines) > 1 and _SEPARATOR_ROW.match(lines[1]):
        return piece  # it starts with its own header
    before = section.splitlines()
    try:
        start = before.index(lines[0])
    except ValueError:
        return piece
    for index in range(start - 1, 0, -1):
        if not before[index].lstrip().startswith("|"):
            return piece  # no header above: not a table the reader can label
        if _SEPARATOR_ROW.match(before[index]):
            return "\n".join([before[index - 1], before[index], *lines])
    return piece
