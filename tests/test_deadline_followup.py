"""Deadlines people can rely on, over the real Bolt app: a reminder reaches the person responsible, `/frister
mine` lists one's own across bodies, a deadline that has passed stays visible until it is done, deadlines are
corrected and removed with a history, postponing means later, no false apologies, and times as people write
them. (The clock starts on Wednesday 24 June 2020 at 08.00.)"""

from __future__ import annotations

import json
import re
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.core.planner import next_wake
from bot.usecases.schedule import plan_all
from tests.durable import db_bytes
from tests.processes import motebot
from tests.support import EHELSE_CHANNEL, EHELSE_SEKR, LEDER, MEDLEM, SEKRETARIAT, RunningBot, add_ehelse, in_channel

DAY = timedelta(days=1)
ROOT = Path(__file__).parents[1]
STRANGER = "U0UTENFOR"


def _add(bot: RunningBot, text: str, user: str = SEKRETARIAT, **fields: str) -> str:
    reply = bot.slack.command("/frister", f"ny {text}", user_id=user, fields=fields or None)
    assert reply.status == 200
    return reply.all_text()


def _tick(bot: RunningBot, step: timedelta) -> None:
    """Time passes as it does for the running bot: it wakes at each moment something falls due."""
    installation = bot.installation
    until = bot.clock.now() + step
    while True:
        wake = next_wake(plan_all(installation), installation.store.posts.sent_keys(), bot.clock.now())
        bot.clock.advance((wake if wake is not None and wake <= until else until) - bot.clock.now())
        bot.motebot.ticker.tick()
        bot.settle()
        if bot.clock.now() >= until:
            return


def _posted(bot: RunningBot, channel: str) -> list[str]:
    return [
        " ".join([c.params.get("text", ""), json.dumps(c.params.get("blocks", []), ensure_ascii=False)])
        for c in bot.standin.calls_to("chat.postMessage")
        if c.params.get("channel") == channel
    ]


def test_a_reminder_reaches_the_person_responsible_by_dm_and_the_channel(bot: RunningBot) -> None:
    _add(bot, "3.7.2020 Notat til HOD <@U0MEDLEM1|kari>")
    _tick(bot, DAY * 2)  # 26 June 08.00: a week before
    [dm] = _posted(bot, "D0MEDLEM1")
    assert "Påminnelse:* Notat til HOD – fristen er fredag 3. juli 2020 (om 7 dager)" in dm
    assert len([p for p in _posted(bot, "C0STYRING") if "Notat til HOD" in p]) == 1
    _tick(bot, timedelta(minutes=1))
    assert len(_posted(bot, "D0MEDLEM1")) == 1  # once


def test_fristkanal_nei_reminds_the_person_alone_and_a_body_responsible_in_the_channel(bot: RunningBot) -> None:
    said = bot.slack.command("/motebot", "innstillinger fristkanal nei", user_id=SEKRETARIAT).all_text()
    assert "bare i en direktemelding" in said
    _add(bot, "3.7.2020 Notat til HOD <@U0MEDLEM1|kari>")
    _add(bot, "3.7.2020 Svar fra kommunene ansvar: Noen kommuner")
    _tick(bot, DAY * 2)
    assert any("Notat til HOD" in p for p in _posted(bot, "D0MEDLEM1"))
    channel = _posted(bot, "C0STYRING")
    assert not any("Notat til HOD" in p for p in channel)
    assert any("Svar fra kommunene" in p and "Noen kommuner" in p for p in channel)  # a group: the channel


def test_a_responsible_person_outside_the_body_is_warned_about(bot: RunningBot) -> None:
    said = _add(bot, f"3.7.2020 Notat til HOD <@{STRANGER}|ola>")
    assert f"<@{STRANGER}> er ikke med i organet" in said and "/medlemmer leggtil" in said
    assert "er ikke med i organet" not in _add(bot, "3.7.2020 Notat <@U0MEDLEM1|kari>")


def test_frister_mine_lists_ones_own_across_bodies_nearest_first_and_home_shows_them(bot: RunningBot) -> None:
    add_ehelse(bot)  # LEDER is a member of both
    _add(bot, "10.7.2020 Innspill til veikartet <@U0LEDER01|l>", EHELSE_SEKR, **in_channel(EHELSE_CHANNEL))
    _add(bot, "3.7.2020 kl. 12 Notat til HOD <@U0LEDER01|l>")
    _add(bot, "1.7.2020 Ikke min <@U0MEDLEM1|k>")
    mine = bot.slack.command("/frister", "mine", user_id=LEDER).all_text()
    assert mine.index("Notat til HOD") < mine.index("Innspill til veikartet") and "Ikke min" not in mine
    assert "Nasjonalt e-helsestyre" in mine and "Styringsgruppen" in mine  # each line names its body
    event = {"type": "app_home_opened", "user": LEDER, "tab": "home", "channel": "D0LEDER01"}
    assert bot.slack.event(event, event_id="EvMine").status == 200
    bot.settle()
    [published] = [c.params for c in bot.standin.calls_to("views.publish") if c.params["user_id"] == LEDER]
    home = json.dumps(published["view"], ensure_ascii=False)
    assert home.index("Dine frister") < home.index("Notat til HOD") < home.index("Innspill til veikartet")
    assert "Du har ingen åpne frister" in bot.slack.command("/frister", "mine", user_id=MEDLEM + "X").all_text()


def test_a_deadline_that_has_passed_stays_until_done_and_its_responsible_is_told_once(bot: RunningBot) -> None:
    _add(bot, "26.6.2020 kl. 12.00 Notat til HOD <@U0MEDLEM1|kari>")
    _tick(bot, DAY * 2 + timedelta(hours=4, minutes=1))  # 26 June 12.01
    told = [p for p in _posted(bot, "D0MEDLEM1") if "Fristen er gått ut" in p]
    assert len(told) == 1 and "`/frister ferdig 1`" in told[0]
    assert not any(
        "for sent" in p for p in _posted(bot, "D0MEDLEM1") + _posted(bot, "C0STYRING") if ":alarm_clock:" in p
    )
    _tick(bot, DAY)
    assert len([p for p in _posted(bot, "D0MEDLEM1") if "Fristen er gått ut" in p]) == 1
    listed = bot.slack.command("/frister", user_id=MEDLEM).all_text()
    assert "Fristen er gått ut" in listed and "(fristen gikk ut i går)" in listed and "forfalt" not in listed
    bot.slack.command("/frister", "ferdig 1", user_id=SEKRETARIAT)
    assert "Notat til HOD" not in bot.slack.command("/frister", user_id=MEDLEM).all_text()


def test_a_deadline_is_corrected_and_removed_with_its_history(bot: RunningBot) -> None:
    _add(bot, "3.7.2020 Notat til HOD")
    said = bot.slack.command("/frister", "endre 1 tekst Notat til HOD om status", user_id=LEDER).all_text()
    assert "Frist nr. 1 er endret: Notat til HOD om status" in said
    said = bot.slack.command("/frister", "endre 1 dato 1.7.2020 kl. 10", user_id=SEKRETARIAT).all_text()
    assert "onsdag 1. juli 2020 kl. 10.00" in said
    said = bot.slack.command("/frister", "endre 1 ansvar <@U0MEDLEM1|kari>", user_id=SEKRETARIAT).all_text()
    [stored] = bot.store.deadlines.all()
    assert stored.users == ("U0MEDLEM1",) and stored.earlier == () and "er ikke med" not in said
    assert "Frist nr. 1 er fjernet" in bot.slack.command("/frister", "fjern 1", user_id=SEKRETARIAT).all_text()
    assert "Notat til HOD" not in bot.slack.command("/frister", "alle", user_id=MEDLEM).all_text()
    history = bot.slack.command("/frister", "historikk 1", user_id=MEDLEM).all_text()
    lines = ["lagt inn", "teksten endret", "datoen rettet fra fredag 3. juli 2020 til onsdag 1. juli 2020",
             "ansvaret endret", "fjernet"]  # fmt: skip
    assert [history.index(line) for line in lines] == sorted(history.index(line) for line in lines), history
    assert "<@U0LEDER01>" in history and "24.06.2020 kl. 08.00" in history
    assert "Fant ikke frist nr. 1" in bot.slack.command("/frister", "ferdig 1", user_id=SEKRETARIAT).all_text()


def test_postponing_to_an_earlier_date_is_refused_and_to_the_same_date_changes_nothing(bot: RunningBot) -> None:
    _add(bot, "3.7.2020 Notat til HOD")
    before = db_bytes(bot.store)
    refused = bot.slack.command("/frister", "utsett 1 1.7.2020", user_id=SEKRETARIAT).all_text()
    assert "Å utsette betyr å gi en senere frist" in refused and "`/frister endre 1 dato 01.07.2020`" in refused
    same = bot.slack.command("/frister", "utsett 1 3. juli 2020", user_id=SEKRETARIAT).all_text()
    assert "ingenting er endret" in same
    assert db_bytes(bot.store) == before


@pytest.mark.parametrize("made_after", [DAY * 3, DAY * 6 + timedelta(hours=1)])
def test_no_apology_for_a_ping_that_was_never_due(bot: RunningBot, made_after: timedelta) -> None:
    """Made (or moved) after its seven-day ping's time: that ping was never due, so nothing is «late»."""
    bot.clock.advance(made_after)
    _add(bot, "3.7.2020 Notat til HOD")
    for _ in range(12):
        _tick(bot, timedelta(hours=12))
    pings = [p for p in _posted(bot, "C0STYRING") if ":alarm_clock:" in p]
    assert pings and not any("for sent" in p for p in pings), pings


def test_a_deadline_moved_after_a_ping_time_makes_no_apology_either(bot: RunningBot) -> None:
    _add(bot, "3.7.2020 Notat til HOD")
    _tick(bot, DAY * 5)  # 29 June: the week-before ping for 3 July went out on the 26th
    bot.slack.command("/frister", "utsett 1 2.7.2020", user_id=SEKRETARIAT)  # refused: earlier
    bot.slack.command("/frister", "endre 1 dato 4.7.2020", user_id=SEKRETARIAT)  # its 7-day ping was the 27th
    for _ in range(10):
        _tick(bot, timedelta(hours=12))
    pings = [p for p in _posted(bot, "C0STYRING") if ":alarm_clock:" in p]
    assert pings and not any("for sent" in p for p in pings)


@pytest.mark.parametrize(
    ("written", "at"),
    [("kl. 12.00", time(12)), ("kl 12", time(12)), ("12.00", time(12)), ("12:00", time(12)), ("1200", time(12)),
     ("9", time(9)), ("kl.9", time(9)), ("kl. 09.30", time(9, 30))],
)  # fmt: skip
def test_times_as_people_write_them(bot: RunningBot, written: str, at: time) -> None:
    said = _add(bot, f"3.7.2020 {written} Notat til HOD")
    [stored] = bot.store.deadlines.all()
    assert stored.due_time == at and stored.what == "Notat til HOD", said


def test_a_deadline_with_a_time_sorts_before_a_day_deadline_the_same_day(bot: RunningBot) -> None:
    _add(bot, "3.7.2020 Hele dagen")
    _add(bot, "3.7.2020 kl. 12 Før lunsj")
    listed = bot.slack.command("/frister", user_id=MEDLEM).all_text()
    assert listed.index("Før lunsj") < listed.index("Hele dagen")
    assert "«25» er ikke et klokkeslett" in _add(bot, "3.7.2020 kl. 25 Feil")  # refused, said back
    assert len(bot.store.deadlines.all()) == 2


def test_the_readme_console_tour_shows_a_dm_ping_and_frister_mine(tmp_path: Path) -> None:
    """README's «Slik prøver du konsollen», typed as written: the tour shows what the issue promised."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("### Slik prøver du konsollen", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    typed = [re.split(r"\s{2,}", line, maxsplit=1)[0] for line in tour.splitlines() if line[:1] not in ("", " ")]
    done = motebot("console", "--demo", cwd=tmp_path, stdin="\n".join(typed) + "\n")
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr
    assert "[direktemelding til @U0MEDLEM1]\n⏰ Påminnelse: Notat til HOD" in done.stdout
    mine = done.stdout.split("/frister mine", 1)[1]
    assert mine.lstrip().startswith("Dine frister") and "Notat til HOD" in mine.split("›", 1)[0]
    assert "[Hjem-fanen til @U0MEDLEM1]" in done.stdout


@pytest.mark.parametrize(("written", "what"), [("3 innspill fra kommunene", "3 innspill fra kommunene"),
                                               ("2021 budsjett", "2021 budsjett"), ("kl. 3 Natt", "Natt")])  # fmt: skip
def test_a_number_that_begins_the_text_is_not_read_as_a_time(bot: RunningBot, written: str, what: str) -> None:
    _add(bot, f"1.10.2020 {written}")
    [stored] = bot.store.deadlines.all()
    assert stored.what == what


def test_a_day_deadline_for_today_after_the_working_day_has_passed(bot: RunningBot) -> None:
    """A date alone falls due at 16.00: made at 17.00 the same day, it is refused, not pinged as passed."""
    bot.clock.advance(timedelta(hours=9))  # 24 June 17.00
    assert "er passert" in _add(bot, "24.6.2020 Notat til HOD <@U0MEDLEM1|kari>")
    assert bot.store.deadlines.all() == ()


def test_with_fristkanal_nei_a_dm_that_cannot_be_delivered_goes_to_the_channel(bot: RunningBot) -> None:
    bot.slack.command("/motebot", "innstillinger fristkanal nei", user_id=SEKRETARIAT)
    _add(bot, "3.7.2020 Notat til HOD <@U0MEDLEM1|kari>")
    bot.standin.fail_next("conversations.open", 200)  # Slack refuses the DM for good
    _tick(bot, DAY * 2)
    assert any("Notat til HOD" in p for p in _posted(bot, "C0STYRING"))


def test_a_responsible_person_outside_the_body_sees_the_deadline_in_frister_mine(bot: RunningBot) -> None:
    _add(bot, f"3.7.2020 Notat til HOD <@{STRANGER}|ola>")
    assert "Notat til HOD" in bot.slack.command("/frister", "mine", user_id=STRANGER).all_text()


def test_a_dm_slack_refuses_for_now_does_not_hold_back_the_channel_and_is_sent_later(bot: RunningBot) -> None:
    _add(bot, "3.7.2020 Notat til HOD <@U0MEDLEM1|kari>")
    for _ in range(3):  # past slack_sdk's own retries of a 5xx
        bot.standin.fail_next("conversations.open", 503)
    _tick(bot, DAY * 2)
    assert len([p for p in _posted(bot, "C0STYRING") if ":alarm_clock:" in p]) == 1
    assert _posted(bot, "D0MEDLEM1") == []
    _tick(bot, timedelta(minutes=1))  # the ticker tries the DM again; the channel's post is not repeated
    assert len(_posted(bot, "D0MEDLEM1")) == 1
    assert len([p for p in _posted(bot, "C0STYRING") if ":alarm_clock:" in p]) == 1
