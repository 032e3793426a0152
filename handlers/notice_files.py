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
from bot.core.notices.reader import MAX_NOTICE_BYTES, NoticeError, ParsedNotice, parse_bytes
from bot.slack import views
from bot.slack.blocks import Message
from bot.usecases import innkalling
from bot.usecases.services import Services, require_manager
from handlers.context import Context

log = logging.getLogger(__name__)

DM_HELP = (
    "Send meg møteinnkallingen som fil (tekst eller Markdown, som innkallingen til møte 4/20), "
    "så legger jeg den inn. Skriv `/dagsorden hjelp` for kommandoene."
)


def _allowed_host(url: str, api_url: str) -> bool:
    """The bot token goes only to Slack's own file host (files.slack.com for slack.com/api)."""
    host, api_host = urlparse(url).hostname or "", urlparse(api_url).hostname or ""
    return bool(api_host) and (host == api_host or host.endswith("." + api_host))


def _download(client: WebClient, file: dict[str, Any], api_url: str) -> bytes:
    name = file.get("name") or "filen"
    if int(file.get("size") or 0) > MAX_NOTICE_BYTES:
        raise NoticeError(f"{name}: filen er for stor (høyst {MAX_NOTICE_BYTES // 1000} kB).")
    url = file.get("url_private_download") or file.get("url_private")
    if not url:
        info = client.files_info(file=file["id"])
        url = info["file"].get("url_private_download") or info["file"].get("url_private")
    if not url or not _allowed_host(url, api_url):
        raise NoticeError(f"{name}: fant ikke filen hos Slack.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {client.token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        data: bytes = response.read(MAX_NOTICE_BYTES + 1)
    if len(data) > MAX_NOTICE_BYTES:
        raise NoticeError(f"{name}: filen er for stor (høyst {MAX_NOTICE_BYTES // 1000} kB).")
    return data


def import_shared_files(services: Services, client: WebClient, user_id: str, files: list[dict[str, Any]]) -> Message:
    """Read every file before storing any: all or nothing, as on the command line."""
    require_manager(services, user_id, "Bare sekretariatet, lederen og administratorene kan importere innkallinger.")
    parsed: list[ParsedNotice] = []
    for file in files:
        try:
            data = _download(client, file, client.base_url)
        except (OSError, SlackApiError) as error:  # the download, or Slack refusing to say where the file is
            log.warning("Kunne ikke hente fil %s: %s", file.get("id"), error)
            raise UserError(
                f"{file.get('name') or 'Filen'}: kunne ikke hentes fra Slack. Prøv å sende den igjen."
            ) from None
        parsed.append(parse_bytes(data, file.get("name") or "filen"))
    meetings = innkalling.import_notices(services, user_id, parsed)
    return views.import_report(meetings, [w for notice in parsed for w in notice.warnings])


def register(app: App, ctx: Context) -> None:
    services = ctx.services

    @app.event("message")
    def direct_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        subtype = event.get("subtype")
        if subtype not in (None, "file_share"):
            return  # edits, deletions and the like
        user_id, channel = event.get("user", ""), event["channel"]
        files = event.get("files") or []
        if not files:
            ctx.background.submit(lambda: client.chat_postMessage(channel=channel, **views.notice(DM_HELP).as_kwargs()))
            return

        def import_and_answer() -> None:
            try:
                message = import_shared_files(services, client, user_id, files)
            except NoticeError as error:
                message = views.problem(f"{error} Ingenting ble importert.")
            except UserError as error:
                message = views.problem(str(error))
            else:
                for meeting in services.store.meetings():
                    ctx.vote_messages.refresh_meeting_later(meeting.number)
            client.chat_postMessage(channel=channel, **message.as_kwargs())

        # Downloading can take longer than Slack waits for the ack.
        ctx.background.submit(import_and_answer)
