"""The minutes as a PDF: A4, the body's name at the head of every page, the footer and «Side N av M» at its foot.

Typeset with reportlab's platypus in the standard Helvetica (WinAnsi: æøå ÆØÅ, «», –, §, … and the rest of
Western European text; nothing to embed, so the file stays small). What WinAnsi lacks (Sámi č ŋ ŧ đ, Polish ł,
emoji) comes out as a black box, never as a failure. Laid out twice: the first pass counts the
pages for "av M", the second writes them; the page furniture sits in the margins, so both passes break the
pages alike. `invariant` leaves the clock out of the file: the same document gives the same bytes.
"""

from __future__ import annotations

import re
from html import escape
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from bot.core.i18n import _, current_language
from bot.core.minutes.document import Bullets, Document, Fields, Heading
from bot.core.minutes.document import Paragraph as TextParagraph

AUTHOR = "Møtebot"
PAGE_WIDTH, PAGE_HEIGHT = A4
SIDE = 25 * mm  # left and right margins
TOP = BOTTOM = 27 * mm  # room for the running header and footer in the margins
TEXT_WIDTH = PAGE_WIDTH - 2 * SIDE
FONT, BOLD = "Helvetica", "Helvetica-Bold"

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, spaceAfter=6)
_TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=18, leading=22, spaceAfter=12)
_HEADINGS = {
    1: ParagraphStyle("h1", fontName=BOLD, fontSize=15, leading=19, spaceBefore=12, spaceAfter=6, keepWithNext=1),
    2: ParagraphStyle("h2", fontName=BOLD, fontSize=13, leading=17, spaceBefore=10, spaceAfter=5, keepWithNext=1),
    3: ParagraphStyle("h3", fontName=BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4, keepWithNext=1),
}
_DECISION = ParagraphStyle(
    "decision", parent=_BODY, fontName=BOLD, leftIndent=5, rightIndent=5, spaceBefore=6, spaceAfter=10,
    borderWidth=0.6, borderColor=colors.grey, borderPadding=5, backColor=colors.HexColor("#f2f2f2"),
)  # fmt: skip
_BULLET = ParagraphStyle("bullet", parent=_BODY, leftIndent=14, bulletIndent=3, spaceAfter=2)
_LABEL = ParagraphStyle("label", parent=_BODY, fontName=BOLD, spaceAfter=0)
_VALUE = ParagraphStyle("value", parent=_BODY, spaceAfter=0)
_FURNITURE = ParagraphStyle(
    "furniture", fontName=FONT, fontSize=8.5, leading=10.5, textColor=colors.HexColor("#444444")
)
_PAGE_NUMBER = ParagraphStyle("page", parent=_FURNITURE, alignment=TA_RIGHT)

# C0 controls (but tab and newline) and DEL: not text, and reportlab's Paragraph would not take all of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _markup(text: str) -> str:
    """Plain text as Paragraph's mini-markup reads it: only &, < and > mean anything there."""
    return escape(_CONTROL.sub(" ", text), quote=False)


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


class _Item(Paragraph):
    """A list item with its bullet drawn, not typeset: Helvetica's "•" is code 127 in reportlab's WinAnsi,
    which text extraction (copying from the PDF, a screen reader) reads as no character at all."""

    marked = True  # the first part only, when the item is split over a page break

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for part in parts[1:]:
            if isinstance(part, _Item):
                part.marked = False
        return parts

    def draw(self) -> None:
        super().draw()
        if self.marked:
            size = self.style.fontSize
            self.canv.circle(
                self.style.bulletIndent + size / 5, self.height - size + size / 3, size / 5, stroke=0, fill=1
            )


def _fields(pairs: tuple[tuple[str, str], ...]) -> Table:
    """Label and value side by side: the labels' column as wide as the widest (up to a third), values wrapping."""
    padding = 8
    widest = max(stringWidth(label, BOLD, _LABEL.fontSize) for label, _value in pairs) + padding
    label_width = min(widest, TEXT_WIDTH / 3)
    rows = [[_paragraph(label, _LABEL), _paragraph(value, _VALUE)] for label, value in pairs]
    style = TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), padding),
        ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])  # fmt: skip
    # splitInRow: a value longer than a page goes on over the page break instead of failing the layout.
    return Table(rows, colWidths=[label_width, TEXT_WIDTH - label_width], style=style, hAlign="LEFT",
                 splitInRow=1, spaceAfter=8)  # fmt: skip


def _story(document: Document) -> list[Flowable]:
    story: list[Flowable] = [_paragraph(document.title, _TITLE)]
    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(_paragraph(block.text, _HEADINGS[min(max(block.level, 1), 3)]))
        elif isinstance(block, TextParagraph):
            story.append(_paragraph(block.text, _DECISION if block.emphasis else _BODY))
        elif isinstance(block, Bullets):
            story += [_Item(_markup(item), _BULLET) for item in block.items]
            story.append(Spacer(1, 4))
        elif isinstance(block, Fields) and block.pairs:
            story.append(_fields(block.pairs))
    return story


def _furniture(document: Document, pages: int) -> tuple[PageTemplate, list[int]]:
    """The page as every page of the minutes has it; the list counts the pages drawn."""
    drawn: list[int] = []

    def draw(canvas: Canvas, _template: BaseDocTemplate) -> None:
        drawn.append(1)
        number = Paragraph(_markup(_("Page {page} of {pages}", page=len(drawn), pages=pages)), _PAGE_NUMBER)
        number_width = stringWidth(number.getPlainText(), FONT, _FURNITURE.fontSize) + 2
        canvas.saveState()
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.4)
        rule_top, rule_bottom = PAGE_HEIGHT - TOP + 5 * mm, BOTTOM - 5 * mm
        canvas.line(SIDE, rule_top, PAGE_WIDTH - SIDE, rule_top)
        canvas.line(SIDE, rule_bottom, PAGE_WIDTH - SIDE, rule_bottom)
        header = Paragraph(_markup(document.header), _FURNITURE)
        header.wrapOn(canvas, TEXT_WIDTH, TOP)
        header.drawOn(canvas, SIDE, rule_top + 2 * mm)  # the header's last line just above the rule
        number.wrapOn(canvas, number_width, BOTTOM)
        number.drawOn(canvas, PAGE_WIDTH - SIDE - number_width, rule_bottom - 2 * mm - _FURNITURE.leading)
        if document.footer:
            footer = Paragraph(_markup(document.footer), _FURNITURE)
            _width, height = footer.wrapOn(canvas, TEXT_WIDTH - number_width - 6 * mm, BOTTOM)
            footer.drawOn(canvas, SIDE, rule_bottom - 2 * mm - height)  # its first line beside the page number
        canvas.restoreState()

    frame = Frame(SIDE, BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - TOP - BOTTOM, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="text")  # fmt: skip
    return PageTemplate(id="page", frames=[frame], onPage=draw, pagesize=A4), drawn


def _build(document: Document, pages: int) -> tuple[bytes, int]:
    out = BytesIO()
    template, drawn = _furniture(document, pages)
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=SIDE, rightMargin=SIDE, topMargin=TOP, bottomMargin=BOTTOM,
        title=document.title, author=AUTHOR, creator=AUTHOR, lang=current_language(), invariant=1,
        pageTemplates=[template],
    )  # fmt: skip
    doc.build(_story(document))
    return out.getvalue(), len(drawn)


def to_pdf(document: Document) -> bytes:
    _draft, pages = _build(document, 0)
    pdf, drawn = _build(document, pages)
    assert drawn == pages, "the second pass broke the pages differently from the first"
    return pdf
