"""Case numbers as Norwegian bodies write them: kept as written for the agenda, with a key for look-up that
commands reach with or without the body's prefix."""

from __future__ import annotations

import pytest

from bot.core.domain import Case, Serial
from bot.usecases import avstemning, dagsorden


@pytest.mark.parametrize(
    ("written", "key", "shown"),
    [
        ("17/20", "17/20", "17/20"),  # the seed's own form: no label needed
        ("Sak 01/2015", "1/15", "Sak 01/2015"),
        ("PS 14/75", "14/75", "PS 14/75"),  # politisk sak
        ("ST 4/2020", "4/20", "ST 4/2020"),  # styresak
        ("2019-45", "45/19", "2019-45"),  # year first
        ("1-24", "1/24", "1-24"),
        ("Saksnr. 12/19", "12/19", "Saksnr. 12/19"),
        ("Sak 3", "3/24", "Sak 3 (3/24)"),  # numbered within the meeting: the key is shown, it is what commands take
    ],
)
def test_a_label_as_written_has_a_key_and_is_shown_as_written(written: str, key: str, shown: str) -> None:
    number = Serial.parse_label(written, 2024)
    assert str(number) == key
    assert number is not None
    label = None if written == str(number) else written
    assert Case(number, "Tittel", label=label).shown_number == shown


def test_an_unnumbered_case_shows_its_key_in_brackets() -> None:
    assert Case(Serial(2024, 20), "Eventuelt", label="").shown_number == "(20/24)"


@pytest.mark.parametrize("text", ["", "Sak", "PS", "0/20", "abc/20", "Sak 0"])
def test_what_is_no_case_number_stays_none(text: str) -> None:
    assert Serial.parse_label(text, 2024) is None


def test_commands_take_the_number_with_the_bodys_prefix_too() -> None:
    assert avstemning.parse("PS 14/75") == avstemning.parse("14/75")
    assert avstemning.parse("Sak 17/20") == avstemning.OpenVote(Serial(2020, 17))
    assert avstemning.parse("protokoll ST 4/2020") == avstemning.ShowRecord(Serial(2020, 4))
    assert dagsorden.parse("endre PS 14/75 tittel Ny tittel") == dagsorden.parse("endre 14/75 tittel Ny tittel")
    assert dagsorden.parse("fjern sak 18/20") == dagsorden.RemoveCase(Serial(2020, 18))


def test_a_label_that_names_itself_is_not_called_sak_twice() -> None:
    from bot.core.formatting import case_name
    from bot.core.notices.reader import read_notice
    from tests.support import FIXTURES

    assert case_name(Case(Serial(2024, 45), "Tittel", label="Styresak 045-2024")) == "Styresak 045-2024"
    assert case_name(Case(Serial(2020, 17), "Tittel")) == "Sak 17/20"
    notice = read_notice(FIXTURES / "notices" / "helseforetak_styresak.txt")
    assert "Styresak 046-2024: fant ikke noe forslag til vedtak – fyll inn med `/dagsorden endre 46/24 forslag …`." in (
        notice.missing
    )
    assert not any("Sak Styresak" in line for line in notice.missing)
