"""Split documents into retrieval-sized chunks that remember their title and section."""

from __future__ import annotations

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
        chunks.extend(TextChunk(path, piece) for piece in sizer.split_text(section.page_content))
    return [c for c in chunks if c.body.strip()]
