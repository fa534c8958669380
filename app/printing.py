"""Fonts and text fitting for printed PDFs (certificates, sign-in sheets).

ReportLab is imported only here and in the modules that draw a PDF.
"""
from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont


class FontError(ValueError):
    """A font that cannot be used; the message says where it was asked for."""


def _vietnamese_letters() -> str:
    vowels, tones = "aăâeêioôơuưy", ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters |= set("abcdefghijklmnopqrstuvwxyzđ")
    return "".join(sorted(letters | {ch.upper() for ch in letters}))


VIETNAMESE_LETTERS: str = _vietnamese_letters()


def register_font(path: Path, where: str) -> str:
    """Register a TrueType font once per process and return its ReportLab name.

    Refuses fonts that cannot print every Vietnamese letter: a missing glyph would print as an
    empty box on someone's certificate, which must be caught when the template loads.
    """
    if not path.is_file():
        raise FontError(f"{where}: font file not found: {path}")
    stat = path.stat()
    digest = hashlib.sha1(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:10]
    name = f"HVS-{path.stem}-{digest}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        ttf = TTFont(name, str(path), asciiReadable=0)
    except (TTFError, OSError, ValueError) as exc:
        raise FontError(f"{where}: {path.name} is not a usable TrueType font: {exc}") from None
    missing = "".join(ch for ch in VIETNAMESE_LETTERS if ord(ch) not in ttf.face.charToGlyph)
    if missing:
        raise FontError(f"{where}: {path.name} lacks glyphs for Vietnamese letters: {missing}")
    pdfmetrics.registerFont(ttf)
    return name


def fit_text(text_: str, font_name: str, size: float, max_width: float | None,
             min_size: float, char_space: float = 0.0) -> tuple[float, float]:
    """Return (font size, horizontal scale %) so the text fits in max_width points."""
    per_pt = stringWidth(text_, font_name, 1.0)
    extra = char_space * max(len(text_) - 1, 0)
    if max_width is None or per_pt * size + extra <= max_width:
        return size, 100.0
    fitted = (max_width - extra) / per_pt if per_pt else size
    if fitted >= min_size:
        return fitted, 100.0
    # Below the smallest readable size, narrow the letters instead of shrinking further.
    return min_size, 100.0 * max_width / (per_pt * min_size + extra)


def wrap_text(s: str, font_name: str, size: float, max_width: float) -> list[str]:
    """Break a text into lines no wider than max_width points (a longer word keeps its line)."""
    space = stringWidth(" ", font_name, size)
    lines: list[str] = []
    current: list[str] = []
    width = 0.0
    for word in s.split():  # widths add up exactly: ReportLab applies no kerning
        w = stringWidth(word, font_name, size)
        if current and width + space + w > max_width:
            lines.append(" ".join(current))
            current, width = [word], w
        else:
            width = width + space + w if current else w
            current.append(word)
    return lines + [" ".join(current)] if current else lines
