"""HTML → text with Beautiful Soup over the standard library's html.parser (no C parser to install; a notice
page is small): h1–h6 as headings, paragraphs, lists, tables row by row; scripts, styles, navigation and the
page's own header and footer are left out. A printed page break (`page-break-before: always`, as Word's "Save as
web page" writes it, or CSS's `break-before: page`) ends a page, so a running header on each stays furniture."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from bot.core.notices.files import layout

_DROPPED = {"script", "style", "nav", "noscript", "template", "head", "header", "footer", "aside", "form", "svg"}
_BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "pre", "address", "figure", "figcaption",
           "dl", "dt", "dd", "body", "html", "center", "fieldset"}  # fmt: skip
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PAGE_BREAK_RE = re.compile(r"(?:page-break-before\s*:\s*always|break-before\s*:\s*page)", re.IGNORECASE)
_PAGE = "\f"  # a block that ends the page


def _breaks_page(node: Tag) -> bool:
    return bool(_PAGE_BREAK_RE.search(str(node.get("style") or "")))


def _inline(node: Tag) -> str:
    """A block's text with <br> as a line break and <b>/<strong> kept as "**"."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br":
                parts.append("\n")
            elif child.name in _DROPPED:
                continue
            elif child.name in ("b", "strong") and child.get_text(strip=True):
                parts.append(f"**{_inline(child).strip()}**")
            else:
                parts.append(_inline(child))
    return "".join(parts)


def _list(node: Tag, depth: int = 0) -> list[str]:
    items: list[str] = []
    number = int(str(node.get("start", "1"))) if str(node.get("start", "1")).isdigit() else 1
    for item in node.find_all("li", recursive=False):
        nested = [child for child in item.find_all(["ul", "ol"], recursive=False)]
        for child in nested:
            child.extract()
        mark = f"{number}." if node.name == "ol" else "-"
        content = layout.one_line(_inline(item))
        if content:
            items.append(f"{'  ' * depth}{mark} {content}")
            number += 1
        for child in nested:
            items.extend(_list(child, depth + 1))
    return items


def _table(node: Tag) -> str:
    rows = []
    for row in node.find_all("tr"):
        if row.find_parent("table") is not node:
            continue
        rows.append([cell.get_text(" ") for cell in row.find_all(["td", "th"], recursive=False)])
    return layout.table(rows)


def _walk(node: Tag, blocks: list[str]) -> None:
    inline: list[str] = []

    def flush() -> None:
        content = layout.paragraph("".join(inline))
        if content:
            blocks.append(content)
        inline.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            inline.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _DROPPED:
            continue
        if _breaks_page(child):
            flush()
            blocks.append(_PAGE)
        if child.name in _HEADINGS:
            flush()
            blocks.append(layout.heading(child.get_text(" "), _HEADINGS[child.name]))
        elif child.name in ("ul", "ol"):
            flush()
            blocks.append("\n".join(_list(child)))
        elif child.name == "table":
            flush()
            blocks.append(_table(child))
        elif child.name == "hr":
            flush()
        elif child.name in _BLOCKS:
            flush()
            if child.find([*_HEADINGS, "p", "div", "ul", "ol", "table", "section"]):
                _walk(child, blocks)
            else:
                content = layout.paragraph(_inline(child))
                if content.startswith("**") and content.endswith("**") and "\n" in content:
                    content = layout.one_line(content)
                if content:
                    blocks.append(content)
        elif child.name == "br":
            inline.append("\n")
        else:
            bold = child.name in ("b", "strong") and child.get_text(strip=True)
            inline.append(f"**{_inline(child).strip()}**" if bold else _inline(child))
    flush()


def text(markup: str) -> str:
    soup = BeautifulSoup(markup, "html.parser")
    root = soup.body or soup
    blocks: list[str] = []
    _walk(root, blocks)
    pages: list[list[str]] = [[]]
    for block in blocks:
        if block == _PAGE:
            pages.append([])
        else:
            pages[-1].append(block)
    return layout.document(page for page in pages if page)
