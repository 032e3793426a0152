"""Which body a heading names: the guess a notice sent by DM offers first, and where its plan goes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.names import body_named, by_name, name_words
from bot.core.notices.reader import parse_notice, read_notice
from bot.core.rules import Body
from bot.usecases.innkalling import guess_body
from tests.support import FIXTURES, SEED

AKSON = Body(1, "Styringsgruppen for Akson", "akson")
EHELSE = Body(2, "Nasjonalt e-helsestyre", "e-helsestyre")
HELSENETT = Body(3, "Styringsgruppen for Helsenett", "helsenett")
PROGRAM = Body(4, "Programstyret for Akson", "programstyret")
KOMMUNESTYRET = Body(5, "Kommunestyret", "kommunestyret")
FORMANNSKAPET = Body(6, "Formannskapet", "formannskapet")
ELDRERADET = Body(7, "Eldrerådet", "eldreradet")
UNGDOMSRADET = Body(8, "Ungdomsrådet", "ungdomsradet")
STYRINGSGRUPPEN = Body(9, "Styringsgruppen", "styringsgruppen")  # the tests' body, as MOTEBOT_BODY_NAME names it


@pytest.mark.parametrize(
    ("heading", "bodies", "named"),
    [
        ("Styringsgruppemøte for Akson", [AKSON, EHELSE], AKSON),  # the seed's title
        ("Nasjonalt e-helsestyre", [AKSON, EHELSE], EHELSE),  # the seed's "Møteplan Nasjonalt e-helsestyre"
        ("Møte i Nasjonalt e-helsestyre", [AKSON, EHELSE, HELSENETT], EHELSE),
        ("STYRINGSGRUPPEMØTE FOR AKSON", [AKSON, EHELSE], AKSON),  # casefolded
        ("Styringsgruppa for Akson", [AKSON, EHELSE], AKSON),  # another inflection, one stem
        ("Styringsgruppemøte for Akson", [STYRINGSGRUPPEN, EHELSE], STYRINGSGRUPPEN),
        # The word every body has says nothing; the one only one has, does.
        ("Styringsgruppemøte for Akson", [AKSON, HELSENETT], AKSON),
        ("Programstyremøte for Akson", [AKSON, PROGRAM], PROGRAM),
        ("Kommunestyremøte 12. mars", [FORMANNSKAPET, KOMMUNESTYRET], KOMMUNESTYRET),
        ("Eldrerådsmøte", [UNGDOMSRADET, ELDRERADET], ELDRERADET),
        ("Formannskapets møte", [KOMMUNESTYRET, FORMANNSKAPET], FORMANNSKAPET),
        # One body only: any word of its name names it.
        ("Styringsgruppemøte for Akson", [AKSON], AKSON),
    ],
)
def test_a_heading_names_the_body_it_shares_telling_words_with(heading: str, bodies: list[Body], named: Body) -> None:
    assert body_named(heading, bodies) == named


@pytest.mark.parametrize(
    ("heading", "bodies"),
    [
        ("Møte 4/20", [AKSON, EHELSE]),  # no telling word at all
        ("", [AKSON, EHELSE]),
        (None, [AKSON, EHELSE]),
        ("Arbeidsgruppen for NILAR", [AKSON, EHELSE]),  # names a body Møtebot does not have
        ("Styringsgruppemøte", [AKSON, HELSENETT]),  # only what both have: either could be meant
        ("Møte om Akson og Helsenett", [AKSON, HELSENETT]),  # as much of one as of the other
        ("Nasjonalt e-helsestyre", [AKSON]),  # the one body, but nothing of its name
        ("Styringsgruppemøte for Akson", []),
    ],
)
def test_no_good_match_is_no_guess(heading: str | None, bodies: list[Body]) -> None:
    assert body_named(heading, bodies) is None


def test_the_closer_name_wins_among_those_sharing_as_many_words() -> None:
    both = Body(10, "Styringsgruppen for Akson og Helsenett", "begge")
    assert body_named("Styringsgruppemøte for Akson", [both, AKSON, EHELSE]) == AKSON


def test_the_words_are_stems_without_the_words_that_say_nothing() -> None:
    assert name_words("Styringsgruppemøte for Akson") == name_words("Styringsgruppen for Akson")
    assert name_words("Møte i Nasjonalt e-helsestyre") == name_words("Nasjonalt e-helsestyret")
    assert name_words("Møteplan for møtet 4/20") == frozenset()


def test_bodies_by_name_in_the_norwegian_alphabet() -> None:
    names = ["Ålesund bystyre", "Øvre råd", "Arbeidsutvalget", "Ærverdige råd", "Nasjonalt e-helsestyre"]
    ordered = by_name(Body(i, name, f"b{i}") for i, name in enumerate(names))
    assert [body.name for body in ordered] == [
        "Arbeidsutvalget", "Nasjonalt e-helsestyre", "Ærverdige råd", "Øvre råd", "Ålesund bystyre",
    ]  # fmt: skip


def test_notices_guess_a_body_when_their_headings_agree() -> None:
    seed = read_notice(SEED)
    other = parse_notice((FIXTURES / "mote_2_21_flattened.md").read_text(encoding="utf-8"), "mote-2-21.md")
    assert guess_body([seed, other], [EHELSE, AKSON]) == AKSON  # both "Styringsgruppemøte for Akson"
    # No title that names a body: the name the plan is headed with.
    untitled = replace(seed, meeting=replace(seed.meeting, title="Møte 4/20"))
    assert guess_body([untitled], [EHELSE, AKSON]) == EHELSE
    # Two notices of two bodies: no guess.
    of_helsenett = replace(other, meeting=replace(other.meeting, title="Styringsgruppemøte for Helsenett"))
    assert guess_body([seed, of_helsenett], [AKSON, HELSENETT]) is None
    assert guess_body([], [AKSON, HELSENETT]) is None
