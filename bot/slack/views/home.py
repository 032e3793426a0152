"""The App Home tab."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.domain import (
    Deadline,
    Meeting,
    Vote,
    next_meeting,
)
from bot.core.formatting import (
    clock_time,
    days_from_today,
    meeting_when,
)
from bot.slack import blocks
from bot.slack.blocks import escape
from bot.slack.views.common import meeting_place
from bot.slack.views.frister import deadline_due
from bot.slack.views.moteplan import meeting_plan

MAX_BLOCKS_VIEW = 100


def home(
    meetings: list[Meeting], deadlines: list[Deadline], votes: list[Vote], now: datetime, *, can_edit: bool
) -> dict[str, Any]:
    """The App Home tab: the next meeting and its agenda, open deadlines, open votes, the plan."""
    upcoming, ahead = next_meeting(meetings, now)
    body: list[blocks.Block] = [blocks.header("Møtebot – styringsgruppen")]
    if upcoming is not None and ahead:
        when = meeting_when(upcoming)
        lines = [
            f"*Neste møte: møte {upcoming.number}, {when}*" + (f" · {p}" if (p := meeting_place(upcoming)) else "")
        ]
        for case in upcoming.cases[:25]:
            start = f"{clock_time(case.start)} " if case.start else ""
            decided = f"\n      _Vedtak: {escape(case.decision)}_" if case.decision else ""
            lines.append(f"• *{case.number}* {start}{escape(case.title)}{decided}")
        if not upcoming.cases:
            lines.append("_Dagsordenen er ikke satt opp ennå._")
        body += blocks.pack_sections(lines, 20)
    else:
        body.append(blocks.section("_Ingen kommende møter._"))
    body.append(blocks.divider())
    open_deadlines = sorted((d for d in deadlines if d.is_open and d.due >= now.date()), key=lambda d: d.due)
    lines = ["*Åpne frister*"] + [
        f"• {escape(d.what)} – {deadline_due(d)} ({days_from_today(d.due, now.date())})" for d in open_deadlines[:15]
    ]
    if len(lines) == 1:
        lines.append("_Ingen åpne frister._")
    body += blocks.pack_sections(lines, 15)
    body.append(blocks.divider())
    lines = ["*Åpne avstemninger*"]
    for vote in votes:
        tally = vote.tally()
        lines.append(
            f"• Sak {vote.case}: {escape(vote.proposal)} – for {tally.for_}, mot {tally.mot}, "
            f"avstår {tally.avstar} ({tally.voted} av {tally.electorate} har stemt)"
        )
    if len(lines) == 1:
        lines.append("_Ingen åpne avstemninger._")
    body += blocks.pack_sections(lines, 15)
    body.append(blocks.divider())
    plan = meeting_plan(meetings, now, everything=False)
    body += plan.blocks[:20]
    if can_edit:
        body.append(
            blocks.context("Du kan endre dagsorden, frister og møteplan. Skriv `/dagsorden hjelp` for kommandoene.")
        )
    return {"type": "home", "blocks": body[:MAX_BLOCKS_VIEW]}
