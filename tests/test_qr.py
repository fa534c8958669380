"""QR codes made one way: the symbol decodes to its data at the level asked, the SVG draws that symbol."""
from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from app import qr

APP = Path(__file__).resolve().parents[1] / "app"
SVG = "{http://www.w3.org/2000/svg}"
VERIFY = "https://xa-phu-dong.hanoi.example.vn/xac-minh/HVS-2026-000123"
LONG_URL = ("https://hocvuso.example.vn/attendance/scan/123456/" + "Ab3x9Kq2" * 40)[:400]


def raster(symbol: list[list[bool]], border: int = 4, scale: int = 4) -> Image.Image:
    """A grey image of the symbol with its quiet zone, as a camera would see a clean print."""
    side = (len(symbol) + 2 * border) * scale
    image = Image.new("L", (side, side), 255)
    for r, c, n in qr.runs(symbol):
        image.paste(0, ((c + border) * scale, (r + border) * scale, (c + border + n) * scale, (r + border + 1) * scale))
    return image


def decode(symbol: list[list[bool]], border: int = 4) -> zxingcpp.Result:
    (found,) = [r for r in zxingcpp.read_barcodes(raster(symbol, border)) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return found


def svg_grid(markup: str) -> tuple[list[list[bool]], int]:
    """The modules an SVG from `qr.svg` paints dark, quiet zone included, and its side in modules."""
    root = ET.fromstring(markup)
    side = int(root.get("viewBox", "").split()[2])
    grid = [[False] * side for _ in range(side)]
    (path,) = root.iter(f"{SVG}path")
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path.get("d", "")):
        for c in range(int(x), int(x) + int(n)):
            grid[int(y)][c] = True
    return grid, side


@pytest.mark.parametrize("level", "LMQH")
@pytest.mark.parametrize("data", [VERIFY, "HVS-2026-000123", "Nguyễn Thị Hương, Thôn Đông", LONG_URL])
def test_symbol_decodes_to_its_data_at_the_level_asked(data: str, level: str) -> None:
    found = decode(qr.modules(data, level))
    assert found.text == data and found.ec_level == level and found.extra["DataMask"] == qr.MASK


def test_certificate_default_level_is_m() -> None:
    assert decode(qr.modules(VERIFY)).ec_level == "M"


def test_same_data_gives_the_same_code() -> None:
    assert qr.modules(VERIFY, "Q") == qr.modules(VERIFY, "Q") and qr.svg(VERIFY) == qr.svg(VERIFY)
    assert qr.modules(VERIFY) != qr.modules(VERIFY + "4")


def test_size_grows_with_data_and_level() -> None:
    sizes = [len(qr.modules("x" * k)) for k in (5, 50, 200, 400)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert all((n - 17) % 4 == 0 for n in sizes)  # versions are 21, 25, ... modules a side
    assert len(qr.modules(VERIFY, "L")) <= len(qr.modules(VERIFY, "H"))


def test_a_long_url_fits_and_still_decodes() -> None:
    symbol = qr.modules(LONG_URL, "M")
    assert len(symbol) <= 17 + 4 * 40 and all(len(row) == len(symbol) for row in symbol)
    assert decode(symbol).text == LONG_URL


def test_runs_cover_exactly_the_dark_modules() -> None:
    symbol = qr.modules(VERIFY)
    painted = {(r, c + i) for r, c, n in qr.runs(symbol) for i in range(n)}
    assert painted == {(r, c) for r, row in enumerate(symbol) for c, dark in enumerate(row) if dark}


@pytest.mark.parametrize("border", [2, 4])
def test_svg_is_well_formed_and_draws_the_symbol(border: int) -> None:
    markup = qr.svg(VERIFY, border=border)
    assert markup.startswith("<svg") and "<?xml" not in markup and "style=" not in markup
    root = ET.fromstring(markup)  # raises on malformed markup
    assert root.tag == f"{SVG}svg" and root.get("width") == root.get("height")
    grid, side = svg_grid(markup)
    symbol = qr.modules(VERIFY)
    assert side == len(symbol) + 2 * border
    assert all(not any(row) for row in grid[:border] + grid[side - border:])  # the quiet zone stays light
    assert [row[border:side - border] for row in grid[border:side - border]] == symbol
    assert decode([row[border:side - border] for row in grid[border:side - border]], border).text == VERIFY


def test_svg_is_safe_inline_markup() -> None:
    assert hasattr(qr.svg("x"), "__html__")  # Jinja inserts it as is, without escaping


def test_only_the_kernel_module_uses_qrcode_and_only_its_public_api() -> None:
    users = {path.relative_to(APP).as_posix() for path in APP.rglob("*.py")
             if re.search(r"^\s*(import qrcode|from qrcode)", path.read_text(encoding="utf-8"), re.M)}
    assert users == {"qr.py"}
    source = (APP / "qr.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names if "qrcode" in (getattr(node, "module", None) or alias.name)}
    assert imported == {"qrcode"}  # not qrcode.util, qrcode.base, qrcode.main ...
    assert not any(isinstance(node, ast.ClassDef) for node in ast.walk(tree))  # no subclass overriding internals
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not used & {"map_data", "best_mask_pattern", "makeImpl", "setup_type_info", "best_fit", "data_cache"}
    assert not re.search(r"\._\w", source)  # no private names at all
