"""Front matter as real folders have it: valid YAML, or nearly.

`title: Kite flying: a beginners' hour` is invalid YAML (an unquoted colon) but common in folders
written by people. Such a block is read line by line ("key: value", split at the first colon)
with a warning, so the file is indexed with its metadata instead of being dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import frontmatter

_BLOCK = re.compile(
    r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w -]*?)\s*:\s*(?P<value>.*)$")


@dataclass(frozen=True)
class FrontMatter:
    metadata: dict[str, Any]
    body: str
    warnings: list[str] = field(default_factory=list)


def _lenient(block: str) -> dict[str, Any]:
    """ "key: value" lines; list items ("- a") under a key become a list; quotes are dropped."""
    metadata: dict[str, Any] = {}
    last_key: str | None = None
    for raw in block.splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(?P<item>.+)$", line)
        if item and last_key is not None:
            current = metadata.get(last_key)
            values = current if isinstance(current, list) else []
            metadata[last_key] = [*values, item.group("item").strip().strip("'\"")]
            continue
        match = _LINE.match(line)
        if not match:
            continue
        last_key = match.group("key").strip()
        value = match.group("value").strip()
        if value.startswith("[") and value.endswith("]"):
            items = value[1:-1].split(",")
            metadata[last_key] = [v.strip().strip("'\"") for v in items if v.strip()]
        else:
            metadata[last_key] = value.strip("'\"") if value else ""
    return metadata


def parse(text: str) -> FrontMatter:
    """The front matter and the body of a Markdown file."""
    try:
        post = frontmatter.loads(text)
        return FrontMatter(dict(post.metadata), post.content)
    except Exception as error:  # the YAML parser raises several types
        match = _BLOCK.match(text)
        if not match:
            raise
        reason = str(error).splitlines()[0]
        warning = f"front matter is not valid YAML ({reason}); read it line by line"
        return FrontMatter(_lenient(match.group("yaml")), text[match.end() :], [warning])
