"""The footnote-area speed-up must not change a single page."""

import pytest

weasyprint = pytest.importorskip("weasyprint")
pypdf = pytest.importorskip("pypdf")

from ambtsbericht_build.render import weasy_footnotes  # noqa: E402


def _html() -> str:
    paras = []
    for i in range(60):
        notes = "".join(
            f'<span class="footnote">Noot {i}.{k}: Human Rights Watch (HRW), World Report 2026 – Voorbeeldland, '
            f"15 januari 2026, p. {k + 1}{' met een langere toelichting die over twee regels loopt' * (k % 2)}.</span>"
            f" zin {k}."
            for k in range(3)
        )
        paras.append(f"<p>Alinea {i} met tekst over de situatie in de provincie.{notes} Slot van de alinea.</p>")
    return (
        "<html lang='nl'><head><style>@page { size: A4; @footnote { border-top: 0.5pt solid #999; } }"
        ".footnote { float: footnote; font-size: 8pt; }</style></head><body>" + "".join(paras) + "</body></html>"
    )


def _pages(tmp_path, name):
    out = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=_html()).write_pdf(out)
    return [p.extract_text() for p in pypdf.PdfReader(out).pages]


def test_patch_changes_no_page(tmp_path):
    weasy_footnotes.remove()
    plain = _pages(tmp_path, "plain")
    try:
        assert weasy_footnotes.apply(), "the patch targets the pinned WeasyPrint version"
        assert weasy_footnotes.enabled()
        patched = _pages(tmp_path, "patched")
    finally:
        weasy_footnotes.remove()
    assert len(plain) > 3
    assert patched == plain


def test_unsupported_version_stops_instead_of_rendering_unpatched(monkeypatch):
    from ambtsbericht_build.tools import PatchVersionError

    # 70.1 would pass a minor-version check: the pin and the guard are exact
    monkeypatch.setattr(weasyprint, "__version__", "70.1")
    weasy_footnotes.remove()
    with pytest.raises(PatchVersionError) as err:
        weasy_footnotes.apply()
    assert not weasy_footnotes.enabled()
    msg = str(err.value)
    assert "\n" not in msg and "WeasyPrint 70.0" in msg and "WeasyPrint 70.1 is installed" in msg


def test_unsupported_pydyf_stops_instead_of_writing_unpatched(monkeypatch):
    import pydyf

    from ambtsbericht_build.render import pydyf_speed
    from ambtsbericht_build.tools import PatchVersionError

    monkeypatch.setattr(pydyf, "__version__", "0.14.0")
    before = (pydyf.PDF.__dict__["page_references"], pydyf.zlib)
    with pytest.raises(PatchVersionError, match=r"pydyf 0\.13\.0, but pydyf 0\.14\.0 is installed"):
        pydyf_speed.apply()
    assert (pydyf.PDF.__dict__["page_references"], pydyf.zlib) == before


def test_pdf_worker_refuses_with_one_line(monkeypatch, capsys):
    """The PDF writer process stops before it reads its job: the render
    reports the line and writes no PDF."""
    from ambtsbericht_build.render import worker

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    weasy_footnotes.remove()
    assert worker.main(["pdf", "--wait"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("pdf: abuild's footnote layout") and "WeasyPrint 71.0 is installed" in err
    assert not weasy_footnotes.enabled()


def test_the_patches_are_for_the_pinned_versions():
    """pyproject.toml pins exactly the versions the patches accept."""
    import pathlib
    import tomllib

    import pydyf

    from ambtsbericht_build.render import pydyf_speed

    deps = tomllib.loads((pathlib.Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"weasyprint=={weasy_footnotes.SUPPORTED[0]}" in deps and len(weasy_footnotes.SUPPORTED) == 1
    assert f"pydyf=={pydyf_speed.SUPPORTED[0]}" in deps and len(pydyf_speed.SUPPORTED) == 1
    assert weasyprint.__version__ in weasy_footnotes.SUPPORTED and pydyf.__version__ in pydyf_speed.SUPPORTED


def _varied_html(seed: int) -> str:
    """Paragraphs of varied length with notes of varied length on A5 pages:
    some second lines fall at a page bottom, where WeasyPrint 70 moves earlier
    notes to the next page."""
    import random

    rnd = random.Random(seed)
    words = ["de", "situatie", "provincie", "werden", "gearresteerd", "volgens", "bronnen", "journalisten"]
    paras, n = [], 0
    for _ in range(60):
        body = ""
        for _ in range(rnd.randint(1, 6)):
            body += " ".join(rnd.choice(words) for _ in range(rnd.randint(6, 18))) + "."
            if rnd.random() < 0.5:
                n += 1
                body += (
                    f'<span class="footnote" data-note="{n}">Bron {n}, rapport over Voorbeeldland, '
                    f"15 januari 2026{', met toelichting' * rnd.randint(0, 8)}.</span> "
                )
        paras.append(f"<p>{body}</p>")
    return (
        "<html lang='nl'><head><style>@page { size: A5; margin: 15mm; @footnote { border-top: 0.5pt solid #999; } }"
        "p { orphans: 2; widows: 2 } .footnote { float: footnote; footnote-policy: line; font-size: 8pt; }"
        "</style></head><body>" + "".join(paras) + "</body></html>"
    )


def test_notes_stay_with_their_calls():
    from ambtsbericht_build.render.formats.pdf import misplaced_notes

    html = _varied_html(3)
    weasy_footnotes.remove()
    try:
        unpatched = misplaced_notes(weasyprint.HTML(string=html).render())
        assert weasy_footnotes.apply()
        patched = misplaced_notes(weasyprint.HTML(string=html).render())
    finally:
        weasy_footnotes.remove()
    assert unpatched, "WeasyPrint 70 separates some notes from their calls in this document"
    assert patched == []


def test_page_reference_cache_matches_pydyf():
    import pydyf

    from ambtsbericht_build.render import pydyf_speed

    pdf = pydyf.PDF()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    plain_one = pdf.page_references
    pydyf_speed.apply()
    try:
        assert pdf.page_references == plain_one
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        cached_two = pdf.page_references
    finally:
        pydyf_speed.remove()
    assert cached_two == pdf.page_references and len(cached_two) == 2


def test_note_list_membership_is_by_identity():
    from ambtsbericht_build.render.weasy_footnotes import _NoteList

    a, b = object(), object()
    notes = _NoteList([a])
    assert a in notes and b not in notes
    notes.append(b)
    notes.remove(a)
    assert a not in notes and b in notes and notes.copy() == [b]


def test_streams_deflate_at_level_6_and_round_trip():
    import zlib

    import pydyf

    from ambtsbericht_build.render import pydyf_speed

    content = [b"BT /F1 10 Tf 72 720 Td (" + bytes(f"regel {i}", "ascii") + b") Tj ET" for i in range(2000)]
    raw = b"\n".join(content)
    plain = pydyf.Stream(list(content), compress=True).data
    pydyf_speed.apply()
    try:
        faster = pydyf.Stream(list(content), compress=True).data
    finally:
        pydyf_speed.remove()

    def body(data: bytes) -> bytes:
        return data.split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0]

    assert zlib.decompress(body(plain)) == raw == zlib.decompress(body(faster))
    assert body(plain) == zlib.compress(raw, 9)
    assert body(faster) == zlib.compress(raw, 6)
    assert pydyf.zlib is zlib  # removed again
