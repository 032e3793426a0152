"""The meeting plan and the notices before each meeting: commands over signed HTTP, the planner, the clock."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.domain import Meeting, Serial
from bot.core.notices.reader import read_notice
from bot.core.planner import due_now, newest_only, plan_meetings
from bot.run.settings import StandingItem
from bot.slack.views import OPEN_APPROVAL_ACTION
from bot.usecases.innkalling import import_notices
from storage.protocol import BodyRecordsP
from tests.durable import db_bytes
from tests.processes import motebot
from tests.support import (
    LEDER,
    MEDLEM,
    OSLO,
    SEED,
    SEKRETARIAT,
    STRANGER,
    RunningBot,
    confirmed,
    posted_once_across_a_restart,
    running_bot,
)

DAY, HOUR = timedelta(days=1), timedelta(hours=1)
NOTICES = [7 * DAY, DAY, HOUR]


def _import_seed(bot: RunningBot) -> None:
    import_notices(bot.services, "test", [read_notice(SEED)])


def test_the_plan_after_importing_the_seed(empty_bot: RunningBot) -> None:
    _import_seed(empty_bot)
    text = empty_bot.slack.command("/moteplan", "alle", user_id=MEDLEM).all_text()
    assert "*Møte 4/20* · onsdag 1. juli 2020 · kl. 09.00–10.30 · Styringsgruppemøte for Akson" in text
    assert "*Møte 5/20* · torsdag 17. september 2020 · 2 timer · nettmøte · Styringsgruppemøte for Akson" in text
    assert text.index("Møte 4/20") < text.index("Møte 5/20")
    _import_seed(empty_bot)
    assert len(empty_bot.store.meetings.all()) == 2  # the plan's meeting is not made twice


def test_a_new_meeting_is_numbered_next_with_the_standing_items(bot: RunningBot) -> None:
    reply = bot.slack.command(
        "/moteplan", "ny 17.09.2020 09.00-11.00 Styringsgruppemøte for Akson", user_id=SEKRETARIAT
    )
    assert "Møte 5/20 er lagt inn: torsdag 17. september 2020 kl. 09.00–11.00 (sted ikke oppgitt)" in reply.all_text()
    meeting = bot.store.meetings.get(Serial(2020, 5))
    assert meeting is not None and not meeting.web and meeting.location is None
    assert [(str(c.number), c.title, c.case_type and c.case_type.value, c.proposal) for c in meeting.cases] == [
        ("20/20", "Godkjenning av innkalling og dagsorden", "Godkjenning",
         "Styringsgruppen godkjenner innkalling og dagsorden."),
        ("21/20", "Eventuelt", None, None),
    ]  # fmt: skip
    reply = bot.slack.command("/moteplan", "ny 1.10.2020 12.00 - 13.00 Ekstramøte sted: Oslo", user_id=LEDER)
    assert "Møte 6/20" in reply.all_text() and "(Oslo)" in reply.all_text()
    text = bot.slack.command("/moteplan").all_text()
    assert "*Møte 6/20* · torsdag 1. oktober 2020 · kl. 12.00–13.00 · Oslo · Ekstramøte" in text


def test_standing_items_are_configurable(settings, standin, clock) -> None:  # type: ignore[no-untyped-def]
    settings = settings.model_copy(
        update={"motebot_standing_items": [StandingItem(title="Referatsaker", type="Orientering")]}
    )
    with running_bot(settings, standin, clock, seeded=True) as bot:
        bot.slack.command("/moteplan", "ny 17.09.2020 09.00-11.00 Møte", user_id=SEKRETARIAT)
        assert [c.title for c in bot.store.meetings.get(Serial(2020, 5)).cases] == ["Referatsaker"]  # type: ignore[union-attr]


def test_a_meeting_at_the_same_time_as_another_gets_a_warning(bot: RunningBot) -> None:
    reply = bot.slack.command("/moteplan", "ny 1.7.2020 10.00-11.00 Ekstra", user_id=SEKRETARIAT)
    assert "Møte 4/20 er samme dag kl. 09.00–10.30; tidene overlapper." in reply.all_text()
    reply = bot.slack.command("/moteplan", "ny 1.7.2020 11.00-12.00 Etterpå", user_id=SEKRETARIAT)
    assert ":warning:" not in reply.all_text()


def test_moving_and_cancelling(bot: RunningBot) -> None:
    bot.slack.command("/moteplan", "ny 17.09.2020 09.00-11.00 Møte", user_id=SEKRETARIAT)
    reply = bot.slack.command("/moteplan", "flytt 5/20 24.09.2020 10.00-12.00", user_id=SEKRETARIAT)
    assert (
        "Møte 5/20 er flyttet fra torsdag 17. september kl. 09.00 til torsdag 24. september 2020 kl. 10.00–12.00"
        in (reply.all_text())
    )
    assert "er avlyst" in confirmed(bot, "/moteplan", "avlys 5/20", LEDER)
    assert "Møte 5/20" not in bot.slack.command("/moteplan").all_text()
    assert "~*Møte 5/20*" in bot.slack.command("/moteplan", "alle").all_text()
    assert "allerede avlyst" in bot.slack.command("/moteplan", "avlys 5/20", user_id=LEDER).all_text()


@pytest.mark.parametrize(
    ("user_id", "text", "answer"),
    [
        (
            MEDLEM,
            "ny 17.09.2020 09.00-11.00 Møte",
            "Bare lederen, nestlederen, sekretariatet og administratorene kan endre møteplanen",
        ),
        (STRANGER, "avlys 4/20", "Bare lederen, nestlederen, sekretariatet og administratorene kan endre møteplanen"),
        (SEKRETARIAT, "ny 31.09.2020 09.00-11.00 Møte", "«31.09.2020» er ikke en gyldig dato"),
        (SEKRETARIAT, "ny 17.09.2020 11.00-09.00 Møte", "Møtet må slutte etter at det begynner"),
        (SEKRETARIAT, "ny 17.09.2020 25.00-26.00 Møte", "er ikke gyldige klokkeslett"),
        (SEKRETARIAT, "ny 17.09.2020 09.00 Møte", "Det mangler når møtet slutter"),
        (SEKRETARIAT, "ny 17.09.2020 09.00-11.00", "Møtet mangler tittel"),
        (SEKRETARIAT, "ny 1.6.2020 09.00-11.00 Møte", "er passert. Velg en tid fram i tid"),
        (SEKRETARIAT, "flytt 9/20 24.09.2020 10.00-12.00", "Fant ikke møte 9/20"),
        (SEKRETARIAT, "flytt fem 24.09.2020 10.00-12.00", "«fem» er ikke et møtenummer"),
        (SEKRETARIAT, "avlys 9/20", "Fant ikke møte 9/20"),
        (SEKRETARIAT, "utsett 4/20", "Ukjent underkommando «utsett»"),
    ],
)
def test_bad_input_and_refusals_change_nothing(bot: RunningBot, user_id: str, text: str, answer: str) -> None:
    before = db_bytes(bot.store)
    assert answer in bot.slack.command("/moteplan", text, user_id=user_id).all_text()
    assert db_bytes(bot.store) == before


def test_holidays_get_a_warning(bot: RunningBot) -> None:
    bot.clock.advance(timedelta(days=300))
    reply = bot.slack.command("/moteplan", "ny 17.05.2021 09.00-11.00 Møte", user_id=SEKRETARIAT)
    assert "Mandag 17. mai 2021 er grunnlovsdagen, en offentlig fridag. Er datoen riktig?" in reply.all_text()
    reply = bot.slack.command("/moteplan", "flytt 1/21 13.05.2021 09.00-11.00", user_id=SEKRETARIAT)
    assert "er Kristi himmelfartsdag, en offentlig fridag" in reply.all_text()
    reply = bot.slack.command("/moteplan", "flytt 1/21 25.05.2021 09.00-11.00", user_id=SEKRETARIAT)
    assert ":warning:" not in reply.all_text()


# The notice planner: pure, an injected clock.


def _meeting(day: date, start: time | None = time(9, 0), **changes: object) -> Meeting:
    return replace(Meeting(Serial(2020, 5), "Møte", day, start, time(11, 0) if start else None), **changes)  # type: ignore[arg-type]


def test_notices_before_a_meeting_and_a_moved_one_gets_fresh_ones() -> None:
    meeting = _meeting(date(2020, 9, 17))
    planned = plan_meetings([meeting], NOTICES, OSLO)
    assert [p.at for p in planned] == [
        datetime(2020, 9, 10, 8, 0, tzinfo=OSLO),
        datetime(2020, 9, 16, 8, 0, tzinfo=OSLO),
        datetime(2020, 9, 17, 8, 0, tzinfo=OSLO),
    ]
    sent = {p.key for p in planned[:2]}
    moved = plan_meetings([replace(meeting, day=date(2020, 9, 24))], NOTICES, OSLO)
    assert not sent & {p.key for p in moved}
    assert due_now(moved, sent, datetime(2020, 9, 17, 12, 0, tzinfo=OSLO)) == [moved[0]]  # the new week-before
    no_time = plan_meetings([_meeting(date(2020, 9, 17), None, duration=2 * HOUR)], NOTICES, OSLO)
    assert len(no_time) == 2  # "an hour before" waits until it has a time


def test_a_cancelled_meeting_gets_one_cancellation_notice_while_ahead() -> None:
    cancelled = _meeting(date(2020, 9, 17), cancelled_at=datetime(2020, 9, 1, 12, 0, tzinfo=OSLO))
    [notice] = plan_meetings([cancelled], NOTICES, OSLO)
    assert notice.kind == "meeting-cancelled"
    assert due_now([notice], set(), datetime(2020, 9, 1, 12, 0, tzinfo=OSLO)) == [notice]
    assert due_now([notice], {notice.key}, datetime(2020, 9, 2, 12, 0, tzinfo=OSLO)) == []
    assert due_now([notice], set(), datetime(2020, 9, 17, 10, 0, tzinfo=OSLO)) == []


@pytest.mark.parametrize(
    ("start", "offset", "expected"),
    [
        (datetime(2020, 3, 30, 9, 0), DAY, datetime(2020, 3, 29, 8, 0)),  # last Sunday of March
        (datetime(2020, 3, 29, 9, 0), 7 * DAY, datetime(2020, 3, 22, 8, 0)),
        (datetime(2020, 3, 29, 3, 30), HOUR, datetime(2020, 3, 29, 1, 30)),  # an hour across the gap
        (datetime(2020, 10, 26, 9, 0), DAY, datetime(2020, 10, 25, 8, 0)),  # last Sunday of October
        (datetime(2020, 10, 25, 9, 0), HOUR, datetime(2020, 10, 25, 8, 0)),
        (datetime(2020, 10, 25, 3, 0), 2 * HOUR, datetime(2020, 10, 25, 2, 0)),  # the repeated hour, first time
    ],
)
def test_notices_across_daylight_saving_changes(start: datetime, offset: timedelta, expected: datetime) -> None:
    [notice] = plan_meetings([_meeting(start.date(), start.time())], [offset], OSLO)
    assert notice.at.astimezone(OSLO).replace(tzinfo=None) == expected
    assert notice.expires == start.replace(tzinfo=OSLO)
    elapsed = start.replace(tzinfo=OSLO).astimezone(UTC) - notice.at.astimezone(UTC)  # aware maths: in UTC
    assert elapsed == offset or offset >= DAY


def test_several_notices_due_at_once_collapse_to_the_newest() -> None:
    planned = plan_meetings([_meeting(date(2020, 9, 17))], NOTICES, OSLO)
    send, superseded = newest_only(due_now(planned, set(), datetime(2020, 9, 17, 8, 30, tzinfo=OSLO)))
    assert [d.at.day for d in send] == [17] and len(superseded) == 2


def _channel_posts(bot: RunningBot) -> list[str]:
    return [json.dumps(c.params, ensure_ascii=False) for c in bot.standin.calls_to("chat.postMessage")
            if c.params.get("channel") == "C0STYRING"]  # fmt: skip


def test_notices_through_the_ticker_exactly_once_across_a_restart(bot: RunningBot, settings, standin) -> None:  # type: ignore[no-untyped-def]
    bot.motebot.ticker.tick()  # 24 June 08:00: the week-before notice of 4/20 is due now
    bot.settle()
    [notice] = _channel_posts(bot)
    assert "Møte 4/20* er om 7 dager: *onsdag 1. juli 2020 kl. 09.00–10.30*" in notice
    assert "17/20 09.00 – Godkjenning av innkalling og dagsorden" in notice
    assert "Start avstemning om dagsordenen" in notice
    bot.motebot.stop()
    bot.store.close()
    with running_bot(settings, standin, bot.clock, seeded=False) as again:
        again.motebot.ticker.tick()
        assert len(_channel_posts(again)) == 1
        again.clock.advance(6 * DAY + 3 * HOUR)  # 30 June 11:00: the day-before notice, three hours late
        again.motebot.ticker.tick()
        assert "Varselet kommer for sent; det skulle ha vært sendt 30.06.2020 kl. 08.00." in _channel_posts(again)[-1]
        again.clock.advance(DAY)  # 1 July 11:00: the meeting has begun; the hour-before is not sent late
        again.motebot.ticker.tick()
        assert len([p for p in _channel_posts(again) if "Møte 4/20*" in p]) == 2


def test_the_notice_button_opens_the_approval_vote_for_the_leder_only(bot: RunningBot) -> None:
    bot.click(MEDLEM, OPEN_APPROVAL_ACTION, "4/20")
    bot.settle()
    assert (
        bot.standin.calls_to("response_url")[-1].params["text"].startswith("Bare lederen, nestlederen og sekretariatet")
    )
    bot.click(LEDER, OPEN_APPROVAL_ACTION, "4/20")
    bot.settle()
    assert bot.store.votes.all(open_only=True)[0].case == Serial(2020, 17)
    assert "Avstemning: Sak 17/20" in _channel_posts(bot)[-1]


def test_a_move_is_announced_once(bot: RunningBot) -> None:
    bot.slack.command("/moteplan", "flytt 4/20 2.7.2020 09.00-10.30", user_id=SEKRETARIAT)
    bot.motebot.ticker.tick()
    bot.motebot.ticker.tick()
    moved = [p for p in _channel_posts(bot) if "er flyttet fra onsdag 1. juli kl. 09.00 til" in p]
    assert len(moved) == 1 and "torsdag 2. juli 2020 kl. 09.00–10.30" in moved[0]


def test_a_cancellation_notice_goes_out_once(bot: RunningBot) -> None:
    confirmed(bot, "/moteplan", "avlys 4/20")
    bot.motebot.ticker.tick()
    bot.motebot.ticker.tick()
    posts = _channel_posts(bot)
    assert len([p for p in posts if "er avlyst" in p]) == 1
    assert not [p for p in posts if "er om 7 dager" in p]  # a cancelled meeting gets no notices


def test_real_scheduler_sends_a_notice_at_a_short_offset_and_not_again_after_a_restart(settings, standin) -> None:  # type: ignore[no-untyped-def]
    def setup(store: BodyRecordsP, soon: datetime) -> None:
        store.meetings.save([Meeting(Serial(soon.year, 9), "Kort møte", soon.date(), soon.time())])

    notices = lambda: len([c for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == "C0STYRING"])  # noqa: E731
    changed = settings.model_copy(update={"motebot_meeting_notices": "1m", "motebot_deadline_pings": "1m"})
    posted_once_across_a_restart(changed, standin, setup, notices)


def test_console_from_24_june_to_2_july_prints_the_rhythm_in_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = motebot("console", "--demo", "--now", "2020-06-24T08:00", cwd=tmp_path, stdin=":vent 8d\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    order = [
        "Møte 4/20 er om 7 dager",
        "fristen er fredag 3. juli 2020 (om 7 dager)",
        "Møte 4/20 er i morgen",
        "Møte 4/20 er i dag",
        "fristen er fredag 3. juli 2020 (i morgen)",
    ]
    positions = [out.index(expected) for expected in order]
    assert positions == sorted(positions), out
    assert "(Klokka er torsdag 2. juli 2020 kl. 08.00.)" in out


def test_a_calendar_file_slack_refuses_is_explained_to_the_one_who_asked(bot: RunningBot) -> None:
    """Refused most likely because the bot is not in the channel: only the response_url reaches the member there."""
    bot.standin.fail_next("files.getUploadURLExternal", 400)
    assert "deles i kanalen" in bot.slack.command("/moteplan", "ical", user_id=MEDLEM).all_text()
    bot.settle()
    [told] = bot.standin.calls_to("response_url")
    assert told.params["text"] == "Kunne ikke dele kalenderfilen her. Er Møtebot invitert til kanalen?"
    assert told.params["response_type"] == "ephemeral" and not bot.standin.calls_to("files.completeUploadExternal")


def test_an_elected_bodys_notice_offers_no_vote_before_the_meeting(bot: RunningBot) -> None:
    """kommuneloven § 11-2: an elected body decides in its meetings; the notice has no [Start avstemning]."""
    bot.slack.command("/motebot", "innstillinger profil folkevalgt", user_id=SEKRETARIAT)
    bot.motebot.ticker.tick()
    bot.settle()
    [notice] = _channel_posts(bot)
    assert "Møte 4/20* er om 7 dager" in notice and "Start avstemning om dagsordenen" not in notice
