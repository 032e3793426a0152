from datetime import date, time

import pytest

from bot.core.dates import parse_clock, parse_date
from bot.core.domain import Serial
from bot.core.formatting import clock_time, long_date, time_span
from bot.slack.blocks import escape, fit, header, pack_sections


def test_dates_read_the_way_norwegians_write_them() -> None:
    assert long_date(date(2020, 7, 1)) == "onsdag 1. juli 2020"
    assert long_date(date(2020, 9, 17)) == "torsdag 17. september 2020"


def test_times_use_a_full_stop() -> None:
    assert clock_time(time(9, 0)) == "09.00"
    assert time_span(time(9, 0), time(10, 30)) == "kl. 09.00–10.30"
    assert time_span(time(9, 0), None) == "kl. 09.00"
    assert time_span(None, None) == ""


@pytest.mark.parametrize("text", ["03.07.2020", "3.7.2020", "3. juli 2020", "2020-07-03", "3. jul. 2020", "03.07.20"])
def test_date_formats(text: str) -> None:
    assert parse_date(text) == date(2020, 7, 3)


@pytest.mark.parametrize("text", ["31.02.2020", "32.1.2020", "2020-13-01", "neste torsdag", "", "3. juli"])
def test_impossible_or_vague_dates_are_refused(text: str) -> None:
    assert parse_date(text) is None


def test_year_can_come_from_context() -> None:
    assert parse_date("1. november", default_year=2020) == date(2020, 11, 1)


@pytest.mark.parametrize(("text", "expected"), [("09.00", time(9)), ("9:05", time(9, 5)), ("23.59", time(23, 59))])
def test_clock(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["24.00", "9", "kl 9", "09.60", "0900"])
def test_bad_clock(text: str) -> None:
    assert parse_clock(text) is None


def test_serial_numbers() -> None:
    assert str(Serial.parse("17/20")) == "17/20"
    assert Serial.parse("4/2020") == Serial(2020, 4)
    assert Serial.parse("0/20") is None
    assert Serial.parse("4/20/1") is None


def test_escape_is_exactly_slacks_three_entities() -> None:
    assert escape("<!channel> & \"sitat\" 'x'") == "&lt;!channel&gt; &amp; \"sitat\" 'x'"
    assert escape("&lt;") == "&amp;lt;"


def test_fit_never_splits_an_entity() -> None:
    text = "a" * 8 + "&amp;"
    assert fit(text, 11) == "a" * 8 + "…"
    assert len(header("x" * 500)["text"]["text"]) == 150


def test_long_lists_pack_into_the_block_budget() -> None:
    parts = [f"*Sak {n}/20* " + "tekst " * 40 for n in range(1, 61)]
    packed = pack_sections(parts, 45)
    assert len(packed) <= 45
    assert all(len(block["text"]["text"]) <= 3000 for block in packed)
    assert "Sak 60/20" in packed[-1]["text"]["text"]


def test_dates_follow_the_readers_written_standard() -> None:
    """Språklova § 14: a body may write to its readers in nynorsk. The language is the reader's, set per
    answer; Babel's nn locale writes the weekday as nynorsk does (issue 19 adds the nn catalog)."""
    from bot.core.i18n import language

    with language("nn"):
        assert long_date(date(2020, 6, 29)) == "måndag 29. juni 2020"
    assert long_date(date(2020, 6, 29)) == "mandag 29. juni 2020"
