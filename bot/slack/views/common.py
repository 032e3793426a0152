"""What every answer is made of: a short notice, a refusal, an outcome, a mention, a history line."""

from __future__ import annotations

import json
import re
from datetime import datetime

from bot.core import formatting, limits
from bot.core.domain import Meeting, Serial
from bot.core.formatting import short_datetime
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Message, escape

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
SLACK_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
_ESCAPED_MENTION = re.compile(r"&lt;@([UW][A-Z0-9]{2,})&gt;")


def notice(text_mrkdwn: str) -> Message:
    """A short answer: one section, the same words as the fallback."""
    return Message(text=text_mrkdwn, blocks=[blocks.section(text_mrkdwn)])


def problem(text: str) -> Message:
    """A refusal or a mistake, from plain text that may carry what the member typed: escaped whole, except
    mentions of a user ID (`<@U…>`), which the use cases write for the person concerned and Slack shows as a name
    (what a member types reaches the use case as `@U…`, never as `<@U…>`)."""
    return notice(_ESCAPED_MENTION.sub(r"<@\1>", escape(text)))


def _outcome_lines(summary: str, warnings: list[str]) -> str:
    lines = [f":white_check_mark: {escape(summary)}"]
    lines += [f":warning: {escape(warning)}" for warning in warnings]
    return "\n".join(lines)


def outcome(summary: str, warnings: list[str]) -> Message:
    return notice(_outcome_lines(summary, warnings))


def done(text_mrkdwn: str) -> Message:
    """What a change did, in mrkdwn the view built (mentions from checked IDs, user text escaped)."""
    return notice(f":white_check_mark: {text_mrkdwn}")


def usage(text: str, command: str = "") -> Message:
    """A command's usage text, from the catalog (`text` is its `N_()` message), and how long its texts may be."""
    said = _limits(command)
    return notice(f"{_(text)}\n{said}" if said else _(text))


def _limits(command: str) -> str:
    """The limits of bot.core.limits, as the help of each command that takes such a text says them (four digits
    without a space, as Språkrådet allows and the refusals write them)."""
    title, text, reason = limits.TITLE, limits.TEXT, limits.REASON
    if command == "/dagsorden":
        return _("Titles can have up to {title} characters, proposed decisions up to {text}.", title=title, text=text)
    if command == "/moteplan":
        return _("Titles can have up to {title} characters.", title=title)
    if command == "/frister":
        return _("A deadline's text can have up to {title} characters.", title=title)
    if command == "/status":
        return _("A status can have up to {text} characters.", text=text)
    if command == "/protokoll":
        return _("A decision or a note can have up to {text} characters.", text=text)
    if command in ("/forfall", "/habilitet"):
        return _("A reason can have up to {reason} characters.", reason=reason)
    return ""


def unknown_word(said: str, text: str) -> Message:
    """A sub-command the command does not have (`said`, plain text), and the command's usage (`N_()`)."""
    return notice(f"{escape(said)}\n\n{_(text)}")


def mention(user_id: str) -> str:
    """A mention the bot builds itself, only from an ID that looks like one."""
    return f"<@{user_id}>" if SLACK_USER_ID.match(user_id) else escape(user_id)


def channel_link(channel_id: str) -> str:
    """A link to a channel the bot builds itself, only from an ID that looks like one."""
    return f"<#{channel_id}>" if SLACK_CHANNEL_ID.match(channel_id) else escape(channel_id)


def _logged(at: datetime, actor: str, what: str, lead: str = "") -> str:
    """One line of a history or a vote's record: when, who (a mention if it is a Slack ID), what."""
    return f"• {lead}{short_datetime(at)} · {mention(actor)} · {escape(what)}"


def meeting_place(meeting: Meeting, *, elected: bool = False) -> str:
    """The place as formatting phrases it, escaped: a location comes from the notice."""
    return escape(formatting.meeting_place(meeting, elected=elected))


def carrying(body: int, meeting: Serial) -> str:
    """A button's value that names a meeting of a body: the click is checked against that body."""
    return json.dumps({"organ": body, "meeting": str(meeting)})


def carrying_case(body: int, case: Serial, meeting: Serial | None = None) -> str:
    """A button's value that names a case of a body (and its meeting, where the click needs it)."""
    carried: dict[str, object] = {"organ": body, "case": str(case)}
    return json.dumps(carried | ({"meeting": str(meeting)} if meeting else {}))


def clicked_case(value: str) -> tuple[object, Serial | None]:
    """The body and case a button carries, as `carrying_case` wrote them."""
    try:
        carried = json.loads(value)
    except ValueError:
        return None, None
    if not isinstance(carried, dict):
        return None, None
    return carried.get("organ"), Serial.parse(str(carried.get("case", "")))


def clicked_meeting(value: str) -> tuple[object, Serial | None]:
    """The body and meeting a button carries, as `carrying` wrote them; a plain "4/20" from before bodies
    carries no body."""
    try:
        carried = json.loads(value)
    except ValueError:
        return None, Serial.parse(value)
    if not isinstance(carried, dict):
        return None, None
    return carried.get("organ"), Serial.parse(str(carried.get("meeting", "")))
