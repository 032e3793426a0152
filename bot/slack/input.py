"""What Slack sends, read once where it enters: the body parsed, its shape checked, a command's text made plain.

Bolt parses an HTTP body when the request is built, before the signature is checked, and takes any
form body containing the substring "payload" for an interaction: `/dagsorden payload`, or a member
named `payload.ops`, got 404 (see tests/test_slack_input.py). So a body enters unparsed
(`dispatch_http`), Bolt checks its signature as always, and then `ReadBody`, the app's
`before_authorize` middleware, parses it, refuses what is not shaped as Slack sends it, and decodes
a command's text. Socket Mode bodies arrive parsed, from Slack's own connection; they are checked
and decoded the same way.
"""

from __future__ import annotations

import contextvars
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request.internals import build_context

_REFUSED = BoltResponse(status=401, body={"error": "invalid request"})


def dispatch_http(app: App, raw: bytes, headers: Mapping[str, str]) -> BoltResponse:
    """A body from HTTP (waitress, the console) through the app, unparsed until its signature holds. In a copy
    of the caller's context: what the request sets for itself (its reader's målform, its workspace) ends with
    it, and the server thread's next request starts without it."""
    return contextvars.copy_context().run(_dispatch_http, app, raw, headers)


def _dispatch_http(app: App, raw: bytes, headers: Mapping[str, str]) -> BoltResponse:
    headers = {name.lower(): value for name, value in headers.items()}
    stamp = headers.get("x-slack-request-timestamp", "")
    if not (stamp.isascii() and stamp.isdigit()):
        return _REFUSED  # Bolt's own check would raise on it, and answer 500
    as_bolt_takes: dict[str, str | Sequence[str]] = dict(headers)
    request = BoltRequest(body="", headers=as_bolt_takes)  # an empty body is the one Bolt does not parse
    # Slack signs UTF-8 text: bytes that are not, made text here, cannot match a signature.
    request.raw_body = raw.decode("utf-8", errors="replace")
    return app.dispatch(request)


def parse_body(raw: str, content_type: str | None) -> dict[str, Any] | None:
    """A form (a command), a form with one `payload` field (an interaction), or JSON (an event); None if
    it is none of them. Bolt's own rule, without its substring test for "payload"."""
    try:
        if (content_type or "").startswith("application/json") or raw.startswith("{"):
            body = json.loads(raw)
        else:
            form = dict(parse_qsl(raw, keep_blank_values=True))
            body = json.loads(form["payload"]) if "payload" in form else form
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _strings(node: Any, *required: str, optional: tuple[str, ...] = ()) -> bool:
    return (
        isinstance(node, dict)
        and all(isinstance(node.get(key), str) for key in required)
        and all(isinstance(node.get(key, ""), str) for key in optional)
    )


def well_formed(body: dict[str, Any]) -> bool:
    """The fields the listeners read have the types Slack gives them; anything else is not from Slack."""
    if "command" in body:
        return _strings(body, "command", "user_id", "channel_id", "trigger_id", optional=("text", "response_url"))
    kind = body.get("type")
    if kind == "block_actions":
        actions = body.get("actions")
        return (
            _strings(body.get("user"), "id")
            and _strings(body, optional=("trigger_id", "response_url"))
            and isinstance(body.get("channel") or {}, dict)
            and isinstance(actions, list)
            and bool(actions)
            and all(_strings(action, "action_id", optional=("value",)) for action in actions)
        )
    if kind == "view_submission":
        view = body.get("view")
        return (
            _strings(body.get("user"), "id")
            and isinstance(view, dict)
            and _strings(view, "callback_id", optional=("private_metadata",))
            and isinstance(view.get("state") or {}, dict)
            and isinstance(view.get("blocks") or [], list)
        )
    if kind == "event_callback":
        return _strings(body.get("event"), "type") and _strings(body, optional=("event_id",))
    return isinstance(kind, str)  # the kinds no listener here reads: Bolt answers them, or says 404


class ReadBody(Middleware):
    """Runs right after Bolt's signature check (as `before_authorize`): before it, nothing is parsed."""

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        body = parse_body(req.raw_body, req.content_type) if req.mode == "http" else req.body
        if body is None or not well_formed(body):
            return BoltResponse(status=400, body={"error": "not a request from Slack"})
        if body.get("ssl_check") == "1":
            return BoltResponse(status=200, body="")  # Slack checking the certificate: nothing to do
        if "command" in body:
            body["text"] = plain_text(body.get("text") or "")
        req.body = body
        build_context(req.context, body)
        return next()


# A command's text as Slack delivers it: the member's `&`, `<`, `>` as entities, and what they picked as
# <@U…|name>, <#C…|name>, <!here>, <!subteam^S…|@name>, <https://…|label>. Nothing else makes a `<`.
_PICKED = r"<(@[UW][A-Z0-9]+|#C[A-Z0-9]+|![a-z]+(?:\^[^<>|]*)?|[a-z][a-z0-9+.-]*:[^<>|]+)(?:\|([^<>]*))?>"
_ENTITY = r"&(amp|lt|gt);"
_TOKEN = re.compile(f"{_PICKED}|{_ENTITY}")
_CHARACTER = {"amp": "&", "lt": "<", "gt": ">"}
_SPECIAL = ("channel", "here", "everyone")


def _unescape(text: str) -> str:
    return re.sub(_ENTITY, lambda match: _CHARACTER[match[1]], text)


def _picked(target: str, label: str | None) -> str:
    if target.startswith("@"):
        return target  # `@U123`: the ID, so /medlemmer and /frister still read who was meant
    if target.startswith("#"):
        return f"#{label}" if label else target
    if target.startswith("!"):
        name, *rest = target[1:].split("^")
        return f"@{name}" if name in _SPECIAL else label or f"@{rest[-1] if rest else name}"
    url = _unescape(target)
    if url.startswith("mailto:"):
        return label or url.removeprefix("mailto:")
    return url if label in (None, url, url.split("://", 1)[-1]) else f"{label} ({url})"


def plain_text(text: str) -> str:
    """Decoded once, where a command enters: plain text, bare URLs, mentions as `@U123`, `#kanal`, `@here`.

    Stored so, it is escaped like any text when shown: a mention stays words, and becomes live only where
    the bot builds one from a checked ID (a deadline's responsible, the roster). Modal values arrive raw
    and are not decoded.
    """

    def decode(match: re.Match[str]) -> str:
        if match[3]:
            return _CHARACTER[match[3]]
        return _picked(match[1], _unescape(match[2]) if match[2] else None)

    return _TOKEN.sub(decode, text)
