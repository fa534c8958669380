"""Dashboard charts drawn on the server as SVG: readable on a phone, in black-and-white print and by screen readers."""
from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Iterable, Sequence

from markupsafe import Markup, escape

WIDTH = 360  # viewBox units: at 390 px less the page padding one unit is about one pixel
FONT = 16  # labels
SMALL = 15  # values and axes: still at least 14 px on a phone
LABEL_CHARS = 30  # labels sit above their bars, so a phone has room for this many characters
NO_DATA = "Chưa có số liệu"
SUPPRESSED = "<5"
# Colours are presentation attributes, not an inline <style>: the site's CSP (style-src 'self') blocks inline
# styles, and a <style> inside inline SVG would apply to the whole page. Any class rule in app.css overrides them.
INK = "#14181f"  # 17.8:1 on white
MUTED = "#3d4654"  # 9.5:1
BRAND = "#0b4f8a"  # 8.4:1; prints dark grey
LAST = "#8a94a3"  # 3.1:1, enough for a graphic; prints light grey, and its bars are thinner too
LAST_LINE = "#5b6573"  # 5.9:1
TRACK = "#f2f5f9"
EDGE = "#6b7480"  # 4.7:1: outlines keep the track visible when a printer drops the light fill
GRID = "#c6ccd4"

_ids = itertools.count(1)  # ids must be unique within a page that shows several charts


def number(value: float) -> str:
    """Format a number the Vietnamese way: 12.345 and 85,5."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{int(rounded):,}".replace(",", ".")
    return f"{rounded:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _clean(value: float | None) -> float | None:
    """Return None for missing, NaN or infinite values and 0 for negatives (counts and rates cannot be below 0)."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return max(value, 0.0) if math.isfinite(value) else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{number(value)} {unit}" if unit else number(value)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _width(text: str, size: float = SMALL, bold: bool = False) -> float:
    # An average glyph of a sans-serif face, generous so text rarely overflows.
    return len(text) * size * (0.64 if bold else 0.58)


def _truncate(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, limit: int, lines: int) -> list[str]:
    out: list[str] = []
    for word in str(text).split():
        if out and len(out[-1]) + 1 + len(word) <= limit:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[: lines - 1] + [_truncate(" ".join(out[lines - 1 :]), limit)]
    return [_truncate(line, limit) for line in out] or [""]


def _text(x: float, y: float, text: str, *, cls: str = "label", anchor: str = "start", size: int = SMALL,
          bold: bool = False, fill: str = INK) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text class="{cls}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}"'
            f' fill="{fill}"{weight}>{escape(text)}</text>')


def _rect(x: float, y: float, w: float, h: float, cls: str, fill: str, stroke: str = "") -> str:
    edge = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return (f'<rect class="{cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="3"'
            f' fill="{fill}"{edge}/>')


def _svg(title: str, desc: str, height: float, body: Iterable[str]) -> Markup:
    uid = f"chart-{next(_ids)}"
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {_n(height)}" width="100%"'
        f' role="img" aria-labelledby="{uid}-title {uid}-desc" font-size="{FONT}" fill="{INK}">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>'
        + "".join(body) + "</svg>"
    )


def _no_data(title: str, label: str) -> Markup:
    body = [_rect(0.5, 0.5, WIDTH - 1, 47, "track", TRACK, EDGE),
            _text(WIDTH / 2, 30, label, cls="no-data", anchor="middle", size=FONT, fill=MUTED)]
    return _svg(title, label, 48, body)


def progress_bar(label: str, value: float | None, target: float | None, *, unit: str = "%",
                 maximum: float | None = None, target_label: str = "Mục tiêu", no_data_label: str = NO_DATA) -> Markup:
    """Draw one horizontal bar of a value against its target, the target a dashed line."""
    value, target, maximum = _clean(value), _clean(target), _clean(maximum)
    scale = 100.0 if unit == "%" else (max(value or 0.0, target or 0.0, maximum or 0.0) or 1.0)
    value_text = _fmt(value, unit) if value is not None else ""
    track_w = WIDTH - (min(_width(value_text, FONT, bold=True) + 10, WIDTH * 0.45) if value_text else 0)
    lines = _wrap(label, 40, 2)
    top = len(lines) * 22 + 6
    body = [_text(0, 17 + 22 * i, line, size=FONT) for i, line in enumerate(lines)]
    body.append(_rect(0.5, top, track_w - 1, 28, "track", TRACK, EDGE))
    if value is None:
        body.append(_text(10, top + 20, no_data_label, cls="no-data", fill=MUTED))
    else:
        body.append(_rect(0.5, top, (track_w - 1) * min(value / scale, 1.0), 28, "bar", BRAND))
        body.append(_text(WIDTH, top + 20, value_text, cls="value", anchor="end", size=FONT, bold=True))
    desc = f"{label}: {value_text or no_data_label}"
    height = top + 36
    if target is not None:
        x = min(max(0.5 + (track_w - 1) * min(target / scale, 1.0), 1.5), track_w - 1.5)
        line = f'x1="{_n(x)}" y1="{top - 6}" x2="{_n(x)}" y2="{top + 34}"'
        # A white halo under the dashes keeps the marker visible over the dark bar, in colour and in print.
        body.append(f'<line class="target-halo" {line} stroke="#ffffff" stroke-width="7"/>')
        body.append(f'<line class="target" {line} stroke="{INK}" stroke-width="3" stroke-dasharray="5 3"/>')
        target_text = f"{target_label} {_fmt(target, unit)}"
        anchor = "start" if x < track_w * 0.35 else "end" if x > track_w * 0.65 else "middle"
        body.append(_text(x, top + 52, target_text, cls="target-label", anchor=anchor))
        desc += f"; {target_text}"
        height = top + 60
    return _svg(label, desc, height, body)


def bar_chart(title: str, items: Sequence[tuple[str, float | None]], *, unit: str = "",
              previous: Sequence[float | None] | None = None, previous_label: str = "Năm trước",
              current_label: str = "Năm nay", suppressed: Collection[str] = (), no_data_label: str = NO_DATA,
              suppressed_text: str = SUPPRESSED) -> Markup:
    """Draw horizontal bars, one row per label, with last year's thinner bar under each when given."""
    if not items:
        return _no_data(title, no_data_label)
    hidden = set(suppressed)
    rows = [(str(label), _clean(value)) for label, value in items]
    last = None if previous is None else ([_clean(v) for v in previous] + [None] * len(rows))[: len(rows)]
    pairs = [(label, v) for i, (label, value) in enumerate(rows) for v in (value, None if last is None else last[i])]
    scale = max((v for label, v in pairs if label not in hidden and v is not None), default=0.0) or 1.0

    def text(label: str, value: float | None) -> str:
        return suppressed_text if label in hidden else _fmt(value, unit)

    room = WIDTH - 1 - min(max(_width(text(label, v), bold=True) for label, v in pairs) + 8, WIDTH * 0.45)
    body: list[str] = []
    y = 0.0
    if last is not None:
        second = 26 + _width(current_label, FONT) + 20
        wrap = second + 26 + _width(previous_label, FONT) > WIDTH  # long labels: one legend entry per line
        body += [_rect(0.5, 4, 18, 18, "bar", BRAND), _text(26, 19, current_label, cls="legend", size=FONT),
                 _rect(0.5 if wrap else second, 30 if wrap else 7, 18, 12, "bar-last", LAST, MUTED),
                 _text(26 if wrap else second + 26, 45 if wrap else 19, previous_label, cls="legend", size=FONT)]
        y = 62 if wrap else 36
    desc: list[str] = []
    for i, (label, value) in enumerate(rows):
        row = [f"<title>{escape(label)}</title>", _text(0, y + 16, _truncate(label), size=FONT)]
        series = [(value, 24, 20, "bar", BRAND, "")]
        if last is not None:
            series.append((last[i], 48, 14, "bar-last", LAST, MUTED))
        for v, dy, h, cls, fill, stroke in series:
            shown_text = text(label, v)
            end = 0.5
            if label not in hidden and v is not None:
                w = room * v / scale
                row.append(_rect(0.5, y + dy, max(w, 2.0) if v > 0 else 0.0, h, cls, fill, stroke))
                end += max(w, 2.0) if v > 0 else 0.0
            row.append(_text(end + 6, y + dy + h / 2 + 5, shown_text, cls="value", bold=cls == "bar"))
        body.append(f'<g class="row">{"".join(row)}</g>')
        desc.append(f"{label}: {text(label, value)}"
                    + (f" ({previous_label}: {text(label, last[i])})" if last is not None else ""))
        y += 78 if last is not None else 56
    return _svg(title, "; ".join(desc), y, body)


def _ticks(top: float) -> list[float]:
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def year_line(title: str, points: Sequence[tuple[str, float | None]], *,
              previous: Sequence[tuple[str, float | None]] | None = None, unit: str = "",
              current_label: str = "Năm nay", previous_label: str = "Năm trước",
              no_data_label: str = NO_DATA) -> Markup:
    """Draw this year's values over periods as a line, last year's dashed, gaps where a value is missing."""
    labels = list(dict.fromkeys([str(p) for p, _ in points] + [str(p) for p, _ in previous or ()]))
    now = {str(p): _clean(v) for p, v in points}
    before = {str(p): _clean(v) for p, v in previous or ()}
    cur = [now.get(p) for p in labels]
    old = [before.get(p) for p in labels] if previous is not None else []
    values = [v for v in cur + old if v is not None]
    if not values:
        return _no_data(title, no_data_label)
    ticks = _ticks(max(values))
    tick_texts = [number(t) for t in ticks]
    left = max(_width(t) for t in tick_texts) + 10
    top = 58 if previous is not None else 30
    bottom = top + 170
    step = (WIDTH - left - 8) / len(labels)

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / ticks[-1]

    body: list[str] = []
    if previous is not None:
        second = 34 + _width(current_label, FONT) + 20
        body += [f'<line class="line" x1="0" y1="14" x2="26" y2="14" stroke="{BRAND}" stroke-width="3"/>',
                 f'<circle class="marker" cx="13" cy="14" r="5" fill="{BRAND}"/>',
                 _text(34, 19, current_label, cls="legend", size=FONT),
                 f'<line class="line-last" x1="{_n(second)}" y1="14" x2="{_n(second + 26)}" y2="14"'
                 f' stroke="{LAST_LINE}" stroke-width="2.5" stroke-dasharray="6 4"/>',
                 f'<rect class="marker-last" x="{_n(second + 9)}" y="10" width="8" height="8" fill="#ffffff"'
                 f' stroke="{LAST_LINE}" stroke-width="2"/>',
                 _text(second + 34, 19, previous_label, cls="legend", size=FONT)]
    for t, t_text in zip(ticks, tick_texts, strict=True):
        cls, colour = ("axis", EDGE) if t == 0 else ("grid", GRID)
        body.append(f'<line class="{cls}" x1="{_n(left)}" y1="{_n(y(t))}" x2="{WIDTH}" y2="{_n(y(t))}"'
                    f' stroke="{colour}" stroke-width="1"/>')
        body.append(_text(left - 6, y(t) + 5, t_text, cls="tick", anchor="end", fill=MUTED))
    every = math.ceil((max(_width(_truncate(p, 8)) for p in labels) + 6) / step)
    body += [_text(x(i), bottom + 22, _truncate(p, 8), cls="period", anchor="middle")
             for i, p in enumerate(labels) if i % every == 0]
    point_unit = unit if unit == "%" else ""  # point labels stay short; the title and the table name the unit
    value_every = math.ceil((max(_width(_fmt(v, point_unit), bold=True) for v in values) + 4) / step)
    for series, cls, colour in ((old, "line-last", LAST_LINE), (cur, "line", BRAND)):
        runs: list[list[int]] = [[]]
        for i, v in enumerate(series):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(i)
        dash = ' stroke-dasharray="6 4"' if cls == "line-last" else ""
        width = "2.5" if dash else "3"
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{_n(x(i))},{_n(y(series[i] or 0.0))}" for i in run)
                body.append(f'<polyline class="{cls}" points="{path}" fill="none" stroke="{colour}"'
                            f' stroke-width="{width}"{dash}/>')
        for i, v in enumerate(series):
            if v is None:
                continue
            cx, cy = x(i), y(v)
            if dash:
                body.append(f'<rect class="marker-last" x="{_n(cx - 4)}" y="{_n(cy - 4)}" width="8" height="8"'
                            f' fill="#ffffff" stroke="{colour}" stroke-width="2"/>')
                if value_every == 1:  # last year's labels only when every one fits: they go under the marker
                    below = cy + 20 if cy + 20 < bottom - 4 else cy - 10
                    body.append(_text(cx, below, _fmt(v, point_unit), cls="value-last", anchor="middle", fill=MUTED))
            else:
                body.append(f'<circle class="marker" cx="{_n(cx)}" cy="{_n(cy)}" r="5" fill="{colour}"/>')
                if i % value_every == 0:
                    body.append(_text(cx, cy - 10, _fmt(v, point_unit), cls="value", anchor="middle", bold=True))
    desc = f"{current_label}: " + ", ".join(f"{p} {_fmt(v, unit)}" for p, v in zip(labels, cur, strict=True))
    if previous is not None:
        desc += f". {previous_label}: " + ", ".join(f"{p} {_fmt(v, unit)}" for p, v in zip(labels, old, strict=True))
    return _svg(title, desc, bottom + 32, body)
