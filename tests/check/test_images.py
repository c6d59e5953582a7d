"""AB405: an image that is not the image its name says, is damaged, too large, or an unsafe SVG.

Before AB405, every one of these passed ``abuild check`` and the PDF silently
showed the alternative text (or, for an SVG, carried the script along). The
inspection itself is tested in tests/load/test_images.py.
"""

from __future__ import annotations

import os
import zlib

import pytest

from tests.fixtures.images import SVG_HEAD, png_bomb, raster, svg
from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, PIXEL_PNG

LINE = CHAPTER_MD.count("\n") + 2  # the line added after the base chapter


def show(report, name: str, data: bytes, target: str | None = None) -> None:
    report.write(f"media/{name}", data)
    report.chapter(CHAPTER_MD + "\n" + f"![Kaart van Testland](media/{target or name}){{#fig-kaart}}" + "\n")


# --- through the checker, at the image in the chapter -------------------------------------


BAD = [
    ("kaart.png", b"Dit is geen afbeelding maar tekst.\n", "is text, not an image"),
    ("kaart.png", b"", "is empty"),
    ("kaart.png", b"\x89PNG\r\n\x1a\n", "PNG"),
    ("kaart.jpg", raster("JPEG")[:200], "damaged or truncated"),
    ("kaart.png", raster("PNG", (200, 200))[:-30], "damaged or truncated"),
    ("kaart.jpg", raster("PNG"), "is a PNG image but its name ends in .jpg"),
    ("kaart.png", b"%PDF-1.7\n...", "is a PDF document"),
    ("kaart.png", raster("WEBP"), "WebP"),
    ("kaart.png", png_bomb(20000, 20000), "400,000,000 pixels, over the limit"),
    ("kaart.png", png_bomb(8000, 6000), "48,000,000 pixels, over the limit"),
    ("kaart.svg", svg("<script>alert(1)</script>"), "<script>"),
    ("kaart.svg", svg('<rect onload="alert(1)"/>'), "event attribute onload="),
    ("kaart.svg", svg('<image href="https://example.org/x.png"/>'), "refers to 'https://example.org/x.png'"),
    ("kaart.svg", svg('<use xlink:href="other.svg#a"/>'), "refers to 'other.svg#a'"),
    ("kaart.svg", svg('<filter><feImage href="file:///etc/passwd"/></filter>'), "file:///etc/passwd"),
    ("kaart.svg", svg("<foreignObject><p>x</p></foreignObject>"), "<foreignObject>"),
    ("kaart.svg", svg("<style>rect { fill: url(https://e.org/f.svg#g) }</style>"), "url()"),
    ("kaart.svg", svg('<style>@import "https://e.org/s.css";</style>'), "@import"),
    ("kaart.svg", svg("<rect style=\"fill: url('x.svg#p')\"/>"), "url()"),
    ("kaart.svg", svg('<a href="javascript:alert(1)"><rect/></a>'), "javascript:"),
    (
        "kaart.svg",
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        + svg("<text>&b;</text>"),
        "<!DOCTYPE>",
    ),
    ("kaart.svg", b'<?xml-stylesheet href="https://e.org/s.css"?>' + svg(""), "xml-stylesheet"),
    ("kaart.svg", svg("<rect>"), "not well-formed XML"),
    ("kaart.svg", ('<?xml version="1.0" encoding="UTF-16"?>' + SVG_HEAD + "</svg>").encode("utf-16"), "UTF-16"),
    ("kaart.svg", zlib.compress(svg(""))[:0] + b"\x1f\x8b\x08\x00" + b"\0" * 20, "gzip-compressed"),
    ("kaart.svg", b'<html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>', "is text"),
    # the rebuild walks the tree recursively: 3,000 levels were a RecursionError in the render
    ("kaart.svg", svg("<g>" * 300 + "</g>" * 300), "more than 256 levels deep"),
]


@pytest.mark.parametrize("name, data, words", BAD, ids=[f"{i}-{b[2][:20]}" for i, b in enumerate(BAD)])
def test_ab405_at_the_image(report, name, data, words):
    show(report, name, data)
    # an SVG that runs a script or loads something is AB407 (a confidentiality
    # finding); a file that is damaged, misnamed or too large is AB405
    code = "AB407" if "SVG is refused" in _verdict(report, name) else "AB405"
    d = report.expect(code, CHAPTER, LINE, 1)
    assert words in d.message, d.message
    assert f"media/{name}" in d.message


def _verdict(report, name):
    from ambtsbericht_build.load.images import ImageError, inspect_image

    try:
        inspect_image(report.dir / "media" / name, name)
    except ImageError as exc:
        return str(exc)
    return ""


UNSAFE = [
    b
    for b in BAD
    if b[0].endswith(".svg")
    and b[2] not in ("not well-formed XML", "UTF-16", "gzip-compressed", "is text", "more than 256 levels deep")
]


@pytest.mark.parametrize("name, data, words", UNSAFE, ids=[f"{i}-{b[2][:20]}" for i, b in enumerate(UNSAFE)])
def test_an_unsafe_svg_is_ab407_and_refuses_every_render(report, name, data, words):
    from ambtsbericht_build.check import confidentiality_codes

    show(report, name, data)
    assert report.codes() == ["AB407"]
    assert "AB407" in confidentiality_codes() and "AB405" not in confidentiality_codes()


GOOD = [
    ("kaart.png", PIXEL_PNG),
    ("kaart.png", raster("PNG")),
    ("kaart.jpg", raster("JPEG")),
    ("kaart.jpeg", raster("JPEG")),
    ("kaart.gif", raster("GIF")),
    ("KAART.PNG", raster("PNG")),
    ("kaart.svg", svg('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use xlink:href="#g"/>')),
    ("kaart.svg", b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Inkscape -->\n' + svg('<rect width="1"/>')),
    ("kaart.svg", "\ufeff".encode() + svg("<style>.a { fill: url(#g) }</style><text>Zuid-Testland</text>")),
    ("kaart.svg", svg('<image href="data:image/png;base64,iVBORw0KGgo="/>')),
]


@pytest.mark.parametrize("name, data", GOOD, ids=[f"{i}-{g[0]}" for i, g in enumerate(GOOD)])
def test_good_images_pass(report, name, data):
    show(report, name, data)
    report.expect_none()


def test_the_type_comes_from_the_content_not_a_symlinks_name(report):
    report.write("media/notities.txt", "Gesprek met de bron, niet publiceren.\n")
    os.symlink("notities.txt", report.dir / "media" / "kaart.png")
    report.chapter(CHAPTER_MD + "\n![Kaart van Testland](media/kaart.png){#fig-kaart}\n")
    d = report.expect("AB405", CHAPTER, LINE, 1)
    assert "is text, not an image" in d.message


def test_a_png_behind_a_symlink_named_png_passes(report):
    report.write("media/origineel.png", raster("PNG"))
    os.symlink("origineel.png", report.dir / "media" / "kaart.png")
    report.chapter(CHAPTER_MD + "\n![Kaart van Testland](media/kaart.png){#fig-kaart}\n")
    report.expect_none()


def test_the_name_in_the_chapter_counts_not_the_link_target(report):
    # a PNG behind a symlink named .jpg: the chapter calls it .jpg, the writers go by that
    report.write("media/origineel.png", raster("PNG"))
    os.symlink("origineel.png", report.dir / "media" / "kaart.jpg")
    report.chapter(CHAPTER_MD + "\n![Kaart van Testland](media/kaart.jpg){#fig-kaart}\n")
    assert "ends in .jpg" in report.expect("AB405", CHAPTER, LINE, 1).message


def test_one_bad_file_shown_twice_is_reported_twice(report):
    report.write("media/kaart.png", b"tekst")
    report.chapter(CHAPTER_MD + "\n![Kaart](media/kaart.png){#fig-a}\n\n![Nog eens](media/kaart.png){#fig-b}\n")
    assert report.codes() == ["AB405", "AB405"]


def test_missing_and_remote_images_are_ab408_and_ab401(report):
    report.chapter(CHAPTER_MD + "\n![Kaart](media/weg.png){#fig-a}\n\n![Kaart](https://e.org/k.png){#fig-b}\n")
    assert report.codes() == ["AB408", "AB401"]


def test_through_the_cli_no_traceback(report):
    show(report, "kaart.png", png_bomb(20000, 20000))
    code, out, err = report.cli_json(report.rel)
    assert code == 1
    assert [d["code"] for d in out["diagnostics"]] == ["AB405"]
    assert "Traceback" not in err


# --- AB409: text the published SVG loses ------------------------------------------------------

HIDDEN = [
    ('<text x="1" y="5" display="none">Bron: de wijkagent</text>', "display: none"),
    ('<style>.verborgen{visibility:hidden}</style><text class="verborgen" x="1" y="5">Notitie</text>', "visibility"),
    ('<g opacity="0"><text x="1" y="5">Notitie</text></g>', "opacity: 0"),
    ('<text x="-9999" y="-9999">Notitie</text>', "outside the picture"),
    ('<defs><symbol id="s"><text>Notitie</text></symbol></defs>', ""),
    ("<g>Notitie tussen de vormen</g>", ""),
]


@pytest.mark.parametrize("body, why", HIDDEN, ids=[h[1] or h[0][:12] for h in HIDDEN])
def test_ab409_names_svg_text_that_is_not_drawn(report, body, why):
    show(report, "kaart.svg", svg(body + '<text x="1" y="9">Testland</text>'))
    d = report.expect("AB409", CHAPTER, LINE, 1)
    assert d.severity.value == "warning"
    assert "media/kaart.svg" in d.message and "not drawn" in d.message and why in d.message, d.message
    report.expect_none("AB405")


def test_an_inkscape_drawing_with_unused_ids_and_gradients_is_no_ab409(report):
    """Unused definitions without text, ids and editor attributes are removed
    too, but are no text a reviewer missed."""
    body = (
        '<defs id="defs2"><linearGradient id="lg1"><stop offset="0" stop-color="red"/></linearGradient></defs>'
        '<g id="layer1" class="laag"><rect id="rect10" width="5" height="5"/>'
        '<text id="text12" x="1" y="9" style="font-size:4px">Testland</text></g>'
    )
    show(report, "kaart.svg", svg(body))
    report.expect_none()
