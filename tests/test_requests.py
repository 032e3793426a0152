"""Every route checks signatures; replays are refused; Slack's redeliveries apply once; faults lose nothing."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from urllib.parse import urlencode

import pytest

from bot.slack.server import SLACK_PATH
from bot.testing.slack_requests import block_action
from tests.slack_http import slack_signature
from tests.support import LEDER, MEDLEM, SEED, SEKRETARIAT, RunningBot

pytestmark = pytest.mark.usefixtures("quick_retries")


def _bodies(bot: RunningBot) -> dict[str, tuple[str, str]]:
    fields = {"command": "/dagsorden", "text": "", "user_id": MEDLEM, "team_id": "T0AKSON01",
              "channel_id": "C0STYRING", "trigger_id": "1.2.3", "response_url": "http://127.0.0.1:9/"}  # fmt: skip
    command = urlencode(fields)
    click = urlencode({"payload": json.dumps(block_action(MEDLEM, "vote_for", "1"))})
    event = json.dumps({"type": "event_callback", "event_id": "EvSig", "team_id": "T0AKSON01",
                        "event": {"type": "app_home_opened", "user": MEDLEM, "tab": "home"}})  # fmt: skip
    return {
        "command": (command, "application/x-www-form-urlencoded"),
        "interaction": (click, "application/x-www-form-urlencoded"),
        "event": (event, "application/json"),
    }


@pytest.mark.parametrize("kind", ["command", "interaction", "event"])
def test_every_kind_of_request_is_verified(bot: RunningBot, kind: str) -> None:
    body, content_type = _bodies(bot)[kind]
    stamp = int(time.time())
    assert bot.http.post(body, content_type=content_type, signed=False).status == 401
    assert bot.http.post(body, content_type=content_type, signature="v0=" + "ab" * 32).status == 401
    wrong = slack_signature("another-secret", str(stamp), body)
    assert bot.http.post(body, content_type=content_type, timestamp=stamp, signature=wrong).status == 401
    assert bot.http.post(body, content_type=content_type, timestamp=stamp - 400).status == 401
    assert bot.http.post(body, content_type=content_type, timestamp=stamp + 400).status == 401
    bot.settle()
    assert not bot.standin.calls_to("views.publish")


def test_a_replayed_request_is_refused_and_applies_nothing(bot: RunningBot) -> None:
    body = urlencode({"command": "/dagsorden", "text": "ny 4/20 Orientering Bare én gang", "user_id": SEKRETARIAT,
                      "team_id": "T0AKSON01", "channel_id": "C0STYRING", "trigger_id": "9.9.9",
                      "response_url": "http://127.0.0.1:9/"})  # fmt: skip
    stamp = int(time.time())
    signature = slack_signature(bot.http.signing_secret, str(stamp), body)
    assert bot.http.post(body, timestamp=stamp, signature=signature).status == 200
    assert bot.http.post(body, timestamp=stamp, signature=signature).status == 401
    assert [c.title for c in bot.store.meetings.all()[0].cases].count("Bare én gang") == 1


def test_a_redelivered_event_is_applied_once(bot: RunningBot) -> None:
    url = bot.standin.add_file("innkalling.md", SEED.read_bytes())
    event = {"type": "message", "subtype": "file_share", "channel": "D0SEKR001", "channel_type": "im",
             "user": SEKRETARIAT, "ts": "1.1", "files": [{"id": "F1", "name": "innkalling.md", "size": 10,
                                                          "url_private_download": url}]}  # fmt: skip
    assert bot.http.event(event, event_id="EvSame").status == 200
    retry = {"timestamp": int(time.time()) + 1}  # Slack's redelivery: the same event_id, signed anew
    assert bot.http.event(event, event_id="EvSame", **retry).status == 200
    bot.settle()
    assert len([c for c in bot.standin.calls_to("chat.postMessage") if c.params["channel"] == "D0SEKR001"]) == 1


def test_a_dropped_connection_is_retried_and_the_vote_is_posted_once(bot: RunningBot) -> None:
    bot.standin.fail_next("chat.postMessage", 0)
    reply = bot.slack.command("/avstemning", user_id=LEDER)
    assert "startet" in reply.all_text()
    bot.settle()
    posts = [c for c in bot.standin.calls_to("chat.postMessage") if c.params["channel"] == "C0STYRING"]
    assert len(posts) == 1 and bot.standin.failures_served == [("chat.postMessage", 0)]
    assert bot.store.votes.all()[0].message_ts == posts[0].response["ts"]


def test_when_slack_keeps_failing_the_vote_stays_open_and_the_leder_can_post_it_again(bot: RunningBot) -> None:
    for _ in range(4):
        bot.standin.fail_next("chat.postMessage", 503)
    bot.slack.command("/avstemning", user_id=LEDER)
    bot.settle()
    assert bot.store.votes.all()[0].is_open and not bot.store.votes.all()[0].message_ts
    assert "postes så snart Slack svarer" in bot.standin.calls_to("response_url")[-1].params["text"]
    assert "postes i kanalen nå" in bot.slack.command("/avstemning", user_id=LEDER).all_text()  # the leder retries
    bot.settle()
    assert len(bot.store.votes.all()) == 1 and bot.store.votes.all()[0].message_ts


def test_when_slack_refuses_the_post_for_good_the_vote_is_cancelled_and_the_leder_told(bot: RunningBot) -> None:
    bot.standin.fail_next("chat.postMessage", 200)  # ok: false, as for not_in_channel
    bot.slack.command("/avstemning", user_id=LEDER)
    bot.settle()
    assert bot.store.votes.all()[0].state.value == "avbrutt"
    assert "Kunne ikke poste avstemningen" in bot.standin.calls_to("response_url")[-1].params["text"]
    bot.slack.command("/avstemning", user_id=LEDER)  # and it can be started again
    bot.settle()
    assert bot.store.votes.all()[-1].message_ts


def test_a_body_larger_than_slack_ever_sends_is_refused_before_it_is_read(bot: RunningBot) -> None:
    """Slack's bodies are a few kilobytes; an unauthenticated client must not make each worker hold a gigabyte.
    The headers alone announce 3 MB: the answer comes before any of it is sent."""
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(bot.base_url).netloc, timeout=10)
    connection.putrequest("POST", SLACK_PATH)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(3_000_000))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()
