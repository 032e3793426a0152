"""Keeping each vote's message in the channel true to what is stored.

Forty members clicking in one second must not mean forty chat.update calls racing each other:
a refresh that finds one already running only marks the vote dirty, and the running one renders
the stored state again before it stops. The last update always shows the latest state. An update
Slack refuses for now (429, 5xx, no connection) keeps the vote dirty: it is tried again after
Slack's Retry-After (or a growing pause) until one gets through.

The vote's message is posted exactly once (handlers.scheduled.post_once, keyed by the vote), by
whichever comes first: the command's own post after the ack, or the ticker, which plans a post for
every open vote without a message (after a failed post, or a crash between the ack and the post).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.domain import Serial, Vote, VoteState
from bot.core.i18n import language
from bot.core.planner import vote_post_key, vote_result_key
from bot.slack.blocks import Message
from bot.slack.views import avstemning as view
from bot.usecases import avstemning
from bot.usecases.services import Installation, Services
from handlers.context import Background
from handlers.scheduled import post_once, retry_after, transient

log = logging.getLogger(__name__)

MAX_PAUSE = 60.0  # seconds between tries of one update, at most


class VoteMessages:
    def __init__(self, installation: Installation, client: WebClient, background: Background) -> None:
        self._installation = installation
        self._client = client
        self._background = background
        self._lock = threading.Lock()
        self._post_lock = threading.Lock()  # the command's post and the ticker's must not both post
        self._running: set[int] = set()
        self._dirty: set[int] = set()
        self._others: dict[int, set[tuple[str, str]]] = {}  # messages of a vote clicked on, besides its own
        self._readers: dict[tuple[str, str], str] = {}  # a reminder in a DM: whose (its målform is theirs)
        # the målform a person reads their own messages in (handlers.context.own_language; set by handlers)
        self.own_language: Callable[[str], str | None] = lambda _user: None
        self._stopping = threading.Event()

    def stop(self) -> None:
        """The bot is stopping: no more waiting for Slack to accept an update."""
        self._stopping.set()

    def post(self, vote_id: int) -> bool:
        """Post the vote's message unless it has one; False if Slack refused for good (the vote is cancelled).

        A transient failure raises (the ticker tries again, looking first for a post that did arrive).
        """
        services = self._services(vote_id)
        with self._post_lock:
            vote = avstemning.stored(services, vote_id) if services is not None else None
            if services is None or vote is None or not vote.is_open or vote.message_ts or not vote.channel:
                return True
            try:
                post_once(
                    services, self._client, vote_post_key(vote_id), vote.channel, self.render(vote),
                    done=lambda channel, ts: avstemning.posted(services, vote_id, channel, ts),
                    thread_ts=vote.thread_ts,
                )  # fmt: skip
            except SlackApiError as error:
                if transient(error):
                    raise
                avstemning.cancel(services, vote_id, str(error.response.get("error")))
                return False
        return True

    def post_result(self, vote_id: int) -> None:
        """The closed vote's result, once, as a new message under the vote (in the case's thread, or in a
        thread of its own): an edit of the vote's message notifies no one. A failure raises; the ticker
        tries again."""
        services = self._services(vote_id)
        vote = avstemning.stored(services, vote_id) if services is not None else None
        if services is None or vote is None or vote.state is not VoteState.CLOSED:
            return
        if not vote.channel or not vote.message_ts or not vote.posts_result:
            return
        with self._post_lock:
            if services.store.posts.was_sent(vote_result_key(vote_id)):
                return
            with services.in_body_language():
                message = view.vote_result(avstemning.shown(services, vote))
            post_once(services, self._client, vote_result_key(vote_id), vote.channel, message,
                      thread_ts=vote.thread_ts or vote.message_ts)  # fmt: skip

    def result_later(self, vote_id: int) -> None:
        """After a close: the result in the thread, in the background; Slack away, the ticker posts it."""

        def post() -> None:
            try:
                self.post_result(vote_id)
            except Exception as error:
                if not transient(error):
                    raise
                log.warning("Resultatet av avstemning %s ble ikke postet nå (%s); prøver igjen senere", vote_id, error)

        self._background.submit(post)

    def refresh_later(self, vote_id: int, seen: tuple[str, str] | None = None, by: str | None = None) -> None:
        """Update the vote's message; `seen` is a message of the vote a click came from (channel, ts), `by`
        whose click it was (a reminder in their DM is theirs)."""
        with self._lock:
            if seen is not None and all(seen):
                self._others.setdefault(vote_id, set()).add(seen)
                if by and seen[0].startswith("D"):
                    self._readers[seen] = by
            if vote_id in self._running:
                self._dirty.add(vote_id)
                return
            self._running.add(vote_id)
        self._background.submit(lambda: self._refresh_until_clean(vote_id))

    def _services(self, vote_id: int) -> Services | None:
        """The vote's body's (a vote's number is unique across bodies)."""
        return self._installation.of_vote(vote_id)

    def refresh_meeting_later(self, services: Services, meeting_number: Serial, *, every: bool = False) -> None:
        """After an agenda change its open votes may now be stale, and must say so; after a move or a
        cancellation (`every`), the closed and cancelled ones must show it too."""
        for vote in avstemning.shown_for_meeting(services, meeting_number, every=every):
            self.refresh_later(vote.id)

    def _refresh_until_clean(self, vote_id: int) -> None:
        pause = 1.0
        try:
            while True:
                try:
                    self._update(vote_id)
                except Exception as error:
                    if not transient(error):
                        raise
                    wait = retry_after(error) or pause
                    pause = min(pause * 2, MAX_PAUSE)
                    log.warning("Avstemning %s: Slack tok ikke imot oppdateringen (%s); prøver igjen", vote_id, error)
                    if self._stopping.wait(wait):
                        raise
                    continue  # still dirty: render what is stored now and try again
                with self._lock:
                    if vote_id not in self._dirty:
                        self._running.discard(vote_id)
                        return
                    self._dirty.discard(vote_id)
        except BaseException:
            with self._lock:
                self._running.discard(vote_id)
                self._dirty.discard(vote_id)
            raise

    def render(self, vote: Vote) -> Message:
        """The vote's message in the channel, in the body's målform whoever clicked."""
        services = self._services(vote.id)
        assert services is not None
        with services.in_body_language():
            return view.vote_message(avstemning.shown(services, vote))

    def _for_member(self, services: Services, vote: Vote, reader: str) -> Message:
        """A reminder in a member's DM, once they clicked in it: the vote as it stands, with a member's
        buttons, in their målform."""
        with language(self.own_language(reader) or services.body.language):
            return view.vote_message(avstemning.shown(services, vote), for_member=True)

    def reminder(self, vote: Vote) -> Message:
        """A DM: rendered in the målform its caller chose (handlers.context.read_by)."""
        services = self._services(vote.id)
        assert services is not None
        return view.vote_reminder(avstemning.shown(services, vote))

    def _update(self, vote_id: int) -> None:
        """Read, render and update under the vote's lock across processes: a process that read an older
        state cannot update after one that read a newer (the last update shows the latest state)."""
        services = self._services(vote_id)
        if services is None:
            return
        with services.store.exclusive("vote-message", vote_id):
            self._update_now(services, vote_id)

    def _update_now(self, services: Services, vote_id: int) -> None:
        vote = avstemning.stored(services, vote_id)
        if vote is None:
            return
        with self._lock:
            others = sorted(self._others.get(vote_id, ()))
        if not vote.message_ts and (found := next((o for o in others if o[0] == vote.channel), None)):
            vote = avstemning.adopt(services, vote.id, *found) or vote
        message = self.render(vote).as_kwargs()
        if vote.channel and vote.message_ts:
            self._client.chat_update(channel=vote.channel, ts=vote.message_ts, **message)
        for channel, ts in others:
            if (channel, ts) == (vote.channel, vote.message_ts):
                continue
            try:
                reader = self._readers.get((channel, ts))
                shown = self._for_member(services, vote, reader).as_kwargs() if reader else message
                self._client.chat_update(channel=channel, ts=ts, **shown)
            except SlackApiError as error:
                if transient(error):
                    raise
                log.info("Avstemning %s: meldingen %s kan ikke oppdateres (%s)", vote_id, ts, error.response["error"])
                with self._lock:
                    self._others.get(vote_id, set()).discard((channel, ts))
                    self._readers.pop((channel, ts), None)
