"""Reading a meeting notice ("innkalling") written like the seed into a Meeting.

The notices are PDFs turned into text: running page headers, Markdown marks, an agenda table whose
cells are split by tabs, pipes, or flattened onto one line. The parser looks for structure the
secretariat always writes ("Møte 4/20", "Sak 17/20", "Forslag til vedtak", "Møtet ferdig") and
ignores the rest, so other notices from the same body read too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.domain import Case, CaseType, Meeting, Serial
from bot.core.formatting import case_name, enumeration
from bot.core.i18n import _
from bot.core.notices.agenda_list import TABLE_HEADER_RE, case_keys, find_agenda
from bot.core.notices.furniture import PAGE_BREAK, without_furniture
from bot.core.notices.head import Head, read_head
from bot.core.notices.prose import (
    PlannedMeeting,
    ProseDeadline,
    StreamStatus,
    find_deadlines,
    find_meeting_plan,
    find_work_streams,
)
from bot.core.notices.sections import find_sections, proposal_and_decision, section_label
from bot.core.notices.text import case_type, cells, clean, is_heading, plain

# A notice's PDF with its slides as pictures runs to several MB; the converters' own limits (pages, unpacked
# size, time in a child process) keep a large file from holding up anyone else.
MAX_CASES = 200  # an agenda longer than any meeting holds is a table of something else (a member list, a budget)
MAX_NOTICE_BYTES = 20_000_000

_PLAN_RE = re.compile(r"^Møteplan\s+(?P<body>.+)$", re.IGNORECASE)
_NO_TYPE_NEEDED_RE = re.compile(r"^(?:eventuelt|evt\.?|referatsaker|orienteringssaker|meldingssaker)\b", re.I)
# Types that ask for a proposal; Orientering and the like do not.
_WANTS_PROPOSAL = (CaseType.BESLUTNING, CaseType.GODKJENNING)


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


def parse_notice(text: str, source: str) -> ParsedNotice:
    """A Meeting from the notice's text, or NoticeError naming `source` and what was missing."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Running headers, footers and page numbers by where they stand: never by how often a line repeats.
    lines = [clean(line) for line in without_furniture(text)]
    title = _title(lines)
    head = read_head(lines, title, source)

    rows, agenda_end = find_agenda(lines)
    lacking: list[str] = []
    if head.day is None:
        lacking.append(_("the meeting date (write «Møtedato: 1. juli 2020» at the top of the notice)"))
    if not rows:
        lacking.append(_("the agenda (the table Sak / Agenda / Tid / Sakstype)"))
    if lacking:
        raise NoticeError(
            _(
                "{source}: not a meeting notice Møtebot can read – did not find {missing}.",
                source=source,
                missing=enumeration(lacking),
            )
        )
    day = head.day
    assert day is not None
    warnings: list[str] = []

    sections = find_sections(lines, day.year)
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
        section = sections.get(key)
        outcome = proposal_and_decision(section.lines if section else [], head.minutes)
        if outcome.unminuted:
            warnings.append(_unminuted(str(key), outcome.unminuted))
        label = None if row.label == str(key) else row.label
        cases.append(Case(key, row.title, row.start, kind, outcome.proposal, outcome.decision, label, row.presenter))
    listed = set(keys)
    for serial, section in sections.items():
        if serial not in listed:
            warnings.append(_("Case {case} is not in the agenda table; added last.", case=serial))
            outcome = proposal_and_decision(section.lines, head.minutes)
            if outcome.unminuted:
                warnings.append(_unminuted(str(serial), outcome.unminuted))
            label = section.label if Serial.parse(section.label) != serial else None
            name = plain(section.title or section.label)
            cases.append(Case(serial, name, None, None, outcome.proposal, outcome.decision, label=label))

    plan_body = next((m["body"].strip() for line in lines if (m := _PLAN_RE.match(plain(line)))), None)
    starts = [case.start for case in cases if case.start is not None]
    number = head.number or Serial(day.year, 0)
    meeting = Meeting(
        number=number,
        title=title or (f"Møte {number}" if head.number else "Møte"),
        day=day,
        start=head.start or (starts[0] if starts else None),
        end=head.end or agenda_end,
        location=head.location,
        web=head.web,
        cases=tuple(cases),
    )
    streams = find_work_streams(lines)
    deadlines = find_deadlines(lines, day.year, streams)
    plan = [entry for entry in find_meeting_plan(lines, day.year) if entry.day > day]
    missing = _missing(meeting, head)
    return ParsedNotice(
        meeting,
        source,
        warnings,
        deadlines,
        streams,
        plan,
        plan_body,
        minutes=head.minutes,
        numbered=head.number is not None,
        missing=missing,
    )


def _unminuted(case: str, decision: str) -> str:
    return _(
        "Case {case}: the notice writes a decision («{decision}»), but it is not the minutes: not stored as a "
        "decision.",
        case=case,
        decision=decision if len(decision) <= 80 else decision[:79] + "…",
    )


def _missing(meeting: Meeting, head: Head) -> list[str]:
    """One line per gap, with the command that fills it in where there is one."""
    lines: list[str] = []
    numbered = head.number is not None
    if not numbered:
        lines.append(_("Did not find the meeting number («Møte 4/20»): Møtebot gives the meeting a number."))
    if meeting.start is None:
        span = (
            f"{meeting.day:%d.%m.%Y} 09.00-{meeting.end:%H.%M}"
            if meeting.end
            else f"{meeting.day:%d.%m.%Y} 09.00-11.00"
        )
        if numbered:
            lines.append(
                _(
                    "Did not find the start time («kl. 09.00»): set it with `/moteplan flytt {meeting} {span}`.",
                    meeting=meeting.number,
                    span=span,
                )
            )
        else:
            lines.append(
                _(
                    "Did not find the start time («kl. 09.00»): set it with `/moteplan flytt` and the meeting's "
                    "number, `{span}`.",
                    span=span,
                )
            )
    if meeting.location is None and not meeting.web:
        lines.append(_("Did not find the meeting place («Sted: …»): write it in the notice and import it again."))
    timed = any(case.start is not None for case in meeting.cases)
    for case in meeting.cases:
        gaps: list[str] = []
        commands: list[str] = []
        key = str(case.number)
        if case.case_type is None and not _NO_TYPE_NEEDED_RE.match(case.title):
            gaps.append(_("no case type"))
            commands.append(f"`/dagsorden endre {key} type Beslutning`")
        if case.start is None and timed:
            gaps.append(_("no time"))
            commands.append(f"`/dagsorden endre {key} kl 10.00`")
        if case.case_type in _WANTS_PROPOSAL and not case.proposal and not case.decision:
            gaps.append(_("no proposed decision"))
            commands.append(f"`/dagsorden endre {key} forslag …`")
        if gaps:
            lines.append(
                _(
                    "{case}: found {gaps} – fill in with {commands}.",
                    case=case_name(case),
                    gaps=enumeration(gaps),
                    commands=", ".join(commands),
                )
            )
    return lines


def _title(lines: list[str]) -> str | None:
    """The first page's first heading (a slide's title may come out as a bold line), else the first "# "
    heading anywhere, else the agenda table's own title."""
    first_page = lines[: lines.index(PAGE_BREAK)] if PAGE_BREAK in lines else lines
    for line in first_page:
        stripped = line.strip()
        if is_heading(stripped) and not section_label(stripped, 2000) and plain(stripped):
            return plain(stripped)
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("# ") and not section_label(stripped, 2000):
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
    """A notice in any file Møtebot reads (PDF, DOCX, PPTX, ODT, HTML, Markdown, text), or NoticeError."""
    # Imported here: the converters raise this module's NoticeError, so they import it, not the other way.
    from bot.core.notices.files import document_text

    notice = parse_notice(document_text(data, source), source)
    if len(notice.meeting.cases) > MAX_CASES:
        raise NoticeError(
            _(
                "{source}: the agenda has {count} cases; Møtebot takes at most {limit} in one meeting.",
                source=source,
                count=len(notice.meeting.cases),
                limit=MAX_CASES,
            )
        )
    return notice
