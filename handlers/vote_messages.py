"""Keeping each vote's message in the channel true to what is stored.

Forty members clicking in one second must not mean forty chat.update calls racing each other:
a refresh that finds one already running only marks the vote dirty, and the running one renders
the stored state again before it stops. The last update always shows the latest state.
"""

from __future__ import annotations

import threading

from slack_sdk import WebClient

from bot import views, voting
from bot.domain import Vote
from bot.services import Services
from handlers.context import Background


class VoteMessages:
    def __init__(self, services: Services, client: WebClient, background: Background) -> None:
        self._services = services
        self._client = client
        self._background = background
        self._lock = threading.Lock()
        self._running: set[int] = set()
        self._dirty: set[int] = set()

    def refresh_later(self, vote_id: int) -> None:
        with self._lock:
            if vote_id in self._running:
                self._dirty.add(vote_id)
                return
            self._running.add(vote_id)
        self._background.submit(lambda: self._refresh_until_clean(vote_id))

    def refresh_meeting_later(self, meeting_number: object) -> None:
        """After an agenda change: its open votes may now be stale, and must say so."""
        for vote in self._services.store.votes(open_only=True):
            if vote.meeting == meeting_number:
                self.refresh_later(vote.id)

    def _refresh_until_clean(self, vote_id: int) -> None:
        try:
            while True:
                self._update(vote_id)
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

    def render(self, vote: Vote) -> views.Message:
        meeting = self._services.store.meeting(vote.meeting)
        case = meeting.case(vote.case) if meeting else None
        stale = voting.stale_reason(vote, meeting) if vote.is_open else None
        return views.vote_message(vote, case.title if case else "", stale)

    def _update(self, vote_id: int) -> None:
        vote = self._services.store.vote(vote_id)
        if vote is None or not vote.channel or not vote.message_ts:
            return
        self._client.chat_update(channel=vote.channel, ts=vote.message_ts, **self.render(vote).as_kwargs())
