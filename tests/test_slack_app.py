"""The app as Slack sees it: the manifest, the Home tab, the calendar, Socket Mode, start-up errors."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from websockets.sync.server import serve

from bot.core.clock import ManualClock
from bot.core.domain import Serial
from bot.core.notices.reader import read_notice
from bot.run.settings import Settings
from bot.testing.slack_standin import SlackStandIn
from bot.usecases.innkalling import import_notices
from handlers import COMMANDS, home
from tests.processes import ROOT, motebot
from tests.support import LEDER, MEDLEM, SEED, SEKRETARIAT, RunningBot, confirmed, running_bot

MANIFEST = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))


def test_the_manifest_and_the_app_agree(bot: RunningBot) -> None:
    commands = MANIFEST["features"]["slash_commands"]
    assert sorted(c["command"] for c in commands) == sorted(COMMANDS)
    assert all(c["should_escape"] and c["description"] and c["usage_hint"] for c in commands)
    for command in commands:
        reply = bot.slack.command(command["command"], "hjelp")
        assert reply.status == 200 and "Slik bruker du" in reply.all_text(), command["command"]
    settings = MANIFEST["settings"]
    assert settings["socket_mode_enabled"] and settings["interactivity"]["is_enabled"]
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"]
    events = {"app_home_opened": {"type": "app_home_opened", "user": MEDLEM, "tab": "home", "channel": "D0MEDLEM1"},
              "message.im": {"type": "message", "channel_type": "im", "channel": "D0MEDLEM1", "user": MEDLEM,
                             "text": "hei", "ts": "1.2"},
              "app_uninstalled": {"type": "app_uninstalled"},
              "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0MOTEBOT"]}}}  # fmt: skip
    assert sorted(settings["event_subscriptions"]["bot_events"]) == sorted(events)
    for n, event in enumerate(events.values()):
        assert bot.slack.event(event, event_id=f"EvM{n}").status == 200  # handled: Bolt answers 404 otherwise


@pytest.fixture
def home_bot(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, standin: SlackStandIn, clock: ManualClock
) -> Iterator[RunningBot]:
    """`bot`, its Home tabs refreshed 1 s after a change instead of 2: still some 20 times as long as the
    test takes to look at what the member's own open published."""
    monkeypatch.setattr(home, "SETTLE", 1.0)
    with running_bot(settings, standin, clock, seeded=True) as running:
        yield running


def test_the_home_tab_shows_the_next_meeting_deadlines_votes_and_plan_and_follows_changes(
    home_bot: RunningBot,
) -> None:
    bot = home_bot
    import_notices(bot.services, "test", [read_notice(SEED)])
    bot.slack.command("/avstemning", user_id=LEDER)
    bot.slack.event({"type": "app_home_opened", "user": MEDLEM, "tab": "home", "channel": "D0MEDLEM1"})
    bot.settle()
    [published] = bot.standin.calls_to("views.publish")
    assert published.params["user_id"] == MEDLEM
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    assert "Neste møte: møte 4/20, onsdag 1. juli 2020 kl. 09.00–10.30" in text
    assert "*17/20* 09.00 Godkjenning av innkalling og dagsorden" in text
    assert "Levere et notat til Helse- og omsorgsdepartementet" in text and "(om 9 dager)" in text
    assert "Sak 17/20: Styringsgruppen godkjenner innkalling og dagsorden. – for 0, mot 0" in text
    assert "*Møte 5/20* · torsdag 17. september 2020 · 2 timer · nettmøte" in text
    bot.slack.command("/frister", "ny 30.06.2020 Ny frist fra sekretariatet", user_id=SEKRETARIAT)
    deadline = time.monotonic() + 10
    while len(bot.standin.calls_to("views.publish")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    bot.settle()
    assert "Ny frist fra sekretariatet" in json.dumps(
        bot.standin.calls_to("views.publish")[-1].params, ensure_ascii=False
    )


def _events(ics: bytes) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(ics)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    return {
        str(e["UID"]): {k: e.get(k) for k in ("SUMMARY", "SEQUENCE", "STATUS", "DTSTART")}
        for e in calendar.walk("VEVENT")
    }


def test_the_calendar_moves_a_meeting_instead_of_duplicating_it(tmp_path: Path) -> None:
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    first = _events(motebot("ical", "--out", "-", cwd=tmp_path).stdout.encode())
    done = motebot("ical", cwd=tmp_path)
    assert done.returncode == 0 and "Skrev møteplanen til moteplan.ics" in done.stdout
    assert _events((tmp_path / "moteplan.ics").read_bytes()) == first
    assert set(first) == {"mote-2020-4@motebot", "mote-2020-5@motebot"}
    meeting = first["mote-2020-4@motebot"]
    assert meeting["SUMMARY"] == "Møte 4/20: Styringsgruppemøte for Akson" and meeting["SEQUENCE"] == 0
    start = meeting["DTSTART"].dt  # type: ignore[attr-defined]
    assert (start.isoformat(), str(start.tzinfo)) == ("2020-07-01T09:00:00+02:00", "Europe/Oslo")
    assert str(first["mote-2020-5@motebot"]["DTSTART"].dt) == "2020-09-17"  # type: ignore[attr-defined]


def test_moved_and_cancelled_meetings_in_the_calendar(bot: RunningBot) -> None:
    bot.slack.command("/moteplan", "ny 17.09.2020 09.00-11.00 Møte", user_id=SEKRETARIAT)
    bot.slack.command("/moteplan", "flytt 5/20 24.09.2020 10.00-12.00", user_id=SEKRETARIAT)
    confirmed(bot, "/moteplan", "avlys 4/20")
    reply = bot.slack.command("/moteplan", "ical", user_id=MEDLEM)
    assert "Kalenderfilen med møteplanen deles i kanalen" in reply.all_text()
    bot.settle()
    [completed] = bot.standin.calls_to("files.completeUploadExternal")
    assert completed.params["channel_id"] == "C0STYRING"
    [ics] = bot.standin.uploads.values()
    events = _events(ics)
    assert events["mote-2020-5@motebot"]["SEQUENCE"] == 1
    assert str(events["mote-2020-5@motebot"]["DTSTART"].dt) == "2020-09-24 10:00:00+02:00"  # type: ignore[attr-defined]
    assert events["mote-2020-4@motebot"]["STATUS"] == "CANCELLED"
    assert bot.store.meetings.get(Serial(2020, 4)).cancelled  # type: ignore[union-attr]


def test_socket_mode_needs_an_app_token(tmp_path: Path) -> None:
    for env, variable in (({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
                          ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-feil"}, "SLACK_APP_TOKEN"),
                          ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN")):  # fmt: skip
        done = motebot("socket", cwd=tmp_path, env=env)
        assert done.returncode == 2 and variable in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


class SocketModeStandIn:
    """Slack's Socket Mode server on loopback: hello, envelopes out, acks back, a disconnect on request."""

    def __init__(self) -> None:
        self.connections = 0
        self.acks: list[dict] = []
        self.outbox: list[dict] = []
        self._lock = threading.Condition()
        self._server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def _handle(self, connection) -> None:  # type: ignore[no-untyped-def]
        with self._lock:
            self.connections += 1
            self._lock.notify_all()
        connection.send(json.dumps({"type": "hello", "num_connections": 1}))
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self.outbox, timeout=0.05)
                message = self.outbox.pop(0) if self.outbox else None
            if message is not None:
                connection.send(json.dumps(message))
                if message["type"] == "disconnect":
                    return
            try:
                received = connection.recv(timeout=0.01)
            except TimeoutError:
                continue
            except Exception:
                return
            with self._lock:
                self.acks.append(json.loads(received))
                self._lock.notify_all()

    def send(self, message: dict) -> None:
        with self._lock:
            self.outbox.append(message)
            self._lock.notify_all()

    def wait(self, condition, timeout: float = 30) -> bool:  # type: ignore[no-untyped-def]
        with self._lock:
            return self._lock.wait_for(condition, timeout)

    def close(self) -> None:
        self._server.shutdown()


def _slash(envelope_id: str, text: str) -> dict:
    return {
        "envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True,
        "payload": {"token": "x", "team_id": "T0AKSON01", "channel_id": "C0STYRING", "user_id": MEDLEM,
                    "command": "/dagsorden", "text": text, "api_app_id": "A0MOTEBOT",
                    "response_url": "http://127.0.0.1:9/r", "trigger_id": "1.2.3"},
    }  # fmt: skip


def test_socket_mode_answers_a_slash_command_and_reconnects_after_a_disconnect(tmp_path: Path) -> None:
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    socket = SocketModeStandIn()
    try:
        with SlackStandIn("xoxb-socket", app_token="xapp-socket") as api:
            api.socket_url = socket.url
            import subprocess
            import sys

            from tests.processes import environment

            process = subprocess.Popen(
                [sys.executable, "-m", "bot.run.cli", "socket"], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                env=environment(
                    SLACK_BOT_TOKEN="xoxb-socket", SLACK_APP_TOKEN="xapp-socket", SLACK_API_URL=api.base_url
                ),
            )  # fmt: skip
            try:
                assert socket.wait(lambda: socket.connections == 1)
                socket.send(_slash("env-1", "4/20"))
                assert socket.wait(lambda: any(a.get("envelope_id") == "env-1" for a in socket.acks))
                [ack] = [a for a in socket.acks if a.get("envelope_id") == "env-1"]
                assert "onsdag 1. juli 2020 kl. 09.00–10.30" in json.dumps(ack["payload"], ensure_ascii=False)
                socket.send({"type": "disconnect", "reason": "refresh_requested"})
                assert socket.wait(lambda: socket.connections == 2)
                assert len(api.calls_to("apps.connections.open")) >= 2
                socket.send(_slash("env-2", "hjelp"))
                assert socket.wait(lambda: any(a.get("envelope_id") == "env-2" for a in socket.acks))
                process.send_signal(signal.SIGTERM)
                assert process.wait(timeout=20) == 0
            finally:
                if process.poll() is None:
                    process.kill()
                process.wait()
    finally:
        socket.close()


def test_serve_with_an_empty_signing_secret_is_refused(tmp_path: Path) -> None:
    with SlackStandIn("xoxb-e2e") as api:
        for secret in ({}, {"SLACK_SIGNING_SECRET": ""}, {"SLACK_SIGNING_SECRET": "   "}):
            env = {"SLACK_BOT_TOKEN": "xoxb-e2e", "SLACK_API_URL": api.base_url, **secret}
            done = motebot("serve", "--port", "0", cwd=tmp_path, env=env)
            assert done.returncode == 2 and "SLACK_SIGNING_SECRET" in done.stderr, done.stderr
