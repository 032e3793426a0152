"""Each body's meeting plan as a calendar feed, over real HTTP (waitress on loopback), read by two
independent readers: icalendar (zones from tzdata) and vobject (zones built from the file's VTIMEZONE)."""

from __future__ import annotations

import http.client
import logging
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from email.message import Message
from pathlib import Path

import icalendar
import pytest
import vobject
from dateutil.tz.tz import _tzicalvtz

from bot.core.clock import ManualClock
from bot.core.domain import Meeting, Serial
from bot.core.ical import revision
from bot.core.rules import Body
from bot.run.settings import Settings, SettingsError, load_settings
from bot.slack.server import Server
from bot.testing.slack_standin import SlackStandIn
from tests.processes import motebot, serving
from tests.support import ADMIN, LEDER, MEDLEM, SEED, SEKRETARIAT, STRANGER, RunningBot, confirmed, running_bot

PUBLIC_URL = "https://motebot.example.no"
EHELSE_TOKEN = "ehelse-feed-token-0123456789"


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes


def fetch(base_url: str, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Fetched:
    """One request as a calendar makes it: http.client, so HEAD and If-None-Match go as written."""
    where = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Fetched(response.status, response.headers, response.read())
    finally:
        connection.close()


def feed_path(token: str) -> str:
    return f"/ical/{token}.ics"


@pytest.fixture
def public_bot(settings: Settings, standin: SlackStandIn, clock: ManualClock) -> Iterator[RunningBot]:
    """The seeded bot, with MOTEBOT_PUBLIC_URL set."""
    with running_bot(settings.model_copy(update={"motebot_public_url": PUBLIC_URL}), standin, clock, seeded=True) as b:
        yield b


def other_body(bot: RunningBot) -> Body:
    """A second body, with its own meeting 4/20 (the same number as the seed's)."""
    body = bot.installation.store.bodies.create(
        Body(0, "Nasjonalt e-helsestyre", "e-helsestyre", channel="C0EHELSE", calendar_token=EHELSE_TOKEN)
    )
    meeting = Meeting(Serial(2020, 4), "Møte i e-helsestyret", date(2020, 8, 20), start=time(13), end=time(15))
    bot.installation.store.body(body.id).meetings.save([meeting])
    return body


def with_a_second_meeting(bot: RunningBot) -> RunningBot:
    """Meeting 5/20 beside the seed's 4/20, as the secretariat adds it."""
    assert (
        "Møte 5/20" in bot.slack.command("/moteplan", "ny 17.09.2020 09.00-11.00 Møte", user_id=SEKRETARIAT).all_text()
    )
    return bot


def token_of(bot: RunningBot, body_id: int | None = None) -> str:
    found = bot.installation.store.bodies.get(body_id if body_id is not None else bot.services.body.id)
    assert found is not None
    return found.calendar_token


def events(ics: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


def test_each_bodys_feed_is_its_plan_and_nothing_of_another_body(bot: RunningBot) -> None:
    with_a_second_meeting(bot)
    b = other_body(bot)
    mine = fetch(bot.base_url, feed_path(token_of(bot)))
    theirs = fetch(bot.base_url, feed_path(EHELSE_TOKEN))
    assert (mine.status, theirs.status) == (200, 200)
    assert mine.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert int(mine.headers["Content-Length"]) == len(mine.body)

    read = icalendar.Calendar.from_ical(mine.body)
    assert (str(read["X-WR-CALNAME"]), str(read["METHOD"])) == (bot.services.body.name, "PUBLISH")
    assert read["REFRESH-INTERVAL"].dt == timedelta(hours=1) and read["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert set(events(mine.body)) == {"mote-2020-4@motebot", "mote-2020-5@motebot"}
    assert set(events(theirs.body)) == {f"mote-2020-4-organ{b.id}@motebot"}  # the same "Møte 4/20", its own UID
    assert b"e-helsestyret" not in mine.body and b"Akson" not in theirs.body
    assert str(icalendar.Calendar.from_ical(theirs.body)["X-WR-CALNAME"]) == "Nasjonalt e-helsestyre"

    # vobject builds the zone from the file's own VTIMEZONE, not from tzdata
    strict = vobject.readOne(mine.body.decode("utf-8"))
    assert [zone.tzid.value for zone in strict.vtimezone_list] == ["Europe/Oslo"]
    uids = [event.uid.value for event in strict.vevent_list]
    assert len(uids) == len(set(uids)) == 2
    [meeting] = [event for event in strict.vevent_list if event.uid.value == "mote-2020-4@motebot"]
    start = meeting.dtstart.value
    assert isinstance(start.tzinfo, _tzicalvtz) and b"DTSTART;TZID=Europe/Oslo:20200701T090000" in mine.body
    assert start.astimezone(UTC) == datetime(2020, 7, 1, 7, 0, tzinfo=UTC)  # 09.00 in Oslo, summer time
    assert meeting.dtstamp.value.tzinfo is not None and meeting.dtstamp.value.utcoffset() == timedelta(0)


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_says_so(bot: RunningBot) -> None:
    with_a_second_meeting(bot)
    path = feed_path(token_of(bot))
    before = fetch(bot.base_url, path)
    assert {uid: e["SEQUENCE"] for uid, e in events(before.body).items()} == {
        "mote-2020-4@motebot": 0,
        "mote-2020-5@motebot": 0,
    }
    unchanged = fetch(bot.base_url, path, headers={"If-None-Match": before.headers["ETag"]})
    assert (unchanged.status, unchanged.body, unchanged.headers["ETag"]) == (304, b"", before.headers["ETag"])

    bot.clock.advance(timedelta(minutes=5))  # a later DTSTAMP alone is no change
    assert fetch(bot.base_url, path, headers={"If-None-Match": before.headers["ETag"]}).status == 304
    bot.slack.command("/moteplan", "flytt 5/20 24.09.2020 10.00-12.00", user_id=SEKRETARIAT)
    confirmed(bot, "/moteplan", "avlys 4/20")

    after = fetch(bot.base_url, path, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status == 200 and after.headers["ETag"] != before.headers["ETag"]
    moved, cancelled = events(after.body)["mote-2020-5@motebot"], events(after.body)["mote-2020-4@motebot"]
    assert set(events(after.body)) == set(events(before.body))
    assert moved["SEQUENCE"] == 1 and moved["DTSTART"].dt == datetime(
        2020, 9, 24, 10, 0, tzinfo=moved["DTSTART"].dt.tzinfo
    )
    assert str(moved["STATUS"]) == "CONFIRMED"
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 1
    strict = {event.uid.value: event for event in vobject.readOne(after.body.decode("utf-8")).vevent_list}
    assert strict["mote-2020-5@motebot"].dtstart.value.astimezone(UTC) == datetime(2020, 9, 24, 8, 0, tzinfo=UTC)
    assert strict["mote-2020-4@motebot"].status.value == "CANCELLED"

    head = fetch(bot.base_url, path, method="HEAD")
    assert (head.status, head.body, head.headers["ETag"]) == (200, b"", after.headers["ETag"])
    assert int(head.headers["Content-Length"]) == len(after.body)


def test_unknown_malformed_and_renewed_tokens_get_a_bare_404(public_bot: RunningBot) -> None:
    bot = public_bot
    old = token_of(bot)
    other_body(bot)
    unknown = (feed_path("x" * 32), feed_path("kort"), feed_path(old + "x"), feed_path(EHELSE_TOKEN.upper()))
    malformed = (feed_path(old)[:-4], feed_path(old) + "/", f"/ical/{old}.ICS", f"/ical/x/../{old}.ics",
                 f"/ical/{old}%2e.ics", "/ical/.ics", "/ical/", f"/ical/{old}.ics.ics")  # fmt: skip
    for path in unknown + malformed:
        found = fetch(bot.base_url, path)
        assert (found.status, found.body) == (404, b"Not Found"), path
    assert fetch(bot.base_url, feed_path(old), method="POST").status == 404

    reply = bot.slack.command("/moteplan", "ical ny", user_id=SEKRETARIAT)
    new = token_of(bot)
    assert new != old and len(new) >= 32
    assert f"`{PUBLIC_URL}/ical/{new}.ics`" in reply.all_text() and old not in reply.all_text()
    assert "Den gamle virker ikke lenger" in reply.all_text()
    assert fetch(bot.base_url, feed_path(old)).status == 404
    assert fetch(bot.base_url, feed_path(new)).status == 200
    assert fetch(bot.base_url, feed_path(EHELSE_TOKEN)).status == 200  # another body's link is untouched
    renewed = bot.installation.store.bodies.get(bot.services.body.id)
    assert renewed == replace(bot.services.body, calendar_token=new)  # nothing else of the body changed


def test_moteplan_ical_gives_the_link_to_who_may_read_the_body_beside_the_file(public_bot: RunningBot) -> None:
    bot = public_bot
    reply = bot.slack.command("/moteplan", "ical", user_id=MEDLEM)
    text = reply.all_text()
    link = f"{PUBLIC_URL}/ical/{token_of(bot)}.ics"
    assert f"`{link}`" in text
    assert f"Abonner på møteplanen til {bot.services.body.name} i kalenderen din" in text
    assert "Outlook: «Legg til kalender → Fra Internett»" in text and "«Andre kalendere → + → Fra URL»" in text
    assert "Kalenderfilen med møteplanen deles i kanalen" in text
    bot.settle()
    [uploaded] = bot.standin.uploads.values()
    assert token_of(bot).encode() not in uploaded  # the channel gets the file, never the link
    assert revision(uploaded) == revision(fetch(bot.base_url, feed_path(token_of(bot))).body)  # the same calendar

    b = other_body(bot)  # not open to readers: a stranger in its channel gets neither plan nor link
    refused = bot.slack.command("/moteplan", "ical", user_id=STRANGER, fields={"channel_id": "C0EHELSE"}).all_text()
    assert "Bare medlemmene av Nasjonalt e-helsestyre" in refused and EHELSE_TOKEN not in refused
    assert token_of(bot, b.id) == EHELSE_TOKEN


def test_only_those_who_manage_the_body_can_renew_the_link(public_bot: RunningBot) -> None:
    bot = public_bot
    before = token_of(bot)
    version = bot.store.version
    for user in (MEDLEM, STRANGER):
        reply = bot.slack.command("/moteplan", "ical ny", user_id=user)
        assert (
            "Bare lederen, nestlederen, sekretariatet og administratorene kan lage en ny kalenderlenke."
            in reply.all_text()
        )
    assert token_of(bot) == before and bot.store.version == version
    assert fetch(bot.base_url, feed_path(before)).status == 200
    assert "Ny kalenderlenke" in bot.slack.command("/moteplan", "ical ny", user_id=LEDER).all_text()
    assert token_of(bot) != before


def test_without_a_public_url_the_file_is_shared_and_the_answer_says_what_the_link_needs(bot: RunningBot) -> None:
    text = bot.slack.command("/moteplan", "ical", user_id=MEDLEM).all_text()
    assert "Kalenderfilen med møteplanen deles i kanalen" in text
    assert "For å få en lenke å abonnere på må driftsansvarlig sette MOTEBOT_PUBLIC_URL." in text
    assert "/ical/" not in text
    bot.settle()
    assert len(bot.standin.uploads) == 1
    old = token_of(bot)
    renewed = bot.slack.command("/moteplan", "ical ny", user_id=SEKRETARIAT).all_text()
    assert "den gamle virker ikke lenger" in renewed and "MOTEBOT_PUBLIC_URL" in renewed
    assert token_of(bot) != old and old not in renewed and token_of(bot) not in renewed
    wrong = bot.slack.command("/moteplan", "ical neste", user_id=SEKRETARIAT).all_text()
    assert "Skriv slik: `/moteplan ical`, eller `/moteplan ical ny` for en ny lenke." in wrong
    assert token_of(bot) != old


def test_a_feed_that_fails_answers_500_and_logs_no_token(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    def broken(token: str) -> None:
        raise RuntimeError("the store is gone")

    server = Server(bot.motebot.app, "127.0.0.1", 0, feed=broken)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        token = "secret-token-abcdefghijklmnop"
        with caplog.at_level(logging.INFO):
            failed = fetch(f"http://127.0.0.1:{server.port}", feed_path(token))
        assert failed.status == 500 and token.encode() not in failed.body
        assert caplog.records and all(token not in record.getMessage() for record in caplog.records)
        assert all(token not in str(record.exc_info) for record in caplog.records)
    finally:
        server.stop()
        thread.join(timeout=5)


def test_the_public_url_setting_is_an_address_and_loses_its_last_slash() -> None:
    assert load_settings(motebot_public_url="https://motebot.example.no/").motebot_public_url == PUBLIC_URL
    assert load_settings(motebot_public_url="http://10.0.0.5:8080/motebot").motebot_public_url == (
        "http://10.0.0.5:8080/motebot"
    )
    assert load_settings(motebot_public_url="").motebot_public_url is None
    for bad in ("motebot.example.no", "https://motebot.example.no/?x=<y>", "ftp://example.no", "https://a b"):
        with pytest.raises(SettingsError, match=r"^Ugyldig innstilling MOTEBOT_PUBLIC_URL: må være adressen"):
            load_settings(motebot_public_url=bad)


def test_motebot_serve_serves_the_feed_its_link_names(tmp_path: Path) -> None:
    """The real process: `motebot serve` wires the feed in beside /slack/events, at the link it gives."""
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    env = {"MOTEBOT_PUBLIC_URL": PUBLIC_URL, "MOTEBOT_ADMINS": ADMIN}  # an imported body has no members yet
    with SlackStandIn("xoxb-e2e") as api, serving(tmp_path, api, "e2e-secret", **env) as run:
        server, slack = run
        assert f"Kalenderne kan abonneres på under {PUBLIC_URL}/ical/" in server.first_line("Kalenderne", fd=2)
        text = slack.command("/moteplan", "ical", user_id=ADMIN).all_text()
        [path] = re.findall(re.escape(PUBLIC_URL) + r"(/ical/[A-Za-z0-9_-]+\.ics)", text)
        served = fetch(slack.url.removesuffix("/slack/events"), path)
        assert served.status == 200 and set(events(served.body)) == {"mote-2020-4@motebot", "mote-2020-5@motebot"}
        token = path.removeprefix("/ical/").removesuffix(".ics")
        assert token not in "".join(server.output + server.lines())  # the operator's log never has it
