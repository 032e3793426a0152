"""Real notice files, written with the writer libraries from the reader's own text dialect (pages split by "\\f",
"# " headings, "**bold**", "- " list items, tab-split table rows), so each converter is tested on files that
a word processor could have saved: the same notice as PDF, DOCX, PPTX, ODT and HTML."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")


@dataclass
class Block:
    kind: str  # "heading", "paragraph", "list", "table"
    level: int = 0
    lines: list[str] = field(default_factory=list)  # paragraph lines (hard breaks) or list items
    levels: list[int] = field(default_factory=list)  # list items' depth
    rows: list[list[str]] = field(default_factory=list)


def _unlink(text: str) -> str:
    return _LINK_RE.sub(r"\1", text.replace("\u00a0", " ")).rstrip().rstrip("\\").rstrip()


def plain(text: str) -> str:
    """The text without Markdown marks."""
    return _BOLD_RE.sub(r"\1", _unlink(text)).replace("**", "")


def runs(text: str) -> list[tuple[str, bool]]:
    """(text, bold) pieces of a line written with "**"."""
    text = _unlink(text)
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for match in _BOLD_RE.finditer(text):
        if match.start() > pos:
            pieces.append((text[pos : match.start()], False))
        pieces.append((match[1], True))
        pos = match.end()
    if pos < len(text):
        pieces.append((text[pos:].replace("**", ""), False))
    return [(piece, bold) for piece, bold in pieces if piece]


def pages(text: str) -> list[list[Block]]:
    """The dialect's structure: pages of blocks."""
    result: list[list[Block]] = []
    for page in text.replace("\r\n", "\n").split("\f"):
        blocks: list[Block] = []
        current: Block | None = None
        for raw in page.split("\n"):
            line = _unlink(raw)
            stripped = line.strip()
            if not stripped:
                current = None
                continue
            if "\t" in line:
                if current is None or current.kind != "table":
                    current = Block("table")
                    blocks.append(current)
                current.rows.append([plain(cell).strip() for cell in line.split("\t")])
            elif stripped.startswith("#"):
                level = len(stripped) - len(stripped.lstrip("#"))
                blocks.append(Block("heading", level, [stripped.lstrip("#").strip()]))
                current = None
            elif re.match(r"^\s*[-*] ", line):
                if current is None or current.kind != "list":
                    current = Block("list")
                    blocks.append(current)
                current.lines.append(stripped[2:].strip())
                current.levels.append((len(line) - len(line.lstrip())) // 2)
            else:
                if current is None or current.kind != "paragraph":
                    current = Block("paragraph")
                    blocks.append(current)
                current.lines.append(stripped)
        result.append(blocks)
    return result


# PDF (reportlab) ----------------------------------------------------------------------------------------------


def _markup(line: str) -> str:
    return "".join(f"<b>{html.escape(piece)}</b>" if bold else html.escape(piece) for piece, bold in runs(line))


def _pdf_story(text: str, ruled_tables: bool, width: float) -> list[object]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=7)
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=10, leading=12)
    sizes = {1: 18, 2: 14, 3: 12}
    story: list[object] = []
    for number, blocks in enumerate(pages(text)):
        if number:
            story.append(PageBreak())
        for block in blocks:
            if block.kind == "heading":
                size = sizes.get(block.level, 12)
                style = ParagraphStyle(
                    f"h{block.level}", fontName="Helvetica-Bold", fontSize=size, leading=size * 1.2,
                    spaceBefore=6, spaceAfter=8,
                )  # fmt: skip
                story.append(Paragraph(_markup(block.lines[0]), style))
            elif block.kind == "paragraph":
                story.append(Paragraph("<br/>".join(_markup(line) for line in block.lines), body))
            elif block.kind == "list":
                for item, level in zip(block.lines, block.levels, strict=True):
                    style = ParagraphStyle("item", parent=body, leftIndent=16 + 16 * level,
                                           bulletIndent=4 + 16 * level, spaceAfter=3)  # fmt: skip
                    story.append(Paragraph(_markup(item), style, bulletText="•"))
                story.append(Spacer(1, 4))
            else:
                columns = max(len(row) for row in block.rows)
                rows = [[*row, *[""] * (columns - len(row))] for row in block.rows]
                longest = [max(len(row[c]) for row in rows) + 4 for c in range(columns)]
                widths = [width * n / sum(longest) for n in longest]
                data = [[Paragraph(html.escape(value), cell) for value in row] for row in rows]
                style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
                if ruled_tables:
                    style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
                story.append(Table(data, colWidths=widths, style=TableStyle(style), hAlign="LEFT"))
                story.append(Spacer(1, 10))
    return story


def pdf_from_text(
    text: str,
    *,
    ruled_tables: bool = True,
    header: str | None = None,
    footer: str | None = None,
    page_numbers: bool = True,
) -> bytes:
    """A PDF as a word processor prints it: A4, 2.5 cm margins, the running header and footer in the
    margins, "Side N av M" at the foot of each page; "\\f" starts a new page; tables drawn as tables, with
    grid lines when `ruled_tables`, without (columns apart by white space only) when not."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    width, height = A4
    margin = 72

    def build(total: int) -> tuple[bytes, int]:
        counted = [0]

        def furniture(canvas: object, document: object) -> None:
            counted[0] += 1
            canvas.saveState()  # type: ignore[attr-defined]
            canvas.setFont("Helvetica", 9)  # type: ignore[attr-defined]
            if header:
                canvas.drawString(margin, height - 40, header)  # type: ignore[attr-defined]
            if footer:
                canvas.drawString(margin, 30, footer)  # type: ignore[attr-defined]
            if page_numbers:
                canvas.drawRightString(width - margin, 30, f"Side {counted[0]} av {total}")  # type: ignore[attr-defined]
            canvas.restoreState()  # type: ignore[attr-defined]

        out = io.BytesIO()
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
                                bottomMargin=margin, title="Innkalling")  # fmt: skip
        doc.build(_pdf_story(text, ruled_tables, width - 2 * margin), onFirstPage=furniture, onLaterPages=furniture)
        return out.getvalue(), counted[0]

    _, total = build(0)
    return build(total)[0]


def scanned_pdf(pages: int = 2) -> bytes:
    """A scan: each page only a picture (a grey page with dark bars where the lines were), no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("L", (210, 297), 235)
    draw = ImageDraw.Draw(picture)
    for y in range(30, 270, 12):
        draw.rectangle((25, y, 185, y + 5), fill=40)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for _ in range(pages):
        page.drawImage(ImageReader(picture), 0, 0, *A4)
        page.showPage()
    page.save()
    return out.getvalue()


def encrypted_pdf(text: str, password: str = "hemmelig") -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption(password))
    page.drawString(72, 770, plain(text.splitlines()[0]))
    page.save()
    return out.getvalue()


def many_pages_pdf(count: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in range(count):
        page.drawString(72, 770, f"Side {number + 1}")
        page.showPage()
    page.save()
    return out.getvalue()


# DOCX (python-docx) -------------------------------------------------------------------------------------------


def docx_from_text(text: str, *, header: str | None = None, footer: str | None = None) -> bytes:
    """A Word document: "# " as Heading styles, "- " as List Bullet, tab rows as a real Word table (Table
    Grid), "\\f" as a page break; `header`/`footer` in the section's header and footer parts."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    for number, blocks in enumerate(pages(text)):
        if number:
            document.add_page_break()
        for block in blocks:
            if block.kind == "heading":
                document.add_heading(plain(block.lines[0]), min(block.level, 9))
            elif block.kind == "paragraph":
                paragraph = document.add_paragraph()
                for index, line in enumerate(block.lines):
                    for piece, bold in runs(line):
                        paragraph.add_run(piece).bold = bold or None
                    if index < len(block.lines) - 1:
                        paragraph.add_run().add_break()
            elif block.kind == "list":
                for item, level in zip(block.lines, block.levels, strict=True):
                    paragraph = document.add_paragraph(style="List Bullet" if not level else "List Bullet 2")
                    for piece, bold in runs(item):
                        paragraph.add_run(piece).bold = bold or None
            else:
                columns = max(len(row) for row in block.rows)
                table = document.add_table(rows=len(block.rows), cols=columns)
                table.style = "Table Grid"
                for row, values in zip(table.rows, block.rows, strict=True):
                    for cell, value in zip(row.cells, values, strict=False):
                        cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# PPTX (python-pptx) -------------------------------------------------------------------------------------------


def pptx_from_text(text: str, *, slide_numbers: bool = True, footer: str | None = None) -> bytes:
    """A slide deck: each "\\f" page a slide, a "# " line that opens it the title placeholder, the rest text boxes
    and tables stacked top to bottom; slide-number and footer placeholders filled in from the layout."""
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    title_only, blank = deck.slide_layouts[5], deck.slide_layouts[6]
    width = deck.slide_width - Inches(1)
    for number, blocks in enumerate(pages(text)):
        first = 0 if blocks and blocks[0].kind == "heading" else None  # a title only where the slide opens with it
        slide = deck.slides.add_slide(title_only if first is not None else blank)
        if first is not None:
            slide.shapes.title.text = plain(blocks[first].lines[0])
            blocks = blocks[:first] + blocks[first + 1 :]
        for placeholder in slide.slide_layout.placeholders:
            kind = placeholder.placeholder_format.type
            if kind == PP_PLACEHOLDER.SLIDE_NUMBER and slide_numbers:
                slide.shapes.clone_placeholder(placeholder)
                slide.placeholders[placeholder.placeholder_format.idx].text = str(number + 1)
            elif kind == PP_PLACEHOLDER.FOOTER and footer:
                slide.shapes.clone_placeholder(placeholder)
                slide.placeholders[placeholder.placeholder_format.idx].text = footer
        top = Inches(1.6)
        for block in blocks:
            if block.kind == "table":
                columns = max(len(row) for row in block.rows)
                height = Inches(0.4) * len(block.rows)
                shape = slide.shapes.add_table(len(block.rows), columns, Inches(0.5), top, width, height)
                for row, values in zip(shape.table.rows, block.rows, strict=True):
                    for cell, value in zip(row.cells, values, strict=False):
                        cell.text = value
                top += height + Inches(0.2)
                continue
            lines = block.lines
            height = Inches(0.35) * (len(lines) + sum(len(line) // 90 for line in lines))
            box = slide.shapes.add_textbox(Inches(0.5), top, width, height)
            frame = box.text_frame
            frame.word_wrap = True
            for index, line in enumerate(lines):
                paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                if block.kind == "heading":
                    run = paragraph.add_run()
                    run.text, run.font.bold, run.font.size = plain(line), True, Pt(24)
                    continue
                for piece, bold in runs(line):
                    run = paragraph.add_run()
                    run.text = piece
                    run.font.bold = bold or None
                if block.kind == "list":
                    paragraph.level = block.levels[index]
                    p_pr = paragraph._p.get_or_add_pPr()
                    bullet = p_pr.makeelement(qn("a:buChar"), {"char": "•"})
                    p_pr.append(bullet)
            top += Emu(int(height)) + Inches(0.15)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ODT (odfpy) --------------------------------------------------------------------------------------------------


def odt_from_text(text: str) -> bytes:
    """An OpenDocument text: text:h headings by level, paragraphs with bold spans and line breaks, lists,
    tables, and "\\f" as a paragraph style that breaks before the page."""
    from odf import opendocument
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, P, Span

    document = opendocument.OpenDocumentText()
    bold_style = Style(name="Sterk", family="text")
    bold_style.addElement(TextProperties(fontweight="bold"))
    breaking = Style(name="NySide", family="paragraph")
    breaking.addElement(ParagraphProperties(breakbefore="page"))
    document.automaticstyles.addElement(bold_style)
    document.automaticstyles.addElement(breaking)

    def filled(element: object, line: str) -> object:
        for piece, bold in runs(line):
            if bold:
                span = Span(stylename=bold_style)
                span.addText(piece)
                element.addElement(span)  # type: ignore[attr-defined]
            else:
                element.addText(piece)  # type: ignore[attr-defined]
        return element

    for number, blocks in enumerate(pages(text)):
        page_start = number > 0
        for block in blocks:
            style = {"stylename": breaking} if page_start else {}
            page_start = False
            if block.kind == "heading":
                document.text.addElement(filled(H(outlinelevel=block.level, **style), block.lines[0]))
            elif block.kind == "paragraph":
                paragraph = P(**style)
                for index, line in enumerate(block.lines):
                    filled(paragraph, line)
                    if index < len(block.lines) - 1:
                        paragraph.addElement(LineBreak())
                document.text.addElement(paragraph)
            elif block.kind == "list":
                if style:
                    document.text.addElement(P(**style))
                listing = List()
                for item in block.lines:
                    entry = ListItem()
                    entry.addElement(filled(P(), item))
                    listing.addElement(entry)
                document.text.addElement(listing)
            else:
                if style:
                    document.text.addElement(P(**style))
                columns = max(len(row) for row in block.rows)
                table = Table(name=f"Tabell{number}")
                table.addElement(TableColumn(numbercolumnsrepeated=columns))
                for values in block.rows:
                    row = TableRow()
                    for value in [*values, *[""] * (columns - len(values))]:
                        cell = TableCell()
                        cell.addElement(P(text=value))
                        row.addElement(cell)
                    table.addElement(row)
                document.text.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


# HTML ---------------------------------------------------------------------------------------------------------


def html_from_text(text: str) -> bytes:
    """A web page: each page a <section> after a printed page break, h1–h6, <p> with <br> and <strong>, <ul>,
    <table>; and what a page has besides the notice (a script, a style, the site's navigation)."""
    out = [
        "<!DOCTYPE html>", '<html lang="nb"><head><meta charset="utf-8"><title>Innkalling</title>',
        "<style>body { font-family: sans-serif; }</style><script>var sporing = 'Møte 9/99';</script></head><body>",
        '<nav><a href="/">Forsiden</a> | <a href="/moter">Møte 1/19</a></nav>',
    ]  # fmt: skip

    def inline(line: str) -> str:
        return "".join(
            f"<strong>{html.escape(piece)}</strong>" if bold else html.escape(piece) for piece, bold in runs(line)
        )

    for number, blocks in enumerate(pages(text)):
        if number:  # as Word's "Save as web page" marks where a printed page begins
            out.append('<br clear="all" style="page-break-before:always">')
        out.append('<section class="side">')
        for block in blocks:
            if block.kind == "heading":
                level = min(block.level, 6)
                out.append(f"<h{level}>{inline(block.lines[0])}</h{level}>")
            elif block.kind == "paragraph":
                out.append("<p>" + "<br>\n".join(inline(line) for line in block.lines) + "</p>")
            elif block.kind == "list":
                out.append("<ul>" + "".join(f"<li>{inline(item)}</li>" for item in block.lines) + "</ul>")
            else:
                head, *rest = block.rows
                out.append("<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr></thead>")
                out.append("<tbody>")
                for row in rest:
                    out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>")
                out.append("</tbody></table>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
