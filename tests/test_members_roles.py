"""/medlemmer over the real Bolt app: one role per person, one leder and one nestleder, the nestleder chairing
when the leder has forfall, and a body that keeps its last secretariat."""

from __future__ import annotations

from datetime import timedelta

from bot.core.domain import Role, Serial
from tests.durable import db_bytes
from tests.support import LEDER, MEDLEM, OBSERVATOR, SEKRETARIAT, RunningBot

MEETING = Serial(2020, 4)
KARI, OLA, PER = "U0KARI001", "U0OLA0001", "U0PER0001"


def _medlemmer(bot: RunningBot, text: str, user_id: str = SEKRETARIAT) -> str:
    return bot.slack.command("/medlemmer", text, user_id=user_id).all_text()


def _refused(bot: RunningBot, text: str, answer: str, user_id: str = SEKRETARIAT) -> None:
    before = db_bytes(bot.store)
    shown = _medlemmer(bot, text, user_id)
    assert answer in shown, shown
    assert db_bytes(bot.store) == before


def test_a_new_role_replaces_the_old_one_and_the_answer_says_so(bot: RunningBot) -> None:
    assert "<@U0KARI001> er lagt til som vara." in _medlemmer(bot, f"leggtil <@{KARI}|kari> vara")
    assert "<@U0KARI001> var vara og er nå medlem." in _medlemmer(bot, f"leggtil <@{KARI}|kari> medlem")
    assert bot.store.roster.get().roles_of(KARI) == {Role.MEDLEM}
    assert "<@U0KARI001> er allerede medlem." in _medlemmer(bot, f"leggtil <@{KARI}|kari> medlem")
    shown = _medlemmer(bot, "", user_id=MEDLEM)
    assert shown.count("<@U0KARI001>") == 1 and "*Vara (i den rekkefølgen de spørres):* _ingen_" in shown


def test_added_people_are_named_in_the_plural_or_the_singular(bot: RunningBot) -> None:
    both = _medlemmer(bot, f"leggtil <@{KARI}|kari> <@{OLA}> medlem")
    assert "<@U0KARI001> og <@U0OLA0001> er lagt til som medlemmer." in both
    mixed = _medlemmer(bot, f"leggtil <@{PER}> <@{KARI}> observatør")
    assert "<@U0PER0001> er lagt til som observatør. <@U0KARI001> var medlem og er nå observatør." in mixed
    bot.slack.command("/motebot", "målform nn", user_id=SEKRETARIAT)
    nynorsk = _medlemmer(bot, "leggtil <@U0NY00001> <@U0NY00002> medlem")
    assert "<@U0NY00001> og <@U0NY00002> er lagde til som medlemer." in nynorsk


def test_a_second_leder_is_refused_until_the_first_is_replaced(bot: RunningBot) -> None:
    _refused(bot, f"leggtil <@{KARI}> leder", f"<@{LEDER}> er leder, og et organ har én leder. Fjern <@{LEDER}>")
    _refused(bot, f"leggtil <@{KARI}> <@{OLA}> leder", "Et organ har én leder.")
    _refused(bot, f"leggtil <@{MEDLEM}> leder", "eller gjør <@U0LEDER01> til nestleder med `/medlemmer leggtil`")
    assert f"<@{LEDER}> var leder og er nå nestleder." in _medlemmer(bot, f"leggtil <@{LEDER}> nestleder")
    assert f"<@{KARI}> er lagt til som leder." in _medlemmer(bot, f"leggtil <@{KARI}> leder")
    _refused(bot, f"leggtil <@{OLA}> nestleder", f"<@{LEDER}> er nestleder, og et organ har én nestleder.")
    roster = bot.store.roster.get()
    assert roster.chair() == KARI and roster.holding(Role.NESTLEDER) == (LEDER,)


def test_the_nestleder_chairs_when_the_leder_has_forfall(bot: RunningBot) -> None:
    _medlemmer(bot, f"leggtil <@{KARI}> nestleder")
    assert "Forfall til møte 4/20" in bot.slack.command("/forfall", "4/20 Syk", user_id=LEDER).all_text()
    bot.settle()
    bot.slack.command("/avstemning", "17/20", user_id=SEKRETARIAT)  # before the meeting, in the channel
    bot.settle()
    [vote] = bot.store.votes.all()
    assert vote.chair == KARI
    bot.clock.advance(timedelta(days=7, minutes=55))  # 1 July 08.55
    assert "Møte 4/20 er satt" in bot.slack.command("/mote", "start", user_id=SEKRETARIAT).all_text()
    session = bot.store.sessions.get(MEETING)
    assert session is not None and session.chair == KARI


def test_the_last_secretariat_stays_until_another_is_added(bot: RunningBot) -> None:
    only = f"<@{SEKRETARIAT}> er organets eneste sekretariat"
    _refused(bot, f"fjern <@{SEKRETARIAT}>", only)  # itself
    _refused(bot, f"fjern <@{SEKRETARIAT}>", only, user_id=LEDER)
    _refused(bot, f"leggtil <@{SEKRETARIAT}> medlem", only)
    _refused(bot, f"leggtil <@{OBSERVATOR}> <@{SEKRETARIAT}> observatør", "`/medlemmer leggtil @navn sekretariat`")
    _medlemmer(bot, f"leggtil <@{KARI}> sekretariat")
    assert f"<@{SEKRETARIAT}> er fjernet" in _medlemmer(bot, f"fjern <@{SEKRETARIAT}>", user_id=KARI)


def test_a_member_stored_with_two_roles_keeps_the_first_in_the_listing_order(bot: RunningBot) -> None:
    """Data from when a member could hold two roles reads as one, without a migration: a seat before a vara's
    place or the secretariat."""
    with bot.store.transaction():
        bot.store.roster.set_roles(KARI, [Role.VARA, Role.MEDLEM])
        bot.store.roster.set_roles(OLA, [Role.SEKRETARIAT, Role.OBSERVATOR])
    roster = bot.store.roster.get()
    assert roster.roles_of(KARI) == {Role.MEDLEM} and roster.can_vote(KARI) and KARI not in roster.substitutes(MEDLEM)
    assert roster.role_of(OLA) is Role.SEKRETARIAT
    shown = _medlemmer(bot, "", user_id=MEDLEM)
    assert shown.count("<@U0KARI001>") == 1 and shown.count("<@U0OLA0001>") == 1
    assert "<@U0KARI001> var medlem og er nå vara." in _medlemmer(bot, f"leggtil <@{KARI}> vara")


def test_a_member_stored_as_member_and_secretariat_keeps_both_until_a_role_is_set(bot: RunningBot) -> None:
    """Upgraded data: the secretariat who was also a member neither loses the vote nor the right to manage."""
    with bot.store.transaction():
        bot.store.roster.set_roles(KARI, [Role.MEDLEM, Role.SEKRETARIAT])
    roster = bot.store.roster.get()
    assert roster.can_vote(KARI) and roster.can_manage(KARI) and KARI in roster.secretariat()
    assert "<@U0KARI001> var medlem og er nå medlem" not in _medlemmer(bot, f"leggtil <@{KARI}> medlem")
    assert bot.store.roster.get().roles_of(KARI) == {Role.MEDLEM}  # a role set: one role from now on


def test_the_member_list_and_a_removal_name_the_body_not_a_steering_group(bot: RunningBot) -> None:
    """Every body's own name: e-helsestyret is not «Styringsgruppen»."""
    from tests.support import EHELSE_CHANNEL, EHELSE_SEKR, add_ehelse, in_channel

    add_ehelse(bot)
    here = in_channel(EHELSE_CHANNEL)
    listed = bot.slack.command("/medlemmer", "", user_id=EHELSE_SEKR, fields=here).all_text()
    assert "Medlemmene i Nasjonalt e-helsestyre" in listed and "Styringsgruppen" not in listed
    removed = bot.slack.command("/medlemmer", "fjern <@U0LEDER01|l>", user_id=EHELSE_SEKR, fields=here).all_text()
    assert "er fjernet fra Nasjonalt e-helsestyre" in removed, removed
