"""QR codes, made one way for every feature: the symbol's modules (for a PDF to draw) and SVG (for a page).

`qrcode` encodes. Its mask is fixed through the public `mask_pattern` instead of chosen by placing the data
eight times and scoring each, which is most of qrcode's run time: every one of the eight masks makes a valid
symbol that any reader decodes; the score only steers away from patterns that trouble poor cameras, and the
checkerboard mask already breaks up the long runs and blocks it looks for.
"""
from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

import qrcode
from markupsafe import Markup

MASK = 0  # the checkerboard: (row + column) even
LEVELS = {"L": qrcode.ERROR_CORRECT_L, "M": qrcode.ERROR_CORRECT_M,
          "Q": qrcode.ERROR_CORRECT_Q, "H": qrcode.ERROR_CORRECT_H}


def modules(data: str, level: str = "M") -> list[list[bool]]:
    """Encode data as a QR symbol without its quiet zone, the smallest version that holds it; True is dark."""
    code = qrcode.QRCode(error_correction=LEVELS[level], border=0, mask_pattern=MASK)
    code.add_data(data)
    code.make(fit=True)
    return [[bool(module) for module in row] for row in code.modules]


def runs(symbol: list[list[bool]]) -> Iterator[tuple[int, int, int]]:
    """Yield (row, column, length) of each horizontal run of dark modules: one rectangle each when drawn."""
    for r, row in enumerate(symbol):
        col = 0
        for dark, run in groupby(row):
            length = len(list(run))
            if dark:
                yield r, col, length
            col += length


def svg(data: str, level: str = "M", border: int = 4) -> Markup:
    """Draw data as a QR code in SVG, inline in a page or served as image/svg+xml (no XML declaration).

    One path in module units, so it prints sharp at any size; the quiet zone (`border` modules) is painted
    light so the code scans over a dark background. The size is 1 mm a module until CSS sets another.
    """
    symbol = modules(data, level)
    size = len(symbol) + 2 * border
    path = "".join(f"M{c + border} {r + border}h{n}v1h-{n}z" for r, c, n in runs(symbol))
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}mm" height="{size}mm" '
                  f'viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
                  f'<rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>')
