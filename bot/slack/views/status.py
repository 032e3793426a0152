"""/status: each work stream's latest status, its history, and what an update did."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.domain import WorkStream
from bot.core.formatting import short_datetime
from bot.core.i18n import _
from bot.slack import blocks
from bot.slack.blocks import Message, escape
from bot.slack.views.common import _logged, done, notice
from bot.usecases.status import Streams, Updated


def status_list(streams: Sequence[WorkStream]) -> Message:
    if not streams:
        return notice(_("No work streams have been registered yet. They come with the notice («Status for arbeidet»)."))
    title = _("Status of the work")
    lines = [f"*{title}*"]
    for stream in streams:
        latest = stream.latest
        if latest is None:
            none = _("no status yet")
            lines.append(f"*{stream.number}. {escape(stream.title)}*\n_{none}_")
            continue
        changed = _("changed {when}", when=short_datetime(latest.at))
        lines.append(f"*{stream.number}. {escape(stream.title)}*\n{escape(latest.text)} _({changed})_")
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def status_history(stream: WorkStream) -> Message:
    heading = _("History of work stream {number}, {title}", number=stream.number, title=escape(stream.title))
    lines = [f"*{heading}*"]
    lines += [_logged(update.at, update.actor, update.text) for update in stream.updates[-100:]]
    return Message(text=_("History of {title}", title=escape(stream.title)), blocks=blocks.pack_sections(lines, 45))


def render(facts: Streams | WorkStream | Updated) -> Message:
    if isinstance(facts, Streams):
        return status_list(facts.streams)
    if isinstance(facts, WorkStream):
        return status_history(facts)
    stream = facts.stream
    updated = _("The status of work stream {number}, {title}, has been updated.", number=stream.number,
                title=escape(stream.title))  # fmt: skip
    return done(updated)
