"""Redraw the certificate artwork (lotus watermark) with Pillow: `python make_artwork.py`.

The picture is drawn from simple curves so anyone can change it and regenerate it; it contains
no emblem or logo. It is saved as a JPEG on white because the template draws it with the
"multiply" blend (white disappears) and ReportLab embeds JPEG files without re-encoding them,
which keeps each certificate fast to produce.
"""
from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
GOLD = (176, 141, 60)
SCALE = 2  # draw large, then shrink: smooth edges without an anti-aliasing library


def bezier(p0, p1, p2, p3, steps=48):
    """Sample a cubic Bézier curve."""
    pts = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
        pts.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return pts


def petal(base, length, width, angle_deg):
    """Outline of one petal from its base, rotated by angle (0 = straight up)."""
    left = bezier((0, 0), (-width, -length * 0.35), (-width * 0.55, -length * 0.85), (0, -length))
    right = bezier((0, -length), (width * 0.55, -length * 0.85), (width, -length * 0.35), (0, 0))
    a = math.radians(angle_deg)
    ca, sa = math.cos(a), math.sin(a)
    return [(base[0] + x * ca - y * sa, base[1] + x * sa + y * ca) for x, y in left + right]


def draw_lotus(width=760, height=560):
    """Draw a line-art lotus with leaves on white."""
    w, h = width * SCALE, height * SCALE
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    stroke = 3 * SCALE
    base = (w / 2, h * 0.70)
    for angle, length, pw in ((-78, 0.30, 0.07), (78, 0.30, 0.07), (-52, 0.40, 0.085),
                              (52, 0.40, 0.085), (-26, 0.48, 0.095), (26, 0.48, 0.095),
                              (0, 0.56, 0.11)):
        outline = petal(base, h * length, w * pw, angle)
        d.line(outline + [outline[0]], fill=GOLD, width=stroke, joint="curve")
        tip = outline[len(outline) // 2]
        vein = [(base[0] + (tip[0] - base[0]) * t, base[1] + (tip[1] - base[1]) * t) for t in (0.18, 0.8)]
        d.line(vein, fill=GOLD, width=max(1, stroke // 2))
    for side in (-1, 1):  # two leaves resting on the water
        leaf = bezier((w / 2, h * 0.74), (w / 2 + side * w * 0.18, h * 0.66),
                      (w / 2 + side * w * 0.42, h * 0.72), (w / 2 + side * w * 0.46, h * 0.80))
        leaf += bezier((w / 2 + side * w * 0.46, h * 0.80), (w / 2 + side * w * 0.30, h * 0.90),
                       (w / 2 + side * w * 0.10, h * 0.86), (w / 2, h * 0.74))
        d.line(leaf, fill=GOLD, width=stroke, joint="curve")
    for k, y in enumerate((0.90, 0.95)):  # ripples
        d.arc((w * (0.18 + 0.08 * k), h * (y - 0.05), w * (0.82 - 0.08 * k), h * (y + 0.05)),
              start=10, end=170, fill=GOLD, width=max(1, stroke // 2))
    return img.resize((width, height), Image.LANCZOS)


if __name__ == "__main__":
    draw_lotus().save(HERE / "lotus.jpg", quality=82, optimize=True)
    print("wrote", HERE / "lotus.jpg")
