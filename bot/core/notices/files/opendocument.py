"""ODT → text with odfpy: headings (text:h) as "# " by their outline level, paragraphs, lists as "- " items,
tables row by row, a page break where a paragraph's style breaks before the page; the master pages' headers and
footers are styles, not text, and are not read."""

from __future__ import annotations

import io
from typing import Any

from odf import opendocument, teletype
from odf.namespaces import FONS, STYLENS, TABLENS, TEXTNS
from odf.table import TableRow

from bot.core.notices.files import layout

# A row or cell that says it repeats more than this is a spreadsheet habit (a million empty columns): once.
_MAX_REPEAT = 50


def _page_breaking_styles(document: Any) -> set[str]:
    names = set()
    for styles in (document.automaticstyles, document.styles):
        for style in styles.childNodes:
            for props in getattr(style, "childNodes", []):
                properties = props.qname == (STYLENS, "paragraph-properties")
                if properties and props.attributes.get((FONS, "break-before")) == "page":
                    names.add(style.attributes.get((STYLENS, "name")))
    return names


def _text(node: Any) -> str:
    return str(teletype.extractText(node))


def _table(node: Any) -> str:
    rows: list[list[str]] = []
    for row in node.getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname == (TABLENS, "table-cell"):
                repeat = int(cell.attributes.get((TABLENS, "number-columns-repeated"), "1") or 1)
                value = " ".join(_text(p) for p in cell.childNodes if p.qname[0] == TEXTNS)
                cells.extend([value] * min(repeat, _MAX_REPEAT if value else 1))
        rows.append(cells)
    return layout.table(rows)


def _list_items(node: Any, depth: int = 0) -> list[str]:
    items: list[str] = []
    for item in node.childNodes:
        if item.qname != (TEXTNS, "list-item"):
            continue
        for child in item.childNodes:
            if child.qname == (TEXTNS, "list"):
                items.extend(_list_items(child, depth + 1))
            elif child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                content = layout.one_line(_text(child))
                if content:
                    items.append(f"{'  ' * depth}- {content}")
    return items


def _walk(node: Any, breaking: set[str], pages: list[list[str]]) -> None:
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            continue
        style = child.attributes.get((TEXTNS, "style-name"))
        if qname in ((TEXTNS, "p"), (TEXTNS, "h")) and style in breaking and any(pages[-1]):
            pages.append([])
        if qname == (TEXTNS, "h"):
            level = int(child.attributes.get((TEXTNS, "outline-level"), "1") or 1)
            pages[-1].append(layout.heading(_text(child), level))
        elif qname == (TEXTNS, "p"):
            pages[-1].append(layout.paragraph(_text(child)))
        elif qname == (TEXTNS, "list"):
            pages[-1].append("\n".join(_list_items(child)))
        elif qname == (TABLENS, "table"):
            pages[-1].append(_table(child))
        elif qname in ((TEXTNS, "section"), (TEXTNS, "soft-page-break")) or qname[1] == "table-of-content":
            _walk(child, breaking, pages)


def text(data: bytes, name: str) -> str:
    document = opendocument.load(io.BytesIO(data))
    pages: list[list[str]] = [[]]
    _walk(document.text, _page_breaking_styles(document), pages)
    return layout.document(pages)
