"""What an imported notice became."""

from __future__ import annotations

from bot.core.domain import (
    Meeting,
)
from bot.core.formatting import (
    meeting_when,
)
from bot.slack.blocks import Message, escape
from bot.slack.views.common import notice


def import_report(meetings: list[Meeting], warnings: list[str]) -> Message:
    lines = []
    for meeting in meetings:
        cases = ", ".join(str(case.number) for case in meeting.cases)
        lines.append(
            f":white_check_mark: Importerte *møte {meeting.number}* ({escape(meeting.title)}, "
            f"{meeting_when(meeting)}): {len(meeting.cases)} saker – {cases}. Versjon {meeting.version}."
        )
    lines += [f":warning: {escape(warning)}" for warning in warnings]
    return notice("\n".join(lines))
