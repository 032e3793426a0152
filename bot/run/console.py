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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from bot.core.clock import Clock, ManualClock
from bot.core.dates import parse_duration
from bot.core.domain import Role
from bot.core.formatting import clock_time, long_date
from bot.core.notices.reader import read_notice
from bot.core.planner import next_wake
from bot.run.app import Motebot, build_bot
from bot.run.settings import Settings
from bot.slack.blocks import escape
from bot.slack.input import dispatch_http
from bot.testing.slack_requests import block_action, command_form, interaction_form
from bot.testing.slack_standin import ApiCall, SlackStandIn
from bot.usecases.innkalling import Elsewhere, import_notices
from bot.usecases.motebot import configured_channel
from bot.usecases.schedule import plan_all
from handlers import COMMANDS
from storage.protocol import StoreP

CONSOLE_USER = "U0KONSOLL"
CONSOLE_CHANNEL = "C0STYRING"
DEMO_NOTICE = Path(__file__).parent / "demo" / "akson_4_20.txt"
DM = "dm"  # what `:kanal dm` is called: the user's direct messages with Møtebot, not a channel

DEMO_ROSTER = {
    "U0LEDER": Role.LEDER,
    "U0MEDLEM1": Role.MEDLEM,
    "U0MEDLEM2": Role.MEDLEM,
    "U0MEDLEM3": Role.MEDLEM,
    "U0MEDLEM4": Role.MEDLEM,
    "U0SEKR": Role.SEKRETARIAT,
    "U0OBS": Role.OBSERVATOR,
    "U0VARA1": Role.VARA,  # asked first when a member sends forfall
    "U0VARA2": Role.VARA,
}

# The names Slack would give the demo's people (users.info): the minutes print them.
DEMO_NAMES = {
    "U0LEDER": "Ingrid Dahl", "U0MEDLEM1": "Ola Nordmann", "U0MEDLEM2": "Kari Hansen", "U0MEDLEM3": "Per Johansen",
    "U0MEDLEM4": "Anne Larsen", "U0MEDLEM5": "Nils Berg", "U0MEDLEM6": "Hilde Moe", "U0VARA1": "Jonas Lie",
    "U0VARA2": "Sofie Bakke", "U0SEKR": "Marte Solberg", "U0OBS": "Erik Haugen",
}  # fmt: skip

# Overlapping on purpose: the leder, one member and the secretariat sit in both bodies, others in one.
EHELSE_ROSTER = {
    "U0LEDER": Role.LEDER,
    "U0MEDLEM1": Role.MEDLEM,
    "U0MEDLEM5": Role.MEDLEM,
    "U0MEDLEM6": Role.MEDLEM,
    "U0SEKR": Role.SEKRETARIAT,
}


@dataclass(frozen=True)
class DemoBody:
    """A body of the demo, in a channel of its own: Slack sees the ID, the console shows the name."""

    name: str
    channel_id: str
    channel_name: str
    roster: Mapping[str, Role]


AKSON = DemoBody("Styringsgruppen for Akson", "C0AKSON", "akson", DEMO_ROSTER)
EHELSE = DemoBody("Nasjonalt e-helsestyre", "C0EHELSE", "ehelsestyre", EHELSE_ROSTER)
DEMO_BODIES = (AKSON, EHELSE)
DEMO_CHANNELS = {body.channel_name: body.channel_id for body in DEMO_BODIES}
_CHANNEL_NAMES = {body.channel_id: body.channel_name for body in DEMO_BODIES}  # as Slack shows <#C…>

CONSOLE_HELP = """Konsollkommandoer:
  /dagsorden, /avstemning …   slash-kommandoer skrives som i Slack (/dagsorden hjelp forklarer)
  :kanal #ehelsestyre         skriv i en annen kanal; :kanal alene viser kanalene og organet i hver,
                              :kanal dm skriver i en direktemelding til Møtebot (den spør hvilket organ)
  :bruker U0LEDER             bytt hvem du er (demoen: U0LEDER, U0MEDLEM1–6, U0VARA1–2, U0SEKR, U0OBS);
                              personer nevnes som @U0LEDER, som når du velger dem i Slack
  :klikk Godkjenn             trykk den nyeste knappen med den teksten, som den du er nå
  :fil innkalling.pdf         send en innkalling (PDF, Word, PowerPoint, ODT, HTML, tekst) til Møtebot i en
                              direktemelding, som den du er nå: du får se den før den importeres
  :vent 7d                    flytt klokka fram (7d, 3t, 30m); det som forfaller underveis, skrives ut
  :hjem                       vis Hjem-fanen til Møtebot, slik den du er nå ser den
  :hjelp                      denne hjelpen
  :avslutt                    avslutter (det gjør også Ctrl-D)"""


def set_up_demo(settings: Settings, store: StoreP, clock: Clock) -> Settings:
    """The demo's two bodies in `store`, each in its channel with its roster: the Akson styringsgruppe with
    the seed's meeting 4/20, and Nasjonalt e-helsestyre with the seed's "Møteplan Nasjonalt e-helsestyre"
    (the web meeting on 17 September), which the import sends to the body its heading names. Returns the
    settings the console runs with (Akson's channel first)."""
    demo = settings.model_copy(update={"motebot_channel": AKSON.channel_id, "motebot_body_name": AKSON.name})
    installation = demo.installation(store, clock)  # makes Akson's body, as MOTEBOT_CHANNEL does
    made = {body.channel_id: configured_channel(installation, body.channel_id, body.name) for body in DEMO_BODIES}
    # E-helsestyre as `/motebot opprett` makes a body: for its members only (Akson is the one-group body); and
    # in nynorsk, so the demo shows both målformer (`/motebot innstillinger målform nb` turns it back).
    ehelse = made[EHELSE.channel_id] = replace(made[EHELSE.channel_id], readable=False, language="nn")
    installation.store.bodies.save(ehelse)
    akson = installation.services(made[AKSON.channel_id])
    import_notices(akson, "demo", [read_notice(DEMO_NOTICE)], Elsewhere.of_operator(installation))
    for body in DEMO_BODIES:
        roster = installation.services(made[body.channel_id]).store.roster
        for user_id, role in body.roster.items():
            roster.set_roles(user_id, [role])
    return demo


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
    ":pencil2:": "✏️",
    ":hash:": "#️⃣",
    ":grey_question:": "❔",
    ":raised_hand:": "✋",
    ":no_entry:": "⛔",
    ":checkered_flag:": "🏁",
    ":arrow_forward:": "▶",
}


def _plain(mrkdwn: str) -> str:
    """Slack's mrkdwn as a terminal shows it: marks dropped, mentions as @name, channels as #name, entities back
    to characters."""
    text = re.sub(r":[a-z_]+:", lambda m: _EMOJI.get(m[0], m[0]), mrkdwn)
    text = re.sub(r"<@([A-Z0-9]+)(?:\|[^>]*)?>", r"@\1", text)
    text = re.sub(r"<#([A-Z0-9]+)(?:\|([^>]*))?>", lambda m: f"#{m[2] or _CHANNEL_NAMES.get(m[1], m[1])}", text)
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


def _render_call(call: ApiCall, name: Callable[[str], str]) -> str:
    """One Web API call as text; `name` gives a channel's name from its ID ("#akson")."""
    method, params = call.method, call.params
    if method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"):
        channel = params.get("channel", "")
        where = {
            "chat.postMessage": f"direktemelding til @{channel}" if channel.startswith("U") else name(channel),
            "chat.update": f"{name(channel)}, oppdatert",
            "chat.postEphemeral": f"{name(channel)}, bare for @{params.get('user')}",
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
        minutes = re.search(r"protokoll-(\d+)-(\d+)", names)
        command = f"motebot protokoll {minutes[1]}/{minutes[2]} --out FIL.pdf" if minutes else "motebot ical"
        return f"[{name(params.get('channel_id', ''))}: fil delt – {names}; skriv den til disk med `{command}`]\n"
    if method in (
        "files.getUploadURLExternal",
        "views.publish",
        "conversations.history",
        "conversations.open",
        "users.info",
        "file_download",  # a shared notice fetched: the console has shown that it was sent
    ):
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
    channels: Mapping[str, str] = field(default_factory=dict)  # name -> ID, in the order `:kanal` lists them
    channel: str = CONSOLE_CHANNEL  # where commands are typed: a channel's ID, or DM
    _files_sent: int = 0
    _home_for: str = ""  # while `:hjem` runs: whose Home tab to print
    _homes_opened: int = 0  # each `:hjem` is an event of its own

    def channel_id(self) -> str:
        """What Slack sends as `channel_id`: the channel's, or that of the user's DM with Møtebot (the
        stand-in's rule: U0LEDER's is D0LEDER)."""
        return "D" + self.user_id[1:] if self.channel == DM else self.channel

    def name(self, channel_id: str) -> str:
        """A channel as the console shows it: #akson, not its ID."""
        if channel_id.startswith("D"):  # the stand-in's DM with U0LEDER is D0LEDER
            return f"direktemelding til @U{channel_id[1:]}"
        found = next((name for name, known in self.channels.items() if known == channel_id), channel_id)
        return f"#{found}"

    def where(self) -> str:
        """Where the next command is typed, for the prompt."""
        return DM if self.channel == DM else self.name(self.channel)

    def _body_in(self, channel_id: str) -> str:
        body = self.motebot.context.installation.store.bodies.in_channel(channel_id)
        return f"{body.name} (kortnavn {body.short_name})" if body is not None else "ikke noe organ"

    def list_channels(self) -> None:
        width = max(len(name) for name in [*self.channels, DM]) + 3
        lines = [f"Kanalene (du skriver i {self.where()}):"]
        for name, channel_id in self.channels.items():
            here = "  ← her" if channel_id == self.channel else ""
            lines.append(f"  {'#' + name:<{width}}{self._body_in(channel_id)}{here}")
        here = "  ← her" if self.channel == DM else ""
        lines.append(f"  {DM:<{width}}direktemelding til Møtebot: ikke noe organ, Møtebot spør hvilket{here}")
        self.out.write("\n".join(lines) + "\n")

    def switch(self, wanted: str) -> None:
        """`:kanal #ehelsestyre`: type the next commands there (by name or ID); `:kanal dm` in a DM."""
        key = wanted.removeprefix("#").casefold()
        if key == DM:
            self.channel = DM
            self.out.write(
                f"Du skriver nå i en direktemelding til Møtebot (som @{self.user_id}). Er du med i flere organ, "
                "spør Møtebot hvilket, eller nevn det først: /dagsorden e-helsestyre.\n"
            )
            return
        found = next(
            ((name, known) for name, known in self.channels.items() if key in (name.casefold(), known.casefold())),
            None,
        )
        if found is None:
            known_names = ", ".join(f"#{name}" for name in self.channels)
            self.out.write(
                f"Ukjent kanal #{wanted.removeprefix('#')}. Kanalene er: {known_names}. "
                f"(:kanal {DM} er en direktemelding til Møtebot.)\n"
            )
            return
        self.channel = found[1]
        self.out.write(f"Du skriver nå i #{found[0]}: {self._body_in(found[1])}.\n")

    def send_file(self, path: Path) -> None:
        """The file shared in a direct message with Møtebot, as Slack delivers it (a file_share event)."""
        try:
            data = path.read_bytes()
        except OSError as error:
            self.out.write(f"Kunne ikke lese {path}: {error.strerror}.\n")
            return
        self._files_sent += 1
        file_id = f"F0CONSOLE{self._files_sent}"
        url = self.standin.add_file(path.name, data, file_id=file_id)
        event = {
            "type": "message", "subtype": "file_share", "channel": "D" + self.user_id[1:], "channel_type": "im",
            "user": self.user_id, "text": "", "ts": f"{self.clock.now().timestamp():.6f}",
            "files": [{"id": file_id, "name": path.name, "size": len(data), "url_private_download": url}],
        }  # fmt: skip
        envelope = {
            "token": "console", "team_id": "T0CONSOLE", "api_app_id": "A0MOTEBOT", "type": "event_callback",
            "event_id": f"EvConsole{self._files_sent}", "event_time": int(self.clock.now().timestamp()),
            "event": event, "authorizations": [{"team_id": "T0CONSOLE", "user_id": "U0MOTEBOT", "is_bot": True}],
        }  # fmt: skip
        self.out.write(f"(sendte {path.name} til Møtebot i en direktemelding)\n")
        self._dispatch(json.dumps(envelope), content_type="application/json")

    def open_home(self) -> None:
        """`:hjem`: the App Home tab as the current user opens it (an app_home_opened event); printed once."""
        event = {"type": "app_home_opened", "user": self.user_id, "tab": "home", "channel": "D" + self.user_id[1:]}
        self._homes_opened += 1
        envelope = {
            "token": "console", "team_id": "T0CONSOLE", "api_app_id": "A0MOTEBOT", "type": "event_callback",
            "event_id": f"EvConsoleHome{self._homes_opened}", "event_time": int(self.clock.now().timestamp()),
            "event": event, "authorizations": [{"team_id": "T0CONSOLE", "user_id": "U0MOTEBOT", "is_bot": True}],
        }  # fmt: skip
        self._home_for = self.user_id
        try:
            self._dispatch(json.dumps(envelope), content_type="application/json")
        finally:
            self._home_for = ""

    def _dispatch(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> None:
        headers = {**signed_headers(self.signing_secret, body), "content-type": content_type}
        response = dispatch_http(self.motebot.app, body.encode(), headers)
        if response.status != 200:
            self.out.write(f"(Møtebot svarte ikke: HTTP {response.status})\n")
        elif response.body:
            message = _json(response.body)
            self._remember(message, self.channel_id(), "")
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
            shown = _render_call(call, self.name) + self._text_files(call)
            if call.method == "views.publish" and call.params.get("user_id") == self._home_for:
                shown = f"[Hjem-fanen til @{self._home_for}]\n" + render(call.params.get("view") or {})
            if shown:
                self.out.write(heading if not printed else "")
                self.out.write(shown)
                printed = True
        return printed

    def _text_files(self, call: ApiCall) -> str:
        """A text file shared (the minutes' Markdown) is printed as the member would read it."""
        if call.method != "files.completeUploadExternal":
            return ""
        shown = []
        for file in json.loads(call.params.get("files", "[]")):
            data = self.standin.uploads.get(str(file.get("id")), b"")
            if data and not data.startswith(b"%PDF"):
                shown.append(data.decode("utf-8", "replace"))
        return "".join(shown)

    def _remember(self, message: dict[str, Any], channel: str, ts: str) -> None:
        if any(block.get("type") == "actions" for block in message.get("blocks") or []):
            self.shown.append(_Shown(message, channel, ts))

    def command(self, command: str, text: str) -> None:
        # Slack escapes what a member typed, and turns a picked @person into <@U…|name>; so does the console.
        text = re.sub(r"(?<![<\w])@([UW][A-Z0-9]{2,})\b", r"<@\1>", escape(text))
        channel_name = "directmessage" if self.channel == DM else self.name(self.channel).removeprefix("#")
        self._dispatch(
            command_form(
                command,
                text,
                self.user_id,
                self.standin.response_url("console"),
                channel_id=self.channel_id(),
                channel_name=channel_name,
            )
        )

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
        elif word == ":kanal" and not rest:
            self.list_channels()
        elif word == ":kanal":
            self.switch(rest)
        elif word in (":bruker", ":klikk", ":vent", ":fil") and not rest:
            example = {":bruker": ":bruker U0LEDER", ":klikk": ":klikk Godkjenn", ":vent": ":vent 7d",
                       ":fil": ":fil innkalling.pdf"}[word]  # fmt: skip
            self.out.write(f"{word} trenger et argument, for eksempel {example}.\n")
        elif word == ":bruker" and rest:
            self.user_id = rest.removeprefix("@").upper()
            installation = self.motebot.context.installation
            described = "; ".join(
                [
                    *(["administrator i alle organ"] if installation.is_admin(self.user_id) else []),
                    *(
                        f"{body.short_name}: " + ", ".join(sorted(role.value for role in roles))
                        for body in installation.bodies()
                        if (roles := installation.store.body(body.id).roster.get().roles_of(self.user_id))
                    ),
                ]
            )
            described = described or "ikke i medlemslisten"
            self.out.write(f"Du er nå @{self.user_id} ({described}).\n")
        elif word == ":klikk" and rest:
            self.click(rest)
        elif word == ":fil" and rest:
            self.send_file(Path(rest).expanduser())
        elif word == ":vent" and rest:
            self.wait(rest)
        elif word == ":hjem":
            self.open_home()
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
                    raw = input(f"møtebot {self.where()}› ")
                except EOFError:
                    self.out.write("\n")
                    return
            else:
                raw = stdin.readline()
                if not raw:
                    return
                if raw.strip():
                    self.out.write(f"{self.where()}› {raw.strip()}\n")
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
def open_console(
    settings: Settings, store: StoreP, clock: Clock, out: TextIO, channels: Mapping[str, str] | None = None
) -> Iterator[Console]:
    """The real app wired to the stand-in, with throwaway credentials that only this process knows.

    `channels` names the channels (name -> ID; the demo's DEMO_CHANNELS); without it, each body's channel
    is called by the body's short name. Commands are typed in MOTEBOT_CHANNEL's (the console's) first."""
    token = "xoxb-console-" + secrets.token_hex(8)
    secret = secrets.token_hex(16)
    with SlackStandIn(token) as standin:
        standin.people.update(DEMO_NAMES)
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
        start = settings.motebot_channel or CONSOLE_CHANNEL
        bodies = motebot.context.installation.bodies()
        named = dict(channels) if channels is not None else {b.short_name: b.channel for b in bodies if b.channel}
        if start not in named.values():
            named = {start: start, **named}
        try:
            yield Console(
                motebot=motebot,
                standin=standin,
                signing_secret=secret,
                clock=clock,
                out=out,
                channels=named,
                channel=start,
            )
        finally:
            motebot.stop()
