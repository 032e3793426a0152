"""/protokoll: the draft is stored and acknowledged; then its message goes to the channel once per wording (keyed
by its fingerprint), with the full minutes as files in its thread."""

from __future__ import annotations

import logging
from http.client import HTTPException

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.minutes.markdown import fingerprint
from bot.slack.blocks import Message
from bot.slack.views import protokoll as view
from bot.usecases import protokoll
from handlers.context import Context, Followup, Later, register_command
from handlers.scheduled import post_once

log = logging.getLogger(__name__)
COMMAND = protokoll.COMMAND


def publish(ctx: Context, client: WebClient, drafted: protokoll.Drafted) -> bool:
    """The draft's message and files in the channel, once for each wording of it; False if Slack refused."""
    services = ctx.installation.body(drafted.body_id)
    if services is None or drafted.channel is None:
        return False
    minutes = drafted.minutes
    key = f"organ:{drafted.body_id}:meeting:{minutes.meeting}:minutes:{fingerprint(drafted.document)[:16]}"
    if services.store.posts.was_sent(key):
        return True
    try:
        ts = post_once(services, client, key, drafted.channel, view.draft_post(drafted))
        client.files_upload_v2(
            channel=drafted.channel, thread_ts=ts, file_uploads=view.files(drafted, minutes_pdf(drafted))
        )
    except (SlackApiError, OSError, HTTPException) as error:
        log.warning("Protokollen for møte %s ble ikke lagt ut (%s)", minutes.meeting, error)
        return False
    return True


def minutes_pdf(drafted: protokoll.Drafted) -> bytes | None:
    return None


def register(app: App, ctx: Context) -> None:
    def answer(facts: protokoll.Facts) -> Message | Later:
        message = view.render(facts)
        if not isinstance(facts, protokoll.Drafted) or not facts.made:
            return message
        drafted = facts

        def work(client: WebClient, followup: Followup) -> None:
            if not publish(ctx, client, drafted):
                followup.tell(view.not_posted())

        return Later(work, ack=message, lane="bulk")

    register_command(app, ctx, protokoll.COMMAND, protokoll.USAGE, protokoll.parse, protokoll.run, answer)
