"""Two guards Bolt does not give: a signed request is accepted once, and an event is applied once.

A request captured on the wire passes signature checks for Slack's five minutes; replayed, it
would add a case or cast a vote a second time. Slack itself redelivers an event it thinks was
not received (X-Slack-Retry-Num, the same event_id); applying it again would answer twice.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

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

    def __init__(self) -> None:
        self._signatures = SeenRecently(2 * REPLAY_WINDOW)
        self._events = SeenRecently(2 * 60 * 60)

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
        if req.mode == "http" and signature and not self._signatures.first_time(signature):
            return BoltResponse(status=401, body="replayed request")
        return next()
