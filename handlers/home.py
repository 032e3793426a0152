"""The App Home tab: published when a member opens it, and refreshed, paced and coalesced, when things change.

views.publish is Tier 4 (about 100 a minute per workspace): 200 viewers and a click storm must not mean
a pass of 200 publishes per click. So only members who opened Home recently are refreshed, one pass at a
time, at most one pass per EVERY seconds, with PACE seconds between two publishes; a pass skips anyone whose
Home already shows the latest change (their own open publishes at once, in the prompt lane).

Where there are many workspaces, a viewer is a workspace's member (the same user ID in another workspace is
another person), each workspace's changes are its own, and each publish is made as its workspace.
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
from handlers.workspaces import serving_now

Viewer = tuple[str, str]  # (workspace, user)

RECENT = timedelta(hours=8)  # a viewer who opened Home longer ago gets it fresh when they open it again
SETTLE = 2.0  # seconds: a pass waits for a burst of changes to end
EVERY = 30.0  # seconds: at most one pass per interval while things keep changing
PACE = 0.75  # seconds between two refreshes: 80 a minute, leaving room for members' own opens


class HomeTabs:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._settle, self._every, self._pace = SETTLE, EVERY, PACE  # read when built, so tests may shorten them
        self._lock = threading.Lock()
        self._opened: dict[Viewer, datetime] = {}  # viewer -> when they last opened Home (the injected clock)
        self._shown: dict[Viewer, int] = {}  # viewer -> the change their Home last showed
        self._changes: dict[str, int] = {}  # workspace -> its latest change
        self._changed = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._refresh_forever, name="motebot-home", daemon=True)
        self._thread.start()

    def opened(self, user_id: str) -> None:
        """A member opened Home: publish it at once, and keep it fresh for a while."""
        viewer = (self._ctx.workspaces.current().team, user_id)
        with self._lock:
            self._opened[viewer] = self._ctx.installation.clock.now()
        self._ctx.background.prompt(lambda: self._publish(viewer, self._ctx.background.prompt_client))

    def changed(self) -> None:
        """Something changed in the workspace being served (returns at once): the next pass refreshes its Home
        tabs that show less. Outside any workspace (nothing should change there), every workspace's."""
        team = serving_now() if self._ctx.workspaces.many else self._ctx.workspaces.current().team
        with self._lock:
            for changed in [team] if team is not None else {viewer[0] for viewer in self._opened}:
                self._changes[changed] = self._changes.get(changed, 0) + 1
        self._changed.set()

    def _publish(self, viewer: Viewer, client: WebClient) -> None:
        user_id = viewer[1]
        with self._lock:
            change = self._changes.get(viewer[0], 0)  # read before rendering: a change during it is not shown
        facts = home(self._ctx.installation, user_id)
        with read_by(self._ctx, user_id, facts.language):  # the Home is the member's own …
            published = view.home(facts, own_language(self._ctx, user_id))  # … each body's part in its målform
        client.views_publish(user_id=user_id, view=published)
        with self._lock:
            self._shown[viewer] = max(change, self._shown.get(viewer, 0))

    def _refresh(self, viewer: Viewer) -> None:
        """A pass's publish, as the viewer's workspace."""
        with self._ctx.workspaces.serving(viewer[0]):
            self._publish(viewer, self._ctx.background.bulk_client)

    def _behind(self) -> list[Viewer]:
        """The recent viewers whose Home shows less than their workspace's latest change; the others are forgotten."""
        since = self._ctx.installation.clock.now() - RECENT
        with self._lock:
            self._opened = {viewer: at for viewer, at in self._opened.items() if at >= since}
            self._shown = {viewer: change for viewer, change in self._shown.items() if viewer in self._opened}
            return [v for v in self._opened if self._shown.get(v, 0) < self._changes.get(v[0], 0)]

    def _refresh_forever(self) -> None:
        while self._changed.wait() and not self._stop.wait(self._settle):
            self._changed.clear()
            started = time.monotonic()
            behind = self._behind()
            for viewer in behind:
                # In the bulk lane, so wait_idle covers it; one at a time, so the pace is the real rate.
                self._ctx.background.submit(partial(self._refresh, viewer)).result()
                if self._stop.wait(self._pace):
                    return
            if behind and self._stop.wait(max(0.0, self._every - (time.monotonic() - started))):
                return

    def stop(self) -> None:
        self._stop.set()
        self._changed.set()
        self._thread.join(timeout=5)


def register(app: App, ctx: Context) -> None:
    tabs = HomeTabs(ctx)
    ctx.installation.wakeup.listen(tabs.changed)
    ctx.stoppers.append(tabs.stop)

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            tabs.opened(event["user"])
