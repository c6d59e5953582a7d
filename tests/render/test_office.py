"""DOCX and ODT: real footnotes, heading styles, numbering, a TOC field (real renders)."""

from __future__ import annotations

from tests.render.render_outputs import Docx, Odt


def test_docx_headings_styles_and_numbering(example_docx):
    h1 = example_docx.headings(1)
    assert h1[0] == "Inleiding", "the unnumbered introduction comes first, without a number"
    assert "1 Politieke en veiligheidssituatie" in h1
    assert "Samenvatting" in h1
    assert h1[-1] == "Bijlage 3 Terms of Reference"
    assert "1.1 Politieke ontwikkelingen" in example_docx.headings(2)
    assert "1.1.1 Wet op de nationale veiligheid" in example_docx.headings(3)
    assert "Colofon" not in h1, "the colofon is not a chapter (and not in the TOC)"
    for level in (1, 2, 3):
        assert f'w:styleId="Heading{level}"' in example_docx.styles_xml


def test_docx_toc_field_after_colofon(example_docx):
    xml = example_docx.document_xml
    assert "TOC \\o" in xml
    texts = [t for _, t in example_docx.paragraphs]
    assert texts.index("Colofon") < texts.index("Inhoudsopgave") < texts.index("Inleiding")
    assert "Opgesteld door" in texts and "Verslagperiode" in texts


def test_docx_annex_parts_one_level_below_their_annex(example_docx):
    # a skipped level (annex 1, part 3) breaks a word processor's outline
    assert "Rapporten en publicaties" in example_docx.headings(2)
    assert "Rapporten en publicaties" not in example_docx.headings(3)


def test_docx_real_footnotes(example_docx):
    notes = example_docx.notes
    assert len(notes) > 100
    assert all(notes), "no empty footnote"
    assert "w:footnoteReference" in example_docx.document_xml


def test_odt_toc_notes_and_headings(example_odt):
    assert "<text:table-of-content" in example_odt.content_xml
    assert len(example_odt.notes) > 100
    h1 = example_odt.headings(1)
    assert h1[0] == "Inleiding" and "1 Politieke en veiligheidssituatie" in h1
    assert "1.1 Politieke ontwikkelingen" in example_odt.headings(2)
    xml = example_odt.content_xml
    assert xml.index("Colofon") < xml.index("<text:table-of-content")


def test_captions_and_cross_references(example_docx, example_odt, mini):
    for texts in ([t for _, t in example_docx.paragraphs], example_odt.paragraphs):
        assert any(t.startswith("Figuur 1: Kaart van Voorbeeldland") for t in texts)
        assert any(t.startswith("Tabel 1: Door ACLED") for t in texts)
        assert any("opgenomen als figuur 1." in t for t in texts)
        assert any("Tabel 1 geeft het aantal" in t for t in texts)
    mini_docx = [t for _, t in Docx(mini["docx"]).paragraphs]
    assert "Tabel 1 geeft cijfers. Zie ook figuur 1 en paragraaf 1.1, of o.a. tabel 1." in mini_docx


def test_vastgesteld_has_no_concept_line(mini):
    for xml in (Docx(mini["docx"]).document_xml, Odt(mini["odt"]).content_xml):
        assert "CONCEPT" not in xml
