"""Many workspaces through Slack's OAuth flow: installed over real HTTP (/slack/install, Slack's redirect back),
kept apart though they use the same channel and user IDs, posted to with their own tokens, uninstalled and
purged. `motebot serve`'s app (build_many) on the Slack stand-in and the real PostgreSQL."""

from __future__ import annotations

import http.cookies
import json
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.core.clock import ManualClock
from bot.run import cli
from bot.run.app import Motebot, build_many
from bot.run.oauth import BOT_SCOPES
from bot.run.settings import Settings, SettingsError, load_settings
from bot.slack.server import SLACK_PATH, Server
from bot.testing.slack_requests import block_action
from bot.testing.slack_standin import SlackStandIn
from bot.usecases.services import Installation
from handlers.workspaces import NoWorkspace
from storage import open_postgres
from storage.postgres.oauth import Workspaces
from tests.slack_http import Reply, SlackSender
from tests.support import SIGNING_SECRET, scheduler_ticks, stop_bot

ROOT = Path(__file__).parents[1]
URL = os.environ.get("MOTEBOT_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not URL, reason="ingen PostgreSQL å teste mot (tests/postgres.py fant ingen)")

CHANNEL = "C0STYRING"  # the same channel ID in both workspaces
INSTALLER = "U0INSTALL"  # the same person's ID in both: the installer, so each workspace's administrator
MEMBER = "U0MEDLEM1"
DAY = timedelta(days=1)


def _unique(prefix: str) -> str:
    """IDs no other test uses: the workspaces, installations and states of every test share one database."""
    return prefix + uuid.uuid4().hex[:9].upper()


@dataclass
class Team:
    team_id: str
    token: str


@dataclass
class Served:
    """`motebot serve` with SLACK_CLIENT_ID, on loopback, with the stand-in as Slack."""

    motebot: Motebot
    settings: Settings
    standin: SlackStandIn
    clock: ManualClock
    base_url: str

    @property
    def slack(self) -> SlackSender:
        return SlackSender(self.base_url + SLACK_PATH, SIGNING_SECRET, self.standin.response_url("test"))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(self.base_url + path, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def install(self, team_id: str, installer: str = INSTALLER, *, language: str = "nb") -> tuple[Team, str]:
        """The flow as a member's browser runs it: the install page sets the state's cookie and links to Slack;
        Slack (the stand-in) grants a code; its redirect back, with the cookie, stores the installation."""
        status, headers, page = self.get("/slack/install", {"Accept-Language": language})
        assert status == 200, page
        cookie = http.cookies.SimpleCookie(headers["Set-Cookie"])
        state = cookie["slack-app-oauth-state"].value
        link = urllib.parse.urlparse(re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)[1])
        asked = urllib.parse.parse_qs(link.query.replace("&amp;", "&"))
        assert asked["state"] == [state] and asked["client_id"] == [self.settings.slack_client_id]
        assert asked["scope"] == [",".join(BOT_SCOPES)]
        token = f"xoxb-{team_id.lower()}-{uuid.uuid4().hex[:8]}"
        code = self.standin.grant(team_id, installer, token, name=f"Arbeidsområde {team_id}")
        query = urllib.parse.urlencode({"code": code, "state": state})
        status, _, done = self.get(
            f"/slack/oauth_redirect?{query}",
            {"Cookie": f"slack-app-oauth-state={state}", "Accept-Language": language},
        )
        assert status == 200, done
        return Team(team_id, token), done

    def command(self, team: Team, command: str, text: str = "", user_id: str = INSTALLER) -> Reply:
        return self.slack.command(command, text, user_id=user_id, fields={"team_id": team.team_id})

    def click(self, team: Team, user_id: str, action_id: str, value: str) -> Reply:
        payload = block_action(
            user_id, action_id, value, response_url=self.standin.response_url("test"), team_id=team.team_id
        )
        return self.slack.interaction(payload)

    def settle(self) -> None:
        assert self.motebot.context.background.wait_idle(timeout=30)

    def posts(self, team: Team, text: str = "") -> list[dict[str, Any]]:
        """What was posted in the channel with that workspace's token."""
        return [
            call.params
            for call in self.standin.calls_to("chat.postMessage")
            if call.token == team.token and text in json.dumps(call.params, ensure_ascii=False)
        ]

    def records(self, team: Team) -> Installation:
        with open_postgres(self.settings.database_url or "", team.team_id) as store:
            return self.settings.installation(store, self.clock)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def oauth_settings(standin: SlackStandIn, tmp_path: Path, **overrides: object) -> Settings:
    client_id = f"{uuid.uuid4().int % 10**10}.{uuid.uuid4().int % 10**10}"
    standin.oauth_client = (client_id, "client-secret-for-the-tests")
    values: dict[str, object] = {
        "slack_client_id": client_id,
        "slack_client_secret": SecretStr("client-secret-for-the-tests"),
        "slack_signing_secret": SecretStr(SIGNING_SECRET),
        "slack_api_url": standin.base_url,
        "motebot_database_url": SecretStr(URL or ""),
        "motebot_db": tmp_path / "unused.json",
        **overrides,
    }
    return load_settings(**values)


@contextmanager
def served(settings: Settings, standin: SlackStandIn, clock: ManualClock) -> Iterator[Served]:
    motebot = build_many(settings, clock)
    server = Server(motebot.app, "127.0.0.1", 0, feed=motebot.feed)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield Served(motebot, settings, standin, clock, f"http://127.0.0.1:{server.port}")
    finally:
        server.stop()
        thread.join(timeout=5)
        stop_bot(motebot)


@pytest.fixture
def oauth(standin: SlackStandIn, tmp_path: Path, clock: ManualClock) -> Iterator[Served]:
    standin.add_channel(CHANNEL)
    with served(oauth_settings(standin, tmp_path), standin, clock) as running:
        yield running


@pytest.fixture
def purge_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """`motebot purge` reads the database from the environment, as an operator runs it."""
    monkeypatch.setenv("MOTEBOT_DATABASE_URL", URL or "")


def _make_body(bot: Served, team: Team, name: str) -> None:
    """The installer (the workspace's administrator) makes the channel a body, and a member joins it."""
    assert bot.command(team, "/motebot", f"opprett {name}").body == ""
    bot.settle()
    told = bot.standin.calls_to("response_url")[-1].params
    assert "og du er sekretariatet" in json.dumps(told, ensure_ascii=False), told
    reply = bot.command(team, "/medlemmer", f"leggtil <@{MEMBER}> medlem")
    assert "er lagt til som medlem" in reply.all_text(), reply.all_text()


def test_the_install_pages_and_the_scopes_follow_the_manifest_in_the_installers_malform(oauth: Served) -> None:
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES
    assert {"app_uninstalled", "tokens_revoked"} <= set(manifest["settings"]["event_subscriptions"]["bot_events"])
    status, headers, page = oauth.get("/slack/install", {"Accept-Language": "nn-NO,nn;q=0.9,nb;q=0.8"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="nn">' in page and "Møtebot driv møta i organa dykkar i Slack" in page
    assert "Legg til i Slack" in page and "Slack App Installation" not in page
    team_id = _unique("T")
    _team, done = oauth.install(team_id, language="nb")
    assert "Møtebot er installert i Arbeidsområde " + team_id in done
    assert "Du er Møtebots administrator i dette arbeidsområdet" in done and "slack://app?team=" in done
    [record] = [w for w in Workspaces(URL or "").active() if w.team == team_id]
    assert (record.installed_by, record.team_id, record.enterprise_id) == (INSTALLER, team_id, None)
    [exchange] = oauth.standin.calls_to("oauth.v2.access")
    assert exchange.response["ok"] and exchange.response["team"]["id"] == team_id


def test_an_install_that_was_not_begun_here_or_is_used_twice_is_refused_in_norwegian(oauth: Served) -> None:
    status, headers, page = oauth.get("/slack/install")
    state = http.cookies.SimpleCookie(headers["Set-Cookie"])["slack-app-oauth-state"].value
    code = oauth.standin.grant(_unique("T"), INSTALLER, "xoxb-never-used")
    query = urllib.parse.urlencode({"code": code, "state": state})
    status, _, page = oauth.get(f"/slack/oauth_redirect?{query}")  # no cookie: another browser
    assert status == 400 and "Møtebot ble ikke installert" in page
    assert "må fullføres i den nettleseren den ble startet i" in page and "invalid_browser" not in page
    status, _, page = oauth.get(f"/slack/oauth_redirect?{query}", {"Cookie": f"slack-app-oauth-state={state}"})
    assert status == 200  # the same browser: installed
    status, _, page = oauth.get(
        f"/slack/oauth_redirect?{query}", {"Cookie": f"slack-app-oauth-state={state}", "Accept-Language": "nn"}
    )
    assert status == 401 and "Installasjonslenkja har gått ut" in page  # the state is used up
    status, _, page = oauth.get("/slack/oauth_redirect?error=access_denied")
    assert status == 200 and "Installasjonen ble avbrutt i Slack" in page


def test_two_workspaces_with_the_same_ids_never_see_each_other(oauth: Served) -> None:
    a, _ = oauth.install(_unique("T"))
    b, _ = oauth.install(_unique("T"))
    _make_body(oauth, a, "Styret i A")
    _make_body(oauth, b, "Styret i B")
    reply = oauth.command(a, "/moteplan", "ny 02.07.2020 09.00-10.00 Styremøte")
    assert "Møte 1/20 er lagt inn: torsdag 2. juli 2020" in reply.all_text(), reply.all_text()
    oauth.command(a, "/frister", "ny 3.7.2020 Notat fra A")
    oauth.command(b, "/frister", "ny 10.7.2020 Notat fra B")
    # The same member, the same channel, in each workspace: only that workspace's records.
    for team, own, other in ((a, "Notat fra A", "Notat fra B"), (b, "Notat fra B", "Notat fra A")):
        shown = oauth.command(team, "/frister", user_id=MEMBER).all_text()
        assert own in shown and other not in shown
    # Each workspace numbers its own from 1.
    assert [d.id for d in oauth.records(a).store.body(1).deadlines.all()] == [1]
    assert [d.id for d in oauth.records(b).store.body(1).deadlines.all()] == [1]
    # The same member's Home in each workspace: that workspace's bodies, published with its token.
    for n, team in enumerate((a, b)):
        opened = {"type": "app_home_opened", "user": MEMBER, "tab": "home", "channel": "D0MEDLEM1"}
        assert oauth.slack.event(opened, event_id=_unique(f"Ev{n}"), team_id=team.team_id).status == 200
    oauth.settle()
    homes = {c.token: json.dumps(c.params, ensure_ascii=False) for c in oauth.standin.calls_to("views.publish")}
    assert "Styret i A" in homes[a.token] and "Styret i B" not in homes[a.token]
    assert "Styret i B" in homes[b.token] and "Styret i A" not in homes[b.token]
    assert "2. juli 2020" in oauth.command(a, "/dagsorden", user_id=MEMBER).all_text()
    assert "2. juli 2020" not in oauth.command(b, "/dagsorden", user_id=MEMBER).all_text()
    assert "2. juli 2020" not in oauth.command(b, "/moteplan", user_id=MEMBER).all_text()
    # A vote in A is vote 1; B's first is vote 1 too. A click in B counts in B alone.
    oauth.command(b, "/moteplan", "ny 03.07.2020 09.00-10.00 Styremøte")
    for team in (a, b):
        assert "er startet i kanalen" in oauth.command(team, "/avstemning").all_text()
    oauth.settle()
    votes_a, votes_b = oauth.records(a).store.body(1).votes, oauth.records(b).store.body(1).votes
    [vote_a], [vote_b] = votes_a.all(open_only=True), votes_b.all(open_only=True)
    assert vote_a.id == vote_b.id == 1
    [post_a], [post_b] = oauth.posts(a, "Avstemning"), oauth.posts(b, "Avstemning")
    assert post_a["channel"] == post_b["channel"] == CHANNEL  # the same channel ID, two workspaces
    before = len(oauth.standin.calls_to("chat.update"))
    oauth.click(b, MEMBER, "vote_for", str(vote_b.id))
    oauth.settle()
    assert MEMBER in (votes_b.get(1) or vote_b).ballots
    assert MEMBER not in (votes_a.get(1) or vote_a).ballots
    updates = oauth.standin.calls_to("chat.update")[before:]
    assert updates and all(c.token == b.token for c in updates)
    # Outside any request or tick, nothing answers as some workspace.
    with pytest.raises(NoWorkspace):
        oauth.motebot.context.installation.store.bodies.all()


def _two_with_a_deadline_due(oauth: Served) -> tuple[str, str]:
    """Two installed workspaces, a body in each with a deadline; the clock at 26 June 08:00, a week before both."""
    a, _ = oauth.install(_unique("T"))
    b, _ = oauth.install(_unique("T"))
    _make_body(oauth, a, "Styret i A")
    _make_body(oauth, b, "Styret i B")
    oauth.command(a, "/frister", "ny 3.7.2020 Notat fra A")
    oauth.command(b, "/frister", "ny 3.7.2020 Notat fra B")
    oauth.clock.advance(DAY * 2)
    return a, b


def test_scheduled_posts_go_to_each_workspace_with_its_token_and_stop_after_an_uninstall(
    oauth: Served, purge_env: None
) -> None:
    a, b = _two_with_a_deadline_due(oauth)
    oauth.motebot.ticker.tick()
    oauth.settle()
    assert [p["channel"] for p in oauth.posts(a, "Påminnelse")] == [CHANNEL]
    assert "Notat fra A" in oauth.posts(a, "Påminnelse")[0]["text"] and not oauth.posts(a, "Notat fra B")
    assert "Notat fra B" in oauth.posts(b, "Påminnelse")[0]["text"] and not oauth.posts(b, "Notat fra A")
    # A is uninstalled: Slack says so, and its token no longer works.
    assert oauth.slack.event({"type": "app_uninstalled"}, event_id=_unique("Ev"), team_id=a.team_id).status == 200
    oauth.standin.revoke(a.team_id)
    [record] = [w for w in Workspaces(URL or "").active() if w.team in (a.team_id, b.team_id)]
    assert record.team == b.team_id
    assert (Workspaces(URL or "").get(a.team_id) or record).uninstalled_at is not None
    before = len(oauth.standin.calls)
    oauth.clock.advance(DAY * 6)  # 2 July 08:00: the day-before ping of both
    oauth.motebot.ticker.tick()
    oauth.settle()
    since = oauth.standin.calls[before:]
    assert not [c for c in since if c.token == a.token or oauth.standin.team_of(c.token) == a.team_id]
    assert [c for c in since if c.method == "chat.postMessage" and c.token == b.token]
    # A member of A who types a command now is told, in Norwegian, that Møtebot is gone from there.
    gone = oauth.command(a, "/frister", user_id=MEMBER)
    assert "Møtebot er ikke lenger installert i dette arbeidsområdet" in gone.body + json.dumps(
        [c.params for c in oauth.standin.calls_to("response_url")[-1:]], ensure_ascii=False
    )
    # A's records stay until purged; purge is refused while a workspace is installed.
    assert oauth.records(a).store.body(1).deadlines.all()
    assert cli.main(["purge", b.team_id, "--bekreft"]) == 2
    assert oauth.records(b).store.body(1).deadlines.all()
    assert cli.main(["purge", a.team_id, "--bekreft"]) == 0
    assert not oauth.records(a).bodies() and oauth.records(b).bodies()


def test_purge_is_refused_while_installed_and_says_why(
    oauth: Served, purge_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    team, _ = oauth.install(_unique("T"))
    _make_body(oauth, team, "Styret")
    assert cli.main(["purge", team.team_id, "--bekreft"]) == 2
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [f"motebot: arbeidsområdet «{team.team_id}» har fortsatt Møtebot installert; avinstaller appen der "
                    "først (purge sletter bare et arbeidsområde som er avinstallert)"]  # fmt: skip
    assert oauth.records(team).bodies()
    # The bot's token revoked (not the app uninstalled): that too ends the installation, and only the bot's.
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0MOTEBOT"]}}
    assert oauth.slack.event(revoked, event_id=_unique("Ev"), team_id=team.team_id).status == 200
    store = oauth.motebot.app.installation_store
    assert store is not None
    assert store.find_bot(enterprise_id=None, team_id=team.team_id) is None
    assert (Workspaces(URL or "").get(team.team_id) or pytest.fail()).uninstalled_at is not None
    assert cli.main(["purge", team.team_id, "--bekreft"]) == 0
    assert "Slettet" in capsys.readouterr().out
    assert not oauth.records(team).bodies()


@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        ({"motebot_channel": "C0STYRING"}, "MOTEBOT_CHANNEL kan ikke brukes med SLACK_CLIENT_ID"),
        ({"motebot_database_url": None}, "Mangler innstillingen MOTEBOT_DATABASE_URL"),
        ({"slack_bot_token": SecretStr("xoxb-1")}, "SLACK_BOT_TOKEN og SLACK_CLIENT_ID kan ikke brukes sammen"),
        ({"slack_client_secret": None}, "Mangler innstillingen SLACK_CLIENT_SECRET"),
        ({"motebot_admins": ["U0ADMIN01"]}, "«U0ADMIN01» ville vært administrator i alle arbeidsområdene"),
        ({"slack_client_id": "not-an-id"}, "Ugyldig innstilling SLACK_CLIENT_ID: må være appens Client ID"),
    ],
)
def test_oauth_settings_that_do_not_fit_are_one_norwegian_line(
    standin: SlackStandIn, tmp_path: Path, overrides: dict[str, object], said: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        oauth_settings(standin, tmp_path, **overrides)
    line = str(refused.value)
    assert said in line and "\n" not in line and "Traceback" not in line


def test_serve_with_oauth_settings_that_do_not_fit_exits_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "1234567890.1234567890")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "client-secret-for-the-tests")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("MOTEBOT_DATABASE_URL", URL or "")
    monkeypatch.setenv("MOTEBOT_CHANNEL", "C0STYRING")
    said = []
    for command in (["serve", "--port", "0"], ["socket"], ["serve", "--port", "0"]):
        assert cli.main(command) == 2
        [line] = capsys.readouterr().err.strip().splitlines()
        said.append(line)
        monkeypatch.delenv("MOTEBOT_CHANNEL", raising=False)
        if command == ["socket"]:
            monkeypatch.delenv("MOTEBOT_DATABASE_URL")
    assert said[0].startswith("motebot: MOTEBOT_CHANNEL kan ikke brukes med SLACK_CLIENT_ID: en kanal-ID gjelder ett")
    assert said[1] == (
        "motebot: «motebot socket» serverer ett arbeidsområde (SLACK_BOT_TOKEN); "
        "med SLACK_CLIENT_ID, bruk «motebot serve»"
    )
    assert said[2].startswith("motebot: Mangler innstillingen MOTEBOT_DATABASE_URL: mange arbeidsområder")


def test_an_administrator_named_for_one_workspace_is_that_workspaces_alone(
    standin: SlackStandIn, tmp_path: Path, clock: ManualClock
) -> None:
    standin.add_channel(CHANNEL)
    a_id, b_id = _unique("T"), _unique("T")
    settings = oauth_settings(standin, tmp_path, motebot_admins=[f"{a_id}/U0ADMIN01"])
    with served(settings, standin, clock) as bot:
        a, _ = bot.install(a_id)
        b, _ = bot.install(b_id)
        assert bot.command(a, "/motebot", "opprett Styret", user_id="U0ADMIN01").body == ""
        bot.settle()
        assert "og du er sekretariatet" in json.dumps(
            bot.standin.calls_to("response_url")[-1].params, ensure_ascii=False
        )
        refused = bot.command(b, "/motebot", "opprett Styret", user_id="U0ADMIN01").all_text()
        assert "administrator" in refused.lower() and not bot.records(b).bodies()


def test_the_calendar_feed_of_a_body_is_found_in_its_own_workspace(oauth: Served) -> None:
    a, _ = oauth.install(_unique("T"))
    b, _ = oauth.install(_unique("T"))
    _make_body(oauth, a, "Styret i A")
    _make_body(oauth, b, "Styret i B")
    oauth.command(a, "/moteplan", "ny 02.07.2020 09.00-10.00 Styremøte")
    token_a = oauth.records(a).bodies()[0].calendar_token
    status, _, calendar = oauth.get(f"/ical/{token_a}.ics")
    assert status == 200 and "20200702T090000" in calendar and "Styret i A" in calendar
    assert oauth.get(f"/ical/{'x' * 24}.ics")[0] == 404


def test_the_real_scheduler_is_elected_for_all_workspaces_and_posts_in_each(oauth: Served) -> None:
    """`motebot serve`'s start: the process wins the database's election (one scheduler for every
    workspace) and its first tick posts what is due in each, with each one's token."""
    a, b = _two_with_a_deadline_due(oauth)
    ticks = scheduler_ticks(oauth.motebot)
    oauth.motebot.start_scheduler()
    assert ticks.acquire(timeout=15)
    oauth.settle()
    assert oauth.motebot.leadership is not None and oauth.motebot.leadership.holds
    assert "Notat fra A" in oauth.posts(a, "Påminnelse")[0]["text"]
    assert "Notat fra B" in oauth.posts(b, "Påminnelse")[0]["text"]
