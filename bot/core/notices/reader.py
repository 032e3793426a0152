"""Reading a meeting notice ("innkalling") written like the seed into a Meeting.

The notices are PDFs turned into text: running page headers, Markdown marks, an agenda table whose
cells are split by tabs, pipes, or flattened onto one line. The parser looks for structure the
secretariat always writes ("Møte 4/20", "Sak 17/20", "Forslag til vedtak", "Møtet ferdig") and
ignores the rest, so other notices from the same body read too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.core.dates import DATE_RE, date_from_match
from bot.core.domain import Case, Meeting, Serial
from bot.core.formatting import enumeration
from bot.core.i18n import _
from bot.core.notices.agenda_list import TABLE_HEADER_RE, case_keys, find_agenda
from bot.core.notices.prose import (
    STATUS_HEAD,
    STREAM_ITEM,
    PlannedMeeting,
    ProseDeadline,
    StreamStatus,
    find_deadlines,
    find_meeting_plan,
    find_work_streams,
)
from bot.core.notices.text import case_type, cells, clean, is_heading, plain

MAX_NOTICE_BYTES = 2_000_000

_MEETING_NO_RE = re.compile(r"\bMøte\s+(\d{1,3}\s*/\s*\d{2,4})\b", re.IGNORECASE)
_CASE_NO = r"\d{1,3}/\d{2}"
_SECTION_RE = re.compile(rf"^[#*\s]*Sak\s+(?P<no>{_CASE_NO})\b[*\s]*(?::\s*(?P<title>.*?))?[*\s]*$")
_PROPOSAL_HEAD_RE = re.compile(r"^Forslag til (?:vedtak|beslutning)\s*:?\s*(?P<inline>.*)$", re.IGNORECASE)
_DECISION_HEAD_RE = re.compile(r"^(?:Vedtak|Beslutning|Konklusjon)\s*:?\s*(?P<inline>.*)$", re.IGNORECASE)
_DECISION_RE = re.compile(
    r"^[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){0,4}?\s+"
    r"(?:tar|tok)\s+(?:saken|sakene)\s+til\s+(?:orientering|etterretning)"
    r"|^[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){0,4}?\s+(?:godkjente|vedtok|besluttet|sluttet seg til)\b"
)
_PLAN_RE = re.compile(r"^Møteplan\s+(?P<body>.+)$", re.IGNORECASE)


class NoticeError(Exception):
    """A file Møtebot cannot read as a notice; the message names the file and what was missing."""


@dataclass(frozen=True)
class ParsedNotice:
    meeting: Meeting
    source: str
    warnings: list[str] = field(default_factory=list)
    deadlines: list[ProseDeadline] = field(default_factory=list)
    streams: list[StreamStatus] = field(default_factory=list)
    plan: list[PlannedMeeting] = field(default_factory=list)
    plan_body: str | None = None  # whose plan it is, as its heading says ("Møteplan Nasjonalt e-helsestyre")
    # Minutes ("Referat", "Protokoll", or dated on or after the meeting): only then are its decisions decisions;
    # a notice's closing sentences are proposals.
    minutes: bool = False
    # False when the document gives no meeting number: meeting.number is then Serial(year, 0), a placeholder
    # the importer replaces (the body's meeting on that day, or the next free number).
    numbered: bool = True
    # What the document lacks, one line each, as the member reads it ("Sak 6/18: fant ingen sakstype").
    missing: list[str] = field(default_factory=list)


def _paragraphs(lines: list[str]) -> list[str]:
    """Blocks of text; a heading is a block of its own."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() or is_heading(line):
            if current:
                blocks.append(" ".join(current))
                current = []
            if line.strip():
                blocks.append(line.strip())
            continue
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return blocks


def _proposal_and_decision(lines: list[str]) -> tuple[str | None, str | None]:
    blocks = _paragraphs(lines)
    proposal: str | None = None
    decision: str | None = None
    index = 0
    while index < len(blocks):
        text = plain(blocks[index])
        following = plain(blocks[index + 1]) if index + 1 < len(blocks) else ""
        if head := _PROPOSAL_HEAD_RE.match(text):
            proposal = head["inline"] or (following if following and not is_heading(blocks[index + 1]) else None)
            index += 1 if head["inline"] else 2
            continue
        if (head := _DECISION_HEAD_RE.match(text)) and (head["inline"] or is_heading(blocks[index])):
            decision = head["inline"] or following or decision
            index += 1 if head["inline"] else 2
            continue
        if _DECISION_RE.match(text):
            decision = text
        index += 1
    return proposal, decision


def _meeting_date(lines: list[str], start_index: int, same_line: str) -> date | None:
    """The notice's date stands on the meeting-number line or in the few lines after it."""
    candidates = [same_line, *[line for line in lines[start_index + 1 :] if line.strip()][:4]]
    for candidate in candidates:
        for match in DATE_RE.finditer(candidate):
            found = date_from_match(match)
            if found:
                return found
    return None


def parse_notice(text: str, source: str) -> ParsedNotice:
    """A Meeting from the notice's text, or NoticeError naming `source` and what was missing."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = [clean(line) for line in text.split("\n")]
    # Page furniture (running headers and footers) repeats on every page: leave it out.
    repeats = Counter(line.strip() for line in raw_lines if line.strip() and not cells(line))
    lines = [line for line in raw_lines if not line.strip() or repeats[line.strip()] < 4]
    # The status slides repeat their list of work streams on purpose: keep those for the prose.
    prose_lines = [
        line
        for line in raw_lines
        if not line.strip() or repeats[line.strip()] < 4 or STATUS_HEAD.match(line.strip()) or STREAM_ITEM.match(line)
    ]
    warnings: list[str] = []
    missing: list[str] = []

    number: Serial | None = None
    day: date | None = None
    for index, line in enumerate(lines):
        if match := _MEETING_NO_RE.search(plain(line)):
            number = Serial.parse(match[1])
            day = _meeting_date(lines, index, plain(line)[match.end() :])
            break
    if number is None:
        missing.append(_("the meeting number («Møte 4/20»)"))
    if day is None:
        missing.append(_("the meeting date («1. juli 2020» below the meeting number)"))

    rows, end = find_agenda(lines)
    if not rows:
        missing.append(_("the agenda (the table Sak / Agenda / Tid / Sakstype)"))

    if missing:
        raise NoticeError(
            _(
                "{source}: not a meeting notice Møtebot can read – did not find {missing}.",
                source=source,
                missing=enumeration(missing),
            )
        )
    assert number is not None and day is not None

    sections: dict[Serial, tuple[str | None, list[str]]] = {}
    current: Serial | None = None
    for line in lines:
        if (match := _SECTION_RE.match(line)) and (serial := Serial.parse(match["no"])):
            current = serial
            sections.setdefault(serial, (match["title"] or None, []))
        elif current is not None:
            sections[current][1].append(line)

    cases: list[Case] = []
    keys = case_keys(rows, day.year, sections)
    for row, key in zip(rows, keys, strict=True):
        kind = case_type(row.type_text)
        if row.type_text and kind is None:
            warnings.append(
                _(
                    "Case {case}: unknown case type «{type}», stored without a type.",
                    case=key,
                    type=row.type_text,
                )
            )
        proposal, decision = _proposal_and_decision(sections.get(key, (None, []))[1])
        label = None if row.label == str(key) else row.label
        cases.append(Case(key, row.title, row.start, kind, proposal, decision, label, row.presenter))
    listed = set(keys)
    for serial, (title, section) in sections.items():
        if serial not in listed:
            warnings.append(_("Case {case} is not in the agenda table; added last.", case=serial))
            proposal, decision = _proposal_and_decision(section)
            cases.append(Case(serial, plain(title or f"Sak {serial}"), None, None, proposal, decision))

    title = _title(lines)
    plan_body = next((m["body"].strip() for line in lines if (m := _PLAN_RE.match(plain(line)))), None)
    starts = [case.start for case in cases if case.start is not None]
    meeting = Meeting(
        number=number,
        title=title or f"Møte {number}",
        day=day,
        start=starts[0] if starts else None,
        end=end,
        cases=tuple(cases),
    )
    streams = find_work_streams(prose_lines)
    deadlines = find_deadlines(prose_lines, day.year, streams)
    plan = [entry for entry in find_meeting_plan(prose_lines, day.year) if entry.day > day]
    return ParsedNotice(meeting, source, warnings, deadlines, streams, plan, plan_body)


def _title(lines: list[str]) -> str | None:
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("# ") and not _SECTION_RE.match(stripped):
            return plain(stripped)
    for line in lines:
        if header := TABLE_HEADER_RE.search(" ".join(plain(cell) for cell in (cells(line) or [line]))):
            return header["title"].strip() or None
    return None


def read_notice(path: Path) -> ParsedNotice:
    """Read and parse one file; every failure is a NoticeError that names the file."""
    try:
        size = path.stat().st_size
        if size > MAX_NOTICE_BYTES:
            raise NoticeError(
                _(
                    "{path}: the file is too big ({size} kB; at most {limit} kB).",
                    path=path,
                    size=size // 1000,
                    limit=MAX_NOTICE_BYTES // 1000,
                )
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise NoticeError(_("{path}: does not exist.", path=path)) from None
    except IsADirectoryError:
        raise NoticeError(_("{path}: is a folder, not a file.", path=path)) from None
    except OSError as error:
        raise NoticeError(_("{path}: cannot be read ({reason}).", path=path, reason=error.strerror)) from None
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, source: str) -> ParsedNotice:
    if b"\x00" in data:
        raise NoticeError(_("{source}: is not a text file (send the notice as text or Markdown).", source=source))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoticeError(_("{source}: is not UTF-8 text (save the notice as UTF-8).", source=source)) from None
    return parse_notice(text, source)
