"""Write a report as a Word document in the layout of Nghị định 30/2020/NĐ-CP: plain value in, DOCX bytes out.

Times New Roman everywhere (East-Asian and complex-script names too, so Word substitutes nothing), A4 with the
decree's margins, the two-column header (issuer | national title and motto), the title, "Kính gửi", the blocks in
order, and the "Nơi nhận" | signature footer. No Flask, no database.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Footer
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from app.reports.document import Heading, Paragraph, ReportDocument, Table

# Fixed administrative texts: the decree prescribes them in Vietnamese whatever the reader's language,
# so they are deliberately not wrapped for translation.
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # legally fixed wording, not translated
TO = "Kính gửi:"  # legally fixed wording, not translated
COPIES_TO = "Nơi nhận:"  # legally fixed wording, not translated
DRAFT = "DỰ THẢO"  # legally fixed wording, not translated
DATE_LINE = "%(place)s, ngày %(day)s tháng %(month)s năm %(year)s"  # legally fixed wording, not translated
BLANK = "\u00a0" * 5  # where a date is filled in by hand (non-breaking, so no writer collapses it)
MISSING = "—"  # an empty figure

# python-docx is untyped: a document, a table cell, a page header or footer all take paragraphs.
Container = Any

FONT = "Times New Roman"
BODY_PT = 14
RED = RGBColor(0xC0, 0x00, 0x00)
# Text width on A4 with 30 mm + 15 mm margins is 165 mm: the header's right column must hold the national
# title on one line (12 pt bold Times New Roman is about 89 mm wide).
TEXT_MM = 165
HEADER_COLUMNS_MM = (65, 100)
FOOTER_COLUMNS_MM = (80, 85)
ISSUER_RULE_MM = 22  # the decree: a third to a half of the issuer line
MOTTO_RULE_MM = 60  # as long as the motto at 13 pt bold


def nfc(text: str) -> str:
    """Return text in composed form (the fonts hold composed Vietnamese letters)."""
    return unicodedata.normalize("NFC", text or "")


def date_line(document: ReportDocument) -> str:
    """Return "Việt An, ngày 05 tháng 12 năm 2026", or the same with blanks when the report is undated."""
    if document.date is None:
        return DATE_LINE % {"place": document.place, "day": BLANK, "month": BLANK, "year": "20.."}
    day = document.date
    # The decree writes days below 10 and the months 1 and 2 with a leading zero.
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return DATE_LINE % {"place": document.place, "day": f"{day.day:02d}", "month": month, "year": day.year}


def cell_text(value: str | int | float | None) -> str:
    """Return a figure as printed in Vietnamese: 1.234 and 12,5; None as a dash."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return nfc(str(value))


def is_number(value: object) -> bool:
    """Return whether a table cell is a figure (printed right-aligned)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fonts(r_pr: Any) -> None:
    """Name Times New Roman for every script in run properties, dropping theme fonts Word would prefer."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)


def _para(where: Container, text: str = "", *, size: float = BODY_PT, bold: bool = False,
          italic: bool = False, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, indent: bool = False,
          after: float = 0, color: RGBColor | None = None) -> DocxParagraph:
    """Add a paragraph of one run; header, table and footer text is single-spaced and not indented."""
    paragraph: DocxParagraph = where.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(1) if indent else Cm(0)
    fmt.space_after = Pt(after)
    if not indent:
        fmt.line_spacing = 1.0
    if text:
        run = paragraph.add_run(nfc(text))
        _fonts(run._r.get_or_add_rPr())
        run.font.name, run.font.size, run.font.bold, run.font.italic = FONT, Pt(size), bold, italic
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _rule(cell: Container, length_mm: float, cell_mm: float) -> None:
    """Draw a short centred horizontal line: an empty paragraph with a bottom border, narrowed by indents."""
    paragraph = _para(cell)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(max(cell_mm - length_mm, 0) / 2)
    fmt.line_spacing, fmt.line_spacing_rule = Pt(3), WD_LINE_SPACING.EXACTLY
    fmt.space_after = Pt(3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    # The schema orders paragraph properties: the border comes before spacing, indents and alignment.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")


def _layout_table(doc: DocxDocument, widths_mm: tuple[int, ...]) -> DocxTable:
    """Add a one-row borderless table with fixed column widths (the header and the footer)."""
    table: DocxTable = doc.add_table(rows=1, cols=len(widths_mm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
            cell._tc.remove(cell.paragraphs[0]._p)  # start empty: every line is added by _para
    return table


def _header(doc: DocxDocument, document: ReportDocument) -> None:
    left, right = _layout_table(doc, HEADER_COLUMNS_MM).rows[0].cells
    if document.issuer_parent:
        _para(left, document.issuer_parent.upper(), size=13)
    _para(left, document.issuer.upper(), size=13, bold=True)
    _rule(left, ISSUER_RULE_MM, HEADER_COLUMNS_MM[0])
    _para(left, document.number, size=13)
    _para(right, NATIONAL_TITLE, size=12, bold=True)
    _para(right, MOTTO, size=13, bold=True)
    _rule(right, MOTTO_RULE_MM, HEADER_COLUMNS_MM[1])
    _para(right, date_line(document), size=14, italic=True)


def _recipients(doc: DocxDocument, recipients: tuple[str, ...]) -> None:
    if len(recipients) == 1:
        _para(doc, f"{TO} {recipients[0]}", after=6)
        return
    if recipients:
        _para(doc, TO, align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format.left_indent = Cm(3)
    for recipient in recipients:
        paragraph = _para(doc, recipient, align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.left_indent = Cm(5)
    if recipients:
        paragraph.paragraph_format.space_after = Pt(6)


def _figures(doc: DocxDocument, table: Table) -> None:
    if table.caption:
        _para(doc, table.caption, italic=True, after=3).paragraph_format.keep_with_next = True
    columns = max(len(table.headers), *(len(row) for row in table.rows), 1)
    grid: DocxTable = doc.add_table(rows=1 + len(table.rows), cols=columns)
    grid.style, grid.alignment, grid.autofit = "Table Grid", WD_TABLE_ALIGNMENT.CENTER, False
    # Share the 165 mm among columns by their longest text (at 2 mm a letter), none narrower than 12 mm.
    longest = [max([len(cell_text(row[i])) for row in table.rows if i < len(row)]
                   + [len(table.headers[i]) if i < len(table.headers) else 0]) * 2 + 4 for i in range(columns)]
    wanted = [min(max(letters, 12), 90) for letters in longest]
    for column, width in zip(grid.columns, wanted, strict=True):
        column.width = Mm(width * TEXT_MM / sum(wanted))  # the grid, read by LibreOffice
        for cell in column.cells:
            cell.width = column.width  # each cell, read by Word
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page the table runs onto
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=False):
        cell._tc.remove(cell.paragraphs[0]._p)
        _para(cell, header, size=12, bold=True)
    for row, values in zip(grid.rows[1:], table.rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell._tc.remove(cell.paragraphs[0]._p)
            align = WD_ALIGN_PARAGRAPH.RIGHT if is_number(value) else WD_ALIGN_PARAGRAPH.LEFT
            _para(cell, cell_text(value), size=12, align=WD_ALIGN_PARAGRAPH.CENTER if value is None else align)
    _para(doc, after=6)  # air between the table and what follows


def _blocks(doc: DocxDocument, document: ReportDocument) -> None:
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = _para(doc, block.text, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            for line in block.text.split("\n"):
                if line.strip():
                    _para(doc, line.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
        elif isinstance(block, Table):
            _figures(doc, block)


def _footer(doc: DocxDocument, document: ReportDocument) -> None:
    left, right = _layout_table(doc, FOOTER_COLUMNS_MM).rows[0].cells
    _para(left, COPIES_TO, size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in document.copies_to:
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in document.signature.lines:
        _para(right, line, bold=True)
    name = _para(right, document.signature.name, bold=True)
    name.paragraph_format.space_before = Cm(2.5)  # room to sign and stamp


def _page_number(footer: _Footer) -> None:
    """Put a centred PAGE field in a footer."""
    paragraph = _para(footer, size=13)
    run = paragraph.add_run()
    _fonts(run._r.get_or_add_rPr())
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page(doc: DocxDocument, document: ReportDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    # The first page carries no number; the rest are numbered from 2.
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False  # an empty footer of its own, so Word shows none
    for part in (section.header, section.first_page_header, section.footer):
        for empty in part.paragraphs:  # a new header or footer comes with an empty paragraph
            empty._p.getparent().remove(empty._p)
    _page_number(section.footer)
    if document.draft:  # on every page, so no loose page of a draft passes for the report
        for header in (section.header, section.first_page_header):
            _para(header, DRAFT, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, color=RED)
    normal = doc.styles["Normal"]
    _fonts(doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")))
    _fonts(normal.element.get_or_add_rPr())
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    if normal.element.rPr.find(qn("w:lang")) is None:  # Vietnamese spelling and hyphenation in Word
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        normal.element.rPr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    fmt = normal.paragraph_format
    fmt.alignment, fmt.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, Cm(1)
    fmt.line_spacing, fmt.space_after = 1.15, Pt(6)


def _properties(doc: DocxDocument, document: ReportDocument) -> None:
    props = doc.core_properties
    props.title = nfc(" ".join(part for part in (document.title, document.subtitle) if part))
    props.subject = nfc(document.metadata.get("subject", document.subtitle))
    props.author = props.last_modified_by = nfc(document.metadata.get("author", document.issuer))
    props.comments, props.keywords, props.language = "", "", "vi-VN"
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    props.revision = 1


def docx_bytes(document: ReportDocument) -> bytes:
    """Write the report as a Word (DOCX) document in the layout of Nghị định 30/2020/NĐ-CP."""
    doc = Document()
    _page(doc, document)
    _properties(doc, document)
    _header(doc, document)
    _para(doc, after=6)
    _para(doc, document.title, bold=True)
    if document.subtitle:
        _para(doc, document.subtitle, bold=True, after=6)
    _recipients(doc, document.recipients)
    _blocks(doc, document)
    _footer(doc, document)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
