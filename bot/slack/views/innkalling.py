"""Notices sent to Møtebot in a direct message: how to send one, which body it is for, what an import became."""

from __future__ import annotations

import json

from bot.core.formatting import enumeration, long_date, meeting_when
from bot.core.i18n import _, ngettext
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import notice
from bot.usecases.innkalling import ChooseBody, Imported

IMPORT_INTO_ACTION = "innkalling_import_into"  # ":<body id>" after it: an action_id is unique in its block
MAX_CHOICES = 25  # Slack's buttons in one actions block


def how_to_import() -> Message:
    """The answer to a direct message without a file."""
    return notice(
        _(
            "Send me the meeting notice as a file (text or Markdown, like the notice of meeting 4/20), "
            "and I will add it. Write `/dagsorden hjelp` for the commands."
        )
    )


def choice(file_ids: list[str], body_id: int) -> str:
    """What a body's button carries: the files to fetch again, and the body to import them into."""
    return json.dumps({"files": file_ids, "body": body_id}, separators=(",", ":"))


def which_body(facts: ChooseBody, file_ids: list[str]) -> Message:
    """The question, with a button per body the sender may change; the one the heading names first."""
    meetings = enumeration([f"{meeting.number} ({long_date(meeting.day)})" for meeting in facts.meetings])
    question = ngettext(
        "Which body is the notice of meeting {meetings} for?",
        "Which body are the notices of meetings {meetings} for?",
        len(facts.meetings),
        meetings=meetings,
    )
    buttons = []
    for body in facts.bodies[:MAX_CHOICES]:
        guessed = facts.guess is not None and body.id == facts.guess.id
        label = _("{name} (from the heading)", name=body.name) if guessed else body.name
        action = f"{IMPORT_INTO_ACTION}:{body.id}"
        buttons.append(blocks.button(label, action, choice(file_ids, body.id), "primary" if guessed else None))
    later = _("Nothing is imported until you choose.")
    return Message(
        text=escape(question),
        blocks=[blocks.section(escape(question)), blocks.actions(*buttons), blocks.context(later)],
    )


def import_report(facts: Imported, *, name_body: bool = False) -> Message:
    """What was stored; `name_body` when the member chose the body, so the answer says which."""
    lines = [_("Into *{name}*:", name=escape(facts.body.name))] if name_body else []
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
                cases=", ".join(escape(case.shown_number) for case in meeting.cases),
                version=meeting.version,
            )
        )
    lines += [
        ":calendar: " + _("The meeting plan for {name} was put in that body.", name=escape(body.name))
        for body in facts.plans_elsewhere
    ]
    lines += [f":warning: {escape(warning)}" for warning in facts.warnings]
    return notice("\n".join(lines))
