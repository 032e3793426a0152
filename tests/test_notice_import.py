"""The importer on the seed, on variants the secretariat also writes, and on files that are no notice."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from bot.core.domain import CaseType, Serial
from bot.core.notices.reader import NoticeError, parse_notice, read_notice
from storage import TinyStore
from tests.durable import db_bytes
from tests.processes import motebot
from tests.support import FIXTURES, SEED

SHARED_SEED = Path(__file__).parents[2] / "shared" / "seeds" / "000_c69a0cec77f03d06.txt"


def test_the_seed() -> None:
    notice = read_notice(SEED)
    meeting = notice.meeting
    assert meeting.number == Serial(2020, 4)
    assert meeting.title == "Styringsgruppemøte for Akson"
    assert meeting.day == date(2020, 7, 1)
    assert (meeting.start, meeting.end) == (time(9, 0), time(10, 30))
    assert notice.plan_body == "Nasjonalt e-helsestyre" and meeting.body is None  # the plan is that body's
    assert [str(c.number) for c in meeting.cases] == ["17/20", "18/20", "19/20"]
    assert [c.start for c in meeting.cases] == [time(9, 0), time(9, 5), time(10, 25)]
    assert [c.case_type for c in meeting.cases] == [CaseType.GODKJENNING, CaseType.ORIENTERING, None]
    first, second, third = meeting.cases
    assert first.title == "Godkjenning av innkalling og dagsorden"
    assert first.proposal == "Styringsgruppen godkjenner innkalling og dagsorden."
    # A notice proposes; its closing sentences are the proposals of 18/20 and 19/20, not decisions.
    assert second.proposal == (
        "Styringsgruppen tar saken til orientering og ber prosjektet ta med seg innspill fremkommet i møtet."
    )
    assert third.title == "Eventuelt"
    assert third.proposal == "Nasjonalt e-helsestyre tar sakene til orientering."
    assert [case.decision for case in meeting.cases] == [None, None, None]
    assert not notice.minutes and notice.numbered
    assert notice.warnings == []


def test_fixture_and_demo_copies_are_the_seed() -> None:
    demo = Path(__file__).parents[1] / "bot" / "run" / "demo" / "akson_4_20.txt"
    assert demo.read_bytes() == SEED.read_bytes()
    if SHARED_SEED.exists():
        assert SHARED_SEED.read_bytes() == SEED.read_bytes()


OTHER_NOTICE = (FIXTURES / "mote_2_21_flattened.md").read_text(encoding="utf-8")


def test_a_flattened_table_and_other_numbers_years_and_types() -> None:
    meeting = parse_notice(OTHER_NOTICE, "mote-2-21.md").meeting
    assert str(meeting.number) == "2/21"
    assert meeting.day == date(2021, 3, 10)
    assert (meeting.start, meeting.end) == (time(12, 0), time(14, 0))
    assert [(str(c.number), c.title, c.case_type) for c in meeting.cases] == [
        ("5/21", "Godkjenning av innkalling og dagsorden", CaseType.GODKJENNING),
        ("6/21", "Veikart for e-helse", CaseType.DROFTING),
        ("7/21", "Finansiering 2022", CaseType.BESLUTNING),
        ("8/21", "Eventuelt", None),
    ]
    assert meeting.cases[0].proposal == "Styringsgruppen godkjenner innkalling og dagsorden."
    assert meeting.cases[2].proposal == "Styringsgruppen anbefaler finansiering av steg 2."
    # A notice that writes "Vedtak:" beside its proposal is not the minutes: said, not stored as a decision.
    assert meeting.cases[2].decision is None
    assert parse_notice(OTHER_NOTICE, "mote-2-21.md").warnings == [
        "Sak 7/21: innkallingen skriver et vedtak («Styringsgruppen sluttet seg til forslaget.»), men er ikke et "
        "referat – ikke lagret som vedtak."
    ]


def test_a_table_with_cells_on_their_own_lines_and_a_pipe_table() -> None:
    one_per_line = (
        "# Møte\nMøte 3/20\n3. juni 2020\nSak\nAgenda\nTid\nSakstype\n12/20\nGodkjenning\n09.00\nGodkjenning\n"
    )
    one_per_line += "Møtet ferdig\n09.30\n"
    meeting = parse_notice(one_per_line, "x").meeting
    assert [(str(c.number), c.start) for c in meeting.cases] == [("12/20", time(9))]
    assert meeting.end == time(9, 30)
    piped = "Møte 1/22 – 2. februar 2022\n| Sak | Agenda | Tid | Sakstype |\n|---|---|---|---|\n"
    piped += "| 1/22 | Godkjenning | 10.00 | Til orientering |\n|  | Møtet ferdig | 11.00 | |\n"
    meeting = parse_notice(piped, "x").meeting
    assert meeting.day == date(2022, 2, 2)
    assert meeting.cases[0].case_type == CaseType.ORIENTERING
    assert meeting.end == time(11)


def test_unknown_case_type_is_kept_out_with_a_warning() -> None:
    notice = parse_notice("Møte 1/22\n2. februar 2022\n1/22\tNoe\t10.00\tSkravling\n", "x")
    assert notice.meeting.cases[0].case_type is None
    assert notice.warnings == ["Sak 1/22: ukjent sakstype «Skravling», lagret uten type."]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Handleliste: melk, brød", ["møtedatoen", "dagsordenen"]),
        ("Møte 4/20\n\nSak 17/20", ["møtedatoen", "dagsordenen"]),
        ("Møte 4/20\n1. juli 2020\nIngen tabell her.", ["dagsordenen"]),
        ("Møte 4/20\n31. februar 2020\n17/20\tX\t09.00\tGodkjenning", ["møtedatoen"]),
    ],
)
def test_no_notice_names_the_file_and_what_was_missing(text: str, missing: list[str]) -> None:
    with pytest.raises(NoticeError) as raised:
        parse_notice(text, "handleliste.txt")
    message = str(raised.value)
    assert message.startswith("handleliste.txt: ")
    for piece in missing:
        assert piece in message


def test_binary_non_utf8_missing_and_huge_files(tmp_path: Path) -> None:
    cases = {
        "bilde.png": (b"\x89PNG\r\n\x1a\n\x00\x00", "kan ikke lese bilder"),
        # Windows-1252 reads: the number is found, the date is what is missing.
        "latin1.txt": ("Møte 4/20".encode("latin-1"), "fant ikke møtedatoen"),
        "stor.txt": (b"a" * 20_000_001, "for stor"),
    }
    for name, (data, expected) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(NoticeError, match=expected):
            read_notice(tmp_path / name)
    with pytest.raises(NoticeError, match="finnes ikke"):
        read_notice(tmp_path / "borte.txt")


def test_cli_import_reimport_and_all_or_nothing(tmp_path: Path) -> None:
    done = motebot("import", str(SEED), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Importerte møte 4/20 (Styringsgruppemøte for Akson, onsdag 1. juli 2020): 3 saker" in done.stdout
    db = tmp_path / "motebot.json"
    first = db_bytes(db)
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    assert db_bytes(db) == first  # updated in place, not duplicated
    store = TinyStore(db).body(1)
    assert [str(m.number) for m in store.meetings.all()] == ["4/20", "5/20"]  # the meeting and its plan, once each
    store.close()

    other = tmp_path / "mote-2-21.md"
    other.write_text(OTHER_NOTICE, encoding="utf-8")
    junk = tmp_path / "handleliste.txt"
    junk.write_text("melk, brød", encoding="utf-8")
    failed = motebot("import", str(other), str(junk), cwd=tmp_path)
    assert failed.returncode != 0
    assert "handleliste.txt" in failed.stderr and "Ingenting ble importert" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert db_bytes(db) == first
