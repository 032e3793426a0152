"""HTTP mode: the Bolt app behind waitress, one process, a pool of worker threads; and each body's
meeting plan as a calendar feed, at a URL only its token makes known.

One process because TinyDB and the scheduler live in it; threads because Bolt's own development
server answers one request at a time.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App, BoltRequest
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

from bot.slack.input import dispatch_http
from bot.usecases.moteplan import Feed

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
MAX_BODY = 1024 * 1024  # bytes
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
FeedSource = Callable[[str], Feed | None]  # a token to its body's plan, None for a token no body has
FEED_PATH = re.compile(r"/ical/(?P<token>[A-Za-z0-9_-]{16,128})\.ics")  # secrets.token_urlsafe's alphabet
_NOT_FOUND = WsgiHttpResponse(404, {"content-type": ["text/plain;charset=utf-8"]}, "Not Found")


def wsgi_app(app: App, feed: FeedSource | None = None) -> WsgiApp:
    """`/slack/events`, `/healthz` and `/ical/<token>.ics`; with many workspaces (Bolt's OAuth flow) also
    `/slack/install` and `/slack/oauth_redirect`, which Bolt's flow answers. Bolt's own WSGI handler is not
    used: it hands the body to Bolt's parser before the signature is checked (see bot/slack_input.py)."""

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO") or "", environ.get("REQUEST_METHOD")
        if path == "/healthz" and method in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        if feed is not None and method in ("GET", "HEAD") and (match := FEED_PATH.fullmatch(path)):
            return _calendar(feed, match["token"], environ, start_response)
        flow = app.oauth_flow
        if flow is not None and method == "GET" and path in (flow.install_path, flow.redirect_uri_path):
            request = WsgiHttpRequest(environ)
            bolt = BoltRequest(body="", query=request.query_string, headers=request.get_headers())
            handle = flow.handle_installation if path == flow.install_path else flow.handle_callback
            answer = handle(bolt)
            response = WsgiHttpResponse(answer.status, answer.headers, answer.body)
        elif path == SLACK_PATH and method == "POST":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            answer = dispatch_http(app, raw, WsgiHttpRequest(environ).get_headers())  # type: ignore[arg-type]
            response = WsgiHttpResponse(answer.status, answer.headers, answer.body)
        else:
            response = _NOT_FOUND
        start_response(response.status, response.get_headers())
        return response.get_body()

    return route


def _calendar(
    feed: FeedSource, token: str, environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    """200 with the plan, 304 when the calendar has it already, 404 with no detail for a token no body
    has (never known, or renewed). The token never reaches the log in full: waitress would log the
    path of a request that raised, so nothing raises out of here."""
    try:
        found = feed(token)
    except Exception:
        log.exception("Kunne ikke lage kalenderen for lenken %s…", token[:4])
        start_response("500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Internal Server Error\n"]
    if found is None:
        start_response(_NOT_FOUND.status, _NOT_FOUND.get_headers())
        return _NOT_FOUND.get_body()
    etag = f'W/"{found.tag}"'
    # Kept by the calendar, asked again each time (an answer of 304 when nothing changed); never by a
    # shared cache, as the URL is the secret.
    headers = [("ETag", etag), ("Cache-Control", "private, no-cache")]
    if _matches(environ.get("HTTP_IF_NONE_MATCH"), found.tag):
        start_response("304 Not Modified", headers)
        return []
    headers += [("Content-Type", "text/calendar; charset=utf-8"), ("Content-Length", str(len(found.content)))]
    start_response("200 OK", headers)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [found.content]


def _matches(if_none_match: str | None, tag: str) -> bool:
    """If-None-Match compares weakly: W/"x" and "x" are the same tag."""
    wanted = [part.strip().removeprefix("W/") for part in (if_none_match or "").split(",")]
    return "*" in wanted or f'"{tag}"' in wanted


class Server:
    """A waitress server that another thread (a test, a signal handler) can stop safely."""

    def __init__(self, app: App, host: str, port: int, threads: int = 8, *, feed: FeedSource | None = None) -> None:
        self._server: Any = create_server(
            wsgi_app(app, feed), host=host, port=port, threads=threads, ident="motebot",
            # Slack's bodies are kilobytes (a modal's state at most); waitress would otherwise read up to
            # 1 GB of an unauthenticated body before the signature could be checked.
            max_request_body_size=MAX_BODY,
        )  # fmt: skip
        self.port: int = self._server.effective_port
        self._stop_lock = threading.Lock()
        self._stopping = False

    def run(self) -> None:
        """Serve until stopped; then wait for the worker threads to finish what they were doing."""
        self._server.run()
        self._server.task_dispatcher.shutdown()

    def stop(self, grace: float = 10.0) -> None:
        """Stop accepting, let in-flight requests finish and their answers leave, then close.

        Safe from any thread or a signal handler: the sockets are closed from inside waitress's own
        loop, since closing them from elsewhere races with it.
        """
        with self._stop_lock:
            if self._stopping:
                return
            self._stopping = True
        server = self._server
        server.trigger.pull_trigger(lambda: wasyncore.dispatcher.close(server))
        threading.Thread(target=self._close_when_idle, args=(grace,), name="waitress-drain", daemon=True).start()

    def _close_when_idle(self, grace: float) -> None:
        deadline = time.monotonic() + grace
        while self._busy() and time.monotonic() < deadline:
            time.sleep(0.01)
        with contextlib.suppress(OSError):  # the trigger is closed: the loop has already ended
            self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))

    def _busy(self) -> bool:
        tasks = self._server.task_dispatcher
        channels = [c for c in list(self._server._map.values()) if isinstance(c, HTTPChannel)]
        return bool(tasks.active_count or tasks.queue or any(c.requests or c.total_outbufs_len for c in channels))
