"""Requests as Slack sends them: form-encoded, signed with HMAC-SHA256 over `v0:{timestamp}:{body}`.

Written from Slack's documentation rather than taken from slack_sdk, so the tests check the app's
verification against an independent signer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.testing.slack_requests import command_form, interaction_form


def as_slack_sends(typed: str) -> str:
    """What a member typed, as a slash command's `text` carries it: `&`, `<`, `>` as entities.

    (Mentions, channels and links the member picked arrive as `<@U…|name>`, `<#C…|name>`, `<https://…>`;
    write those in that form.)"""
    return typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_signature(secret: str, timestamp: str, body: str | bytes) -> str:
    base = f"v0:{timestamp}:".encode() + (body.encode() if isinstance(body, str) else body)
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    def all_text(self) -> str:
        """The fallback text and every text in the blocks, for asserting on what a member reads."""
        payload = self.json()
        parts = [payload.get("text", "")]
        for block in payload.get("blocks", []):
            for key in ("text",):
                if isinstance(block.get(key), dict):
                    parts.append(block[key]["text"])
            for element in block.get("elements", []):
                if isinstance(element.get("text"), str):
                    parts.append(element["text"])
        return "\n".join(parts)


class SlackRequests:
    """Requests as Slack builds and signs them; a subclass's `deliver` carries them to the app."""

    def __init__(self, signing_secret: str, response_url: str = "http://127.0.0.1:9/response") -> None:
        self.signing_secret = signing_secret
        self.response_url = response_url

    def deliver(self, data: bytes, headers: dict[str, str]) -> Reply:
        raise NotImplementedError

    def post(self, body: str | bytes, *, timestamp: int | str | None = None, signature: str | None = None,
             content_type: str = "application/x-www-form-urlencoded", signed: bool = True) -> Reply:  # fmt: skip
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {"Content-Type": content_type}
        if signed:
            headers["X-Slack-Request-Timestamp"] = stamp
            headers["X-Slack-Signature"] = signature or slack_signature(self.signing_secret, stamp, body)
        return self.deliver(body.encode() if isinstance(body, str) else body, headers)

    def command(
        self, command: str, text: str = "", user_id: str = "U0MEDLEM1", fields: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Reply:  # fmt: skip
        """`text` as Slack delivers it (see `as_slack_sends`); `fields` overrides the rest of the form."""
        body = command_form(command, text, user_id, self.response_url, **(fields or {}))
        return self.post(body, **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        """Button clicks and modal submissions: a form with one field, `payload`, holding JSON."""
        return self.post(interaction_form(payload), **kwargs)

    def event(
        self, event: dict[str, Any], event_id: str = "Ev0001", team_id: str = "T0AKSON01", **kwargs: Any
    ) -> Reply:
        body = json.dumps(
            {
                "token": "legacy-unused",
                "team_id": team_id,
                "api_app_id": "A0MOTEBOT",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
                "is_ext_shared_channel": False,
                "authorizations": [
                    {"team_id": team_id, "user_id": "U0MOTEBOT", "is_bot": True, "is_enterprise_install": False}
                ],
            }
        )
        return self.post(body, content_type="application/json", **kwargs)


class SlackSender(SlackRequests):
    """Over HTTP to `url`, as Slack reaches `motebot serve`."""

    def __init__(self, url: str, signing_secret: str, response_url: str = "http://127.0.0.1:9/response") -> None:
        super().__init__(signing_secret, response_url)
        self.url = url

    def deliver(self, data: bytes, headers: dict[str, str]) -> Reply:
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode())
