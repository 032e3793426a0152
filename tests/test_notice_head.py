"""The reader's head and sections: page furniture by position, the meeting's facts, proposals until the minutes
decide, and what a notice lacks. Small notices of our own, bokmål and nynorsk, in the converters' dialect."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from bot.core.domain import CaseType, Serial
from bot.core.notices.furniture import PAGE_BREAK, without_furniture
from bot.core.notices.reader import NoticeError, parse_notice, read_notice
from bot.core.notices.sections import find_sections, proposal_and_decision
from bot.usecases.innkalling import import_notices
from tests.support import LEDER, SEED, SEKRETARIAT, RunningBot

LOGO = "Direktoratet for  \ne-helse"
SLIDE = "\n\n\n\n"  # the seed's slide break


def seed_layout(count: int, proposal: str | None = None) -> str:
    """The seed's layout with `count` cases: a logo on each slide, each case its own "# Forslag til vedtak"."""
    rows = "".join(
        f"{n}/20\tSak nummer {n}\t{9 + n // 6:02d}.{n % 6 * 10:02d}\tBeslutning\n" for n in range(1, count + 1)
    )
    first = f"{LOGO}\n\n# Styringsgruppemøte for Akson\n\nMøte 4/20  \n1. juli 2020\n\n"
    first += f"Sak\tAgenda Styringsgruppemøte for Akson\tTid\tSakstype\n{rows}\tMøtet ferdig\t15.00\n"
    slides = [first]
    for n in range(1, count + 1):
        text = proposal or f"Styringsgruppen vedtar forslag nummer {n}."
        slides.append(f"{LOGO}\n\n**Sak {n}/20**\n\n**Sak nummer {n}**\n\n# Forslag til vedtak\n\n{text}\n")
    return SLIDE.join(slides)


@pytest.mark.parametrize("count", [10, 30])
def test_the_seed_layout_with_many_cases_keeps_every_proposal(count: int) -> None:
    notice = parse_notice(seed_layout(count), "akson.txt")
    cases = notice.meeting.cases
    assert [str(case.number) for case in cases] == [f"{n}/20" for n in range(1, count + 1)]
    assert [case.proposal for case in cases] == [
        f"Styringsgruppen vedtar forslag nummer {n}." for n in range(1, count + 1)
    ]
    assert all(case.decision is None for case in cases) and notice.warnings == []


def test_the_same_proposal_at_the_foot_of_every_slide_is_content() -> None:
    same = "Styringsgruppen tar saken til orientering."
    cases = parse_notice(seed_layout(10, proposal=same), "akson.txt").meeting.cases
    assert [case.proposal for case in cases] == [same] * 10


def test_the_logo_on_the_seeds_slides_is_furniture_and_its_status_lists_reach_the_prose() -> None:
    lines = without_furniture(SEED.read_text(encoding="utf-8"))
    assert not any(line.strip() in ("Direktoratet for", "e-helse") for line in lines)
    assert "Direktoratet for e-helse" in [line.strip() for line in lines]  # written once as text: content
    assert sum(line == "# Status for arbeidet" for line in lines) == 5
    notice = read_notice(SEED)
    assert [stream.title for stream in notice.streams][:2] == [
        "Ekstern kvalitetssikring (KS2)",
        "Intensjonserklæringer",
    ]
    assert len(notice.streams) == 5


def test_page_numbers_and_running_footers_on_form_fed_pages() -> None:
    footer = "Styret for Fjellvidda nasjonalpark | Innkalling"
    pages = [
        "Møte 2/2018\nMøtedato: 5. mars 2018\n\n2/18\tGodkjenning av innkalling\t10.00\tGodkjenning\n"
        f"3/18\tBudsjett\t10.15\tBeslutning\n\n{footer}\nSide 1 av 3",
        f"- 2 -\n\n## Sak 2/18 Godkjenning av innkalling\n\nForslag til vedtak: Innkallinga blir godkjend.\n\n{footer}",
        f"Side 3 av 3\n\n## Sak 3/18 Budsjett\n\n### Innstilling\n\nStyret vedtar budsjettet.\n\n{footer}\n3",
    ]
    lines = without_furniture("\f".join(pages))
    assert lines.count(PAGE_BREAK) == 3
    shown = [line.strip() for line in lines]
    assert footer not in shown and "Side 1 av 3" not in shown and "- 2 -" not in shown and "3" not in shown
    meeting = parse_notice("\f".join(pages), "styret.txt").meeting
    assert meeting.number == Serial(2018, 2)
    assert [case.proposal for case in meeting.cases] == ["Innkallinga blir godkjend.", "Styret vedtar budsjettet."]


# The meeting's facts -------------------------------------------------------------------------------------------

AGENDA = "1/24\tGodkjenning av innkalling\t\tGodkjenning\n2/24\tBudsjett\t\tBeslutning\n"


@pytest.mark.parametrize(
    ("top", "number"),
    [
        ("# Styringsgruppa\n\nMøte 2/2018\n12. mars 2018", Serial(2018, 2)),
        ("# Styremøte\n\nMøte nr. 3/2024 – 12.03.2024", Serial(2024, 3)),
        ("# Styremøte 4/2024\n\nMøtedato: 12.03.2024", Serial(2024, 4)),
        ("# Innkalling til møte 5\n\nMøtedato: 12.03.2024", Serial(2024, 5)),
        ("# Innkalling til møte nr. 6 i styret\n\nDato: 12.03.2024", Serial(2024, 6)),
    ],
)
def test_the_meeting_number_as_bodies_write_it(top: str, number: Serial) -> None:
    notice = parse_notice(f"{top}\n\n{AGENDA}", "x.txt")
    assert notice.meeting.number == number and notice.numbered


def test_no_number_is_not_invented() -> None:
    notice = parse_notice(f"# Styremøte\n\nMøtedato: 12.03.2024\nSted: Rådhuset\nkl. 10.00\n\n{AGENDA}", "x.txt")
    assert not notice.numbered and notice.meeting.number == Serial(2024, 0)
    assert notice.missing[0] == "Fant ikke møtenummer («Møte 4/20»): Møtebot gir møtet et nummer."
    # a web meeting's length is no number
    later = parse_notice(f"# Styremøte\n\nDato: 12.03.2024\nWeb-møte 2 timer\n\n{AGENDA}", "x.txt")
    assert not later.numbered and later.meeting.web


@pytest.mark.parametrize(
    ("top", "source", "day"),
    [
        ("Møte 1/24\n\nMøtedato: 12.03.2024", "x.txt", date(2024, 3, 12)),
        ("Møte 1/24\nDato: 01.03.2024\nMøtedato: 12. mars 2024", "x.txt", date(2024, 3, 12)),
        ("Møte 1/24\n\nTid og stad: tysdag 12. mars 2024 kl. 10.00, Heradshuset", "x.txt", date(2024, 3, 12)),
        ("Møte 1/24\n\nTid og sted\n12.03.2024 kl. 10.00", "x.txt", date(2024, 3, 12)),
        ("Møte 1/24\n\nTidspunkt\t12.03.2024 kl. 09.00", "x.txt", date(2024, 3, 12)),
        ("# Innkalling til styremøte 12. mars 2024\n\nMøte 1/24", "x.txt", date(2024, 3, 12)),
        ("# Innkalling til styremøte\n\nMøte 1/24", "innkalling-2024-03-12.pdf", date(2024, 3, 12)),
        ("# Innkalling til styremøte\n\nMøte 1/24", "Innkalling 12.03.2024.docx", date(2024, 3, 12)),
    ],
)
def test_the_meeting_date_wherever_the_notice_writes_it(top: str, source: str, day: date) -> None:
    assert parse_notice(f"{top}\n\n{AGENDA}", source).meeting.day == day


def test_no_date_says_where_to_write_it() -> None:
    with pytest.raises(NoticeError, match=re.escape("Møtedato: 1. juli 2020")):
        parse_notice(f"# Styremøte\n\nMøte 1/24\n\n{AGENDA}", "innkalling.txt")


@pytest.mark.parametrize(
    ("top", "start", "end"),
    [
        ("Møte 1/24\n12.03.2024 kl. 09.00", time(9), None),
        ("Møte 1/24\nMøtedato: 12.03.2024\nMøtetid: 10:00–15:00", time(10), time(15)),
        ("Møte 1/24\nMøtedato: 12.03.2024 kl. 10.00 – 15.00", time(10), time(15)),
        ("Møte 1/24\nTid: 12.03.2024, klokka 18.00-20.30", time(18), time(20, 30)),
        ("Møte 1/24\nMøtedato: 12.03.2024\nFra - til: 18:00 - 21:30", time(18), time(21, 30)),
        ("Møte 1/24\nDato: 12.03.2024\nTidspunkt: 09:00", time(9), None),
        ("Møte 1/24\nMøtedato\t12. mars 2024\nMøtetid\tkl. 10.00–12.00", time(10), time(12)),
    ],
)
def test_start_and_end_from_the_head(top: str, start: time, end: time | None) -> None:
    meeting = parse_notice(f"{top}\n\n{AGENDA}", "x.txt").meeting
    assert (meeting.start, meeting.end) == (start, end)


def test_without_any_time_the_start_is_unknown_and_said_so() -> None:
    notice = parse_notice(f"Møte 1/24\nMøtedato: 12.03.2024\nSted: Rådhuset\n\n{AGENDA}", "x.txt")
    assert notice.meeting.start is None
    assert (
        "Fant ikke starttid («kl. 09.00»): sett den med `/moteplan flytt 1/24 12.03.2024 09.00-11.00`."
        in notice.missing
    )


def test_the_first_cases_time_is_the_start_when_the_head_gives_none() -> None:
    agenda = "1/24\tGodkjenning\t09.30\tGodkjenning\n2/24\tBudsjett\t09.45\tBeslutning\n\tMøtet ferdig\t10.30\n"
    meeting = parse_notice(f"Møte 1/24\nMøtedato: 12.03.2024\n\n{agenda}", "x.txt").meeting
    assert (meeting.start, meeting.end) == (time(9, 30), time(10, 30))


@pytest.mark.parametrize(
    ("top", "location", "web"),
    [
        ("Sted: Rådhuset, møterom 2", "Rådhuset, møterom 2", False),
        ("Møtested: Kommunestyresalen", "Kommunestyresalen", False),
        ("Møtestad: Heradshuset", "Heradshuset", False),
        ("Stad: Nasjonalparksenteret", "Nasjonalparksenteret", False),
        ("Sted: Teams", "Teams", True),
        ("Møtested\tMicrosoft Teams", "Microsoft Teams", True),
        ("Tid og sted: kl. 10.00, Grendehuset", "Grendehuset", False),
        ("Møtet holdes på Zoom.", "Zoom", True),
        ("Møtet blir halde som fjernmøte.", None, True),
        ("Sted: digitalt", None, True),
        ("Web-møte", None, True),
        ("Møtestad: Heradshuset / Mumble", "Heradshuset / Mumble", True),
    ],
)
def test_the_place_and_whether_it_is_on_the_web(top: str, location: str | None, web: bool) -> None:
    notice = parse_notice(f"Møte 1/24\nMøtedato: 12.03.2024 kl. 10.00\n{top}\n\n{AGENDA}", "x.txt")
    assert (notice.meeting.location, notice.meeting.web) == (location, web)
    assert not [line for line in notice.missing if "møtested" in line]


def test_the_seed_reads_no_place_and_no_web_meeting_from_its_plan() -> None:
    notice = read_notice(SEED)
    assert (notice.meeting.location, notice.meeting.web) == (None, False)  # "Web-møte" is the next meeting's
    assert notice.missing == ["Fant ikke møtested («Sted: …»): skriv det i innkallingen og importer den på nytt."]


# Sections: proposals, and decisions only in the minutes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "label", "number", "title"),
    [
        ("## PS 14/75 Budsjett 2025", "PS 14/75", Serial(2075, 14), "Budsjett 2025"),
        ("**ST 4/2020: Årsrapport**", "ST 4/2020", Serial(2020, 4), "Årsrapport"),
        ("Sak 01/2015 Forvaltningsplan", "Sak 01/2015", Serial(2015, 1), "Forvaltningsplan"),
        ("# 2019-45 Vegvedlikehald", "2019-45", Serial(2019, 45), "Vegvedlikehald"),
        ("### Sak 3", "Sak 3", Serial(2024, 3), None),
        ("Sak 17/20: Godkjenning", "Sak 17/20", Serial(2020, 17), "Godkjenning"),
        ("Styresak 045-2024 Budsjett", "Styresak 045-2024", Serial(2024, 45), "Budsjett"),
        ("RS-sak 3/24 Referat", "RS-sak 3/24", Serial(2024, 3), "Referat"),
    ],
)
def test_a_section_is_found_by_its_label(line: str, label: str, number: Serial, title: str | None) -> None:
    sections = find_sections([line, "", "Tekst i saka."], 2024)
    assert list(sections) == [number]
    assert (sections[number].label, sections[number].title) == (label, title)
    assert sections[number].lines == ["", "Tekst i saka."]


def test_prose_that_begins_with_a_number_opens_no_section() -> None:
    prose = ["17/20 av kommunene har signert.", "2024 var eit godt år.", "Om 3 uker skal vi", "Sak 3 ble utsatt."]
    assert find_sections(prose, 2024) == {}


@pytest.mark.parametrize(
    "head",
    [
        "# Forslag til vedtak",
        "**Innstilling**",
        "## Framlegg til vedtak",
        "Tilråding:",
        "**Saksbehandlers forslag:**",
        "Administrasjonens forslag til vedtak:",
        "## Kommunedirektørens innstilling",
        "Forslag til beslutning",
        "**Daglig leders forslag til vedtak**",
    ],
)
def test_proposal_heads_with_the_following_paragraph(head: str) -> None:
    outcome = proposal_and_decision(["Saksutgreiing her.", "", head, "", "Styret vedtar planen."], minutes=False)
    assert (outcome.proposal, outcome.decision) == ("Styret vedtar planen.", None)


def test_inline_proposals_and_proposals_of_several_paragraphs() -> None:
    inline = proposal_and_decision(["Framlegg til vedtak: Styret godkjenner rekneskapen."], minutes=False)
    assert inline.proposal == "Styret godkjenner rekneskapen."
    several = [
        "# Innstilling",
        "",
        "1. Budsjettet vedtas.",
        "2. Rådmannen følger opp.",
        "",
        "Med endringer.",
        "# Vedlegg",
    ]
    assert proposal_and_decision(several, minutes=False).proposal == (
        "1. Budsjettet vedtas.\n2. Rådmannen følger opp.\nMed endringer."
    )


def test_a_notices_closing_sentence_is_its_proposal_and_a_vedtak_beside_a_proposal_is_not_stored() -> None:
    closing = proposal_and_decision(["Lang tekst.", "", "Styret tar saken til orientering."], minutes=False)
    assert (closing.proposal, closing.decision) == ("Styret tar saken til orientering.", None)
    written = proposal_and_decision(["Forslag til vedtak: A.", "", "Vedtak: B."], minutes=False)
    assert (written.proposal, written.decision, written.unminuted) == ("A.", None, "B.")
    alone = proposal_and_decision(["**Vedtak**", "", "Styret vedtek planen."], minutes=False)
    assert (alone.proposal, alone.decision) == ("Styret vedtek planen.", None)


@pytest.mark.parametrize(
    ("lines", "decision"),
    [
        (["# Forslag til vedtak", "", "A.", "", "# Vedtak", "", "B."], "B."),
        (["Forslag til vedtak: A.", "", "Vedtak: B."], "B."),
        (["Innstilling: A.", "", "Samrøystes vedteke."], "A."),
        (["Innstilling: A.", "", "Enstemmig vedtatt."], "A."),
        (["Innstilling: A.", "", "Vedtatt med 5 mot 2 stemmer."], "A."),
        (["Innstilling: A.", "", "Enstemmig vedtatt: B."], "B."),
        (["Lang tekst.", "", "Styret tok saken til orientering."], "Styret tok saken til orientering."),
    ],
)
def test_in_the_minutes_decisions_are_decisions(lines: list[str], decision: str) -> None:
    assert proposal_and_decision(lines, minutes=True).decision == decision


MINUTES_BODY = (
    "1/24\tGodkjenning av innkalling\t10.00\tGodkjenning\n\n## Sak 1/24 Godkjenning av innkalling\n\n"
    "Forslag til vedtak: Innkallinga blir godkjend.\n\nVedtak: Innkallinga vart godkjend.\n"
)


@pytest.mark.parametrize(
    ("top", "source"),
    [
        ("# Referat fra styremøte\n\nMøte 1/24\nMøtedato: 12.03.2024\nSted: Rådhuset", "x.txt"),
        ("# Protokoll frå møte i heradsstyret\n\nMøte 1/24\nMøtedato: 12.03.2024\nStad: Heradshuset", "x.txt"),
        ("# Møtebok\n\nMøte 1/24\nMøtedato: 12.03.2024\nSted: Rådhuset", "x.txt"),
        ("# Styremøte\n\nMøte 1/24\nMøtedato: 12.03.2024\nSted: Rådhuset", "Møteprotokoll 2024-03-12.txt"),
        ("# Styremøte\n\nMøte 1/24\nMøtedato: 12.03.2024\nDato: 14.03.2024\nSted: Rådhuset", "x.txt"),
        ("# Styremøte\n\nMøte 1/24\n12.03.2024\nReferatdato: 12.03.2024\nSted: Rådhuset", "x.txt"),
    ],
)
def test_minutes_set_the_decision(top: str, source: str) -> None:
    notice = parse_notice(f"{top}\n\n{MINUTES_BODY}", source)
    assert notice.minutes and notice.warnings == []
    assert notice.meeting.cases[0].proposal == "Innkallinga blir godkjend."
    assert notice.meeting.cases[0].decision == "Innkallinga vart godkjend."


def test_a_notice_dated_before_its_meeting_is_no_minutes() -> None:
    top = "# Styremøte\n\nMøte 1/24\nDato: 01.03.2024\nMøtedato: 12.03.2024\nSted: Rådhuset"
    notice = parse_notice(f"{top}\n\n{MINUTES_BODY}", "x.txt")
    assert not notice.minutes and notice.meeting.cases[0].decision is None
    assert notice.warnings == [
        "Sak 1/24: innkallingen skriver et vedtak («Innkallinga vart godkjend.»), men er ikke et referat – ikke "
        "lagret som vedtak."
    ]


# What the notice lacks ---------------------------------------------------------------------------------------------


def test_what_each_case_lacks_in_one_line_with_the_commands_that_fill_it_in() -> None:
    agenda = (
        "5/18\tGodkjenning av innkalling\t10.00\tGodkjenning\n6/18\tNy barnehage\t\t\n"
        "7/18\tBudsjett\t\tBeslutning\n8/18\tOrientering om drift\t10.30\tOrientering\n9/18\tEventuelt\t11.00\t\n"
    )
    text = f"# Hovedutvalget\n\nMøte 2/18\nMøtedato: 12.03.2018\nSted: Rådhuset\n\n{agenda}\n"
    text += "## Sak 5/18\n\nForslag til vedtak: Godkjent.\n"
    notice = parse_notice(text, "x.txt")
    assert notice.missing == [
        "Sak 6/18: fant ingen sakstype og ingen tid – fyll inn med `/dagsorden endre 6/18 type Beslutning`, "
        "`/dagsorden endre 6/18 kl 10.00`.",
        "Sak 7/18: fant ingen tid og ikke noe forslag til vedtak – fyll inn med `/dagsorden endre 7/18 kl 10.00`, "
        "`/dagsorden endre 7/18 forslag …`.",
    ]


# Through the app: the seed imported as a file, its agenda and a vote on 18/20 ---------------------------------------


def test_the_imported_seed_proposes_for_18_and_19_and_18_can_be_voted_on(empty_bot: RunningBot) -> None:
    bot = empty_bot
    import_notices(bot.services, SEKRETARIAT, [read_notice(SEED)])  # as `motebot import` and the DM's button do
    shown = bot.slack.command("/dagsorden", "4/20", user_id=SEKRETARIAT).all_text()
    assert "Vedtak:" not in shown
    assert shown.count("Forslag til vedtak:") == 3
    assert "*Forslag til vedtak:* Styringsgruppen tar saken til orientering og ber prosjektet" in shown
    assert "*Forslag til vedtak:* Nasjonalt e-helsestyre tar sakene til orientering." in shown
    reply = bot.slack.command("/avstemning", "18/20", user_id=LEDER)
    assert "Avstemningen om sak 18/20 er startet i kanalen" in reply.all_text()
    bot.settle()
    [vote] = bot.store.votes.all(open_only=True)
    assert vote.case == Serial(2020, 18) and vote.proposal.startswith("Styringsgruppen tar saken til orientering")
    assert bot.store.meetings.get(Serial(2020, 4)).cases[1].case_type is CaseType.ORIENTERING
