"""QR symbols for certificates: qrcode's encoder, choosing its mask on bitsets (one data placement, not eight)."""
from __future__ import annotations

from functools import cache
from typing import Any

import qrcode
from qrcode.util import mask_func


@cache
def _mask_bits(free: tuple[int, ...], mask: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Rows and columns (as bitsets) of the data modules that a mask pattern flips."""
    n, flip = len(free), mask_func(mask)
    grid = [[(free[r] >> c) & 1 and flip(r, c) for c in range(n)] for r in range(n)]
    rows = tuple(sum(1 << c for c in range(n) if grid[r][c]) for r in range(n))
    return rows, tuple(sum(1 << r for r in range(n) if grid[r][c]) for c in range(n))


def _penalty(rows: list[int], cols: list[int], n: int) -> int:
    """Score one masked symbol exactly as qrcode's util.lost_point does, on bitsets."""
    full, starts, score = (1 << n) - 1, (1 << (n - 10)) - 1, 0
    for line in rows + cols:
        for v in (line, ~line & full):
            w = v & v >> 1 & v >> 2 & v >> 3 & v >> 4  # runs of 5+: 3 points, +1 per extra module
            score += w.bit_count() + 2 * (w & ~(w << 1)).bit_count()
        light = ~line & full  # finder-like 1011101 with four light modules on one side: 40
        for pattern in (0b00001011101, 0b10111010000):
            hits, j = starts, 0
            while hits and j < 11:
                hits &= (line if pattern >> j & 1 else light) >> j
                j += 1
            score += 40 * hits.bit_count()
    for a, b in zip(rows, rows[1:], strict=False):  # 2x2 blocks of one colour: 3
        d, lo = a & b, ~(a | b) & full
        score += 3 * ((d & d >> 1) | (lo & lo >> 1)).bit_count()
    dark = sum(r.bit_count() for r in rows)
    return score + int(abs(dark / n ** 2 * 100 - 50) / 5) * 10


class _QRCode(qrcode.QRCode):
    """qrcode's encoder choosing the same mask (tests check it) from one data placement, not eight.

    qrcode places the data once per candidate mask, most of its run time; here it is placed
    once, unmasked into row and column bitsets, and each candidate mask is an XOR away.
    """

    _free: dict[int, tuple[int, ...]] = {}

    def map_data(self, data: Any, mask_pattern: int) -> None:
        if self.version not in self._free:  # modules still None here are the data modules
            self._free[self.version] = tuple(sum(1 << c for c, v in enumerate(row) if v is None)
                                             for row in self.modules)
        super().map_data(data, mask_pattern)

    def best_mask_pattern(self) -> int:
        self.makeImpl(True, 0)
        n, free = self.modules_count, self._free[self.version]
        mask0 = _mask_bits(free, 0)[0]
        raw = [sum(1 << c for c, v in enumerate(row) if v) ^ m for row, m in zip(self.modules, mask0, strict=True)]
        raw_cols = [sum(1 << r for r in range(n) if raw[r] >> c & 1) for c in range(n)]
        scores = [_penalty([a ^ b for a, b in zip(raw, rows, strict=True)],
                           [a ^ b for a, b in zip(raw_cols, cols, strict=True)], n)
                  for rows, cols in (_mask_bits(free, mask) for mask in range(8))]
        return scores.index(min(scores))


def qr_modules(data: str, level: str = "M") -> list[list[bool]]:
    """Encode data as a QR symbol (no quiet zone); True is a dark module."""
    qr = _QRCode(error_correction=_ECC[level], border=0, box_size=1)
    qr.add_data(data)
    qr.make(fit=True)
    return qr.modules


_ECC = {"L": qrcode.ERROR_CORRECT_L, "M": qrcode.ERROR_CORRECT_M,
        "Q": qrcode.ERROR_CORRECT_Q, "H": qrcode.ERROR_CORRECT_H}


