"""Notices sent to Møtebot in a direct message: how to send one, which body it is for, what an import became."""

from __future__ import annotations

import json

from bot.core.domain import Case
from bot.core.formatting import case_name, case_type_name, clock_time, meeting_place, meeting_when
from bot.core.i18n import N_, _, ngettext
from bot.core.reimport import Change, ChangeKind, Conflict
from bot.slack import blocks
from bot.slack.blocks import Message, escape, fit
from bot.slack.views.common import notice
from bot.usecases.innkalling import Imported, Preview, Reading

IMPORT_INTO_ACTION = "innkalling_import_into"  # ":<body id>" after it: an action_id is unique in its block
CANCEL_ACTION = "innkalling_cancel"
MAX_CHOICES = 23  # Slack's 25 buttons in one actions block, less "overwrite" and "cancel"
MAX_PROPOSAL_SHOWN = 200

# What each field is called where the preview says it changed.
_FIELD_NAMES = {
    "title": N_("title"),
    "start": N_("time"),
    "case_type": N_("case type"),
    "proposal": N_("proposed decision"),
    "presenter": N_("presenter"),
    "day": N_("date"),
    "end": N_("end"),
    "location": N_("place"),
    "web": N_("web meeting"),
    "decision": N_("decision"),
}


def how_to_import() -> Message:
    """The answer to a direct message without a file."""
    return notice(
        _(
            "Send me the meeting notice as a file (text or Markdown, like the notice of meeting 4/20), "
            "and I will add it. Write `/dagsorden hjelp` for the commands."
        )
    )


def choice(file_ids: list[str], body_id: int, *, overwrite: bool = False) -> str:
    """What an import button carries: the files to fetch again, the body to import them into, and whether
    the notice's text replaces edits made in Slack."""
    carried: dict[str, object] = {"files": file_ids, "body": body_id}
    if overwrite:
        carried["overwrite"] = True
    return json.dumps(carried, separators=(",", ":"))


def _field(name: str) -> str:
    return _(_FIELD_NAMES[name])


def _case_line(case: Case) -> str:
    facts = [f"*{escape(case.shown_number)}*"]
    if case.start:
        facts.append(clock_time(case.start))
    facts.append(escape(case.title))
    if case.case_type:
        facts.append(f"_{case_type_name(case.case_type)}_")
    line = "• " + " ".join(facts)
    if case.decision:
        line += "\n      " + _("Decision:") + " " + escape(fit(case.decision, MAX_PROPOSAL_SHOWN))
    elif case.proposal:
        line += "\n      " + _("Proposed decision:") + " " + escape(fit(case.proposal, MAX_PROPOSAL_SHOWN))
    return line


def _change_line(change: Change) -> str:
    case = escape(case_name(change.case)) if change.case else ""
    if change.kind is ChangeKind.ADDED:
        return _("New: {case}", case=case)
    if change.kind is ChangeKind.REMOVED:
        return _("{case} is no longer in the notice and is taken off the agenda", case=case)
    if change.kind is ChangeKind.KEPT:
        return _("{case} is no longer in the notice, but stays: it has a vote or a decision", case=case)
    if change.kind is ChangeKind.DECIDED:
        return _("{case} gets the decision from the minutes", case=case)
    assert change.field is not None
    if change.case is None:
        return _("The meeting's {field} changes", field=_field(change.field))
    return _("{case}: new {field}", case=case, field=_field(change.field))


def _conflict_line(conflict: Conflict) -> str:
    if conflict.held and conflict.case is not None and conflict.field is not None:
        return _(
            "{case} has a vote or a decision: the notice's {field} is not taken in",
            case=escape(case_name(conflict.case)),
            field=_field(conflict.field),
        )
    if conflict.field is None:
        assert conflict.case is not None
        return _("{case} was removed in Slack; the notice still has it", case=escape(case_name(conflict.case)))
    if conflict.case is None:
        return _("The meeting's {field} was changed in Slack since the last import", field=_field(conflict.field))
    return _(
        "{case}: the {field} was changed in Slack since the last import",
        case=escape(case_name(conflict.case)),
        field=_field(conflict.field),
    )


def _reading_lines(reading: Reading) -> list[str]:
    meeting = reading.meeting
    place = meeting_place(meeting)
    head = _("*Meeting {number}* – {title}", number=meeting.number, title=escape(meeting.title))
    head += f"\n{meeting_when(meeting)}" + (f" · {escape(place)}" if place else "")
    if reading.before is not None and reading.before.cancelled:
        head += "\n:no_entry: " + _("Meeting {number} is cancelled; importing updates its agenda, and it stays "
                                     "cancelled.", number=meeting.number)  # fmt: skip
    elif reading.before is None:
        head += "\n_" + _("A new meeting.") + "_"
    elif reading.unchanged:
        head += "\n_" + _("Møtebot already has this meeting as the notice says; importing changes nothing.") + "_"
    else:
        head += "\n_" + _("Updates the meeting Møtebot has.") + "_"
    lines = [head]
    if not meeting.cases:
        lines.append("_" + _("The agenda has not been set up yet.") + "_")
    lines += [_case_line(case) for case in meeting.cases]
    notes = [":pencil2: " + _change_line(change) for change in reading.changes]
    notes += [
        ":hash: " + _("{written} gets the number {key} (the notice's number is used in another meeting)",
                      written=escape(written), key=key)
        for written, key in reading.renumbered
    ]  # fmt: skip
    notes += [":grey_question: " + escape(missing) for missing in reading.notice.missing]
    notes += [":warning: " + escape(warning) for warning in reading.notice.warnings]
    notes += [":raised_hand: " + _conflict_line(conflict) for conflict in reading.conflicts]
    if any(not conflict.held for conflict in reading.conflicts):
        notes.append(_("Importing keeps what was changed in Slack; «Import and overwrite» takes the notice's."))
    if notes:
        lines.append("\n".join(notes))
    return lines


def preview(facts: Preview, file_ids: list[str], *, buttons: bool = True) -> Message:
    """What importing would do, before anything is stored: the meeting and agenda as read, what changes, what
    the notice lacks; a button per body the sender may import into, and one to cancel (`buttons` False: the
    command line's --dry-run)."""
    lead = ngettext("I have read the notice.", "I have read {count} notices.", len(facts.readings))
    if len(facts.bodies) > 1 and facts.guess is not None:
        lead += " " + _("The preview is for *{name}*, which the heading names.", name=escape(facts.body.name))
    elif len(facts.bodies) > 1:
        lead += " " + _("The preview is for *{name}*.", name=escape(facts.body.name))
    parts = [lead]
    for reading in facts.readings:
        parts += _reading_lines(reading)
    if not buttons:
        return Message(text=escape(lead), blocks=blocks.pack_sections(parts, 50))
    choices = []
    for index, body in enumerate(facts.bodies[:MAX_CHOICES]):
        label = _("Import") if len(facts.bodies) == 1 else _("Import into {name}", name=body.name)
        action = f"{IMPORT_INTO_ACTION}:{body.id}"
        chosen = index == 0 and (facts.guess is not None or len(facts.bodies) == 1)
        choices.append(blocks.button(label, action, choice(file_ids, body.id), "primary" if chosen else None))
    if facts.conflicts:
        action = f"{IMPORT_INTO_ACTION}:{facts.body.id}:overwrite"
        choices.append(
            blocks.button(_("Import and overwrite"), action, choice(file_ids, facts.body.id, overwrite=True))
        )
    choices.append(blocks.button(_("Cancel"), CANCEL_ACTION, "cancel"))
    content = [
        *blocks.pack_sections(parts, 45),
        blocks.actions(*choices),
        blocks.context(_("Nothing is imported until you choose.")),
    ]
    return Message(text=escape(lead), blocks=content)


def cancelled() -> Message:
    return notice(_("Cancelled. Nothing was imported."))


def import_report(facts: Imported, *, name_body: bool = False) -> Message:
    """What was stored; `name_body` when the member chose the body, so the answer says which."""
    lines = [_("Into *{name}*:", name=escape(facts.body.name))] if name_body else []
    unchanged = {reading.meeting.number for reading in facts.readings if reading.unchanged}
    for meeting in facts.meetings:
        if meeting.number in unchanged:
            lines.append(
                ":white_check_mark: "
                + _("Meeting {number} was already as the notice says; nothing changed.", number=meeting.number)
            )
            continue
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
    for reading in facts.readings:
        lines += [":pencil2: " + _change_line(change) for change in reading.changes]
        lines += [":raised_hand: " + _conflict_line(conflict) for conflict in reading.conflicts]
        lines += [":grey_question: " + escape(missing) for missing in reading.notice.missing]
    lines += [
        ":calendar: " + _("The meeting plan for {name} was put in that body.", name=escape(body.name))
        for body in facts.plans_elsewhere
    ]
    lines += [f":warning: {escape(warning)}" for warning in facts.warnings]
    return notice("\n".join(lines))
