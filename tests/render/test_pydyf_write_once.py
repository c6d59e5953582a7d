"""render/pydyf_write_once.py: each object of a PDF turned into bytes once per
write (pydyf hashed every object again for the /ID), and the PDF pydyf's."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pydyf = pytest.importorskip("pydyf")
weasyprint = pytest.importorskip("weasyprint")

from ambtsbericht_build.render import pydyf_speed, pydyf_write_once  # noqa: E402


@pytest.fixture
def speed() -> Iterator[None]:
    """pydyf_speed applied (with pydyf_write_once), and left as it was."""
    was = pydyf._to_bytes is pydyf_speed._to_bytes
    pydyf_speed.apply()
    try:
        yield
    finally:
        (pydyf_speed.apply if was else pydyf_speed.remove)()


class _Counting:
    """pydyf's zlib, counting the streams deflated."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.streams = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def compressobj(self, *args: Any, **kwargs: Any) -> Any:
        self.streams += 1
        return self.inner.compressobj(*args, **kwargs)


def _pdf(contents: list[list[bytes]], titles: list[str]) -> Any:
    pdf = pydyf.PDF()
    for number, (content, title) in enumerate(zip(contents, titles, strict=True)):
        stream = pydyf.Stream(list(content), compress=True)
        pdf.add_object(stream)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, 200.5, 300]),
                "Contents": stream.reference,
                "Annots": pydyf.Array([pydyf.Dictionary({"T": pydyf.String(title), "N": number})]),
            }
        )
        pdf.add_page(page)
    pdf.info["Title"] = pydyf.String("t")
    return pdf


def _write(pdf: Any, **options: Any) -> bytes:
    out = io.BytesIO()
    pdf.write(out, **options)
    return out.getvalue()


def test_each_stream_deflated_once(speed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(pydyf.zlib)
    monkeypatch.setattr(pydyf, "zlib", counting)
    contents = [[b"BT", b"/F1 12 Tf", f"({i}) Tj".encode(), b"ET"] for i in range(5)]
    fast = _write(_pdf(contents, list("abcde")), version=b"1.7", identifier=True, compress=True)
    # five pages' contents, the object stream and the cross-reference stream
    assert counting.streams == 7
    counting.streams = 0
    pydyf_write_once.remove()
    try:
        plain = _write(_pdf(contents, list("abcde")), version=b"1.7", identifier=True, compress=True)
    finally:
        pydyf_write_once.apply()
    assert counting.streams == 5 + 1 + 5 + 1 + 1  # pydyf: the contents and the object stream twice
    assert fast == plain


_contents = st.lists(st.lists(st.binary(max_size=40), max_size=6), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(
    contents=_contents,
    title=st.text(max_size=12),
    compress=st.booleans(),
    identifier=st.sampled_from([True, False, b"id"]),
)
def test_same_bytes_as_pydyf(contents: list[list[bytes]], title: str, compress: bool, identifier: Any) -> None:
    """Any objects, any write options: the bytes of pydyf (with pydyf_speed's other speed-ups)."""
    was = pydyf._to_bytes is pydyf_speed._to_bytes
    pydyf_speed.apply()
    try:
        fast = _write(_pdf(contents, [title] * len(contents)), identifier=identifier, compress=compress)
        assert pydyf_write_once._kept is None  # nothing kept after the write
        pydyf_write_once.remove()
        plain = _write(_pdf(contents, [title] * len(contents)), identifier=identifier, compress=compress)
    finally:
        pydyf_speed.remove()
        if was:
            pydyf_speed.apply()
    assert fast == plain


def test_weasyprint_pdf_unchanged(speed: None) -> None:
    """A tagged WeasyPrint PDF with links and several pages: the same bytes."""
    html = weasyprint.HTML(
        string=(
            '<html lang="nl"><head><meta name="dcterms.created" content="2026-01-01T00:00:00Z">'
            "<title>t</title><style>@page { size: A7 }</style></head><body>"
            + "".join(
                f'<h2 id="h{i}">Kop {i}</h2><p>Een <a href="#h{i}">verwijzing</a> en tekst.</p>' for i in range(12)
            )
            + "</body></html>"
        )
    )
    document = html.render(pdf_tags=True)
    fast = document.write_pdf(pdf_tags=True)
    assert pydyf_write_once.enabled()
    pydyf_write_once.remove()
    try:
        plain = document.write_pdf(pdf_tags=True)
    finally:
        pydyf_write_once.apply()
    assert fast == plain
