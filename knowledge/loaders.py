"""Turn a file's bytes into text plus metadata. Each format uses its own maintained library."""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

from knowledge.frontmatter import parse as parse_front_matter


class UnreadableFileError(ValueError):
    """The file cannot be indexed; the message says why, for the person running the ingest."""


@dataclass(frozen=True)
class LoadedDocument:
    title: str
    text: str
    is_markdown: bool
    metadata: dict[str, str | int | float | bool] = field(default_factory=dict)
    # Front matter as written, lists and dates included, for reading kinds and people.
    front_matter: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFileError("binary content (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        reason = f"not valid UTF-8 text ({error.reason} at byte {error.start})"
        raise UnreadableFileError(reason) from None
    if not text.strip():
        raise UnreadableFileError("empty file")
    return text


def _scalar(value: Any) -> str | int | float | bool | None:
    """Front matter values as Chroma can store them (scalars only)."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return None


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def title_from_name(source: str) -> str:
    return PurePosixPath(source).stem.replace("-", " ").replace("_", " ").strip().capitalize()


_WHITESPACE = re.compile(r"\s+")


def collapse(text: str) -> str:
    """Runs of whitespace (newlines included) as single spaces, trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def tidy_lines(text: str) -> str:
    """Whitespace collapsed within each line; blank lines dropped."""
    return "\n".join(line for line in map(collapse, text.splitlines()) if line)


def join_blocks(blocks: list[str]) -> str:
    """Blocks separated by blank lines, except consecutive list items, which stay together."""
    parts: list[str] = []
    for index, block in enumerate(blocks):
        if index:
            in_list = block.startswith("- ") and blocks[index - 1].startswith("- ")
            parts.append("\n" if in_list else "\n\n")
        parts.append(block)
    return "".join(parts)


_MARKDOWN_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK_TITLE = re.compile(r"(\]\([^)\s]+)\s+(\"[^\"]*\"|'[^']*')\)")


def _visible_markdown(text: str) -> str:
    """What a reader of the rendered page sees: no HTML comments, no link tooltips. Hidden
    text is where injected instructions hide."""
    return _LINK_TITLE.sub(r"\1)", _MARKDOWN_COMMENT.sub("", text))


def load_markdown(source: str, data: bytes) -> LoadedDocument:
    text = _decode(data)
    try:
        post = parse_front_matter(text)
    except Exception as error:  # not even a block of "key: value" lines
        raise UnreadableFileError(f"invalid front matter: {error}") from error
    metadata = {
        str(key): scalar
        for key, value in post.metadata.items()
        if (scalar := _scalar(value)) is not None
    }
    body = _html_tables_as_rows(_visible_markdown(post.body))
    if not body.strip():
        raise UnreadableFileError("no text after the front matter")
    title = str(metadata.pop("title", "") or _first_heading(body) or title_from_name(source))
    return LoadedDocument(
        title=title,
        text=body,
        is_markdown=True,
        metadata=metadata,
        front_matter=dict(post.metadata),
        warnings=post.warnings,
    )


_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)


def _html_tables_as_rows(text: str) -> str:
    """HTML tables written inside Markdown, as the "cell | cell" rows an HTML page's tables
    become, so they are read row by row with their header like any other table."""

    def rows(match: re.Match[str]) -> str:
        table = BeautifulSoup(match.group(0), "html.parser").find("table")
        if not isinstance(table, Tag):
            return match.group(0)
        lines = [r for r in table.find_all("tr") if r.find_parent("table") is table]
        return "\n\n" + "\n".join(filter(None, map(_row_text, lines))) + "\n\n"

    return _HTML_TABLE.sub(rows, text)


def load_text(source: str, data: bytes) -> LoadedDocument:
    text = _decode(data)
    return LoadedDocument(title=title_from_name(source), text=text, is_markdown=False)


# A file is parsed as HTML whatever it looks like; undecodable bytes simply become U+FFFD.
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)
logging.getLogger("bs4.dammit").setLevel(logging.ERROR)

# Dropped before extraction: never rendered as page text, and hidden text is where injected
# instructions hide. Comments, CDATA and processing instructions go too (see load_html).
_HTML_DROPPED = ["head", "title", "script", "style", "noscript", "template"]
_HTML_PREFIXES = {"h1": "# ", "h2": "## ", "h3": "### ", "li": "- "}
# fmt: off
_HTML_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h4", "h5", "h6",
    "header", "hr", "main", "nav", "ol", "p", "section", "summary", "ul",
})
# fmt: on


class _HtmlText:
    """Collects HTML as Markdown blocks: "#" headings, "- " list items, paragraphs, tables."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._pending: list[str] = []
        self._prefix = ""

    def end_block(self, next_prefix: str = "") -> None:
        text = "".join(self._pending)
        text = collapse(text) if self._prefix.startswith("#") else tidy_lines(text)
        if text:
            self.blocks.append(self._prefix + text)
        self._pending.clear()
        self._prefix = next_prefix

    def walk(self, node: Tag) -> None:
        # A stack rather than recursion: pages can nest elements thousands deep.
        stack: list[PageElement | None] = list(reversed(node.contents))
        while stack:
            child = stack.pop()
            if child is None:  # the end of a block element
                self.end_block()
            elif isinstance(child, NavigableString):
                self._pending.append(_WHITESPACE.sub(" ", child))
            elif not isinstance(child, Tag):
                continue
            elif child.name == "br":
                self._pending.append("\n")
            elif child.name == "pre":  # keeps its line breaks
                self.end_block()
                self._pending.append(child.get_text())
                self.end_block()
            elif child.name == "table":
                self.end_block()
                rows = [r for r in child.find_all("tr") if r.find_parent("table") is child]
                if table := "\n".join(filter(None, map(_row_text, rows))):
                    self.blocks.append(table)
            elif child.name in _HTML_PREFIXES or child.name in _HTML_BLOCKS:
                self.end_block(_HTML_PREFIXES.get(child.name, ""))
                stack.append(None)
                stack.extend(reversed(child.contents))
            else:
                stack.extend(reversed(child.contents))


def _inline_text(tag: Tag) -> str:
    collector = _HtmlText()
    collector.walk(tag)
    collector.end_block()
    return collapse(" ".join(collector.blocks))


def _row_text(row: Tag) -> str:
    """A table row as "cell | cell"; a nested table is flattened into its cell."""
    cells = [_inline_text(cell) for cell in row.find_all(["th", "td"], recursive=False)]
    return " | ".join(cells) if any(cells) else ""


def load_html(source: str, data: bytes) -> LoadedDocument:
    soup = BeautifulSoup(data, "html.parser")
    for hidden in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):
        hidden.extract()  # comments, CDATA, processing instructions, doctype
    title = collapse(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(_HTML_DROPPED):
        tag.decompose()
    if not title and (h1 := soup.find("h1")):
        title = _inline_text(h1)
    collector = _HtmlText()
    collector.walk(soup)
    collector.end_block()
    if not collector.blocks:
        raise UnreadableFileError("no text found in the HTML")
    text = join_blocks(collector.blocks)
    return LoadedDocument(title=title or title_from_name(source), text=text, is_markdown=True)


def load_pdf(source: str, data: bytes) -> LoadedDocument:
    # Imported on first use: pypdf and python-docx (with lxml) are slow to import, and
    # loaders_office imports this module, so a top-level import would be circular.
    from knowledge.loaders_office import read_pdf

    return read_pdf(source, data)


def load_docx(source: str, data: bytes) -> LoadedDocument:
    from knowledge.loaders_office import read_docx

    return read_docx(source, data)


LOADERS: dict[str, Callable[[str, bytes], LoadedDocument]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}


def load(source: str, data: bytes) -> LoadedDocument:
    suffix = PurePosixPath(source).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        supported = ", ".join(sorted(LOADERS))
        raise UnreadableFileError(f"unsupported file type '{suffix or source}' ({supported})")
    return loader(source, data)
