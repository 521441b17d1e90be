"""PDF (pypdf) and DOCX (python-docx) loaders; `knowledge.loaders.LOADERS` registers them."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from pypdf import PasswordType, PdfReader

from knowledge.loaders import (
    LoadedDocument,
    UnreadableFileError,
    collapse,
    join_blocks,
    tidy_lines,
    title_from_name,
)

# pypdf logs each repair it makes to a malformed file. A file it cannot read raises instead,
# and the ingest report gives the reason, so the log lines would only clutter the CLI output.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_DOCX_HEADINGS = {"Heading 1": "# ", "Heading 2": "## ", "Heading 3": "### "}


def _short(error: Exception) -> str:
    """The first words of a parser's error message, for the ingest report."""
    reason = error.args[0] if isinstance(error, KeyError) and error.args else error
    text = collapse(str(reason)) or type(error).__name__
    return text if len(text) <= 100 else text[:99] + "…"


def _open_pdf(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Viewers open a PDF with an empty user password (owner-restricted only) silently.
        try:
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:  # e.g. AES without the `cryptography` package
            opened = False
        if not opened:
            raise UnreadableFileError("encrypted PDF")
    return reader


def read_pdf(source: str, data: bytes) -> LoadedDocument:
    try:
        reader = _open_pdf(data)
        pages = [page.extract_text().strip() for page in reader.pages]
        title = collapse(str(reader.metadata.title or "")) if reader.metadata else ""
    except UnreadableFileError:
        raise
    except Exception as error:  # pypdf raises many types on a damaged file
        raise UnreadableFileError(f"corrupted PDF: {_short(error)}") from None
    text = "\n\n".join(page for page in pages if page)
    if not text:
        raise UnreadableFileError("no extractable text in the PDF (scanned?)")
    return LoadedDocument(title=title or title_from_name(source), text=text, is_markdown=False)


def _style(paragraph: Paragraph) -> str:
    return (paragraph.style.name or "") if paragraph.style is not None else ""


def _row_text(row: _Row) -> str:
    """A table row as "cell | cell"; a horizontally merged cell counts once."""
    cells = row.cells
    texts: list[str] = []
    index = 0
    while index < len(cells):
        texts.append(collapse(cells[index].text))
        index += max(cells[index].grid_span, 1)
    return " | ".join(texts) if any(texts) else ""


def _docx_blocks(document: Document) -> Iterator[str]:
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            if table := "\n".join(row for row in map(_row_text, item.rows) if row):
                yield table
            continue
        style = _style(item)
        prefix = _DOCX_HEADINGS.get(style, "- " if style.startswith("List") else "")
        text = collapse(item.text) if prefix.startswith("#") else tidy_lines(item.text)
        if text:
            yield prefix + text


def _docx_title(document: Document) -> str:
    # Without a core-properties part python-docx invents one titled "Word Document".
    rels = document.part.package.rels.values()
    has_core = any(rel.reltype == RELATIONSHIP_TYPE.CORE_PROPERTIES for rel in rels)
    if has_core and (title := collapse(document.core_properties.title or "")):
        return title
    headings = (p for p in document.paragraphs if _style(p) == "Heading 1")
    return next((text for p in headings if (text := collapse(p.text))), "")


# A DOCX is a zip: a small upload can expand to gigabytes. Refuse before parsing.
MAX_DOCX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


def _check_expanded_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # python-docx reports the corruption with its own reason
    if expanded > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise UnreadableFileError(
            f"DOCX expands to {expanded:,} bytes (the limit is {MAX_DOCX_UNCOMPRESSED_BYTES:,})"
        )


def read_docx(source: str, data: bytes) -> LoadedDocument:
    _check_expanded_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document))
        title = _docx_title(document)
    except Exception as error:  # zipfile, lxml and python-docx raise many types
        raise UnreadableFileError(f"corrupted DOCX: {_short(error)}") from None
    if not blocks:
        raise UnreadableFileError("empty document")
    text = join_blocks(blocks)
    return LoadedDocument(title=title or title_from_name(source), text=text, is_markdown=True)
