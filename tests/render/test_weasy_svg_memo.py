"""An SVG drawn on every page (the CONCEPT watermark) is parsed and drawn
once (render/weasy_svg_memo.py), and the PDF is byte for byte WeasyPrint's."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

weasyprint = pytest.importorskip("weasyprint")

from weasyprint.svg import SVG  # noqa: E402

from ambtsbericht_build.render import weasy_svg_memo  # noqa: E402
from ambtsbericht_build.render.formats.pdf import _watermark_css  # noqa: E402
from ambtsbericht_build.render.pdf import html_to_pdf  # noqa: E402

PAGES = 3


@pytest.fixture(scope="module", autouse=True)
def _font_time() -> Iterator[None]:
    """fontTools stamps each subset font's ``head.modified`` with the clock
    unless ``SOURCE_DATE_EPOCH`` is set (WeasyPrint's fontTools subset): two
    PDFs written in different seconds differed there, and the comparisons
    below failed now and then."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("SOURCE_DATE_EPOCH", "1767225600")
        yield


def _html(page_css: str) -> str:
    body = "".join(f'<p style="break-after: page">Pagina {n}</p>' for n in range(1, PAGES + 1))
    return (
        '<html lang="nl"><head><meta name="dcterms.created" content="2026-01-01T00:00:00Z">'
        '<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"><title>t</title>'
        '<link rel="stylesheet" href="fonts.css">'
        f'<style>@page {{ size: A6; margin: 10mm }} body {{ font: 10pt "Abuild Noto Sans" }}\n{page_css}</style>'
        # the template's watermark element (print, concept), which the CSS runs into every page
        f'</head><body><div class="watermark" aria-hidden="true"><div></div></div>{body}</body></html>'
    )


def _pdf(html: str, out: Path, memo: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, int]:
    """The PDF's bytes and how many times WeasyPrint drew an SVG."""
    draws = 0
    original = SVG.draw

    def counted(self, *args, **kwargs):
        nonlocal draws
        draws += 1
        return original(self, *args, **kwargs)

    was = weasy_svg_memo.enabled()
    with monkeypatch.context() as m:
        m.setattr(SVG, "draw", counted)
        if memo:
            weasy_svg_memo.apply()
        else:
            weasy_svg_memo.remove()
        try:
            html_to_pdf(html, out)
        finally:
            (weasy_svg_memo.apply if was else weasy_svg_memo.remove)()
    return out.read_bytes(), draws


def test_watermark_drawn_once_same_pdf(tmp_path, monkeypatch):
    html = _html(_watermark_css("CONCEPT"))
    before, draws_before = _pdf(html, tmp_path / "before.pdf", False, monkeypatch)
    after, draws_after = _pdf(html, tmp_path / "after.pdf", True, monkeypatch)
    assert draws_before == PAGES  # WeasyPrint alone: parsed and drawn on every page
    assert draws_after == 1, "the watermark is drawn once and replayed on the other pages"
    assert after == before


# what an SVG background may hold: opacity (ExtGState, recorded), a gradient
# (a pattern and shading per use: not recorded), a group opacity (a soft mask
# with a form of its own: not recorded), a stroke, a transformation
_SHAPES = st.lists(
    st.sampled_from(
        [
            '<path d="M10 10 L100 10 L50 90 Z" fill="#b00020" fill-opacity="0.12"/>',
            '<rect x="5" y="5" width="50" height="40" fill="none" stroke="#123456" stroke-opacity="0.5"/>',
            '<circle cx="60" cy="60" r="20" fill="url(#g)"/>',
            '<g opacity="0.4"><rect x="20" y="20" width="30" height="30" fill="blue"/></g>',
            '<path d="M0 0 C 10 40, 40 40, 50 0" fill="green" transform="rotate(-30 50 50) scale(1.5)"/>',
        ]
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shapes=_SHAPES, size=st.sampled_from(["100% 100%", "50% 30%", "auto"]))
def test_any_svg_background_same_pdf(tmp_path, monkeypatch, shapes, size):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="105mm" height="148mm" viewBox="0 0 100 100">'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/>'
        "</linearGradient></defs>" + "".join(shapes) + "</svg>"
    )
    css = f'@page {{ background: url("data:image/svg+xml;charset=utf-8,{quote(svg)}") no-repeat center / {size}; }}'
    html = _html(css)
    before, _ = _pdf(html, tmp_path / "before.pdf", False, monkeypatch)
    after, draws = _pdf(html, tmp_path / "after.pdf", True, monkeypatch)
    assert after == before
    assert 1 <= draws <= PAGES


def test_unsupported_weasyprint_stops_instead_of_drawing_patched(monkeypatch):
    from weasyprint.images import SVGImage

    from ambtsbericht_build.tools import PatchVersionError

    was = weasy_svg_memo.enabled()
    weasy_svg_memo.remove()
    monkeypatch.setattr(weasyprint, "__version__", "70.1")
    try:
        with pytest.raises(PatchVersionError, match=r"WeasyPrint 70\.0, but WeasyPrint 70\.1 is installed"):
            weasy_svg_memo.apply()
        assert not weasy_svg_memo.enabled() and SVGImage.draw is weasy_svg_memo._original
    finally:
        monkeypatch.undo()
        if was:
            weasy_svg_memo.apply()
