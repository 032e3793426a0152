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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from bot.core.clock import Clock, ManualClock
from bot.core.dates import parse_duration
from bot.core.domain import Role
from bot.core.formatting import clock_time, long_date
from bot.core.planner import next_wake
from bot.run.app import Motebot, build_bot
from bot.run.settings import Settings
from bot.slack.blocks import escape
from bot.slack.input import dispatch_http
from bot.testing.slack_requests import block_action, command_form, interaction_form
from bot.testing.slack_standin import ApiCall, SlackStandIn
from bot.usecases.schedule import plan_all
from handlers import COMMANDS
from storage import Store

CONSOLE_USER = "U0KONSOLL"
CONSOLE_CHANNEL = "C0STYRING"
DEMO_NOTICE = Path(__file__).parent / "demo" / "akson_4_20.txt"

DEMO_ROSTER = {
    "U0LEDER": Role.LEDER,
    "U0MEDLEM1": Role.MEDLEM,
    "U0MEDLEM2": Role.MEDLEM,
    "U0MEDLEM3": Role.MEDLEM,
    "U0MEDLEM4": Role.MEDLEM,
    "U0SEKR": Role.SEKRETARIAT,
    "U0OBS": Role.OBSERVATOR,
}

CONSOLE_HELP = """Konsollkommandoer:
  /dagsorden, /avstemning …   slash-kommandoer skrives som i Slack (/dagsorden hjelp forklarer)
  :bruker U0LEDER             bytt hvem du er (demoen: U0LEDER, U0MEDLEM1–4, U0SEKR, U0OBS);
                              personer nevnes som @U0LEDER, som når du velger dem i Slack
  :klikk Godkjenn             trykk den nyeste knappen med den teksten, som den du er nå
  :vent 7d                    flytt klokka fram (7d, 3t, 30m); det som forfaller underveis, skrives ut
  :hjelp                      denne hjelpen
  :avslutt                    avslutter (det gjør også Ctrl-D)"""


def signed_headers(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends: a v0 HMAC-SHA256 signature over `v0:{timestamp}:{body}`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None  # None only without a secret
    return {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": signature,
    }


_EMOJI = {
    ":white_check_mark:": "✅",
    ":warning:": "⚠️",
    ":x:": "❌",
    ":bell:": "🔔",
    ":calendar:": "📅",
    ":alarm_clock:": "⏰",
    ":arrows_counterclockwise:": "🔄",
}


def _plain(mrkdwn: str) -> str:
    """Slack's mrkdwn as a terminal shows it: marks dropped, mentions as @name, channels as #name, entities back
    to characters."""
    text = re.sub(r":[a-z_]+:", lambda m: _EMOJI.get(m[0], m[0]), mrkdwn)
    text = re.sub(r"<@([A-Z0-9]+)(?:\|[^>]*)?>", r"@\1", text)
    text = re.sub(r"<#([A-Z0-9]+)(?:\|([^>]*))?>", lambda m: f"#{m[2] or m[1]}", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(\S(?:.*?\S)?)_(?![\w_])", r"\1", text)
    text = re.sub(r"(?<![\w~])~(\S(?:.*?\S)?)~(?![\w~])", r"\1", text.replace("`", ""))
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
    method, params = call.method, call.params
    if method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"):
        channel = params.get("channel", "")
        where = {
            "chat.postMessage": f"direktemelding til @{channel}" if channel.startswith("U") else f"#{channel}",
            "chat.update": f"#{channel}, oppdatert",
            "chat.postEphemeral": f"#{channel}, bare for @{params.get('user')}",
            "response_url": "svar bare til deg",
        }[method]
        return f"[{where}]\n" + render(params)
    if method == "views.open":
        view = params.get("view", {})
        labels = ", ".join(b["label"]["text"] for b in view.get("blocks", []) if b.get("type") == "input")
        return (
            f"[Skjema «{view.get('title', {}).get('text', '')}» åpnes i Slack: {labels}]\n"
            "I konsollen: skriv det på én linje, for eksempel /dagsorden ny 4/20 10.00 Orientering Tittel\n"
        )
    if method == "files.completeUploadExternal":
        files = json.loads(params.get("files", "[]"))
        names = ", ".join(f.get("title") or "fil" for f in files)
        return f"[#{params.get('channel_id', '')}: fil delt – {names}; skriv den til disk med `motebot ical`]\n"
    if method in ("files.getUploadURLExternal", "views.publish", "conversations.history"):
        return ""
    return f"(Slack: {method})\n"


@dataclass
class _Shown:
    """A message with buttons the console has shown, so `:klikk` can press one."""

    message: dict[str, Any]
    channel: str
    ts: str


@dataclass
class Console:
    motebot: Motebot
    standin: SlackStandIn
    signing_secret: str
    clock: Clock
    out: TextIO
    user_id: str = CONSOLE_USER
    shown: list[_Shown] = field(default_factory=list)

    def _dispatch(self, body: str) -> None:
        headers = signed_headers(self.signing_secret, body)
        response = dispatch_http(self.motebot.app, body.encode(), headers)
        if response.status != 200:
            self.out.write(f"(Møtebot svarte ikke: HTTP {response.status})\n")
        elif response.body:
            message = _json(response.body)
            self._remember(message, CONSOLE_CHANNEL, "")
            self.out.write(render(message))
        self._settle()

    def _settle(self, heading: str = "") -> bool:
        """Run what fell due, wait for the calls that follow acks, and print what reached Slack
        (under `heading`, if anything did). Returns whether anything was printed."""
        self.motebot.ticker.tick()
        self.motebot.context.background.wait_idle()
        printed = False
        for call in self.standin.take_calls():
            if call.method == "auth.test":
                continue
            if call.method in ("chat.postMessage", "chat.update"):
                self._remember(call.params, call.response.get("channel", ""), call.response.get("ts", ""))
            shown = _render_call(call)
            if shown:
                self.out.write(heading if not printed else "")
                self.out.write(shown)
                printed = True
        return printed

    def _remember(self, message: dict[str, Any], channel: str, ts: str) -> None:
        if any(block.get("type") == "actions" for block in message.get("blocks") or []):
            self.shown.append(_Shown(message, channel, ts))

    def command(self, command: str, text: str) -> None:
        # Slack escapes what a member typed, and turns a picked @person into <@U…|name>; so does the console.
        text = re.sub(r"(?<![<\w])@([UW][A-Z0-9]{2,})\b", r"<@\1>", escape(text))
        self._dispatch(command_form(command, text, self.user_id, self.standin.response_url("console")))

    def click(self, label: str) -> None:
        """Press the newest button with this label, as the current user."""
        wanted = label.casefold()
        for shown in reversed(self.shown):
            for block in shown.message.get("blocks") or []:
                for element in block.get("elements", []) if block.get("type") == "actions" else []:
                    if element.get("text", {}).get("text", "").casefold() == wanted:
                        payload = block_action(
                            self.user_id,
                            element["action_id"],
                            element.get("value", ""),
                            channel_id=shown.channel,
                            message_ts=shown.ts,
                            block_id=block.get("block_id", "b"),
                            ephemeral=False,
                            response_url=self.standin.response_url("console"),
                        )
                        self._dispatch(interaction_form(payload))
                        return
        self.out.write(f"Fant ingen knapp «{label}». Knappene står i hakeparentes, som [Godkjenn].\n")

    def wait(self, text: str) -> None:
        """Move the clock forward in steps, waking at each moment something falls due, as the bot would."""
        delta = parse_duration(text)
        if not isinstance(self.clock, ManualClock):
            self.out.write(":vent flytter bare klokka i demoen eller med --now.\n")
            return
        if delta is None:
            self.out.write(f"Forstod ikke «{text}». Skriv for eksempel :vent 7d, :vent 3t eller :vent 30m.\n")
            return
        installation = self.motebot.context.installation
        target = self.clock.now() + delta
        while True:
            wake = next_wake(plan_all(installation), installation.store.posts.sent_keys(), self.clock.now())
            step_to = wake if wake is not None and wake <= target else target
            now = self.clock.advance(step_to - self.clock.now())
            printed = self._settle(heading=f"(Klokka er {long_date(now.date())} kl. {clock_time(now.time())}.)\n")
            if step_to >= target:
                if not printed:
                    self.out.write(f"(Klokka er {long_date(now.date())} kl. {clock_time(now.time())}.)\n")
                return

    def line(self, line: str) -> bool:
        """Handle one typed line; False when the console should end."""
        line = line.strip()
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if not line or line.startswith("#"):
            return True
        if word in (":avslutt", ":quit", ":q"):
            return False
        if word in (":hjelp", ":help"):
            self.out.write(CONSOLE_HELP + "\n")
        elif word in (":bruker", ":klikk", ":vent") and not rest:
            example = {":bruker": ":bruker U0LEDER", ":klikk": ":klikk Godkjenn", ":vent": ":vent 7d"}[word]
            self.out.write(f"{word} trenger et argument, for eksempel {example}.\n")
        elif word == ":bruker" and rest:
            self.user_id = rest.removeprefix("@").upper()
            installation = self.motebot.context.installation
            described = (
                "; ".join(
                    f"{body.short_name}: " + ", ".join(sorted(role.value for role in roles))
                    for body in installation.bodies()
                    if (roles := installation.store.body(body.id).roster.get().roles_of(self.user_id))
                )
                or "ikke i medlemslisten"
            )
            self.out.write(f"Du er nå @{self.user_id} ({described}).\n")
        elif word == ":klikk" and rest:
            self.click(rest)
        elif word == ":vent" and rest:
            self.wait(rest)
        elif line.startswith("/"):
            if word not in COMMANDS:
                self.out.write(f"Ukjent kommando {word}. Kjente kommandoer: {', '.join(COMMANDS)}.\n")
            else:
                self.command(word, rest)
        else:
            self.out.write("Skriv en kommando som i Slack, for eksempel /dagsorden. :hjelp viser mer.\n")
        return True

    def run(self, stdin: TextIO) -> None:
        """Read lines until end of input; at a terminal, with line editing and history."""
        self._settle()  # what is due at start-up is posted first, as the bot does when it starts
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
        motebot = build_bot(settings, settings.installation(store, clock))
        standin.take_calls()
        try:
            yield Console(motebot=motebot, standin=standin, signing_secret=secret, clock=clock, out=out)
        finally:
            motebot.stop()
