"""The reader's text dialect, as every converter writes it: pages split by "\\f", paragraphs by a blank line,
headings as "# Title", a table as one line per row with its cells split by tabs, list items as "- text"."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SPACE_RE = re.compile(r"[ \t\r\n\v\f\u00a0\u2028\u2029]+")


def one_line(text: str) -> str:
    """A cell's or a heading's text on one line: its own breaks and tabs become one space."""
    return _SPACE_RE.sub(" ", text).strip()


def heading(text: str, level: int) -> str:
    flat = one_line(text)
    return f"{'#' * max(1, min(level, 6))} {flat}" if flat else ""


def table(rows: Iterable[Sequence[str | None]]) -> str:
    """One line per row, cells split by tabs; rows with no text are left out."""
    lines = []
    for row in rows:
        cells = [one_line(cell or "") for cell in row]
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)


def paragraph(text: str) -> str:
    """A paragraph keeps its own line breaks; tabs inside running text become spaces."""
    lines = [" ".join(line.replace("\t", " ").split()) for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def document(pages: Iterable[Iterable[str]]) -> str:
    """Blocks of each page apart by a blank line, pages apart by a form feed on a line of its own."""
    rendered = ["\n\n".join(block for block in blocks if block.strip()) for blocks in pages]
    return "\n\f\n".join(rendered).strip("\n") + "\n"
