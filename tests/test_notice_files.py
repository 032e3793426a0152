"""Notice files in every format the secretariats send, written for real by tests/documents.py from the seed's
text, read back through bot.core.notices.files: each must give the same meeting as the text itself."""

from __future__ import annotations

import codecs
import functools
import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest

from bot.core.domain import Meeting, Serial
from bot.core.notices.files import document_text
from bot.core.notices.reader import NoticeError, parse_bytes, parse_notice, read_notice
from tests import documents
from tests.processes import motebot
from tests.support import SEED, RunningBot

SEED_TEXT = SEED.read_text(encoding="utf-8")
# The seed is a slide deck turned into text: its slides are the runs of three or more blank lines. As the
# secretariat's real file each slide is a page (a slide, a page of the PDF, a page break in Word).
SEED_PAGES = re.sub(r"\n(?:[ \t]*\n){3,}", "\n\f", SEED_TEXT)
HEADER = "Styringsgruppen for Akson – innkalling"
FOOTER = "Direktoratet for e-helse, Postboks 6737 St. Olavs plass"


@functools.cache
def seed_pdf(ruled: bool = True, furniture: bool = True) -> bytes:
    """The seed as a PDF, written once for the tests that read it (reportlab lays it out twice, for "av N")."""
    if furniture:
        return documents.pdf_from_text(SEED_PAGES, ruled_tables=ruled, header=HEADER, footer=FOOTER)
    return documents.pdf_from_text(SEED_PAGES, ruled_tables=ruled, page_numbers=False)


@pytest.fixture(scope="module")
def seed() -> Meeting:
    return parse_notice(SEED_TEXT, "akson_4_20.txt").meeting


WRITERS = {
    "pdf": lambda text: seed_pdf(),
    "borderless.pdf": lambda text: seed_pdf(ruled=False, furniture=False),
    "docx": lambda text: documents.docx_from_text(text, header=HEADER, footer=FOOTER),
    "pptx": lambda text: documents.pptx_from_text(text, footer=FOOTER),
    "odt": documents.odt_from_text,
    "html": documents.html_from_text,
}


@pytest.mark.parametrize("kind", list(WRITERS))
def test_each_format_of_the_seed_gives_the_same_meeting_as_its_text(kind: str, seed: Meeting) -> None:
    data = WRITERS[kind](SEED_PAGES)
    notice = parse_bytes(data, f"innkalling.{kind}")
    meeting = notice.meeting
    assert (meeting.number, meeting.day, meeting.start, meeting.end) == (
        Serial(2020, 4),
        seed.day,
        seed.start,
        seed.end,
    )
    assert [(c.number, c.title, c.start, c.case_type, c.proposal) for c in meeting.cases] == [
        (c.number, c.title, c.start, c.case_type, c.proposal) for c in seed.cases
    ]
    assert meeting == seed


def test_a_docx_agenda_in_a_real_word_table_reads_as_cells_and_headers_footers_stay_out() -> None:
    data = documents.docx_from_text(SEED_TEXT, header=HEADER, footer=FOOTER)
    assert len(docx.Document(io.BytesIO(data)).tables) == 1  # the agenda is a Word table, not tabbed text
    text = document_text(data, "innkalling.docx")
    assert "\n\nSak\tAgenda Styringsgruppemøte for Akson\tTid\tSakstype\n17/20\tGodkjenning av innkalling" in text
    assert "\t\tMøtet ferdig\t10.30\t" not in text and "\tMøtet ferdig\t10.30\t\n\n" in text
    assert HEADER not in text and "Postboks" not in text
    # Body order: the table stands between the date and the first case, as in the document.
    assert text.index("1. juli 2020") < text.index("17/20\t") < text.index("Sak 17/20")


def test_a_pdf_without_its_running_header_footer_and_page_numbers() -> None:
    text = document_text(seed_pdf(), "innkalling.pdf")
    assert "\f" in text  # its pages
    assert HEADER not in text and "Postboks" not in text and "Side 1 av" not in text and "av 1" not in text
    # The seed's own "Direktoratet for e-helse" lines stand in the text, not in the margins: they stay.
    assert "Direktoratet for\ne-helse" in text
    assert "# Styringsgruppemøte for Akson" in text and "## Sak 18/20: Status for arbeidet med Akson" in text
    assert "\n- Ny ekstern kvalitetssikring bør gjennomføres etter at prosjektet har oppdatert SSD.\n" in text


@pytest.mark.parametrize(
    "footer",
    ["Side {n} av {total}", "side {n}", "- {n} -", "{n}", "Page {n} of {total}"],
)
def test_page_numbers_in_every_common_form_are_left_out(footer: str) -> None:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in range(1, 4):
        page.drawString(72, 770, f"Avsnitt {n} på siden.")
        page.drawCentredString(300, 30, footer.format(n=n, total=3))
        page.showPage()
    page.save()
    text = document_text(out.getvalue(), "sider.pdf")
    assert text == "Avsnitt 1 på siden.\n\f\nAvsnitt 2 på siden.\n\f\nAvsnitt 3 på siden.\n"


def test_a_line_in_the_margin_on_one_page_only_is_kept() -> None:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in range(1, 4):
        page.drawString(72, 770, f"Avsnitt {n}.")
        if n == 2:
            page.drawString(72, 30, "Vedlegg: budsjett for 2021")
        page.showPage()
    page.save()
    assert "Vedlegg: budsjett for 2021" in document_text(out.getvalue(), "sider.pdf")


def test_a_borderless_pdf_table_keeps_its_columns_apart_by_tabs() -> None:
    text = document_text(seed_pdf(ruled=False, furniture=False), "innkalling.pdf")
    assert "\n17/20\tGodkjenning av innkalling og dagsorden\t09.00\tGodkjenning\n" in text
    assert "\nMøtet ferdig\t10.30\n" in text


def test_a_ruled_pdf_table_is_read_once_as_cells() -> None:
    text = document_text(seed_pdf(), "innkalling.pdf")
    assert "\n17/20\tGodkjenning av innkalling og dagsorden\t09.00\tGodkjenning\n" in text
    assert text.count("Godkjenning av innkalling og dagsorden") == 2  # the row, and the case's own heading


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its BOM
        lambda text: text.encode("cp1252"),
        lambda text: text.replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf-8-bom", "utf-16-bom", "cp1252", "cp1252-crlf"],
)
def test_text_in_the_encodings_windows_saves(encode, seed: Meeting) -> None:  # type: ignore[no-untyped-def]
    text = "«Møte 4/20 … Godkjenning»\n\n" + SEED_TEXT.replace("\u00a0", " ")
    notice = parse_bytes(encode(text), "innkalling.txt")
    assert notice.meeting == seed
    assert document_text(encode("«Møte 4/20 … Godkjenning»"), "x.txt") == "«Møte 4/20 … Godkjenning»"


def _refused(data: bytes, name: str, seconds: float = 30) -> str:
    with pytest.raises(NoticeError) as raised:
        document_text(data, name, seconds=seconds)
    return str(raised.value)


def test_a_scanned_pdf_is_answered_with_what_to_send_instead() -> None:
    message = _refused(documents.scanned_pdf(), "skannet.pdf")
    assert message == "skannet.pdf inneholder ingen tekst (en skannet side?) – send den som Word eller tekst."


def test_an_encrypted_pdf_a_damaged_file_and_one_that_is_not_what_it_says() -> None:
    assert "PDF-en er beskyttet med passord" in _refused(documents.encrypted_pdf(SEED_TEXT), "hemmelig.pdf")
    pdf = seed_pdf()
    assert _refused(pdf[: len(pdf) // 3], "halv.pdf") == "halv.pdf: filen er skadet og kan ikke leses som PDF."
    word = documents.docx_from_text(SEED_TEXT)
    assert "skadet" in _refused(word[: len(word) // 2], "halv.docx")
    assert "skadet" in _refused(b"%PDF-1.7\n" + bytes(range(256)) * 20, "rot.pdf")


def test_unknown_kinds_are_named_with_what_can_be_read() -> None:
    sheet = io.BytesIO()
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    archive_only = io.BytesIO()
    with zipfile.ZipFile(archive_only, "w") as archive:
        archive.writestr("innkalling.txt", SEED_TEXT)
    cases = {
        "bilde.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "bilder"),
        "foto.jpg": (b"\xff\xd8\xff\xe0" + bytes(64), "bilder"),
        "budsjett.xlsx": (sheet.getvalue(), "regneark (Excel)"),
        "vedlegg.zip": (archive_only.getvalue(), "ZIP-arkiver"),
        "gammel.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "gamle Office-filer"),
        "ukjent.bin": (bytes(range(256)), "denne filtypen"),
    }
    for name, (data, what) in cases.items():
        message = _refused(data, name)
        assert message.startswith(f"{name}: Møtebot kan ikke lese {what}"), message
        assert message.endswith("Send innkallingen som PDF, Word (.docx), PowerPoint (.pptx), "
                                "OpenDocument-tekst (.odt), HTML, Markdown eller tekst.")  # fmt: skip


def test_a_zip_bomb_is_refused_before_anything_is_unpacked() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/image1.png", bytes(150_000_000))
    assert len(bomb.getvalue()) < 1_000_000
    message = _refused(bomb.getvalue(), "bombe.docx")
    assert message == "bombe.docx: ville pakket seg ut til mer enn 100 MB – Møtebot åpner den ikke."


def test_a_pdf_with_too_many_pages_is_refused_with_the_reason() -> None:
    assert (
        _refused(documents.many_pages_pdf(201), "bok.pdf") == "bok.pdf: PDF-en har 201 sider – Møtebot leser høyst 200."
    )


def test_a_file_that_takes_too_long_is_stopped_and_the_next_one_reads() -> None:
    data = seed_pdf()
    assert _refused(data, "treg.pdf", seconds=0.001) == "treg.pdf: tok for lang tid å lese (mer enn 0.001 sekunder)."
    assert "Møte 4/20" in document_text(data, "rask.pdf")


def test_a_thirty_page_pdf_with_a_ruled_table_on_every_page_reads_in_seconds() -> None:
    """pdfminer (under pdfplumber) interprets each page in Python: about 55 ms a page here when the machine
    is idle (1.7 s for these 30), more with the other test workers running."""
    import time

    data = documents.pdf_from_text("\f".join([SEED_TEXT.split("Sak 17/20")[0]] * 30))
    document_text(documents.pdf_from_text("Møte 4/20"), "varm.pdf")  # the child started and warm
    started = time.perf_counter()
    text = document_text(data, "lang.pdf")
    assert time.perf_counter() - started < 15  # a bound for a loaded machine: it catches a quadratic turn
    assert text.count("\f") == 29


def test_read_notice_reads_a_pdf_and_refuses_what_is_too_big(tmp_path: Path, seed: Meeting) -> None:
    (tmp_path / "innkalling.pdf").write_bytes(seed_pdf())
    assert read_notice(tmp_path / "innkalling.pdf").meeting == seed
    (tmp_path / "stor.pdf").write_bytes(b"%PDF-1.7\n" + bytes(20_000_000))
    with pytest.raises(NoticeError, match="for stor"):
        read_notice(tmp_path / "stor.pdf")


def test_motebot_import_reads_a_pdf(tmp_path: Path) -> None:
    (tmp_path / "innkalling.pdf").write_bytes(seed_pdf())
    done = motebot("import", "innkalling.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Importerte møte 4/20 (Styringsgruppemøte for Akson, onsdag 1. juli 2020): 3 saker" in done.stdout


def test_a_docx_sent_by_dm_imports(empty_bot: RunningBot) -> None:
    from tests.support import SEKRETARIAT

    bot = empty_bot
    data = documents.docx_from_text(SEED_PAGES)
    posted = bot.share_file(SEKRETARIAT, "innkalling.docx", data, file_id="F0DOCX001", event_id="EvDocx1")
    shown = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "*17/20* 09.00 Godkjenning av innkalling og dagsorden _Godkjenning_" in shown  # the preview
    assert bot.store.meetings.get(Serial(2020, 4)) is None
    blocks = json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]
    importer = next(
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "Importer"
    )
    assert bot.click(SEKRETARIAT, importer["action_id"], importer["value"]).status == 200
    bot.settle()
    assert "Importerte *møte 4/20*" in bot.standin.calls_to("response_url")[-1].params["text"]
    assert bot.store.meetings.get(Serial(2020, 4)) == parse_notice(SEED_TEXT, "x").meeting


def test_an_agenda_of_thousands_of_rows_is_refused_with_the_limit() -> None:
    rows = "\n".join(f"{n}/20\tSak nummer {n}\t09.00\tOrientering" for n in range(1, 251))
    text = f"# Styremøte\n\nMøte 4/20\n1. juli 2020\n\nSak\tAgenda\tTid\tSakstype\n{rows}\n"
    with pytest.raises(NoticeError, match="dagsordenen har 250 saker; Møtebot tar høyst 200 i ett møte"):
        parse_bytes(documents.docx_from_text(text), "liste.docx")
