"""HTTP mode: the Bolt app behind waitress, one process, a pool of worker threads.

One process because TinyDB and the scheduler live in it; threads because Bolt's own development
server answers one request at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

SLACK_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App) -> WsgiApp:
    slack = SlackRequestHandler(app, path=SLACK_PATH)

    def route(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return route


def make_server(app: App, host: str, port: int, threads: int = 8) -> Any:
    """A waitress server, not yet running: `.run()` serves, `.close()` stops; port 0 picks a free one."""
    return create_server(wsgi_app(app), host=host, port=port, threads=threads, ident="motebot")
