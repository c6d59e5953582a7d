"""The image inspection (load/images.py): type from the content, limits before
decoding, a full decode for truncation, SVG parsed without a DTD."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.images import MAX_PIXELS, ImageError, check_svg, inspect_image, sniff
from tests.fixtures.images import png_bomb, raster, svg


def test_inspection_is_read_once_per_file(report, monkeypatch):
    from ambtsbericht_build.check import images as rule
    from tests.fixtures.report_kit import CHAPTER_MD

    calls = []
    real = rule.inspect_image

    def counting(path, name=None, **kw):
        calls.append(path)
        return real(path, name, **kw)

    monkeypatch.setattr(rule, "inspect_image", counting)
    report.write("media/kaart.png", b"tekst")
    report.chapter(CHAPTER_MD + "\n![Kaart](media/kaart.png){#fig-a}\n\n![Nog eens](media/kaart.png){#fig-b}\n")
    assert report.codes() == ["AB405", "AB405"]
    assert len(calls) == 1


def test_a_bomb_is_refused_from_its_header_without_decoding(tmp_path):
    """A 20000×20000 PNG is refused in milliseconds: nothing is decoded (a decode
    takes seconds and 1.2 GB)."""
    p = tmp_path / "bom.png"
    p.write_bytes(png_bomb(20000, 20000))
    start = time.perf_counter()
    with pytest.raises(ImageError, match="over the limit"):
        inspect_image(p)
    assert time.perf_counter() - start < 0.5


def test_just_over_our_limit_is_refused_before_pillows_own_limit(tmp_path):
    # Pillow's own refusal starts at 2 × 89,478,485 pixels; ours is lower
    side = int(MAX_PIXELS**0.5) + 1
    p = tmp_path / "groot.png"
    p.write_bytes(png_bomb(side, side))
    with pytest.raises(ImageError, match=f"{side:,}×{side:,} = "):
        inspect_image(p)


def test_file_size_limit_before_reading(tmp_path):
    p = tmp_path / "k.png"
    p.write_bytes(raster("PNG"))
    with pytest.raises(ImageError, match="over the limit of 10 bytes"):
        inspect_image(p, max_bytes=10)


def test_mime_from_the_content(tmp_path):
    p = tmp_path / "k.gif"
    p.write_bytes(raster("GIF"))
    info = inspect_image(p)
    assert (info.kind, info.mime, info.width, info.height) == ("gif", "image/gif", 40, 30)


def test_billion_laughs_is_refused_without_expanding():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg ['
        + b'<!ENTITY a0 "ha">'
        + b"".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">'.encode() for i in range(1, 10))
        + b"]>"
        + svg("<text>&a9;</text>")
    )
    start = time.perf_counter()
    with pytest.raises(ImageError, match="DOCTYPE"):
        check_svg(laughs)
    assert time.perf_counter() - start < 0.5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), name=st.sampled_from(["k.png", "k.jpg", "k.gif", "k.svg", "k"]))
def test_any_bytes_give_a_verdict_never_an_exception(tmp_path, data, name):
    p = tmp_path / name
    p.write_bytes(data)
    try:
        info = inspect_image(p)
    except ImageError as exc:
        assert str(exc)
    else:
        assert info.kind == sniff(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a"]), cut=st.integers(0, 10_000))
def test_any_truncation_of_a_real_image_is_refused(tmp_path, prefix, cut):
    fmt = {b"\x89": "PNG", b"\xff": "JPEG", b"G": "GIF"}[prefix[:1]]
    full = raster(fmt, (64, 64)) if fmt != "GIF" else raster("GIF", (64, 64))
    cut = cut % len(full)
    p = tmp_path / ("k." + {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[fmt])
    p.write_bytes(full[:cut])
    with pytest.raises(ImageError):
        inspect_image(p)


_ELEMENT = st.sampled_from(["rect", "g", "text", "path", "circle", "defs", "use", "image", "a", "style"])
_ATTR = st.sampled_from(["fill", "href", "xlink:href", "style", "onclick", "onload", "class", "id"])
_VALUE = st.sampled_from(["#g", "red", "url(#g)", "https://e.org/x", "url(x.svg)", "data:image/png;base64,AA", "a"])


def _unsafe(attr: str, value: str) -> bool:
    if attr.startswith("on"):
        return True
    if attr in ("href", "xlink:href") and not (value.startswith("#") or value.startswith("data:image/png")):
        return True
    return "url(" in value and not value.startswith("url(#")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_ELEMENT, _ATTR, _VALUE), max_size=6))
def test_svg_verdict_follows_its_attributes(parts):
    body = "".join(f'<{el} {attr}="{value}"/>' for el, attr, value in parts)
    unsafe = any(_unsafe(attr, value) for _, attr, value in parts)
    if unsafe:
        with pytest.raises(ImageError):
            check_svg(svg(body))
    else:
        check_svg(svg(body))


@pytest.mark.parametrize(
    "body",
    [
        "<style>rect { fill: u\\72l(https://e.org/x.svg#p) }</style>",
        "<style>rect { background: image-set('https://e.org/x.png' 1x) }</style>",
        "<style>@font-face { font-family: x; src: url(#f) }</style>",
        "<rect style=\"fill: -webkit-image-set('x.png' 1x)\"/>",
        "<style><![CDATA[ @import 'https://e.org/s.css'; ]]></style>",
        '<rect fill="&#117;rl(https://e.org/p)"/>',
        '<set attributeName="href" to="https://e.org/x.svg"/>',
        '<animate attributeName="xlink:href" values="#a;https://e.org/x"/>',
    ],
)
def test_svg_tricks_are_refused(body):
    with pytest.raises(ImageError):
        check_svg(svg(body))


def test_an_escaped_url_in_a_presentation_attribute_is_refused():
    with pytest.raises(ImageError, match="CSS escape"):
        check_svg(svg('<rect fill="u\\72l(https://e.org/p)"/>'))


def test_truncated_images_are_refused_after_weasyprint_relaxed_pillow(tmp_path):
    """WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES on import (the
    render's PDF writer, and tests that lay out a PDF in-process); the
    inspection must not depend on it. Found in a full test run: cut 6376
    of this PNG crashed Pillow's verify with an IndexError."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        full = raster("PNG", (64, 64))
        for cut in (6376 % len(full), len(full) // 2, len(full) - 13, len(full) - 1):
            p = tmp_path / "k.png"
            p.write_bytes(full[:cut])
            with pytest.raises(ImageError):
                inspect_image(p)
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
