"""Notices sent to Møtebot in a direct message: how to send one, and what an import became."""

from __future__ import annotations

from bot.core.formatting import meeting_when
from bot.core.i18n import _, ngettext
from bot.slack.blocks import Message, escape
from bot.slack.views.common import notice
from bot.usecases.innkalling import Imported


def how_to_import() -> Message:
    """The answer to a direct message without a file."""
    return notice(
        _(
            "Send me the meeting notice as a file (text or Markdown, like the notice of meeting 4/20), "
            "and I will add it. Write `/dagsorden hjelp` for the commands."
        )
    )


def import_report(facts: Imported) -> Message:
    lines = []
    for meeting in facts.meetings:
        lines.append(
            ":white_check_mark: "
            + ngettext(
                "Imported *meeting {number}* ({title}, {when}): {count} case – {cases}. Version {version}.",
                "Imported *meeting {number}* ({title}, {when}): {count} cases – {cases}. Version {version}.",
                len(meeting.cases),
                number=meeting.number,
                title=escape(meeting.title),
                when=meeting_when(meeting),
                cases=", ".join(str(case.number) for case in meeting.cases),
                version=meeting.version,
            )
        )
    lines += [f":warning: {escape(warning)}" for warning in facts.warnings]
    return notice("\n".join(lines))
