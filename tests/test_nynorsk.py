"""Nynorsk beside bokmål: a complete `nn` catalog in one consistent form choice, the same placeholders as `nb`,
and a body whose målform is nynorsk reading nynorsk.

språklova (LOV-2021-05-21-42) § 14: state bodies shall answer a nynorsk-writing municipality in nynorsk and
offer self-service in both målformer; § 10: public bodies use both.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from babel.messages.pofile import read_po

from bot.core.i18n import catalog_path
from tests.support import LEDER, MEDLEM, SEKRETARIAT, RunningBot

# Word forms that are bokmål only: none of them may stand in what a nynorsk reader gets.
BOKMAL_ONLY = ["ikke", "hvem", "hvis", "også", "møtested", "forslag til vedtak", "tirsdag", "lørdag", "ble",
               "jeg", "hva", "hvordan", "hvilke", "hvilket", "noen", "bare", "fra", "vedtaksført", "til stede",
               "møteleder", "dere", "deres", "mye", "påminnelse", "stemmeliste"]  # fmt: skip
_WORDS = "|".join(re.escape(word) for word in BOKMAL_ONLY)
_BOKMAL = re.compile(rf"(?<![\wæøå])({_WORDS})(?![\wæøå])", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CODE = re.compile(r"`[^`]*`")  # commands and keywords, which both målformer accept as written


def _catalog(language: str) -> dict[str, tuple[str, ...]]:
    with catalog_path(language).open("rb") as file:
        return {
            (m.id[0] if isinstance(m.id, tuple) else m.id): (m.string if isinstance(m.string, tuple) else (m.string,))
            for m in read_po(file)
            if m.id
        }  # fmt: skip


def test_every_nynorsk_entry_has_the_placeholders_of_bokmal() -> None:
    nb, nn = _catalog("nb"), _catalog("nn")
    assert nb.keys() == nn.keys()
    for key, forms in nn.items():
        for nb_form, nn_form in zip(nb[key], forms, strict=False):
            assert set(_PLACEHOLDER.findall(nn_form)) == set(_PLACEHOLDER.findall(nb_form)), key


def test_no_nynorsk_entry_has_a_bokmal_only_word_form() -> None:
    found = {
        key: hit[0]
        for key, forms in _catalog("nn").items()
        for form in forms
        if (hit := _BOKMAL.search(_CODE.sub("", form)))
    }
    assert not found, found


def _nynorsk_body(bot: RunningBot) -> None:
    answer = bot.slack.command("/motebot", "innstillinger målform nn", user_id=SEKRETARIAT).all_text()
    assert "nn" in answer or "nynorsk" in answer, answer


def _written_by_members(bot: RunningBot) -> list[str]:
    """What the seed's notice says (in bokmål, as its secretariat wrote it): data, not Møtebot's words."""
    store = bot.store
    texts: list[str] = []
    for meeting in store.meetings.all():
        texts += [meeting.title, meeting.location or "", meeting.body or ""]
        for case in meeting.cases:
            texts += [case.title, case.proposal or "", case.decision or "", case.presenter or ""]
    texts += [d.what for d in store.deadlines.all()] + [d.body or "" for d in store.deadlines.all()]
    for stream in store.work_streams.all():
        texts += [stream.title, *(u.text for u in stream.updates)]
    return sorted((t for t in texts if t), key=len, reverse=True)


def _readable(text: str, bot: RunningBot | None = None) -> str:
    """What Møtebot itself wrote: without the commands in backticks and without the members' own texts."""
    text = " ".join(_CODE.sub("", text).split())
    for data in _written_by_members(bot) if bot else []:
        text = text.replace(" ".join(data.split()), " ")
    return text


SURFACES = [("/dagsorden", "4/20"), ("/moteplan", ""), ("/frister", ""), ("/status", ""), ("/medlemmer", ""),
            ("/forfall", "4/20 oversikt")]  # fmt: skip


@pytest.mark.parametrize(("command", "text"), SURFACES)
def test_a_nynorsk_body_reads_nynorsk(bot: RunningBot, command: str, text: str) -> None:
    _nynorsk_body(bot)
    shown = bot.slack.command(command, text, user_id=MEDLEM).all_text()
    bot.settle()
    assert not _BOKMAL.search(_readable(shown, bot)), _readable(shown, bot)


def test_a_nynorsk_bodys_vote_and_notice_are_nynorsk(bot: RunningBot) -> None:
    _nynorsk_body(bot)
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    bot.settle()
    bot.clock.advance(timedelta(days=6, hours=1))  # the notices before the meeting fall due
    bot.motebot.ticker.tick()
    bot.settle()
    posts = [json.dumps(c.params, ensure_ascii=False) for c in bot.standin.calls_to("chat.postMessage")]
    assert posts
    for post in posts:
        text = " ".join(str(b) for b in json.loads(post).get("blocks", []))
        assert not _BOKMAL.search(_readable(text, bot)), _readable(text, bot)[:400]
    assert any("Framlegg til vedtak" in post for post in posts)


@pytest.mark.parametrize(
    ("command", "text", "said"),
    [
        ("/dagsorden", "endra 18/20 tittel Status for arbeidet", "har fått tittelen"),
        ("/dagsorden", "ny 4/20 Avgjerd Val av leiar", "Sak 20/20"),
        ("/frister", "ny 01.09.2020 Rapport frå arbeidsgruppa", "Frist"),
        ("/moteplan", "alle", "4/20"),
        ("/status", "oppdater 1 Arbeidet går etter planen", "1"),
        ("/forfall", "4/20 oversikt", "4/20"),
    ],
)
def test_nynorsk_words_are_understood(bot: RunningBot, command: str, text: str, said: str) -> None:
    """språklova § 14: a member who writes nynorsk is understood: «endra», «utset», «Avgjerd» work as «endre» …"""
    answer = bot.slack.command(command, text, user_id=SEKRETARIAT).all_text()
    assert said in answer and "Forstod ikke" not in answer and "Ukjent" not in answer, answer


def test_a_deadline_is_postponed_with_utset(bot: RunningBot) -> None:
    bot.slack.command("/frister", "ny 01.09.2020 Rapport frå arbeidsgruppa", user_id=SEKRETARIAT)
    first = bot.store.deadlines.all()[0]
    later = first.due.replace(year=first.due.year + 1).strftime("%d.%m.%Y")
    answer = bot.slack.command("/frister", f"utset {first.id} {later}", user_id=SEKRETARIAT).all_text()
    stored = bot.store.deadlines.get(first.id)
    assert stored is not None and stored.due.year == first.due.year + 1, answer


def test_a_member_reads_their_own_answers_in_their_malform_and_the_channel_the_bodys(bot: RunningBot) -> None:
    """språklova § 14 on self-service in both målformer: `/motebot målform nn` in a bokmål body."""
    chosen = bot.slack.command("/motebot", "målform nn", user_id=LEDER).all_text()
    assert "Svara berre du les, er no på nynorsk" in chosen
    agenda = bot.slack.command("/dagsorden", "4/20", user_id=LEDER).all_text()
    assert "Framlegg til vedtak" in agenda and not _BOKMAL.search(_readable(agenda, bot))
    assert "Forslag til vedtak" in bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    bot.settle()
    [post] = [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0STYRING"]
    assert "Forslag til vedtak" in json.dumps(post, ensure_ascii=False)  # the channel reads the body's bokmål
    again = bot.slack.command("/motebot", "målform standard", user_id=LEDER).all_text()
    assert "Svarene dine følger igjen målformen til hvert organ" in again
    assert "Forslag til vedtak" in bot.slack.command("/dagsorden", "4/20", user_id=LEDER).all_text()


def test_what_only_the_member_reads_follows_their_own_malform(bot: RunningBot) -> None:
    """A DM (a vara's question, a vote reminder) and the Home tab are the member's own: their målform."""
    vara = "U0VARA001"
    bot.slack.command("/medlemmer", f"leggtil <@{vara}|v> vara", user_id=SEKRETARIAT)
    bot.slack.command("/motebot", "målform nn", user_id=vara)
    bot.slack.command("/forfall", "4/20 Sjuk", user_id=MEDLEM)
    bot.settle()
    [question] = [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "D0VARA001"]
    shown = json.dumps(question, ensure_ascii=False)
    assert "Eg kan møte" in shown and "Eg kan ikkje" in shown
    told = [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "D0SEKR001"]
    assert "har meldt forfall" in json.dumps(told[-1], ensure_ascii=False)  # the secretariat: the body's bokmål
    assert "Varaen <@U0VARA001> er spurt" in json.dumps(told[-1], ensure_ascii=False)
