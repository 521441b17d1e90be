"""Turn a file's bytes into text plus metadata. Each format uses its own maintained library."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import frontmatter


class UnreadableFileError(ValueError):
    """The file cannot be indexed; the message says why, for the person running the ingest."""


@dataclass(frozen=True)
class LoadedDocument:
    title: str
    text: str
    is_markdown: bool
    metadata: dict[str, str | int | float | bool] = field(default_factory=dict)


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


def _title_from_name(source: str) -> str:
    return PurePosixPath(source).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def load_markdown(source: str, data: bytes) -> LoadedDocument:
    text = _decode(data)
    try:
        post = frontmatter.loads(text)
    except Exception as error:  # the YAML parser raises several types
        raise UnreadableFileError(f"invalid front matter: {error}") from error
    metadata = {
        str(key): scalar
        for key, value in post.metadata.items()
        if (scalar := _scalar(value)) is not None
    }
    body = post.content
    if not body.strip():
        raise UnreadableFileError("no text after the front matter")
    title = str(metadata.pop("title", "") or _first_heading(body) or _title_from_name(source))
    return LoadedDocument(title=title, text=body, is_markdown=True, metadata=metadata)


def load_text(source: str, data: bytes) -> LoadedDocument:
    text = _decode(data)
    return LoadedDocument(title=_title_from_name(source), text=text, is_markdown=False)


LOADERS: dict[str, Callable[[str, bytes], LoadedDocument]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
}


def load(source: str, data: bytes) -> LoadedDocument:
    suffix = PurePosixPath(source).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        supported = ", ".join(sorted(LOADERS))
        raise UnreadableFileError(f"unsupported file type '{suffix or source}' ({supported})")
    return loader(source, data)
