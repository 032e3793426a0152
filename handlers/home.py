"""The App Home tab: published when a member opens it, and refreshed, paced and coalesced, when things change.

views.publish is Tier 4 (about 100 a minute per workspace): 200 viewers and a click storm must not mean
a pass of 200 publishes per click. So only members who opened Home recently are refreshed, one pass at a
time, at most one pass per EVERY seconds, with PACE seconds between two publishes; a pass skips anyone whose
Home already shows the latest change (their own open publishes at once, in the prompt lane).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.views import home as view
from bot.usecases.home import home
from handlers.context import Context, own_language, read_by

RECENT = timedelta(hours=8)  # a viewer who opened Home longer ago gets it fresh when they open it again
SETTLE = 2.0  # seconds: a pass waits for a burst of changes to end
EVERY = 30.0  # seconds: at most one pass per interval while things keep changing
PACE = 0.75  # seconds between two refreshes: 80 a minute, leaving room for members' own opens


class HomeTabs:
    def __init__(self, ctx: Context, client: WebClient) -> None:
        self._ctx = ctx
        self._client = client
        self._settle, self._every, self._pace = SETTLE, EVERY, PACE  # read when built, so tests may shorten them
        self._lock = threading.Lock()
        self._opened: dict[str, datetime] = {}  # viewer -> when they last opened Home (the injected clock)
        self._shown: dict[str, int] = {}  # viewer -> the change their Home last showed
        self._change = 0
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._refresh_forever, name="motebot-home", daemon=True)
        self._thread.start()

    def opened(self, user_id: str) -> None:
        """A member opened Home: publish it at once, and keep it fresh for a while."""
        with self._lock:
            self._opened[user_id] = self._ctx.installation.clock.now()
        self._ctx.background.prompt(lambda: self._publish(user_id, self._ctx.background.prompt_client))

    def changed(self) -> None:
        """Something changed (returns at once): the next pass refreshes the Home tabs that show less."""
        with self._lock:
            self._change += 1
        self._changed.set()

    def _publish(self, user_id: str, client: WebClient) -> None:
        with self._lock:
            change = self._change  # read before rendering: a change during it is not shown
        facts = home(self._ctx.installation, user_id)
        with read_by(self._ctx, user_id, facts.language):  # the Home is the member's own …
            published = view.home(facts, own_language(self._ctx, user_id))  # … each body's part in its målform
        client.views_publish(user_id=user_id, view=published)
        with self._lock:
            self._shown[user_id] = max(change, self._shown.get(user_id, 0))

    def _behind(self) -> list[str]:
        """The recent viewers whose Home shows less than the latest change; the others are forgotten."""
        since = self._ctx.installation.clock.now() - RECENT
        with self._lock:
            self._opened = {user: at for user, at in self._opened.items() if at >= since}
            self._shown = {user: change for user, change in self._shown.items() if user in self._opened}
            return [user for user in self._opened if self._shown.get(user, 0) < self._change]

    def _refresh_forever(self) -> None:
        while self._changed.wait() and not self._stop.wait(self._settle):
            self._changed.clear()
            started = time.monotonic()
            behind = self._behind()
            for user_id in behind:
                # In the bulk lane, so wait_idle covers it; one at a time, so the pace is the real rate.
                self._ctx.background.submit(partial(self._publish, user_id, self._client)).result()
                if self._stop.wait(self._pace):
                    return
            if behind and self._stop.wait(max(0.0, self._every - (time.monotonic() - started))):
                return

    def stop(self) -> None:
        self._stop.set()
        self._changed.set()
        self._thread.join(timeout=5)


def register(app: App, ctx: Context) -> None:
    tabs = HomeTabs(ctx, app.client)
    ctx.installation.wakeup.listen(tabs.changed)
    ctx.stoppers.append(tabs.stop)

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            tabs.opened(event["user"])
