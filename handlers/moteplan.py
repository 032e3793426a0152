"""/moteplan: the meetings ahead; the secretariat adds, moves and cancels them; anyone shares the calendar."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.core.i18n import _
from bot.slack.blocks import Message
from bot.slack.views import moteplan as view
from bot.slack.views.common import clicked_meeting
from bot.usecases import bodies, moteplan
from handlers.context import Context, Followup, Later, answer_in_place, clicked_value, register_command

COMMAND = moteplan.COMMAND


def _share_calendar(ctx: Context, facts: moteplan.Calendar) -> Later:
    """The file goes to the body's channel when the command came from there, else to the asker's direct
    messages with Møtebot (never a conversation with others, nor a channel they are not in). After the ack
    (an upload is slow)."""

    def share(client: WebClient, followup: Followup) -> None:
        try:
            channel = facts.channel or client.conversations_open(users=followup.asker.user)["channel"]["id"]
            services = ctx.installation.body(facts.body) if facts.channel else None
            with services.in_body_language() if services else nullcontext():  # the channel's: the body's målform
                upload = view.calendar_upload(facts)
            client.files_upload_v2(channel=channel, **upload)
        except SlackApiError:  # most likely not in the channel: then only the response_url reaches the member
            followup.tell(view.calendar_not_shared())

    return Later(share, ack=view.calendar_coming(facts), lane="bulk")


def register(app: App, ctx: Context) -> None:
    def answer(facts: moteplan.Facts) -> Message | Later:
        if isinstance(facts, moteplan.Calendar):
            return _share_calendar(ctx, facts)
        if isinstance(facts, moteplan.CalendarLinkRenewed):
            return view.calendar_renewed(facts)
        if isinstance(facts, (moteplan.Moved, moteplan.Cancelled)):  # new closing times, or no buttons
            _refresh_votes(ctx, facts)
        return view.render(facts)

    register_command(app, ctx, moteplan.COMMAND, moteplan.USAGE, moteplan.parse, moteplan.run, answer)

    @app.action(view.CANCEL_MEETING_ACTION)
    def cancel_confirmed(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Ja, avlys møtet]: cancelled now, if the clicker still may and the meeting may still be cancelled
        (moved, cancelled or held since the question); what it did takes the question's place."""
        ack()
        user = body["user"]["id"]
        carried, number, as_of = view.clicked_cancel(clicked_value(body))

        def cancel() -> Message:
            if number is None:
                raise UserError(_("That button no longer works. Write the command again."))
            facts = moteplan.cancelled(bodies.given(ctx.installation, carried, user), user, number, as_of)
            _refresh_votes(ctx, facts)
            return view.render(facts)

        answer_in_place(ctx, respond, cancel)

    @app.action(view.KEEP_MEETING_ACTION)
    def cancel_declined(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Nei]: nothing changes; the question gives way to saying so."""
        ack()
        _carried, number = clicked_meeting(clicked_value(body))
        if number is not None:
            kept = view.kept(number)
            answer_in_place(ctx, respond, lambda: kept)


def _refresh_votes(ctx: Context, facts: moteplan.Moved | moteplan.Cancelled) -> None:
    if (services := ctx.installation.body(facts.body)) is not None:
        ctx.vote_messages.refresh_meeting_later(services, facts.meeting.number, every=True)
