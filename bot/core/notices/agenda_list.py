"""The agenda of a notice: its rows (number as written, title, time, type, presenter), wherever and however
the notice sets them out.

Four layouts, tried in this order because the earlier ones say more: a table with a header row (cells split
by tabs or pipes, columns in any order), the same table flattened onto one running line by a PDF converter,
a list under "Saksliste"/"Sakliste"/"Dagsorden"/"Agenda", and, when there is no list, the case sections
themselves ("Sak 17/20: Tittel", "## PS 14/75 Tittel"). What a notice does not say stays unknown: a row
without a time has none, a row without a type has "".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import time

from bot.core.dates import parse_clock
from bot.core.domain import Serial
from bot.core.notices.text import case_type
from bot.core.notices.text import cells as _cells
from bot.core.notices.text import is_heading as _is_heading
from bot.core.notices.text import plain as _plain

CASE_NO = r"\d{1,3}/\d{2}"
# The seed's header, kept for the reader's title: "Sak Agenda Styringsgruppemøte for Akson Tid Sakstype".
TABLE_HEADER_RE = re.compile(r"\bSak\s+(?:Agenda|Dagsorden)\b(?P<title>.*?)\s+Tid\b(?:\s+Sakstype\b)?")

# --- How bodies write a case number -------------------------------------------------------------------------
# "Sak", "sak nr.", "Styresak", "PS" (politisk sak), "ST" (styresak), "RS", "DS", "NP-sak" … before the number.
_PREFIX = r"(?:[Ss]tyresak|[Ss]ak|[A-ZÆØÅ]{2,4}(?:-sak)?)(?:\s+nr\.?:?)?"
# "17/20", "01/2015", "045-2024", "1-24", "2019-45"; never part of a longer number ("2003/4333" is an archive id).
_SERIAL_NO = r"(?<![\d/.-])(?:\d{4}-\d{1,3}|\d{1,3}/\d{2}(?:\d{2})?|\d{1,3}-\d{2}(?:\d{2})?)(?![\d/]|[.-]\d)"
_LABEL = rf"(?:{_PREFIX}\s*)?{_SERIAL_NO}|{_PREFIX}\s+\d{{1,3}}(?![\d/.:-]\d)"
_LABEL_RE = re.compile(_LABEL)
_NUMBER_CELL_RE = re.compile(rf"(?:{_LABEL}|(?:{_PREFIX}\s*)?\d{{1,3}})\s*[.:]?")

# --- Times, types and presenters ------------------------------------------------------------------------------
_CLOCK = r"\d{1,2}[.:]\d{2}"
_TIME_RE = re.compile(
    rf"(?<![\d.:/])(?:[Kk]l(?:\.|okka)?\s*)?(?P<start>{_CLOCK})(?:\s*[–—-]\s*(?:[Kk]l\.?\s*)?{_CLOCK})?(?![\d:/]|\.\d)"
)
_TYPE_WORD = (
    r"(?:[Tt]il\s+)?(?:[Gg]odkjenning|[Oo]rientering|[Bb]eslutning|[Dd]røfting|[Dd]iskusjon|[Ii]nnspill|[Vv]edtak)"
    r"(?:s?sak)?(?![\wæøå])"
)
_TYPE_RE = re.compile(_TYPE_WORD)
_PRESENTER_TAIL_RE = re.compile(
    r"\s*(?:[,–—-]\s*|\(\s*)?(?:v/|[Ii]nnleder:|[Ii]nnleiar:|[Aa]nsvarlege?:|[Aa]nsvarlig:)\s*(?P<who>[^()\[\]]+?)\s*\)?$"
)
_BRACKET_TAIL_RE = re.compile(r"\s*[(\[](?P<inner>[^()\[\]]+)[)\]]\s*$")
_DASH_TAIL_RE = re.compile(r"\s+[–—-]\s+(?P<tail>[^–—-]+)$")

_END_RE = re.compile(
    r"(?:Møtet\s+(?:er\s+)?(?:ferdig|slutt|avsluttes|avslutta|sluttar|slutter)|Møteslutt|Slutt)\W*"
    r"(?:kl(?:\.|okka)?\s*)?(?P<time>\d{1,2}[.:]\d{2})",
    re.IGNORECASE,
)
_END_CELL_RE = re.compile(r"(?:Møtet\s+(?:er\s+)?(?:ferdig|slutt|avsluttes|avslutta|sluttar)|Møteslutt|Slutt)", re.I)
# Rows a table or list gives no number that are still items of the agenda.
_UNNUMBERED_RE = re.compile(
    r"(?:Eventuelt|Eventuelle\s+saker|Referatsak(?:er)?|Orienteringssaker|Delegerte\s+saker|Meldingssaker|"
    r"Meldingar|Meldinger|Innkomne\s+(?:saker|forslag|framlegg)|Drøftingssaker)\b.{0,60}",
    re.IGNORECASE,
)
_BREAK_RE = re.compile(r"(?:Pause|Lunsj|Lunch|Kaffepause|Felles\s+lunsj|Middag|Kaffe)\b.{0,20}", re.IGNORECASE)


@dataclass
class Row:
    label: str  # the number as the notice writes it ("17/20", "PS 14/75", "Sak 3"); "" when it has none
    title: str
    start: time | None = None
    type_text: str = ""
    presenter: str | None = None

    def number(self, year: int) -> Serial | None:
        """The key the label gives, bare numbers counted in `year` (the meeting's); None when it gives none."""
        return Serial.parse_label(self.label, year) if self.label else None


def case_keys(rows: list[Row], year: int, taken: Iterable[Serial] = ()) -> list[Serial]:
    """One key per row, unique in the notice: the label's number, or for an unnumbered row (or one whose number
    another series already took, "RS 5/24" after "PS 5/24") the next after the highest in the notice, counting
    the `taken` ones too (sections the agenda does not list)."""
    numbers = [row.number(year) for row in rows]
    next_seq = max((number.seq for number in [*numbers, *taken] if number is not None), default=0) + 1
    keys: list[Serial] = []
    for number in numbers:
        if number is None or number in keys:
            number = Serial(year, next_seq)
            next_seq += 1
        keys.append(number)
    return keys


def _first_clock(text: str) -> time | None:
    return next((t for m in _TIME_RE.finditer(text) if (t := parse_clock(m["start"])) is not None), None)


def _tidy(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip(" \t:–—-.,").strip()


def _is_type(text: str) -> bool:
    return bool(text) and len(text.split()) <= 3 and case_type(text) is not None


def _split_label(text: str) -> tuple[str, str]:
    """ "Sak 17/20: Tittel" → ("Sak 17/20", "Tittel"); ("", text) when the text does not begin with a number."""
    match = _LABEL_RE.match(text)
    if not match or (match.end() < len(text) and not re.match(r"[\s:.)–—-]", text[match.end()])):
        return "", text
    return match[0].strip(), text[match.end() :].lstrip(" \t:.)–—-")


def _row_from_text(label: str, text: str) -> Row:
    """A list item's or section heading's text after the number: times "kl. 10.15" or "10.15–10.45" at either
    end, a type in brackets or after a dash, a presenter after "v/" or "Innleder:"."""
    text = _tidy(text)
    start: time | None = None
    lead = re.match(rf"^\s*{_TIME_RE.pattern}\s*[:–—-]?\s*", text)
    if lead and (start := parse_clock(lead["start"])) is not None:
        text = text[lead.end() :]
    type_text = ""
    presenter: str | None = None
    for _round in range(3):  # tails come in any order: "Tittel (Orientering) kl. 10.15 v/ Kari"
        if (tail := re.search(rf"\s*[,(]?\s*{_TIME_RE.pattern}\s*\)?\s*$", text)) and parse_clock(tail["start"]):
            start = start or parse_clock(tail["start"])
            text = text[: tail.start()].rstrip(" ,–—-")
        elif who := _PRESENTER_TAIL_RE.search(text):
            presenter = presenter or _tidy(who["who"])
            text = text[: who.start()]
        elif (bracket := _BRACKET_TAIL_RE.search(text)) and _is_type(bracket["inner"]):
            type_text = type_text or bracket["inner"].strip()
            text = text[: bracket.start()]
        elif (dash := _DASH_TAIL_RE.search(text)) and _is_type(dash["tail"]):
            type_text = type_text or dash["tail"].strip()
            text = text[: dash.start()]
        else:
            break
    return Row(label, _tidy(text), start, type_text, presenter)


# --- A table with a header row --------------------------------------------------------------------------------
_HEADS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"utvalgssaksnr|utvalssaksnr|saksnr|saknr|saksnummer|sak\s*nr|nr|styresak|saksnummer")),
    ("title", re.compile(r"tittel|sakstittel|tema|innhold|innhald|saksliste|sakliste|(?:agenda|dagsorden)\b.*")),
    ("time", re.compile(r"tid|kl|klokka|klokkeslett|tidspunkt")),
    ("type", re.compile(r"sakstype|saktype|type|type sak")),
    ("presenter", re.compile(r"ansvarlig|ansvarleg|ansv|innleder|innleiar|saksansvarlig|innledning ved|presentert av")),
]
_NOT_AGENDA_HEAD = re.compile(r"dato|møtedato|uke|veke|navn|namn|funksjon")


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Which column holds what, from a header row; None when the row is no agenda header. "Sak" is the number
    column when another column holds the title ("Sak | Agenda"), else the title ("Nr. | Sak")."""
    columns: dict[str, int] = {}
    bare_sak: list[int] = []
    for index, cell in enumerate(cells):
        word = _plain(cell).casefold().strip(" .:")
        if _NOT_AGENDA_HEAD.fullmatch(word):
            return None
        if word == "sak":
            bare_sak.append(index)
            continue
        role = next((role for role, pattern in _HEADS if pattern.fullmatch(word)), None)
        if role is not None:
            columns.setdefault(role, index)
    for index in bare_sak:
        columns.setdefault("number" if "title" in columns else "title", index)
    if "title" not in columns or len(columns) < 2:
        return None
    return columns


def _is_separator(cells: list[str]) -> bool:
    return all(re.fullmatch(r"[\s:-]*", cell) for cell in cells)


def _row_from_cells(cells: list[str], columns: dict[str, int]) -> Row | time | None:
    """A row, the meeting's end (the "Møtet ferdig 10.30" row), or None for a row that is neither."""
    cells = [_plain(cell) for cell in cells]

    def cell(role: str) -> str:
        index = columns.get(role)
        return cells[index] if index is not None and index < len(cells) else ""

    if any(_END_CELL_RE.fullmatch(text.strip(" .:")) for text in cells if text):
        return _first_clock(" ".join(text for text in cells if not _END_CELL_RE.fullmatch(text.strip(" .:"))))
    label, title = cell("number"), cell("title")
    if label and not _NUMBER_CELL_RE.fullmatch(label):
        label, title = "", title or label  # "Eventuelt" written in the number column
    label = label.strip(" .:")
    if not label and "number" not in columns:  # the number in a column with no header, or first in the title
        spare = [text for index, text in enumerate(cells) if index not in columns.values()]
        label = next((text for text in spare if re.fullmatch(_LABEL, text)), "")
        if not label:
            label, title = _split_label(title)
    title = _tidy(title)
    if not title or (not label and _BREAK_RE.fullmatch(title)):
        return None
    return Row(label, title, _first_clock(cell("time")), cell("type"), cell("presenter") or None)


def _agenda_from_table(lines: list[str]) -> tuple[list[Row], time | None]:
    rows: list[Row] = []
    end: time | None = None
    columns: dict[str, int] | None = None
    header: list[str] | None = None
    for line in lines:
        cells = _cells(line)
        if cells is None:
            if line.strip() and columns is not None and rows:
                columns = None  # the table has ended; a repeated header after a page break starts it again
            continue
        found = _header_columns(cells)
        if found is not None and (header is None or [_plain(c) for c in cells] == header):
            columns, header = found, [_plain(c) for c in cells]
            continue
        if columns is None or _is_separator(cells):
            continue
        parsed = _row_from_cells(cells, columns)
        if isinstance(parsed, Row):
            if rows and not (parsed.label or parsed.start or parsed.type_text) and parsed.title[:1].islower():
                rows[-1].title = f"{rows[-1].title} {parsed.title}"  # a title the converter wrapped
            else:
                rows.append(parsed)
        elif parsed is not None:
            end = parsed
    return rows, end


def _agenda_from_headerless_cells(lines: list[str]) -> tuple[list[Row], time | None]:
    """Rows split by tabs or pipes with no header: number, title, time, type, as the seed orders them."""
    rows: list[Row] = []
    end: time | None = None
    for line in lines:
        cells = _cells(line)
        if not cells:
            continue
        cells = [_plain(cell) for cell in cells]
        if re.fullmatch(_LABEL, cells[0]) and len(cells) >= 2 and cells[1]:
            start = _first_clock(cells[2]) if len(cells) > 2 else None
            rows.append(Row(cells[0], cells[1], start, cells[3] if len(cells) > 3 else ""))
        elif any(_END_CELL_RE.fullmatch(cell.strip(" .:")) for cell in cells):
            end = next((t for t in map(_first_clock, cells) if t is not None), None)
    return rows, end


# --- The table flattened onto one line --------------------------------------------------------------------------
def _word(alternatives: str) -> str:
    """Header words as a converter leaves them: capitalised or in capitals, matched without regard to case."""
    return rf"(?=[A-ZÆØÅ])(?i:{alternatives})(?![\wæøå])"


_FLAT_NUMBER = _word(r"Utvalgssaksnr\.?|Saksnr\.?|Saknr\.?|Sak\s+nr\.?|Nr\.?|Sak")
_FLAT_TITLE = _word(r"Tittel|Tema|Innhold|Innhald|Sak|(?P<agenda>Agenda|Dagsorden)")
_FLAT_OTHER = _word(
    r"Tid|Kl\.|Klokka|Klokkeslett|Sakstype|Type|Ansvarlig|Ansvarleg|Ansv\.|Innleder|Innleiar|Saksansvarlig"
)
_FLAT_HEADER_RE = re.compile(
    rf"(?<![\wæøå]){_FLAT_NUMBER}\s+{_FLAT_TITLE}(?P<free>(?:\s+(?!{_FLAT_OTHER})\S+){{0,12}}?)"
    rf"(?P<others>(?:\s+{_FLAT_OTHER})+)"
)
# "17/20", "PS 14/75", and "Sak 3" with a capital: a lower-case "sak 3" inside a title does not start a row.
_FLAT_LABEL_RE = re.compile(rf"(?<!\S)(?:(?:{_PREFIX}\s*)?{_SERIAL_NO}|(?:Sak|[A-ZÆØÅ]{{2,4}})\s+\d{{1,3}})(?!\S)")


def _flat_role(word: str) -> str:
    word = word.casefold().strip(" .")
    if word in {"tid", "kl", "klokka", "klokkeslett"}:
        return "time"
    if word in {"sakstype", "type"}:
        return "type"
    return "presenter"


def _blocks(lines: list[str]) -> list[str]:
    """Runs of lines between blank lines, each joined to one line."""
    blocks: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(_plain(line))
        elif current:
            blocks.append(" ".join(current))
            current = []
    return blocks


def _flat_chunk(text: str, label: str, roles: list[str], depth: int = 0) -> list[Row]:
    """One flattened row after its number, its fields in the header's order; a short tail with a time of its own
    is an unnumbered row ("… Beslutning Eventuelt 13.50")."""
    values: dict[str, str] = {}
    pos = 0
    for index, role in enumerate(roles):
        rest = text[pos:]
        if role == "time":
            if match := re.match(rf"\s*{_TIME_RE.pattern}", rest):
                values["time"] = match["start"]
                pos += match.end()
        elif role == "type":
            if match := re.match(rf"\s*{_TYPE_WORD}", rest):
                values["type"] = match[0].strip()
                pos += match.end()
        else:  # free text runs to where the next field begins
            following = roles[index + 1] if index + 1 < len(roles) else None
            stop = len(rest)
            if following == "time" and (clock := _TIME_RE.search(rest)):
                stop = clock.start()
            elif following == "type" and (kinds := list(_TYPE_RE.finditer(rest))):
                stop = kinds[-1].start() if len(kinds) > 1 or kinds[-1].start() > 0 else stop
            values[role] = rest[:stop]
            pos += stop
    rows = [
        Row(
            label,
            _tidy(values.get("title", "")),
            parse_clock(values["time"]) if "time" in values else None,
            values.get("type", ""),
            _tidy(values.get("presenter", "")) or None,
        )
    ]
    tail = text[pos:].strip()
    if tail and depth < 5 and "time" in roles and (clock := _TIME_RE.search(tail)) and clock.start() <= 80:
        rows.extend(row for row in _flat_chunk(tail, "", roles, depth + 1) if row.title)
    elif tail and not rows[0].title:
        rows[0].title = _tidy(tail)
    return rows


def _bare_sequence(flat: str) -> list[re.Match[str]]:
    """Bare numbers "1 … 2 … 3 …" as row starts, only while they count up from the first."""
    found: list[re.Match[str]] = []
    for match in re.finditer(r"(?<!\S)(\d{1,3})\.?(?!\S)", flat):
        if int(match[1]) == (int(found[-1][1]) + 1 if found else int(match[1])):
            found.append(match)
    return found


def _agenda_flattened(lines: list[str]) -> tuple[list[Row], time | None]:
    blocks = _blocks(lines)
    for index, block in enumerate(blocks):
        header = _FLAT_HEADER_RE.search(block)
        if not header or (header["free"].strip() and not header["agenda"]):
            continue
        roles = ["title", *(_flat_role(word) for word in header["others"].split())]
        flat = block[header.end() :]
        for more in blocks[index + 1 :]:  # rows carried over a page break
            if not _FLAT_LABEL_RE.match(more):
                break
            flat = f"{flat} {more}"
        end: time | None = None
        if end_match := _END_RE.search(flat):
            end = parse_clock(end_match["time"])
            flat = flat[: end_match.start()]
        labels = list(_FLAT_LABEL_RE.finditer(flat)) or _bare_sequence(flat)
        if not labels or flat[: labels[0].start()].strip():
            continue
        rows: list[Row] = []
        for number, label in enumerate(labels):
            stop = labels[number + 1].start() if number + 1 < len(labels) else len(flat)
            rows.extend(_flat_chunk(flat[label.end() : stop], label[0].strip(), roles))
        return [row for row in rows if row.title], end
    return [], None


# --- A list under "Saksliste" ---------------------------------------------------------------------------------
_LIST_HEAD_RE = re.compile(
    r"(?:Forslag\s+til\s+)?(?:Saksliste|Sakliste|Sakskart|Saker\s+til\s+(?:behandling|handsaming)|Dagsorden|Agenda)"
    r"(?:\s+(?:for|til|i)\s+.{0,60})?\s*:?",
    re.IGNORECASE,
)
_ITEM_MARK_RE = re.compile(r"^\s*(?:[-*•]\s+)?")
_LIST_NUMBER_RE = re.compile(r"(?P<no>\d{1,3})[.)]\s+(?P<rest>\S.*)")


def _list_item(line: str) -> Row | None:
    """A list item's row: "1. Tittel", "Sak 3 Tittel", "PS 14/75 Tittel", "- Eventuelt"; None for other lines."""
    bullet = _ITEM_MARK_RE.match(line)
    text = _plain(line[bullet.end() if bullet else 0 :])
    if match := _LIST_NUMBER_RE.fullmatch(text):
        return _row_from_text(match["no"], match["rest"])
    label, rest = _split_label(text)
    if label and rest:
        return _row_from_text(label, rest)
    if _UNNUMBERED_RE.fullmatch(text) or (bullet and bullet.group().strip() and text):
        row = _row_from_text("", text)
        return row if row.title and not _BREAK_RE.fullmatch(row.title) else None
    return None


def _is_bullet_point(line: str) -> bool:
    """A bulleted line with no case number of its own, and not an unnumbered case ("- Eventuelt")."""
    bullet = _ITEM_MARK_RE.match(line)
    if not bullet or not bullet.group().strip():
        return False
    text = _plain(line[bullet.end() :])
    return not _LIST_NUMBER_RE.fullmatch(text) and not _split_label(text)[0] and not _UNNUMBERED_RE.fullmatch(text)


def _agenda_from_list(lines: list[str]) -> tuple[list[Row], time | None]:
    for index, line in enumerate(lines):
        if not _LIST_HEAD_RE.fullmatch(_plain(line).strip()):
            continue
        rows: list[Row] = []
        for item_line in lines[index + 1 :]:
            if not item_line.strip():
                continue
            if item_line.startswith(("  ", "\t")) and rows:
                continue  # a sub-item or a wrapped line belongs to the case above
            if rows and rows[-1].label and _is_bullet_point(item_line):
                continue  # "- forslag om …" under "5. Innkomne forslag": a converter drops the indent
            if _is_heading(item_line):
                break  # the cases' own sections begin
            row = _list_item(item_line)
            if row is not None and row.label and any(row.label == seen.label for seen in rows):
                break  # the list again, as the first case's section
            if row is None:
                if rows and not _is_heading(item_line) and _plain(item_line)[:1].islower():
                    rows[-1].title = _tidy(f"{rows[-1].title} {_plain(item_line)}")
                    continue
                if rows or _is_heading(item_line):
                    break
                continue  # a sentence between the heading and the list ("Følgende saker behandles:")
            rows.append(row)
        if any(row.label for row in rows):
            return rows, None
    return [], None


# --- The case sections themselves -----------------------------------------------------------------------------
_PROPOSAL_HEAD_RE = re.compile(
    r"(?:Forslag|Framlegg)\s+til\s+(?:vedtak|beslutning|innstilling)|Innstilling|Vedtak|Saksframlegg|Bakgrunn",
    re.IGNORECASE,
)
_SECTION_FIELD_RE = re.compile(
    r"(?P<key>Sakstype|Type\s+sak|Ansvarlig|Ansvarleg|Saksansvarlig|Innleder|Innleiar|Tid|Kl\.?)\s*:\s*(?P<value>.+)",
    re.IGNORECASE,
)


def _section_head(lines: list[str], index: int) -> tuple[str, str] | None:
    """(label, title) when the line opens a case section: a heading or bold line beginning with the number, or a
    line of its own beginning with a prefixed number ("ST 4/2020 Tittel")."""
    line = lines[index]
    text = _plain(line)
    label, rest = _split_label(text)
    if not label or len(text) > 160:
        return None
    marked = _is_heading(line) or line.strip().startswith("**")
    alone = (index == 0 or not lines[index - 1].strip()) and bool(re.match(r"\D", label))
    if not (marked or alone) or (not marked and (rest.endswith(".") or rest[:1].islower())):
        return None
    if not rest:  # "**Sak 17/20**" with the title on the next line
        following = next((candidate for candidate in lines[index + 1 :] if candidate.strip()), "")
        heading_like = _is_heading(following) or len(_plain(following)) <= 100
        if (
            following
            and heading_like
            and not _PROPOSAL_HEAD_RE.match(_plain(following))
            and not _split_label(_plain(following))[0]
        ):
            rest = _plain(following)
    return (label, rest) if rest else None


def _agenda_from_sections(lines: list[str]) -> tuple[list[Row], time | None]:
    rows: list[Row] = []
    seen: set[str] = set()
    current: Row | None = None
    for index, line in enumerate(lines):
        head = _section_head(lines, index)
        if head is not None and head[0] not in seen:
            seen.add(head[0])
            current = _row_from_text(*head)
            rows.append(current)
            continue
        field = _SECTION_FIELD_RE.fullmatch(_plain(line))
        if current is None or field is None:
            continue
        key, value = field["key"].casefold(), _tidy(field["value"])
        if key.startswith(("sakstype", "type")):
            current.type_text = current.type_text or value
        elif key.startswith(("tid", "kl")):
            current.start = current.start or _first_clock(value)
        else:
            current.presenter = current.presenter or value
    return rows, None


def _end_line(lines: list[str]) -> time | None:
    """ "Møtet slutt kl. 15.00" on a line of its own."""
    for line in lines:
        text = _plain(line)
        if len(text) <= 60 and (match := _END_RE.match(text.lstrip("-* "))):
            return parse_clock(match["time"])
    return None


_LAYOUTS: list[Callable[[list[str]], tuple[list[Row], time | None]]] = [
    _agenda_from_table,
    _agenda_from_headerless_cells,
    _agenda_flattened,
    _agenda_from_list,
    _agenda_from_sections,
]


def find_agenda(lines: list[str]) -> tuple[list[Row], time | None]:
    """The agenda's rows and the meeting's end ("Møtet ferdig 10.30"); no rows when there is no agenda."""
    for layout in _LAYOUTS:
        rows, end = layout(lines)
        if rows:
            return rows, end or _end_line(lines)
    return [], None
