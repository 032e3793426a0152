"""/dagsorden: the agenda as the notice shows it, its history, and the "Ny sak" modal."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from bot.core.agenda import MAX_PROPOSAL, MAX_TITLE
from bot.core.domain import (
    AgendaChange,
    Case,
    CaseType,
    Meeting,
    Serial,
)
from bot.core.formatting import (
    clock_time,
    long_date,
    meeting_when,
)
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import _logged, _outcome_lines, meeting_place

AGENDA_HELP = (
    "*Slik bruker du /dagsorden*\n"
    "• `/dagsorden` – dagsordenen for neste møte\n"
    "• `/dagsorden 4/20` – dagsordenen for møte 4/20\n"
    "• `/dagsorden historikk 4/20` – hvem som har endret dagsordenen, og når\n"
    "• `/dagsorden hjelp` – denne hjelpen\n"
    "*For sekretariatet og lederen*\n"
    "• `/dagsorden ny` – skjema for en ny sak\n"
    "• `/dagsorden ny 4/20 10.00 Orientering Tittel på saken` – ny sak (klokkeslett kan sløyfes)\n"
    "• `/dagsorden endre 18/20 tittel|kl|type|forslag &lt;ny verdi&gt;`\n"
    "• `/dagsorden flytt 18/20 2` – flytt saken til plass 2\n"
    "• `/dagsorden fjern 18/20` – fjern saken (nummeret brukes ikke igjen)\n"
    "• Send innkallingen som fil (tekst eller Markdown) til Møtebot i en direktemelding for å importere den.\n"
    f"Sakstyper: {', '.join(kind.value for kind in CaseType)}."
)


NEW_CASE_ACTION = "agenda_new_case"


NEW_CASE_VIEW = "agenda_new_case_view"


def _case_text(case: Case) -> str:
    facts = [f"*Sak {case.number}*"]
    if case.start:
        facts.append(clock_time(case.start))
    if case.case_type:
        facts.append(f"_{case.case_type.value}_")
    lines = ["  ·  ".join(facts), escape(case.title)]
    if case.decision:
        lines.append(f"*Vedtak:* {escape(case.decision)}")
    elif case.proposal:
        lines.append(f"*Forslag til vedtak:* {escape(case.proposal)}")
    return "\n".join(lines)


def agenda(
    meeting: Meeting, *, ahead: bool, latest_instead: bool = False, can_edit: bool = False, lead: str = ""
) -> Message:
    """The agenda; rendered once per meeting version and viewer kind (meetings are immutable values)."""
    return _agenda(meeting, ahead, latest_instead, can_edit, lead)


@lru_cache(maxsize=512)
def _agenda(meeting: Meeting, ahead: bool, latest_instead: bool, can_edit: bool, lead: str) -> Message:
    """The agenda as the notice shows it: number, date and times, each case with its proposal or decision.

    `lead` (mrkdwn) goes first, such as the outcome of a change; `can_edit` adds the "Ny sak" button.
    """
    when = meeting_when(meeting)
    place = meeting_place(meeting)
    about = "  ·  ".join(part for part in (f"*{when}*", place, escape(meeting.body or "")) if part)
    top: list[blocks.Block] = [blocks.section(lead)] if lead else []
    top += [blocks.header(f"Møte {meeting.number}: {meeting.title}"), blocks.section(about)]
    if meeting.cancelled:
        top.append(blocks.context(":x: *Møtet er avlyst.*"))
    elif latest_instead:
        top.append(blocks.context("Ingen møter er planlagt fremover. Dette er det siste møtet."))
    elif not ahead:
        top.append(blocks.context("Dette møtet er avholdt."))
    top.append(blocks.divider())
    bottom = [blocks.context(f"Møtet ferdig {clock_time(meeting.end)}")] if meeting.end else []
    bottom.append(blocks.context(f"Versjon {meeting.version} av dagsordenen"))
    if can_edit:
        bottom.append(blocks.actions(blocks.button("Ny sak", NEW_CASE_ACTION, str(meeting.number))))
    if meeting.cases:
        budget = blocks.MAX_BLOCKS_MESSAGE - len(top) - len(bottom)
        middle = blocks.pack_sections([_case_text(case) for case in meeting.cases], budget)
    else:
        middle = [blocks.section("_Ingen saker på dagsordenen ennå._")]
    count = len(meeting.cases)
    fallback = f"Dagsorden for møte {meeting.number}, {when}: {count} {'sak' if count == 1 else 'saker'}"
    fallback = f"{lead}\n{escape(fallback)}" if lead else escape(fallback)
    return Message(text=fallback, blocks=top + middle + bottom)


def changed(meeting: Meeting, summary: str, warnings: list[str], *, ahead: bool) -> Message:
    return agenda(meeting, ahead=ahead, can_edit=True, lead=_outcome_lines(summary, warnings))


def agenda_history(meeting: Meeting, changes: list[AgendaChange]) -> Message:
    lines = [f"*Historikk for dagsordenen til møte {meeting.number}* (nå versjon {meeting.version})"]
    lines += [_logged(c.at, c.actor, c.summary, lead=f"v{c.version} · ") for c in changes[-40:]]
    if len(lines) == 1:
        lines.append("_Ingen endringer er registrert._")
    return Message(text=f"Historikk for møte {meeting.number}", blocks=blocks.pack_sections(lines, 45))


def new_case_modal(meetings: list[Meeting], selected: Serial | None, channel_id: str | None) -> dict[str, Any]:
    """The friendly path to a new case: Slack's own pickers, so times and types cannot be mistyped."""
    options = [
        blocks.option(f"Møte {m.number} – {long_date(m.day)}", str(m.number))
        for m in sorted(meetings, key=lambda m: m.number, reverse=True)
    ]
    body = [
        blocks.input_block("meeting", "Møte", blocks.static_select(options, str(selected) if selected else None)),
        blocks.input_block("start", "Klokkeslett", blocks.timepicker(), optional=True),
        blocks.input_block(
            "type", "Sakstype", blocks.static_select([blocks.option(k.value, k.value) for k in CaseType])
        ),
        blocks.input_block("title", "Tittel", blocks.text_input(max_length=MAX_TITLE)),
        blocks.input_block(
            "proposal", "Forslag til vedtak", blocks.text_input(multiline=True, max_length=MAX_PROPOSAL), optional=True
        ),
    ]
    metadata = json.dumps({"channel": channel_id}) if channel_id else ""
    return blocks.modal(NEW_CASE_VIEW, "Ny sak", "Legg til", body, metadata)
