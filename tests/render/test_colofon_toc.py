"""Cover, colofon and table of contents in every format (issue #11), read
from the real HTML, PDF (pypdfium2), DOCX and ODT."""

from __future__ import annotations

import re
import zipfile
from types import SimpleNamespace

import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.house_style import HouseStyle
from ambtsbericht_build.models import Report
from ambtsbericht_build.render.colofon import disclaimer
from ambtsbericht_build.render.pipeline import RenderFailed, RenderOptions, render_report
from tests.fixtures.report_kit import make_report
from tests.render.render_outputs import Docx, Html, Odt, norm

ROWS = [
    ("Plaats", "Den Haag"),
    ("Verantwoordelijke afdeling", "Directie Sociale en Culturele Zaken, Afdeling Ambtsberichten"),
    ("Aantal bijlagen", "3"),
    ("Collegiale toetsing", "22 juli 2026"),
    ("Juridische toetsing", "5 augustus 2026"),
]
CUTOFF = "De informatie in dit ambtsbericht is bijgewerkt tot en met 15 juli 2026."
POLICY = "Het is geen beleidsdocument"


def pdf_pages(path) -> list[str]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    finally:
        pdf.close()


def test_colofon_rows_and_disclaimer_in_every_format(example, example_html, example_docx):
    pdf = pdf_pages(example["pdf"])
    cover = pdf[0]
    for label, value in ROWS:
        assert f"{label} {value}" in cover, f"PDF colofon lacks {label}"
    assert f"Aantal pagina’s {len(pdf)}" in cover, "the PDF counts its pages after layout"
    assert CUTOFF in cover and POLICY in cover and "Verantwoording" in cover

    html = example_html
    dts = [norm(dt.text_content()) for dt in html.xpath("//section[@class='colofon']//dt")]
    dds = [norm(dd.text_content()) for dd in html.xpath("//section[@class='colofon']//dd")]
    for row in ROWS:
        assert row in zip(dts, dds, strict=True)
    assert "Aantal pagina’s" not in dts, "a web page has no pages"
    disclaimer_text = norm(html.xpath("//section[@class='colofon']//div[@class='disclaimer']")[0].text_content())
    assert CUTOFF in disclaimer_text and POLICY in disclaimer_text

    docx = [t for _, t in example_docx.paragraphs]
    cells = list(zip(docx, docx[1:], strict=False))
    for row in ROWS:
        assert row in cells, f"DOCX colofon lacks {row}"
    assert CUTOFF in docx and "Verantwoording" in docx
    # the number of pages is a NUMPAGES field in the colofon table, before the TOC
    xml = example_docx.document_xml
    assert xml.index("Aantal pagina") < xml.index(" NUMPAGES ") < xml.index("Table of Contents")

    odt = Odt(example["odt"])
    odt_text = norm(" ".join(odt.root.itertext()))
    assert CUTOFF in odt_text and POLICY in odt_text
    for label, value in ROWS:
        assert label in odt_text and value in odt_text
    assert "<text:page-count" in odt.content_xml
    assert odt.content_xml.index("Aantal pagina") < odt.content_xml.index("<text:page-count")


def test_mini_colofon_leaves_out_what_report_yaml_does_not_give(mini, mini_html):
    dts = [norm(dt.text_content()) for dt in mini_html.xpath("//section[@class='colofon']//dt")]
    # (a vastgesteld report gives place and unit, AB505; the mini gives no previous report)
    assert "Vorig ambtsbericht" not in dts and "Collegiale toetsing" not in dts
    assert "Plaats" in dts
    assert "Aantal bijlagen" in dts
    # no information_cutoff: the disclaimer takes the end of the reference period
    assert "bijgewerkt tot en met 31\u00a0januari 2026." in mini_html.source


def test_cover_repeats_neither_kind_nor_status(example, example_html, example_docx):
    # the title already says "Algemeen ambtsbericht": no kind line above it
    assert example_html.xpath("//header[@class='cover']//p[@class='cover-kind']") == []
    (status,) = example_html.xpath("//p[@class='cover-status']")
    assert norm(status.text_content()) == "CONCEPT", "the status itself is a colofon row"
    cover = pdf_pages(example["pdf"])[0]
    assert cover.count("Algemeen ambtsbericht") == 1
    assert "Status: concept" not in cover and cover.count("concept") == 1
    docx = example_docx.paragraphs
    assert not any(style == "Subtitle" for style, _ in docx), "no subtitle repeating kind and date"
    assert [t for _, t in docx].count("1 september 2026") == 2, "title block's date and the colofon's"
    for fmt in ("docx", "odt"):
        with zipfile.ZipFile(example[fmt]) as z:
            body = z.read("word/document.xml" if fmt == "docx" else "content.xml").decode()
        assert "Status: concept" not in body


def test_a_kind_not_in_the_title_is_shown_once(tmp_path):
    report = make_report(tmp_path)
    yaml_text = report.path("report.yaml").read_text(encoding="utf-8")
    report.write("report.yaml", yaml_text.replace("title: Algemeen ambtsbericht Testland", "title: Testland"))
    result = render_report(report.dir, RenderOptions(formats=("html", "docx"), out_dir=tmp_path / "out"))
    assert not result.refused, result.diagnostics
    html = Html(result.outputs["html"])
    assert [norm(p.text_content()) for p in html.xpath("//p[@class='cover-kind']")] == ["Algemeen ambtsbericht"]
    docx = Docx(result.outputs["docx"]).paragraphs
    assert [t for style, t in docx if style == "Subtitle"] == ["Algemeen ambtsbericht"], "the kind, not kind and date"


def test_toc_three_levels_in_every_format(example, example_html, example_docx):
    level3 = "1.1.1 Wet op de nationale veiligheid"
    html_toc = [norm(a.text_content()) for a in example_html.xpath("//nav[@class='toc']//li[@class='toc-level-3']/a")]
    assert level3 in html_toc
    pdf = pdf_pages(example["pdf"])
    toc_pages = [p for p in pdf[1:5] if "......" in p]
    assert any(level3 in p for p in toc_pages)
    assert " PAGEREF " in example_docx.document_xml and "TOC \\o &quot;1-3&quot;" in example_docx.document_xml
    odt = Odt(example["odt"]).content_xml
    assert re.search(r'<text:table-of-content-source[^>]*text:outline-level="3"', odt)


def _toc_report(tmp_path, chapters: int) -> list[list[str]]:
    """The lines of each PDF page of a report whose TOC runs over several
    pages, a chapter line and a section line by turns (the first chapter has
    one section more, so that without a keep a chapter line ends each page)."""
    report = make_report(tmp_path)
    first = "# Hoofdstuk X\n\nTekst.\n\n## Paragraaf X.1\n\nTekst.\n\n## Paragraaf X.2\n\nTekst.\n\n"
    rest = "".join(f"# Hoofdstuk {i}\n\nTekst.\n\n## Paragraaf {i}.1\n\nTekst.\n\n" for i in range(chapters))
    report.write("chapters/02-politiek.md", "---\nclaims: false\n---\n\n" + first + rest, dedent_text=False)
    result = render_report(report.dir, RenderOptions(formats=("pdf",), out_dir=tmp_path / "out"))
    assert not result.refused, result.diagnostics
    pdf = pypdfium2.PdfDocument(str(result.outputs["pdf"]))
    try:
        return [pdf[i].get_textpage().get_text_range().split("\r\n") for i in range(len(pdf))]
    finally:
        pdf.close()


def test_a_chapter_line_never_ends_a_toc_page(tmp_path):
    pages = _toc_report(tmp_path, 70)
    toc = [[line for line in page if re.search(r"\.{4,} ?\d+$", line)] for page in pages[1:8]]
    toc = [entries for entries in toc if entries]
    assert len(toc) >= 3
    for number, entries in enumerate(toc[:-1], start=2):
        assert not re.match(r"\d+ Hoofdstuk \d+ ?\.", entries[-1]), (
            f"TOC page {number} ends with the chapter line {entries[-1]!r}, its sections are overleaf"
        )
        assert re.match(r"\d+\.1 Paragraaf", entries[-1])


# --- the disclaimer's wording (house style) -----------------------------------------------


def _report(**fields):
    base = {
        "title": "Algemeen ambtsbericht Testland",
        "kind": "algemeen",
        "country": "Testland",
        "date": "2026-03-01",
        "reference_period": {"start": "2024-09-01", "end": "2026-01-31"},
        "status": "concept",
        "version": "1.0",
        "issuer": "BZ",
    }
    return SimpleNamespace(report=Report.model_validate(base | fields))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(country=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_disclaimer_prints_a_value_as_written(country):
    """A value is inserted once: a country that reads "{cutoff}" or "{x}" stays
    as written, and no value can make the wording fail."""
    lr = _report(country=country)
    title, paragraphs = disclaimer(lr, "nl", HouseStyle.for_repo(None))  # type: ignore[arg-type]
    assert title == "Verantwoording"
    assert lr.report.country in paragraphs[0]
    assert paragraphs[-1].endswith("bijgewerkt tot en met 31\u00a0januari 2026.")


@pytest.mark.parametrize(
    ("wording", "message"),
    [
        ("nl: {title: T, paragraphs: ['Tot {peildatum}.']}", "unknown placeholder {peildatum}"),
        ("en: {title: T, paragraphs: [x]}", "no wording for the report language 'nl'"),
        ("nl: {title: T}", "needs a title (text) and paragraphs"),
        ("nl: [unclosed", "templates/colofon.yaml:1:"),
        ("# " + "x" * 70_000, "larger than 64 kB"),
    ],
)
def test_a_bad_wording_override_stops_the_render_with_one_line(tmp_path, wording, message):
    report = make_report(tmp_path)
    (report.root / "templates").mkdir()
    (report.root / "templates" / "colofon.yaml").write_text(wording, encoding="utf-8")
    with pytest.raises(RenderFailed) as failed:
        render_report(report.dir, RenderOptions(formats=("html",), out_dir=tmp_path / "out"))
    text = str(failed.value)
    assert message in text and "\n" not in text, text
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir()), "no half-written output"


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_generated_words_use_the_house_apostrophe_and_quotes(lang):
    """Every word abuild prints itself (labels, the disclaimer's wording)
    uses ’ and ‘…’ as the house style does ("ngo’s"), never ' or "
    ("Aantal pagina's", "the government's position" were straight)."""
    import yaml

    from ambtsbericht_build.house_style import template_path
    from ambtsbericht_build.render.labels import labels

    wording = yaml.safe_load(template_path("colofon.yaml").read_text(encoding="utf-8"))[lang]
    for s in _strings(labels(lang)) + _strings(wording):
        assert "'" not in s and '"' not in s, s


def test_tor_names_who_asked_for_it_in_a_sentence_that_reads(example, example_html, example_docx):
    """ "Opgesteld op verzoek van Ministerie van Justitie en Veiligheid" lacked
    "het"; a label with a colon reads right whatever requested_by holds."""
    sentence = "Opdrachtgever: Ministerie van Justitie en Veiligheid (IND, TOELT), 10 juni 2025."
    assert sentence in norm(example_html.xpath("//body")[0].text_content())
    assert any(sentence in text for _, text in example_docx.paragraphs)
    assert any(sentence in text for text in Odt(example["odt"]).paragraphs)
    assert sentence in " ".join(pdf_pages(example["pdf"]))
