"""WeasyPrint's CPU in the PDF writer (render/weasy_speed.py): each patch
saves work (counted here against WeasyPrint alone) and leaves every byte of
the PDF as WeasyPrint writes it."""

import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

weasyprint = pytest.importorskip("weasyprint")

import pydyf  # noqa: E402
from fontTools.ttLib.tables import otBase  # noqa: E402
from weasyprint import css  # noqa: E402
from weasyprint.css.properties import INITIAL_VALUES, Dimension  # noqa: E402
from weasyprint.draw import text as draw_text  # noqa: E402
from weasyprint.formatting_structure import boxes  # noqa: E402
from weasyprint.layout import background as layout_background  # noqa: E402
from weasyprint.layout import percent, preferred  # noqa: E402
from weasyprint.pdf import fonts as pdf_fonts  # noqa: E402
from weasyprint.text import line_break  # noqa: E402
from weasyprint.text.ffi import ffi  # noqa: E402

from ambtsbericht_build.render import (  # noqa: E402
    pydyf_speed,
    weasy_css_memo,
    weasy_font_subset,
    weasy_footnotes,
    weasy_glyphs,
    weasy_html_parse,
    weasy_inherit,
    weasy_layout_memo,
    weasy_lines,
    weasy_margin_styles,
    weasy_percent,
    weasy_speed,
    weasy_split_memo,
)
from ambtsbericht_build.render.pdf import html_to_pdf  # noqa: E402

_NOTE = (
    '<span class="fn">Human Rights Watch (HRW), <i>World Report 2026 – Voorbeeldland</i>, '
    "15 januari 2026, p. {k}{more}.</span>"
)


def _html(paragraphs: list[str], width: str = "60%") -> str:
    body = "".join(
        f'<p id="p{i}">{text}'
        + _NOTE.format(k=i + 1, more=" met een toelichting die over twee regels loopt" * (i % 2))
        + f' en <a href="#p{i}">een <u>onderstreepte</u> verwijzing</a> <span lang="en">in English</span>.</p>'
        for i, text in enumerate(paragraphs)
    )
    return (
        '<html lang="nl"><head><meta name="dcterms.created" content="2026-01-01T00:00:00Z">'
        '<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"><title>t</title>'
        '<link rel="stylesheet" href="fonts.css"><style>'
        '@page { size: A6; margin: 12mm 10mm; @bottom-center { content: "Pagina " counter(page) }'
        ' @top-left { content: "Voorbeeldland | algemeen ambtsbericht" } }'
        'body { font: 9pt/1.35 "Abuild Noto Sans"; text-align: justify; hyphens: auto }'
        "p:nth-child(odd) { text-align: left }"
        f"p {{ width: {width}; margin: 0 0 2% calc(1em + 2px); padding: 1% }}"
        ".fn { float: footnote; font-size: 7pt } h2 { font-variant: small-caps; font-weight: bold }"
        "table { width: 100%; border-collapse: collapse } td { width: 50%; border: 0.5pt solid; padding: 2px }"
        "</style></head><body><h2>Kop met <sup>1</sup> en ﬁ-ligatuur</h2>"
        f"{body}<table><tr><td>Cel één</td><td>Cel twee: ½ € ≥</td></tr></table></body></html>"
    )


_PARAGRAPHS = [
    "De situatie in Voorbeeldland is in de verslagperiode niet wezenlijk veranderd",
    "Mensenrechtenorganisaties meldden willekeurige arrestaties van journalisten en bloggers",
    "Volgens vertrouwelijke bronnen werden betogers zonder vorm van proces vastgehouden",
] * 3


@pytest.fixture(scope="module", autouse=True)
def _font_time() -> Iterator[None]:
    """fontTools stamps each subset font's ``head.modified`` with the clock
    (WeasyPrint's fontTools subset, where HarfBuzz's is not installed) unless
    ``SOURCE_DATE_EPOCH`` is set: two PDFs written in different seconds
    differ there, and the comparisons below failed now and then."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("SOURCE_DATE_EPOCH", "1767225600")
        yield


@contextmanager
def _only(patches: tuple[ModuleType, ...]) -> Iterator[None]:
    """The PDF writer's other patches on, of weasy_speed's only ``patches``;
    afterwards every patch as it was."""
    was = {m: m.enabled() for m in (weasy_footnotes, weasy_lines)}
    speed_was = {m: m.enabled() for m in weasy_speed._patches()}
    weasy_speed.remove()
    weasy_footnotes.apply()
    weasy_lines.apply()
    for patch in patches:
        patch.apply()
    try:
        yield
    finally:
        weasy_speed.remove()
        for module, on in was.items():
            (module.apply if on else module.remove)()
        for module, on in speed_was.items():
            if on:
                module.apply()


def _counting(monkeypatch: pytest.MonkeyPatch, counts: Counter[str], owner: Any, name: str, label: str = "") -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        counts[label or name] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


def _render(tmp_path: Path, html: str, patches: tuple[ModuleType, ...], label: str) -> tuple[bytes, Counter[str]]:
    """The PDF's bytes, and how often WeasyPrint did each piece of work the patches save."""
    counts: Counter[str] = Counter()
    out = tmp_path / f"{label}.pdf"
    with pytest.MonkeyPatch.context() as m, _only(patches):
        _counting(m, counts, line_break.Layout, "get_first_line")  # Pango's line layout
        _counting(m, counts, line_break.Layout, "setup")  # a new Pango layout
        _counting(m, counts, ffi, "new", "ffi_new")  # a cffi allocation
        _counting(m, counts, line_break, "get_font_description")  # WeasyPrint's Layout.setup
        _counting(m, counts, weasy_layout_memo, "get_font_description", "font_kept")  # the memo's, once per font
        _counting(m, counts, percent, "percentage")
        _counting(m, counts, line_break, "_font_style_cache_key")  # strut's key
        _counting(m, counts, boxes.Box, "is_floated")
        _counting(m, counts, boxes.Box, "border_width")  # avoid_collisions measures each line
        _counting(m, counts, layout_background, "resolve_radii_percentages", "radii")  # each box's, WeasyPrint's walk
        _counting(m, counts, re, "compile", "re_compile")  # tinyhtml5's chars_until, each call
        _counting(m, counts, otBase.BaseTTXConverter, "decompile", "layout_table_read")  # GDEF, GSUB, GPOS
        _counting(m, counts, weasy_glyphs, "_original")  # lines drawn by WeasyPrint's own function
        _counting(m, counts, draw_text, "draw_first_line")  # lines drawn
        _glyph_tests_counted(m, counts)
        m.setattr(css, "PHYSICAL_FUNCTIONS", _CountedGet(css.PHYSICAL_FUNCTIONS, counts))  # the general path
        _scans_counted(m, counts)
        _margin_styles_counted(m, counts)
        html_to_pdf(html, out)
    return out.read_bytes(), counts


class _CountedGet(dict[str, Any]):
    """A dict that counts its ``get`` calls (``ComputedStyle.__missing__``'s general path makes one)."""

    def __init__(self, items: dict[str, Any], counts: Counter[str]) -> None:
        super().__init__(items)
        self.counts = counts

    def get(self, key: str, default: Any = None) -> Any:
        self.counts["style_general_path"] += 1
        return super().get(key, default)


class _CountedIn(dict[Any, Any]):
    """A font's glyphs with Unicode text, counting the glyphs asked about."""

    counts: Counter[str]

    def __contains__(self, key: object) -> bool:
        self.counts["glyph_tested"] += 1
        return super().__contains__(key)


def _glyph_tests_counted(monkeypatch: pytest.MonkeyPatch, counts: Counter[str]) -> None:
    """Count the glyphs tested for a recorded Unicode text (WeasyPrint: every glyph drawn)."""
    init = pdf_fonts.Font.__init__

    def counted_init(self: Any, *args: Any) -> None:
        init(self, *args)
        self.to_unicode = _CountedIn(self.to_unicode)
        self.to_unicode.counts = counts

    monkeypatch.setattr(pdf_fonts.Font, "__init__", counted_init)


class _CountedScan(dict[Any, Any]):
    """The cascaded styles, counting the scans over them."""

    counts: Counter[str]

    def __iter__(self) -> Iterator[Any]:
        self.counts["page_entries_scanned"] += len(self)
        return super().__iter__()


def _scans_counted(monkeypatch: pytest.MonkeyPatch, counts: Counter[str]) -> None:
    init = css.StyleFor.__init__

    def counted_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self._cascaded_styles = _CountedScan(self._cascaded_styles)  # emptied by now: page entries follow
        self._cascaded_styles.counts = counts

    monkeypatch.setattr(css.StyleFor, "__init__", counted_init)


def _margin_styles_counted(monkeypatch: pytest.MonkeyPatch, counts: Counter[str]) -> None:
    """Count the margin-box styles computed (a page type's pseudo-elements: "@top-left", ...)."""
    init = css.ComputedStyle.__init__

    def counted_init(self: Any, parent_style: Any, cascaded: Any, pseudo_type: Any, *args: Any) -> None:
        if isinstance(pseudo_type, str) and pseudo_type.startswith("@"):
            counts["margin_style"] += 1
        init(self, parent_style, cascaded, pseudo_type, *args)

    monkeypatch.setattr(css.ComputedStyle, "__init__", counted_init)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Counter[str]]:
    return _render(tmp_path_factory.mktemp("plain"), _html(_PARAGRAPHS), (), "plain")


def test_all_patches_same_pdf_less_work(tmp_path, plain):
    before, work = plain
    after, saved = _render(tmp_path, _html(_PARAGRAPHS), weasy_speed._patches(), "all")
    assert after == before
    assert work["get_first_line"] > 200 and saved["get_first_line"] < work["get_first_line"]


# each patch on its own: the same PDF, and the work it saves is not done
_SAVES: dict[str, Callable[[Counter[str], Counter[str]], bool]] = {
    # a footnote is laid out alone, then in the area: its lines are broken once
    "weasy_split_memo": lambda off, on: on["get_first_line"] <= off["get_first_line"] - 20,
    # each page's running header and footer have styles of their own: one style each for all pages
    "weasy_margin_styles": lambda off, on: on["margin_style"] + 3 <= off["margin_style"],
    # a few fonts, hundreds of layouts
    "weasy_layout_memo": lambda off, on: (
        on["get_font_description"] == 0 and 0 < 5 * on["font_kept"] <= off["get_font_description"]
    ),
    # a line is drawn with the Pango layout it was measured with: no new one
    "weasy_keep_layout": lambda off, on: on["setup"] + 5 <= off["setup"],
    # a line's extents measured into one kept rectangle
    "weasy_line_size": lambda off, on: on["ffi_new"] + 200 < off["ffi_new"],
    # each page's margin-box styles without a scan of every earlier page's
    "weasy_page_styles": lambda off, on: on["page_entries_scanned"] == 0 < off["page_entries_scanned"],
    "weasy_percent": lambda off, on: on["percentage"] * 4 < off["percentage"],
    "weasy_strut": lambda off, on: on["_font_style_cache_key"] * 3 < off["_font_style_cache_key"],
    # an unset property: the parent's or the initial value, not the general path
    "weasy_inherit": lambda off, on: on["style_general_path"] * 2 < off["style_general_path"],
    # a font's GSUB and GPOS, dropped from its subset, are not read first (its GDEF still is)
    "weasy_font_subset": lambda off, on: 0 < on["layout_table_read"] * 3 <= off["layout_table_read"],
    # a line's place with no float on the page: the line is not measured for it
    "weasy_collisions": lambda off, on: on["border_width"] + 200 <= off["border_width"],
    # the tokenizer's regexes built once, not on each run of text
    "weasy_html_parse": lambda off, on: on["re_compile"] + 100 <= off["re_compile"],
    # a box without background or rounded corners: its style is not read again
    "weasy_backgrounds": lambda off, on: on["radii"] * 5 < off["radii"],
    "weasy_flow": lambda off, on: on["is_floated"] * 2 < off["is_floated"],  # other callers remain
    # most lines are plain glyphs WeasyPrint has seen before
    # and a glyph seen before in a plain line is not tested again
    "weasy_glyphs": lambda off, on: (
        0 < on["_original"] * 2 < on["draw_first_line"] == off["draw_first_line"]
        and on["glyph_tested"] * 2 < off["glyph_tested"]
    ),
}


@pytest.mark.parametrize("name", sorted(_SAVES))
def test_each_patch_same_pdf_and_saves_its_work(tmp_path, plain, name, monkeypatch):
    patch = {m.__name__.rsplit(".", 1)[1]: m for m in weasy_speed._patches()}[name]
    before, off = plain
    if name == "weasy_font_subset":
        # its path is WeasyPrint's fontTools subset, taken where HarfBuzz's
        # subsetter is not installed (make test's chromium brings it along):
        # taken here in both renders, whatever this machine has
        import weasyprint.pdf.fonts

        monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
        before, off = _render(tmp_path, _html(_PARAGRAPHS), (), "fonttools")
    after, on = _render(tmp_path, _html(_PARAGRAPHS), (patch,), name)
    assert after == before
    assert _SAVES[name](off, on), (name, off, on)


def test_split_memo_remembers_preferred_widths(tmp_path, plain):
    """A margin box's min- and max-content widths (preferred.py), asked again
    on every page once the pages share the box's style, are answered from the memo."""
    counts: Counter[str] = Counter()
    out = tmp_path / "preferred.pdf"
    with pytest.MonkeyPatch.context() as m, _only((weasy_margin_styles, weasy_split_memo)):
        _counting(m, counts, preferred, "split_first_line", "asked")  # the memo, asked
        inner = weasy_split_memo._wrapped["_abuild_preferred_splits"]  # what the memo wraps

        def broken(*args: Any) -> Any:
            counts["broken"] += 1
            return inner(*args)

        m.setitem(weasy_split_memo._wrapped, "_abuild_preferred_splits", broken)
        html_to_pdf(_html(_PARAGRAPHS), out)
    assert out.read_bytes() == plain[0]
    assert counts["broken"] + 4 <= counts["asked"], counts


def test_patch_list_is_complete():
    """Every render/weasy_*.py patch whose only purpose is speed is applied by weasy_speed."""
    names = {m.__name__.rsplit(".", 1)[1] for m in weasy_speed._patches()}
    assert names == set(_SAVES) | {"weasy_css_memo"}  # its saving shows from a second document on: below


_MARKUP = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<b class='x y'>", "</b>", '<a href="#a b">', "</a>", "<!-- c -->", "<br/>", "&amp;", "&#233;"]
        + ["<td id=a>", "<![CDATA[x]]>", "<table>", "</table>", "\t\n", "\u0000", "'", '"', "<", ">", "tekst", " "]
    )
).map("".join)


@settings(max_examples=200, deadline=None)
@given(markup=_MARKUP)
def test_html_parse_as_tinyhtml5(markup):
    """tinyhtml5's tree, its tokenizer's regexes kept (weasy_html_parse): the same as without."""
    from xml.etree import ElementTree

    import tinyhtml5

    was = weasy_html_parse.enabled()
    try:
        weasy_html_parse.remove()
        plain = ElementTree.tostring(tinyhtml5.parse(markup))
        weasy_html_parse.apply()
        kept = ElementTree.tostring(tinyhtml5.parse(markup))
    finally:
        (weasy_html_parse.apply if was else weasy_html_parse.remove)()
    assert kept == plain


def test_backgrounds_same_pdf(tmp_path):
    """Boxes with a background, an image, rounded corners, a shadow, a border
    image, hidden (WeasyPrint's own layout_box_backgrounds) beside plain ones
    (weasy_backgrounds'): the same PDF."""
    styled = [
        "background: #eee",
        "background: currentColor; color: rgba(0, 0, 0, 0)",
        "background: linear-gradient(red, blue)",
        "background: url(data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==)",
        "border-radius: 3px; border: 1pt solid",
        "border-radius: 0 4px",
        "box-shadow: 1px 1px 2px grey",
        "visibility: hidden; background: #eee",
        "visibility: hidden; box-shadow: 1px 1px grey",
        "border: 4px solid; border-image: linear-gradient(red, blue) 1",
    ]
    blocks = "".join(f'<div style="{css}">blok <span style="{css}">in de regel</span></div>' for css in styled)
    html = _html(_PARAGRAPHS[:2]).replace("<h2>", blocks + "<h2>")
    before, _ = _render(tmp_path, html, (), "plain")
    after, _ = _render(tmp_path, html, weasy_speed._patches(), "all")
    assert after == before


def test_floats_and_right_to_left_same_pdf(tmp_path):
    """Lines beside a float and in a right-to-left block (WeasyPrint's own
    avoid_collisions then), and after the float (weasy_collisions'): the same PDF."""
    html = _html(_PARAGRAPHS[:4]).replace(
        "<h2>",
        '<div style="float: left; width: 30%; height: 4em; border: 1pt solid">vast</div>'
        '<p dir="rtl" style="float: right; width: 40%">rechts naar links</p><h2>',
    )
    before, _ = _render(tmp_path, html, (), "plain")
    after, _ = _render(tmp_path, html, weasy_speed._patches(), "all")
    assert after == before


_WORDS = st.sampled_from(
    ["Voorbeeldland", "de", "arrestaties", "mensenrechten-organisaties", "één", "‘citaat’", "2026", "HRW", "—", "ﬁ"]
)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    paragraphs=st.lists(st.lists(_WORDS, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=6),
    width=st.sampled_from(["100%", "73%", "41mm"]),
)
def test_any_text_same_pdf(tmp_path, paragraphs, width):
    html = _html(paragraphs, width)
    before, _ = _render(tmp_path, html, (), "plain")
    after, _ = _render(tmp_path, html, weasy_speed._patches(), "all")
    assert after == before


# --- percentages: the same used values as WeasyPrint's own, box by box -----------------------

_PROPS = (
    "margin_left margin_right margin_top margin_bottom padding_left padding_right padding_top padding_bottom "
    "width min_width max_width height min_height max_height"
).split()
_LENGTH = st.one_of(
    st.just("auto"),
    st.builds(Dimension, st.floats(-50, 500, allow_nan=False), st.sampled_from(["px", "%"])),
)


class _Box:
    pass


class _PageBox(boxes.PageBox):
    def __init__(self) -> None:  # no page type: only what resolve_percentages reads
        pass


@settings(max_examples=300, deadline=None)
@given(
    values=st.fixed_dictionaries({p: _LENGTH for p in _PROPS}),
    borders=st.lists(st.floats(0, 5, allow_nan=False), min_size=4, max_size=4),
    sizing=st.sampled_from(["content-box", "border-box", "padding-box"]),
    collapse=st.booleans(),
    page=st.booleans(),
    cb=st.tuples(st.floats(0, 800, allow_nan=False), st.one_of(st.just("auto"), st.floats(0, 800, allow_nan=False))),
)
def test_percentages_as_weasyprint(values, borders, sizing, collapse, page, cb):
    style = dict(values, box_sizing=sizing, border_collapse="collapse" if collapse else "separate")
    for side, width in zip(("top", "right", "bottom", "left"), borders, strict=True):
        style[f"border_{side}_width"] = width
    results = []
    for resolve in (percent.resolve_percentages, weasy_percent.resolve_percentages):
        box = _PageBox() if page else _Box()
        box.style = style
        if collapse:
            box.border_top_width = 9.0  # set by border conflict resolution: kept
        try:
            resolve(box, cb)
            results.append(("ok", repr({k: v for k, v in vars(box).items() if k != "style"})))  # nan == nan
        except Exception as exc:  # noqa: BLE001 - the same failure is the same behaviour
            results.append(("raised", type(exc).__name__))
    assert results[0] == results[1]


def test_unsupported_weasyprint_stops_instead_of_patching(monkeypatch):
    from ambtsbericht_build.tools import PatchVersionError

    was = weasy_speed.enabled()
    weasy_speed.remove()
    monkeypatch.setattr(weasyprint, "__version__", "70.1")
    try:
        with pytest.raises(PatchVersionError, match=r"WeasyPrint 70\.0, but WeasyPrint 70\.1 is installed"):
            weasy_speed.apply()
        assert not any(m.enabled() for m in weasy_speed._patches())
    finally:
        monkeypatch.undo()
        if was:
            weasy_speed.apply()


def _styles(html: str) -> list[dict[str, Any]]:
    """Every property of every box's computed style, in box order."""
    document = weasyprint.HTML(string=html).render()
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            values: dict[str, Any] = {}
            for key in sorted(INITIAL_VALUES):
                try:
                    values[key] = box.style[key]
                except KeyError:  # a logical property an anonymous box's style does not know
                    values[key] = "KeyError"
            found.append(values)
    return found


def test_computed_styles_as_weasyprint():
    html = _html(_PARAGRAPHS[:2])
    with _only(()):
        before = _styles(html)
    with _only((weasy_inherit,)):
        after = _styles(html)
    assert len(before) > 50 and after == before


_ITEMS = st.recursive(
    st.one_of(
        st.binary(max_size=8),
        st.text("abcXYZ/ 019", max_size=8),
        st.integers(-(10**12), 10**12),
        st.floats(-1e6, 1e6, allow_nan=False),
        st.booleans(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(pydyf.Array),
        st.dictionaries(st.text("abcXYZ", min_size=1, max_size=4), inner, max_size=4).map(pydyf.Dictionary),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(_ITEMS, max_size=12), compress=st.booleans())
def test_pydyf_bytes_as_pydyf(items, compress):
    """pydyf_speed's ``_to_bytes`` and ``Stream.data`` give pydyf's bytes."""
    was = pydyf._to_bytes is pydyf_speed._to_bytes
    pydyf_speed.remove()
    try:
        plain = [pydyf._to_bytes(item) for item in items], pydyf.Stream(list(items), compress=compress).data
        pydyf_speed.apply()
        fast = [pydyf._to_bytes(item) for item in items], pydyf.Stream(list(items), compress=compress).data
    finally:
        (pydyf_speed.apply if was else pydyf_speed.remove)()
    if compress:  # pydyf_speed deflates at level 6: compare what was compressed
        plain = plain[0], zlib.decompress(plain[1].split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0])
        fast = fast[0], zlib.decompress(fast[1].split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0])
    assert fast == plain


def test_pydyf_floats_without_pydyfs_own(monkeypatch):
    """A float (a coordinate, a text matrix) is turned into bytes by pydyf_speed's
    ``_to_bytes`` itself, not handed on; a PDF object still is."""
    handed: list[Any] = []
    original = pydyf_speed._original_to_bytes
    monkeypatch.setattr(pydyf_speed, "_original_to_bytes", lambda item: handed.append(item) or original(item))
    values = [0.5, -0.0, 2.0, 1e-9, 123456.125, -7.25]
    assert [pydyf_speed._to_bytes(v) for v in values] == [original(v) for v in values]
    assert handed == []
    assert pydyf_speed._to_bytes(pydyf.Array([1.5])) == b"[1.5]" and len(handed) == 1


# --- a <style> parsed once per process, not once per part (weasy_css_memo) --------------------


def _pdfs(tmp_path: Path, htmls: list[str], patches: tuple[ModuleType, ...], label: str) -> tuple[list[bytes], int]:
    """The documents' PDFs, rendered one after the other in this process (as a
    layout worker lays out its parts), and how many sheets WeasyPrint parsed."""
    counts: Counter[str] = Counter()
    pdfs = []
    with pytest.MonkeyPatch.context() as m, _only(patches):
        _counting(m, counts, weasyprint, "preprocess_stylesheet")  # CSS(): a sheet parsed
        for i, html in enumerate(htmls):
            html_to_pdf(html, tmp_path / f"{label}-{i}.pdf")
            pdfs.append((tmp_path / f"{label}-{i}.pdf").read_bytes())
    return pdfs, counts["preprocess_stylesheet"]


def test_css_memo_parses_a_style_once_per_process(tmp_path):
    htmls = [_html(_PARAGRAPHS[:k]) for k in (1, 2, 4)]  # one <style>, three bodies: a report's parts
    before, parsed = _pdfs(tmp_path, htmls, (), "plain")
    after, parsed_memo = _pdfs(tmp_path, htmls, (weasy_css_memo,), "memo")
    assert after == before
    # each document parses its <style> and its <link>ed fonts.css (fetched per document, so never kept)
    assert parsed == 6 and parsed_memo == 4


def test_css_memo_styles_as_weasyprint():
    """A document whose sheet came from the memo: every computed property of every box as WeasyPrint's."""
    first, second = _html(_PARAGRAPHS[:1]), _html(_PARAGRAPHS[:3])
    with _only(()):
        plain = _styles(second)
    with _only((weasy_css_memo,)):
        _styles(first)
        kept = weasy_css_memo.stats["reused"]
        memo = _styles(second)
        assert weasy_css_memo.stats["reused"] == kept + 1
    assert len(plain) > 50 and memo == plain


def test_css_memo_primed_before_the_fork(tmp_path):
    """The writer parses the print CSS of its smallest part before it forks the
    layout workers (pdf_layout_parts): a part laid out afterwards parses only
    its <link>ed fonts.css, and the PDF is WeasyPrint's."""
    from ambtsbericht_build.house_style import template_path
    from ambtsbericht_build.render.pdf import LocalOnlyFetcher
    from ambtsbericht_build.render.pdf_layout_parts import layout_base_url

    html = _html(_PARAGRAPHS[:2])
    (before,), _ = _pdfs(tmp_path, [html], (), "plain")
    counts: Counter[str] = Counter()
    with pytest.MonkeyPatch.context() as m, _only((weasy_css_memo,)):
        fetcher = LocalOnlyFetcher([template_path("")])
        assert weasy_css_memo.prime(_html(_PARAGRAPHS[:1]), layout_base_url(), fetcher) == 1
        assert fetcher.refused == []
        _counting(m, counts, weasyprint, "preprocess_stylesheet")
        html_to_pdf(html, tmp_path / "primed.pdf")
    assert counts["preprocess_stylesheet"] == 1 and (tmp_path / "primed.pdf").read_bytes() == before


_FONT_FACE = '@font-face { font-family: "Extra"; src: url(NotoSans-Bold.ttf) } p { font-family: "Extra" }'
# what a <style> may hold besides rules: font faces, @page and @media rules, counter
# styles, layers, variables, imports (a local one, and one the fetcher refuses)
_SHEET_EXTRAS = st.sampled_from(
    [
        "",
        _FONT_FACE,
        '@font-face { font-family: "Weg"; src: url(https://example.org/weg.ttf) } p { font-family: "Weg", serif }',
        "@media print { p { color: #235 } } @media screen { p { color: red } }",
        '@page :first { @top-center { content: "Eerste" } } @page :left { margin-left: 20mm }',
        "@counter-style streep { system: cyclic; symbols: '–'; suffix: ' ' } p { display: list-item; "
        "list-style: streep inside }",
        "@layer basis { p { margin-top: 3px } } p { margin-top: 1px }",
        ":root { --kleur: #123 } p { color: var(--kleur, red) } h2 { color: var(--geen) }",
        "@import url(fonts.css);",
        "@import url(https://example.org/stijl.css);",
        "p { widows: 3; orphans: 3 } a::before { content: '→' } td:nth-child(2) { text-align: right }",
    ]
)


def _with_extra(paragraphs: list[str], extra: str) -> str:
    html = _html(paragraphs)
    if extra.startswith("@import"):  # only at the start of a sheet
        return html.replace("<style>", "<style>" + extra, 1)
    return html.replace("</style>", extra + "</style>", 1)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    documents=st.lists(
        st.tuples(st.integers(1, 3), st.lists(_SHEET_EXTRAS, min_size=1, max_size=2).map("".join)),
        min_size=2,
        max_size=3,
    )
)
@example(documents=[(1, _FONT_FACE), (2, '@page { @top-left { content: "Kop" } }')])  # replayed in the 3rd
def test_css_memo_any_sheets_same_pdfs(tmp_path, documents):
    """Documents one after the other, their sheets the same or not: each PDF as WeasyPrint writes it alone."""
    htmls = [_with_extra(_PARAGRAPHS[:k], extra) for k, extra in documents]
    htmls.append(htmls[0])  # a sheet seen before, after another
    before, _ = _pdfs(tmp_path, htmls, (), "plain")
    after, _ = _pdfs(tmp_path, htmls, (weasy_css_memo,), "memo")
    assert after == before


# --- font subsets: the same bytes as WeasyPrint's fontTools subset ---------------------------

_FONTS = Path(weasy_font_subset.__file__).parent.parent / "templates" / "fonts"


@settings(max_examples=12, deadline=None)
@given(
    name=st.sampled_from(["NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"]),
    gids=st.sets(st.integers(0, 4000), min_size=1, max_size=300),
    hinting=st.booleans(),
    missing=st.booleans(),
)
def test_font_subset_as_weasyprint(name, gids, hinting, missing):
    """The subset font, its GSUB and GPOS not read, is WeasyPrint's byte for byte."""
    content = (_FONTS / name).read_bytes()

    def subset(fn: Callable[..., None]) -> bytes:
        font = SimpleNamespace(file_content=content, index=0, missing={0x10FFFF: 4001} if missing else {}, family=name)
        fn(font, dict.fromkeys(gids, "x"), hinting)
        assert font.file_content != content
        return bytes(font.file_content)

    assert subset(weasy_font_subset.fonttools_subset) == subset(weasy_font_subset._original)


def test_font_subset_drops_what_fonttools_drops():
    """GSUB and GPOS deleted unread when the options drop them; ``kern`` beside
    a GPOS (fontTools drops it then, unless legacy_kern); nothing else."""

    def left(tags: list[str], drop: list[str], legacy_kern: bool = False) -> list[str]:
        font = dict.fromkeys(tags)
        weasy_font_subset.drop_unread(font, SimpleNamespace(drop_tables=drop, legacy_kern=legacy_kern))
        return sorted(font)

    assert left(["GDEF", "GPOS", "GSUB", "glyf", "kern"], ["GSUB", "GPOS"]) == ["GDEF", "glyf"]
    assert left(["GPOS", "kern"], ["GSUB", "GPOS"], legacy_kern=True) == ["kern"]
    assert left(["GSUB", "kern"], ["GSUB", "GPOS"]) == ["kern"]  # no GPOS: fontTools keeps kern
    assert left(["GDEF", "GPOS", "GSUB"], ["SVG"]) == ["GDEF", "GPOS", "GSUB"]  # not dropped: read as before
