"""Deadlines and status: the seed's prose, /frister and /status over signed HTTP, and pings exactly once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from time import monotonic, sleep

import pytest

from bot.core.clock import ManualClock, SystemClock
from bot.core.domain import Deadline, DeadlineState
from bot.core.notices.reader import read_notice
from bot.core.planner import Due, due_now, newest_only, next_wake, plan_deadlines
from bot.usecases.innkalling import import_notices
from bot.usecases.schedule import plan_all
from storage.protocol import BodyRecordsP
from tests.durable import begun_then_crashed, db_bytes
from tests.support import (
    LEDER,
    MEDLEM,
    OSLO,
    SEED,
    SEKRETARIAT,
    STRANGER,
    RunningBot,
    posted_once_across_a_restart,
    running_bot,
)

DAY = timedelta(days=1)


def test_the_seeds_deadlines_and_status() -> None:
    notice = read_notice(SEED)
    found = {(d.what, d.due, d.body, d.earlier, d.postponed) for d in notice.deadlines}
    assert found == {
        ("Levere et notat til Helse- og omsorgsdepartementet som redegjør for status", date(2020, 7, 3),
         "Styringsgruppen", (), False),
        ("Intensjonserklæringer", date(2020, 7, 7), "Noen kommuner", (), True),
        ("Utarbeide et samlet veikart for e-helse", date(2020, 11, 1), "Direktoratet for e-helse",
         (date(2020, 10, 15),), True),
        ("Konkretisere veikart for e-helse i kontekst av Akson", date(2020, 11, 1), "Direktoratet for e-helse",
         (date(2020, 6, 30),), True),
    }  # fmt: skip
    assert all(d.case == "18/20" for d in notice.deadlines)
    assert [(s.number, s.title) for s in notice.streams] == [
        (1, "Ekstern kvalitetssikring (KS2)"),
        (2, "Intensjonserklæringer"),
        (3, "Forberedelser til etablering av selskapet Akson journal"),
        (4, "Veikart for e-helse"),
        (5, "Øvrige aktiviteter"),
    ]
    assert notice.streams[1].status == "56 prosent av kommunene (i innbyggertall) har pt. signert intensjonserklæringen"


def _import_seed(bot: RunningBot) -> None:
    import_notices(bot.services, "test", [read_notice(SEED)])


def test_frister_lists_open_deadlines_soonest_first_in_norwegian(bot: RunningBot) -> None:
    _import_seed(bot)
    text = bot.slack.command("/frister", user_id=MEDLEM).all_text()
    assert text.index("fredag 3. juli 2020* (om 9 dager)") < text.index("tirsdag 7. juli 2020* (om 13 dager)")
    assert (
        "Utarbeide et samlet veikart for e-helse – *søndag 1. november 2020* (om 130 dager) · "
        "utsatt fra 15. oktober 2020" in text
    )
    assert "Ansvar: Direktoratet for e-helse · sak 18/20" in text
    _import_seed(bot)  # a re-import adds nothing twice
    assert len(bot.store.deadlines.all()) == 4
    bot.clock.advance(timedelta(days=9, hours=1))
    text = bot.slack.command("/frister", user_id=MEDLEM).all_text()
    assert "(i dag)" in text and "(om 4 dager)" in text
    bot.clock.advance(DAY * 2)
    shown = bot.slack.command("/frister").all_text()  # not done: it stays, under its own heading
    assert shown.index("Fristen er gått ut") < shown.index("fredag 3. juli 2020* (fristen gikk ut for 2 dager siden)")
    assert "forfalt" not in shown  # in meetings, forfall is absence


def test_the_secretariat_adds_postpones_and_finishes(bot: RunningBot) -> None:
    reply = bot.slack.command(
        "/frister", "ny 3. juli 2020 12.00 Sende budsjett <@U0MEDLEM1|ola> ansvar: KS", user_id=SEKRETARIAT
    )
    assert "Frist nr. 1 er lagt inn: Sende budsjett – fredag 3. juli 2020 kl. 12.00" in reply.all_text()
    deadline = bot.store.deadlines.get(1)
    assert deadline is not None and deadline.users == (MEDLEM,) and deadline.body == "KS"
    for text in ("ny 03.07.2020 A", "ny 3.7.2020 B", "ny 2020-07-03 C", "ny 3.7.20 09:30 D"):
        assert "er lagt inn" in bot.slack.command("/frister", text, user_id=LEDER).all_text(), text
    assert (
        "utsatt til fredag 10. juli 2020"
        in bot.slack.command("/frister", "utsett 1 10.07.2020", user_id=SEKRETARIAT).all_text()
    )
    assert bot.store.deadlines.get(1).earlier == (date(2020, 7, 3),)  # type: ignore[union-attr]
    assert "er ferdig: Sende budsjett" in bot.slack.command("/frister", "ferdig 1", user_id=SEKRETARIAT).all_text()
    assert "Sende budsjett" not in bot.slack.command("/frister").all_text()
    everything = bot.slack.command("/frister", "alle").all_text()
    assert "Sende budsjett – *fredag 10. juli 2020 kl. 12.00* (ferdig) · utsatt fra 3. juli 2020" in everything
    assert "Ansvar: <@U0MEDLEM1> og KS" in everything


@pytest.mark.parametrize(
    ("user_id", "text", "answer"),
    [
        (
            MEDLEM,
            "ny 03.07.2020 Noe",
            "Bare lederen, nestlederen, sekretariatet og administratorene kan legge inn frister",
        ),
        (
            STRANGER,
            "ferdig 1",
            "Bare lederen, nestlederen, sekretariatet og administratorene kan merke frister som ferdige",
        ),
        (
            MEDLEM,
            "utsett 1 10.07.2020",
            "Bare lederen, nestlederen, sekretariatet og administratorene kan utsette frister",
        ),
        (SEKRETARIAT, "ny 31.02.2021 Noe", "«31.02.2021» er ikke en gyldig dato"),
        (SEKRETARIAT, "ny 1. juli 2019 Noe", "er passert. En frist må ligge fram i tid"),
        (SEKRETARIAT, "ny 03.07.2020", "Fristen mangler tekst"),
        (SEKRETARIAT, "ny 03.07.2020 <@U0MEDLEM1>", "Fristen mangler tekst"),
        (SEKRETARIAT, "ny neste torsdag Noe", "Det mangler en dato"),
        (SEKRETARIAT, "ny 03.07.2020 " + "x" * 5000, "Teksten er for lang (5000 tegn; høyst 200)"),
        (SEKRETARIAT, "utsett 9 10.07.2020", "Fant ikke frist nr. 9"),
        (SEKRETARIAT, "utsett en 10.07.2020", "«en» er ikke et fristnummer"),
        (SEKRETARIAT, "utsett 1 10.07.2020 kl 25", "«25» er ikke et klokkeslett"),
        (SEKRETARIAT, "utsett 1 1.7.2020", "Å utsette betyr å gi en senere frist"),
        (SEKRETARIAT, "utsett 1 1.7.2020", "`/frister endre 1 dato 01.07.2020`"),
        (SEKRETARIAT, "utsett 1 3.7.2020", "Frist nr. 1 er allerede fredag 3. juli 2020; ingenting er endret."),
        (SEKRETARIAT, "endre 1 farge rød", "Kan ikke endre «farge»"),
        (SEKRETARIAT, "endre 1 dato 1. juli 2019", "er passert"),
        (SEKRETARIAT, "endre 9 tekst Noe", "Fant ikke frist nr. 9"),
        (MEDLEM, "endre 1 tekst Noe", "Bare lederen, nestlederen, sekretariatet og administratorene kan endre frister"),
        (MEDLEM, "fjern 1", "Bare lederen, nestlederen, sekretariatet og administratorene kan fjerne frister"),
        (SEKRETARIAT, "fjern", "Skriv det slik: `/frister fjern 3`"),
        (SEKRETARIAT, "ferdig 9", "Fant ikke frist nr. 9"),
        (SEKRETARIAT, "slett 1", "Forstod ikke «slett»"),
    ],
)
def test_bad_input_and_refusals_change_nothing(bot: RunningBot, user_id: str, text: str, answer: str) -> None:
    bot.store.deadlines.add(Deadline(0, "Eksisterende", date(2020, 7, 3)))
    before = db_bytes(bot.store)
    reply = bot.slack.command("/frister", text, user_id=user_id)
    assert answer in reply.all_text()
    assert db_bytes(bot.store) == before


def test_mentions_in_the_text_are_inert(bot: RunningBot) -> None:
    bot.slack.command("/frister", "ny 03.07.2020 Varsle <!channel> om <https://evil.example|noe>", user_id=SEKRETARIAT)
    shown = bot.slack.command("/frister").body
    assert "<!channel>" not in shown and "<https://" not in shown
    assert "Varsle @channel om noe (https://evil.example)" in shown  # stored as plain text, the URL bare


def test_status_and_its_history(bot: RunningBot) -> None:
    _import_seed(bot)
    text = bot.slack.command("/status", user_id=MEDLEM).all_text()
    assert "*2. Intensjonserklæringer*\n56 prosent av kommunene (i innbyggertall) har pt. signert" in text
    assert "endret 24.06.2020 kl. 08.00" in text
    before = db_bytes(bot.store)
    assert (
        "Bare lederen, nestlederen, sekretariatet"
        in bot.slack.command("/status", "oppdater 2 Alle har signert", user_id=MEDLEM).all_text()
    )
    assert "Fant ikke arbeidsområde nr. 9" in bot.slack.command("/status", "oppdater 9 x", user_id=LEDER).all_text()
    assert "Statusen mangler tekst" in bot.slack.command("/status", "oppdater 2", user_id=LEDER).all_text()
    assert db_bytes(bot.store) == before
    bot.clock.advance(timedelta(hours=2))
    bot.slack.command("/status", "oppdater 2 Nå har 80 prosent signert", user_id=LEDER)
    text = bot.slack.command("/status").all_text()
    assert "Nå har 80 prosent signert _(endret 24.06.2020 kl. 10.00)_" in text
    history = bot.slack.command("/status", "historikk 2").all_text()
    assert history.index("56 prosent") < history.index("Nå har 80 prosent")


# The ping planner: pure, an injected clock, no waiting.

OFFSETS = [7 * DAY, DAY, timedelta(0)]


def _deadline(due: date, at: time | None = None, **changes: object) -> Deadline:
    return replace(Deadline(1, "Notat til HOD", due, at, body="Styringsgruppen"), **changes)  # type: ignore[arg-type]


def _before(planned: list[Due]) -> list[Due]:
    """The pings before a deadline, without the one when it passes."""
    return [due for due in planned if not due.key.endswith(":passed")]


def test_pings_fall_at_eight_on_the_days_before_and_hours_before_by_elapsed_time() -> None:
    planned = _before(plan_deadlines([_deadline(date(2020, 7, 3))], [*OFFSETS, timedelta(hours=2)], OSLO))
    assert [p.at for p in planned] == [
        datetime(2020, 6, 26, 8, 0, tzinfo=OSLO),
        datetime(2020, 7, 2, 8, 0, tzinfo=OSLO),
        datetime(2020, 7, 3, 8, 0, tzinfo=OSLO),
        datetime(2020, 7, 3, 14, 0, tzinfo=OSLO),  # two hours before the end of the working day
    ]
    assert len({p.key for p in planned}) == 4


@pytest.mark.parametrize(
    ("due", "offset", "expected"),
    [
        # Spring forward (29 March 2020, 02:00 → 03:00): a day is a calendar day.
        (datetime(2020, 3, 30, 12, 0), DAY, datetime(2020, 3, 29, 8, 0)),
        # Two hours before 03:30 on the night itself is two elapsed hours: 00:30 by the clock.
        (datetime(2020, 3, 29, 3, 30), timedelta(hours=2), datetime(2020, 3, 29, 0, 30)),
        # Fall back (25 October 2020, 03:00 → 02:00).
        (datetime(2020, 10, 26, 12, 0), DAY, datetime(2020, 10, 25, 8, 0)),
        (datetime(2020, 10, 25, 4, 0), timedelta(hours=3), datetime(2020, 10, 25, 2, 0)),
    ],
)
def test_pings_across_daylight_saving_changes(due: datetime, offset: timedelta, expected: datetime) -> None:
    [ping] = _before(plan_deadlines([_deadline(due.date(), due.time())], [offset], OSLO))
    assert ping.at == expected.replace(tzinfo=OSLO)
    assert ping.at.utcoffset() == expected.replace(tzinfo=OSLO).utcoffset()


def test_what_is_due_now_across_postponement_finish_and_restart() -> None:
    deadline = _deadline(date(2020, 7, 3))
    now = datetime(2020, 7, 2, 9, 0, tzinfo=OSLO)
    due = due_now(_before(plan_deadlines([deadline], OFFSETS, OSLO)), set(), now)
    send, superseded = newest_only(due)
    assert [d.at.day for d in send] == [2] and [d.at.day for d in superseded] == [26]
    done = {d.key for d in due}
    assert due_now(plan_deadlines([deadline], OFFSETS, OSLO), done, now) == []  # a restart repeats nothing
    moved = replace(deadline, due=date(2020, 7, 10), earlier=(deadline.due,))
    assert [d.at.date() for d in _before(plan_deadlines([moved], OFFSETS, OSLO))] == [
        date(2020, 7, 3), date(2020, 7, 9), date(2020, 7, 10),
    ]  # fmt: skip
    assert due_now(plan_deadlines([moved], OFFSETS, OSLO), done, now) == []  # the old date's pings are gone
    assert plan_deadlines([replace(deadline, state=DeadlineState.DONE)], OFFSETS, OSLO) == []
    after = datetime(2020, 7, 3, 16, 1, tzinfo=OSLO)
    assert due_now(plan_deadlines([deadline], OFFSETS, OSLO), set(), after) == []  # over, from before `since`
    made = replace(deadline, since=datetime(2020, 6, 24, 8, 0, tzinfo=OSLO))
    [passed] = due_now(plan_deadlines([made], OFFSETS, OSLO), set(), after)  # over: nothing late …
    assert passed.key.endswith(":passed") and passed.at == deadline.due_at(OSLO)  # … but that it has passed
    imported = replace(deadline, since=after)  # made (imported) after it had passed: not told it has
    assert due_now(plan_deadlines([imported], OFFSETS, OSLO), set(), after) == []


def _pings(bot: RunningBot, channel: str = "C0STYRING") -> list[str]:
    return [
        c.params["text"]
        for c in bot.standin.calls_to("chat.postMessage")
        if "Påminnelse" in c.params["text"] and c.params.get("channel") == channel
    ]


def test_pings_through_the_ticker_once_late_with_a_note_and_mentioning_the_responsible(bot: RunningBot) -> None:
    bot.slack.command("/frister", "ny 3.7.2020 Notat til HOD <@U0MEDLEM1>", user_id=SEKRETARIAT)
    ticker = bot.motebot.ticker
    bot.clock.advance(DAY * 2)  # 26 June 08:00: one week before
    ticker.tick()
    bot.settle()
    assert _pings(bot) == [
        ":alarm_clock: *Påminnelse:* Notat til HOD – fristen er fredag 3. juli 2020 (om 7 dager).\nAnsvar: <@U0MEDLEM1>"
    ]
    ticker.tick()
    assert len(_pings(bot)) == 1
    bot.clock.advance(DAY * 6 + timedelta(hours=3))  # 2 July 11:00: the day-before ping is three hours late
    ticker.tick()
    assert "(i morgen)" in _pings(bot)[-1]
    assert "Påminnelsen kommer for sent; den skulle ha vært sendt 02.07.2020 kl. 08.00." in _pings(bot)[-1]
    bot.slack.command("/frister", "ferdig 1", user_id=SEKRETARIAT)
    bot.clock.advance(DAY)
    ticker.tick()
    assert len(_pings(bot)) == 2  # finished: no more


def test_a_post_begun_before_a_crash_is_looked_up_not_repeated(bot: RunningBot) -> None:
    bot.slack.command("/frister", "ny 3.7.2020 Notat til HOD", user_id=SEKRETARIAT)
    bot.clock.advance(DAY * 2)
    [due] = [d for d in due_now(plan_all(bot.installation), set(), bot.clock.now()) if d.kind == "deadline-ping"]
    bot.motebot.ticker.tick()
    assert len(_pings(bot)) == 1
    begun_then_crashed(bot.store, due.key + ":channel", bot.clock.now())  # as if it crashed after posting …
    begun_then_crashed(bot.store, due.key, bot.clock.now())  # … before recording it
    bot.motebot.ticker.tick()
    assert len(_pings(bot)) == 1
    begun_then_crashed(bot.store, due.key + "x", bot.clock.now())  # harmless: a key that was never posted


def test_real_scheduler_pings_at_a_short_offset_and_not_again_after_a_restart(settings, standin) -> None:  # type: ignore[no-untyped-def]
    def setup(store: BodyRecordsP, soon: datetime) -> None:
        store.deadlines.add(Deadline(0, "Kort frist", soon.date(), soon.time()))

    pings = lambda: len([c for c in standin.calls_to("chat.postMessage") if "Påminnelse" in c.params["text"]])  # noqa: E731
    posted_once_across_a_restart(settings.model_copy(update={"motebot_deadline_pings": "1m"}), standin, setup, pings)


def test_a_ping_that_falls_due_while_another_is_being_sent_is_not_skipped(settings, standin) -> None:  # type: ignore[no-untyped-def]
    """The real scheduler: the first post takes two seconds, and the second ping falls due meanwhile."""
    clock = SystemClock(OSLO)
    soon = (clock.now() + timedelta(seconds=61)).replace(microsecond=0)  # a "1m" ping falls within 1 s
    pings = lambda: [c.params["text"] for c in standin.calls_to("chat.postMessage") if "Påminnelse" in c.params["text"]]  # noqa: E731
    quick = settings.model_copy(update={"motebot_deadline_pings": "1m"})
    with running_bot(quick, standin, clock, seeded=False) as bot:  # type: ignore[arg-type]
        bot.store.deadlines.add(Deadline(0, "Første frist", soon.date(), soon.time()))
        later = soon + timedelta(seconds=1)
        bot.store.deadlines.add(Deadline(0, "Andre frist", later.date(), later.time()))
        standin.slow_next("chat.postMessage", 2.0)
        bot.motebot.start_scheduler()
        until = monotonic() + 20
        while len(pings()) < 2 and monotonic() < until:
            sleep(0.02)
        texts = pings()
        assert len(texts) == 2 and "Første frist" in texts[0] and "Andre frist" in texts[1]


def _oslo(hour: int, minute: int, fold: int = 0) -> datetime:
    """25 October 2026, the night the clock goes back from 03:00 to 02:00: fold=1 is the second 02:xx."""
    return datetime(2026, 10, 25, hour, minute, tzinfo=OSLO, fold=fold)


def test_in_the_repeated_hour_what_is_due_is_decided_by_the_instant_not_the_wall_clock() -> None:
    """A ping at the second 02.30 is an hour after the first; Python compares same-zone times by wall clock."""
    [second] = _before(plan_deadlines([_deadline(date(2026, 10, 25), time(3, 0))], [timedelta(minutes=30)], OSLO))
    assert second.at.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02.30 the second time
    assert due_now([second], set(), _oslo(2, 45)) == []  # the first 02.45: still 45 minutes to go
    assert due_now([second], set(), _oslo(2, 30, fold=1)) == [second]
    [first] = _before(plan_deadlines([_deadline(date(2026, 10, 25), time(2, 30))], [timedelta(minutes=30)], OSLO))
    assert due_now([first], set(), _oslo(2, 15, fold=1)) == []  # the deadline (the first 02.30) is past
    assert next_wake([second, first], set(), _oslo(1, 0)) == first.at
    # Both wall-clock 02.30, an hour apart: oldest first, and the newest is the one sent.
    offsets = [timedelta(minutes=90), timedelta(minutes=30)]
    both = _before(plan_deadlines([_deadline(date(2026, 10, 25), time(3, 0))], offsets, OSLO))
    assert [p.at.fold for p in both] == [0, 1]
    assert due_now(both, set(), _oslo(2, 40, fold=1)) == both
    assert newest_only(both) == ([both[1]], [both[0]])


def test_the_ticker_sends_a_ping_for_the_second_0230_at_the_second_0230(settings, standin) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(_oslo(0, 0))
    pings = lambda: [c.params["text"] for c in standin.calls_to("chat.postMessage") if "Påminnelse" in c.params["text"]]  # noqa: E731
    half_hour = settings.model_copy(update={"motebot_deadline_pings": "30m"})
    with running_bot(half_hour, standin, clock, seeded=False) as bot:
        bot.store.deadlines.add(Deadline(0, "Nattfrist", date(2026, 10, 25), time(3, 0)))  # 03.00 CET
        clock.advance(timedelta(hours=2, minutes=30))
        assert clock.now() == _oslo(2, 30) and clock.now().fold == 0
        bot.motebot.ticker.tick()
        bot.settle()
        assert pings() == []  # an hour early
        clock.advance(timedelta(hours=1))
        assert clock.now().fold == 1
        bot.motebot.ticker.tick()
        bot.settle()
        assert len(pings()) == 1 and "for sent" not in pings()[0]


def test_the_scheduler_sleeps_the_elapsed_time_until_the_second_0230(settings, standin) -> None:  # type: ignore[no-untyped-def]
    """APScheduler sleeps for its job's run time minus its own now in the group's zone: two times in one
    zone subtract by the wall clock, so a wake at the second 02.30 came 30 minutes after 02.00, not 90,
    and the ticker then woke again and again for an hour.

    The night is one the real clock will not reach: APScheduler runs a job whose time it thinks is past at
    once, and the ticker re-adds it, so from 25 October 2026 on the job came and went under the test."""
    clock = ManualClock(_oslo(2, 0).replace(year=2082))  # 25 October 2082 is that night too
    half_hour = settings.model_copy(update={"motebot_deadline_pings": "30m"})
    with running_bot(half_hour, standin, clock, seeded=False) as bot:
        bot.store.deadlines.add(Deadline(0, "Nattfrist", date(2082, 10, 25), time(3, 0)))  # 03.00 CET
        bot.motebot.start_scheduler()
        bot.motebot.ticker.tick()
        job = bot.motebot.ticker._scheduler.get_job("tick")  # type: ignore[union-attr]
        assert job.next_run_time - clock.now() == timedelta(minutes=90)
