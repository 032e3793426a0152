"""/dagsorden over Slack's real request path: signed HTTP into `motebot serve`'s app on loopback."""

from __future__ import annotations

import time
import urllib.request

from tests.durable import db_bytes
from tests.support import RunningBot


def test_signed_dagsorden_shows_the_seed_agenda(bot: RunningBot) -> None:
    reply = bot.http.command("/dagsorden", "4/20")
    assert reply.status == 200
    payload = reply.json()
    assert payload.get("response_type", "ephemeral") == "ephemeral"
    text = reply.all_text()
    assert "Møte 4/20: Styringsgruppemøte for Akson" in text
    assert "onsdag 1. juli 2020 kl. 09.00–10.30" in text
    for number, start, kind in (("17/20", "09.00", "Godkjenning"), ("18/20", "09.05", "Orientering")):
        assert f"*Sak {number}*  ·  {start}  ·  _{kind}_" in text
    assert "*Sak 19/20*  ·  10.25" in text
    assert "Møtet slutter kl. 10.30" in text
    assert "*Forslag til vedtak:* Styringsgruppen godkjenner innkalling og dagsorden." in text
    assert text.index("Sak 17/20") < text.index("Sak 18/20") < text.index("Sak 19/20")


def test_without_argument_the_next_meeting_is_shown(bot: RunningBot) -> None:
    text = bot.http.command("/dagsorden").all_text()
    assert "Møte 4/20" in text
    assert "siste møtet" not in text


def test_when_no_meeting_is_ahead_the_latest_is_shown_and_said(bot: RunningBot) -> None:
    bot.clock.advance(__import__("datetime").timedelta(days=30))
    text = bot.http.command("/dagsorden").all_text()
    assert "Møte 4/20" in text
    assert "Ingen møter er planlagt fremover" in text


def test_unknown_meeting_is_named(bot: RunningBot) -> None:
    reply = bot.http.command("/dagsorden", "9/20")
    assert reply.status == 200
    assert reply.json().get("response_type", "ephemeral") == "ephemeral"
    assert "Fant ikke møte 9/20" in reply.all_text()
    assert "4/20" in reply.all_text()


def test_help_is_norwegian(bot: RunningBot) -> None:
    text = bot.http.command("/dagsorden", "hjelp").all_text()
    assert "Slik bruker du /dagsorden" in text
    assert "`/dagsorden 4/20`" in text


def test_garbage_and_mentions_get_a_clear_inert_answer(bot: RunningBot) -> None:
    before = db_bytes(bot.store)
    for text in ("<!channel>", "<@U123|ola> <https://evil.example|klikk>", "x" * 5000, "\u202e\u200b🙂"):
        reply = bot.http.command("/dagsorden", text)
        assert reply.status == 200
        shown = reply.all_text()
        assert "Forstod ikke" in shown
        assert "<!" not in shown and "<@" not in shown and "<http" not in shown
        assert len(reply.body) < 5000
    assert db_bytes(bot.store) == before


def test_unsigned_wrongly_signed_and_stale_requests_get_401(bot: RunningBot) -> None:
    assert bot.http.command("/dagsorden", signed=False).status == 401
    assert bot.http.command("/dagsorden", signature="v0=" + "0" * 64).status == 401
    other = type(bot.http)(bot.http.url, "not-the-secret")
    assert other.command("/dagsorden").status == 401
    assert bot.http.command("/dagsorden", timestamp=int(time.time()) - 6 * 60).status == 401


def test_healthz_and_unknown_paths(bot: RunningBot) -> None:
    with urllib.request.urlopen(bot.base_url + "/healthz", timeout=5) as response:
        assert response.status == 200
    try:
        urllib.request.urlopen(bot.base_url + "/", timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:  # pragma: no cover
        raise AssertionError("/ should be 404")


def test_the_app_checked_its_token_with_the_web_api_standin(bot: RunningBot) -> None:
    assert [call.method for call in bot.standin.calls_to("auth.test")] == ["auth.test"]
