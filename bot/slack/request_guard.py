"""Two guards Bolt does not give: a signed request is accepted once, and an event is applied once.

A request captured on the wire passes signature checks for Slack's five minutes; replayed, it
would add a case or cast a vote a second time. Slack itself redelivers an event it thinks was
not received (X-Slack-Retry-Num, the same event_id); applying it again would answer twice.

Across a restart: a request signed before this process started is refused. Whatever the last
process accepted was signed before it stopped, so before this one started, and what Slack sends is
signed as it is sent, so a fresh process refuses nothing real. Slack's timestamps are whole seconds,
and a restart can fit in one: what was accepted in that second is carried over in a small file
(storage/recent_requests.py), written without fsync; no request waits for a disk.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from storage.protocol import RecentRequestsP

REPLAY_WINDOW = 5 * 60  # seconds: what Slack's signature check accepts


class SeenRecently:
    """Keys seen within a time window, in memory. Slack's redeliveries come within the hour, and a
    replay must come within the five minutes a signature is valid, so memory is enough.

    Oldest first, so forgetting the expired costs nothing per request."""

    def __init__(self, window: float, now: Callable[[], float] = time.time) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._window = window
        self._now = now

    def first_time(self, key: str) -> bool:
        now = self._now()
        with self._lock:
            while self._seen and now - next(iter(self._seen.values())) > self._window:
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class RequestGuard(Middleware):
    """A Middleware subclass rather than a function: Bolt then skips its per-request argument injection."""

    def __init__(self, recent: RecentRequestsP | None = None, now: Callable[[], float] = time.time) -> None:
        self._now = now
        self._started = int(now())  # whole seconds, as Slack signs: the second we started in is accepted
        self._signatures = SeenRecently(2 * REPLAY_WINDOW, now)
        self._events = SeenRecently(2 * 60 * 60, now)
        self._recent = recent
        for signed_at, signature in recent.previous if recent else ():
            if signed_at >= self._started:
                self._signatures.first_time(signature)

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],
    ) -> BoltResponse | None:
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if req.body.get("type") == "event_callback" and event_id and not self._events.first_time(str(event_id)):
            return BoltResponse(status=200, body="")  # already applied; Slack only needs the 200
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        if req.mode == "http" and signature:
            signed_at = int((req.headers.get("x-slack-request-timestamp") or ["0"])[0])  # checked by Bolt
            if signed_at < self._started or not self._signatures.first_time(signature):
                return BoltResponse(status=401, body="replayed request")
            if self._recent:
                self._recent.add(signed_at, signature, self._now())
        return next()
