"""DOCX → text with python-docx: the body's paragraphs and tables in document order; Title and Heading styles
as "# " headings, list styles as "- " items; headers and footers are parts of their own and are not read."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.core.notices.files import layout

_HEADING_RE = re.compile(r"^(?:Heading|Overskrift)\s*(\d)$", re.IGNORECASE)
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _style_name(paragraph: Paragraph) -> str:
    try:
        style = paragraph.style
    except (KeyError, ValueError):
        return ""
    return str(style.name or "") if style is not None else ""


def _runs_text(paragraph: Paragraph) -> str:
    """The paragraph's text with its line and page breaks ("\\f"); a drawing's fallback copy is skipped."""
    parts: list[str] = []
    for element in paragraph._p.iter(qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")):
        if any(ancestor.tag == _FALLBACK for ancestor in element.iterancestors()):
            continue
        if element.tag == qn("w:t"):
            parts.append(element.text or "")
        elif element.tag == qn("w:br") and element.get(qn("w:type")) == "page":
            parts.append("\f")
        elif element.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _bold(paragraph: Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def _list_kind(paragraph: Paragraph, style: str) -> str | None:
    lowered = style.lower()
    if "number" in lowered or "nummer" in lowered:
        return "number"
    p_pr = paragraph._p.pPr
    if "list" in lowered or "liste" in lowered or (p_pr is not None and p_pr.numPr is not None):
        return "bullet"
    return None


def _paragraph(paragraph: Paragraph, counters: dict[str, int]) -> list[str]:
    """The blocks one paragraph gives: usually one, more where a page break stands inside it."""
    style = _style_name(paragraph)
    pieces = _runs_text(paragraph).split("\f")
    blocks: list[str] = []
    for index, piece in enumerate(pieces):
        if index:
            blocks.append("\f")
        if not piece.strip():
            continue
        if style == "Title":
            blocks.append(layout.heading(piece, 1))
        elif heading := _HEADING_RE.match(style):
            blocks.append(layout.heading(piece, int(heading[1])))
        elif kind := _list_kind(paragraph, style):
            if kind == "number":
                counters["number"] = counters.get("number", 0) + 1
                blocks.append(f"{counters['number']}. {layout.one_line(piece)}")
            else:
                blocks.append(f"- {layout.one_line(piece)}")
            continue
        elif _bold(paragraph):
            blocks.append(f"**{layout.one_line(piece)}**")
        else:
            blocks.append(layout.paragraph(piece))
        counters.clear()
    if not any(block.strip() for block in blocks):
        counters.clear()
    return blocks


def _cells(row: Any) -> list[str]:
    """A row's cells, a merged cell once."""
    cells: list[str] = []
    seen: list[object] = []
    for cell in row.cells:
        if any(cell._tc is other for other in seen):
            continue
        seen.append(cell._tc)
        cells.append(" ".join(p.text for p in cell.paragraphs))
    return cells


def text(data: bytes, name: str) -> str:
    document = docx.Document(io.BytesIO(data))
    pages: list[list[str]] = [[]]
    counters: dict[str, int] = {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            counters.clear()
            pages[-1].append(layout.table(_cells(row) for row in item.rows))
            continue
        for block in _paragraph(item, counters):
            if block == "\f":
                pages.append([])
            elif block.startswith(("- ", *(f"{n}. " for n in range(1, 100)))) and pages[-1] and _is_item(pages[-1][-1]):
                pages[-1][-1] += "\n" + block  # a list's items stay together in one block
            else:
                pages[-1].append(block)
    return layout.document(pages)


def _is_item(block: str) -> bool:
    last = block.rsplit("\n", 1)[-1]
    return last.startswith("- ") or bool(re.match(r"^\d{1,3}\. ", last))
