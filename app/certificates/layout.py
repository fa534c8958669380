"""Certificate templates as data: the printed values, the YAML layout, fonts and text fitting.

This module knows nothing about what an element looks like on paper. The drawing module hands
it a registry of element types (name -> drawing function + the fields it accepts) and gets back
a `CertificateTemplate` whose every element has been checked and converted (mm -> points,
"#RRGGBB" -> colour, font alias -> registered font, file -> absolute path), so drawing never
has to guess or fail half-way through a PDF.
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

import yaml
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
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
PAGE_SIZES_MM: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0)})


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


# ---- the template model --------------------------------------------------------------------

@dataclass(frozen=True)
class ParseContext:
    """What a field parser may need: where the template lives, its fonts, and where we are."""

    template_dir: Path
    fonts: Mapping[str, str]
    where: str


Parser = Callable[[Any, ParseContext], Any]


@dataclass(frozen=True)
class Field:
    """One accepted property of an element type: how to parse it and whether it is required."""

    parse: Parser
    required: bool = True
    default: Any = None


def req(parse: Parser) -> Field:
    """Declare a required field."""
    return Field(parse)


def opt(parse: Parser, default: Any) -> Field:
    """Declare an optional field with a default (the default is stored already parsed)."""
    return Field(parse, required=False, default=default)


@dataclass(frozen=True)
class ElementType:
    """A registered element type: the function that draws it and the fields it accepts."""

    draw: Callable[..., None]
    fields: Mapping[str, Field]


@dataclass(frozen=True)
class Element:
    """One validated element of a template, ready to draw."""

    type: str
    props: Mapping[str, Any]
    draw: Callable[..., None]
    where: str


@dataclass(frozen=True)
class CertificateTemplate:
    """A loaded, validated certificate layout; page size in PDF points."""

    path: Path
    name: str
    width: float
    height: float
    fonts: Mapping[str, str]
    elements: tuple[Element, ...]

    def has(self, element_type: str) -> bool:
        """Tell whether the template has at least one element of that type."""
        return any(e.type == element_type for e in self.elements)


# ---- field parsers: each checks one YAML value and converts it -----------------------------

def number(minimum: float | None = None, maximum: float | None = None) -> Parser:
    """Parse a plain number (pt or a ratio), optionally bounded."""
    def parse(value: Any, ctx: ParseContext) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TemplateError(f"{ctx.where}: expected a number, got {value!r}")
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            raise TemplateError(f"{ctx.where}: {value} is outside [{minimum}, {maximum}]")
        return float(value)
    return parse


def length(minimum: float | None = 0.0) -> Parser:
    """Parse a length in millimetres and return it in PDF points."""
    inner = number(minimum)
    return lambda value, ctx: inner(value, ctx) * mm


def text(value: Any, ctx: ParseContext) -> str:
    """Parse a text that may contain {placeholders}; unknown names are an error."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise TemplateError(f"{ctx.where}: expected text, got {value!r}")
    value = unicodedata.normalize("NFC", str(value))
    try:
        names = placeholders_in(value)
    except ValueError as exc:
        raise TemplateError(f"{ctx.where}: {exc}") from None
    for name, spec in names:
        if name not in PLACEHOLDERS:
            known = ", ".join(sorted(PLACEHOLDERS))
            raise TemplateError(f"{ctx.where}: unknown placeholder {{{name}}}; known: {known}")
        if spec not in FORMAT_SPECS:
            raise TemplateError(f"{ctx.where}: unknown format ':{spec}' in {{{name}}}; use :upper or :lower")
    return value


def colour(value: Any, ctx: ParseContext) -> Color:
    """Parse a colour written as "#RRGGBB"."""
    try:
        if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
            return HexColor(value)
    except ValueError:
        pass
    raise TemplateError(f"{ctx.where}: colours are written \"#RRGGBB\", got {value!r}")


def font(value: Any, ctx: ParseContext) -> str:
    """Parse a font alias declared in the template's `fonts` section."""
    if value not in ctx.fonts:
        declared = ", ".join(sorted(ctx.fonts)) or "none"
        raise TemplateError(f"{ctx.where}: font {value!r} is not declared (declared: {declared})")
    return ctx.fonts[value]


def choice(*options: str) -> Parser:
    """Parse one of a fixed set of words."""
    def parse(value: Any, ctx: ParseContext) -> str:
        if value not in options:
            raise TemplateError(f"{ctx.where}: expected one of {', '.join(options)}; got {value!r}")
        return str(value)
    return parse


def boolean(value: Any, ctx: ParseContext) -> bool:
    """Parse true/false."""
    if not isinstance(value, bool):
        raise TemplateError(f"{ctx.where}: expected true or false, got {value!r}")
    return value


def file(value: Any, ctx: ParseContext) -> Path:
    """Parse a path relative to the template file; the file must exist."""
    path = (ctx.template_dir / str(value)).resolve()
    if not isinstance(value, str) or not value or not path.is_file():
        raise TemplateError(f"{ctx.where}: file not found: {value!r} (looked at {path})")
    return path


# ---- fonts and the whole template ----------------------------------------------------------

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


def _page_size(raw: Any, where: str) -> tuple[float, float]:
    size, orientation = (str(raw.get("size", "A4")), raw.get("orientation", "landscape")) \
        if isinstance(raw, Mapping) else ("", "")
    if size not in PAGE_SIZES_MM or orientation not in ("landscape", "portrait"):
        raise TemplateError(f"{where}: 'page' must be like {{size: A4, orientation: landscape}} "
                            f"with size one of {', '.join(PAGE_SIZES_MM)}")
    short, long_ = PAGE_SIZES_MM[size]
    w, h = (long_, short) if orientation == "landscape" else (short, long_)
    return w * mm, h * mm


def _parse_element(raw: Any, where: str, registry: Mapping[str, ElementType],
                   defaults: Mapping[str, Any], template_dir: Path, fonts: Mapping[str, str]) -> Element:
    if not isinstance(raw, Mapping) or "type" not in raw:
        raise TemplateError(f"{where}: every element needs a 'type'")
    kind = raw["type"]
    if kind not in registry:
        raise TemplateError(f"{where}: unknown element type {kind!r}; "
                            f"known types: {', '.join(sorted(registry))}")
    where, spec = f"{where} ({kind})", registry[kind]
    unknown = sorted(set(raw) - set(spec.fields) - {"type"})
    if unknown:
        raise TemplateError(f"{where}: unknown field(s) {', '.join(unknown)}; "
                            f"{kind} accepts {', '.join(sorted(spec.fields))}")
    props: dict[str, Any] = {}
    for name, field in spec.fields.items():
        ctx = ParseContext(template_dir, fonts, f"{where}, field '{name}'")
        if name in raw or name in defaults:
            props[name] = field.parse(raw[name] if name in raw else defaults[name], ctx)
        elif field.required:
            raise TemplateError(f"{where}: missing required field '{name}'")
        else:
            props[name] = field.default
    return Element(kind, MappingProxyType(props), spec.draw, where)


def parse_template(path: Path, registry: Mapping[str, ElementType]) -> CertificateTemplate:
    """Read and validate a YAML template against the registry of element types."""
    path = Path(path).resolve()
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{name}: cannot read template: {exc}") from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(raw, Mapping):
        raise TemplateError(f"{name}: a template is a YAML mapping with page, fonts and elements")
    unknown = sorted(set(raw) - {"name", "page", "fonts", "defaults", "elements"})
    if unknown:
        raise TemplateError(f"{name}: unknown top-level key(s): {', '.join(unknown)}")
    width, height = _page_size(raw.get("page", {}), name)
    raw_fonts, defaults, raw_elements = raw.get("fonts"), raw.get("defaults") or {}, raw.get("elements")
    if not isinstance(raw_fonts, Mapping) or not raw_fonts:
        raise TemplateError(f"{name}: 'fonts' must map at least one alias to a .ttf file")
    if not isinstance(defaults, Mapping):
        raise TemplateError(f"{name}: 'defaults' must be a mapping of field -> value")
    if not isinstance(raw_elements, list) or not raw_elements:
        raise TemplateError(f"{name}: 'elements' must be a non-empty list")
    fonts = {str(alias): register_font((path.parent / str(rel)).resolve(), f"{name}, font '{alias}'")
             for alias, rel in raw_fonts.items()}
    elements = tuple(_parse_element(item, f"{name}, element {i}", registry, defaults, path.parent, fonts)
                     for i, item in enumerate(raw_elements, start=1))
    return CertificateTemplate(path, str(raw.get("name") or path.stem), width, height,
                               MappingProxyType(fonts), elements)
