"""Nynorsk beside bokmål: a complete `nn` catalog in one consistent form choice, the same placeholders as `nb`,
and a body whose målform is nynorsk reading nynorsk.

språklova (LOV-2021-05-21-42) § 14: state bodies shall answer a nynorsk-writing municipality in nynorsk and
offer self-service in both målformer; § 10: public bodies use both.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.domain import Serial
from bot.core.i18n import catalog_path
from bot.slack.views import VOTE_ACTIONS
from tests.processes import motebot
from tests.support import LEDER, MEDLEM, SEKRETARIAT, RunningBot

ROOT = Path(__file__).parents[1]

# Word forms that are bokmål only: none of them may stand in what a nynorsk reader gets.
BOKMAL_ONLY = ["ikke", "hvem", "hvis", "også", "møtested", "forslag til vedtak", "tirsdag", "lørdag", "ble",
               "jeg", "hva", "hvordan", "hvilke", "hvilket", "noen", "bare", "fra", "vedtaksført", "til stede",
               "møteleder", "dere", "deres", "mye", "påminnelse", "stemmeliste", "bruker"]  # fmt: skip
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


SURFACES = [("/dagsorden", "4/20"), ("/dagsorden", "hjelp"), ("/frister", "hjelp"), ("/mote", "hjelp"),
            ("/motebot", "hjelp"), ("/frister", "mine"),
            ("/moteplan", ""), ("/frister", ""), ("/status", ""), ("/medlemmer", ""),
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
        ("/dagsorden", "endra 18/20 framlegg Styringsgruppa tek saka til orientering.", "nytt forslag"),
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


def _said(bot: RunningBot, *, after: int = 0) -> str:
    """What Møtebot answered through response_url (a click's ephemeral answer) since call `after`."""
    return " ".join(json.dumps(c.params, ensure_ascii=False) for c in bot.standin.calls_to("response_url")[after:])


def test_a_click_is_answered_in_the_members_malform_and_the_vote_message_in_the_bodys(bot: RunningBot) -> None:
    """språklova § 14: the answer to a click is the member's own; the vote's message stays the channel's."""
    bot.slack.command("/motebot", "målform nn", user_id=MEDLEM)
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    bot.settle()
    [vote] = bot.store.votes.all()
    bot.click(MEDLEM, VOTE_ACTIONS["for"], str(vote.id))
    bot.settle()
    bot.click(MEDLEM, VOTE_ACTIONS["for"], str(vote.id))  # again: told they already voted so
    bot.settle()
    said = _readable(_said(bot), bot)
    assert said and not _BOKMAL.search(said), said
    updated = json.dumps([c.params for c in bot.standin.calls_to("chat.update")], ensure_ascii=False)
    assert "Forslag til vedtak" in updated and "Framlegg til vedtak" not in updated


def test_what_the_member_changes_is_kept_in_the_bodys_malform(bot: RunningBot) -> None:
    """A history line, a vote's events and the decision are the body's records, whoever wrote them."""
    bot.slack.command("/motebot", "målform nn", user_id=SEKRETARIAT)
    answer = bot.slack.command("/dagsorden", "endra 18/20 tittel Status for arbeidet", user_id=SEKRETARIAT)
    assert "har fått tittelen" in answer.all_text()  # the answer: nynorsk
    meeting = next(m for m in bot.store.meetings.all() if m.case(Serial.parse("18/20") or Serial(0, 0)))
    [change] = [c for c in bot.store.meetings.history(meeting.number) if "Status for arbeidet" in c.summary]
    assert "fikk tittelen" in change.summary, change.summary  # the record: the body's bokmål


def test_slacks_locale_is_the_first_guess(bot: RunningBot) -> None:
    """A member whose Slack is set to nynorsk reads nynorsk from their next answer on, without choosing."""
    bot.standin.locales[MEDLEM] = "nn-NO"
    first = bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()
    bot.settle()  # Slack is asked after the first answer, not before it
    assert "Forslag til vedtak" in first
    again = bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()
    assert "Framlegg til vedtak" in again
    bot.slack.command("/motebot", "målform nb", user_id=MEDLEM)  # a choice made beats Slack's guess
    assert "Forslag til vedtak" in bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()
    bot.slack.command("/motebot", "målform standard", user_id=MEDLEM)  # the body's bokmål, not Slack's nynorsk
    assert "Forslag til vedtak" in bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()


def _strings(value: object) -> list[str]:
    """Every string in a Slack payload, a view or a file: what a reader can be shown."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value) if value[:1] in "[{" else None
        except ValueError:
            parsed = None
        return _strings(parsed) if parsed is not None else [value]
    if isinstance(value, dict):
        return [
            s for key, v in value.items() if key not in ("action_id", "block_id", "value", "type") for s in _strings(v)
        ]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def test_every_surface_of_a_nynorsk_body_reads_nynorsk(bot: RunningBot) -> None:
    """språklova § 14 and the issue's «done when»: notices, a vote with its result and reminder, pings, the
    roll and case threads, the minutes (message and file), the App Home and the iCal feed, all in nynorsk."""
    from bot.slack.views.common import carrying
    from bot.slack.views.mote import ATTEND_ACTION
    from bot.usecases import moteplan

    _nynorsk_body(bot)
    meeting = Serial(2020, 4)
    bot.slack.command("/frister", "ny 30.06.2020 Rapport frå arbeidsgruppa", user_id=SEKRETARIAT)
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)  # before the meeting: its members are reminded
    bot.settle()
    for step in [timedelta(days=1)] * 7 + [timedelta(minutes=55)]:  # a week of notices, pings and reminders
        bot.clock.advance(step)  # … up to 1 July 08.55
        bot.motebot.ticker.tick()
        bot.settle()
    bot.slack.command("/mote", "start", user_id=LEDER)
    bot.click(MEDLEM, ATTEND_ACTION, carrying(bot.store.id, meeting))
    bot.settle()
    bot.slack.command("/mote", "neste", user_id=LEDER)
    votes = bot.store.votes.all()
    assert votes, bot.slack.command("/avstemning", "", user_id=LEDER).all_text()
    vote = votes[-1]
    bot.click(MEDLEM, VOTE_ACTIONS["for"], str(vote.id))
    bot.click(LEDER, "vote_close", str(vote.id))
    bot.settle()
    bot.slack.command("/mote", "hev", user_id=LEDER)
    bot.settle()
    event = {"type": "app_home_opened", "user": MEDLEM, "tab": "home", "channel": "D" + MEDLEM[1:]}
    assert bot.slack.event(event, event_id="EvHomeNN").status == 200
    bot.settle()
    body = bot.installation.store.bodies.get(bot.store.id)
    feed = moteplan.feed(bot.installation, body.calendar_token) if body and body.calendar_token else None

    shown: dict[str, list[str]] = {}
    for method in ("chat.postMessage", "chat.update", "response_url", "views.publish"):
        shown[method] = [" ".join(_strings(call.params)) for call in bot.standin.calls_to(method)]
    shown["files"] = [data.decode() for data in bot.standin.uploads.values() if not data.startswith(b"%PDF")]
    shown["feed"] = [feed.content.decode()] if feed else []
    assert all(shown.values()), str({k: len(v) for k, v in shown.items()})
    found = {
        method: hit[0]
        for method, texts in shown.items()
        for text in texts
        if (hit := _BOKMAL.search(_readable(text, bot)))
    }
    assert not found, found
    minutes = " ".join(shown["files"])
    assert "Møteprotokoll" in minutes and "stades" in minutes, minutes


def test_case_types_read_in_the_readers_malform(bot: RunningBot) -> None:
    """«Beslutning» is not nynorsk: a nynorsk body's agenda says «Vedtak» and «Innspel», and reads both."""
    bot.slack.command("/dagsorden", "ny 4/20 Avgjerd Val av nestleiar", user_id=SEKRETARIAT)
    bot.slack.command("/dagsorden", "ny 4/20 Innspel Innspel frå kommunane", user_id=SEKRETARIAT)
    bokmal = bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()
    assert "Beslutning" in bokmal and "Innspill" in bokmal, bokmal
    _nynorsk_body(bot)
    nynorsk = bot.slack.command("/dagsorden", "4/20", user_id=MEDLEM).all_text()
    assert "Vedtak" in nynorsk and "Innspel" in nynorsk and "Beslutning" not in nynorsk, nynorsk


def test_the_console_plays_a_nynorsk_bodys_meeting(tmp_path: Path) -> None:
    """bot/run/demo/ehelse_nynorsk.konsoll: Nasjonalt e-helsestyre's meeting, from its saksliste to its minutes
    and the Home tab, as `motebot console --demo` shows it; what Møtebot writes there is nynorsk."""
    script = (ROOT / "bot" / "run" / "demo" / "ehelse_nynorsk.konsoll").read_text(encoding="utf-8")
    done = motebot("console", "--demo", cwd=tmp_path, stdin=script)
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr
    # Møtebot's words in the e-helsestyre channel, the answers to its members and its Home (the console's own
    # words around them, and the Akson channel's bokmål, are left out)
    parts = re.split(r"^(\[[^\]\n]*\]|#\S+› .*)$", done.stdout, flags=re.MULTILINE)
    ours = [text for mark, text in zip(parts[1::2], parts[2::2], strict=True)
            if mark.startswith(("[#ehelsestyre", "[svar bare til deg]", "[Hjem-fanen", "#ehelsestyre› /"))]  # fmt: skip
    text = _readable("\n".join(ours))
    assert not _BOKMAL.search(text), _BOKMAL.search(text)
    for said in ("Framlegg til vedtak", "Påminning", "Møteleiar", "Vedteke", "# Møteprotokoll", "Til stades",
                 "Opne fristar"):  # fmt: skip
        assert said in text, said
    assert "motebot protokoll 1/20 --out FIL.pdf" in done.stdout


# Word forms that are nynorsk only: none may stand in what a bokmål body's channel reads or keeps.
NYNORSK_ONLY = ["ikkje", "røysting", "røystinga", "møteleiar", "framlegg", "vart", "saka", "berre", "kven", "frå",
                "heva", "stades", "vedteke", "medlemer", "dei", "eit", "ein", "sakslista"]  # fmt: skip
_NYNORSK = re.compile(rf"(?<![\wæøå])({'|'.join(NYNORSK_ONLY)})(?![\wæøå])", re.IGNORECASE)


def test_a_meeting_run_by_nynorsk_readers_leaves_a_bokmal_bodys_channel_and_records_in_bokmal(bot: RunningBot) -> None:
    """The leader and the secretariat read nynorsk; the body writes bokmål: whoever clicks or types, the channel's
    posts, the minutes, the agenda's history, the votes' events and the decisions are the body's."""
    from bot.slack.views.common import carrying
    from bot.slack.views.mote import ATTEND_ACTION

    for user in (LEDER, SEKRETARIAT):
        bot.slack.command("/motebot", "målform nn", user_id=user)
    meeting = Serial(2020, 4)
    moved = bot.slack.command("/dagsorden", "flytt 19/20 2", user_id=SEKRETARIAT).all_text()
    assert "Flytta" in moved or "flytta" in moved or "plass" in moved, moved
    bot.clock.advance(timedelta(days=7, minutes=55))
    bot.slack.command("/mote", "start", user_id=LEDER)
    bot.click(MEDLEM, ATTEND_ACTION, carrying(bot.store.id, meeting))
    bot.settle()
    bot.slack.command("/mote", "neste", user_id=LEDER)
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    bot.settle()
    vote = bot.store.votes.all()[-1]
    for user in (LEDER, MEDLEM):
        bot.click(user, VOTE_ACTIONS["for"], str(vote.id))
    bot.click(LEDER, "vote_close", str(vote.id))
    bot.settle()
    bot.slack.command("/mote", "hev", user_id=LEDER)
    bot.settle()
    kept: dict[str, list[str]] = {
        "posts": [" ".join(_strings(c.params)) for c in bot.standin.calls_to("chat.postMessage")
                  if str(c.params.get("channel", "")).startswith("C")],
        "updates": [" ".join(_strings(c.params)) for c in bot.standin.calls_to("chat.update")],
        "files": [data.decode() for data in bot.standin.uploads.values() if not data.startswith(b"%PDF")],
        "history": [change.summary for change in bot.store.meetings.history(meeting)],
        "events": [event.action for v in bot.store.votes.all() for event in bot.store.votes.events(v.id)],
        "decisions": [case.decision or "" for m in bot.store.meetings.all() for case in m.cases],
    }  # fmt: skip
    assert all(kept[k] for k in ("posts", "updates", "files", "history", "events", "decisions")), kept
    found = {k: hit[0] for k, texts in kept.items() for t in texts if (hit := _NYNORSK.search(_readable(t, bot)))}
    assert not found, found


def test_a_reminder_clicked_in_a_dm_stays_the_members_own(bot: RunningBot) -> None:
    """A nynorsk reader votes from their reminder in a bokmål body: the DM is redrawn in nynorsk, with a
    member's buttons, not replaced by the channel's message (bokmål, with the chair's [Avslutt])."""
    from bot.testing.slack_requests import block_action

    bot.slack.command("/motebot", "målform nn", user_id=MEDLEM)
    bot.slack.command("/avstemning", "17/20", user_id=LEDER)
    bot.settle()
    [vote] = bot.store.votes.all()
    bot.clock.advance(timedelta(days=6, hours=1))  # a day before the meeting: the reminder
    bot.motebot.ticker.tick()
    bot.settle()
    [dm] = [c for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == MEDLEM]
    click = block_action(MEDLEM, VOTE_ACTIONS["for"], str(vote.id), channel_id="D0MEDLEM1",
                         message_ts=str(dm.response["ts"]), ephemeral=False,
                         response_url=bot.standin.response_url("dm"))  # fmt: skip
    assert bot.slack.interaction(click).status == 200
    bot.settle()
    [redrawn] = [c.params for c in bot.standin.calls_to("chat.update") if c.params.get("channel") == "D0MEDLEM1"]
    shown = json.dumps(redrawn, ensure_ascii=False)
    assert "Framlegg til vedtak" in shown and '"vote_close"' not in shown
    channel = [c.params for c in bot.standin.calls_to("chat.update") if c.params.get("channel") == "C0STYRING"]
    assert channel and "Forslag til vedtak" in json.dumps(channel[-1], ensure_ascii=False)


def test_the_feed_of_a_nynorsk_body_gives_a_meetings_length_in_nynorsk(bot: RunningBot) -> None:
    """A meeting known by its length alone (the seed's «Møteplan»: 2 timer) is described in the body's målform."""
    from datetime import date

    from bot.core.domain import Meeting
    from bot.usecases import moteplan

    bot.store.meetings.save([Meeting(Serial(2020, 9), "Møte", date(2020, 9, 17), duration=timedelta(hours=2))])
    body = bot.installation.store.bodies.get(bot.store.id)
    assert body is not None
    assert "Varighet: 2 timer" in moteplan.feed(bot.installation, body.calendar_token).content.decode()  # type: ignore[union-attr]
    _nynorsk_body(bot)
    assert "Lengd: 2 timar" in moteplan.feed(bot.installation, body.calendar_token).content.decode()  # type: ignore[union-attr]


def test_home_gives_each_bodys_part_in_its_malform_and_a_refusal_in_the_bodys(bot: RunningBot) -> None:
    """A member of a bokmål and a nynorsk body, with no choice of their own: each body's part of Home in its
    målform. A non-member refused in a nynorsk body's channel is refused in nynorsk."""
    from tests.support import EHELSE_CHANNEL, add_ehelse, ehelse, in_channel

    add_ehelse(bot)  # LEDER is in both
    e_helse = ehelse(bot).own_body()
    assert e_helse is not None
    ehelse(bot).save_own_body(replace(e_helse, language="nn"))
    event = {"type": "app_home_opened", "user": LEDER, "tab": "home", "channel": "D0LEDER01"}
    assert bot.slack.event(event, event_id="EvHomeMixed").status == 200
    bot.settle()
    [published] = [c.params for c in bot.standin.calls_to("views.publish") if c.params["user_id"] == LEDER]
    shown = json.dumps(published["view"], ensure_ascii=False)
    akson, nynorsk = shown.split("Nasjonalt e-helsestyre", 1)
    assert "Åpne frister" in akson and "Opne fristar" in nynorsk and "Åpne frister" not in nynorsk
    refused = bot.slack.command("/dagsorden", "", user_id=MEDLEM, fields=in_channel(EHELSE_CHANNEL)).all_text()
    assert "Berre medlemene" in refused or "berre medlemene" in refused.lower(), refused
