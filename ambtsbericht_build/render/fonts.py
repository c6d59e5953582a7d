"""The house font for the screen HTML: subset to the characters the page
uses, compressed to WOFF2, embedded as ``data:`` URLs.

The page must load nothing (its Content-Security-Policy allows fonts from
``data:`` only), so the font travels inside it. The four Noto Sans styles
are 2.1 MB of TrueType; subset to the example report's ~110 characters they
are 7 KB each as WOFF2 (29 KB for the four, 39 KB as base64, on a 381 KB
page). Hinting is dropped: it is 40% of the subset's size (47 KB with it)
and the PDF, which the screen should resemble, has none either. A subset
takes 0.2 s of CPU per style, most of it reading the layout tables (kerning).

The ``@font-face`` rules come from the house style's ``fonts/fonts.css``
(the PDF's), with each TrueType ``url()`` replaced by its subset, so a
repository that overrides the fonts gets them in both outputs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from ..house_style import HouseStyle


class FontError(Exception):
    """fonts.css names a file that is not a house-style font (one line, for the drafter)."""


# url("NotoSans-Regular.ttf") format("truetype") in fonts.css
_FONT_URL = re.compile(r"""url\(\s*(["']?)([^"')\\]+)\1\s*\)\s*format\(\s*["']truetype["']\s*\)""")

# printable ASCII is always kept: CSS counters (page numbers in print), the
# browser's own text in the page (a find-in-page highlight) and any ASCII
# added after the subset was made cost 95 glyphs, about 3 KB per style
_ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F))

# The preview's fonts hold these too: a subset takes 0.2-0.45 s of CPU a
# style, so a character typed that the page did not have yet (an "ø", a
# "€") cost the next rebuild 1-1.8 s for four new subsets. With Latin-1,
# Latin Extended-A and the general punctuation and currency signs kept
# (the Latin of every EU language), such a character is rare after the
# first build. The published page is subset to its own characters only.
PREVIEW_CHARACTERS = frozenset(
    chr(c) for lo, hi in ((0xA0, 0x17F), (0x2010, 0x205E), (0x20A0, 0x20C0)) for c in range(lo, hi + 1)
)

# one subset per (font, characters) in this process: a render subsets each
# style once; the tests render the same report many times. Bounded (the
# least recently used goes): the preview runs for a day, and every new
# character typed is a new key for each of the four styles (7-30 KB each)
CACHE_ENTRIES = 32
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_LOCK = threading.Lock()


# a character reference, as html.unescape reads them (the semicolon may be
# missing after a legacy name such as &eacute)
_REFERENCE = re.compile(r"&(?:#[0-9]{1,8};?|#[xX][0-9a-fA-F]{1,8};?|[A-Za-z][A-Za-z0-9]{0,31};?)")


def page_characters(page: str) -> frozenset[str]:
    """Every character a page can show: its text, attribute values and CSS
    strings, with character references (``&#8211;``, ``&eacute;``) decoded.
    Taking the whole source over-includes a few characters of markup, all
    of them ASCII, which is kept anyway. Only the distinct references are
    decoded: ``html.unescape`` of a whole 100 MB page took 2.5 s."""
    chars = set(page)
    if "&" in chars:
        for ref in set(_REFERENCE.findall(page)):
            chars.update(html.unescape(ref))
    return frozenset(chars) | _ALWAYS


def subset_woff2(font: bytes, chars: frozenset[str], name: str = "font") -> bytes:
    """``font`` (TrueType) cut down to ``chars`` (and the glyphs their
    ligatures and contextual forms need), as WOFF2. FontError when it is not
    a font fontTools can read (a repository's override, ``name``)."""
    key = hashlib.sha256(font + "".join(sorted(chars)).encode("utf-8", "surrogatepass")).hexdigest()
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False
    options.name_IDs = ["*"]  # keep the copyright and licence (SIL OFL 1.1 asks for it)
    out = io.BytesIO()
    try:
        # the same bytes on every render: by default fontTools writes the
        # time of saving into the font's head table. Lazily (as fontTools'
        # own pyftsubset reads a font): a layout subtable is decoded only
        # when the subsetter reaches it, and it never reaches the kerning
        # pairs of glyphs it drops; the same bytes, and the benchmark page's
        # four subsets took 0.40 s of CPU instead of 0.65 s (tests/render/test_html_fonts.py)
        tt = TTFont(io.BytesIO(font), recalcTimestamp=False, lazy=True)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(c) for c in chars))
        subsetter.subset(tt)
        tt.flavor = "woff2"
        tt.save(out)
    except Exception as exc:  # fontTools raises many kinds on a damaged file
        raise FontError(f"{name}: not a TrueType font that can be embedded ({type(exc).__name__})") from None
    data = out.getvalue()
    with _LOCK:
        _CACHE[key] = data
        while len(_CACHE) > CACHE_ENTRIES:
            _CACHE.popitem(last=False)
    return data


def embedded_font_css(style: HouseStyle, chars: frozenset[str]) -> str:
    """The house style's ``@font-face`` rules with every font as a WOFF2
    ``data:`` URL subset to ``chars``."""

    def embed(m: re.Match[str]) -> str:
        name = m.group(2).strip()
        try:
            path = style.path("fonts/" + name)
        except KeyError:
            raise FontError(
                f"fonts/fonts.css names {name!r}, which is not one of the house fonts"
                " (fonts/NotoSans-{Regular,Italic,Bold,BoldItalic}.ttf)"
            ) from None
        data = base64.b64encode(subset_woff2(path.read_bytes(), chars, "fonts/" + name)).decode("ascii")
        return f'url("data:font/woff2;base64,{data}") format("woff2")'

    return _FONT_URL.sub(embed, style.read_text("fonts/fonts.css"))


def font_files(style: HouseStyle, css: str) -> list[Path]:
    """The house-style font files that ``css`` (``fonts/fonts.css``) names,
    in its order; a name that is not a house font is left out
    (:func:`embedded_font_css` says so)."""
    out: list[Path] = []
    for m in _FONT_URL.finditer(css):
        try:
            out.append(style.path("fonts/" + m.group(2).strip()))
        except KeyError:
            continue
    return out
