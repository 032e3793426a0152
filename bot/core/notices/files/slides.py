"""PPTX → text with python-pptx: each slide a page; its title placeholder a "# " heading, then its text frames
and tables top to bottom, left to right; slide numbers, footers and date placeholders are furniture and left
out, and so are the speaker's notes. A paragraph with an explicit bullet is a "- " item (one with an inherited
bullet is running text: a proposal set in a body placeholder must read as the sentence it is)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn

from bot.core.notices.files import layout

_FURNITURE = {PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.HEADER}
_TITLES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}


def _placeholder(shape: Any) -> Any:
    if not shape.is_placeholder:
        return None
    try:
        return shape.placeholder_format.type
    except ValueError:
        return None


def _shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, groups opened, in reading order: top to bottom, then left to right."""
    found: list[Any] = []
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            found.extend(_shapes(shape.shapes))
        else:
            found.append(shape)
    yield from sorted(found, key=lambda s: (s.top or 0, s.left or 0))


def _frame(frame: Any) -> list[str]:
    blocks: list[str] = []
    number = 0
    for paragraph in frame.paragraphs:
        content = str(paragraph.text).replace("\v", "\n")
        if not content.strip():
            number = 0
            continue
        p_pr = paragraph._p.pPr
        bullet = p_pr is not None and p_pr.find(qn("a:buChar")) is not None
        numbered = p_pr is not None and p_pr.find(qn("a:buAutoNum")) is not None
        runs = [run for run in paragraph.runs if run.text.strip()]
        if bullet or numbered:
            number = number + 1 if numbered else 0
            mark = f"{number}." if numbered else "-"
            item = f"{'  ' * paragraph.level}{mark} {layout.one_line(content)}"
            if blocks and blocks[-1].lstrip().startswith(("- ", f"{number - 1}. ")):
                blocks[-1] += "\n" + item
            else:
                blocks.append(item)
            continue
        number = 0
        if runs and all(run.font.bold for run in runs):
            blocks.append(f"**{layout.one_line(content)}**")
        else:
            blocks.append(layout.paragraph(content))
    return blocks


def _table(shape: Any) -> str:
    rows = []
    for row in shape.table.rows:
        rows.append([cell.text for cell in row.cells if not cell.is_spanned])
    return layout.table(rows)


def text(data: bytes, name: str) -> str:
    presentation = Presentation(io.BytesIO(data))
    pages: list[list[str]] = []
    for slide in presentation.slides:
        blocks: list[str] = []
        for shape in _shapes(slide.shapes):
            kind = _placeholder(shape)
            if kind in _FURNITURE:
                continue
            if getattr(shape, "has_table", False) and shape.has_table:
                blocks.append(_table(shape))
            elif shape.has_text_frame:
                if kind in _TITLES:
                    blocks.append(layout.heading(shape.text_frame.text, 1))
                else:
                    blocks.extend(_frame(shape.text_frame))
        pages.append(blocks)
    return layout.document(pages)
