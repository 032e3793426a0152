"""A notice sent to Møtebot as a file in a direct message: imported exactly as `motebot import` does."""

from __future__ import annotations

import logging
import urllib.request
from typing import Any
from urllib.parse import urlparse

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.core.i18n import _
from bot.slack.views import innkalling as view
from bot.slack.views.common import problem
from bot.usecases import bodies, innkalling
from bot.usecases.grammar import Asker
from handlers.context import Context

log = logging.getLogger(__name__)


def _allowed_host(url: str, api_url: str) -> bool:
    """The bot token goes only to Slack's own file host (files.slack.com for slack.com/api)."""
    host, api_host = urlparse(url).hostname or "", urlparse(api_url).hostname or ""
    return bool(api_host) and (host == api_host or host.endswith("." + api_host))


def _download(client: WebClient, file: dict[str, Any], limit: int) -> bytes:
    """At most `limit` bytes of the file, from where Slack says it is, with the bot's token."""
    try:
        url = file.get("url_private_download") or file.get("url_private")
        if not url:
            info = client.files_info(file=file["id"])
            url = info["file"].get("url_private_download") or info["file"].get("url_private")
        if not url or not _allowed_host(url, client.base_url):
            raise innkalling.NotAtSlack()
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            data: bytes = response.read(limit)
    except (OSError, SlackApiError) as error:  # the download, or Slack refusing to say where the file is
        log.warning("Kunne ikke hente fil %s: %s", file.get("id"), error)
        raise innkalling.Unreachable() from error
    return data


def _shared(client: WebClient, file: dict[str, Any]) -> innkalling.SharedFile:
    return innkalling.SharedFile(
        file.get("name") or _("the file"),
        int(file.get("size") or 0),
        lambda limit: _download(client, file, limit),
    )


def register(app: App, ctx: Context) -> None:
    @app.event("message")
    def direct_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") not in (None, "file_share"):
            return  # edits, deletions and the like
        asker, channel = Asker(event.get("user", ""), event["channel"]), event["channel"]
        files = event.get("files") or []
        if not files:
            ctx.background.submit(lambda: client.chat_postMessage(channel=channel, **view.how_to_import().as_kwargs()))
            return

        def import_and_answer() -> None:
            try:
                services, _text = bodies.choose(ctx.installation, asker, "", "")
                facts = innkalling.import_files(services, asker, [_shared(client, file) for file in files])
            except UserError as error:
                message = problem(str(error))
            else:
                message = view.import_report(facts)
                for meeting in facts.meetings:  # new meetings from a plan have no votes to refresh
                    ctx.vote_messages.refresh_meeting_later(services, meeting.number)
            client.chat_postMessage(channel=channel, **message.as_kwargs())

        # Downloading can take longer than Slack waits for the ack.
        ctx.background.submit(import_and_answer)
