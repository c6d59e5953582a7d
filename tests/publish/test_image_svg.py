"""SVG text no renderer draws never reaches an output (red-team NL5, I13–I17).

Each hiding place of the red team's second pass, and the forms next to it
(a ``display`` attribute, ``visibility``, ``opacity``, a font size of 0, a
rule of ``<style>`` on a class, an unused ``<symbol>`` or ``<defs>`` child,
``aria-*``/``data-*``/unknown attributes, a paint that is no colour, a
scaled-away or far-away text), is removed by the rebuild, named by the
audit in an SVG that bypassed it, and absent from the four real outputs of
a render. Hypothesis places the marker at random among those forms, next
to text that is drawn and must stay.
"""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.publish.extract import extract
from ambtsbericht_build.publish.image_metadata import IMAGE_METADATA, ImageDataError, metadata_markers, strip_metadata
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.fixtures.report_kit import make_report
from tests.publish.test_image_bytes import _output_bytes

MARK = "Pietersberg"
HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20" viewBox="0 0 60 20">'
DRAWN = '<text x="2" y="15">Kaart van <tspan font-weight="bold">Testrijk</tspan></text>'

# the red team's five (I13-I17) and the forms next to them
HIDDEN = {
    "I13 CSS comment in <style>": f"<style>/* {MARK} belt */ rect{{fill:red}}</style>",
    "I14 style display:none": f'<text style="display:none" x="0" y="15">{MARK}</text>',
    "I15 text in an unused <symbol>": f'<defs><symbol id="q"><text>{MARK}</text></symbol></defs>',
    "I16 aria-label and data-*": f'<rect aria-label="{MARK}" data-note="{MARK}" width="5" height="5"/>',
    "I17 text far outside the viewBox": f'<text x="-9999" y="-9999">{MARK}</text>',
    "display attribute": f'<text display="none" x="0" y="15">{MARK}</text>',
    "display:none on the group": f'<g style="display:none"><text x="0" y="15">{MARK}</text></g>',
    "visibility:hidden": f'<text visibility="hidden" x="0" y="15">{MARK}</text>',
    "opacity:0 on the group": f'<g opacity="0"><text x="0" y="15">{MARK}</text></g>',
    "font-size:0": f'<text style="font-size:0" x="0" y="15">{MARK}</text>',
    "tiny font": f'<text font-size="0.001" x="0" y="15">{MARK}</text>',
    "no fill and no stroke": f'<text fill="none" x="0" y="15">{MARK}</text>',
    "class rule of <style>": f'<style>.h{{display:none}}</style><text class="h" x="0" y="15">{MARK}</text>',
    "id rule of <style>": f'<style>#h{{visibility:hidden}}</style><text id="h" x="0" y="15">{MARK}</text>',
    "unused <defs> child": f'<defs><text id="t" x="0" y="15">{MARK}</text></defs>',
    "hidden tspan": f'<text x="0" y="8">Legenda <tspan display="none">{MARK}</tspan></text>',
    "scale(0)": f'<text transform="scale(0)" x="0" y="15">{MARK}</text>',
    "translated away": f'<g transform="translate(50000 0)"><text x="0" y="15">{MARK}</text></g>',
    "nested <title> (a tooltip)": f'<rect width="5" height="5"><title>{MARK}</title></rect>',
    "unknown attribute": f'<rect note="{MARK}" width="5" height="5"/>',
    "paint that is no colour": f'<rect fill="{MARK}" width="5" height="5"/>',
    "id nothing refers to": f'<rect id="{MARK}" width="5" height="5"/>',
    "custom CSS property": f'<rect style="--x:{MARK};fill:red" width="5" height="5"/>',
    "second child of <switch>": f'<switch><g/><text x="0" y="15">{MARK}</text></switch>',
    "rule on an attribute the allow list drops": (
        f'<style>[data-h]{{display:none}}</style><text data-h="1" x="0" y="15">{MARK}</text>'
    ),
    "characters placed outside by an x list": f'<text x="0 -9999" y="15">a{MARK}</text>',
    "characters moved outside by a dy list": f'<text x="0" y="15" dy="0 99999">a{MARK}</text>',
    "second symbol with the same id": (
        '<defs><symbol id="d"><rect width="1" height="1"/></symbol>'
        f'<symbol id="d"><text x="0" y="15">{MARK}</text></symbol></defs><use href="#d"/>'
    ),
    # red team pass 3: text on a path that draws nothing (S15), and a marker
    # only a text that is not drawn used (S01: the rebuild kept the marker,
    # and the audit of the rebuild refused it)
    "S15 textPath along a path of one point": (
        f'<defs><path id="z" d="M0 0"/></defs><text><textPath href="#z">{MARK}</textPath></text>'
    ),
    "textPath along a line of length 0": (
        f'<defs><path id="z" d="M5 5 L5 5 l0 0"/></defs><text><textPath href="#z">{MARK}</textPath></text>'
    ),
    "textPath to no path": f'<text><textPath href="#nergens">{MARK}</textPath></text>',
    "textPath to a rect": (
        f'<defs><rect id="r" width="9" height="9"/></defs><text><textPath href="#r">{MARK}</textPath></text>'
    ),
    "S01 a marker of text that is not drawn": (
        '<defs><marker id="m"><rect width="1" height="1"/></marker></defs>'
        f'<text fill="none" stroke="none" marker-start="url(#m)" x="0" y="15">{MARK}</text>'
    ),
}


def _svg(hidden: str) -> bytes:
    return (HEAD + hidden + DRAWN + "</svg>").encode()


@pytest.mark.parametrize("place", list(HIDDEN))
def test_svg_text_that_is_not_drawn_is_removed_and_the_audit_names_it(place):
    dirty = _svg(HIDDEN[place])
    assert metadata_markers(dirty), f"the audit misses: {place}"
    clean = strip_metadata(dirty)
    assert MARK.encode() not in clean, place
    # the drawn text stays, and the rebuild is its own rebuild (so the audit is quiet)
    assert b'>Kaart van <tspan font-weight="bold">Testrijk</tspan></text>' in clean
    assert metadata_markers(clean) == []
    assert strip_metadata(clean) == clean


def test_what_is_drawn_stays_drawn():
    """A style sheet becomes each element's style, a used symbol and gradient
    stay (ids renamed), a tspan can undo its parent's visibility, and the
    picture's own <title> (its accessible name) stays."""
    dirty = (
        HEAD + "<title>Kaart van Testrijk</title><style>.k{fill:#14c} text{font-size:6px}</style>"
        '<defs><linearGradient id="verloop"><stop offset="0" stop-color="red"/></linearGradient>'
        '<symbol id="stad"><circle r="2" class="k"/></symbol></defs>'
        '<use href="#stad" x="10" y="10"/><rect width="9" height="9" fill="url(#verloop)"/>'
        '<text visibility="hidden" x="20" y="10">X<tspan visibility="visible">Hoofdstad</tspan></text></svg>'
    ).encode()
    clean = strip_metadata(dirty).decode()
    assert "<title>Kaart van Testrijk</title>" in clean
    assert '<circle r="2" style="fill:#14c" />' in clean
    assert re.search(r'<symbol id="(a\d)">.*<use href="#\1"', clean)
    assert re.search(r'<linearGradient id="(a\d)">.*fill="url\(#\1\)"', clean)
    assert '<tspan visibility="visible">Hoofdstad</tspan>' in clean and ">X<" not in clean
    assert "<style" not in clean and "class=" not in clean


def test_text_along_a_path_that_goes_somewhere_stays():
    for d in ("M0 10 L50 10", "M0 10 h50", "m0 10 c10 0 20 0 30 0", "M0 10 A5 5 0 0 1 10 10", "M0 0 0 0 5 5"):
        path = f'<defs><path id="p" d="{d}"/></defs>'
        dirty = HEAD + path + '<text><textPath href="#p">Testrijk</textPath></text></svg>'
        clean = strip_metadata(dirty.encode())
        assert b">Testrijk</textPath>" in clean, d
        assert metadata_markers(clean) == [] and strip_metadata(clean) == clean


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("svg")
    rd = make_report(tmp)
    figures = ""
    for i, place in enumerate(HIDDEN, 1):
        rd.write(f"media/s{i}.svg", _svg(HIDDEN[place]))
        figures += f"![Kaart {i} van Testrijk](media/s{i}.svg)\n\n"
    rd.write(
        "chapters/02-politiek.md",
        '# Politiek en veiligheid {#h-politiek}\n\n## Verkiezingen {#sec-verkiezingen tor="1.1"}\n\n'
        "Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]\n\n"
        + figures
        + '## Veiligheid {#sec-veiligheid tor="1.2"}\n\nHet was rustig.[@hrw-2025]\n',
        dedent_text=False,
    )
    return render_report(rd.dir, RenderOptions(out_dir=tmp / "build"))


@pytest.mark.parametrize("fmt", ["html", "docx", "odt", "pdf"])
def test_a_report_with_hidden_svg_text_publishes_none_of_it(rendered, fmt):
    path = rendered.outputs[fmt]
    parts = _output_bytes(path)
    leaked = [where for where, data in parts if MARK.encode() in data]
    assert leaked == [], f"{fmt}: {MARK} is in {leaked}"
    assert [p for p in extract(path, full=False).problems if p[1] == IMAGE_METADATA] == []
    if fmt == "html":
        html = path.read_text(encoding="utf-8")
        svgs = [base64.b64decode(m) for m in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]
        assert len(svgs) == len(HIDDEN) and all(b"Testrijk</tspan>" in s for s in svgs)
    if fmt == "pdf":  # the drawn text is in the text layer (glyph codes, not bytes)
        import pypdfium2

        pdf = pypdfium2.PdfDocument(path)
        text = "".join(page.get_textpage().get_text_range() for page in pdf)
        pdf.close()
        assert "Testrijk" in text and MARK not in text
    if fmt in ("docx", "odt"):
        svgs = [d for n, d in parts if n.endswith(".svg")]  # identical rebuilds are stored once
        assert svgs and all(b"Testrijk</tspan>" in s for s in svgs)


# --- hypothesis: the marker anywhere a renderer does not draw it ---------------------------------

_HIDE_DECL = ["display:none", "visibility:hidden", "opacity:0", "font-size:0", "fill:none", "fill-opacity:0"]


@st.composite
def hidden_svgs(draw: st.DrawFn) -> str:
    how = draw(
        st.sampled_from(
            ["attribute", "style comment", "style attr", "presentation", "rule", "symbol", "defs", "far", "ancestor"]
        )
    )
    x, y = draw(st.integers(0, 50)), draw(st.integers(5, 20))
    text = f'<text x="{x}" y="{y}">{MARK}</text>'
    if how == "attribute":
        name = draw(st.sampled_from(["aria-label", "data-", "note", "title", "lang", "role", "tabindex"]))
        name += draw(st.text("abcdefghijklmnopqrstuvwxyz", max_size=6)) if name.endswith("-") or name == "note" else ""
        shape = draw(st.sampled_from(["rect", "circle", "g", "path", "text"]))
        return (
            f'<{shape} {name or "x"}="{MARK}"/>' if shape != "text" else f'<text {name}="{MARK}" x="1" y="9">a</text>'
        )
    if how == "style comment":
        where = draw(st.sampled_from(["sheet", "attr"]))
        if where == "sheet":
            return f"<style>rect{{fill:red}} /* {MARK} */ circle{{fill:blue}}</style>"
        return f'<rect style="fill:red /* {MARK} */" width="3" height="3"/>'
    decl = draw(st.sampled_from(_HIDE_DECL))
    prop, value = decl.split(":")
    if how == "style attr":
        return text.replace("<text ", f'<text style="{decl}" ')
    if how == "presentation":
        return text.replace("<text ", f'<text {prop}="{value}" ')
    if how == "rule":
        sel = draw(st.sampled_from([".v", "#v", "g > text", "text.v", "svg g text"]))
        el = text.replace("<text ", '<text class="v" ') if "." in sel else text
        el = el.replace("<text ", '<text id="v" ') if "#" in sel else el
        return f"<style>{sel}{{{decl}}}</style><g>{el}</g>"
    if how == "symbol":
        return f'<symbol id="s{x}">{text}</symbol>'
    if how == "defs":
        return f'<defs><g id="d{x}">{text}</g></defs>'
    if how == "far":
        dx = draw(st.sampled_from([-1, 1])) * draw(st.integers(1000, 10**6))
        return draw(
            st.sampled_from([f'<g transform="translate({dx} 0)">{text}</g>', text.replace(f'x="{x}"', f'x="{dx}"')])
        )
    return f'<g {prop}="{value}"><g>{text}</g></g>'


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hidden_svgs(), st.booleans())
def test_a_marker_anywhere_a_renderer_does_not_draw_it_is_gone(hidden, before):
    body = hidden + DRAWN if before else DRAWN + hidden
    dirty = (HEAD + body + "</svg>").encode()
    assert metadata_markers(dirty), hidden
    clean = strip_metadata(dirty)
    assert MARK.encode() not in clean, hidden
    assert b"Kaart van <tspan" in clean and b">Testrijk</tspan>" in clean
    assert metadata_markers(clean) == []
    assert strip_metadata(clean) == clean


def test_a_deeply_nested_or_multiplied_svg_is_refused_not_a_crash():
    """3,000 nested groups were a RecursionError (a traceback in the render);
    ten <use> of ten <use> ... seven levels deep draw 10^7 texts."""
    deep = (HEAD + "<g>" * 3000 + DRAWN + "</g>" * 3000 + "</svg>").encode()
    with pytest.raises(ImageDataError, match="too deeply"):
        strip_metadata(deep)
    assert metadata_markers(deep) == ["SVG nested too deeply to read"]
    defs = '<defs><g id="a0">' + DRAWN + "</g>"
    defs += "".join(f'<g id="a{i}">' + f'<use href="#a{i - 1}"/>' * 10 + "</g>" for i in range(1, 8))
    bomb = (HEAD + defs + '</defs><use href="#a7"/></svg>').encode()
    with pytest.raises(ImageDataError, match="more than 200,000"):
        strip_metadata(bomb)


# --- hypothesis: any tree of drawing elements, hostile values included -----------------------------

_VALUES = st.one_of(
    st.sampled_from(
        ["1e400", "-1e400", "0", "1e-400", "50%", "-9e9", "rotate(1e400)", "scale(0 1e400)", "url(#a)", "#a"]
        + ["none", "1em", "x", "matrix(1 0 0 1 1e308 1e308)", "display:none", "fill:url(#b)"]
    ),
    st.text("abc#%(). :;-019e", max_size=8),
)
_NAMES = st.sampled_from(
    ["x", "y", "dx", "transform", "font-size", "style", "fill", "stroke", "opacity", "display"]
    + ["visibility", "href", "viewBox", "width", "height", "class", "id", "stroke-width"]
)
_ELS = st.sampled_from(
    ["g", "text", "tspan", "use", "symbol", "defs", "rect", "svg", "pattern", "switch", "a", "clipPath", "style"]
    + ["title"]
)


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> str:
    el = draw(_ELS)
    attrs = " ".join(f'{n}="{v}"' for n, v in draw(st.dictionaries(_NAMES, _VALUES, max_size=4)).items())
    kids = "".join(draw(st.lists(_trees(depth + 1), max_size=3))) if depth < 3 else ""
    text = draw(st.sampled_from(["", MARK, ".a{display:none} #a{fill:red}", "@media x{y{z:1}}"]))
    return f"<{el} {attrs}>{text}{kids}</{el}>"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_trees(), max_size=4), st.sampled_from(['viewBox="0 0 60 20"', 'width="1e400" height="x"', ""]))
def test_any_svg_is_rebuilt_to_a_fixed_point_or_refused_never_a_crash(body, head):
    """Found a math domain error (rotate(1e400)) and a rebuild that was not
    its own rebuild (a paint referring to no element)."""
    from ambtsbericht_build.load.images import ImageError, check_svg

    data = (f'<svg xmlns="http://www.w3.org/2000/svg" {head}>' + "".join(body) + "</svg>").encode()
    try:
        check_svg(data)
        clean = strip_metadata(data)
    except (ImageError, ImageDataError):
        return
    assert metadata_markers(clean) == []
    assert strip_metadata(clean) == clean


def test_without_a_viewbox_far_away_text_is_still_outside():
    """No viewBox and a percentage width: the picture's size is the page's;
    text 100,000 units away is not in it, text at 2,000 may be."""
    head = '<svg xmlns="http://www.w3.org/2000/svg" width="100%">'
    dirty = (head + f'<text x="-99999" y="15">{MARK}</text><text x="2000" y="15">Testrijk</text></svg>').encode()
    clean = strip_metadata(dirty)
    assert MARK.encode() not in clean and b">Testrijk</text>" in clean
