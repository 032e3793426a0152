"""A notice sent to Møtebot as a file in a direct message: read and shown as a preview, nothing stored; the
sender's [Importer] (one per body they may change) fetches the files again and imports them exactly as
`motebot import` does, [Avbryt] leaves it."""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from typing import Any
from urllib.parse import urlparse

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.core.i18n import _
from bot.slack.views import innkalling as view
from bot.slack.views.common import problem
from bot.usecases import innkalling
from bot.usecases.grammar import Asker
from handlers.context import Context, clicked_value, tell

log = logging.getLogger(__name__)

MAX_FILES = 10  # Slack sends at most 10 files with one message; a button carries their IDs


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


def _described(client: WebClient, file_id: str) -> innkalling.SharedFile:
    """A file sent earlier, known by its ID: Slack says again what it is and where (files.info)."""
    try:
        file: dict[str, Any] = client.files_info(file=file_id)["file"]
    except (OSError, SlackApiError, KeyError) as error:
        log.warning("Slack beskrev ikke fil %s: %s", file_id, error)
        unreachable = _("{name}: could not be fetched from Slack. Try sending it again.", name=_("the file"))
        raise UserError(unreachable) from None
    return _shared(client, file)


def _choice(body: dict[str, Any]) -> tuple[list[str], object, bool]:
    """The files, the body and whether to overwrite, as a button carries them (view.choice); ValueError for
    anything else."""
    try:
        carried = json.loads(clicked_value(body))
        files, body_id, overwrite = carried["files"], carried["body"], carried.get("overwrite", False)
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise ValueError("not a choice of body") from error
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise ValueError("not a choice of body")
    if not isinstance(overwrite, bool):
        raise ValueError("not a choice of body")
    return files[:MAX_FILES], body_id, overwrite


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation

    def refresh(facts: innkalling.Imported) -> None:
        services = installation.services(facts.body)
        for meeting in facts.meetings:  # new meetings from a plan have no votes to refresh
            ctx.vote_messages.refresh_meeting_later(services, meeting.number)

    @app.event("message")
    def direct_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") not in (None, "file_share"):
            return  # edits, deletions and the like
        asker, channel = Asker(event.get("user", ""), event["channel"]), event["channel"]
        files = (event.get("files") or [])[:MAX_FILES]
        if not files:
            ctx.background.submit(lambda: client.chat_postMessage(channel=channel, **view.how_to_import().as_kwargs()))
            return

        def import_or_ask() -> None:
            try:
                facts = innkalling.receive_files(installation, asker, [_shared(client, file) for file in files])
            except UserError as error:
                message = problem(str(error))
            else:
                message = view.preview(facts, [str(file.get("id", "")) for file in files])
            client.chat_postMessage(channel=channel, **message.as_kwargs())

        # Downloading and reading can take longer than Slack waits for the ack.
        ctx.background.documents(import_or_ask)

    @app.action(re.compile(rf"^{re.escape(view.IMPORT_INTO_ACTION)}:"))
    def import_into(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        """A body chosen for the notices in the question: fetched again, and imported into that body."""
        ack()
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        try:
            file_ids, body_id, overwrite = _choice(body)
        except ValueError:
            broken = problem(_("That button no longer works. Send me the notice again."))
            ctx.tell_later(respond, broken)
            return

        def fetch_and_import() -> None:
            try:
                services = innkalling.chosen_body(installation, user_id, body_id)
                files = [_described(client, file_id) for file_id in file_ids]
                facts = innkalling.import_files(
                    installation, services, Asker(user_id, channel), files, overwrite=overwrite
                )
            except UserError as error:
                tell(respond, problem(str(error)))  # the question stays: another body may be chosen
            else:
                respond(**view.import_report(facts, name_body=True).as_kwargs(), replace_original=True)
                refresh(facts)

        ctx.background.documents(fetch_and_import)

    @app.action(view.CANCEL_ACTION)
    def cancel(ack: Ack, respond: Respond) -> None:
        """Nothing was stored for the preview: the message says so in its place."""
        ack()
        ctx.background.prompt(lambda: respond(**view.cancelled().as_kwargs(), replace_original=True))
