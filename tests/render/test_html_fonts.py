"""The house font in the screen HTML: four WOFF2 subsets as data: URLs that
cover every character of the page (render/fonts.py)."""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.house_style import HouseStyle, template_path
from ambtsbericht_build.render.fonts import FontError, embedded_font_css, page_characters, subset_woff2

FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
SRC = re.compile(r'src:\s*url\("data:font/woff2;base64,([A-Za-z0-9+/=]+)"\)\s*format\("woff2"\)')
STYLES = {
    ("normal", "400"): "NotoSans-Regular.ttf",
    ("italic", "400"): "NotoSans-Italic.ttf",
    ("normal", "700"): "NotoSans-Bold.ttf",
    ("italic", "700"): "NotoSans-BoldItalic.ttf",
}


def _faces(source: str) -> dict[tuple[str, str], bytes]:
    style = source.split("<style>", 1)[1].split("</style>", 1)[0]
    faces = {}
    for body in FACE.findall(style):
        key = (re.search(r"font-style:\s*(\w+)", body).group(1), re.search(r"font-weight:\s*(\d+)", body).group(1))
        m = SRC.search(body)
        assert m, f"{key}: not a WOFF2 data: URL"
        faces[key] = base64.b64decode(m.group(1))
    return faces


def _cmap(data: bytes) -> set[int]:
    return set(TTFont(io.BytesIO(data)).getBestCmap())


def test_every_character_of_the_page_is_in_each_embedded_style(example_html):
    src = example_html.source
    faces = _faces(src)
    assert set(faces) == set(STYLES)
    shown = {ord(c) for c in html.unescape(re.sub(r"<[^>]*>", "", src.split("<body", 1)[1]))}
    for key, data in faces.items():
        tt = TTFont(io.BytesIO(data))
        assert tt.flavor == "woff2"
        full = set(TTFont(template_path("fonts/" + STYLES[key])).getBestCmap())
        missing = sorted(chr(c) for c in (shown & full) - set(tt.getBestCmap()))
        assert not missing, f"{key}: {missing}"
        # a subset: ~200 of Noto Sans's 2,800 characters, 7 KB instead of 510 KB
        assert len(tt.getBestCmap()) < 400 and len(data) < 15_000, (key, len(tt.getBestCmap()), len(data))
        # the licence travels with the font (SIL OFL 1.1)
        assert "Open Font License" in str(tt["name"].getDebugName(13))


def test_the_policy_allows_fonts_from_data_urls_only(example_html):
    csp = example_html.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["font-src"] == ["data:"]
    style = example_html.source.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.findall(r"url\(\s*(?![\"']?data:)", style) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
        min_size=1,
        max_size=60,
    ),
    as_refs=st.booleans(),
)
def test_subset_covers_any_text_however_it_is_written(text, as_refs):
    """Whatever characters a page holds, written as themselves or as
    character references, the subset has every one Noto Sans has."""
    written = "".join(f"&#{ord(c)};" for c in text) if as_refs else html.escape(text)
    page = f"<p title='{html.escape(text, quote=True)}'>{written}</p>"
    regular = template_path("fonts/NotoSans-Regular.ttf").read_bytes()
    full = _cmap(regular)
    sub = _cmap(subset_woff2(regular, page_characters(page)))
    assert {ord(c) for c in text} & full <= sub


def test_a_damaged_override_font_is_a_clear_error(tmp_path):
    (tmp_path / ".git").mkdir()
    fonts = tmp_path / "templates" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "NotoSans-Bold.ttf").write_bytes(b"\x00\x01\x00\x00 not really a font")
    style = HouseStyle.for_repo(tmp_path)
    try:
        embedded_font_css(style, frozenset("abc"))
    except FontError as exc:
        assert str(exc).startswith("fonts/NotoSans-Bold.ttf: not a TrueType font that can be embedded"), exc
    else:
        raise AssertionError("a damaged font was embedded")


def test_the_subset_is_the_same_bytes_on_every_render(example_html):
    """fontTools writes the time of saving into a font unless told not to:
    the embedded fonts keep the house font's own date, so two renders of one
    report give the same HTML."""
    for key, data in _faces(example_html.source).items():
        original = TTFont(template_path("fonts/" + STYLES[key]))
        assert TTFont(io.BytesIO(data))["head"].modified == original["head"].modified, key


def test_the_audit_reads_css_data_urls_decoded_not_as_base64(example_html):
    """The fonts' 39 KB of base64 are not audited as text (where a short
    forbidden name could turn up by chance, refusing a clean render); what
    a data: URL in CSS holds is audited decoded, as an attribute's is."""
    from ambtsbericht_build.publish.extract import Extracted, extract_html

    hidden = base64.b64encode(b"gesprekspartner Kwartel").decode("ascii")
    ex = Extracted(Path("x.html"))
    extract_html(f'<style>.a {{ background: url("data:text/plain;base64,{hidden}") }}</style><p>x</p>', ex)
    assert any("gesprekspartner Kwartel" in p.text for p in ex.parts), ex.parts
    assert not any(hidden in p.text for p in ex.parts)

    ex = Extracted(example_html.path)
    extract_html(example_html.source, ex)
    payload = SRC.search(example_html.source).group(1)
    assert not any(payload[:200] in p.text for p in ex.parts)
    assert any(p.name.startswith("HTML embedded font/woff2") for p in ex.parts)


def test_the_subset_cache_is_bounded_and_keeps_the_latest(monkeypatch):
    """The preview runs all day and every new character typed makes new
    subsets: the cache keeps the most recently used, never more than
    CACHE_ENTRIES (it grew without end)."""
    from ambtsbericht_build.render import fonts

    monkeypatch.setattr(fonts, "_CACHE", type(fonts._CACHE)())
    monkeypatch.setattr(fonts, "CACHE_ENTRIES", 2)
    font = template_path("fonts/NotoSans-Regular.ttf").read_bytes()
    sets = [frozenset("abc"), frozenset("abcé"), frozenset("abcł")]
    first = subset_woff2(font, sets[0])
    assert subset_woff2(font, sets[0]) is first  # a hit
    for chars in sets[1:]:
        subset_woff2(font, chars)
        assert len(fonts._CACHE) <= 2
    assert subset_woff2(font, sets[2]) is subset_woff2(font, sets[2])
    assert subset_woff2(font, sets[0]) is not first  # the oldest went


def test_the_subset_decodes_only_the_layout_it_keeps_and_gives_the_eager_bytes(monkeypatch):
    """The font is read lazily: the subsetter never decodes the kerning pairs
    of the glyphs it drops (the benchmark page's four subsets: 0.40 s of CPU
    instead of 0.65 s), and the bytes are those of a font read whole."""
    from fontTools import subset
    from fontTools.ttLib.tables import otBase

    from ambtsbericht_build.render import fonts

    monkeypatch.setattr(fonts, "_CACHE", type(fonts._CACHE)())
    decoded = [0]
    real = otBase.BaseTable.decompile

    def counted(self, reader, font):
        decoded[0] += 1
        return real(self, reader, font)

    monkeypatch.setattr(otBase.BaseTable, "decompile", counted)
    font = template_path("fonts/NotoSans-Bold.ttf").read_bytes()
    chars = frozenset("Ambtsbericht „Voorbeeldland” – 12 % één") | frozenset(chr(c) for c in range(0x20, 0x7F))
    lazy = subset_woff2(font, chars)
    lazy_decoded, decoded[0] = decoded[0], 0

    options = subset.Options()
    options.flavor, options.hinting, options.name_IDs = "woff2", False, ["*"]
    tt = TTFont(io.BytesIO(font), recalcTimestamp=False)  # read whole, as before
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(tt)
    tt.flavor = "woff2"
    out = io.BytesIO()
    tt.save(out)
    assert lazy == out.getvalue()
    assert lazy_decoded < decoded[0] / 2, (lazy_decoded, decoded[0])
