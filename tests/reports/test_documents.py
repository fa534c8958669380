"""The report writers: each output, read back, holds the decree's layout and the exact Vietnamese text."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Callable

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from app.reports.document import Heading, Paragraph, ReportDocument, Signature, Table
from app.reports.docx import date_line, docx_bytes
from app.reports.pdf import pdf_bytes
from app.reports.xlsx import xlsx_bytes

SUBTITLE = "Tình hình kết quả triển khai Phong trào Bình dân học vụ số năm 2026"
FIGURES = Table(caption="Bảng 1. Kết quả phổ cập kỹ năng số",
                headers=("STT", "Nội dung", "Số lớp", "Số học viên", "Tỷ lệ (%)"),
                rows=((1, "Lớp kỹ năng số cơ bản", 12, 1234, 85.5),
                      (2, '=HYPERLINK("x")', None, 0, 100.0)),
                sheet="Kết quả: lớp/học viên")
REPORT = ReportDocument(
    issuer_parent="", issuer="ỦY BAN NHÂN DÂN XÃ VIỆT AN", number="Số: 12/BC-UBND", place="Việt An",
    date=dt.date(2026, 12, 5), title="BÁO CÁO", subtitle=SUBTITLE, recipients=("UBND xã Việt An",),
    blocks=(Paragraph("Thực hiện Kế hoạch số 45/KH-UBND của UBND xã Việt An, báo cáo như sau:"),
            Heading("I. MỞ ĐẦU"),
            Paragraph("Bối cảnh tình hình chung của đơn vị.\n- Thuận lợi: <b>mạng</b> & điện ổn định."),
            Heading("II. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ THỰC HIỆN"),
            Heading("1. Công tác lãnh đạo, chỉ đạo", level=2),
            FIGURES,
            Paragraph("Trên đây là báo cáo tình hình triển khai phong trào./.")),
    copies_to=("- Như trên;", "- Lưu: VT."),
    signature=Signature(("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Lê Thanh Luận"),
    metadata={"author": "Văn phòng UBND xã Việt An", "subject": "Bình dân học vụ số"},
)
IN_ORDER = ("ỦY BAN NHÂN DÂN XÃ VIỆT AN", "Số: 12/BC-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc", "Việt An, ngày 05 tháng 12 năm 2026", "BÁO CÁO", SUBTITLE,
            "Kính gửi: UBND xã Việt An", "Thực hiện Kế hoạch số 45/KH-UBND", "I. MỞ ĐẦU",
            "Bối cảnh tình hình chung của đơn vị.", "- Thuận lợi: <b>mạng</b> & điện ổn định.",
            "II. TÌNH HÌNH TRIỂN KHAI VÀ KẾT QUẢ THỰC HIỆN", "1. Công tác lãnh đạo, chỉ đạo",
            "Bảng 1. Kết quả phổ cập kỹ năng số", "Số lớp", '=HYPERLINK("x")', "Trên đây là báo cáo",
            "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thanh Luận")


def _in_order(text: str, parts: tuple[str, ...]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing or out of order"
        position = found + len(part)


def _flat(text: str) -> str:
    return " ".join(text.split())


# DOCX

def _docx_text(data: bytes) -> str:
    """All the text of the body, in document order (tables included), one paragraph a line."""
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _all_parts_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith(".xml"))


def test_the_word_document_prints_every_part_in_the_decrees_order() -> None:
    text = _docx_text(docx_bytes(REPORT))
    _in_order(text, IN_ORDER)
    assert "Bối cảnh tình hình chung của đơn vị.\n- Thuận lợi" in text  # one paragraph per line


def test_the_word_document_is_a4_with_the_decrees_margins_and_times_new_roman_everywhere() -> None:
    document = docx.Document(io.BytesIO(docx_bytes(REPORT)))
    section = document.sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin)
    for length, expected in zip(measured, (210, 297, 20, 20, 30, 15), strict=True):
        assert abs(length.mm - expected) < 0.1  # Word keeps twentieths of a point
    runs = list(document.element.body.iter(qn("w:r")))
    assert len(runs) > 20
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    assert document.styles["Normal"].font.name == "Times New Roman"
    properties = document.core_properties
    assert properties.title == f"BÁO CÁO {SUBTITLE}"
    assert (properties.author, properties.subject) == ("Văn phòng UBND xã Việt An", "Bình dân học vụ số")


def test_the_word_figures_table_has_a_grid_bold_headers_and_right_aligned_vietnamese_numbers() -> None:
    document = docx.Document(io.BytesIO(docx_bytes(REPORT)))
    header, footer = document.tables[0], document.tables[-1]
    assert header.style is None or header.style.name != "Table Grid"
    figures = document.tables[1]
    assert figures.style.name == "Table Grid"
    assert [c.text for c in figures.rows[0].cells] == list(FIGURES.headers)
    assert all(run.bold for cell in figures.rows[0].cells for run in cell.paragraphs[0].runs)
    assert [c.text for c in figures.rows[1].cells] == ["1", "Lớp kỹ năng số cơ bản", "12", "1.234", "85,5"]
    assert [c.text for c in figures.rows[2].cells] == ["2", '=HYPERLINK("x")', "—", "0", "100"]
    assert figures.rows[1].cells[3].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    assert figures.rows[1].cells[1].paragraphs[0].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
    assert "Nơi nhận:" in footer.rows[0].cells[0].text and "Lê Thanh Luận" in footer.rows[0].cells[1].text


def test_only_a_draft_says_draft_and_on_every_page() -> None:
    assert "DỰ THẢO" not in _all_parts_text(docx_bytes(REPORT))
    draft = docx.Document(io.BytesIO(docx_bytes(dataclasses.replace(REPORT, draft=True))))
    section = draft.sections[0]
    assert section.header.paragraphs[0].text == "DỰ THẢO" == section.first_page_header.paragraphs[0].text
    assert section.header.paragraphs[0].runs[0].bold


def test_several_recipients_are_listed_one_a_line_and_an_undated_report_leaves_blanks() -> None:
    report = dataclasses.replace(REPORT, date=None, issuer_parent="UBND xã Việt An",
                                 recipients=("- UBND xã Việt An;", "- Phòng Văn hóa - Xã hội."))
    text = _docx_text(docx_bytes(report))
    _in_order(text, ("UBND XÃ VIỆT AN\nỦY BAN NHÂN DÂN XÃ VIỆT AN",
                     "\nKính gửi:\n- UBND xã Việt An;\n- Phòng Văn hóa - Xã hội.\n"))
    blank = "\u00a0" * 5
    assert date_line(report) == f"Việt An, ngày {blank} tháng {blank} năm 20.."
    assert date_line(dataclasses.replace(REPORT, date=dt.date(2027, 2, 3))) == "Việt An, ngày 03 tháng 02 năm 2027"
    assert date_line(dataclasses.replace(REPORT, date=dt.date(2027, 3, 13))) == "Việt An, ngày 13 tháng 3 năm 2027"


# PDF

def test_the_pdf_prints_every_part_in_order_with_embedded_fonts() -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes(REPORT)))
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    _in_order(text, tuple(_flat(part) for part in IN_ORDER))
    assert "1.234" in text and "85,5" in text and "—" in text
    assert "DỰ THẢO" not in text
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        assert fonts
        for font in fonts.values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"]
    assert reader.metadata.title == f"BÁO CÁO {SUBTITLE}"
    assert reader.metadata.author == "Văn phòng UBND xã Việt An"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_a_long_pdf_numbers_its_pages_from_the_second_and_a_draft_says_so_on_each() -> None:
    long = dataclasses.replace(REPORT, draft=True,
                               blocks=tuple(Paragraph("Nội dung báo cáo dài " * 40) for _ in range(12)))
    pages = [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf_bytes(long))).pages]
    assert len(pages) >= 3
    assert all(any(line.strip() == "DỰ THẢO" for line in lines) for lines in pages)
    assert not any(line.strip() == "1" for line in pages[0])
    for number, lines in enumerate(pages[1:], start=2):
        assert any(line.strip() == str(number) for line in lines)


# XLSX

def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers_and_no_formula() -> None:
    second = dataclasses.replace(FIGURES, sheet="",
                                 caption="Bảng 2: số liệu [chi tiết] theo thôn và tổ dân phố năm 2026")
    report = dataclasses.replace(REPORT, blocks=(*REPORT.blocks, second, dataclasses.replace(second)))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report)))
    assert book.sheetnames[0] == "Kết quả  lớp học viên"
    assert len(book.sheetnames) == 3 and len({name.casefold() for name in book.sheetnames}) == 3
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in book.sheetnames)
    sheet = book.worksheets[0]
    assert sheet["A1"].value == f"{SUBTITLE} — ỦY BAN NHÂN DÂN XÃ VIỆT AN"
    assert sheet["A2"].value == FIGURES.caption
    assert [c.value for c in sheet[3]] == list(FIGURES.headers) and sheet["C3"].font.bold
    assert sheet.freeze_panes == "A4"
    assert [c.value for c in sheet[4]] == [1, "Lớp kỹ năng số cơ bản", 12, 1234, 85.5]
    assert sheet["D4"].data_type == "n" and sheet["E4"].data_type == "n"
    assert sheet["B5"].value == "'=HYPERLINK(\"x\")" and sheet["B5"].data_type == "s"
    assert sheet["C5"].value is None
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    assert book.properties.creator == "Văn phòng UBND xã Việt An"


def test_a_report_without_tables_gets_one_sheet_saying_so() -> None:
    report = dataclasses.replace(REPORT, blocks=(Heading("I. MỞ ĐẦU"), Paragraph("Không có số liệu.")))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(report)))
    assert len(book.worksheets) == 1
    assert book.worksheets[0]["A2"].value == "Báo cáo không có bảng số liệu"


@pytest.mark.parametrize("write", [docx_bytes, pdf_bytes, xlsx_bytes])
def test_an_empty_table_still_prints(write: Callable[[ReportDocument], bytes]) -> None:
    empty = Table(caption="Bảng trống", headers=("Thôn", "Số lớp"), rows=())
    assert write(dataclasses.replace(REPORT, blocks=(empty,)))
