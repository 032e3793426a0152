"""/protokoll: the draft is stored and acknowledged; then its message goes to the channel once per wording (keyed
by its fingerprint), with the full minutes as files in its thread."""

from __future__ import annotations

import logging
import threading
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


_NAMES: dict[str, str] = {}  # Slack's real names, by user ID, for the process's life ("" where Slack had none)
_NAMES_LOCK = threading.Lock()


def real_names(client: WebClient, users: frozenset[str]) -> dict[str, str]:
    """The names the minutes print: Slack's real name (or display name); a person Slack does not know, or
    cannot be asked about now, keeps their ID."""
    for user in sorted(users - _NAMES.keys()):
        try:
            profile = client.users_info(user=user)["user"]
        except SlackApiError:
            with _NAMES_LOCK:
                _NAMES[user] = ""
            continue
        except (OSError, HTTPException):
            continue  # asked again next time
        found = (profile.get("profile") or {}).get("real_name") or profile.get("real_name") or ""
        with _NAMES_LOCK:
            _NAMES[user] = str(found)
    return {user: _NAMES[user] for user in users if _NAMES.get(user)}


def publish(ctx: Context, client: WebClient, drafted: protokoll.Drafted) -> bool:
    """The draft's message and files in the channel, once for each wording of it; False if Slack refused."""
    services = ctx.installation.body(drafted.body_id)
    channel = drafted.channel
    if services is None or channel is None:
        return False
    number = drafted.minutes.meeting
    drafted = protokoll.current(services, number, real_names(client, protokoll.people(services, number)))
    minutes = drafted.minutes
    key = f"organ:{drafted.body_id}:meeting:{minutes.meeting}:minutes:{fingerprint(drafted.document)[:16]}"
    if services.store.posts.was_sent(key):
        return True
    try:
        ts = post_once(services, client, key, channel, view.draft_post(drafted))
        client.files_upload_v2(channel=channel, thread_ts=ts, file_uploads=view.files(drafted, minutes_pdf(drafted)))
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
