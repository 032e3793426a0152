"""Page furniture: running headers, footers and page numbers, told by where they stand and how they look.

Never by how often a line repeats in the text: a notice with many cases repeats its "# Forslag til vedtak"
heading once per case, and its status slides repeat their list on purpose. A line is furniture when it is a
page number ("Side 2 av 5", "- 4 -", a bare number at a page's top or bottom), or when it stands among the
first or last two lines of a page and the same line stands at that edge of enough other pages (the seed's
"Direktoratet for / e-helse" logo text).
"""

from __future__ import annotations

import re
from collections import Counter

from bot.core.notices.text import cells, is_heading

PAGE_BREAK = "\f"  # kept as a line of its own: blank to every other reader, the end of a page to the sections
_SLIDE_BREAK_RE = re.compile(r"\n(?:[ \t]*\n){3,}")  # plain text from slides: 3+ blank lines between slides
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:side|sida|page)\s+\d{1,3}(?:\s*(?:av|/|of)\s*\d{1,3})?|[-–]\s*\d{1,3}\s*[-–]|\d{1,3}\s*/\s*\d{1,3}\s+sider?)$",
    re.IGNORECASE,
)
_BARE_NUMBER_RE = re.compile(r"^\d{1,3}$")
_EDGE = 2  # lines at each edge of a page that may be furniture
# A sentence (ends with a full stop, four words or more) is what the page says, not what stands on each page.
_SENTENCE_RE = re.compile(r"^\S+(?:\s+\S+){3,}[.!?]$")
# What a notice's structure begins with is content wherever it stands, even unmarked (a PDF's heading).
_STRUCTURE_RE = re.compile(
    r"^\W*(?:sak|ps|st|agenda|møte)\b"
    r"|\b(?:forslag|framlegg|innstilling|tilråding|vedtak|vedteke|vedtatt|saksliste|sakliste|dagsorden)\b",
    re.IGNORECASE,
)


def split_pages(text: str) -> list[str]:
    """The pages: split by form feeds, or in plain text by the slide breaks (runs of 3+ blank lines)."""
    if PAGE_BREAK in text:
        return text.split(PAGE_BREAK)
    return _SLIDE_BREAK_RE.split(text)


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def _may_be_furniture(lines: list[str], index: int) -> bool:
    """Headings, table rows and sentences are content; so is the line right under a heading."""
    line = lines[index].strip()
    if not line or cells(lines[index]) or is_heading(line) or _SENTENCE_RE.match(line.replace("**", "")):
        return False
    if _STRUCTURE_RE.search(line):
        return False
    above = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), None)
    return above is None or not is_heading(above)


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(line.strip().replace("**", "").strip()))


def _edges(lines: list[str]) -> tuple[list[int], list[int]]:
    """The indexes of a page's first and last _EDGE non-blank lines, its page numbers left out."""
    filled = [index for index, line in enumerate(lines) if line.strip() and not _is_page_number(line)]
    return filled[:_EDGE], filled[-_EDGE:]


def without_furniture(text: str) -> list[str]:
    """The notice's lines, furniture left out (as blank lines) and each page ended by a PAGE_BREAK line."""
    pages = [page.split("\n") for page in split_pages(text)]
    filled = [page for page in pages if any(line.strip() for line in page)]
    # Enough pages: three (two in a short notice), however many there are: picture slides carry no header,
    # and a long page runs over onto pages of its own.
    needed = 3 if len(filled) > 4 else 2
    tops: Counter[str] = Counter()
    bottoms: Counter[str] = Counter()
    for page in filled:
        top, bottom = _edges(page)
        tops.update({_key(page[index]) for index in top})
        bottoms.update({_key(page[index]) for index in bottom})
    kept: list[str] = []
    for page in pages:
        top, bottom = _edges(page)
        dropped = {index for index, line in enumerate(page) if _is_page_number(line)}
        for edge, counts in ((top, tops), (bottom, bottoms)):
            for index in edge:
                bare = _BARE_NUMBER_RE.match(page[index].strip().replace("**", "").strip())
                repeated = len(filled) > 1 and counts[_key(page[index])] >= needed
                if (bare or repeated) and _may_be_furniture(page, index):
                    dropped.add(index)
        kept += ["" if index in dropped else line for index, line in enumerate(page)]
        kept.append(PAGE_BREAK)
    return kept
