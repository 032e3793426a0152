"""/protokoll: the list of minutes, the draft's message in the channel (the decisions in short; the full minutes
follow as files), and the answers."""

from __future__ import annotations

from typing import Any

from bot.core.i18n import _
from bot.core.minutes.document import Heading, Paragraph
from bot.core.minutes.record import EditKind, MinutesState
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import done, notice
from bot.usecases.protokoll import Drafted, Edited, Facts, Listing


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
        uploads.append({"content": pdf, "filename": f"{name}.pdf", "title": facts.document.title})
    uploads.append({"content": facts.markdown, "filename": f"{name}.md", "title": facts.document.title})
    return uploads


def render(facts: Facts) -> Message:
    if isinstance(facts, Listing):
        return listing(facts)
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
        lines.append(_("Cases without a decision: {cases}. Write it with `/protokoll {meeting} vedtak {case} …`.",
                       cases=", ".join(drafted.undecided), meeting=meeting, case=drafted.undecided[0]))  # fmt: skip
    return done(" ".join(lines))


def not_posted() -> Message:
    return notice(_("Could not post the minutes in the channel. Has Møtebot been invited to the channel?"))
