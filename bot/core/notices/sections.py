"""Each case's section of a notice, found by its number as written ("Sak 17/20", "PS 14/75", "ST 4/2020",
"2019-45", "Sak 3"), and what it proposes or, in the minutes, what was decided.

A notice only proposes: its closing sentence ("Styringsgruppen tar saken til orientering.") is the case's
proposal when it has no other. Only the minutes decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.domain import Serial
from bot.core.notices.furniture import PAGE_BREAK
from bot.core.notices.text import cells, is_heading, plain

# A case's label at the start of a heading, a bold line or a line of its own: "Sak 17/20: Title", "PS 14/75
# Title", "Styresak 045-2024", "2019-45 Title" (a bare number needs a heading or bold: "## 17/20 Title").
_NUMBER = r"(?:\d{4}-\d{1,3}|\d{1,3}\s*[/-]\s*(?:\d{4}|\d{2})(?!\d)|\d{1,3}(?![\d/.-]))"
_PREFIX = r"(?:sak(?:snr|nr)?\.?|saksnummer|styresak|(?-i:[A-ZÆØÅ]{2,3})(?=\s*\d{1,4}\s*[/-])|[a-zæøå]{1,4}-?sak)"
_LABELLED_RE = re.compile(
    rf"^(?P<label>{_PREFIX}\s*(?:nr[.:]?\s*)?(?P<no>{_NUMBER}))(?:\s*[:.–—-]\s*|\s+|$)(?P<title>.*?)\s*$",
    re.IGNORECASE,
)
_BARE_RE = re.compile(
    r"^(?P<label>(?P<no>\d{4}-\d{1,3}|\d{1,3}\s*/\s*(?:\d{4}|\d{2})))(?:\s*[:.–—-]\s*|\s+|$)(?P<title>.*?)\s*$"
)
# "Kommunedirektørens", "Daglig leders", nynorsk "Kommunedirektøren sitt"
_OWNER = r"(?:[\wæøåÆØÅ-]+\s+){0,2}[\wæøåÆØÅ-]+(?:s|\s+(?:sitt|si|sine))\s+"
_PROPOSAL_HEAD_RE = re.compile(
    rf"^(?:{_OWNER})?(?:forslag|framlegg|innstilling|tilråding|tilrådning)"
    r"(?:\s+til\s+(?:vedtak|beslutning|vedtak og beslutning))?"
    r"(?:\s+(?:fra|frå)\s+[\wæøåÆØÅ -]{1,40}?)?\s*(?::\s*(?P<inline>.*)|$)",
    re.IGNORECASE,
)
_BARE_RE_WORD = re.compile(r"forslag|framlegg|innstilling|tilråding", re.IGNORECASE)
_DECISION_HEAD_RE = re.compile(
    rf"^(?:[A-ZÆØÅ]{{2,5}}-?\s*\d{{1,3}}/\d{{2,4}}\s+)?"  # "FSK- 21/24 Vedtak:": the body's own record of it
    rf"(?:(?:{_OWNER})?(?:vedtak|beslutning|konklusjon|vedtaket)(?:\s+i\s+[\wæøåÆØÅ -]{{1,40}}?)?)"
    r"\s*(?::\s*(?P<inline>.*)|$)",
    re.IGNORECASE,
)
# "Enstemmig vedtatt", "Samrøystes vedteke": adopted; what follows ":" is the decision, else the proposal is.
_ADOPTED_RE = re.compile(
    r"^(?:(?:enstemmig|samrøystes|samrøyste|einstemmig)\s+)?(?:vedtatt|vedteke|vedtekne|vedtatt\s+enstemmig)\b"
    r"[^:]*?(?::\s*(?P<inline>.+))?\.?$",
    re.IGNORECASE,
)
# What minutes record between a proposal and its decision: the debate and the vote. They end the proposal.
_PROCEEDINGS_RE = re.compile(
    r"^(?:votering|avstemning|avstemming|røysting|behandling|handsaming|saksbehandling|drøfting i møtet)"
    r"(?:\s+i\s+møtet|\s+i\s+[\wæøå -]{1,40})?\s*:?\s*$",
    re.IGNORECASE,
)
# "Forslaget ble vedtatt med 5 mot 2 stemmer", "Framlegget vart samrøystes vedteke": the proposal was adopted.
_PROPOSAL_ADOPTED_RE = re.compile(
    r"^(?:forslaget|framlegget|innstillinga|innstillingen|tilrådinga)\s+(?:ble|blei|vart|vert|er)\s+"
    r"(?:enstemmig\s+|samrøystes\s+|einstemmig\s+)?(?:vedtatt|vedteke|vedteken|godkjent|godkjend)\b",
    re.IGNORECASE,
)
DECISION_SENTENCE_RE = re.compile(
    r"^[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){0,4}?\s+"
    r"(?:tar|tok)\s+(?:saken|sakene)\s+til\s+(?:orientering|etterretning)"
    r"|^[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){0,4}?\s+(?:godkjente|vedtok|besluttet|sluttet seg til)\b"
)
_LIST_ITEM_RE = re.compile(r"^(?:[-*•]\s+|\d{1,2}[.)]\s+|[a-zæøå][.)]\s+)")


@dataclass
class Section:
    label: str  # as written: "PS 14/75"
    title: str | None
    lines: list[str] = field(default_factory=list)


def section_label(line: str, year: int) -> tuple[Serial, str, str | None] | None:
    """(key, label as written, title) when the line opens a case's section."""
    if not line.strip() or cells(line):
        return None
    text = plain(line).strip("* ")
    heading = is_heading(line)
    match = _LABELLED_RE.match(text)
    if match is None and heading:
        match = _BARE_RE.match(text)
    if match is None:
        return None
    if match["no"].isdigit() and not heading and not match["title"] and not re.match(r"sak", match["label"], re.I):
        return None  # "PS 3" alone on a plain line: a section only as a heading or with a title after it
    if not heading and match["title"] and not re.match(r"(?:sak|[A-ZÆØÅ]{2,3}\b|styresak)", match["label"], re.I):
        return None
    if not heading and (len(match["title"] or "") > 120 or (match["title"] or "").endswith(".")):
        return None  # a sentence that begins with a case number ("Sak 3 ble utsatt."), not a section's head
    number = match["no"].replace(" ", "")
    serial = Serial(year, int(number)) if number.isdigit() else Serial.parse(number)
    if serial is None:
        return None
    title = match["title"].strip(" *:") or None
    return serial, " ".join(match["label"].split()), title


def find_sections(lines: list[str], year: int) -> dict[Serial, Section]:
    """Each case's lines, from its label to the next case's, in the order the notice gives them."""
    sections: dict[Serial, Section] = {}
    current: Serial | None = None
    for line in lines:
        if found := section_label(line, year):
            current, label, title = found
            if current not in sections:
                sections[current] = Section(label, title)
            elif title and not sections[current].title:
                sections[current].title = title
        elif current is not None:
            sections[current].lines.append(line)
    return sections


def _blocks(lines: list[str]) -> list[tuple[str, bool]]:
    """(text, is_heading) blocks: paragraphs, headings on their own, list items each on a line of the block;
    a page's end ends a paragraph and is kept as ("\f", False)."""
    blocks: list[tuple[str, bool]] = []
    current: list[str] = []

    def close() -> None:
        if current:
            blocks.append(("\n".join(current), False))
            current.clear()

    for line in lines:
        stripped = line.strip()
        if line == PAGE_BREAK:
            close()
            blocks.append((PAGE_BREAK, False))
        elif not stripped:
            close()
        elif is_heading(line):
            close()
            blocks.append((plain(stripped), True))
        elif current and not _LIST_ITEM_RE.match(plain(stripped)):
            current[-1] += " " + plain(stripped)
        else:
            current.append(plain(stripped))
    close()
    return blocks


def _is_head(text: str) -> bool:
    return bool(_proposal_head(text, False) or _DECISION_HEAD_RE.match(text) or _ADOPTED_RE.match(text))


def _proposal_head(text: str, heading: bool) -> re.Match[str] | None:
    match = _PROPOSAL_HEAD_RE.match(text)
    if match is None or (_BARE_RE_WORD.fullmatch(text.strip(" .")) and not heading):
        return None  # "Forslag" alone on a line is a word; as a heading, or "Forslag:", it is a head
    return match


def _following(blocks: list[tuple[str, bool]], index: int) -> tuple[str | None, int]:
    """The paragraphs after a head, up to the next heading, head or page's end; and where they stop."""
    taken: list[str] = []
    at = index
    while at < len(blocks):
        text, heading = blocks[at]
        if heading or text == PAGE_BREAK or _is_head(text) or (DECISION_SENTENCE_RE.match(text) and taken):
            break
        if _PROCEEDINGS_RE.match(text) or _PROPOSAL_ADOPTED_RE.match(text):
            break
        taken.append(text)
        at += 1
    return ("\n".join(taken) or None), at


@dataclass(frozen=True)
class Outcome:
    proposal: str | None
    decision: str | None
    # A decision written in a notice that is not minutes: not stored as one (the importer is told).
    unminuted: str | None = None


def proposal_and_decision(lines: list[str], minutes: bool) -> Outcome:
    """The section's proposal, and in the minutes its decision. In a notice, a "Vedtak" or a closing
    sentence is the proposal when the notice gives no other."""
    blocks = _blocks(lines)
    proposal: str | None = None
    decided: str | None = None  # under a "Vedtak" head, or adopted
    closing: str | None = None  # "Styringsgruppen tar saken til orientering."
    adopted = False
    index = 0
    while index < len(blocks):
        text, heading = blocks[index]
        if text == PAGE_BREAK:
            index += 1
            continue
        if head := _proposal_head(text, heading):
            if head["inline"]:
                proposal, index = head["inline"], index + 1
            else:
                found_text, index = _following(blocks, index + 1)
                proposal = found_text or proposal
            continue
        alone = minutes and text.strip(" :.").casefold() in ("vedtak", "vedtaket")  # a "Vedtak" line in minutes
        if (head := _DECISION_HEAD_RE.match(text)) and (
            head["inline"] or heading or text.rstrip().endswith(":") or alone
        ):
            if head["inline"]:
                decided, index = head["inline"], index + 1
            else:
                found_text, index = _following(blocks, index + 1)
                decided = found_text or decided
            continue
        if _PROPOSAL_ADOPTED_RE.match(text) and len(text) < 200:
            adopted = True
            index += 1
            continue
        if (head := _ADOPTED_RE.match(text)) and len(text) < 200:
            if head["inline"]:
                decided = head["inline"]
            else:
                adopted = True
            index += 1
            continue
        if DECISION_SENTENCE_RE.match(text):
            closing = text
        index += 1
    if minutes:
        decision = decided or (proposal if adopted else None) or closing
        return Outcome(proposal, decision)
    if proposal is None:
        return Outcome(decided or closing, None)
    return Outcome(proposal, None, unminuted=decided)
