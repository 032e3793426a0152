"""What a notice says in prose: deadlines ("innen 1. november (utsatt frist fra 15. okt.)") and the
status of each work stream ("Status for arbeidet").

Sentences are matched on the few forms the secretariat writes; anything else is left alone rather
than guessed. Years left out in the prose ("innen 1. november") are the meeting's year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.core.dates import DATE_RE, parse_date

STATUS_HEAD = re.compile(r"^#+\s*Status for arbeidet\s*$", re.IGNORECASE)
STREAM_ITEM = re.compile(r"^\s*\*\*(?P<number>\d{1,2})\*\*\s+(?P<title>\S.*)$")
_CASE_HEAD = re.compile(r"^Sak\s+(\d{1,3}/\d{2})\b")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ\d])")
_DATE = re.sub(r"\?P<\w+>", "?:", DATE_RE.pattern.removeprefix(r"\b"))  # the same dates, groups unnamed
_BY_DATE = re.compile(
    r"^(?P<who>[A-ZÆØÅ][\w æøåÆØÅ-]{1,60}?) skal (?:også )?(?P<before>.*?)\binnen (?P<due>" + _DATE + r")"
    r"(?:\s*\(utsatt frist fra (?P<earlier>" + _DATE + r")\))?(?P<after>.*)$",
    re.IGNORECASE,
)
_POSTPONED_TO = re.compile(
    r"^(?P<who>[A-ZÆØÅ][\w æøåÆØÅ-]{1,60}?) har fått utsatt frist til (?P<due>" + _DATE + r")", re.IGNORECASE
)


@dataclass(frozen=True)
class ProseDeadline:
    what: str
    due: date
    body: str
    earlier: tuple[date, ...] = ()
    postponed: bool = False
    case: str | None = None  # "18/20": the case whose section it stands in


@dataclass(frozen=True)
class StreamStatus:
    number: int
    title: str
    status: str | None


def _strip_marks(text: str) -> str:
    return re.sub(r"\*\*|__", "", text).lstrip("#-• ").strip()


def _paragraphs(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        stripped = line.strip()
        starts_item = stripped.startswith(("- ", "#", "* "))
        if (not stripped or starts_item) and current:
            blocks.append(" ".join(current))
            current = []
        if stripped:
            current.append(_strip_marks(stripped))
            if starts_item:
                blocks.append(" ".join(current))
                current = []
    return blocks


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip(" ,:;.")
    return text[:1].upper() + text[1:]


def _full_name(who: str, known: list[str]) -> str:
    """'Direktoratet' written after 'Direktoratet for e-helse' means the same body."""
    return next((name for name in known if name.startswith(who + " ")), who)


def find_deadlines(lines: list[str], year: int, streams: list[StreamStatus]) -> list[ProseDeadline]:
    found: list[ProseDeadline] = []
    seen: set[tuple[date, str]] = set()
    bodies: list[str] = []
    stream_titles = iter(stream.title for stream in streams)
    current_stream = ""
    current_case: str | None = None
    for paragraph in _paragraphs(lines):
        if STATUS_HEAD.match("# " + paragraph):
            current_stream = next(stream_titles, current_stream)
        if case := _CASE_HEAD.match(paragraph):
            current_case = case[1]
        for sentence in _SENTENCE_END.split(paragraph):
            if match := _BY_DATE.match(sentence):
                due = parse_date(match["due"], default_year=year)
                earlier = parse_date(match["earlier"], default_year=year) if match["earlier"] else None
                who = _full_name(match["who"].strip(), bodies)
                what = _sentence(f"{match['before']} {match['after']}")
                if due is None or not what:
                    continue
                bodies.append(who)
                deadline = ProseDeadline(what, due, who, (earlier,) if earlier else (), bool(earlier), current_case)
            elif match := _POSTPONED_TO.match(sentence):
                due = parse_date(match["due"], default_year=year)
                if due is None:
                    continue
                what = current_stream or "Utsatt frist"
                deadline = ProseDeadline(what, due, match["who"].strip().capitalize(), (), True, current_case)
            else:
                continue
            key = (deadline.due, " ".join(deadline.what.casefold().split()[:5]))
            if key not in seen:
                seen.add(key)
                found.append(deadline)
    return found


def find_work_streams(lines: list[str]) -> list[StreamStatus]:
    """The numbered list under each "Status for arbeidet"; the slides after the k-th list are about stream k."""
    heads = [index for index, line in enumerate(lines) if STATUS_HEAD.match(line.strip())]
    if not heads:
        return []
    titles: dict[int, str] = {}
    statuses: dict[int, str | None] = {}
    for position, head in enumerate(heads):
        end = heads[position + 1] if position + 1 < len(heads) else len(lines)
        body_start = head + 1
        for index in range(head + 1, end):
            item = STREAM_ITEM.match(lines[index])
            if item:
                titles.setdefault(int(item["number"]), _strip_marks(item["title"]))
                body_start = index + 1
            elif lines[index].strip() and titles:
                break
        stream = position + 1
        title = titles.get(stream, "")
        statuses[stream] = next(
            (
                block
                for block in _paragraphs(lines[body_start:end])
                if block.casefold() != title.casefold() and not block.startswith("Kilde:") and len(block.split()) >= 3
            ),
            None,
        )
    return [
        StreamStatus(number, title, (statuses.get(number) or "").rstrip(":").strip() or None)
        for number, title in sorted(titles.items())
    ]


_PLAN_HEAD = re.compile(r"^#*\s*Møteplan\b", re.IGNORECASE)
_PLAN_ENTRY = re.compile(r"^(?P<date>" + _DATE + r")\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)
_HOURS = re.compile(r"(?P<hours>\d+(?:[.,]5)?)\s*time(?:r)?\b", re.IGNORECASE)
_SPAN = re.compile(r"(?:kl\.?\s*)?(?P<start>\d{1,2}[.:]\d{2})\s*[-–]\s*(?P<end>\d{1,2}[.:]\d{2})")


@dataclass(frozen=True)
class PlannedMeeting:
    day: date
    web: bool
    duration_minutes: int | None
    start: str | None
    end: str | None


def find_meeting_plan(lines: list[str], year: int) -> list[PlannedMeeting]:
    """The entries under "Møteplan …", such as "17. september: Web-møte 2 timer"."""
    planned: list[PlannedMeeting] = []
    in_plan = False
    for line in lines:
        text = _strip_marks(line)
        if _PLAN_HEAD.match(line.strip()) or _PLAN_HEAD.match(text):
            in_plan = True
            continue
        if not in_plan or not text:
            continue
        match = _PLAN_ENTRY.match(text)
        if not match:
            if planned:
                break  # the plan's list has ended
            continue
        day = parse_date(match["date"], default_year=year)
        if day is None:
            continue
        rest = match["rest"]
        hours = _HOURS.search(rest)
        span = _SPAN.search(rest)
        planned.append(
            PlannedMeeting(
                day=day,
                web="web" in rest.casefold() or "digital" in rest.casefold(),
                duration_minutes=int(float(hours["hours"].replace(",", ".")) * 60) if hours else None,
                start=span["start"] if span else None,
                end=span["end"] if span else None,
            )
        )
    return planned
