"""PDF → text with pdfplumber: words grouped into lines by position, ruled tables through `find_tables` (their
words not repeated as running text), a borderless table's columns kept apart by tabs where the gap between words
is far wider than a space, page furniture (page numbers, running headers and footers) left out by where it
stands on the page, headings and bold lines by font size and weight."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from bot.core.i18n import _
from bot.core.notices.files import layout
from bot.core.notices.files.kinds import damaged
from bot.core.notices.reader import NoticeError

MAX_PAGES = 200
# The top and bottom bands of a page, as a share of its height, where headers, footers and page numbers stand.
BAND = 0.075
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:side|s\.|page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:av|of|/|\|)\s*\d{1,4})?$", re.IGNORECASE
)
_CID_RE = re.compile(r"^\(cid:\d+\)|\(cid:\d+\)")
_BULLETS = "•◦▪▫‣⁃●○■□–-*"


@dataclass
class _Line:
    top: float
    bottom: float
    x0: float
    size: float
    words: list[dict[str, Any]] = field(default_factory=list)
    bold: bool = False
    text: str = ""


@dataclass
class _Table:
    top: float
    rows: list[list[str | None]]


def _open(data: bytes, name: str) -> Any:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise NoticeError(
                _("{name}: the PDF is protected by a password; send it without one.", name=name)
            ) from None
        raise damaged(name, "PDF") from None


def _bold(word: dict[str, Any]) -> bool:
    font = str(word.get("fontname", "")).lower()
    return "bold" in font or "black" in font or "heavy" in font


def _lines(words: list[dict[str, Any]]) -> list[_Line]:
    """Words on the same baseline, left to right; a gap of two font sizes or more between words is a column
    gap (a borderless table) and becomes a tab."""
    lines: list[_Line] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        size = float(word.get("size") or (word["bottom"] - word["top"]))
        middle = (word["top"] + word["bottom"]) / 2
        line = next((ln for ln in reversed(lines[-3:]) if ln.top - 1 <= middle <= ln.bottom + 1), None)
        if line is None:
            line = _Line(word["top"], word["bottom"], word["x0"], size)
            lines.append(line)
        line.words.append(word)
        line.top, line.bottom = min(line.top, word["top"]), max(line.bottom, word["bottom"])
        line.size = max(line.size, size)
    lines.sort(key=lambda ln: ln.top)
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
        line.x0 = line.words[0]["x0"]
        parts: list[str] = []
        for before, word in zip([None, *line.words], line.words, strict=False):
            if before is not None:
                parts.append("\t" if word["x0"] - before["x1"] > 2 * line.size else " ")
            parts.append(word["text"])
        line.text = "".join(parts).strip()
        line.bold = all(_bold(w) for w in line.words)
    return lines


def _place(height: float, line: _Line) -> tuple[str, int]:
    """Where a band line stands (from the top, or from the bottom as a negative number) and its words with
    the numbers left out, so "Side 2" and "Side 3" are one footer."""
    words = re.sub(r"\d+", "#", line.text)
    if line.bottom <= height * BAND:
        return words, round(line.top / 4)
    return words, -round((height - line.bottom) / 4)


def _furniture(pages: list[tuple[float, list[_Line]]]) -> set[tuple[int, int]]:
    """(page, line) of the lines in the top or bottom band that are page numbers, or that stand at the same
    place on most pages: running headers and footers. Text outside the bands is never furniture."""
    banded = [
        (page_no, line_no, _place(height, line), line)
        for page_no, (height, lines) in enumerate(pages)
        for line_no, line in enumerate(lines)
        if line.bottom <= height * BAND or line.top >= height * (1 - BAND)
    ]
    pages_at = Counter(place for place in {(page_no, place) for page_no, _, place, _ in banded})
    on_pages = Counter(place for _, place in pages_at)
    running = {place for place, count in on_pages.items() if count >= 2 and count > len(pages) / 2}
    return {
        (page_no, line_no)
        for page_no, line_no, place, line in banded
        if place in running or _PAGE_NUMBER_RE.match(line.text.replace("\t", " "))
    }


def _level(line: _Line, body: float) -> int:
    """A heading's level from its size against the body text's: 0 for body text."""
    ratio = line.size / body if body else 1
    return 1 if ratio >= 1.6 else 2 if ratio >= 1.3 else 3 if ratio >= 1.12 else 0


def _line_text(line: _Line) -> str:
    # A glyph the font does not map to Unicode comes out as "(cid:127)": at the start of a line, a bullet.
    text = _CID_RE.sub("•", line.text) if line.text.startswith("(cid:") else line.text
    text = _CID_RE.sub("", text)
    if len(text) > 1 and text[0] in _BULLETS and text[1] in " \t":
        return "- " + text[2:].strip()
    return text


def _render(paragraph: list[_Line], body: float) -> str:
    levels = {_level(line, body) for line in paragraph}
    texts = [_line_text(line) for line in paragraph]
    if len(levels) == 1 and (level := levels.pop()) and not any("\t" in t for t in texts):
        return layout.heading(" ".join(texts), level)
    if all(line.bold for line in paragraph) and not any("\t" in t or t.startswith("- ") for t in texts):
        return f"**{' '.join(texts)}**"
    return "\n".join(texts)


def _blocks(lines: list[_Line], tables: list[_Table], body: float) -> list[str]:
    """The page's paragraphs and tables in reading order (top to bottom). A paragraph ends where the gap to
    the next line is wider than half a line, where a heading or a list item starts, or where a table row
    (a line with tabs) meets running text."""
    items: list[_Line | _Table] = sorted([*lines, *tables], key=lambda item: item.top)
    blocks: list[str] = []
    paragraph: list[_Line] = []
    for item in items:
        if isinstance(item, _Table):
            if paragraph:
                blocks.append(_render(paragraph, body))
                paragraph = []
            blocks.append(layout.table(item.rows))
            continue
        if paragraph:
            last = paragraph[-1]
            row, was_row = "\t" in item.text, "\t" in last.text
            gap = item.top - last.bottom
            breaks = (
                (gap > 0.5 * min(item.size, last.size) and not (row and was_row and gap < 2 * item.size))
                or row != was_row
                or _level(item, body) != _level(last, body)
                or _line_text(item).startswith("- ")
            )
            if breaks:
                blocks.append(_render(paragraph, body))
                paragraph = []
        paragraph.append(item)
    if paragraph:
        blocks.append(_render(paragraph, body))
    return blocks


def _inside(word: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def text(data: bytes, name: str) -> str:
    """The PDF's text in the reader's dialect, or NoticeError (encrypted, damaged, too many pages, no text)."""
    with _open(data, name) as pdf:
        count = len(pdf.pages)
        if count == 0:
            raise damaged(name, "PDF")
        if count > MAX_PAGES:
            raise NoticeError(
                _(
                    "{name}: the PDF has {pages} pages; Møtebot reads at most {limit}.",
                    name=name,
                    pages=count,
                    limit=MAX_PAGES,
                )
            )
        pages: list[tuple[float, list[_Line], list[_Table]]] = []
        sizes: Counter[float] = Counter()
        for page in pdf.pages:
            found = page.find_tables() if page.edges else []
            boxes = [table.bbox for table in found]
            tables = [_Table(table.bbox[1], table.extract()) for table in found]
            words = [
                word
                for word in page.extract_words(extra_attrs=["size", "fontname"])
                if not boxes or not _inside(word, boxes)
            ]
            for word in words:
                sizes[round(float(word["size"]), 1)] += len(word["text"])
            pages.append((float(page.height), _lines(words), tables))
    if not sizes and not any(tables for _, _, tables in pages):
        raise NoticeError(_("{name}: contains no text (a scanned page?) – send it as Word or text.", name=name))
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    furniture = _furniture([(height, lines) for height, lines, _ in pages])
    rendered = []
    for page_no, (_height, lines, tables) in enumerate(pages):
        kept = [line for line_no, line in enumerate(lines) if (page_no, line_no) not in furniture]
        rendered.append(_blocks(kept, tables, body))
    return layout.document(rendered)
