"""/motebot over the real Bolt app: an administrator makes a channel a body, its managers change its settings
and move it, and every mistake or refusal is said in Norwegian with nothing changed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.clock import ManualClock
from bot.core.domain import Role
from bot.core.rules import StandingItem
from bot.run.settings import Settings
from bot.slack.views import motebot as view
from bot.testing.slack_requests import block_action
from bot.usecases import motebot
from bot.usecases.grammar import Asker
from storage import open_store
from tests.blockkit import check_limits, texts
from tests.durable import db_bytes
from tests.slack_http import Reply
from tests.support import ADMIN, LEDER, MEDLEM, SEKRETARIAT, STRANGER, RunningBot

HERE = "C0STYRING"  # the tests' MOTEBOT_CHANNEL: the body "Styringsgruppen for Akson", short name "akson"
EHELSE = "C0EHELSE"
NOT_IN = "Møtebot er ikke med i denne kanalen. Inviter meg først med `/invite @Møtebot`, og prøv igjen."
DAY = timedelta(days=1)


def _motebot(bot: RunningBot, text: str, user: str = SEKRETARIAT, channel: str = HERE) -> Reply:
    reply = bot.slack.command("/motebot", text, user_id=user, fields={"channel_id": channel})
    assert reply.status == 200
    return reply


def _read(payload: dict) -> str:
    """What a member reads: the blocks' texts (the fallback repeats them)."""
    check_limits(payload)
    headers = [block["text"]["text"] for block in payload.get("blocks", []) if block["type"] == "header"]
    return "\n".join([*headers, *texts(payload)[1:]])


def _said(reply: Reply) -> str:
    return _read(reply.json())


def _told(bot: RunningBot) -> str:
    """What followed the ack by response_url: opprett and flytt answer after asking Slack."""
    bot.settle()
    [told] = bot.standin.calls_to("response_url")[-1:]
    assert told.params["response_type"] == "ephemeral"
    return _read(told.params)


def _posted(params: dict) -> str:
    return json.dumps(params, ensure_ascii=False)


def _create_ehelse(bot: RunningBot, *, private: bool = False) -> None:
    bot.standin.add_channel(EHELSE, private=private)
    reply = _motebot(bot, "opprett Nasjonalt e-helsestyre", user=ADMIN, channel=EHELSE)
    assert reply.body == ""  # the answer follows once Slack has said the bot is in the channel
    assert "Denne kanalen er nå *Nasjonalt e-helsestyre*, og du er sekretariatet." in _told(bot)


def test_an_administrator_makes_a_channel_a_body_and_becomes_its_secretariat(empty_bot: RunningBot) -> None:
    bot = empty_bot
    _create_ehelse(bot)
    told = _told(bot)
    assert "`/medlemmer leggtil @navn medlem`" in told and "i en direktemelding" in told
    assert "*Kortnavn:* `e-helsestyre`" in told and "*Kanal:* <#C0EHELSE>" in told
    assert "*Åpent for andre enn medlemmene:* nei, bare medlemmene" in told
    [asked] = bot.standin.calls_to("conversations.info")
    assert asked.params["channel"] == EHELSE
    body = bot.installation.store.bodies.in_channel(EHELSE)
    assert body is not None and (body.name, body.short_name) == ("Nasjonalt e-helsestyre", "e-helsestyre")
    assert body.public_channel and not body.readable and len(body.calendar_token) >= 24
    roster = bot.installation.store.body(body.id).roster.get()
    assert roster.roles_of(ADMIN) == {Role.SEKRETARIAT}
    assert bot.store.roster.get().roles_of(ADMIN) == frozenset()  # the other body's roster is untouched


def test_a_private_channel_makes_a_private_body(empty_bot: RunningBot) -> None:
    _create_ehelse(empty_bot, private=True)
    body = empty_bot.installation.store.bodies.in_channel(EHELSE)
    assert body is not None and not body.public_channel
    assert "*Kanal:* <#C0EHELSE> (privat)" in _told(empty_bot)


@pytest.mark.parametrize("user", [LEDER, SEKRETARIAT, MEDLEM, STRANGER])
def test_only_an_administrator_may_make_a_body(empty_bot: RunningBot, user: str) -> None:
    empty_bot.standin.add_channel(EHELSE)
    before = db_bytes(empty_bot.store)
    said = _said(_motebot(empty_bot, "opprett Nasjonalt e-helsestyre", user=user, channel=EHELSE))
    assert said.startswith("Bare Møtebots administratorer kan gjøre en kanal til et organ.")
    empty_bot.settle()
    assert db_bytes(empty_bot.store) == before and not empty_bot.standin.calls_to("conversations.info")


@pytest.mark.parametrize(
    "channel",
    [
        {},  # a channel the stand-in was not told of: not_in_channel
        {"member": False},  # public: Slack describes it, with is_member false
        {"member": False, "private": True},  # private: Slack does not find it
    ],
)
def test_in_a_channel_the_bot_is_not_in_it_says_so_and_makes_nothing(empty_bot: RunningBot, channel: dict) -> None:
    if channel:
        empty_bot.standin.add_channel(EHELSE, **channel)
    before = db_bytes(empty_bot.store)
    assert _motebot(empty_bot, "opprett Nasjonalt e-helsestyre", user=ADMIN, channel=EHELSE).body == ""
    assert _told(empty_bot) == NOT_IN
    assert db_bytes(empty_bot.store) == before and empty_bot.installation.store.bodies.in_channel(EHELSE) is None


def test_slack_refusing_to_describe_the_channel_is_said_and_makes_nothing(empty_bot: RunningBot) -> None:
    empty_bot.standin.add_channel(EHELSE)
    empty_bot.standin.fail_next("conversations.info", 200)  # {"ok": false, "error": "ratelimited"}, not retried
    before = db_bytes(empty_bot.store)
    _motebot(empty_bot, "opprett Nasjonalt e-helsestyre", user=ADMIN, channel=EHELSE)
    assert _told(empty_bot).startswith("Møtebot fikk ikke spurt Slack om denne kanalen (ratelimited).")
    assert db_bytes(empty_bot.store) == before


def test_a_channel_is_one_body_and_a_name_is_one_bodys(empty_bot: RunningBot) -> None:
    bot = empty_bot
    said = _said(_motebot(bot, "opprett Nasjonalt e-helsestyre", user=ADMIN))
    assert said.startswith("Denne kanalen er allerede Styringsgruppen for Akson (kortnavn `akson`).")
    _create_ehelse(bot)
    before = db_bytes(bot.store)
    again = _said(_motebot(bot, "opprett Et annet styre", user=ADMIN, channel=EHELSE))
    assert again.startswith("Denne kanalen er allerede Nasjonalt e-helsestyre (kortnavn `e-helsestyre`).")
    bot.standin.add_channel("C0TREDJE")
    same_name = _said(_motebot(bot, "opprett nasjonalt E-helsestyre", user=ADMIN, channel="C0TREDJE"))
    assert same_name.startswith("Det finnes allerede et organ som heter Nasjonalt e-helsestyre")
    assert db_bytes(bot.store) == before and len(bot.installation.bodies()) == 2


@pytest.mark.parametrize(
    ("text", "channel", "expected"),
    [
        ("opprett Nasjonalt e-helsestyre", "D0ADMIN01", "Skriv `/motebot opprett Navnet på organet` i kanalen"),
        ("opprett", EHELSE, "Organet mangler navn. Skriv slik: `/motebot opprett Styringsgruppen for Akson`."),
        ("opprett " + "Styre " * 30, EHELSE, "Navnet er for langt (179 tegn; høyst 100)."),
        ("flytt akson", "D0ADMIN01", "Skriv `/motebot flytt akson` i kanalen organet skal"),
        ("flytt", EHELSE, "Skriv slik i kanalen organet skal flytte til: `/motebot flytt akson`"),
        ("flytt ukjent", EHELSE, "Det finnes ikke noe organ med kortnavnet «ukjent»."),
        ("flytt akson", HERE, "Styringsgruppen for Akson er allerede i denne kanalen."),
        ("akson opprett X", HERE, "Skriv `/motebot opprett …` uten et kortnavn foran."),
        ("flyt akson", HERE, "Forstod ikke «flyt»: det er verken kortnavnet til et organ"),
        ("vis akson mer", HERE, "Forstod ikke «mer»."),
    ],
)
def test_miswritten_opprett_and_flytt_say_how_to_write_them(
    empty_bot: RunningBot, text: str, channel: str, expected: str
) -> None:
    empty_bot.standin.add_channel(EHELSE)
    before = db_bytes(empty_bot.store)
    assert _said(_motebot(empty_bot, text, user=ADMIN, channel=channel)).startswith(expected)
    empty_bot.settle()
    assert db_bytes(empty_bot.store) == before and not empty_bot.standin.calls_to("conversations.info")


def test_the_settings_show_what_is_the_default_and_who_may_change_them(empty_bot: RunningBot) -> None:
    said = _said(_motebot(empty_bot, "", user=MEDLEM))
    assert "Innstillinger for Styringsgruppen for Akson" in said
    assert "*Kortnavn:* `akson` – for å nevne organet utenfor kanalen" in said
    assert "*Kanal:* <#C0STYRING>" in said and "*Målform:* bokmål" in said and "*Profil:* administrativt" in said
    assert "*Varsler før hvert møte:* 7 dager, 1 dag og 1 time _(standard)_" in said
    assert "*Påminnelser før hver frist:* 7 dager, 1 dag og samme dag _(standard)_" in said
    assert "*Påminnelse til dem som ikke har stemt:* 1 dag før møtet _(standard)_" in said
    assert "1. Godkjenning av innkalling og dagsorden – Godkjenning, forslag til vedtak «Styringsgruppen" in said
    assert "2. Eventuelt – sist" in said
    assert "*Åpent for andre enn medlemmene:* ja, alle i arbeidsområdet" in said
    assert (
        f"*Kan endres av:* lederen <@{LEDER}>, sekretariatet <@{SEKRETARIAT}> og Møtebots administratorer <@{ADMIN}>"
        in said
    )
    for text in ("vis", "akson", "vis akson"):
        assert _said(_motebot(empty_bot, text, user=STRANGER, channel="D0FREMMED")) == said


def test_a_members_only_body_shows_its_settings_to_its_members_only(empty_bot: RunningBot) -> None:
    _create_ehelse(empty_bot)
    assert "Innstillinger for Nasjonalt e-helsestyre" in _said(_motebot(empty_bot, "", user=ADMIN, channel=EHELSE))
    refused = _said(_motebot(empty_bot, "", user=STRANGER, channel=EHELSE))
    assert refused == "Bare medlemmene av Nasjonalt e-helsestyre har tilgang til dette."


def test_with_several_bodies_and_no_channel_it_asks_which_and_the_choice_does_it(empty_bot: RunningBot) -> None:
    bot = empty_bot
    _create_ehelse(bot)
    payload = _motebot(bot, "innstillinger målform nn", user=ADMIN, channel="D0ADMIN01").json()
    [buttons] = [block["elements"] for block in payload["blocks"] if block["type"] == "actions"]
    assert [json.loads(button["value"]) for button in buttons] == [
        {"command": "/motebot", "text": "akson innstillinger målform nn"},
        {"command": "/motebot", "text": "e-helsestyre innstillinger målform nn"},
    ]
    bot.standin.take_calls()
    ehelse = buttons[1]
    bot.slack.interaction(block_action(ADMIN, ehelse["action_id"], ehelse["value"], channel_id="D0ADMIN01",
                                       response_url=bot.standin.response_url("t")))  # fmt: skip
    assert _told(bot).startswith(":white_check_mark: Endret for *Nasjonalt e-helsestyre*:\n*Målform:* nynorsk")
    body = bot.installation.store.bodies.named("e-helsestyre")
    assert body is not None and body.language == "nn"


GOOD = [
    ("navn Styringsgruppen for Akson og e-helse", "name", "Styringsgruppen for Akson og e-helse",
     "*Navn:* Styringsgruppen for Akson og e-helse"),
    ("kortnavn Akson-styret", "short_name", "akson-styret", "*Kortnavn:* `akson-styret`"),
    ("målform nynorsk", "language", "nn", "*Målform:* nynorsk"),
    ("profil Folkevalgt", "profile", "folkevalgt", "*Profil:* folkevalgt"),
    ("møtevarsler 14d, 2d, 30m", "meeting_notices", (14 * DAY, 2 * DAY, timedelta(minutes=30)),
     "*Varsler før hvert møte:* 14 dager, 2 dager og 30 minutter"),
    ("møtevarsler ingen", "meeting_notices", (), "*Varsler før hvert møte:* ingen"),
    ("fristvarsler 3d,0d,2t", "deadline_pings", (3 * DAY, timedelta(hours=2), timedelta(0)),
     "*Påminnelser før hver frist:* 3 dager, 2 timer og samme dag"),
    ("påminnelse 12h", "vote_reminder", timedelta(hours=12), "12 timer før møtet"),
    ("faste saker Godkjenning av innkalling og dagsorden type: godkjenning forslag: Styret godkjenner "
     "innkalling og dagsorden.; Eventuelt (sist)", "standing_items",
     (StandingItem("Godkjenning av innkalling og dagsorden", "Godkjenning",
                   "Styret godkjenner innkalling og dagsorden."), StandingItem("Eventuelt", last=True)),
     "1. Godkjenning av innkalling og dagsorden – Godkjenning, forslag til vedtak «Styret godkjenner"),
    ("faste-saker Eventuelt (sist); Orientering fra leder type: Orientering", "standing_items",
     (StandingItem("Eventuelt", last=True), StandingItem("Orientering fra leder", "Orientering")),
     "1. Eventuelt – sist\n    2. Orientering fra leder – Orientering"),
    ("faste-saker ingen", "standing_items", (), "*Faste saker i nye møter:* ingen"),
    ("åpen nei", "readable", False, "*Åpent for andre enn medlemmene:* nei, bare medlemmene"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "field", "value", "shown"), GOOD, ids=[g[0][:30] for g in GOOD])
def test_each_setting_is_changed_by_the_secretariat(
    empty_bot: RunningBot, text: str, field: str, value: object, shown: str
) -> None:
    said = _said(_motebot(empty_bot, "innstillinger " + text))
    assert said.startswith(":white_check_mark: Endret for *") and shown in said
    body = empty_bot.installation.store.bodies.in_channel(HERE)
    assert body is not None and getattr(body, field) == value


def test_standard_goes_back_to_the_installations_default(empty_bot: RunningBot) -> None:
    for setting in ("møtevarsler 3d", "fristvarsler 1d", "påminnelse 2h", "faste-saker Eventuelt"):
        _motebot(empty_bot, "innstillinger " + setting, user=LEDER)
    for setting in ("møtevarsler", "fristvarsler", "påminnelse", "faste-saker"):
        assert "_(standard)_" in _said(_motebot(empty_bot, f"innstillinger {setting} standard", user=LEDER))
    body = empty_bot.installation.store.bodies.in_channel(HERE)
    assert body is not None
    assert (body.meeting_notices, body.deadline_pings, body.vote_reminder, body.standing_items) == (None,) * 4
    again = _said(_motebot(empty_bot, "innstillinger påminnelse standard", user=LEDER))
    assert again.startswith("Styringsgruppen for Akson hadde den innstillingen allerede.")


BAD = [
    ("", "Skriv innstillingen og den nye verdien, for eksempel `/motebot innstillinger møtevarsler 7d,1d,1h`."),
    ("farge blå", "Møtebot har ingen innstilling som heter «farge». Innstillingene er navn, kortnavn, målform,"),
    ("møtevarsler", "Skriv den nye verdien etter «møtevarsler», for eksempel `/motebot innstillinger møtevarsler "
     "7d,1d,1h`, eller `standard` for Møtebots standard."),
    ("navn standard", "Et navn har ingen standard: skriv selve navnet"),
    ("navn " + "x" * 101, "Navnet er for langt (101 tegn; høyst 100)."),
    ("kortnavn Æble", "«Æble» kan ikke være et kortnavn: skriv 2 til 30 små bokstaver a–z"),
    ("kortnavn 2020", "«2020» kan ikke være et kortnavn"),
    ("kortnavn ny", "«ny» er et ord kommandoene bruker; velg et annet kortnavn."),
    ("målform engelsk", "«engelsk» er ikke en målform. Skriv `nb` (bokmål) eller `nn` (nynorsk)."),
    ("profil kommune", "«kommune» er ikke en profil. Skriv en av disse: administrativt, folkevalgt."),
    ("møtevarsler 7 dager", "«7 dager» er ikke en liste over hvor lenge før. Skriv for eksempel `7d,1d,1h`"),
    ("fristvarsler " + ",".join(f"{n}d" for n in range(1, 12)), "Det er 11 tidspunkter; det kan være høyst 10."),
    ("påminnelse 0d", "«0d» er ikke en tid før møtet. Skriv for eksempel `1d`"),
    ("faste-saker type: Godkjenning", "Fast sak 1: Saken mangler tittel."),
    ("faste-saker Eventuelt; Åpning type: Møte", "Fast sak 2: Ukjent sakstype «Møte»."),
    ("faste-saker A forslag: x forslag: y", "Fast sak 1 har «forslag:» to ganger."),
    ("faste-saker " + "; ".join(f"Sak {n}" for n in range(11)), "Det er 11 faste saker; det kan være høyst 10."),
    ("åpen kanskje", "Skriv `åpen ja` (andre enn medlemmene kan lese) eller `åpen nei`."),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[b[0][:30] for b in BAD])
def test_a_bad_value_is_refused_with_how_to_write_it(empty_bot: RunningBot, text: str, expected: str) -> None:
    before = db_bytes(empty_bot.store)
    assert _said(_motebot(empty_bot, f"innstillinger {text}".strip())).startswith(expected)
    assert db_bytes(empty_bot.store) == before


def test_someone_who_may_not_change_it_hears_that_first(empty_bot: RunningBot) -> None:
    before = db_bytes(empty_bot.store)
    for text in ("innstillinger møtevarsler 3d", "innstillinger møtevarsler tre dager", "innstillinger"):
        said = _said(_motebot(empty_bot, text, user=MEDLEM))
        assert said == (
            "Bare lederen, nestlederen og sekretariatet i Styringsgruppen for Akson og Møtebots administratorer "
            "kan endre innstillingene."
        )
    assert db_bytes(empty_bot.store) == before


def test_a_short_name_or_a_name_another_body_has_is_refused(empty_bot: RunningBot) -> None:
    _create_ehelse(empty_bot)
    before = db_bytes(empty_bot.store)
    said = _said(_motebot(empty_bot, "innstillinger kortnavn e-helsestyre"))
    assert said == "Nasjonalt e-helsestyre har allerede kortnavnet «e-helsestyre»."
    said = _said(_motebot(empty_bot, "innstillinger navn Nasjonalt e-helsestyre"))
    assert said.startswith("Det finnes allerede et organ som heter Nasjonalt e-helsestyre")
    assert db_bytes(empty_bot.store) == before
    assert "`/dagsorden styret`" in _said(_motebot(empty_bot, "innstillinger kortnavn styret"))
    assert "Innstillinger for Styringsgruppen for Akson" in _said(
        _motebot(empty_bot, "styret", user=ADMIN, channel=EHELSE)
    )


def test_new_offsets_replan_what_is_posted(bot: RunningBot) -> None:
    woken: list[bool] = []
    bot.installation.wakeup.listen(lambda: woken.append(True), plans_only=True)
    _motebot(bot, "innstillinger møtevarsler 1d")
    assert woken
    bot.motebot.ticker.tick()  # 24 June 08:00: the week-before notice of 4/20 is not planned any more
    assert not [c for c in bot.standin.calls_to("chat.postMessage") if "Møte 4/20" in _posted(c.params)]
    bot.clock.advance(6 * DAY)  # 30 June 08:00: the day before
    bot.motebot.ticker.tick()
    [notice] = [c for c in bot.standin.calls_to("chat.postMessage") if "Møte 4/20" in _posted(c.params)]
    assert notice.params["channel"] == HERE and "er i morgen" in _posted(notice.params)


def test_a_body_moves_with_its_meetings_and_numbers_and_its_notices_go_to_the_new_channel(bot: RunningBot) -> None:
    bot.standin.add_channel("C0NYKANAL", private=True)
    assert _motebot(bot, "flytt akson", channel="C0NYKANAL").body == ""
    told = _told(bot)
    assert (
        "*Styringsgruppen for Akson* er flyttet hit fra <#C0STYRING>. Møtene, saksnumrene, avstemningene og fristene"
        in told
    )
    assert "MOTEBOT_CHANNEL peker fortsatt på den gamle kanalen: sett den til `C0NYKANAL`" in told
    body = bot.installation.store.bodies.named("akson")
    assert body is not None and body.channel == "C0NYKANAL" and not body.public_channel
    agenda = bot.slack.command("/dagsorden", "", user_id=MEDLEM, fields={"channel_id": "C0NYKANAL"})
    assert "17/20" in agenda.all_text() and "Eventuelt" in agenda.all_text()
    added = bot.slack.command(
        "/dagsorden", "ny 4/20 Orientering Flyttet kanal", user_id=SEKRETARIAT, fields={"channel_id": "C0NYKANAL"}
    )
    assert "20/20" in added.all_text()  # numbered on from 19/20: the numbers came along
    bot.motebot.ticker.tick()  # 24 June 08:00: the week-before notice of 4/20, in the new channel
    [notice] = [c for c in bot.standin.calls_to("chat.postMessage") if "Møte 4/20" in _posted(c.params)]
    assert notice.params["channel"] == "C0NYKANAL"
    assert not [c for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == HERE]


def test_a_move_needs_the_bot_in_the_new_channel_and_a_channel_of_its_own(empty_bot: RunningBot) -> None:
    bot = empty_bot
    before = db_bytes(bot.store)
    _motebot(bot, "flytt akson", channel="C0UKJENT")
    assert _told(bot) == NOT_IN
    _create_ehelse(bot)
    before = db_bytes(bot.store)
    said = _said(_motebot(bot, "flytt akson", user=ADMIN, channel=EHELSE))
    assert said.startswith("Denne kanalen hører til Nasjonalt e-helsestyre. En kanal har plass til ett organ")
    assert db_bytes(bot.store) == before


def test_a_bodys_manager_cannot_change_or_move_another_body(empty_bot: RunningBot) -> None:
    bot = empty_bot
    _create_ehelse(bot)
    ehelse_secretary = "U0EHSEKR1"
    bot.slack.command("/medlemmer", f"leggtil <@{ehelse_secretary}> sekretariat", user_id=ADMIN,
                      fields={"channel_id": EHELSE})  # fmt: skip
    assert "Endret for" in _said(_motebot(bot, "innstillinger målform nn", user=ehelse_secretary, channel=EHELSE))
    before = db_bytes(bot.store)
    refusals = [
        _motebot(bot, "innstillinger målform nn", user=SEKRETARIAT, channel=EHELSE),  # not a member there
        _motebot(bot, "akson innstillinger målform nn", user=ehelse_secretary, channel=EHELSE),
        _motebot(bot, "innstillinger målform nn", user=ehelse_secretary, channel=HERE),
        _motebot(bot, "flytt e-helsestyre", user=LEDER, channel="C0TREDJE"),
    ]
    assert [_said(reply) for reply in refusals] == [
        "Berre medlemene av Nasjonalt e-helsestyre har tilgang til dette.",  # the body's målform (now nynorsk)
        "Bare lederen, nestlederen og sekretariatet i Styringsgruppen for Akson og Møtebots administratorer "
        "kan endre innstillingene.",
        "Bare lederen, nestlederen og sekretariatet i Styringsgruppen for Akson og Møtebots administratorer "
        "kan endre innstillingene.",
        "Bare lederen, nestlederen og sekretariatet i Nasjonalt e-helsestyre og Møtebots administratorer "
        "kan flytte organet.",
    ]
    bot.settle()
    assert db_bytes(bot.store) == before


def test_opprett_binds_the_body_an_import_made_before_there_was_a_channel(
    settings: Settings, clock: ManualClock, tmp_path: Path
) -> None:
    """`motebot import` into a new database makes one body without a channel (only_body)."""
    fresh = {"motebot_db": tmp_path / "import.json", "motebot_workspace": settings.motebot_workspace + "I"}
    unbound = settings.model_copy(update={"motebot_channel": None, **fresh})
    with open_store(unbound) as store:
        installation = unbound.installation(store, clock)
        imported = motebot.only_body(installation, "Styringsgruppen")
        asker = Asker(ADMIN, "C0AKSON")
        command = motebot.parse("opprett Styringsgruppen for Akson")
        assert motebot.run(installation, asker, command) == motebot.CheckChannel(command, "C0AKSON")
        facts = motebot.run(installation, asker, command, motebot.ChannelFacts("C0AKSON", member=True, private=False))
        assert isinstance(facts, motebot.Created) and facts.bound
        [body] = installation.bodies()
        assert (body.id, body.calendar_token) == (imported.id, imported.calendar_token)
        assert (body.name, body.short_name, body.channel) == ("Styringsgruppen for Akson", "akson", "C0AKSON")
        assert body.readable and facts.settings.secretariat == (ADMIN,)  # as SECURITY.md says: readable as before
        assert "Alle i arbeidsområdet kan lese møtene, som før" in _read(json.loads(view.render(facts).json))


def test_the_standing_items_read_back_from_how_they_are_shown() -> None:
    items = (
        StandingItem("Godkjenning av innkalling og dagsorden", "Godkjenning", "Styret godkjenner: innkalling."),
        StandingItem("Orientering (fast)", "Orientering"),
        StandingItem("Eventuelt", last=True),
    )
    written = motebot.standing_items_written(items)
    assert motebot.parse(f"innstillinger faste-saker {written}") == motebot.Change(
        "faste-saker", "standing_items", items, None, f"innstillinger faste-saker {written}"
    )


def test_help(empty_bot: RunningBot) -> None:
    said = _said(_motebot(empty_bot, "hjelp", user=STRANGER))
    assert said.startswith("*Slik bruker du /motebot*")
    assert "`faste-saker Godkjenning av innkalling og dagsorden type: Godkjenning forslag:" in said
