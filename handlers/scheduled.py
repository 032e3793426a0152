"""What the bot posts on its own when the planner says it is due: vote reminders and closings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.planner import Due
from bot.slack import views
from bot.slack.blocks import Message
from bot.usecases import avstemning, schedule
from bot.usecases.services import Services
from handlers.context import Context, read_by
from storage.protocol import Claimed

log = logging.getLogger(__name__)
Runner = Callable[[Due], None]
POST_EVENT = "motebot_post"


def _already_posted(client: WebClient, channel: str, key: str, since: datetime, thread_ts: str | None) -> str | None:
    """Did a post begun before a crash (or a dropped connection) reach Slack? Each post carries its key in
    message metadata; returns the message's ts if it did. A reply is looked for in its thread: the
    channel's history holds only the top level."""
    cursor = None
    for _ in range(10):  # up to 2,000 messages since then; a busy channel, a few minutes
        oldest = f"{since.timestamp() - 60:.6f}"
        if thread_ts:
            history = client.conversations_replies(
                channel=channel, ts=thread_ts, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
            )
        else:
            history = client.conversations_history(
                channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
            )
        posts: list[dict[str, Any]] = history.get("messages", [])
        for post in posts:
            if (post.get("metadata") or {}).get("event_payload", {}).get("key") == key:
                return str(post.get("ts"))
        cursor = (history.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None
    return None


class PostingElsewhere(Exception):
    """Another process is posting this now; the ticker tries again later, and finds it done."""


def transient(error: Exception) -> bool:
    """Slack may do it if asked again later: rate limits, its own errors, a lost connection (and a post
    another process is making now: the ticker finds it done)."""
    if isinstance(error, PostingElsewhere):
        return True
    if isinstance(error, SlackApiError):
        return bool(error.response.status_code >= 429)
    return isinstance(error, (OSError, HTTPException))


def retry_after(error: Exception) -> float | None:
    """How long Slack asked us to wait (its Retry-After), if it said."""
    if not isinstance(error, SlackApiError):
        return None
    headers = {str(k).lower(): v for k, v in (error.response.headers or {}).items()}
    value = headers.get("retry-after")
    value = value[0] if isinstance(value, list) else value
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _look(client: WebClient, channel: str, key: str, since: datetime, thread_ts: str | None = None) -> str | None:
    """The ts of the post with this key, if Slack has it. Slack unable to answer for now raises (posting
    then could post twice); Slack refusing to let us look (scope, channel) rather posts than skips."""
    try:
        return _already_posted(client, channel, key, since, thread_ts)
    except SlackApiError as error:
        if transient(error):
            raise
        log.warning("Kunne ikke sjekke om %s ble postet (%s); poster", key, error.response.get("error"))
        return None


def post_once(
    services: Services, client: WebClient, key: str, channel: str, message: Message,
    done: Callable[[str, str], None] | None = None, thread_ts: str | None = None,
) -> str | None:  # fmt: skip
    """Post to a channel exactly once, across crashes, dropped connections and processes: claimed before
    (storage.posts.Posts.claim), sent after (with `done(channel, ts)` in the same commit). The post's ts,
    or None if it was posted already (by another process: it ran `done`).

    A claim found stale (its process crashed, or an earlier try here failed) is looked up in the channel
    before it is sent again. slack_sdk does not retry a post whose connection dropped (bot.app.NoBlindRepost):
    Slack may have posted it; this looks, then posts once more. A second failure raises, and the ticker
    tries again later, looking first. A claim another live process holds raises PostingElsewhere.
    """
    store = services.store
    claim = store.posts.claim(key, services.clock.now())
    if claim.state is Claimed.DONE:
        return None
    if claim.state is Claimed.TAKEN:
        raise PostingElsewhere(key)
    try:
        ts = _look(client, channel, key, claim.since, thread_ts) if claim.since is not None else None
        if ts is None:
            since = services.clock.now()
            metadata = {"event_type": POST_EVENT, "event_payload": {"key": key}}
            try:
                ts = client.chat_postMessage(
                    channel=channel, thread_ts=thread_ts, metadata=metadata, **message.as_kwargs()
                )["ts"]
            except (OSError, HTTPException) as error:  # the answer is lost; the post may not be
                log.warning("Forbindelsen til Slack brøt under posting av %s (%s); ser etter den", key, error)
                ts = _look(client, channel, key, since, thread_ts)
                if ts is None:
                    ts = client.chat_postMessage(
                        channel=channel, thread_ts=thread_ts, metadata=metadata, **message.as_kwargs()
                    )["ts"]
        with store.transaction():
            if done is not None:
                done(channel, str(ts))
            store.posts.mark_sent(key, services.clock.now())
    except BaseException:
        store.posts.release(key)  # the next try, here or in another process, looks first
        raise
    return str(ts)


def direct_once(services: Services, client: WebClient, key: str, user: str, message: Message) -> None:
    """A DM, sent once across crashes and dropped connections (post_once, in the member's DM channel)."""
    if services.store.posts.was_sent(key):
        return
    channel = client.conversations_open(users=user)["channel"]["id"]
    post_once(services, client, key, channel, message)


def _message(post: schedule.ChannelPost) -> Message:
    if isinstance(post, schedule.MeetingNotice):
        return views.meeting_notice(
            post.meeting,
            post.deadlines,
            post.now,
            late_from=post.late_from,
            can_vote_open=post.can_open_vote,
            organ=post.body,
            elected=post.elected,
        )
    if isinstance(post, schedule.MeetingCancelled):
        return views.meeting_cancelled(post.meeting)
    return views.meeting_moved(post.meeting)


def runner(ctx: Context) -> Runner:
    """What does a due post, in the workspace being served (the ticker sets it), with its client."""

    def run(due: Due) -> None:
        services = ctx.installation.body(due.body)
        if services is None:  # the body is gone: nothing of it is planned any more
            return
        with services.in_body_language():  # what it posts is in the body's målform; a DM, in its reader's
            _run(services, due, ctx.background.bulk_client)

    def _run(services: Services, due: Due, client: WebClient) -> None:
        store = services.store
        if due.kind == "vote-post":
            ctx.vote_messages.post(int(due.subject))
        elif due.kind == "vote-close":
            avstemning.close(services, "motebot", int(due.subject), automatic=True)
            store.posts.mark_sent(due.key, services.clock.now())
            ctx.vote_messages.refresh_later(int(due.subject))
            ctx.vote_messages.result_later(int(due.subject))
        elif due.kind == "vote-result":
            ctx.vote_messages.post_result(int(due.subject))
        elif due.kind == "vote-reminder":
            vote = avstemning.stored(services, int(due.subject))
            if vote is not None and vote.is_open:
                for user in vote.not_voted():
                    # One claim per person: a crash halfway repeats at most one reminder, and a leader
                    # stepping down halfway leaves the rest to the next one, none twice.
                    personal = f"{due.key}:{user}"
                    if store.posts.claim(personal, services.clock.now()).state not in (Claimed.FREE, Claimed.STALE):
                        continue
                    with read_by(ctx, user, services.body.language):  # a DM: in the member's own målform
                        reminder = ctx.vote_messages.reminder(vote).as_kwargs()
                    try:
                        client.chat_postMessage(channel=user, **reminder)
                    except SlackApiError as error:  # a deactivated account must not stop the others
                        log.warning("Påminnelse til %s kom ikke fram: %s", user, error.response.get("error"))
                    except BaseException:
                        store.posts.release(personal)
                        raise
                    store.posts.mark_sent(personal, services.clock.now())
            store.posts.mark_sent(due.key, services.clock.now())
        elif (job := ctx.due_jobs.get(due.kind)) is not None:
            job(services, due)
        elif (post := schedule.channel_post(services, due)) is not None:
            assert services.rules.channel is not None  # channel_post says None without one
            post_once(services, client, due.key, services.rules.channel, _message(post))

    return run
