"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.core.domain import next_meeting
from bot.core.formatting import clock_time, meeting_when
from bot.core.i18n import _, language
from bot.slack import blocks
from bot.slack.blocks import escape
from bot.slack.views.common import meeting_place
from bot.slack.views.frister import deadline_due, distance, has_passed, my_deadlines
from bot.slack.views.moteplan import meeting_plan
from bot.usecases.bodies import NoBody
from bot.usecases.frister import in_order
from bot.usecases.home import Home, Overview

MAX_BLOCKS_VIEW = 100


def home(facts: Home, own: str | None = None) -> dict[str, Any]:
    """The App Home tab: each of the viewer's bodies, as far as Slack's 100 blocks go; each body's part in its
    målform, unless the viewer chose their own (`own`)."""
    body: list[blocks.Block] = []
    if facts.mine.deadlines:  # what the viewer must deliver comes first, from every body
        body += [*my_deadlines(facts.mine).blocks[:15], blocks.divider()]
    for overview in facts.bodies:
        with language(own or overview.language):
            body += body_overview(overview)
    if not facts.bodies:
        body = [blocks.header("Møtebot"), blocks.section(escape(str(NoBody())))]
    return {"type": "home", "blocks": body[:MAX_BLOCKS_VIEW]}


def body_overview(facts: Overview) -> list[blocks.Block]:
    """One body: the next meeting and its agenda, open deadlines, open votes, the plan."""
    now = facts.now
    upcoming, ahead = next_meeting(facts.meetings, now)
    body: list[blocks.Block] = [blocks.header(_("Møtebot – {name}", name=facts.name))]
    if upcoming is not None and ahead:
        heading = _("Next meeting: meeting {number}, {when}", number=upcoming.number, when=meeting_when(upcoming))
        lines = [f"*{heading}*" + (f" · {p}" if (p := meeting_place(upcoming, elected=facts.elected)) else "")]
        for case in upcoming.cases[:25]:
            start = f"{clock_time(case.start)} " if case.start else ""
            line = f"• *{escape(case.shown_number)}* {start}{escape(case.title)}"
            if case.decision:
                line += "\n      _" + _("Decision: {decision}", decision=escape(case.decision)) + "_"
            lines.append(line)
        if not upcoming.cases:
            lines.append("_" + _("The agenda has not been set up yet.") + "_")
        body += blocks.pack_sections(lines, 20)
    else:
        body.append(blocks.section("_" + _("No upcoming meetings.") + "_"))
    body.append(blocks.divider())
    open_deadlines = in_order([d for d in facts.deadlines if d.is_open], now.tzinfo)
    lines = ["*" + _("Open deadlines") + "*"] + [
        f"• {':warning: ' if has_passed(d, now) else ''}{escape(d.what)} – {deadline_due(d)} ({distance(d, now)})"
        for d in open_deadlines[:15]
    ]
    if len(lines) == 1:
        lines.append("_" + _("No open deadlines.") + "_")
    body += blocks.pack_sections(lines, 15)
    body.append(blocks.divider())
    lines = ["*" + _("Open votes") + "*"]
    for vote in facts.open_votes:
        tally = vote.tally()
        line = _(
            "Case {case}: {proposal} – for {yes}, against {no}, abstaining {abstain} "
            "({voted} of {electorate} have voted)",
            case=vote.case, proposal=escape(vote.proposal), yes=tally.for_, no=tally.mot, abstain=tally.avstar,
            voted=tally.voted, electorate=tally.electorate,
        )  # fmt: skip
        lines.append(f"• {line}")
    if len(lines) == 1:
        lines.append("_" + _("No open votes.") + "_")
    body += blocks.pack_sections(lines, 15)
    body.append(blocks.divider())
    plan = meeting_plan(facts.meetings, now, everything=False, elected=facts.elected)
    body += plan.blocks[:20]
    if facts.can_edit:
        hint = _(
            "You can change the agenda, the deadlines and the meeting plan. Write `/dagsorden hjelp` for the commands."
        )
        body.append(blocks.context(hint))
    return body
