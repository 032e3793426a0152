"""The minutes over the real Bolt app: a meeting held with forfall, a vara and an inhabil member, then its draft
written from the record, edited by the secretariat, and posted with the full minutes as files.

kommuneloven (LOV-2018-06-22-83) § 11-4: the møtebok holds at least the time and place of the meeting, who
attended and who was absent, the cases dealt with, every proposal put forward, and the result of each vote.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pdfplumber

from bot.core.attendance import Attendance
from bot.core.domain import Roster, Serial
from bot.core.minutes.draft import MeetingRecord, document
from bot.core.minutes.markdown import fingerprint, to_markdown
from bot.core.procedure import ADMINISTRATIVE, ELECTED
from bot.slack.views import VOTE_ACTIONS, VOTE_CLOSE_ACTION
from bot.slack.views.common import carrying
from bot.slack.views.forfall import VARA_ACCEPT_ACTION, carrying_seat
from bot.slack.views.mote import ATTEND_ACTION
from bot.slack.views.protokoll import APPROVE_MINUTES_ACTION, EDIT_CASE_ACTION
from bot.testing.slack_requests import view_submission
from tests.durable import db_bytes
from tests.processes import motebot
from tests.support import LEDER, MEDLEM, OBSERVATOR, SEED, SEKRETARIAT, RunningBot, seed_meeting

FOR, MOT, AVSTAR = VOTE_ACTIONS.values()
MEETING = Serial(2020, 4)
SECOND, THIRD = "U0KOMM002", "U0KOMM003"
VARA = "U0VARA001"


def _command(bot: RunningBot, command: str, text: str, user: str) -> str:
    reply = bot.slack.command(command, text, user_id=user)
    assert reply.status == 200
    bot.settle()
    return reply.all_text()


def _vote(bot: RunningBot, ballots: list[tuple[str, str]]) -> None:
    vote = bot.store.votes.all(open_only=True)[-1]
    for user, action in ballots:
        bot.click(user, action, str(vote.id))
    bot.click(LEDER, VOTE_CLOSE_ACTION, str(vote.id))
    bot.settle()


NAMES = {LEDER: "Lise Leder", MEDLEM: "Kari Nordmann", SECOND: "Ola Berg", THIRD: "Åse Øvre", VARA: "Per Vara",
         SEKRETARIAT: "Siri Sekretær", OBSERVATOR: "Omar Observatør"}  # fmt: skip


def _hold_the_meeting(bot: RunningBot) -> None:
    """Meeting 4/20 under kommuneloven: MEDLEM has forfall and VARA meets; SECOND is found inhabil in 18/20."""
    bot.standin.people.update(NAMES)
    _command(bot, "/motebot", "innstillinger profil folkevalgt", SEKRETARIAT)
    _command(bot, "/medlemmer", f"leggtil <@{SECOND}|b> medlem", SEKRETARIAT)
    _command(bot, "/medlemmer", f"leggtil <@{THIRD}|c> medlem gruppe Vinje kommune", SEKRETARIAT)
    _command(bot, "/medlemmer", f"leggtil <@{VARA}|v> vara for <@{MEDLEM}|m>", SEKRETARIAT)
    _command(bot, "/forfall", "4/20 Sykdom", MEDLEM)
    bot.click(VARA, VARA_ACCEPT_ACTION, carrying_seat(bot.store.id, MEETING, MEDLEM))
    bot.settle()
    bot.clock.advance(timedelta(days=7, minutes=55))  # 1 July 08.55
    _command(bot, "/mote", "start", LEDER)
    for user in (SECOND, THIRD, VARA, OBSERVATOR):
        bot.click(user, ATTEND_ACTION, carrying(bot.store.id, MEETING))
    bot.settle()
    bot.clock.advance(timedelta(minutes=5))
    _command(bot, "/mote", "neste", LEDER)
    _command(bot, "/avstemning", "17/20", LEDER)
    _vote(bot, [(LEDER, FOR), (SECOND, FOR), (THIRD, FOR), (VARA, MOT)])
    bot.clock.advance(timedelta(minutes=20))
    _command(bot, "/mote", "neste", LEDER)
    _command(bot, "/habilitet", "18/20 Jeg sitter i styret hos leverandøren", SECOND)
    _command(bot, "/habilitet", f"18/20 avgjør <@{SECOND}|b>", LEDER)
    _vote(bot, [(LEDER, FOR), (THIRD, FOR), (VARA, FOR)])
    _command(bot, "/avstemning", "18/20", LEDER)
    _vote(bot, [(LEDER, FOR), (THIRD, MOT), (VARA, FOR)])
    bot.clock.advance(timedelta(minutes=65))
    _command(bot, "/mote", "hev", LEDER)


def _uploaded(bot: RunningBot, suffix: str) -> str:
    names = [c.params.get("filename", "") for c in bot.standin.calls_to("files.getUploadURLExternal")]
    assert any(name.endswith(suffix) for name in names), names
    return "\n".join(data.decode("utf-8", "replace") for data in bot.standin.uploads.values())


def test_the_draft_holds_what_the_law_asks_of_a_mootebok(bot: RunningBot) -> None:
    """kommuneloven § 11-4: time and place, present and absent, the cases, every proposal, each vote's result
    (by name in an elected body); forvaltningsloven § 8: the habilitet ruling; § 7-10: the vara who met."""
    _hold_the_meeting(bot)
    posted = [json.dumps(c.params, ensure_ascii=False) for c in bot.standin.calls_to("chat.postMessage")]
    assert any("Møteprotokoll – Styringsgruppemøte for Akson" in p and "(utkast)" in p for p in posted)  # at hev
    answer = _command(bot, "/protokoll", "4/20", SEKRETARIAT)
    assert "Utkastet til protokoll fra møte 4/20 er lagt ut i kanalen" in answer
    assert "Saker uten vedtak: 19/20" in answer
    post = json.dumps(bot.standin.calls_to("chat.postMessage")[-1].params, ensure_ascii=False)
    assert "Møteprotokoll – Styringsgruppemøte for Akson, møte 4/20, onsdag 1. juli 2020 kl. 09.00–10.30" in post
    assert "Vedtak: Styringsgruppen godkjenner innkalling og dagsorden." in post
    text = _uploaded(bot, ".md")
    for wanted in (
        "**Tid:** onsdag 1. juli 2020 kl. 09.00–10.30 (satt kl. 08.55, hevet kl. 10.25)",
        "**Sted:**",
        "**Forfall:** Kari Nordmann",
        "**Vara:** Per Vara (for Kari Nordmann)",
        "**Møteleder:** Lise Leder",
        "**Sekretariat:** Siri Sekretær",
        "**Observatører:** Omar Observatør",
        "Sak 17/20 Godkjenning av innkalling og dagsorden",
        "**Forslag til vedtak:** Styringsgruppen godkjenner innkalling og dagsorden.",
        "For 3, mot 1.",
        "Mot: Per Vara",
        "Ola Berg sa fra om mulig inhabilitet: Jeg sitter i styret hos leverandøren.",
        "Organet fant Ola Berg inhabil",
        "Sak 18/20 Status for arbeidet med Akson",
        "For 2, mot 1.",
        "**Vedtak: Styringsgruppen godkjenner innkalling og dagsorden.**",
        "Sak 19/20 Eventuelt",
        "Ikke noe vedtak registrert ennå.",
        "Utkast, versjon 1",
    ):
        assert wanted in text, wanted
    assert "Sykdom" not in text  # the reason for forfall is for the secretariat, not the minutes


def test_the_secretariat_records_a_decision_and_a_note_and_members_read_it(bot: RunningBot) -> None:
    _hold_the_meeting(bot)
    _command(bot, "/protokoll", "4/20", SEKRETARIAT)
    said = _command(bot, "/protokoll", "4/20 vedtak 19/20 Ingen saker ble meldt under eventuelt.", SEKRETARIAT)
    assert "Vedtaket i sak 19/20 er skrevet inn i protokollen fra møte 4/20" in said
    _command(bot, "/protokoll", "4/20 notat 18/20 Prosjektleder orienterte om fremdriften.", SEKRETARIAT)
    minutes = bot.store.minutes.get(MEETING)
    assert minutes is not None and [e.actor for e in minutes.edits] == [SEKRETARIAT, SEKRETARIAT]
    shown = _command(bot, "/protokoll", "4/20", MEDLEM)  # a member reads it; nothing is posted for them
    assert "Vedtak: Ingen saker ble meldt under eventuelt." in shown
    assert "utkast (versjon 1)" in _command(bot, "/protokoll", "", MEDLEM)


def test_bad_protokoll_commands_change_nothing(bot: RunningBot) -> None:
    before = db_bytes(bot.store)
    for user, text, said in [
        (MEDLEM, "4/20", "Møte 4/20 har ingen protokoll ennå"),
        (MEDLEM, "4/20 vedtak 19/20 Noe", "Bare lederen, nestlederen og sekretariatet skriver protokollen"),
        (SEKRETARIAT, "4/20 vedtak 99/20 Noe", "Sak 99/20 står ikke på dagsordenen"),
        (SEKRETARIAT, "4/20 vedtak 19/20", "Teksten mangler"),
        (SEKRETARIAT, "4/20 rediger 19/20 x", "Skriv slik: `/protokoll 4/20 vedtak 18/20 tekst`"),
        (SEKRETARIAT, "9/20", "Fant ikke møte 9/20"),
        (SEKRETARIAT, "fire", "er ikke et møtenummer"),
    ]:
        assert said in _command(bot, "/protokoll", text, user), (text, said)
    assert db_bytes(bot.store) == before


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return " ".join(" ".join(page.extract_text() or "" for page in pdf.pages).split())  # lines wrap


def _pdfs(bot: RunningBot) -> list[bytes]:
    return [data for data in bot.standin.uploads.values() if data.startswith(b"%PDF")]


def _dms(bot: RunningBot, user: str) -> list[dict]:
    return [c.params for c in bot.standin.calls_to("chat.postMessage") if c.params.get("channel") == "D" + user[1:]]


def _decided(bot: RunningBot) -> None:
    _hold_the_meeting(bot)
    _command(bot, "/protokoll", "4/20", SEKRETARIAT)
    _command(bot, "/protokoll", "4/20 vedtak 19/20 Ingen saker ble meldt under eventuelt.", SEKRETARIAT)


def test_approved_by_the_signatories_the_minutes_are_locked_with_their_fingerprint(bot: RunningBot) -> None:
    _decided(bot)
    sent = _command(bot, "/protokoll", f"4/20 send <@{LEDER}|l> <@{THIRD}|c>", SEKRETARIAT)
    assert f"sendt til godkjenning til <@{LEDER}> og <@{THIRD}>" in sent
    [request] = _dms(bot, THIRD)
    shown = json.dumps(request, ensure_ascii=False)
    assert "Vil du godkjenne protokollen fra møte 4/20?" in shown and APPROVE_MINUTES_ACTION in shown
    value = next(e["value"] for b in request["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == APPROVE_MINUTES_ACTION)  # fmt: skip

    assert "Jeg har merknader" in shown
    said = _command(bot, "/protokoll", "4/20 merknad Navnet på leverandøren mangler.", THIRD)
    assert "Merknadene dine er sendt til sekretariatet" in said
    assert "Navnet på leverandøren mangler." in json.dumps(_dms(bot, SEKRETARIAT)[-1], ensure_ascii=False)

    bot.click(THIRD, APPROVE_MINUTES_ACTION, value)
    bot.settle()
    assert f"Venter på: <@{LEDER}>" in json.dumps(bot.standin.calls_to("response_url")[-1].params, ensure_ascii=False)
    bot.click(LEDER, APPROVE_MINUTES_ACTION, value)
    bot.click(LEDER, APPROVE_MINUTES_ACTION, value)  # twice: approved once
    bot.settle()
    minutes = bot.store.minutes.get(MEETING)
    assert minutes is not None and minutes.locked and len(minutes.approved) == 1
    approved = minutes.approved[0]
    assert approved.fingerprint == fingerprint(approved.document)
    post = json.dumps(bot.standin.calls_to("chat.postMessage")[-1].params, ensure_ascii=False)
    assert f"Godkjent og låst · SHA-256 {approved.fingerprint}" in post
    text = _pdf_text(_pdfs(bot)[-1])
    assert approved.fingerprint in text.replace(" ", "")  # the approved PDF's footer carries it
    for wanted in (
        "Møteprotokoll",
        "Oppmøte",
        "Forfall",
        "Kari Nordmann",
        "Per Vara (for Kari Nordmann)",
        "Ola Berg inhabil",
        "Sak 18/20",
        "Vedtak: Ingen saker ble meldt under eventuelt.",
        "Side 1 av",
    ):
        assert wanted in text, wanted

    before = db_bytes(bot.store)
    refused = _command(bot, "/protokoll", "4/20 notat 18/20 For sent.", SEKRETARIAT)
    assert "er godkjent og låst" in refused and db_bytes(bot.store) == before
    assert "godkjent (versjon 1)" in _command(bot, "/protokoll", "", MEDLEM)

    corrected = _command(bot, "/protokoll", "4/20 rett", SEKRETARIAT)
    assert "er et utkast igjen, som versjon 2; den godkjente versjonen blir stående" in corrected
    again = bot.store.minutes.get(MEETING)
    assert again is not None and again.version == 2 and again.approved == minutes.approved


def test_approved_by_the_next_meetings_vote(bot: RunningBot) -> None:
    _decided(bot)
    _command(bot, "/motebot", "innstillinger profil administrativt", SEKRETARIAT)
    _command(bot, "/moteplan", "ny 17.09.2020 09.00-11.00 Styringsgruppemøte sted: Oslo", SEKRETARIAT)
    _command(bot, "/dagsorden", "ny 5/20 Godkjenning Godkjenning av protokoll fra forrige møte", SEKRETARIAT)
    planned = bot.store.meetings.get(Serial(2020, 5))
    assert planned is not None
    case = next(c for c in planned.cases if "protokoll" in c.title)
    _command(bot, "/dagsorden", f"endre {case.number} forslag Protokollen fra møte 4/20 godkjennes.", SEKRETARIAT)
    _command(bot, "/avstemning", str(case.number), LEDER)
    _vote(bot, [(LEDER, FOR), (MEDLEM, FOR), (SECOND, FOR), (THIRD, FOR)])
    minutes = bot.store.minutes.get(MEETING)
    assert minutes is not None and minutes.locked
    vote = bot.store.votes.all()[-1]
    assert minutes.approved[0].by_vote == vote.id
    assert "Kari Nordmann" in to_markdown(minutes.approved[0].document)  # the names Slack gave when published
    bot.clock.advance(timedelta(minutes=3))
    bot.motebot.ticker.tick()  # approved by a vote: the ticker posts the approved minutes, once
    bot.settle()
    bot.motebot.ticker.tick()
    bot.settle()
    approved = [
        c
        for c in bot.standin.calls_to("chat.postMessage")
        if "Godkjent og låst" in json.dumps(c.params, ensure_ascii=False)
    ]
    assert len(approved) == 1


def test_minutes_edited_after_they_were_sent_are_a_new_version_to_approve(bot: RunningBot) -> None:
    _decided(bot)
    _command(bot, "/protokoll", f"4/20 send <@{LEDER}|l>", SEKRETARIAT)
    [request] = _dms(bot, LEDER)
    value = next(e["value"] for b in request["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == APPROVE_MINUTES_ACTION)  # fmt: skip
    _command(bot, "/protokoll", "4/20 notat 18/20 Et tillegg etter utsendelsen.", SEKRETARIAT)
    bot.click(LEDER, APPROVE_MINUTES_ACTION, value)  # the words they saw are not the minutes' any more
    bot.settle()
    said = json.dumps(bot.standin.calls_to("response_url")[-1].params, ensure_ascii=False)
    assert "Protokollen er endret etter at den ble sendt til deg" in said
    minutes = bot.store.minutes.get(MEETING)
    assert minutes is not None and minutes.version == 2 and not minutes.locked


def test_the_command_line_writes_the_same_minutes(tmp_path: Path) -> None:
    """`motebot protokoll 4/20 --out FIL.pdf`: the PDF (and with .md the Markdown) Slack gets."""
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    done = motebot("protokoll", "4/20", "--out", "protokoll.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Skrev protokollen fra møte 4/20 til protokoll.pdf." in done.stdout
    text = _pdf_text((tmp_path / "protokoll.pdf").read_bytes())
    assert "Møteprotokoll – Styringsgruppemøte for Akson, møte 4/20, onsdag 1. juli 2020 kl. 09.00–10.30" in text
    assert "Sak 18/20 Status for arbeidet med Akson" in text and "Side 1 av" in text
    assert motebot("protokoll", "4/20", "--out", "p.md", cwd=tmp_path).returncode == 0
    assert (tmp_path / "p.md").read_text(encoding="utf-8").startswith("# Møteprotokoll – Styringsgruppemøte for Akson")
    refused = motebot("protokoll", "9/20", cwd=tmp_path)
    assert refused.returncode != 0 and "Fant ikke møte 9/20" in refused.stderr and "Traceback" not in refused.stderr


def test_the_secretariat_edits_a_case_in_a_form(bot: RunningBot) -> None:
    _hold_the_meeting(bot)
    reply = bot.slack.command("/protokoll", "4/20", user_id=SEKRETARIAT)
    bot.settle()
    buttons = [e for b in json.loads(reply.body)["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [e["text"]["text"] for e in buttons] == ["Rediger 17/20", "Rediger 18/20", "Rediger 19/20"]
    bot.click(SEKRETARIAT, EDIT_CASE_ACTION, buttons[2]["value"])
    bot.settle()
    modal = bot.standin.calls_to("views.open")[-1].params["view"]
    modal = json.loads(modal) if isinstance(modal, str) else modal
    assert "Sak 19/20 Eventuelt" in json.dumps(modal, ensure_ascii=False)
    values = {
        "note": {"type": "plain_text_input", "value": "Ingen meldte saker."},
        "decision": {"type": "plain_text_input", "value": "Styringsgruppen tok orienteringene til etterretning."},
    }
    assert bot.slack.interaction(view_submission(SEKRETARIAT, modal, values)).status == 200
    bot.settle()
    minutes = bot.store.minutes.get(MEETING)
    assert minutes is not None
    assert [(e.kind.value, e.text) for e in minutes.edits] == [
        ("notat", "Ingen meldte saker."), ("vedtak", "Styringsgruppen tok orienteringene til etterretning.")
    ]  # fmt: skip
    said = json.dumps(bot.standin.calls_to("chat.postEphemeral")[-1].params, ensure_ascii=False)
    assert "Protokollen fra møte 4/20 er endret i sak 19/20" in said

    bot.click(SEKRETARIAT, EDIT_CASE_ACTION, buttons[0]["value"])  # decided by its vote: no decision field
    bot.settle()
    voted = json.dumps(bot.standin.calls_to("views.open")[-1].params, ensure_ascii=False)
    assert "tallene kan ikke endres" in voted and '"decision"' not in voted
    bot.click(MEDLEM, EDIT_CASE_ACTION, buttons[0]["value"])  # a member: refused, no form
    bot.settle()
    assert len(bot.standin.calls_to("views.open")) == 2


def test_a_remote_meeting_is_a_fjernmote_for_an_elected_body_and_a_nettmote_otherwise() -> None:
    """kommuneloven § 11-7: an elected body's meeting held online is a fjernmøte; the minutes say so."""
    online = replace(seed_meeting(), web=True)
    for profile, place in ((ELECTED, "Fjernmøte"), (ADMINISTRATIVE, "Nettmøte")):
        record = MeetingRecord("Kommunestyret", profile, online, None, Roster(), Attendance(), (), ())
        assert f"**Sted:** {place}" in to_markdown(document(record, {}))
