"""Reading a document's text: PDF (pypdf), Word ``.docx`` (python-docx), plain text, Markdown and HTML.

``read_sections`` yields a file's text as Sections, each with the page it is on (PDF) and the heading it
stands under (Markdown, HTML, Word), one after another, so that a large file is never held whole. A file
that cannot be read raises Unreadable with a kind (what the window translates) and an English reason;
nothing else escapes, so that an indexer can skip the file and go on.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PDF = ".pdf"
DOCX = ".docx"
TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = (PDF, DOCX, *TEXT_SUFFIXES, *MARKDOWN_SUFFIXES, *HTML_SUFFIXES)
"""The files a collection takes; others in its folders are passed over without a word."""

ENCRYPTED = "encrypted"
DAMAGED = "damaged"
NO_TEXT = "no-text"
NOT_READABLE = "not-readable"
UNREADABLE_KINDS = (ENCRYPTED, DAMAGED, NO_TEXT, NOT_READABLE)

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HTML_SKIPPED = {"script", "style", "template", "noscript"}
_HTML_BLOCKS = {"p", "div", "li", "br", "tr", "td", "th", "section", "article", "blockquote", "pre", "dd", "dt"}


class Unreadable(Exception):
    """A file that cannot be read: ``kind`` (one of UNREADABLE_KINDS) and an English reason."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(frozen=True)
class Section:
    """A run of a document's text: a paragraph or a page. ``page`` counts from 1 (None where the format has
    no pages); ``heading`` is the nearest heading above it, "" for none."""

    text: str
    page: int | None = None
    heading: str = ""


def is_document(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read_sections(path: Path) -> Iterator[Section]:
    """The text of the document ``path``, section by section; raises Unreadable (also while iterating)."""
    suffix = path.suffix.lower()
    try:
        if suffix == PDF:
            yield from _pdf(path)
        elif suffix == DOCX:
            yield from _docx(path)
        elif suffix in MARKDOWN_SUFFIXES:
            yield from _markdown(path)
        elif suffix in HTML_SUFFIXES:
            yield from _html(path)
        elif suffix in TEXT_SUFFIXES:
            yield from _paragraphs(_decoded_lines(path), heading="")
        else:
            raise Unreadable(NOT_READABLE, f"MoEscope does not read {suffix or 'files without an ending'} files")
    except OSError as exc:
        raise Unreadable(NOT_READABLE, f"the file cannot be read: {exc.strerror or exc}") from exc


def _pdf(path: Path) -> Iterator[Section]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not for people; Unreadable says it
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable(ENCRYPTED, "the PDF is protected with a password")
        pages = reader.pages
        found = False
        for number, page in enumerate(pages, start=1):
            text = page.extract_text() or ""
            if text.strip():
                found = True
                yield Section(text, page=number)
    except FileNotDecryptedError as exc:
        raise Unreadable(ENCRYPTED, "the PDF is protected with a password") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            NotImplementedError, zipfile.BadZipFile) as exc:
        raise Unreadable(DAMAGED, f"the PDF is damaged or not a PDF ({type(exc).__name__})") from exc
    if not found:
        raise Unreadable(NO_TEXT, "the PDF holds no text, only images (a scan?)")


def _docx(path: Path) -> Iterator[Section]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(DAMAGED, f"the Word file is damaged or not a .docx file ({type(exc).__name__})") from exc
    heading = ""
    found = False
    for block in _docx_blocks(document):
        style, text = block
        if not text.strip():
            continue
        if style.startswith("Heading") or style == "Title":
            heading = text.strip()
        found = True
        yield Section(text.strip(), heading=heading)
    if not found:
        raise Unreadable(NO_TEXT, "the Word file holds no text")


def _docx_blocks(document) -> Iterator[tuple[str, str]]:
    """(style name, text) of the paragraphs, then of the tables' rows (cells joined by " | ")."""
    for paragraph in document.paragraphs:
        yield (paragraph.style.name if paragraph.style is not None else ""), paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield "", " | ".join(cell.text.strip() for cell in row.cells)


def _decoded_lines(path: Path) -> Iterator[str]:
    """The lines of a text file: UTF-8 (with or without BOM), else Windows-1252, as German files often are."""
    with path.open("rb") as handle:
        start = handle.read(4096)
    encoding = "utf-8-sig"
    try:
        start.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(start) - 3:  # not merely a character cut at the end of the sample
            encoding = "cp1252"
    with path.open(encoding=encoding, errors="replace") as handle:
        yield from handle


def _paragraphs(lines, heading: str, page: int | None = None) -> Iterator[Section]:
    """Sections of the lines, one per paragraph (blank lines separate them)."""
    paragraph: list[str] = []
    for line in lines:
        if line.strip():
            paragraph.append(line.strip())
        elif paragraph:
            yield Section(" ".join(paragraph), page=page, heading=heading)
            paragraph = []
    if paragraph:
        yield Section(" ".join(paragraph), page=page, heading=heading)


def _markdown(path: Path) -> Iterator[Section]:
    heading = ""
    block: list[str] = []
    for line in _decoded_lines(path):
        match = _MARKDOWN_HEADING.match(line)
        if match:
            yield from _paragraphs(block, heading)
            block = []
            heading = match.group(2)
        else:
            block.append(line)
    yield from _paragraphs(block, heading)


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self.heading = ""
        self._skipping = 0
        self._in_heading = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HTML_SKIPPED:
            self._skipping += 1
        elif tag in _HTML_HEADINGS:
            self._flush()
            self._in_heading = True
        elif tag in _HTML_BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _HTML_HEADINGS and self._in_heading:
            self.heading = " ".join("".join(self._text).split())
            self._text = []
            self._in_heading = False
        elif tag in _HTML_BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._text.append(data)

    def _flush(self) -> None:
        if self._in_heading:
            return
        text = " ".join("".join(self._text).split())
        self._text = []
        if text:
            self.sections.append(Section(text, heading=self.heading))

    def take(self) -> list[Section]:
        """The sections found so far, handed over once."""
        taken, self.sections = self.sections, []
        return taken

    def finish(self) -> list[Section]:
        """The last sections, at the end of the file."""
        self.close()
        self._in_heading = False
        self._flush()
        return self.take()


def _html(path: Path) -> Iterator[Section]:
    parser = _HtmlText()
    for line in _decoded_lines(path):
        parser.feed(line)
        yield from parser.take()
    yield from parser.finish()
