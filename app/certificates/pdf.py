"""Draw completion certificates as PDF from plain values and a data-driven template.

The drawing code only draws: it takes plain values (`CertificateFields`) and a loaded template
and returns PDF bytes. No Flask, no database. Fonts are embedded as subsets with ToUnicode maps,
so every Vietnamese diacritic prints on any machine and the text can be copied and searched.

Speed comes from doing each costly thing once: fonts are registered and templates parsed once
per process (cached by path and modification time), the border is computed once per template,
the QR code is one vector path, and its mask is fixed rather than scored (see `app/qr.py`).
"""
from __future__ import annotations

import io
import math
import multiprocessing
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app import qr
from app.printing import fit_text, wrap_text

from . import layout, template
from .layout import CertificateFields, TemplateError, fill, placeholder_values
from .template import (
    CertificateTemplate,
    ElementType,
    boolean,
    choice,
    colour,
    file,
    font,
    length,
    number,
    opt,
    req,
    text,
)

__all__ = ["CertificateFields", "CertificateTemplate", "TemplateError", "ELEMENT_TYPES",
           "DEFAULT_TEMPLATE", "TEMPLATES", "load_template", "template_for", "render_certificate",
           "render_certificates", "placeholder_values"]

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "certificates" / "templates"
DEFAULT_TEMPLATE = TEMPLATES_DIR / "default.yaml"
# Each kind of certificate (models.KINDS) has its own layout; the completion certificate's is the default.
TEMPLATES: Mapping[str, Path] = {"completion": DEFAULT_TEMPLATE, "volunteer": TEMPLATES_DIR / "volunteer.yaml"}
P = Mapping[str, Any]


@dataclass(frozen=True)
class _Ctx:
    values: Mapping[str, str]
    fields: CertificateFields
    width: float
    height: float  # page height in points: template y is measured from the top


@lru_cache(maxsize=2048)
def _names(template_text: str) -> tuple[str, ...]:
    return tuple(name for name, _spec in layout.placeholders_in(template_text))


def _resolve(template_text: str, ctx: _Ctx) -> str | None:
    """Fill a text; None when a placeholder it uses is empty, so the whole line is left out."""
    if any(not ctx.values[n] for n in _names(template_text)):
        return None
    return fill(template_text, ctx.values)


def _text_line(c: Canvas, s: str, x: float, y: float, p: P, size: float, scale: float) -> tuple[float, float]:
    cs = p.get("letter_spacing", 0.0)
    width = (stringWidth(s, p["font"], size) + cs * max(len(s) - 1, 0)) * scale / 100.0
    left = {"left": x, "center": x - width / 2, "right": x - width}[p["align"]]
    t = c.beginText(left, y)
    t.setFont(p["font"], size)
    if cs or scale != 100.0:
        t.setCharSpace(cs), t.setHorizScale(scale)
    t.textOut(s)
    if cs or scale != 100.0:  # Tc and Tz outlive ET: reset them, or the next text inherits them
        t.setCharSpace(0), t.setHorizScale(100)
    c.setFillColor(p["colour"])
    c.drawText(t)
    return left, width


def _draw_text(c: Canvas, p: P, ctx: _Ctx) -> None:
    if not (s := _resolve(p["text"], ctx)):
        return
    size, y, lines, width = p["size"], ctx.height - p["y"], [s], p["max_width"]
    if p["max_lines"] > 1 and width:  # wrap, shrinking half a point at a time until it fits
        while len(lines := wrap_text(s, p["font"], size, width)) > p["max_lines"] and size - 0.5 >= p["min_size"]:
            size -= 0.5
        if len(lines) > p["max_lines"]:  # still too long at the smallest size: the last line narrows
            lines = lines[: int(p["max_lines"]) - 1] + [" ".join(lines[int(p["max_lines"]) - 1:])]
    for line in lines:
        line_size, scale = fit_text(line, p["font"], size, width, p["min_size"] if len(lines) == 1 else size,
                                    p["letter_spacing"])
        left, drawn = _text_line(c, line, p["x"], y, p, line_size, scale)
        if p["underline"]:
            c.setStrokeColor(p["colour"])
            c.setLineWidth(max(0.5, line_size * 0.05))
            c.line(left, y - line_size * 0.22, left + drawn, y - line_size * 0.22)
        y -= size * p["leading"]


def _draw_line(c: Canvas, p: P, ctx: _Ctx) -> None:
    c.setStrokeColor(p["colour"])
    c.setLineWidth(p["width"])
    c.line(p["x1"], ctx.height - p["y1"], p["x2"], ctx.height - p["y2"])


def _draw_image(c: Canvas, p: P, ctx: _Ctx) -> None:
    c.saveState()
    if p["opacity"] < 1.0:
        c.setFillAlpha(p["opacity"])
    if p["blend"] == "multiply":  # white parts of a JPEG vanish instead of covering the paper
        c.setBlendMode("Multiply")
    c.drawImage(str(p["file"]), p["x"], ctx.height - p["y"] - p["height"], p["width"], p["height"],
                mask="auto", preserveAspectRatio=True)
    c.restoreState()


# ---- QR code ----------------------------------------------------------------------------

def _draw_qr(c: Canvas, p: P, ctx: _Ctx) -> None:
    if not (data := _resolve(p["data"], ctx)):
        return
    symbol = qr.modules(data, p["error_correction"])
    n = len(symbol)
    ops = [f"{col} {n - 1 - r} {length_} 1 re" for r, col, length_ in qr.runs(symbol)]
    quiet = int(p["quiet_zone"])
    module = p["size"] / (n + 2 * quiet)
    x0, y0 = p["x"], ctx.height - p["y"] - p["size"]
    c.saveState()
    c.setFillColor(white)  # the quiet zone must stay light even over artwork
    c.rect(x0, y0, p["size"], p["size"], stroke=0, fill=1)
    c.setFillColor(p["colour"])
    # In module units, one path filled once: abutting rectangles join without hairline seams.
    c.addLiteral(f"{module:.5f} 0 0 {module:.5f} {x0 + quiet * module:.4f} "
                 f"{y0 + quiet * module:.4f} cm\n" + "\n".join(ops) + "\nf")
    c.restoreState()


# ---- artwork drawn from the layout ---------------------------------------------------------

def _rgb(col: Color) -> str:
    return f"{col.red:.3f} {col.green:.3f} {col.blue:.3f}"


@lru_cache(maxsize=16)
def _frame_ops(w: float, h: float, margin: float, band: float, gap: float, line_width: float,
               line_rgb: str, band_rgb: str) -> str:
    """Build the border once per template: double rule around a key-fret band ("hồi văn")."""
    b0, b1, inner = margin + gap, margin + gap + band, margin + 2 * gap + band
    box = lambda d: f"{d:.2f} {d:.2f} {w - 2 * d:.2f} {h - 2 * d:.2f} re S"  # noqa: E731
    out = [f"q 1 J 1 j {line_rgb} RG {line_width:.2f} w {box(margin)} {line_width / 2:.2f} w "
           f"{box(inner)} {band_rgb} RG 0.6 w {box(b0)} {box(b1)} 0.9 w"]
    hook = ((0.15, 0.0), (0.15, 0.8), (0.85, 0.8), (0.85, 0.25), (0.4, 0.25), (0.4, 0.55), (0.62, 0.55))
    sides = ((w - 2 * b1, lambda s, t: (s, h - b1 + t)), (w - 2 * b1, lambda s, t: (s, b1 - t)),
             (h - 2 * b1, lambda s, t: (b1 - t, s)), (h - 2 * b1, lambda s, t: (w - b1 + t, s)))
    for span, to_page in sides:  # top, bottom, left, right: whole hooks, stretched to fit
        units = max(1, round(span / band))
        for i in range(units):
            pts = [to_page(b1 + (i + a) * span / units, t * band) for a, t in hook]
            out.append(" ".join(f"{x:.2f} {y:.2f} {'l' if k else 'm'}" for k, (x, y) in enumerate(pts)) + " S")
    q = band * 0.3  # corner squares with a small diamond, where the fret turns
    for cx, cy in ((b0, b0), (w - b1, b0), (b0, h - b1), (w - b1, h - b1)):
        mx, my = cx + band / 2, cy + band / 2
        out.append(f"{cx + q:.2f} {cy + q:.2f} {band - 2 * q:.2f} {band - 2 * q:.2f} re S {mx:.2f} "
                   f"{my + q:.2f} m {mx + q:.2f} {my:.2f} l {mx:.2f} {my - q:.2f} l {mx - q:.2f} {my:.2f} l h S")
    return "\n".join(out + ["Q"])


def _draw_frame(c: Canvas, p: P, ctx: _Ctx) -> None:
    c.addLiteral(_frame_ops(ctx.width, ctx.height, p["margin"], p["band"], p["gap"],
                            p["line_width"], _rgb(p["colour"]), _rgb(p["band_colour"])))


def _ring_text(c: Canvas, s: str, radius: float, size: float, font_name: str, top: bool) -> None:
    """Set text along a circle in one text object: each glyph gets its own text matrix."""
    widths = [stringWidth(ch, font_name, size) + size * 0.12 for ch in s]
    mid = radius + (size * 0.35 if top else -size * 0.35)
    angle = sum(widths) / mid / 2  # half the arc in radians, centred on the top or bottom
    t = c.beginText()
    t.setFont(font_name, size)
    for ch, w in zip(s, widths, strict=True):
        step = w / mid
        psi = math.pi / 2 + angle - step / 2 if top else -math.pi / 2 - angle + step / 2
        theta = psi - math.pi / 2 if top else psi + math.pi / 2  # the glyph's baseline direction
        gw = w - size * 0.12
        x = radius * math.cos(psi) - gw / 2 * math.cos(theta)
        y = radius * math.sin(psi) - gw / 2 * math.sin(theta)
        t.setTextTransform(math.cos(theta), math.sin(theta), -math.sin(theta), math.cos(theta), x, y)
        t.textOut(ch)
        angle -= step
    c.drawText(t)


def _draw_seal(c: Canvas, p: P, ctx: _Ctx) -> None:
    """Draw the programme's decorative seal: rings, ring text, an open book; no emblem."""
    r, size, s = p["radius"], p["size"], p["radius"] * 0.64
    ring_in, ring_out = s, r - 1.3 * mm
    c.saveState()
    c.translate(p["x"], ctx.height - p["y"])
    c.setStrokeColor(p["colour"])
    c.setFillColor(p["colour"])
    for radius, width in ((r, 1.8), (ring_out, 0.5), (ring_in, 0.8)):
        c.setLineWidth(width)
        c.circle(0, 0, radius, stroke=1, fill=0)
    pad = (ring_out - ring_in - size * 0.7) / 2
    if top := _resolve(p["top_text"], ctx):
        _ring_text(c, top, ring_in + pad, size, p["font"], True)
    if bottom := _resolve(p["bottom_text"], ctx):
        _ring_text(c, bottom, ring_out - pad, size, p["font"], False)
    dots, d = c.beginPath(), size * 0.22
    for x in (-(ring_in + ring_out) / 2, (ring_in + ring_out) / 2):
        dots.moveTo(x, d), dots.lineTo(x + d, 0), dots.lineTo(x, -d), dots.lineTo(x - d, 0), dots.close()
    c.drawPath(dots, stroke=0, fill=1)
    book = c.beginPath()  # an open book under three "signal" arcs: digital learning
    for k in (-1, 1):
        book.moveTo(0, -0.22 * s)
        book.curveTo(k * 0.15 * s, -0.12 * s, k * 0.3 * s, -0.14 * s, k * 0.45 * s, -0.1 * s)
        book.lineTo(k * 0.45 * s, 0.2 * s)
        book.curveTo(k * 0.3 * s, 0.16 * s, k * 0.15 * s, 0.18 * s, 0, 0.08 * s)
    book.moveTo(0, 0.08 * s), book.lineTo(0, -0.22 * s)
    c.drawPath(book, stroke=1, fill=0)
    for arc in (0.14, 0.25, 0.36):
        c.arc(-arc * s, 0.24 * s - arc * s, arc * s, 0.24 * s + arc * s, 55, 70)
    if centre := _resolve(p["centre_text"], ctx):
        c.setFont(p["font"], size * 0.95)
        c.drawCentredString(0, -0.55 * s, centre)
    c.restoreState()


def _draw_revoked(c: Canvas, p: P, ctx: _Ctx) -> None:
    if not ctx.fields.revoked:
        return
    w, h = p["width"], p["height"]
    c.saveState()
    c.translate(p["x"], ctx.height - p["y"])
    c.rotate(p["angle"])
    c.setStrokeColor(p["colour"])
    c.setFillColor(p["colour"])
    c.setLineWidth(3)
    c.rect(-w / 2, -h / 2, w, h, stroke=1, fill=0)
    c.setLineWidth(1)
    c.rect(-w / 2 + 4, -h / 2 + 4, w - 8, h - 8, stroke=1, fill=0)
    size = min(fit_text(p["text"], p["font"], p["size"], w - 24, 8)[0], h * 0.55)
    c.setFont(p["font"], size)
    c.drawCentredString(0, -size * 0.25 + (h * 0.08 if p["note"] else 0), p["text"])
    if p["note"]:
        note = fit_text(p["note"], p["font"], min(size * 0.25, h * 0.11), w - 24, 5)[0]
        c.setFont(p["font"], note)
        c.drawCentredString(0, -h / 2 + 8 + note * 0.4, p["note"])
    c.restoreState()


_XY = {"x": req(length(None)), "y": req(length(None))}
_TEXTISH = {**_XY, "font": req(font), "size": opt(number(1, 300), 12.0), "colour": opt(colour, black),
            "align": opt(choice("left", "center", "right"), "left"),
            "min_size": opt(number(1, 300), 6.0), "letter_spacing": opt(number(0, 50), 0.0)}

# The element types a template may use. Add a type here, not an `if` in the renderer.
ELEMENT_TYPES: dict[str, ElementType] = {
    "text": ElementType(_draw_text, {
        **_TEXTISH, "text": req(text), "max_width": opt(length(1), None), "underline": opt(boolean, False),
        "max_lines": opt(number(1, 20), 1.0), "leading": opt(number(0.8, 3), 1.3)}),
    "line": ElementType(_draw_line, {
        "x1": req(length(None)), "y1": req(length(None)), "x2": req(length(None)),
        "y2": req(length(None)), "width": opt(number(0.1, 20), 0.75), "colour": opt(colour, black)}),
    "image": ElementType(_draw_image, {
        **_XY, "file": req(file), "width": req(length(1)), "height": req(length(1)),
        "opacity": opt(number(0, 1), 1.0), "blend": opt(choice("normal", "multiply"), "normal")}),
    "qr": ElementType(_draw_qr, {
        **_XY, "size": req(length(20)), "data": opt(text, "{verify_url}"), "colour": opt(colour, black),
        "quiet_zone": opt(number(4, 10), 4.0), "error_correction": opt(choice("L", "M", "Q", "H"), "M")}),
    "frame": ElementType(_draw_frame, {
        "margin": opt(length(0), 8 * mm), "band": opt(length(2), 6 * mm), "gap": opt(length(0), 1.5 * mm),
        "line_width": opt(number(0.1, 10), 2.0), "colour": opt(colour, black),
        "band_colour": opt(colour, black)}),
    "seal": ElementType(_draw_seal, {
        **_XY, "radius": req(length(8)), "font": req(font), "size": opt(number(3, 30), 7.0),
        "colour": opt(colour, black), "top_text": opt(text, "BÌNH DÂN HỌC VỤ SỐ"),
        "bottom_text": opt(text, ""), "centre_text": opt(text, "")}),
    "revoked_mark": ElementType(_draw_revoked, {
        **_XY, "width": opt(length(20), 190 * mm), "height": opt(length(10), 46 * mm),
        "angle": opt(number(-90, 90), 12.0), "font": req(font), "size": opt(number(6, 200), 56.0),
        "colour": opt(colour, Color(0.77, 0.06, 0.06)), "text": opt(text, "ĐÃ THU HỒI"),
        "note": opt(text, "Giấy chứng nhận này đã bị thu hồi và không còn giá trị")}),
}


@lru_cache(maxsize=32)
def _load(path: str, mtime_ns: int) -> CertificateTemplate:
    return template.parse_template(Path(path), ELEMENT_TYPES)


def load_template(path: str | Path = DEFAULT_TEMPLATE) -> CertificateTemplate:
    """Load and validate a certificate template, cached by path and modification time."""
    resolved = Path(path).resolve()
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise TemplateError(f"{resolved.name}: cannot read template: {exc}") from None
    return _load(str(resolved), mtime)


def template_for(kind: str | None) -> CertificateTemplate:
    """Load the layout of a kind of certificate (the default one for a kind without its own)."""
    return load_template(TEMPLATES.get(kind or "", DEFAULT_TEMPLATE))


_A85_LOCK = threading.Lock()


@contextmanager
def _binary_streams() -> Iterator[None]:
    # ReportLab wraps streams in ASCII85 by default and, without its optional C accelerator,
    # encodes that in pure Python: ~12 ms for the artwork alone. PDF streams may be binary, so
    # switch it off while drawing; the lock keeps concurrent renders from clobbering the
    # process-wide setting, which is restored for other ReportLab users afterwards.
    with _A85_LOCK:
        saved, rl_config.useA85 = rl_config.useA85, 0
        try:
            yield
        finally:
            rl_config.useA85 = saved


def render_certificate(fields: CertificateFields, template: CertificateTemplate) -> bytes:
    """Render one certificate as a one-page PDF."""
    values = placeholder_values(fields)
    buf = io.BytesIO()
    with _binary_streams():
        # invariant: the same values give the same bytes, so files can be cached and compared.
        # initialFontName: otherwise ReportLab selects Helvetica, a font that is not embedded.
        c = Canvas(buf, pagesize=(template.width, template.height), pageCompression=1, invariant=1,
                   lang="vi", initialFontName=next(iter(template.fonts.values())))
        c.setTitle(f"Giấy chứng nhận {values['serial']} – {values['holder_name']}")
        c.setAuthor(f"Ủy ban nhân dân {values['commune_name']}")
        c.setSubject(fields.subject)
        c.setCreator("Học Vụ Số")
        ctx = _Ctx(values, fields, template.width, template.height)
        for element in template.elements:
            element.draw(c, element.props, ctx)
        if fields.revoked and not template.has("revoked_mark"):
            # A custom template that forgot the mark must still never print a valid-looking page.
            mark = {k: f.default for k, f in ELEMENT_TYPES["revoked_mark"].fields.items()}
            mark.update(x=template.width / 2, y=template.height / 2,
                        font=template.fonts.get("bold") or next(iter(template.fonts.values())))
            _draw_revoked(c, mark, ctx)
        c.showPage()
        c.save()
    return buf.getvalue()


def _render_from_path(path: str, fields: CertificateFields) -> bytes:
    return render_certificate(fields, load_template(path))  # cached per worker process


def render_certificates(items: Iterable[CertificateFields], template: CertificateTemplate, *,
                        processes: int = 1, chunksize: int = 25,
                        mp_context: str | None = None) -> Iterator[bytes]:
    """Render many certificates in order, in this process or in a pool of worker processes."""
    if processes <= 1:
        for fields in items:
            yield render_certificate(fields, template)
        return
    # Workers load the template from its path (and cache it) rather than unpickling it.
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(mp_context)) as pool:
        yield from pool.map(partial(_render_from_path, str(template.path)), items, chunksize=chunksize)
