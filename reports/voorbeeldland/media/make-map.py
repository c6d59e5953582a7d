#!/usr/bin/env python3
"""Draw the (fictional) map of Voorbeeldland used in the example report.

Usage: python make-map.py [OUTPUT.png]
Default output: kaart-voorbeeldland.png next to this script.
Needs Pillow. The map is entirely made up; it is deterministic, so running
the script again gives the same picture.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

W, H = 1200, 900
SEA = (205, 226, 240)
LAND_OUTSIDE = (228, 226, 218)
BORDER = (60, 60, 60)
PROVINCE_LINE = (110, 110, 110)
TEXT = (30, 30, 30)

# Outline of the country, clockwise, starting in the north-west.
P = {
    0: (220, 160),
    1: (420, 110),
    2: (640, 130),
    3: (860, 180),
    4: (960, 330),
    5: (930, 520),
    6: (980, 690),
    7: (760, 800),
    8: (540, 770),
    9: (380, 810),
    10: (250, 700),
    11: (200, 530),
    12: (150, 440),
    13: (170, 360),
    14: (180, 290),
}
# Inner vertices shared by neighbouring provinces.
I = {
    1: (330, 320),
    2: (540, 330),
    3: (760, 320),
    4: (270, 380),
    5: (290, 500),
    6: (450, 540),
    7: (660, 540),
    8: (690, 700),
    9: (380, 650),
}


def pts(*names: str) -> list[tuple[int, int]]:
    out = []
    for n in names:
        table = P if n[0] == "p" else I
        out.append(table[int(n[1:])])
    return out


PROVINCES = [
    # name, polygon, fill, label position
    ("Havenstad", pts("p11", "p12", "p13", "i4", "i5"), (246, 214, 170), (215, 405)),
    ("Noordkust", pts("p13", "p14", "p0", "p1", "p2", "i2", "i1", "i4"), (196, 222, 176), (420, 225)),
    ("Hooglanden", pts("i2", "p2", "p3", "p4", "p5", "i7", "i6"), (214, 196, 168), (730, 410)),
    ("Westmark", pts("p11", "i5", "i4", "i1", "i2", "i6", "i9", "p10"), (226, 232, 186), (365, 520)),
    ("Zuiderdelta", pts("i9", "i6", "i7", "i8", "p7", "p8", "p9", "p10"), (190, 216, 206), (520, 680)),
    ("Oostvallei", pts("i7", "p5", "p6", "p7", "i8"), (232, 204, 200), (830, 640)),
]
OUTLINE = [P[i] for i in range(15)]

CAPITAL = ("Havenstad", (182, 446))
TOWNS = [
    ("Oudebrug", (480, 180)),
    ("Drieheuvel", (760, 360)),
    ("Rotsdal", (640, 250)),
    ("Steenrijk", (400, 440)),
    ("Velden", (840, 700)),
    ("Koraalbaai", (520, 745)),
]


def font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for base in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"):
        try:
            return ImageFont.truetype(f"{base}/{name}", size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def centred(draw: ImageDraw.ImageDraw, xy, text, fnt, fill=TEXT, halo=True):
    x, y = xy
    l, t, r, b = draw.textbbox((0, 0), text, font=fnt)
    pos = (x - (r - l) / 2, y - (b - t) / 2)
    if halo:
        draw.text(pos, text, font=fnt, fill=fill, stroke_width=3, stroke_fill=(255, 255, 255))
    else:
        draw.text(pos, text, font=fnt, fill=fill)


def star(cx, cy, r_out=13, r_in=5.5):
    import math

    points = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(a), cy - r * math.sin(a)))
    return points


def draw_map() -> Image.Image:
    img = Image.new("RGB", (W, H), SEA)
    d = ImageDraw.Draw(img)

    # Neighbouring (unnamed) land to the north and east.
    d.polygon(
        [
            (200, 0),
            (1200, 0),
            (1200, 900),
            (1000, 900),
            (980, 690),
            (930, 520),
            (960, 330),
            (860, 180),
            (640, 130),
            (420, 110),
            (220, 160),
            (200, 0),
        ],
        fill=LAND_OUTSIDE,
    )
    d.line(
        [(1000, 900), (980, 690), (930, 520), (960, 330), (860, 180), (640, 130), (420, 110), (220, 160)],
        fill=(150, 150, 150),
        width=2,
    )

    for _name, poly, fill, _pos in PROVINCES:
        d.polygon(poly, fill=fill)
    for _name, poly, _fill, _pos in PROVINCES:
        d.line(poly + [poly[0]], fill=PROVINCE_LINE, width=2, joint="curve")
    d.line(OUTLINE + [OUTLINE[0]], fill=BORDER, width=5, joint="curve")

    f_prov = font(22, bold=True)
    f_town = font(17)
    f_small = font(15)
    f_title = font(30, bold=True)
    f_sea = font(24)

    for name, _poly, _fill, pos in PROVINCES:
        centred(d, pos, name.upper() if name != "Havenstad" else "", f_prov, fill=(70, 55, 40))
    # Havenstad district label placed off the small district, with a leader line.
    d.line([(200, 420), (110, 335)], fill=(90, 90, 90), width=1)
    centred(d, (95, 320), "HAVENSTAD", f_small, fill=(70, 55, 40))
    centred(d, (95, 338), "(district)", f_small, fill=(70, 55, 40))

    for name, (x, y) in TOWNS:
        d.ellipse([x - 6, y - 6, x + 6, y + 6], fill=(255, 255, 255), outline=TEXT, width=2)
        centred(d, (x, y + 18), name, f_town)

    cx, cy = CAPITAL[1]
    d.polygon(star(cx, cy), fill=(200, 30, 30), outline=(90, 0, 0))
    centred(d, (cx + 5, cy + 26), "Havenstad", font(18, bold=True))

    centred(d, (70, 600), "Westzee", f_sea, fill=(60, 100, 140), halo=False)
    centred(d, (1080, 120), "(buurland)", f_small, fill=(120, 120, 120), halo=False)

    # Title
    d.text((40, 25), "Voorbeeldland: provincies en hoofdstad", font=f_title, fill=TEXT)
    d.text((42, 65), "Fictieve kaart, uitsluitend ter illustratie", font=f_small, fill=(80, 80, 80))

    # North arrow
    ax, ay = 1120, 230
    d.polygon([(ax, ay - 45), (ax - 14, ay), (ax, ay - 10), (ax + 14, ay)], fill=TEXT)
    centred(d, (ax, ay - 62), "N", font(20, bold=True), halo=False)

    # Scale bar: 100 km = 160 px.
    sx, sy = 60, 860
    seg = 80
    for k in range(2):
        fill = TEXT if k % 2 == 0 else (255, 255, 255)
        d.rectangle([sx + k * seg, sy - 10, sx + (k + 1) * seg, sy], fill=fill, outline=TEXT)
    for k, label in enumerate(("0", "50", "100 km")):
        centred(d, (sx + k * seg + (12 if k == 2 else 0), sy - 24), label, f_small, halo=False)

    # Legend
    lx, ly, lw, lh = 1010, 700, 175, 175
    d.rectangle([lx, ly, lx + lw, ly + lh], fill=(255, 255, 255), outline=(120, 120, 120))
    d.text((lx + 12, ly + 10), "Legenda", font=font(17, bold=True), fill=TEXT)
    d.polygon(star(lx + 24, ly + 52, 10, 4), fill=(200, 30, 30), outline=(90, 0, 0))
    d.text((lx + 44, ly + 43), "Hoofdstad", font=f_small, fill=TEXT)
    d.ellipse([lx + 18, ly + 77, lx + 30, ly + 89], fill=(255, 255, 255), outline=TEXT, width=2)
    d.text((lx + 44, ly + 75), "Stad", font=f_small, fill=TEXT)
    d.line([(lx + 12, ly + 115), (lx + 36, ly + 115)], fill=BORDER, width=5)
    d.text((lx + 44, ly + 106), "Landsgrens", font=f_small, fill=TEXT)
    d.line([(lx + 12, ly + 147), (lx + 36, ly + 147)], fill=PROVINCE_LINE, width=2)
    d.text((lx + 44, ly + 138), "Provinciegrens", font=f_small, fill=TEXT)
    return img


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("kaart-voorbeeldland.png")
    draw_map().save(out, optimize=True)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
