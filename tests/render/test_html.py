"""The screen HTML: one self-contained, accessible file (real renders, see conftest)."""

from __future__ import annotations

import re

from tests.render.render_outputs import norm


def test_self_contained(example_html):
    src = example_html.source
    assert not example_html.xpath("//link[@rel='stylesheet'] | //script[@src]")
    for img in example_html.xpath("//img"):
        assert img.get("src").startswith("data:image/"), img.get("src")[:40]
        assert img.get("alt"), "every image has alternative text"
    assert "<style>" in src and "@media print" in src
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//(?!www\.w3\.org)""", src.split("<main", 1)[0])


def test_language_viewport_and_skip_link(example_html):
    root = example_html.tree
    assert root.get("lang") == "nl-NL"
    assert example_html.xpath("//meta[@name='viewport']")
    skip = example_html.xpath("//a[contains(@class,'skip-link')]")[0]
    target = skip.get("href")[1:]
    assert example_html.xpath(f"//*[@id='{target}']"), "the skip link has a target"
    assert norm(example_html.xpath("//title")[0].text_content()) == "Algemeen ambtsbericht Voorbeeldland"


def test_footnotes_link_both_ways(example_html):
    refs = example_html.xpath("//a[@role='doc-noteref']")
    notes = example_html.xpath("//section[contains(@class,'footnotes')]/ol/li")
    assert len(refs) == len(notes) > 100
    for i, (ref, note) in enumerate(zip(refs, notes, strict=False), 1):
        assert ref.get("href") == f"#{note.get('id')}"
        assert ref.get("aria-label") == f"noot {i}"
        back = note.xpath(".//a[@role='doc-backlink']")[0]
        assert back.get("href") == f"#{ref.get('id')}"
        assert back.get("aria-label") == f"terug naar de tekst bij noot {i}"


def test_glossary_terms_are_abbr(example_html):
    abbrs = example_html.xpath("//main//abbr[@title]")
    titles = {a.text_content(): a.get("title") for a in abbrs}
    assert titles["HRW"] == "Human Rights Watch"
    assert titles["VN"] == "Verenigde Naties"
    assert not example_html.xpath("//h1//abbr | //h2//abbr"), "headings stay plain text"


def test_colofon_and_cover(example_html):
    dl = example_html.xpath("//section[contains(@class,'colofon')]//dl")[0]
    pairs = dict(
        zip(
            (norm(x.text_content()) for x in dl.xpath("dt")),
            (norm(x.text_content()) for x in dl.xpath("dd")),
            strict=False,
        )
    )
    assert pairs == {
        "Land": "Voorbeeldland",
        "Datum": "1 september 2026",
        "Verslagperiode": "1 september 2024 tot en met 30 juni 2026",
        "Plaats": "Den Haag",
        "Opgesteld door": "Ministerie van Buitenlandse Zaken, Afdeling Ambtsberichten",
        "Verantwoordelijke afdeling": "Directie Sociale en Culturele Zaken, Afdeling Ambtsberichten",
        "Versie": "1.0",
        "Status": "concept",
        "Aantal bijlagen": "3",
        "Collegiale toetsing": "22 juli 2026",
        "Juridische toetsing": "5 augustus 2026",
        "Vorig ambtsbericht": "15 augustus 2024",
    }
    # day and month tied, as in the text (the colofon is generated outside the typeset document)
    raw = " | ".join(x.text_content() for x in dl.xpath("dd"))
    assert re.findall(r"\b\d{1,2}\s(?:juli|augustus|september|juni)\b", raw) == re.findall(
        r"\b\d{1,2}\u00a0(?:juli|augustus|september|juni)\b", raw
    ), raw
    assert "CONCEPT" in norm(example_html.xpath("//header[contains(@class,'cover')]")[0].text_content())


def test_numbering_and_unnumbered_chapters(example_html):
    h1 = [norm(h.text_content()) for h in example_html.xpath("//main//h1")]
    assert h1[0] == "Inleiding"
    assert "1 Politieke en veiligheidssituatie" in h1
    assert "Samenvatting" in h1
    assert h1[-4:] == [
        "Bijlage 1 Geraadpleegde openbare bronnen",
        "Bijlage 2 Lijst van afkortingen",
        "Bijlage 3 Terms of Reference",
        "Noten",
    ]
    h2 = [norm(h.text_content()) for h in example_html.xpath("//main//h2")]
    assert "1.1 Politieke ontwikkelingen" in h2 and "Verslagperiode" in h2
    h3 = [norm(h.text_content()) for h in example_html.xpath("//main//h3")]
    assert "1.1.1 Wet op de nationale veiligheid" in h3


def test_toc_links_to_every_chapter(example_html):
    links = example_html.xpath("//nav[contains(@class,'toc')]//a")
    ids = {h.get("id") for h in example_html.xpath("//main//h1 | //main//h2 | //main//h3")}
    assert len(links) > 20
    for a in links:
        assert a.get("href")[1:] in ids


def test_captions_and_cross_references(example_html, mini_html):
    caps = [norm(c.text_content()) for c in example_html.xpath("//figcaption | //caption")]
    assert caps[0].startswith("Figuur 1: Kaart van Voorbeeldland")
    assert caps[1].startswith("Tabel 1: Door ACLED")
    assert caps[2].startswith("Tabel 2: Arrestaties")
    # (the figure's own link back from its full-size view is not a cross-reference)
    xref = example_html.xpath("//a[@href='#fig-kaart'][not(contains(@class, 'figure-close'))]")
    assert [norm(a.text_content()) for a in xref] == ["figuur 1", "figuur 1"]
    first = mini_html.xpath("//main//p")[0]
    assert norm(first.text_content()) == "Tabel 1 geeft cijfers. Zie ook figuur 1 en paragraaf 1.1, of o.a. tabel 1."


def test_tor_annex_answers(example_html):
    annex = example_html.xpath("//div[contains(@class,'tor-annex')]")[0]
    text = norm(annex.text_content())
    assert "1.1 Wat zijn de belangrijkste politieke ontwikkelingen" in text
    assert "Beantwoord in: 1.1 Politieke ontwikkelingen" in text
    assert "5.3 Terugkeerders uit Nederland (geen informatie gevonden)" in text
    for a in annex.xpath(".//a[contains(@class,'tor-ref')]"):
        assert example_html.xpath(f"//*[@id='{a.get('href')[1:]}']")


def test_no_internal_or_draft_material(example_html, example):
    src = example_html.source
    for secret in ("Kompas", "koffiehuis", "AMB-VB/2025", "internal"):
        assert secret not in src
    assert "<!--" not in src.split("<main", 1)[1]
