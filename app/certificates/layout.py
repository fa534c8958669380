"""What a certificate prints: the printed values and the placeholders a template may use.

The YAML template itself is read and checked in `template.py`; drawing is `pdf.py`; fonts and text fitting
are `app/printing.py`.
"""
from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any


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
    hours: str = ""  # a volunteer's hours, as printed ("3,5")
    subject: str = "Hoàn thành chương trình Bình dân học vụ số"  # the PDF's subject (document properties)

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
        "serial": fields.serial.strip(), "verify_url": fields.verify_url.strip(), "hours": _clean(fields.hours),
    }


# Every value a template text may use as {name}: exactly what placeholder_values computes.
PLACEHOLDERS: frozenset[str] = frozenset(placeholder_values(CertificateFields(
    "x", None, "x", (), "x", "x", date(2000, 1, 1), "x", "x", "x", "x")))
# "{commune_name:upper}" prints "XÃ PHÙ ĐỔNG" for the issuer block; nothing else is allowed, so
# a typo in a template is caught when it loads rather than when a certificate is printed.
FORMAT_SPECS: Mapping[str, Callable[[str], str]] = MappingProxyType(
    {"": lambda s: s, "upper": str.upper, "lower": str.lower})


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
