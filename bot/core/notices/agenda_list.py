"""The agenda of a notice: its rows (number, title, time, type), wherever and however the notice sets them out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.core.dates import parse_clock
from bot.core.domain import Serial
from bot.core.notices.text import cells as _cells
from bot.core.notices.text import plain as _plain

CASE_NO = r"\d{1,3}/\d{2}"
TABLE_HEADER_RE = re.compile(r"\bSak\s+(?:Agenda|Dagsorden)\b(?P<title>.*?)\s+Tid\b(?:\s+Sakstype\b)?")
_FLAT_ROW_RE = re.compile(
    rf"\s*(?P<no>{CASE_NO})\s+(?P<title>.+?)\s+(?P<time>\d{{1,2}}[.:]\d{{2}})"
    rf"(?:\s+(?P<type>[A-ZÆØÅ][\wæøåÆØÅ-]*))?(?=\s+{CASE_NO}\s|\s+Møtet\s+ferdig\b|\s*$)"
)
_END_RE = re.compile(r"\s*Møtet\s+(?:er\s+)?(?:ferdig|slutt|avsluttes)\W*(?P<time>\d{1,2}[.:]\d{2})", re.IGNORECASE)


@dataclass
class Row:
    number: Serial
    title: str
    start: time | None
    type_text: str


def _agenda_from_cells(lines: list[str]) -> tuple[list[Row], time | None]:
    rows: list[Row] = []
    end: time | None = None
    for line in lines:
        cells = _cells(line)
        if not cells:
            continue
        cells = [_plain(cell) for cell in cells]
        number = Serial.parse(cells[0]) if re.fullmatch(CASE_NO, cells[0]) else None
        if number is not None and len(cells) >= 2 and cells[1]:
            start = parse_clock(cells[2]) if len(cells) > 2 else None
            rows.append(Row(number, cells[1], start, cells[3] if len(cells) > 3 else ""))
        elif any(re.fullmatch(r"Møtet\s+(?:er\s+)?(?:ferdig|slutt)", cell, re.IGNORECASE) for cell in cells):
            end = next((t for t in map(parse_clock, cells) if t is not None), None)
    return rows, end


def _agenda_flattened(text: str) -> tuple[list[Row], time | None]:
    flat = " ".join(_plain(line) for line in text.split("\n") if line.strip())
    header = TABLE_HEADER_RE.search(flat)
    if not header:
        return [], None
    rows: list[Row] = []
    pos = header.end()
    while match := _FLAT_ROW_RE.match(flat, pos):
        number = Serial.parse(match["no"])
        if number is None:
            break
        rows.append(Row(number, match["title"], parse_clock(match["time"]), match["type"] or ""))
        pos = match.end()
    end_match = _END_RE.match(flat, pos)
    end = parse_clock(end_match["time"]) if end_match else None
    return rows, end


def find_agenda(lines: list[str]) -> tuple[list[Row], time | None]:
    """The agenda's rows and the meeting's end ("Møtet ferdig 10.30"); no rows when there is no agenda."""
    rows, end = _agenda_from_cells(lines)
    if not rows:
        rows, end = _agenda_flattened("\n".join(lines))
    return rows, end
