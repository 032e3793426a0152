"""The App Home tab: published when a member opens it, and again (debounced) when things change."""

from __future__ import annotations

import threading
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import views
from handlers.context import Context

REFRESH_AFTER = 2.0  # seconds: forty clicks in a second become one refresh per viewer


class HomeTabs:
    def __init__(self, ctx: Context, client: WebClient) -> None:
        self._ctx = ctx
        self._client = client
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def publish(self, user_id: str) -> None:
        services = self._ctx.services
        store = services.store
        can_edit = store.roster(services.settings.motebot_admins).can_manage(user_id)
        view = views.home(
            store.meetings(), store.deadlines(), store.votes(open_only=True), services.clock.now(), can_edit=can_edit
        )
        self._client.views_publish(user_id=user_id, view=view)

    def changed(self) -> None:
        """Something changed: refresh every Home tab once things have been quiet for a moment."""
        with self._lock:
            if self._timer is not None:
                return
            self._timer = threading.Timer(REFRESH_AFTER, self._refresh_all)
            self._timer.daemon = True
            self._timer.start()

    def _refresh_all(self) -> None:
        with self._lock:
            self._timer = None
        for user_id in self._ctx.services.store.home_viewers():
            self._ctx.background.submit(lambda user_id=user_id: self.publish(user_id))

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


def register(app: App, ctx: Context) -> None:
    tabs = HomeTabs(ctx, app.client)
    ctx.services.wakeup.listen(tabs.changed)
    ctx.stoppers.append(tabs.stop)

    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        user_id = event["user"]
        ctx.services.store.add_home_viewer(user_id)
        ctx.background.submit(lambda: tabs.publish(user_id))
