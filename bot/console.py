"""The console: Møtebot without Slack, entered by the same door as Slack.

Each typed line becomes a signed slash-command request dispatched through the real Bolt app and
its listeners (like Errbot's text backend); Web API calls go to the loopback stand-in and are
printed as text. Nothing here is a shortcut around the app.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlencode

from pydantic import SecretStr
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from bot.clock import Clock
from bot.services import Services
from bot.settings import Settings
from bot.slack_standin import TEAM_ID, ApiCall, SlackStandIn
from handlers import COMMANDS
from storage import Store

CONSOLE_USER = "U0KONSOLL"
CONSOLE_CHANNEL = "C0STYRING"
DEMO_NOTICE = Path(__file__).parent / "demo" / "akson_4_20.txt"

CONSOLE_HELP = """Konsollkommandoer:
  /dagsorden [møtenr|hjelp]   slash-kommandoer skrives som i Slack
  :hjelp                      denne hjelpen
  :avslutt                    avslutter (det gjør også Ctrl-D)"""


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: a v0 HMAC-SHA256 signature over `v0:{timestamp}:{body}`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature,
    }


def command_body(command: str, text: str, user_id: str, response_url: str) -> str:
    return urlencode(
        {
            "token": "console",
            "team_id": TEAM_ID,
            "team_domain": "akson",
            "channel_id": CONSOLE_CHANNEL,
            "channel_name": "styringsgruppe",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0MOTEBOT",
            "response_url": response_url,
            "trigger_id": f"console.{secrets.token_hex(4)}",
        }
    )


_EMOJI = {":white_check_mark:": "✅", ":warning:": "⚠️", ":x:": "❌", ":bell:": "🔔", ":calendar:": "📅"}


def _plain(mrkdwn: str) -> str:
    """Slack's mrkdwn as a terminal shows it: marks dropped, mentions as @name, entities back to characters."""
    text = re.sub(r":[a-z_]+:", lambda m: _EMOJI.get(m[0], m[0]), mrkdwn)
    text = re.sub(r"<@([A-Z0-9]+)(?:\|[^>]*)?>", r"@\1", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])", r"\1", text)
    text = text.replace("`", "")
    return html.unescape(text)


def render(message: dict[str, Any]) -> str:
    """A message (blocks, or else its text) as readable lines."""
    lines: list[str] = []
    for block in message.get("blocks") or []:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += ["", title, "═" * min(len(title), 72)]
        elif kind == "section":
            lines.append(_plain(block["text"]["text"]))
            lines.append("")
        elif kind == "context":
            lines.append("  " + "  ".join(_plain(e.get("text", "")) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("─" * 40)
        elif kind == "actions":
            lines.append("  ".join(f"[{e['text']['text']}]" for e in block.get("elements", []) if "text" in e))
    if not lines:
        lines.append(_plain(message.get("text", "")))
    return "\n".join(lines).rstrip() + "\n"


def _render_call(call: ApiCall) -> str:
    if call.method in ("chat.postMessage", "response_url"):
        where = f"#{call.params.get('channel', 'styringsgruppe')}" if call.method == "chat.postMessage" else "svar"
        return f"[{where}]\n" + render(call.params)
    if call.method == "views.open":
        view = call.params.get("view", {})
        labels = ", ".join(b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input")
        return (
            f"[Skjema «{view.get('title', {}).get('text', '')}» åpnes i Slack: {labels}]\n"
            "I konsollen: skriv det på én linje, for eksempel /dagsorden ny 4/20 10.00 Orientering Tittel\n"
        )
    return f"(Slack: {call.method})\n"


@dataclass
class Console:
    app: App
    standin: SlackStandIn
    signing_secret: str
    out: TextIO
    user_id: str = CONSOLE_USER

    def command(self, command: str, text: str) -> None:
        body = command_body(command, text, self.user_id, self.standin.response_url("console"))
        response = self.app.dispatch(BoltRequest(body=body, headers=signed_headers(self.signing_secret, body)))
        if response.status != 200:
            self.out.write(f"(Møtebot svarte ikke: HTTP {response.status})\n")
        elif response.body:
            self.out.write(render(_json(response.body)))
        for call in self.standin.take_calls():
            if call.method != "auth.test":
                self.out.write(_render_call(call))

    def line(self, line: str) -> bool:
        """Handle one typed line; False when the console should end."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in (":avslutt", ":quit", ":q"):
            return False
        if line in (":hjelp", ":help"):
            self.out.write(CONSOLE_HELP + "\n")
            return True
        if line.startswith("/"):
            name, _, text = line.partition(" ")
            if name not in COMMANDS:
                self.out.write(f"Ukjent kommando {name}. Kjente kommandoer: {', '.join(COMMANDS)}.\n")
                return True
            self.command(name, text.strip())
            return True
        self.out.write("Skriv en kommando som i Slack, for eksempel /dagsorden. :hjelp viser mer.\n")
        return True

    def run(self, stdin: TextIO) -> None:
        """Read lines until end of input; at a terminal, with line editing and history."""
        interactive = stdin.isatty()
        if interactive:
            import readline  # noqa: F401  (gives input() editing and history)
        while True:
            if interactive:
                try:
                    raw = input("møtebot› ")
                except EOFError:
                    self.out.write("\n")
                    return
            else:
                raw = stdin.readline()
                if not raw:
                    return
                if raw.strip():
                    self.out.write(f"› {raw.strip()}\n")
            if not self.line(raw):
                return
            self.out.flush()


def _json(body: str) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError:
        return {"text": body}
    return parsed if isinstance(parsed, dict) else {"text": body}


@contextmanager
def open_console(settings: Settings, store: Store, clock: Clock, out: TextIO) -> Iterator[Console]:
    """The real app wired to the stand-in, with throwaway credentials that only this process knows."""
    token = "xoxb-console-" + secrets.token_hex(8)
    secret = secrets.token_hex(16)
    with SlackStandIn(token) as standin:
        settings = settings.model_copy(
            update={
                "slack_bot_token": SecretStr(token),
                "slack_signing_secret": SecretStr(secret),
                "slack_api_url": standin.base_url,
                "motebot_channel": settings.motebot_channel or CONSOLE_CHANNEL,
                "motebot_admins": [*settings.motebot_admins, CONSOLE_USER],
            }
        )
        app = build_app(Services(settings=settings, store=store, clock=clock))
        standin.take_calls()
        yield Console(app=app, standin=standin, signing_secret=secret, out=out)
