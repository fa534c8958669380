"""Certificate PDFs: text survives with every diacritic, fonts are embedded, the QR code scans."""
from __future__ import annotations

import dataclasses
import io
import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.units import mm

from app import qr
from app.certificates.pdf import (
    DEFAULT_TEMPLATE,
    CertificateFields,
    TemplateError,
    load_template,
    placeholder_values,
    render_certificate,
    render_certificates,
)
from app.printing import VIETNAMESE_LETTERS

FONTS = DEFAULT_TEMPLATE.parent.parent / "fonts"
LONG_NAME = ("Công Tằng Tôn Nữ Hoàng Thị Minh Nguyệt Ánh Dương Phương Thảo Ngọc Bích "
             "Huyền Trang Khánh Linh")


def fields(**changes: object) -> CertificateFields:
    base = CertificateFields(
        holder_name="Nguyễn Thị Hương", birth_year=1962,
        achievement_title="Chương trình Bình dân học vụ số dành cho người dân",
        skill_groups=("0. Sử dụng thiết bị và phần mềm trên thiết bị",
                      "1. Tìm kiếm và khai thác thông tin trên Internet"),
        commune_name="xã Phù Đổng", province_name="Thành phố Hà Nội", issued_on=date(2026, 11, 22),
        officer_name="Trần Văn Bình", officer_title="Chủ tịch", serial="HVS-2026-000123",
        verify_url="https://hocvuso.example.vn/xac-minh/HVS-2026-000123")
    return dataclasses.replace(base, **changes)


@pytest.fixture(scope="module")
def template():
    return load_template()


def extract(pdf_bytes: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()


def decode_qr(pdf_bytes: bytes, scale: float = 3.0) -> list[str]:
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        image = doc[0].render(scale=scale).to_pil()
    finally:
        doc.close()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def text_box(pdf_bytes: bytes, needle: str) -> tuple[float, float, float, float]:
    """Return (left, bottom, right, top) in points of where pdfium drew `needle`."""
    doc = pdfium.PdfDocument(pdf_bytes)
    try:
        page = doc[0]
        textpage = page.get_textpage()
        full = textpage.get_text_range()
        start = full.index(needle)
        boxes = [textpage.get_charbox(i) for i in range(start, start + len(needle)) if full[i].strip()]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))
    finally:
        doc.close()


# ---- text ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Nguyễn Thị Hương", "Trần Văn Bình", "Lê Thị Ánh Tuyết"])
def test_names_serial_and_commune_are_extractable_exactly(template, name):
    pdf = render_certificate(fields(holder_name=name, officer_name="Đỗ Quốc Việt"), template)
    text = extract(pdf)
    assert name in text.splitlines()
    assert "Số hiệu: HVS-2026-000123" in text
    assert "XÃ PHÙ ĐỔNG" in text
    assert "Phù Đổng, ngày 22 tháng 11 năm 2026" in text
    for label in ("GIẤY CHỨNG NHẬN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                  "Độc lập - Tự do - Hạnh phúc", "Hoàn thành chương trình Bình dân học vụ số",
                  "Chứng nhận Ông/Bà", "Năm sinh: 1962", "ỦY BAN NHÂN DÂN", "Đỗ Quốc Việt",
                  "0. Sử dụng thiết bị và phần mềm trên thiết bị"):
        assert label in text


def test_decomposed_input_prints_composed(template):
    decomposed = unicodedata.normalize("NFD", "Lê Thị Ánh Tuyết")
    assert "Lê Thị Ánh Tuyết" in extract(render_certificate(fields(holder_name=decomposed), template))


def test_very_long_name_shrinks_inside_the_frame(template):
    pdf = render_certificate(fields(holder_name=LONG_NAME), template)
    assert LONG_NAME in extract(pdf)
    left, _bottom, right, top = text_box(pdf, LONG_NAME)
    inner_frame = 17 * mm  # the frame's inner rule in the default template
    assert left >= inner_frame and right <= template.width - inner_frame
    assert right - left <= 215 * mm + 1  # the name's max_width
    short_left, _, short_right, _ = text_box(render_certificate(fields(), template), "Nguyễn Thị Hương")
    assert short_right - short_left < right - left  # sanity: the box measures the printed name


def test_missing_birth_year_leaves_the_line_out(template):
    assert "Năm sinh" not in extract(render_certificate(fields(birth_year=None), template))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=8),
                min_size=2, max_size=5))
def test_any_vietnamese_name_survives(template, words):
    name = " ".join(w[:1].upper() + w[1:].lower() for w in words)
    assert name in extract(render_certificate(fields(holder_name=name), template))


def test_placeholder_values_follow_administrative_style():
    v = placeholder_values(fields(issued_on=date(2026, 2, 5), officer_title="Phó Chủ tịch"))
    assert (v["issued_day"], v["issued_month"], v["issued_year"]) == ("05", "02", "2026")
    assert placeholder_values(fields(issued_on=date(2026, 3, 9)))["issued_month"] == "3"
    assert v["place_name"] == "Phù Đổng" and v["signing_line"] == "KT. CHỦ TỊCH"
    assert placeholder_values(fields())["signing_line"] == "TM. ỦY BAN NHÂN DÂN"
    assert placeholder_values(fields(commune_name="Phường Hoàn Kiếm"))["place_name"] == "Hoàn Kiếm"


# ---- the page and its fonts ----------------------------------------------------------------

def test_page_is_a4_landscape(template):
    page = pypdf.PdfReader(io.BytesIO(render_certificate(fields(), template))).pages[0]
    assert float(page.mediabox.width) == pytest.approx(297 * mm, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(210 * mm, abs=0.01)


def test_every_font_is_an_embedded_subset_with_tounicode(template):
    page = pypdf.PdfReader(io.BytesIO(render_certificate(fields(), template))).pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert len({str(f["/BaseFont"])[7:] for f in fonts}) == 3  # regular, bold, italic
    for font in fonts:
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]  # the glyphs travel with the file
        assert "/ToUnicode" in font  # so copy, search and screen readers get real text
        assert str(font["/BaseFont"])[7] == "+"  # subset tag: only the glyphs used


def test_rendering_is_deterministic(template):
    assert render_certificate(fields(), template) == render_certificate(fields(), template)


# ---- QR code -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://hocvuso.example.vn/xac-minh/HVS-2026-000123",
    "https://xa-phu-dong.hanoi.example.vn/chung-chi/HVS-2026-000987?ma=Ab3_x-9&lang=vi#qr",
])
def test_qr_code_decodes_to_verify_url(template, url):
    assert decode_qr(render_certificate(fields(verify_url=url), template)) == [url]


def test_qr_code_scans_at_print_like_resolution(template):
    # 100 dpi is a phone photo of a printed page at arm's length, give or take.
    pdf = render_certificate(fields(), template)
    assert decode_qr(pdf, scale=100 / 72) == [fields().verify_url]


def test_qr_module_is_large_enough_for_paper(template):
    element = next(e for e in template.elements if e.type == "qr")
    n = len(qr.modules(fields().verify_url, element.props["error_correction"]))
    module_mm = element.props["size"] / (n + 2 * element.props["quiet_zone"]) / mm
    assert element.props["quiet_zone"] >= 4 and module_mm >= 0.5


# ---- revocation ----------------------------------------------------------------------------

def test_revoked_certificate_shows_the_mark(template):
    assert "ĐÃ THU HỒI" not in extract(render_certificate(fields(), template))
    revoked = render_certificate(fields(revoked=True), template)
    text = extract(revoked)
    assert "ĐÃ THU HỒI" in text and "Nguyễn Thị Hương" in text


def write_template(tmp_path: Path, elements: str, fonts: str | None = None) -> Path:
    fonts = fonts or f"  regular: {FONTS / 'DejaVuSerif.ttf'}\n  bold: {FONTS / 'DejaVuSerif-Bold.ttf'}\n"
    path = tmp_path / "t.yaml"
    path.write_text(f"page: {{size: A4, orientation: landscape}}\nfonts:\n{fonts}elements:\n{elements}",
                    encoding="utf-8")
    return path


def test_revoked_mark_is_drawn_even_if_a_custom_template_forgot_it(tmp_path):
    element = "  - {type: text, text: '{holder_name}', x: 20, y: 30, font: regular}\n"
    t = load_template(write_template(tmp_path, element))
    assert "ĐÃ THU HỒI" in extract(render_certificate(fields(revoked=True), t))


# ---- template validation -------------------------------------------------------------------

def test_unknown_element_type_is_rejected_with_a_clear_error(tmp_path):
    path = write_template(tmp_path, "  - {type: watermark, x: 1, y: 1}\n")
    with pytest.raises(TemplateError, match=r"t\.yaml, element 1: unknown element type 'watermark'; known types: .*qr"):
        load_template(path)


def test_missing_font_file_is_rejected(tmp_path):
    path = write_template(tmp_path, "  - {type: text, text: x, x: 1, y: 1, font: regular}\n",
                          fonts="  regular: ../fonts/NoSuchFont.ttf\n")
    with pytest.raises(TemplateError, match=r"font 'regular': font file not found: .*NoSuchFont\.ttf"):
        load_template(path)


def test_font_without_vietnamese_glyphs_is_rejected(tmp_path):
    import reportlab
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Bitstream Vera: no ơ, ư, ạ...
    path = write_template(tmp_path, "  - {type: text, text: x, x: 1, y: 1, font: regular}\n",
                          fonts=f"  regular: {vera}\n")
    with pytest.raises(TemplateError, match="lacks glyphs for Vietnamese letters: .*ơ"):
        load_template(path)


@pytest.mark.parametrize(("element", "message"), [
    ("{type: text, x: 1, y: 1, font: regular}", "element 1 \\(text\\): missing required field 'text'"),
    ("{type: text, text: '{holder}', x: 1, y: 1, font: regular}", "unknown placeholder \\{holder\\}"),
    ("{type: text, text: '{serial:title}', x: 1, y: 1, font: regular}", "unknown format ':title'"),
    ("{type: text, text: x, x: 1, y: 1, font: cursive}", "font 'cursive' is not declared"),
    ("{type: text, text: x, x: 1, y: 1, font: regular, colour: red}", "colours are written"),
    ("{type: text, text: x, x: 1, y: 1, font: regular, wobble: 3}", "unknown field\\(s\\) wobble"),
    ("{type: qr, x: 1, y: 1, size: 30, quiet_zone: 2}", "field 'quiet_zone': 2 is outside"),
    ("{type: image, file: nothing.png, x: 1, y: 1, width: 5, height: 5}", "file not found"),
])
def test_invalid_elements_are_rejected_when_loading(tmp_path, element, message):
    with pytest.raises(TemplateError, match=message):
        load_template(write_template(tmp_path, f"  - {element}\n"))


def test_template_cache_follows_the_file(tmp_path):
    path = write_template(tmp_path, "  - {type: text, text: one, x: 20, y: 30, font: regular}\n")
    first = load_template(path)
    assert load_template(path) is first
    path.write_text(path.read_text(encoding="utf-8").replace("one", "two"), encoding="utf-8")
    import os
    os.utime(path, ns=(first.path.stat().st_mtime_ns + 10**9,) * 2)
    assert "two" in extract(render_certificate(fields(), load_template(path)))


# ---- bulk ----------------------------------------------------------------------------------

def test_bulk_rendering_matches_single_rendering_in_order(template):
    batch = [fields(holder_name=n, serial=f"HVS-{i}") for i, n in enumerate(["An", "Bình", "Chi", "Dũng"])]
    single = [render_certificate(f, template) for f in batch]
    assert list(render_certificates(batch, template)) == single
    assert list(render_certificates(batch, template, processes=2, chunksize=1)) == single
