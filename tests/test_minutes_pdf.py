"""The minutes' PDF, read back as a reader's PDF tool reads it (pdfplumber): every word of the document in it, the
body's name atop every page, «Side N av M» at the foot, the title in the metadata, and the same bytes each time."""

from __future__ import annotations

import io
import re

import pdfplumber

from bot.core.i18n import language
from bot.core.minutes.document import Bullets, Document, Fields, Heading, Paragraph
from bot.core.minutes.pdf import to_pdf

TITLE = "Møteprotokoll – Styringsgruppemøte for Akson, møte 4/20, onsdag 1. juli 2020 kl. 09.00–10.30"
HEADER = "Styringsgruppen for Akson"
FOOTER = "Utkast"
FIELDS = (
    ("Tid", "onsdag 1. juli 2020 kl. 09.00–10.30"),
    ("Sted", "Møterom «Fjellet» & kantina"),
    ("Til stede", "Kari Nordmann (leder), Ola Nordmann, Åse Ødegård, Pål Ærlig (vara for Jon Øvre)"),
    ("Forfall", "Jon Øvre"),
)
URL = "https://www.regjeringen.no/no/dokumenter/" + "veldig-lang-adresse-uten-mellomrom-" * 6 + "slutt"


def _minutes() -> Document:
    """Three pages: the meeting's facts, two cases with the user's own & and <tag>, and a long list of remarks."""
    remarks = tuple(f"Merknad {n} fra Åse Ødegård – «punkt {n}» i § {n}" for n in range(1, 71))
    return Document(
        title=TITLE,
        header=HEADER,
        footer=FOOTER,
        blocks=(
            Fields(FIELDS),
            Heading("Sak 17/20 Budsjett for 2021 – <tag> & sånt"),
            Paragraph("Kort om drøftingen: ÆØÅ æøå, «sitat», § 11-4 og videre …"),
            Paragraph("Vedtak: Styringsgruppen vedtar budsjettet <b>som lagt fram</b> & ber om rapport.", True),
            Heading("Forslag", level=3),
            Bullets(("Forslag fra Kari Nordmann: R&D <økes>", f"Vedlegg: {URL}")),
            Heading("Sak 18/20 Eventuelt"),
            Bullets(remarks),
        ),
    )


def _pages(pdf: bytes) -> tuple[list[str], dict[str, object]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() for page in document.pages], dict(document.metadata)


def _flat(text: str) -> str:
    """The words in order, whatever the lines broke them at."""
    return " ".join(text.split())


def test_every_word_of_the_minutes_is_in_the_pdf() -> None:
    minutes = _minutes()
    pages, _metadata = _pages(to_pdf(minutes))
    text = _flat(" ".join(pages))
    wanted = [minutes.title]
    for block in minutes.blocks:
        if isinstance(block, Heading | Paragraph):
            wanted.append(block.text)
        elif isinstance(block, Bullets):
            wanted += [item for item in block.items if item != f"Vedlegg: {URL}"]
        elif isinstance(block, Fields):
            wanted += [f"{label} {value}" for label, value in block.pairs]
    for words in wanted:
        assert _flat(words) in text, words
    # The address is longer than a line: broken inside it, not lost.
    assert URL in "".join(text.split())
    assert "(cid:" not in text  # no character the reader's tool cannot read back (a typeset "•" would be)


def test_each_page_has_the_body_atop_and_its_number_at_the_foot() -> None:
    pages, _metadata = _pages(to_pdf(_minutes()))
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        lines = text.splitlines()
        assert lines[0] == HEADER
        assert lines[-1] == f"{FOOTER} Side {number} av 3"
    assert re.search(r"Møteprotokoll – Styringsgruppemøte", pages[0])
    assert "Merknad 70" in pages[2]


def test_the_footer_is_optional_and_the_page_number_stays() -> None:
    document = Document("Møteprotokoll", HEADER, (Paragraph("Kort."),))
    pages, _metadata = _pages(to_pdf(document))
    assert pages[0].splitlines()[-1] == "Side 1 av 1"


def test_the_page_number_is_in_the_readers_language() -> None:
    """The words go through the catalog: a nynorsk body's minutes say «Side 1 av 1» in nynorsk too."""
    document = Document("Møteprotokoll", HEADER, (Paragraph("Kort."),))
    with language("nn"):
        pages, _metadata = _pages(to_pdf(document))
    assert pages[0].splitlines()[-1] == "Side 1 av 1"  # the nn catalog says it as nb does


def test_the_metadata_names_the_minutes_and_motebot() -> None:
    _pages_text, metadata = _pages(to_pdf(_minutes()))
    assert metadata["Title"] == TITLE
    assert metadata["Author"] == "Møtebot"


def test_the_same_minutes_give_the_same_bytes() -> None:
    first, second = to_pdf(_minutes()), to_pdf(_minutes())
    assert first.startswith(b"%PDF-")
    assert first == second
    changed = Document(TITLE, HEADER, _minutes().blocks, footer="Godkjent")
    assert to_pdf(changed) != first


def test_text_that_would_trouble_the_layout_is_set_all_the_same() -> None:
    """A field longer than a page, control characters, a heading level the document has no style for, letters
    Helvetica lacks, empty lists: set, not failed."""
    document = Document(
        title="T\x00itle\x0b",
        header="H\x1f",
        blocks=(
            Fields((("Merknad", "ord " * 2500), ("Ekstra", "x" * 3000))),
            Fields(()),
            Bullets(()),
            Heading("Nivå null", level=0),
            Heading("Nivå sju", level=7),
            Paragraph("Łukasz Čoavddát 🎉 &amp; &#169; <br/> <para>"),
        ),
    )
    pages, _metadata = _pages(to_pdf(document))
    text = _flat(" ".join(pages))
    assert len(pages) > 3
    assert "Nivå null" in text and "Nivå sju" in text
    assert "&amp; &#169; <br/> <para>" in text  # shown as typed, not read as markup
    assert all(f"av {len(pages)}" in page for page in pages)
