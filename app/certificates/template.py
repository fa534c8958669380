"""Certificate templates as YAML: the template model, the field parsers, and loading a whole template.

This module knows nothing about what an element looks like on paper. The drawing module hands it a
registry of element types (name -> drawing function + the fields it accepts) and gets back a
`CertificateTemplate` whose every element has been checked and converted (mm -> points, "#RRGGBB" ->
colour, font alias -> registered font, file -> absolute path), so drawing never has to guess or fail
half-way through a PDF.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm

from app.certificates.layout import FORMAT_SPECS, PLACEHOLDERS, TemplateError, placeholders_in
from app.printing import FontError, register_font

PAGE_SIZES_MM: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"A3": (297.0, 420.0), "A4": (210.0, 297.0), "A5": (148.0, 210.0)})

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


# ---- the whole template

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
    try:
        fonts = {str(alias): register_font((path.parent / str(rel)).resolve(), f"{name}, font '{alias}'")
                 for alias, rel in raw_fonts.items()}
    except FontError as exc:
        raise TemplateError(str(exc)) from None
    elements = tuple(_parse_element(item, f"{name}, element {i}", registry, defaults, path.parent, fonts)
                     for i, item in enumerate(raw_elements, start=1))
    return CertificateTemplate(path, str(raw.get("name") or path.stem), width, height,
                               MappingProxyType(fonts), elements)
