"""What a certificate prints and how text fits: the printed values, placeholders, fonts and text fitting.

The YAML template itself is read and checked in `template.py`; drawing is `pdf.py`.
"""
from __future__ import annotations

import hashlib
import string
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFError, TTFont


class TemplateError(ValueError):
    """A certificate template that cannot be used; the message names the file and element."""


@dataclass(frozen=True)
class CertificateFields:
    """Everything printed on one certificate, as plain values."""

    holder_name: str
    birth_year: int | None
    achievement_title: str
    skill_groups: tuple[str, ...]
    commune_name: str
    province_name: str
    issued_on: date
    officer_name: str
    officer_title: str
    serial: str
    verify_url: str
    revoked: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "skill_groups", tuple(self.skill_groups))
        for name in ("holder_name", "achievement_title", "commune_name", "serial", "verify_url"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"CertificateFields.{name} must be a non-empty string")
        if not isinstance(self.issued_on, date):
            raise ValueError("CertificateFields.issued_on must be a datetime.date")


def _clean(value: str) -> str:
    # NFC: decomposed input (some phones and Macs) would print as loose combining marks.
    return " ".join(unicodedata.normalize("NFC", value).split())


def placeholder_values(fields: CertificateFields) -> dict[str, str]:
    """Compute every {placeholder} value a template may print for these fields."""
    commune = _clean(fields.commune_name)
    place = commune
    for word in ("xã ", "phường ", "thị trấn ", "đặc khu "):
        if place.lower().startswith(word):  # Decree 30/2020: the place line drops the rank
            place = place[len(word):]
            break
    d, title = fields.issued_on, _clean(fields.officer_title)
    signing = ("KT. CHỦ TỊCH" if title.lower().startswith("phó chủ tịch")
               else "TM. ỦY BAN NHÂN DÂN" if title.lower().startswith("chủ tịch") else "")
    return {
        "holder_name": _clean(fields.holder_name),
        "birth_year": "" if fields.birth_year is None else str(fields.birth_year),
        "achievement_title": _clean(fields.achievement_title),
        "skill_groups": "; ".join(_clean(g) for g in fields.skill_groups if g.strip()),
        "commune_name": commune, "province_name": _clean(fields.province_name), "place_name": place,
        # Decree 30/2020: days below 10 and months 1 and 2 take a leading zero.
        "issued_day": f"{d.day:02d}", "issued_month": f"{d.month:02d}" if d.month < 3 else str(d.month),
        "issued_year": str(d.year), "issued_date": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "officer_name": _clean(fields.officer_name), "officer_title": title, "signing_line": signing,
        "serial": fields.serial.strip(), "verify_url": fields.verify_url.strip(),
    }


# Every value a template text may use as {name}: exactly what placeholder_values computes.
PLACEHOLDERS: frozenset[str] = frozenset(placeholder_values(CertificateFields(
    "x", None, "x", (), "x", "x", date(2000, 1, 1), "x", "x", "x", "x")))
# "{commune_name:upper}" prints "XÃ PHÙ ĐỔNG" for the issuer block; nothing else is allowed, so
# a typo in a template is caught when it loads rather than when a certificate is printed.
FORMAT_SPECS: Mapping[str, Callable[[str], str]] = MappingProxyType(
    {"": lambda s: s, "upper": str.upper, "lower": str.lower})


def _vietnamese_letters() -> str:
    vowels, tones = "aăâeêioôơuưy", ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones}
    letters |= set("abcdefghijklmnopqrstuvwxyzđ")
    return "".join(sorted(letters | {ch.upper() for ch in letters}))


VIETNAMESE_LETTERS: str = _vietnamese_letters()


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        return FORMAT_SPECS[format_spec](str(value))


_FORMATTER = _Formatter()


def placeholders_in(text_: str) -> list[tuple[str, str]]:
    """List the (name, format spec) pairs a template text refers to, in order."""
    found = []
    for _literal, name, spec, conversion in _FORMATTER.parse(text_):
        if name is not None:
            if conversion:
                raise ValueError(f"'!{conversion}' conversions are not supported in {{{name}}}")
            found.append((name, spec or ""))
    return found


def fill(text_: str, values: Mapping[str, str]) -> str:
    """Replace the {placeholders} of a validated template text with values."""
    return _FORMATTER.vformat(text_, (), values)


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


# ---- fonts

def register_font(path: Path, where: str) -> str:
    """Register a TrueType font once per process and return its ReportLab name.

    Refuses fonts that cannot print every Vietnamese letter: a missing glyph would print as an
    empty box on someone's certificate, which must be caught when the template loads.
    """
    if not path.is_file():
        raise TemplateError(f"{where}: font file not found: {path}")
    stat = path.stat()
    digest = hashlib.sha1(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:10]
    name = f"HVS-{path.stem}-{digest}"
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        ttf = TTFont(name, str(path), asciiReadable=0)
    except (TTFError, OSError, ValueError) as exc:
        raise TemplateError(f"{where}: {path.name} is not a usable TrueType font: {exc}") from None
    missing = "".join(ch for ch in VIETNAMESE_LETTERS if ord(ch) not in ttf.face.charToGlyph)
    if missing:
        raise TemplateError(f"{where}: {path.name} lacks glyphs for Vietnamese letters: {missing}")
    pdfmetrics.registerFont(ttf)
    return name
