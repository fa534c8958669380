"""Print a report as a PDF in the layout of Nghị định 30/2020/NĐ-CP: plain value in, PDF bytes out.

The same content and order as the Word document. No Times New Roman ships with the app, so the DejaVu Serif fonts
shipped for certificates print it, embedded as subsets with ToUnicode maps: every Vietnamese letter prints on any
printer and the text stays searchable. DejaVu is wider than Times New Roman, so sizes are a point smaller.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, HRFlowable, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from app.printing import register_font
from app.reports.document import Heading, Paragraph, ReportDocument, Table
from app.reports.docx import (
    COPIES_TO,
    DRAFT,
    MOTTO,
    NATIONAL_TITLE,
    TO,
    cell_text,
    date_line,
    is_number,
    nfc,
)

FONTS = Path(__file__).resolve().parents[2] / "certificates" / "fonts"
MARGINS = {"topMargin": 20 * mm, "bottomMargin": 20 * mm, "leftMargin": 30 * mm, "rightMargin": 15 * mm}
WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]  # 165 mm of text
HEADER_COLUMNS = (65 * mm, WIDTH - 65 * mm)
FOOTER_COLUMNS = (80 * mm, WIDTH - 80 * mm)
BODY = 13
SPACES = re.compile(r"  +")
RED = Color(0.75, 0, 0)
# Fixed-width flowables (the short rules) sit centred in their column; paragraphs keep their own alignment.
LAYOUT = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
          ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
          ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]


class _Styles:
    """The paragraph styles of one report, on the registered DejaVu family."""

    def __init__(self) -> None:
        where = "report PDF"
        self.regular = register_font(FONTS / "DejaVuSerif.ttf", where)
        self.bold = register_font(FONTS / "DejaVuSerif-Bold.ttf", where)
        italic = register_font(FONTS / "DejaVuSerif-Italic.ttf", where)
        # No bold italic ships: "Nơi nhận:" prints bold upright rather than falling back to a font without Vietnamese.
        registerFontFamily(self.regular, normal=self.regular, bold=self.bold, italic=italic, boldItalic=self.bold)
        # Every table names its font: ReportLab's default for a cell, Helvetica, is not embedded.
        self.table_font = ("FONTNAME", (0, 0), (-1, -1), self.regular)
        self.body = ParagraphStyle("body", fontName=self.regular, fontSize=BODY, leading=BODY * 1.3,
                                   alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=self.bold, keepWithNext=1)
        self.centre = ParagraphStyle("centre", parent=self.body, alignment=TA_CENTER, firstLineIndent=0,
                                     spaceAfter=0, leading=BODY * 1.2)
        self.left = ParagraphStyle("left", parent=self.centre, alignment=TA_LEFT)
        self.cell = ParagraphStyle("cell", parent=self.left, fontSize=11, leading=13)
        self.number = ParagraphStyle("number", parent=self.cell, alignment=TA_RIGHT)
        self.blank = ParagraphStyle("blank", parent=self.cell, alignment=TA_CENTER)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=self.bold, alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle, *, size: float | None = None, bold: bool = False,
       italic: bool = False) -> PdfParagraph:
    """Return a paragraph of plain text: escaped for platypus markup, composed, optionally bold or italic."""
    # Runs of spaces are kept ("Số:      /BC-UBND" leaves room for the number), as platypus would collapse them.
    markup = escape(SPACES.sub(lambda m: "\u00a0" * len(m.group()), nfc(text)))
    if bold:
        markup = f"<b>{markup}</b>"
    if italic:
        markup = f"<i>{markup}</i>"
    if size is not None:
        style = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.25)
    return PdfParagraph(markup, style)


def _header(document: ReportDocument, s: _Styles) -> PdfTable:
    left: list[Flowable] = []
    if document.issuer_parent:
        left.append(_p(document.issuer_parent.upper(), s.centre, size=12))
    left.append(_p(document.issuer.upper(), s.centre, size=12, bold=True))
    left.append(HRFlowable(width=22 * mm, thickness=0.6, color=black, spaceBefore=2, spaceAfter=4))
    left.append(_p(document.number, s.centre, size=12))
    motto_width = stringWidth(MOTTO, s.bold, 12)
    right: list[Flowable] = [
        _p(NATIONAL_TITLE, s.centre, size=11, bold=True),
        _p(MOTTO, s.centre, size=12, bold=True),
        HRFlowable(width=motto_width, thickness=0.6, color=black, spaceBefore=1, spaceAfter=6),
        _p(date_line(document), s.centre, size=12, italic=True),
    ]
    table = PdfTable([[left, right]], colWidths=HEADER_COLUMNS)
    table.setStyle(TableStyle([*LAYOUT, s.table_font]))
    return table


def _recipients(recipients: tuple[str, ...], s: _Styles) -> list[Flowable]:
    if len(recipients) == 1:
        return [_p(f"{TO} {recipients[0]}", s.centre), Spacer(1, 6)]
    if not recipients:
        return []
    lines: list[Flowable] = [_p(TO, ParagraphStyle("to", parent=s.left, leftIndent=30 * mm))]
    lines += [_p(r, ParagraphStyle("to-each", parent=s.left, leftIndent=50 * mm)) for r in recipients]
    return [*lines, Spacer(1, 6)]


def _widths(table: Table, columns: int, font: str) -> list[float]:
    """Share the text width among columns by their longest cell, no column narrower than 12 mm."""
    wanted = [12 * mm] * columns
    for row in (table.headers, *(tuple(cell_text(v) for v in r) for r in table.rows)):
        for i, value in enumerate(row[:columns]):
            longest = max((stringWidth(word, font, 11) for word in str(value).split()), default=0)
            # Padding (3 pt a side) and a margin for the bold header; then the whole text up to 90 mm.
            wanted[i] = max(wanted[i], min(stringWidth(str(value), font, 11), 90 * mm) + 8, longest + 8)
    total = sum(wanted)
    return [w * WIDTH / total for w in wanted]


def _cell_style(value: str | int | float | None, s: _Styles) -> ParagraphStyle:
    """Figures right-aligned, the dash of a missing one centred, text to the left."""
    return s.number if is_number(value) else s.blank if value is None else s.cell


def _figures(table: Table, s: _Styles) -> list[Flowable]:
    out: list[Flowable] = []
    if table.caption:
        out.append(_p(table.caption, ParagraphStyle("caption", parent=s.centre, spaceAfter=3, keepWithNext=1),
                      italic=True))
    columns = max(len(table.headers), *(len(row) for row in table.rows), 1)
    header = [_p(h, s.cell_head) for h in table.headers] + [""] * (columns - len(table.headers))
    body = [[_p(cell_text(v), _cell_style(v, s)) for v in row] + [""] * (columns - len(row)) for row in table.rows]
    grid = PdfTable([header, *body], colWidths=_widths(table, columns, s.regular), repeatRows=1)
    grid.setStyle(TableStyle([s.table_font, ("GRID", (0, 0), (-1, -1), 0.5, black),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return [*out, grid, Spacer(1, 8)]


def _blocks(document: ReportDocument, s: _Styles) -> list[Flowable]:
    out: list[Flowable] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            out.append(_p(block.text, s.heading))
        elif isinstance(block, Paragraph):
            out += [_p(line.strip(), s.body) for line in block.text.split("\n") if line.strip()]
        elif isinstance(block, Table):
            out += _figures(block, s)
    return out


def _footer(document: ReportDocument, s: _Styles) -> PdfTable:
    left: list[Flowable] = [_p(COPIES_TO, s.left, size=11, bold=True, italic=True)]
    left += [_p(line, s.left, size=10) for line in document.copies_to]
    right: list[Flowable] = [_p(line, s.centre, bold=True) for line in document.signature.lines]
    right += [Spacer(1, 25 * mm), _p(document.signature.name, s.centre, bold=True)]
    table = PdfTable([[left, right]], colWidths=FOOTER_COLUMNS)
    table.setStyle(TableStyle([*LAYOUT, s.table_font]))
    return table


def pdf_bytes(document: ReportDocument) -> bytes:
    """Print the report as an A4 PDF in the layout of Nghị định 30/2020/NĐ-CP."""
    s = _Styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=nfc(" ".join(p for p in (document.title, document.subtitle) if p)),
                            author=nfc(document.metadata.get("author", document.issuer)),
                            subject=nfc(document.metadata.get("subject", document.subtitle)),
                            creator="Học Vụ Số", lang="vi", pageCompression=1, **MARGINS,
                            # otherwise ReportLab selects Helvetica, a font that is not embedded
                            initialFontName=s.regular)

    def first_page(canvas: Canvas, _doc: SimpleDocTemplate) -> None:
        if document.draft:  # on every page, so no loose page of a draft passes for the report
            canvas.saveState()
            canvas.setFont(s.bold, 13)
            canvas.setFillColor(RED)
            canvas.drawRightString(A4[0] - MARGINS["rightMargin"], A4[1] - 12 * mm, DRAFT)
            canvas.restoreState()

    def later_page(canvas: Canvas, doc_: SimpleDocTemplate) -> None:
        first_page(canvas, doc_)
        canvas.setFont(s.regular, 12)  # the first page carries no number
        canvas.drawCentredString(MARGINS["leftMargin"] + WIDTH / 2, 10 * mm, str(canvas.getPageNumber()))

    story: list[Flowable] = [_header(document, s), Spacer(1, 8 * mm), _p(document.title, s.centre, bold=True)]
    if document.subtitle:
        story.append(_p(document.subtitle, s.centre, bold=True))
    story += [Spacer(1, 6), *_recipients(document.recipients, s), *_blocks(document, s), Spacer(1, 4 * mm),
              _footer(document, s)]
    doc.build(story, onFirstPage=first_page, onLaterPages=later_page)
    return out.getvalue()
