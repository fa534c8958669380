"""Draw a printable A4 sign-in sheet for a session: plain values in, PDF bytes out (no Flask, no database).

The DejaVu fonts shipped for certificates are embedded (as subsets with ToUnicode maps), so every Vietnamese
name prints with its diacritics on any printer and the text stays searchable. Rows are tall enough to sign
in; the column header repeats on every page; a few blank rows take walk-ins.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.printing import fit_text, register_font, wrap_text

FONTS = Path(__file__).resolve().parents[2] / "certificates" / "fonts"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# (header, width in mm); 180 mm across an A4 page with 15 mm margins.
COLUMNS = (("STT", 11), ("Họ và tên", 58), ("Năm sinh", 19), ("Thôn/Tổ", 32), ("Ký tên", 40), ("Ghi chú", 20))
MARGIN = 15 * mm
ROW = 10 * mm
HEADER_ROW = 9 * mm
GREY = Color(0.93, 0.94, 0.96)


@dataclass(frozen=True)
class SheetRow:
    """One printed learner."""

    number: int
    name: str
    birth_year: int | None = None
    village: str = ""


@dataclass(frozen=True)
class SheetData:
    """Everything printed on a session's sign-in sheet."""

    commune: str
    class_title: str
    day: dt.date
    hours: str
    venue: str = ""
    topic: str = ""
    instructors: str = ""
    rows: Sequence[SheetRow] = field(default_factory=tuple)
    blank_rows: int = 4


def _nfc(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _fonts() -> tuple[str, str]:
    return (register_font(FONTS / "DejaVuSerif.ttf", "sign-in sheet"),
            register_font(FONTS / "DejaVuSerif-Bold.ttf", "sign-in sheet"))


def _fitted(c: Canvas, text: str, x: float, y: float, font: str, size: float, width: float,
            centre: bool = False) -> None:
    """Draw text on one line within `width`: smaller first, then narrower, never cut."""
    size, scale = fit_text(text, font, size, width, min(size, 8.0))
    t = c.beginText()
    t.setFont(font, size)
    t.setHorizScale(scale)
    drawn = c.stringWidth(text, font, size) * scale / 100
    t.setTextOrigin(x + (width - drawn) / 2 if centre else x, y)
    t.textOut(text)
    c.drawText(t)


def _name(c: Canvas, text: str, x: float, y: float, font: str, width: float) -> None:
    """Draw a name in the tall row: one line when it fits at a readable size, else two smaller lines."""
    if fit_text(text, font, 12, width, 10)[1] == 100.0:
        _fitted(c, text, x, y, font, 12, width)
        return
    lines = wrap_text(text, font, 10, width)
    first, second = lines[0], " ".join(lines[1:])
    _fitted(c, first, x, y + 2.2 * mm, font, 10, width)
    _fitted(c, second, x, y - 1.8 * mm, font, 10, width)


def _table_header(c: Canvas, top: float, bold: str) -> float:
    x = MARGIN
    c.setFillColor(GREY)
    c.rect(MARGIN, top - HEADER_ROW, sum(w for _h, w in COLUMNS) * mm, HEADER_ROW, stroke=0, fill=1)
    c.setFillColor(black)
    for header, width in COLUMNS:
        _fitted(c, header, x + 1 * mm, top - HEADER_ROW + 3 * mm, bold, 10.5, width * mm - 2 * mm, centre=True)
        x += width * mm
    return top - HEADER_ROW


def _grid(c: Canvas, top: float, bottom: float) -> None:
    c.setLineWidth(0.6)
    width = sum(w for _h, w in COLUMNS) * mm
    c.rect(MARGIN, bottom, width, top - bottom, stroke=1, fill=0)
    x = MARGIN
    for _header, w in COLUMNS[:-1]:
        x += w * mm
        c.line(x, bottom, x, top)


def render_sheet(data: SheetData) -> bytes:
    """Draw the sign-in sheet and return the PDF."""
    regular, bold = _fonts()
    page_w, page_h = A4
    out = io.BytesIO()
    # Every text starts in an embedded font: no Helvetica reference that a printer would substitute.
    c = Canvas(out, pagesize=A4, pageCompression=1, initialFontName=regular, initialFontSize=11)
    c.setTitle(_nfc(f"Danh sách điểm danh – {data.class_title} – {data.day:%d/%m/%Y}"))
    c.setAuthor(_nfc(data.commune))
    lines: list[SheetRow | None] = [*data.rows, *([None] * data.blank_rows)]
    first_top = page_h - MARGIN - 52 * mm
    later_top = page_h - MARGIN - 12 * mm
    footer = MARGIN + 30 * mm  # room for the instructor's signature under the last row
    per_first = int((first_top - HEADER_ROW - MARGIN) // ROW)
    per_later = int((later_top - HEADER_ROW - MARGIN) // ROW)
    pages: list[list[SheetRow | None]] = [lines[:per_first]]
    rest = lines[per_first:]
    while rest:
        pages.append(rest[:per_later])
        rest = rest[per_later:]
    # The signature block needs space below the last row: drop blank rows for it, or give it a page of its own.
    last_top = (first_top if len(pages) == 1 else later_top) - HEADER_ROW
    while last_top - len(pages[-1]) * ROW < footer and pages[-1] and pages[-1][-1] is None \
            and len(pages[-1]) > 1:
        pages[-1].pop()
    if last_top - len(pages[-1]) * ROW < footer:
        pages.append([])
    width = sum(w for _h, w in COLUMNS) * mm
    day = f"{WEEKDAYS[data.day.weekday()]}, ngày {data.day:%d/%m/%Y}"
    for index, page in enumerate(pages, start=1):
        if index == 1:
            c.setFont(bold, 11)
            c.drawString(MARGIN, page_h - MARGIN - 4 * mm, _nfc(data.commune).upper())
            _fitted(c, "DANH SÁCH ĐIỂM DANH", MARGIN, page_h - MARGIN - 16 * mm, bold, 18, width, centre=True)
            _fitted(c, _nfc(data.class_title), MARGIN, page_h - MARGIN - 25 * mm, bold, 13, width, centre=True)
            facts = [f"{day}, {data.hours}" + (f" · {_nfc(data.venue)}" if data.venue else "")]
            if data.topic:
                facts.append(f"Nội dung: {_nfc(data.topic)}")
            if data.instructors:
                facts.append(f"Người hướng dẫn: {_nfc(data.instructors)}")
            for n, fact in enumerate(facts):
                _fitted(c, fact, MARGIN, page_h - MARGIN - (33 + 6 * n) * mm, regular, 11, width, centre=True)
            _fitted(c, "Học viên ký tên vào cột \"Ký tên\". Người hướng dẫn ghi M (muộn), P (có phép), V (vắng) "
                       "vào cột \"Ghi chú\".", MARGIN, first_top + 2 * mm, regular, 9.5, width)
            top = first_top
        else:
            _fitted(c, _nfc(f"{data.class_title} – {data.day:%d/%m/%Y} (tiếp theo)"), MARGIN, later_top + 3 * mm,
                    bold, 11, width)
            top = later_top
        if page or index == 1:
            y = _table_header(c, top, bold)
            for line in page:
                y -= ROW
                c.setLineWidth(0.4)
                c.line(MARGIN, y, MARGIN + width, y)
                baseline = y + 3.4 * mm
                cells = ["", "", "", ""] if line is None else [
                    str(line.number), _nfc(line.name), str(line.birth_year or ""), _nfc(line.village)]
                x = MARGIN
                for (header, w), text in zip(COLUMNS, cells, strict=False):
                    if text and header == "Họ và tên":
                        _name(c, text, x + 1.5 * mm, baseline, bold, w * mm - 3 * mm)
                    elif text:
                        _fitted(c, text, x + 1.5 * mm, baseline, regular, 11, w * mm - 3 * mm,
                                centre=header != "Thôn/Tổ")
                    x += w * mm
            _grid(c, top, y)
        else:
            y = top
        if index == len(pages):
            c.setFont(regular, 11)
            c.drawString(MARGIN, y - 8 * mm, f"Tổng số: {len(data.rows)} học viên; có mặt: ......; vắng: ......")
            c.setFont(bold, 11)
            c.drawCentredString(page_w - MARGIN - 40 * mm, y - 8 * mm, "NGƯỜI HƯỚNG DẪN")
            c.setFont(regular, 10)
            c.drawCentredString(page_w - MARGIN - 40 * mm, y - 13 * mm, "(Ký, ghi rõ họ tên)")
        c.setFont(regular, 9)
        c.drawRightString(page_w - MARGIN, MARGIN - 6 * mm, f"Trang {index}/{len(pages)}")
        c.showPage()
    c.save()
    return out.getvalue()
