"""Fonts and text fitting for printed PDFs: every Vietnamese letter prints, text shrinks, narrows or wraps to fit."""
from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from app import printing

FONTS = Path(__file__).resolve().parents[1] / "certificates" / "fonts"
NAME = "Công Tằng Tôn Nữ Hoàng Thị Minh Nguyệt Ánh Dương"


@pytest.fixture(scope="module")
def font() -> str:
    return printing.register_font(FONTS / "DejaVuSerif.ttf", "test")


def test_a_font_is_registered_once_and_named_by_its_file(font: str) -> None:
    assert font.startswith("HVS-DejaVuSerif-")
    assert printing.register_font(FONTS / "DejaVuSerif.ttf", "again") == font


def test_a_missing_font_is_refused_naming_where_it_was_asked_for(tmp_path: Path) -> None:
    with pytest.raises(printing.FontError, match=r"sign-in sheet: font file not found: .*Nothing\.ttf"):
        printing.register_font(tmp_path / "Nothing.ttf", "sign-in sheet")


def test_a_font_without_vietnamese_letters_is_refused() -> None:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Bitstream Vera: no ơ, ư, ạ...
    with pytest.raises(printing.FontError, match="lacks glyphs for Vietnamese letters: .*ơ"):
        printing.register_font(vera, "test")


def test_a_file_that_is_no_font_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "Fake.ttf"
    fake.write_bytes(b"not a font")
    with pytest.raises(printing.FontError, match="Fake.ttf is not a usable TrueType font"):
        printing.register_font(fake, "test")


def test_text_that_fits_keeps_its_size(font: str) -> None:
    assert printing.fit_text("Hà", font, 12, 200, 8) == (12, 100.0)
    assert printing.fit_text(NAME, font, 12, None, 8) == (12, 100.0)


def test_text_too_wide_shrinks_then_narrows_never_below_the_smallest_size(font: str) -> None:
    width = stringWidth(NAME, font, 12)
    size, scale = printing.fit_text(NAME, font, 12, width * 0.8, 8)
    assert scale == 100.0 and size == pytest.approx(12 * 0.8)
    size, scale = printing.fit_text(NAME, font, 12, width * 0.4, 8)
    assert size == 8 and stringWidth(NAME, font, size) * scale / 100 == pytest.approx(width * 0.4)


def test_text_wraps_into_lines_no_wider_than_asked(font: str) -> None:
    width = stringWidth("Công Tằng Tôn Nữ", font, 10) + 1
    lines = printing.wrap_text(NAME, font, 10, width)
    assert " ".join(lines) == NAME and len(lines) > 1
    assert all(stringWidth(line, font, 10) <= width for line in lines)
    assert printing.wrap_text("Nguyễn", font, 10, 1) == ["Nguyễn"]  # a longer word keeps its line
    assert printing.wrap_text("", font, 10, 100) == []


def test_the_vietnamese_alphabet_has_every_toned_vowel() -> None:
    for letter in "ơờớởỡợƯỰđĐ":
        assert letter in printing.VIETNAMESE_LETTERS
