"""The meeting's own facts from the top of a notice: number, date, start and end, place, web or not, and
whether the document is the minutes.

Only what the document writes: each fact under the labels bodies use ("Møtedato", "Tid og sted",
"Møtestad" …), in bokmål and nynorsk, or in the few places a notice puts it without a label (the line of
"Møte 4/20", the title, the file's name). What is not found stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from bot.core.dates import DATE_RE, date_from_match, parse_clock
from bot.core.domain import Serial
from bot.core.notices.text import cells, plain

_NUMBER_RE = re.compile(
    r"(?<![-\w])[\wæøå]*møte\s+(?:nr\.?\s*)?(?P<no>\d{1,3}\s*/\s*(?:\d{4}|\d{2}))(?!\d)", re.IGNORECASE
)
_BARE_NUMBER_RE = re.compile(
    r"(?<![-\w])[\wæøå]*møte\s+(?:nr\.?\s*(?P<counted>\d{1,3})(?![\d./])"
    r"|(?P<bare>\d{1,3})(?=\s*$|\s*[,:;–—(]|\s+(?:i|for|den|på|kl|-)\b))",
    re.IGNORECASE,
)
# Labels, as the line's start ("Møtedato: 12.03.2024"), a table cell of their own, or a line of their own.
_DATE_LABELS = re.compile(r"møtedato|møtedag|tid og sted|tid og stad|tidspunkt|møtetid|tid|når|dag og tid").pattern
_DOC_DATE_LABELS = r"referatdato|protokolldato|dato for referat|dato for protokoll|skrevet|utsendt|sendt"
_PLACE_LABELS = r"møtested|møtestad|sted|stad|møterom|møtelokale|lokale"
_TIME_LABELS = r"klokkeslett|kl|fra\s*[-–]\s*til|frå\s*[-–]\s*til|møtestart"
_LABELS = rf"{_DATE_LABELS}|{_DOC_DATE_LABELS}|{_PLACE_LABELS}|{_TIME_LABELS}|dato"
_LABEL_RE = re.compile(rf"^(?P<label>{_LABELS})\s*(?::\s*(?P<value>.*))?$", re.IGNORECASE)
_NEXT_LABEL_RE = re.compile(rf"\s+[–|,;]\s+(?=(?:{_LABELS})\s*:)", re.IGNORECASE)  # "Sted: X – Tid: Y"
_AGENDA_START_RE = re.compile(
    r"^(?:saksliste|sakliste|saker til behandling|saker til handsaming|dagsorden|agenda|program)\b"
    r"|^(?:sak|ps|st|sst|rs|os|ds|styresak)\s*(?:nr\.?\s*)?\d",
    re.IGNORECASE,
)
_CLOCK = r"\d{1,2}[.:]\d{2}"
_SPAN_RE = re.compile(
    rf"(?P<start>{_CLOCK})(?:\s*(?:[-–—]|til)\s*(?:kl\.?\s*)?(?P<end>{_CLOCK}))?(?![\d.:]*\d)", re.IGNORECASE
)
_KL_SPAN_RE = re.compile(
    rf"\b(?:kl\.?|klokka|klokken)\s*(?P<span>{_CLOCK}(?:\s*(?:[-–—]|til)\s*(?:kl\.?\s*)?{_CLOCK})?)"
)
_WEB_RE = re.compile(
    r"\b(?P<platform>(?:microsoft\s+)?teams|zoom|mumble|whereby|webex|google\s+meet|skype)\b"
    r"|\b(?:digitalt|digital|fjernmøte|videomøte|web-?møte|nettmøte|videokonferanse|webinar)\b",
    re.IGNORECASE,
)
_PLATFORMS = {"teams": "Teams", "zoom": "Zoom", "mumble": "Mumble", "whereby": "Whereby", "webex": "Webex"}
_MINUTES_RE = re.compile(r"^(?:møte|styre)?(?:referat|protokoll)\b|^møtebok\b|^protokoll fr[åa]\b", re.IGNORECASE)
_WEEKDAYS = (
    r"mandag|måndag|tirsdag|tysdag|onsdag|torsdag|fredag|lørdag|laurdag|søndag|sundag|"
    r"man\.|tir\.|tirs\.|ons\.|tor\.|tors\.|fre\.|lør\.|søn\."
)
_LEFTOVER_RE = re.compile(rf"\b(?:{_WEEKDAYS})(?!\w)|\b(?:kl\.?|klokka|klokken|fra|frå|til)(?!\w)", re.IGNORECASE)
_TOGETHER_RE = re.compile(r"tid og st[ea]d", re.IGNORECASE)  # a date, a time and a place in one
# The letter's own sentence: "Det innkalles til styremøte torsdag 19. september 2024 kl. 09.00 …", "Møtet blir
# halde …": the date in it is the meeting's, not the letter's ("Bodø, 2. desember 2021").
_INVITATION_RE = re.compile(
    r"\b(?:innkall\w*|kall\w*\s+inn|møtet\s+(?:holdes|blir\s+hald\w*|vert\s+hald\w*|avholdes|finn\w*\s+stad|finner\s+sted))\b",
    re.IGNORECASE,
)
_HEAD_LINES = 60  # the facts stand above the agenda, within the first lines


@dataclass(frozen=True)
class Head:
    """The facts found; None where the document says nothing."""

    number: Serial | None
    day: date | None
    start: time | None
    end: time | None
    location: str | None
    web: bool
    minutes: bool  # the document calls itself minutes, or is dated on or after the meeting
    document_day: date | None  # the document's own date, when it gives one apart from the meeting's


def _first_date(text: str, year: int | None = None) -> date | None:
    for match in DATE_RE.finditer(text):
        if found := date_from_match(match, year):
            return found
    return None


def head_lines(lines: list[str]) -> list[str]:
    """The lines above the agenda: where a notice states its meeting's facts."""
    head: list[str] = []
    for line in lines:
        text = plain(line)
        row = cells(line)
        if row and len(row) > 1 and Serial.parse_label(plain(row[0]), 2000) is not None:
            break
        if _AGENDA_START_RE.match(text) and not _LABEL_RE.match(text):
            break
        head.append(line)
        if len([kept for kept in head if kept.strip()]) >= _HEAD_LINES:
            break
    return head


def _labeled(head: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs, casefolded labels: "Møtedato: x", a cell "Møtedato" before a cell "x", or
    "Møtedato" alone on its line with the value on the next."""
    found: list[tuple[str, str]] = []
    filled = [line for line in head if line.strip()]
    for index, line in enumerate(filled):
        row = cells(line)
        if row:
            row = [plain(cell) for cell in row]
            for at, cell in enumerate(row):
                if (match := _LABEL_RE.match(cell)) and (match["value"] or at + 1 < len(row)):
                    found.append((match["label"].casefold(), match["value"] or row[at + 1]))
            continue
        text = plain(line).lstrip("-•* ").strip()
        for part in _NEXT_LABEL_RE.split(text):
            if match := _LABEL_RE.match(part.strip()):
                if match["value"] is not None and match["value"].strip():
                    found.append((match["label"].casefold(), match["value"].strip()))
                elif index + 1 < len(filled) and not _LABEL_RE.match(plain(filled[index + 1])):
                    found.append((match["label"].casefold(), plain(filled[index + 1])))
    return found


def _is(label: str, labels: str) -> bool:
    return re.fullmatch(labels, label, re.IGNORECASE) is not None


def _span(text: str, bare: bool) -> tuple[time | None, time | None]:
    """Start and end in `text` ("kl. 10.00 – 15.00"; with `bare`, "10:00–15:00" too), dates left out."""
    text = DATE_RE.sub(" ", text)
    match = _KL_SPAN_RE.search(text)
    span = match["span"] if match else None
    if span is None and bare:
        found = _SPAN_RE.search(text)
        span = found[0] if found else None
    if span is None:
        return None, None
    parts = _SPAN_RE.match(span)
    if parts is None:
        return None, None
    return parse_clock(parts["start"]), parse_clock(parts["end"]) if parts["end"] else None


def _place_in(value: str) -> str | None:
    """What is left of "Tid og sted: onsdag 12. mars kl. 10.00, Rådhuset" when the day and time are out."""
    rest = _LEFTOVER_RE.sub(" ", _SPAN_RE.sub(" ", DATE_RE.sub(" ", value)))
    rest = " ".join(rest.split()).strip(" ,;:–—-.()")
    return rest if re.search(r"[A-Za-zÆØÅæøå]{2}", rest) else None


def _platform(text: str) -> tuple[bool, str | None]:
    web = False
    for match in _WEB_RE.finditer(text):
        web = True
        if match["platform"]:
            name = " ".join(match["platform"].split()).casefold().removeprefix("microsoft ")
            return True, _PLATFORMS.get(name, match["platform"].title())
    return web, None


# A sentence about something else than the meeting: its date or time is not the meeting's.
_DEADLINE_RE = re.compile(r"\b(?:frist\w*|innen|senest|seinast|påmelding\w*|forfall|sendes|vedlagt|referat)\b", re.I)


def _dateish(text: str) -> bool:
    """A line that gives a date, not a sentence that mentions one: "1. juli 2020", "onsdag 1. juli kl. 09.00"."""
    if _DEADLINE_RE.search(text):
        return False
    rest = _LEFTOVER_RE.sub(" ", DATE_RE.sub(" ", _SPAN_RE.sub(" ", text)))
    return len(re.findall(r"[A-Za-zÆØÅæøå]{2,}", rest)) <= 3


def read_head(lines: list[str], title: str | None, source: str) -> Head:
    """The meeting's facts from the lines above the agenda (the number and a date beside it anywhere)."""
    head = head_lines(lines)
    labeled = _labeled(head)
    head_text = [plain(line) for line in head if line.strip()]

    number_text: str | None = None
    bare: int | None = None
    near_number: date | None = None
    for scope in (head, lines):
        for index, line in enumerate(scope):
            text = plain(line)
            if cells(line) or _AGENDA_START_RE.match(text):
                continue  # "Godkjenning av referat fra møte 4/24" in the agenda names another meeting
            if match := _NUMBER_RE.search(text):
                number_text = match["no"]
                after = [text[match.end() :], *[plain(other) for other in scope[index + 1 :] if other.strip()][:4]]
                near_number = next((found for part in after if _dateish(part) and (found := _first_date(part))), None)
                break
        if number_text:
            break
    if number_text is None:
        for text in head_text:
            if match := _BARE_NUMBER_RE.search(text):
                bare = int(match["counted"] or match["bare"])
                break

    dated = [_first_date(value) for label, value in labeled if _is(label, _DATE_LABELS)]
    plain_dato = [_first_date(value) for label, value in labeled if label == "dato"]
    document = [_first_date(value) for label, value in labeled if _is(label, _DOC_DATE_LABELS)]
    by_label = next((day for day in dated if day), None)
    dato = next((day for day in plain_dato if day), None)
    in_title = _first_date(title) if title else None
    in_headings = next((d for line in head if line.strip().startswith("#") and (d := _first_date(plain(line)))), None)
    in_name = _first_date(Path(source).name)
    invited = next((d for text in head_text if _INVITATION_RE.search(text) and (d := _first_date(text))), None)
    day = by_label or near_number or in_title or in_headings or invited or dato or in_name
    document_day = next((d for d in document if d), None) or (dato if dato and dato != day else None)

    start: time | None = None
    end: time | None = None
    timed = [value for label, value in labeled if _is(label, rf"{_DATE_LABELS}|{_TIME_LABELS}")]
    for value in timed:
        start, end = _span(value, bare=True)
        if start:
            break
    if start is None:
        invitations = [text for text in head_text if _INVITATION_RE.search(text)]
        for text in [*invitations, *(text for text in head_text if not _DEADLINE_RE.search(text))]:
            start, end = _span(text, bare=False)
            if start:
                break

    places = [value for label, value in labeled if _is(label, _PLACE_LABELS)]
    location = next((value.strip(" .") for value in places if value.strip(" .")), None)
    if location is None:
        together = [v for label, v in labeled if _TOGETHER_RE.fullmatch(label)]
        location = next((place for value in together if (place := _place_in(value))), None)
    web, platform = _platform(" ".join([*head_text, location or ""]))
    if location is not None and platform is None and web and _WEB_RE.fullmatch(location):
        location = None  # "Sted: digitalt" names no place
    if location is None and platform is not None:
        location = platform

    number: Serial | None = Serial.parse(re.sub(r"\s", "", number_text)) if number_text else None
    if number is None and bare is not None and day is not None and bare >= 1:
        number = Serial(day.year, bare)
    named = [title or "", *[plain(line) for line in head if line.strip().startswith("#")], Path(source).stem]
    minutes = any(_MINUTES_RE.match(text.strip(" _-")) for text in named if text) or any(
        _MINUTES_RE.match(text) for text in head_text[:5]
    )
    if day is not None and document_day is not None and document_day >= day:
        minutes = True
    return Head(number, day, start, end, location, web, minutes, document_day)
