"""One length limit per kind of text (bot.core.limits), the same for cases, meetings, deadlines and status and
said in each command's help; and one order wherever roles are listed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.domain import Serial
from bot.core.notices.reader import read_notice
from bot.slack.views.common import carrying
from bot.slack.views.mote import ATTEND_ACTION
from bot.usecases.innkalling import import_notices
from tests.durable import db_bytes
from tests.support import ADMIN, LEDER, MEDLEM, OBSERVATOR, SEED, SEKRETARIAT, RunningBot

TITLE, TEXT = "T" * 200, "S" * 2000


@pytest.mark.parametrize(
    ("command", "fits", "too_long", "refused"),
    [
        ("/dagsorden", f"ny 4/20 Orientering {TITLE}", f"ny 4/20 Orientering {TITLE}x", "(201 tegn; høyst 200)"),
        ("/moteplan", f"ny 17.09.2020 09.00-11.00 {TITLE}", f"ny 17.09.2020 09.00-11.00 {TITLE}x", "høyst 200"),
        ("/frister", f"ny 03.07.2020 {TITLE}", f"ny 03.07.2020 {TITLE}x", "(201 tegn; høyst 200)"),
        ("/status", f"oppdater 2 {TEXT}", f"oppdater 2 {TEXT}x", "(2001 tegn; høyst 2000)"),
    ],
)
def test_one_limit_per_kind_of_text(bot: RunningBot, command: str, fits: str, too_long: str, refused: str) -> None:
    import_notices(bot.services, "test", [read_notice(SEED)])  # the seed's work streams
    before = db_bytes(bot.store)
    shown = bot.slack.command(command, too_long, user_id=SEKRETARIAT).all_text()
    assert refused in shown, shown
    assert db_bytes(bot.store) == before
    assert "for lang" not in bot.slack.command(command, fits, user_id=SEKRETARIAT).all_text()
    assert db_bytes(bot.store) != before


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("/dagsorden", "Titler kan ha opptil 200 tegn, forslag til vedtak opptil 2000."),
        ("/moteplan", "Titler kan ha opptil 200 tegn."),
        ("/frister", "Teksten i en frist kan ha opptil 200 tegn."),
        ("/status", "En status kan ha opptil 2000 tegn."),
        ("/protokoll", "Et vedtak eller et notat kan ha opptil 2000 tegn."),
        ("/forfall", "Grunnen kan ha opptil 500 tegn."),
        ("/habilitet", "Grunnen kan ha opptil 500 tegn."),
    ],
)
def test_the_help_says_the_limit(bot: RunningBot, command: str, said: str) -> None:
    assert said in bot.slack.command(command, "hjelp", user_id=MEDLEM).all_text()


def test_motebot_lists_who_may_change_the_settings_in_the_order_of_the_roles(bot: RunningBot) -> None:
    bot.slack.command("/medlemmer", "leggtil <@U0NESTL01> nestleder", user_id=SEKRETARIAT)
    shown = bot.slack.command("/motebot", "", user_id=MEDLEM).all_text()
    assert (
        f"*Kan endres av:* lederen <@{LEDER}>, nestlederen <@U0NESTL01>, sekretariatet <@{SEKRETARIAT}> og "
        f"Møtebots administratorer <@{ADMIN}>"
    ) in shown


def test_the_minutes_list_people_in_the_order_of_their_roles(bot: RunningBot) -> None:
    bot.standin.people.update({LEDER: "Lise Leder", MEDLEM: "Kari Nordmann", SEKRETARIAT: "Siri Sekretær",
                               OBSERVATOR: "Omar Observatør"})  # fmt: skip
    bot.clock.advance(timedelta(days=7, minutes=55))  # 1 July 08.55
    bot.slack.command("/mote", "start", user_id=SEKRETARIAT)
    bot.settle()
    for user in (MEDLEM, LEDER, OBSERVATOR):
        bot.click(user, ATTEND_ACTION, carrying(bot.store.id, Serial(2020, 4)))
    bot.settle()
    bot.slack.command("/mote", "hev", user_id=SEKRETARIAT)
    bot.settle()
    bot.slack.command("/protokoll", "4/20", user_id=SEKRETARIAT)
    bot.settle()
    text = "\n".join(data.decode("utf-8", "replace") for data in bot.standin.uploads.values())
    assert "**Til stede:** Lise Leder, Kari Nordmann og Siri Sekretær" in text, text
    assert text.index("**Møteleder:**") < text.index("**Sekretariat:**") < text.index("**Observatører:**")
