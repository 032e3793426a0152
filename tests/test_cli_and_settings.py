"""Start-up as an operator meets it: one clear line per mistake, no traceback, no secret echoed."""

from __future__ import annotations

import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from bot.run.settings import SettingsError, load_settings
from bot.testing.slack_standin import SlackStandIn
from storage import DatabaseBusy, TinyStore, open_store
from tests.processes import ROOT, motebot, serving
from tests.slack_http import SlackSender
from tests.support import SEED

OK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "signing-secret"}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxp-feil", "SLACK_SIGNING_SECRET": "hemmelig-verdi"}, "SLACK_BOT_TOKEN"),
        (
            {**OK, "MOTEBOT_TIMEZONE": "Europe/Osloo"},
            "MOTEBOT_TIMEZONE",
        ),
        ({**OK, "MOTEBOT_ADMINS": "U01,ola"}, "MOTEBOT_ADMINS"),
        ({**OK, "MOTEBOT_CHANNEL": "#styret"}, "MOTEBOT_CHANNEL"),
        ({**OK, "SLACK_API_URL": "slack"}, "SLACK_API_URL"),
    ],
)
def test_serve_names_the_missing_or_malformed_variable(tmp_path: Path, env: dict[str, str], variable: str) -> None:
    done = motebot("serve", "--port", "0", cwd=tmp_path, env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert variable in lines[0]
    assert "Traceback" not in done.stderr
    assert "hemmelig-verdi" not in done.stderr + done.stdout


def test_dotenv_in_the_working_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("MOTEBOT_ADMINS=U0AAA,U0BBB\nSOMETHING_ELSE=1\n", encoding="utf-8")
    assert load_settings().motebot_admins == ["U0AAA", "U0BBB"]


def test_settings_error_is_one_line() -> None:
    with pytest.raises(SettingsError, match=r"^Ugyldig innstilling MOTEBOT_TIMEZONE: ukjent tidssone"):
        load_settings(motebot_timezone="Mars/Olympus")


def test_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "motebot.json").write_text("{ikke json", encoding="utf-8")
    done = motebot("import", str(ROOT / "tests" / "fixtures" / "akson_4_20.txt"), cwd=tmp_path)
    assert done.returncode == 2
    assert "motebot.json er ikke gyldig JSON" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "motebot.json").read_text(encoding="utf-8") == "{ikke json"


def test_open_store_opens_the_database_the_settings_name(tmp_path: Path) -> None:
    """The one way the app, the CLI and the console open the store (issue 21): today TinyDB's MOTEBOT_DB."""
    settings = load_settings(motebot_db=tmp_path / "db" / "motebot.json")
    store = open_store(settings)
    try:
        with pytest.raises(DatabaseBusy):  # the same file, held by this process
            open_store(settings)
        assert store.bodies.all() == ()
        assert isinstance(store, TinyStore) and store.path == tmp_path / "db" / "motebot.json"
    finally:
        store.close()


def test_console_demo_shows_the_agenda(tmp_path: Path) -> None:
    done = motebot("console", "--demo", cwd=tmp_path, stdin="/dagsorden\n/dagsorden 4/20\n/dagsorden 7/20\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Møte 4/20: Styringsgruppemøte for Akson" in out
    assert "onsdag 1. juli 2020 kl. 09.00–10.30" in out
    for expected in ("Sak 17/20  ·  09.00  ·  Godkjenning", "Sak 18/20  ·  09.05  ·  Orientering",
                     "Sak 19/20  ·  10.25", "Møtet slutter kl. 10.30",
                     "Forslag til vedtak: Styringsgruppen godkjenner innkalling og dagsorden."):  # fmt: skip
        assert expected in out
    assert "Fant ikke møte 7/20" in out
    assert done.stderr == ""
    assert not (tmp_path / "motebot.json").exists()  # the demo never touches a real database


def test_console_answers_unknown_input_and_ends_at_end_of_input(tmp_path: Path) -> None:
    done = motebot("console", "--demo", "--now", "2021-01-01T10:00", cwd=tmp_path, stdin="hei\n/ukjent\n:hjelp\n")
    assert done.returncode == 0
    assert "fredag 1. januar 2021 kl. 10.00" in done.stdout
    assert "Ukjent kommando /ukjent" in done.stdout
    assert "Konsollkommandoer" in done.stdout and ":kanal #ehelsestyre" in done.stdout
    bad = motebot("console", "--demo", "--now", "i går", cwd=tmp_path)
    assert bad.returncode == 2 and "--now" in bad.stderr and "Traceback" not in bad.stderr


def _answers(out: str) -> dict[str, str]:
    """A scripted console's output as {"#kanal› typed line": what it answered}."""
    parts = re.split(r"^((?:#\S+|dm)› .*)$", out, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_console_demo_holds_two_bodies_in_two_channels(tmp_path: Path) -> None:
    script = [
        "/moteplan",
        ":kanal #ehelsestyre",
        "/moteplan",
        "/dagsorden",
        "/dagsorden ny 1/20 Orientering Status for e-helse",
        ":kanal #akson",
        "/dagsorden",
        ":kanal #x",
        ":kanal",
    ]
    done = motebot("console", "--demo", cwd=tmp_path, stdin="\n".join(script) + "\n")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "Du skriver i #akson" in done.stdout
    said = _answers(done.stdout)
    assert "Møte 4/20" in said["#akson› /moteplan"] and "17. september" not in said["#akson› /moteplan"]
    plan = said["#ehelsestyre› /moteplan"]  # the demo's e-helsestyre writes nynorsk
    assert "Møte 1/20 · torsdag 17. september 2020 · 2 timar · nettmøte · Nasjonalt e-helsestyre" in plan
    assert "4/20" not in plan
    agenda = said["#ehelsestyre› /dagsorden"]
    assert "Møte 1/20: Nasjonalt e-helsestyre" in agenda and "Ingen saker på sakslista enno." in agenda
    assert "Sak 1/20 «Status for e-helse» er lagd til møte 1/20" in said[f"#ehelsestyre› {script[4]}"]
    akson = said["#akson› /dagsorden"]
    assert "Møte 4/20: Styringsgruppemøte for Akson" in akson and "Sak 17/20  ·  09.00  ·  Godkjenning" in akson
    assert "Status for e-helse" not in akson
    assert "Ukjent kanal #x. Kanalene er: #akson, #ehelsestyre." in said["#akson› :kanal #x"]
    listed = said["#akson› :kanal"]
    assert re.search(r"#akson +Styringsgruppen for Akson \(kortnavn akson\)  ← her", listed), listed
    assert re.search(r"#ehelsestyre +Nasjonalt e-helsestyre \(kortnavn e-helsestyre\)\n", listed), listed


def test_serve_runs_answers_signed_commands_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    assert motebot("import", str(ROOT / "tests" / "fixtures" / "akson_4_20.txt"), cwd=tmp_path).returncode == 0
    with SlackStandIn("xoxb-e2e") as api, serving(tmp_path, api, "e2e-secret") as (server, slack):
        base = slack.url.removesuffix("/slack/events")
        with urllib.request.urlopen(base + "/healthz", timeout=5) as health:
            assert health.status == 200
        reply = slack.command("/dagsorden", "4/20")
        assert reply.status == 200 and "onsdag 1. juli 2020 kl. 09.00–10.30" in reply.all_text()
        assert SlackSender(slack.url, "feil").command("/dagsorden").status == 401
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
        assert time.monotonic() - started < 5
        assert "Traceback" not in "".join(server.output)


def test_sigterm_lets_acknowledged_work_reach_slack_before_exiting(tmp_path: Path) -> None:
    from datetime import date, timedelta

    day = date.today() + timedelta(days=10)
    notice = (ROOT / "tests" / "fixtures" / "akson_4_20.txt").read_text(encoding="utf-8")
    (tmp_path / "n.md").write_text(notice.replace("1. juli 2020", f"{day.day}.{day.month}.{day.year}", 1), "utf-8")
    assert motebot("import", str(tmp_path / "n.md"), cwd=tmp_path).returncode == 0
    with (
        SlackStandIn("xoxb-e2e") as api,
        serving(tmp_path, api, "e2e-secret", MOTEBOT_ADMINS="U0ADMIN01", MOTEBOT_CHANNEL="C0STYRING") as (
            server,
            slack,
        ),
    ):
        slack.command("/medlemmer", "leggtil <@U0LEDER01> leder", user_id="U0ADMIN01")
        api.slow_next("chat.postMessage", 0.5)  # the vote's post is still on its way when the signal comes
        assert "startet" in slack.command("/avstemning", user_id="U0LEDER01").all_text()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
        assert [c.params["channel"] for c in api.calls_to("chat.postMessage")] == ["C0STYRING"]
    store = TinyStore(tmp_path / "motebot.json").body(1)
    try:  # the bot lived to record where its post landed: it finished the work before exiting
        assert store.votes.all()[0].message_ts
    finally:
        store.close()


def test_console_sends_a_notice_file_by_dm_and_shows_it_before_importing(tmp_path: Path) -> None:
    changed = tmp_path / "innkalling-4-20.md"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("09.05\tOrientering", "09.10\tOrientering"), "utf-8")
    script = f":bruker U0SEKR\n:fil {changed}\n:klikk Avbryt\n/dagsorden 4/20\n:fil borte.pdf\n:fil\n"
    done = motebot("console", "--demo", cwd=tmp_path, stdin=script)
    assert done.returncode == 0, done.stderr
    assert "(sendte innkalling-4-20.md til Møtebot i en direktemelding)" in done.stdout
    assert "Oppdaterer møtet Møtebot har." in done.stdout and "Sak 18/20: tid endres" in done.stdout
    assert "[Importer i Styringsgruppen for Akson]  [Importer i Nasjonalt e-helsestyre]  [Avbryt]" in done.stdout
    assert "Avbrutt. Ingenting ble importert." in done.stdout
    assert "18/20  ·  09.05" in done.stdout  # the agenda as before
    assert "Kunne ikke lese borte.pdf" in done.stdout and ":fil trenger et argument" in done.stdout
