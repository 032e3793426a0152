"""/protokoll: the list of minutes, the draft's message in the channel (the decisions in short; the full minutes
follow as files), and the answers."""

from __future__ import annotations

import json
from typing import Any

from bot.core import limits
from bot.core.domain import Serial
from bot.core.formatting import enumeration
from bot.core.i18n import _
from bot.core.minutes.document import Heading, Paragraph
from bot.core.minutes.record import EditKind, MinutesState
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import carrying_case, clicked_meeting, done, mention, notice
from bot.usecases.protokoll import (
    Approval,
    CaseForm,
    Corrected,
    Drafted,
    Edited,
    Facts,
    Listing,
    Remarked,
    Sent,
    undecided_hint,
)


def _state(state: MinutesState) -> str:
    if state is MinutesState.APPROVED:
        return _("approved")
    if state is MinutesState.SENT:
        return _("for approval")
    return _("draft")


def listing(facts: Listing) -> Message:
    title = _("Minutes")
    lines = [f"*{title}*"]
    for minutes in facts.minutes:
        lines.append(_("• Meeting {meeting}: {state} (version {version})", meeting=minutes.meeting,
                       state=_state(minutes.state), version=minutes.version))  # fmt: skip
    for meeting in facts.held:
        lines.append(_("• Meeting {meeting}: no minutes yet – `/protokoll {meeting}`", meeting=meeting))
    if len(lines) == 1:
        lines.append(_("No minutes yet. After a meeting: `/protokoll 4/20`."))
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def decisions(facts: Drafted) -> list[str]:
    """Each case with its decision, from the minutes themselves."""
    found, case = [], ""
    for block in facts.document.blocks:
        if isinstance(block, Heading) and block.level == 3:
            case = block.text
        elif isinstance(block, Paragraph) and block.emphasis and case:
            found.append(f"• *{escape(case)}*\n{escape(block.text)}")
    return found


def draft_post(facts: Drafted) -> Message:
    """The channel's message: the minutes' title and state, the decisions; the files follow in its thread."""
    state = _state(facts.minutes.state)
    title = f"{facts.document.title} ({state})"
    parts: list[blocks.Block] = [blocks.section(f"*{escape(title)}*")]
    parts += [blocks.section(text) for text in decisions(facts)[:40]]
    parts.append(blocks.context(_("The full minutes follow as PDF and Markdown in the thread.")))
    return Message(text=escape(title), blocks=parts)


def files(facts: Drafted, pdf: bytes | None) -> list[dict[str, Any]]:
    """files.uploadV2's file_uploads: the minutes as PDF (where written) and as Markdown."""
    name = f"protokoll-{facts.minutes.meeting.seq}-{facts.minutes.meeting.year % 100:02d}"
    uploads: list[dict[str, Any]] = []
    if pdf is not None:
        uploads.append({"content": pdf, "filename": f"{name}.pdf", "title": f"{name}.pdf"})
    uploads.append({"content": facts.markdown, "filename": f"{name}.md", "title": f"{name}.md"})
    return uploads


APPROVE_MINUTES_ACTION = "minutes_approve"  # value: carrying_version
REMARK_MINUTES_ACTION = "minutes_remark"


def carrying_version(body: int, meeting: Serial, version: int) -> str:
    """A signatory's buttons: the body, the meeting and the version they were sent (a later one asks again)."""
    return json.dumps({"organ": body, "meeting": str(meeting), "version": version})


def clicked_version(value: str) -> tuple[object, Serial | None, int]:
    carried, meeting = clicked_meeting(value)
    try:
        version = json.loads(value).get("version", 0)
    except (ValueError, AttributeError):
        version = 0
    return carried, meeting, version if isinstance(version, int) else 0


def signatory_request(facts: Sent) -> Message:
    """The DM to a signatory: the minutes in short, and the two buttons."""
    drafted = facts.drafted
    meeting = drafted.minutes.meeting
    text = _("Will you approve the minutes of meeting {meeting}?", meeting=meeting)
    parts: list[blocks.Block] = [blocks.section(f"*{escape(text)}*\n{escape(drafted.document.title)}")]
    parts += [blocks.section(line) for line in decisions(drafted)[:40]]
    parts.append(blocks.context(_("The full minutes are in the channel's thread, as PDF and Markdown.")))
    carried = carrying_version(drafted.body_id, meeting, drafted.minutes.version)
    parts.append(blocks.actions(
        blocks.button(_("Approve the minutes"), APPROVE_MINUTES_ACTION, carried, style="primary"),
        blocks.button(_("I have remarks"), REMARK_MINUTES_ACTION, carried),
    ))  # fmt: skip
    return Message(text=text, blocks=parts)


def how_to_remark(meeting: Serial | None) -> Message:
    return notice(_("Write your remarks: `/protokoll {meeting} merknad text`. The secretariat gets them.",
                    meeting=meeting or "4/20"))  # fmt: skip


def remark_to_secretariat(facts: Remarked) -> Message:
    text = _("{person} has remarks on the minutes of meeting {meeting}: {remark}", person=mention(facts.user),
             meeting=facts.drafted.minutes.meeting, remark=escape(facts.text))  # fmt: skip
    return notice(text)


def approved_post(facts: Drafted) -> Message:
    """The channel's message when the minutes are approved: locked, with their fingerprint."""
    message = draft_post(facts)
    approved = facts.minutes.latest
    print_ = approved.fingerprint if approved else ""
    return Message(text=message.text, blocks=[*message.blocks[:-1], blocks.context(
        _("Approved and locked · SHA-256 {fingerprint}. The full minutes follow as PDF and Markdown in the thread.",
          fingerprint=print_)
    )])  # fmt: skip


EDIT_CASE_ACTION = "minutes_edit_case"  # value: carrying_case
EDIT_CASE_VIEW = "minutes_edit_case_view"


def edit_buttons(drafted: Drafted) -> list[blocks.Block]:
    """One [Rediger] per case, for the secretariat's answer: the note and the decision's words, in a form."""
    meeting = drafted.minutes.meeting
    buttons = [
        blocks.button(_("Edit {case}", case=number), EDIT_CASE_ACTION, carrying_case(drafted.body_id, number, meeting))
        for number in drafted.cases
    ]
    return [blocks.actions(*buttons[i : i + 5]) for i in range(0, min(len(buttons), 25), 5)]


def case_modal(form: CaseForm, channel: str | None) -> dict[str, Any]:
    inputs = [
        blocks.section(f"*{escape(form.name)}*"),
        blocks.input_block(
            "note",
            _("Note on the discussion"),
            blocks.text_input(multiline=True, max_length=limits.TEXT, initial=form.note or None),
            optional=True,
        ),
    ]
    if form.decided_by_vote:
        inputs.append(blocks.context(_("The decision comes from the vote; its count cannot be edited.")))
    else:
        inputs.append(blocks.input_block("decision", _("Decision"),
                                         blocks.text_input(multiline=True, max_length=limits.TEXT,
                                                           initial=form.decision or None), optional=True))  # fmt: skip
    metadata = json.dumps({"organ": form.body_id, "meeting": str(form.meeting), "case": str(form.case),
                           "channel": channel})  # fmt: skip
    return blocks.modal(EDIT_CASE_VIEW, _("Minutes"), _("Save"), inputs, metadata)


def case_form_origin(view: dict[str, Any]) -> tuple[object, Serial | None, Serial | None, str | None]:
    """The body, meeting, case and channel `case_modal` wrote; the use case checks them again."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    channel = metadata.get("channel")
    return (metadata.get("organ"), Serial.parse(str(metadata.get("meeting", ""))),
            Serial.parse(str(metadata.get("case", ""))), channel if isinstance(channel, str) else None)  # fmt: skip


def render(facts: Facts) -> Message:
    if isinstance(facts, Listing):
        return listing(facts)
    if isinstance(facts, Sent):
        people = enumeration([mention(u) for u in facts.signatories])
        return done(_("The minutes of meeting {meeting} are sent for approval to {people}.",
                      meeting=facts.drafted.minutes.meeting, people=people))  # fmt: skip
    if isinstance(facts, Approval):
        meeting = facts.drafted.minutes.meeting
        if facts.drafted.minutes.locked:  # by this click, or before it
            return done(_("The minutes of meeting {meeting} are approved and locked.", meeting=meeting))
        waiting = ", ".join(mention(u) for u in facts.drafted.minutes.waiting_for())
        return done(_("Thank you: you have approved the minutes of meeting {meeting}. Waiting for: {people}.",
                      meeting=meeting, people=waiting or "–"))  # fmt: skip
    if isinstance(facts, Remarked):
        return done(_("Your remarks are sent to the secretariat."))
    if isinstance(facts, Corrected):
        return done(_("The minutes of meeting {meeting} are a draft again, as version {version}; the approved "
                      "version is kept.", meeting=facts.drafted.minutes.meeting,
                      version=facts.drafted.minutes.version))  # fmt: skip
    drafted = facts.drafted if isinstance(facts, Edited) else facts
    meeting = drafted.minutes.meeting
    if isinstance(facts, Edited):
        text = (
            _("The decision in {case} is written in the minutes of meeting {meeting}.", case=facts.case,
              meeting=meeting)
            if facts.kind is EditKind.DECISION
            else _("The note on {case} is written in the minutes of meeting {meeting}.", case=facts.case,
                   meeting=meeting)
        )  # fmt: skip
    elif drafted.made:
        text = _("The draft minutes of meeting {meeting} are posted in the channel.", meeting=meeting)
    else:
        message = draft_post(drafted)
        return Message(text=message.text, blocks=message.blocks[:-1])
    lines = [text]
    if drafted.undecided:
        lines.append(undecided_hint(drafted.undecided, meeting))
    answer = done(" ".join(lines))
    return Message(text=answer.text, blocks=[*answer.blocks, *edit_buttons(drafted)])


def not_posted() -> Message:
    return notice(_("Could not post the minutes in the channel. Has Møtebot been invited to the channel?"))


def form_failed(form: CaseForm) -> Message:
    """Slack would not open the form: how to write the same in text."""
    return notice(_("Could not open the form. Write it as text: `/protokoll {meeting} notat {case} text`, or "
                    "`/protokoll {meeting} vedtak {case} text`.", meeting=form.meeting, case=form.case))  # fmt: skip


def case_saved(edited: Edited | None, case: Serial) -> Message:
    if edited is None:
        return notice(_("Nothing was changed in {case}.", case=case))
    return done(_("The minutes of meeting {meeting} are changed in {case}.", meeting=edited.drafted.minutes.meeting,
                  case=case))  # fmt: skip
