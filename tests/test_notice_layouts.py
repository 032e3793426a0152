"""The agenda as the notices of other bodies set it out: one row per fixture in tests/fixtures/notices/ (each
written for these tests, reproducing the structure of a real public kind), plus the seed's own layout at 10 and 30
cases. The rows are read by find_agenda alone; where the fixture gives the meeting's number and date in the usual
places, the whole import is checked too. HEAD_EXPECTED says, per fixture, what the whole reader gives besides the
agenda: the date, the place, whether it is numbered or minutes, and each case's proposal or decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.domain import Case, Serial
from bot.core.notices.agenda_list import Row, case_keys, find_agenda
from bot.core.notices.reader import parse_notice
from bot.core.notices.text import case_type, clean
from tests.support import FIXTURES

NOTICES = FIXTURES / "notices"

# (shown number, key, title, start, type as written, presenter)
Shown = tuple[str, str, str, time | None, str, str | None]


def _seed_layout(count: int) -> str:
    """The seed's layout with `count` cases: the slide-like page header on every page, the tab table, and each
    case on a page of its own with its own "# Forslag til vedtak"."""
    header = "Direktoratet for  \ne-helse\n\n"
    titles = ["Godkjenning av innkalling og dagsorden", *(f"Arbeidspakke {n} i Akson" for n in range(2, count))]
    titles.append("Eventuelt")
    kinds = ["Godkjenning", *(("Orientering", "Drøfting", "Beslutning")[n % 3] for n in range(2, count)), ""]
    table = ["Sak\tAgenda Styringsgruppemøte for Akson\tTid\tSakstype"]
    for n, (title, kind) in enumerate(zip(titles, kinds, strict=True)):
        minutes = 9 * 60 + 10 * n
        table.append(f"{20 + n}/20\t{title}\t{minutes // 60:02d}.{minutes % 60:02d}\t{kind}")
    end = 9 * 60 + 10 * count
    table.append(f"\tMøtet ferdig\t{end // 60:02d}.{end % 60:02d}\t")
    pages = [f"{header}# Styringsgruppemøte for Akson\n\nMøte 5/20\n9. september 2020\n\n" + "\n".join(table)]
    for n, title in enumerate(titles):
        pages.append(
            f"{header}**Sak {20 + n}/20**\n\n**{title}**\n\n# Forslag til vedtak\n\n"
            f"Styringsgruppen slutter seg til forslag nummer {n + 1}.\n"
        )
    return "\n\f\n".join(pages)


def _seed_rows(count: int) -> list[Shown]:
    rows: list[Shown] = []
    for n in range(count):
        minutes = 9 * 60 + 10 * n
        title = "Godkjenning av innkalling og dagsorden" if n == 0 else f"Arbeidspakke {n + 1} i Akson"
        kind = "Godkjenning" if n == 0 else ("Orientering", "Drøfting", "Beslutning")[(n + 1) % 3]
        if n == count - 1:
            title, kind = "Eventuelt", ""
        rows.append((f"{20 + n}/20", f"{20 + n}/20", title, time(minutes // 60, minutes % 60), kind, None))
    return rows


@dataclass(frozen=True)
class Layout:
    name: str  # a file in tests/fixtures/notices/, or "seed-10"/"seed-30" for the generated seed layouts
    what: str  # the real kind of notice it reproduces
    year: int  # the meeting's year: bare numbers count in it
    rows: list[Shown]
    end: time | None = None
    meeting: tuple[str, date] | None = None  # number and date, where today's reader reads them
    meeting_end: time | None = None  # the meeting's end where the head gives it and the agenda does not

    def text(self) -> str:
        if self.name.startswith("seed-"):
            return _seed_layout(int(self.name.removeprefix("seed-")))
        return (NOTICES / self.name).read_text(encoding="utf-8")


T = time
LAYOUTS = [
    Layout(
        "kommunestyre_ps.txt",
        "municipal council, bokmål: Elements-style pipe table Utvalgssaksnr/Innhold/Lukket/Arkivsaksnr, PS and RS",
        2024,
        [
            ("PS 41/24", "41/24", "Godkjenning av innkalling og saksliste", None, "", None),
            ("PS 42/24", "42/24", "Godkjenning av protokoll fra møtet 20.06.2024", None, "", None),
            ("RS 5/24", "5/24", "Referatsaker", None, "", None),
            ("RS 6/24", "6/24", "Protokoll fra eldrerådet 28.08.2024", None, "", None),
            ("PS 43/24", "43/24", "Reguleringsplan for Nordre Holm boligfelt – andre gangs behandling", None, "", None),
            ("PS 44/24", "44/24", "Budsjettjustering 2. tertial 2024", None, "", None),
            ("PS 45/24", "45/24", "Søknad om fritak fra politiske verv", None, "", None),
            ("PS 46/24", "46/24", "Interpellasjon om skoleskyss i Sørdalen", None, "", None),
        ],
    ),
    Layout(
        "formannskap_nynorsk.txt",
        "municipal executive board, nynorsk: «Sakliste» of PS lines, unnumbered Eventuelt, «Framlegg til vedtak»",
        2024,
        [
            ("PS 58/24", "58/24", "Godkjenning av innkalling og sakliste", None, "", None),
            ("PS 59/24", "59/24", "Godkjenning av møtebok frå førre møte", None, "", None),
            ("PS 60/24", "60/24", "Tilskot til lag og organisasjonar 2025", None, "", None),
            ("PS 61/24", "61/24", "Framlegg til budsjett for vassverket", None, "drøfting", None),
            ("PS 62/24", "62/24", "Sal av tomt i Lundebakken industriområde", None, "", None),
            ("(63/24)", "63/24", "Eventuelt", None, "", None),
        ],
    ),
    Layout(
        "helseforetak_styresak.txt",
        "hospital trust board: tab table Saksnr./Sak/Tid/Sakstype with «Styresak 045-2024», a pause row",
        2024,
        [
            ("Styresak 045-2024", "45/24", "Godkjenning av innkalling og saksliste", T(9), "Vedtak", None),
            (
                "Styresak 046-2024",
                "46/24",
                "Godkjenning av protokoll fra styremøte 20. juni 2024",
                T(9, 5),
                "Vedtak",
                None,
            ),
            ("Styresak 047-2024", "47/24", "Virksomhetsrapport per august 2024", T(9, 10), "Orientering", None),
            ("Styresak 048-2024", "48/24", "Økonomisk langtidsplan 2025–2028", T(10), "Vedtak", None),
            ("Styresak 049-2024", "49/24", "Utviklingsplan for psykisk helsevern og rus", T(11, 15), "Drøfting", None),
            ("Styresak 050-2024", "50/24", "Administrerende direktørs orienteringer", T(13, 30), "Orientering", None),
            ("Styresak 051-2024", "51/24", "Eventuelt", T(14, 15), "", None),
        ],
    ),
    Layout(
        "helseforetak_st.txt",
        "hospital trust board: «Saker til behandling» of ST 4/2020 lines, type in brackets, time ranges, v/ presenter",
        2020,
        [
            ("ST 1/2020", "1/20", "Godkjenning av innkalling og dagsorden", T(10), "Vedtak", None),
            ("ST 2/2020", "2/20", "Godkjenning av protokoll fra 11. desember 2019", T(10, 5), "Vedtak", None),
            ("ST 3/2020", "3/20", "Virksomhetsrapport januar 2020", T(10, 10), "Orientering", None),
            ("ST 4/2020", "4/20", "Plan for beredskap ved smitteutbrudd", T(10, 40), "Drøfting", None),
            ("ST 5/2020", "5/20", "Årlig melding 2019", T(12), "Vedtak", "administrerende direktør"),
            ("ST 6/2020", "6/20", "Eventuelt", T(14, 45), "", None),
        ],
    ),
    Layout(
        "helse_regionalt_liste.txt",
        "regional health authority board: a covering letter, then «Saksliste» of lower-case «sak 76/21» lines",
        2021,
        [
            ("sak 76/21", "76/21", "Godkjenning av innkalling og saksliste", None, "", None),
            ("sak 77/21", "77/21", "Godkjenning av protokoll fra styremøtet 28. oktober 2021", None, "", None),
            ("sak 78/21", "78/21", "Orienteringssaker", None, "", None),
            ("sak 79/21", "79/21", "Oppdragsdokument 2022 – foreløpig", None, "", None),
            ("sak 80/21", "80/21", "Valg av revisor", None, "", None),
            ("sak 81/21", "81/21", "Budsjett 2022", None, "", None),
            ("sak 82/21", "82/21", "Referatsaker", None, "", None),
            ("sak 83/21", "83/21", "Eventuelt", None, "", None),
        ],
    ),
    Layout(
        "nasjonalparkstyre.txt",
        "national park board: tab table Saksnr./Innhold/Lukket/Arkivsaksnr with «Sak 01/2015», bold sections",
        2015,
        [
            ("Sak 01/2015", "1/15", "Godkjenning av innkalling og saksliste", None, "", None),
            ("Sak 02/2015", "2/15", "Godkjenning av protokoll fra møtet 1. desember 2014", None, "", None),
            (
                "Sak 03/2015",
                "3/15",
                "Vidfjell nasjonalpark – søknad om motorferdsel for transport av ved til Stølsbu",
                None,
                "",
                None,
            ),
            ("Sak 04/2015", "4/15", "Budsjett og tiltaksplan 2015", None, "", None),
            ("Sak 05/2015", "5/15", "Referatsaker", None, "", None),
            ("Sak 06/2015", "6/15", "Delegerte saker", None, "", None),
            ("(7/15)", "7/15", "Eventuelt", None, "", None),
        ],
    ),
    Layout(
        "forening_styremote.txt",
        "association board: «Dagsorden:» of «Sak 3» lines, type after a dash, «v/» presenter, unnumbered Eventuelt",
        2024,
        [
            ("Sak 1 (1/24)", "1/24", "Godkjenning av innkalling og dagsorden", None, "", None),
            ("Sak 2 (2/24)", "2/24", "Referat fra styremøtet 9. april", None, "", None),
            ("Sak 3 (3/24)", "3/24", "Dugnad og vårrydding", None, "beslutning", None),
            ("Sak 4 (4/24)", "4/24", "Søknad om kulturmidler fra kommunen", None, "", "kasserer"),
            ("Sak 5 (5/24)", "5/24", "Utleie av grendehuset, nye priser", None, "", None),
            ("(6/24)", "6/24", "Eventuelt", None, "", None),
        ],
    ),
    Layout(
        "arsmote_forening.txt",
        "association annual meeting: «Saksliste» as a numbered list «1. …», sub-items, a closing sentence",
        2024,
        [
            ("1 (1/24)", "1/24", "Åpning og godkjenning av innkalling", T(18, 30), "", None),
            ("2 (2/24)", "2/24", "Valg av møteleder, referent og to til å underskrive protokollen", None, "", None),
            ("3 (3/24)", "3/24", "Årsberetning 2023", None, "Orientering", None),
            ("4 (4/24)", "4/24", "Regnskap 2023 med revisors beretning", None, "Godkjenning", None),
            ("5 (5/24)", "5/24", "Innkomne forslag", None, "", None),
            ("6 (6/24)", "6/24", "Fastsettelse av kontingent og havneavgift for 2025", None, "", None),
            ("7 (7/24)", "7/24", "Budsjett 2024", None, "", None),
            ("8 (8/24)", "8/24", "Valg", None, "", "valgkomiteen"),
        ],
    ),
    Layout(
        "direktorat_styre.txt",
        "directorate board: pipe table Tid/Sak/Tema/Sakstype/Innleder (time first), «2019-45» numbers, pause row",
        2019,
        [
            ("2019-45", "45/19", "Godkjenning av innkalling og dagsorden", T(9), "Godkjenning", "Styreleder"),
            ("2019-46", "46/19", "Godkjenning av protokoll fra møte 5/2019", T(9, 5), "Godkjenning", "Styreleder"),
            ("2019-47", "47/19", "Virksomhetsplan 2020", T(9, 15), "Beslutning", "Direktør"),
            (
                "2019-48",
                "48/19",
                "Risikovurdering av tilskuddsforvaltningen",
                T(10, 45),
                "Drøfting",
                "Avdelingsdirektør økonomi",
            ),
            ("2019-49", "49/19", "Eventuelt", T(11, 45), "", None),
        ],
        end=T(12),
        meeting=("6/19", date(2019, 11, 21)),
    ),
    Layout(
        "styringsgruppe_region.txt",
        "regional steering group: no list, only sections «## Sak 17/24: …», «**Sak 19/24: …**», «Ansvarlig:» lines",
        2024,
        [
            ("Sak 17/24", "17/24", "Godkjenning av innkalling og referat fra forrige møte", None, "", "Prosjektleder"),
            (
                "Sak 18/24",
                "18/24",
                "Felles plattform for innbyggerdialog",
                None,
                "Drøfting",
                "Tone Lid, Fjordvik kommune",
            ),
            ("Sak 19/24", "19/24", "Budsjett 2025 for samarbeidet", None, "Beslutning", "Økonomirådgiver"),
            ("Sak 20/24", "20/24", "Eventuelt", None, "", None),
        ],
        meeting=("3/24", date(2024, 10, 15)),
        meeting_end=time(15, 30),  # "15. oktober 2024, kl. 13.00–15.30, Teams"
    ),
    Layout(
        "flattened_agenda.txt",
        "working committee: the table Saksnr./Tema/Klokka/Ansvarlig flattened onto one line, «1-24» numbers",
        2024,
        [
            ("1-24", "1/24", "Godkjenning av innkalling og saksliste", T(10), "", "Leder"),
            ("2-24", "2/24", "Oppfølging av handlingsplan 2024", T(10, 10), "", "Sekretariatsleder"),
            ("3-24", "3/24", "Høringsuttalelse om regional transportplan", T(10, 50), "", "Rådgiver samferdsel"),
            ("4-24", "4/24", "Eventuelt", T(11, 40), "", "Leder"),
        ],
        end=T(12),
        meeting=("1/24", date(2024, 1, 25)),
    ),
    Layout(
        "ansvarlig_table.txt",
        "programme board in the seed's table with an Ansvarlig column, a lunch row and an unnumbered Eventuelt",
        2024,
        [
            ("05/24", "5/24", "Godkjenning av innkalling og dagsorden", T(10), "Godkjenning", "Programeier"),
            ("06/24", "6/24", "Status og risiko per februar", T(10, 5), "Orientering", "Programleder"),
            ("07/24", "7/24", "Gevinstrealiseringsplan", T(10, 45), "Beslutning", "Gevinstansvarlig"),
            ("08/24", "8/24", "Veikart 2025–2026", T(12), "Drøfting", "Programleder"),
            ("(9/24)", "9/24", "Eventuelt", T(12, 50), "", "Programeier"),
        ],
        end=T(13),
        meeting=("2/24", date(2024, 3, 14)),
    ),
    Layout(
        "moteprotokoll_nynorsk.txt",
        "minutes of a municipal committee, nynorsk: member tables (Namn/Funksjon), then the «Sakliste» table",
        2024,
        [
            ("PS 7/24", "7/24", "Godkjenning av innkalling og sakliste", None, "", None),
            ("PS 8/24", "8/24", "Godkjenning av møtebok frå 18.01.2024", None, "", None),
            ("PS 9/24", "9/24", "Skulebruksplan 2024–2030 – oppstart", None, "", None),
            ("PS 10/24", "10/24", "Kulturprisen 2024", None, "", None),
            ("RS 2/24", "2/24", "Referatsaker", None, "", None),
        ],
    ),
    Layout(
        "seed-10",
        "the seed's own layout with 10 cases",
        2020,
        _seed_rows(10),
        end=T(10, 40),
        meeting=("5/20", date(2020, 9, 9)),
    ),
    Layout(
        "seed-30",
        "the seed's own layout with 30 cases",
        2020,
        _seed_rows(30),
        end=T(14),
        meeting=("5/20", date(2020, 9, 9)),
    ),
]


def _shown(rows: list[Row], year: int) -> list[Shown]:
    keys = case_keys(rows, year)
    return [
        (
            Case(key, row.title, label=None if row.label == str(key) else row.label).shown_number,
            str(key),
            row.title,
            row.start,
            row.type_text,
            row.presenter,
        )
        for row, key in zip(rows, keys, strict=True)
    ]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout.name for layout in LAYOUTS])
def test_the_agenda_of_each_layout(layout: Layout) -> None:
    rows, end = find_agenda([clean(line) for line in layout.text().split("\n")])
    assert _shown(rows, layout.year) == layout.rows
    assert end == layout.end


WITH_MEETING = [layout for layout in LAYOUTS if layout.meeting is not None]


@pytest.mark.parametrize("layout", WITH_MEETING, ids=[layout.name for layout in WITH_MEETING])
def test_the_reader_imports_each_layout(layout: Layout) -> None:
    notice = parse_notice(layout.text(), layout.name)
    meeting = notice.meeting
    assert (str(meeting.number), meeting.day) == layout.meeting
    cases = [(c.shown_number, str(c.number), c.title, c.start, c.presenter) for c in meeting.cases]
    assert cases == [(shown, key, title, start, who) for shown, key, title, start, _type, who in layout.rows]
    assert [c.case_type for c in meeting.cases] == [case_type(row[4]) for row in layout.rows]
    assert meeting.end == (layout.meeting_end or layout.end)
    assert notice.warnings == []


@dataclass(frozen=True)
class HeadExpected:
    """What a fixture gives once the meeting, place and proposal readers of issue 16 are merged."""

    name: str
    day: date
    location: str | None = None
    numbered: bool = True
    minutes: bool = False
    web: bool = False
    proposals: dict[str, str] = field(default_factory=dict)  # key → proposal
    decisions: dict[str, str] = field(default_factory=dict)  # key → decision (minutes only)


def _seed_proposals(count: int) -> dict[str, str]:
    return {f"{20 + n}/20": f"Styringsgruppen slutter seg til forslag nummer {n + 1}." for n in range(count)}


HEAD_EXPECTED = [
    HeadExpected(
        "kommunestyre_ps.txt",
        date(2024, 9, 12),
        "Kommunestyresalen, rådhuset",
        numbered=False,
        proposals={
            "41/24": "Innkalling og saksliste godkjennes.",
            "43/24": "Kommunestyret vedtar reguleringsplan for Nordre Holm boligfelt, plan-ID 2022004, med "
            "bestemmelser datert 15.08.2024.",
        },
    ),
    HeadExpected(
        "formannskap_nynorsk.txt",
        date(2024, 10, 3),
        "Møterom Gjuvet, kommunehuset",
        numbered=False,
        proposals={
            "58/24": "Innkalling og sakliste vert godkjende.",
            "60/24": "Formannskapet fordeler tilskot til lag og organisasjonar for 2025 slik det går fram av "
            "vedlegg 1.",
            "62/24": "Fjellbygd kommune sel tomt 14 i Lundebakken industriområde til Fjordsag AS for 380 000 kroner.",
        },
    ),
    HeadExpected(
        "helseforetak_styresak.txt",
        date(2024, 9, 19),
        None,  # the place is only in the covering letter's prose
        numbered=False,
        proposals={
            "45/24": "Styret godkjenner innkalling og saksliste for styremøtet 19. september 2024.",
            "49/24": "Styret tar innspillene fra drøftingen med seg i det videre arbeidet med utviklingsplanen.",
        },
    ),
    HeadExpected(
        "helseforetak_st.txt",
        date(2020, 3, 12),
        None,  # "Sted: Videomøte" names no place: the meeting is a web meeting
        numbered=False,
        web=True,
        proposals={
            "1/20": "Innkalling og dagsorden godkjennes.",
            "4/20": "Styret ber administrerende direktør sende planen på høring med de innspillene som kom fram i "
            "møtet.",
        },
    ),
    HeadExpected(
        "helse_regionalt_liste.txt",
        date(2021, 12, 9),
        None,  # "i Tromsø" only in the covering letter's prose
        numbered=False,
        proposals={"76/21": "Innkalling og saksliste godkjennes."},
    ),
    HeadExpected(
        "nasjonalparkstyre.txt",
        date(2015, 3, 9),
        "Vidfjell besøkssenter, Storstølen",
        numbered=False,
        proposals={
            "1/15": "Innkalling og saksliste godkjennes.",
            "3/15": "Nasjonalparkstyret gir dispensasjon etter verneforskriften § 3 for fire turer med snøscooter "
            "til Stølsbu i perioden 1. mars–15. april 2015.",
        },
    ),
    HeadExpected("forening_styremote.txt", date(2024, 5, 14), "Grendehuset, peisestua", numbered=False),
    HeadExpected("arsmote_forening.txt", date(2024, 3, 7), "Klubbhuset på moloen", numbered=False),
    HeadExpected(
        "direktorat_styre.txt",
        date(2019, 11, 21),
        "Direktoratets lokaler, møterom Rondane",
        proposals={"47/19": "Styret vedtar virksomhetsplan for 2020."},
    ),
    HeadExpected(
        "styringsgruppe_region.txt",
        date(2024, 10, 15),
        "Teams",  # "…, Teams" on the date line: a web meeting, where the platform is all the place there is
        web=True,
        proposals={
            "17/24": "Styringsgruppen godkjenner innkalling og referat fra møte 2/24.",
            "18/24": "Styringsgruppen ber prosjektet utrede alternativ 2 videre og legge fram en anbefaling i neste "
            "møte.",
            "19/24": "Styringsgruppen vedtar budsjett for 2025 og sender det til kommunene for innarbeiding i deres "
            "budsjetter.",
        },
    ),
    HeadExpected(
        "flattened_agenda.txt",
        date(2024, 1, 25),
        proposals={"3/24": "Arbeidsutvalget slutter seg til utkastet til høringsuttalelse."},
    ),
    HeadExpected(
        "ansvarlig_table.txt",
        date(2024, 3, 14),
        proposals={
            "5/24": "Programstyret godkjenner innkalling og dagsorden.",
            "7/24": "Programstyret vedtar gevinstrealiseringsplanen.",
        },
    ),
    HeadExpected(
        "moteprotokoll_nynorsk.txt",
        date(2024, 2, 22),
        "Kommunestyresalen",
        numbered=False,
        minutes=True,
        proposals={
            "9/24": "Hovudutvalet ber kommunedirektøren starte arbeidet med skulebruksplan etter opplegget i saka.",
        },
        decisions={
            "7/24": "Innkalling og sakliste vert godkjende.",
            "9/24": "Hovudutvalet ber kommunedirektøren starte arbeidet med skulebruksplan etter opplegget i saka. "
            "Foreldreråda skal høyrast før planen blir lagd fram.",
        },
    ),
    HeadExpected("seed-10", date(2020, 9, 9), proposals=_seed_proposals(10)),
    HeadExpected("seed-30", date(2020, 9, 9), proposals=_seed_proposals(30)),
]
_BY_NAME = {layout.name: layout for layout in LAYOUTS}


@pytest.mark.parametrize("head", HEAD_EXPECTED, ids=[head.name for head in HEAD_EXPECTED])
def test_what_the_head_readers_add(head: HeadExpected) -> None:
    layout = _BY_NAME[head.name]
    notice = parse_notice(layout.text(), layout.name)
    meeting = notice.meeting
    assert meeting.day == head.day
    assert meeting.location == head.location
    assert meeting.web == head.web
    assert (notice.numbered, notice.minutes) == (head.numbered, head.minutes)
    assert [str(c.number) for c in meeting.cases] == [row[1] for row in layout.rows]
    by_key = {str(c.number): c for c in meeting.cases}
    assert {key: by_key[key].proposal for key in head.proposals} == head.proposals
    assert {key: by_key[key].decision for key in head.decisions} == head.decisions


def test_every_fixture_is_in_the_table() -> None:
    files = {path.name for path in NOTICES.glob("*.txt")}
    assert files == {layout.name for layout in LAYOUTS if not layout.name.startswith("seed-")}
    assert files | {"seed-10", "seed-30"} == {head.name for head in HEAD_EXPECTED}
    assert len(files) >= 12


# --- find_agenda on small strings ------------------------------------------------------------------------------
def _rows(text: str) -> list[tuple[str, str, time | None, str, str | None]]:
    rows, _end = find_agenda([clean(line) for line in text.split("\n")])
    return [(row.label, row.title, row.start, row.type_text, row.presenter) for row in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Header words in any order; "Sak" is the number when another column holds the title …
        ("Tittel\tSak\tKl.\n Budsjett\t3/24\tkl. 10.15\n", [("3/24", "Budsjett", T(10, 15), "", None)]),
        # … and the title when another holds the number.
        ("| Nr. | Sak | Ansv. |\n|--|--|--|\n| 3 | Budsjett | Kari |", [("3", "Budsjett", None, "", "Kari")]),
        ("Saknr.\tInnhald\tKlokka\n1/24\tOpning\t10.00–10.15", [("1/24", "Opning", T(10), "", None)]),
        # A title the converter wrapped onto a row of its own, a break, and an end row.
        (
            "Sak\tTema\tTid\n4/24\tPlan for\t09.00\n\tvidere arbeid\t\n\tLunsj\t11.30\n\tMøtet slutt\t12.00",
            [("4/24", "Plan for videre arbeid", T(9), "", None)],
        ),
        # A meeting plan table is no agenda.
        ("Dato\tTid\tTema\n17. sept.\t10.00\tWebmøte", []),
    ],
)
def test_tables(text: str, expected: list[tuple[str, str, time | None, str, str | None]]) -> None:
    assert _rows(text) == expected


def test_a_flattened_table_with_bare_numbers_and_a_trailing_unnumbered_row() -> None:
    flat = "Nr Tittel Tid Type 1 Godkjenning 10.00 Godkjenning 2 Budsjett 10.30 Beslutning Eventuelt 11.00"
    assert _rows(flat) == [
        ("1", "Godkjenning", T(10), "Godkjenning", None),
        ("2", "Budsjett", T(10, 30), "Beslutning", None),
        ("", "Eventuelt", T(11), "", None),
    ]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("1. Godkjenning av innkalling", ("1", "Godkjenning av innkalling", None, "", None)),
        ("Sak 3 Orientering om vegar kl. 10.15", ("Sak 3", "Orientering om vegar", T(10, 15), "", None)),
        ("PS 14/75 Budsjett 2025 – vedtak", ("PS 14/75", "Budsjett 2025", None, "vedtak", None)),
        ("2019-45 10.15–10.45 Tittel [Drøfting]", ("2019-45", "Tittel", T(10, 15), "Drøfting", None)),
        ("- Sak 2: Økonomi (Orientering) v/ daglig leder", ("Sak 2", "Økonomi", None, "Orientering", "daglig leder")),
        ("4) Søknad – Nordre Holm", ("4", "Søknad – Nordre Holm", None, "", None)),  # a dash without a type
    ],
)
def test_list_items(item: str, expected: tuple[str, str, time | None, str, str | None]) -> None:
    assert _rows(f"Saksliste\n\n{item}\n") == [expected]


def test_a_list_ends_where_the_sections_begin_and_needs_a_number() -> None:
    text = "# Dagsorden\n\nSak 1 Åpning\nEventuelt\n\n# Sak 1 Åpning\n\nTekst.\n"
    assert _rows(text) == [("Sak 1", "Åpning", None, "", None), ("", "Eventuelt", None, "", None)]
    assert _rows("Agenda\n\n- Kaffe\n- Prat\n") == []  # bullets alone are no agenda
    assert find_agenda(["Sakliste", "1. Opning", "", "Møtet sluttar kl. 15.00"])[1] == T(15)


def test_sections_when_there_is_no_list() -> None:
    text = (
        "## PS 14/75 Budsjett\n\nTekst.\n\n**Sak 17/20**\n\n**Status**\n\nSakstype: Orientering\nKl.: 10.30\n\n"
        "ST 4/2020 Strategi\n\nSak 19/20 ble behandlet i forrige møte, og saken er nå ferdig utredet og lagt fram.\n"
    )
    assert _rows(text) == [
        ("PS 14/75", "Budsjett", None, "", None),
        ("Sak 17/20", "Status", T(10, 30), "Orientering", None),
        ("ST 4/2020", "Strategi", None, "", None),
    ]
    assert _rows("Møte 4/20\n\nSak 17/20") == []  # a number without a title is no agenda


def test_unique_keys_for_unnumbered_rows_and_a_second_series() -> None:
    rows = [Row("PS 5/24", "A"), Row("RS 5/24", "B"), Row("", "Eventuelt"), Row("Sak 3", "C")]
    assert case_keys(rows, 2024) == [Serial(2024, 5), Serial(2024, 6), Serial(2024, 7), Serial(2024, 3)]
    assert case_keys([Row("1/24", "A"), Row("", "Eventuelt")], 2024, [Serial(2024, 2)])[1] == Serial(2024, 3)
    assert Row("", "Eventuelt").number(2024) is None
    assert Row("Sak 3", "C").number(2024) == Serial(2024, 3)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Styresak 045-2024", Serial(2024, 45)),
        ("Styresak nr: 72/01", Serial(2001, 72)),
        ("sak 76/21", Serial(2021, 76)),
        ("NP-sak 12/2015", Serial(2015, 12)),
        ("Sak nr. 3", Serial(2024, 3)),
    ],
)
def test_more_label_prefixes(label: str, expected: Serial) -> None:
    assert Serial.parse_label(label, 2024) == expected


def test_a_number_column_without_a_header() -> None:
    assert _rows("| | Sak | Tid |\n|--|--|--|\n| 17/20 | Godkjenning | 09.00 |") == [
        ("17/20", "Godkjenning", T(9), "", None)
    ]
    assert _rows("Saker til handsaming\n\nSak 2/24 Opning\n") == [("Sak 2/24", "Opning", None, "", None)]


_PIECES = ["Sak", "Agenda", "Tid", "Sakstype", "Tittel", "17/20", "PS 3/24", "kl.", "10.00", "–", "v/", "(", ")"]
_PIECES += ["Orientering", "Eventuelt", "Saksliste", "1.", "**", "#", "|", "\t", "\n", "\n\n", "\f", "Møtet ferdig"]


@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=8), max_size=80))
def test_any_text_gives_rows_or_none_and_never_a_crash(pieces: list[str]) -> None:
    text = " ".join(pieces)
    rows, _end = find_agenda([clean(line) for line in text.split("\n")])
    keys = case_keys(rows, 2024)
    assert len(set(keys)) == len(rows)
    assert all(row.title for row in rows)


def test_a_flattened_table_with_prefixed_numbers() -> None:
    flat = "Saksnr. Tittel Tid Sak 1 Opning 18.00 Sak 2 Oppfølging av sak 1 fra i fjor 18.10 Møtet slutt 19.00"
    rows, end = find_agenda([flat])
    assert [(row.label, row.title, row.start) for row in rows] == [
        ("Sak 1", "Opning", T(18)),
        ("Sak 2", "Oppfølging av sak 1 fra i fjor", T(18, 10)),
    ]
    assert end == T(19)
