"""The TOC's number column is as wide as its widest number (issue #11: "10.1.2"
touched its title in the PDF; the DOCX and ODT had no column). A report of
ten short chapters, the last with a "10.1.2", rendered once to PDF, DOCX and
ODT; each format is read back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from ambtsbericht_build.render.formats import odt_package
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from ambtsbericht_build.render.toc_numbers import level_columns_css, number_width_em, twips
from tests.render.conftest import MINI_FILES, make_mini_report

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, **{k: v for k, v in odt_package.NS.items() if k != "manifest"}}


def _chapters() -> dict[str, str]:
    files = {k: v for k, v in MINI_FILES.items() if not k.startswith("chapters/")}
    files["chapters/00-inleiding.md"] = MINI_FILES["chapters/00-inleiding.md"]
    files["chapters/01-politiek.md"] = MINI_FILES["chapters/01-politiek.md"]
    for n in range(2, 11):
        text = f"# Hoofdstuk {n} {{#h{n}}}\n\n## Deel {{#d{n}}}\n\nTekst.[@hrw-rapport]\n"
        if n == 10:
            text += "\n### Eerste {#e10}\n\nMeer.[@hrw-rapport]\n\n### Tweede punt {#t10}\n\nNog meer.[@hrw-rapport]\n"
        files[f"chapters/{n:02d}-h.md"] = "\n" + text
    return files


@pytest.fixture(scope="module")
def ten(tmp_path_factory) -> dict[str, Path]:
    import tests.render.conftest as conftest

    root = tmp_path_factory.mktemp("toc-numbers") / "repo"
    saved = conftest.MINI_FILES
    conftest.MINI_FILES = _chapters()
    try:
        report = make_mini_report(root)
    finally:
        conftest.MINI_FILES = saved
    result = render_report(report, RenderOptions(formats=("pdf", "docx", "odt"), out_dir=root / "out"))
    assert not result.refused, result.diagnostics
    return dict(result.outputs)


def test_the_column_is_measured_from_the_widest_number():
    assert number_width_em(["1", "9.2", "10.1.2"]) == number_width_em(["10.1.2"]) > number_width_em(["5.3.2"])
    assert number_width_em(["10.10.10"]) > number_width_em(["10.1.2"]) >= 3.4
    assert number_width_em(["Bijlage 3", "1"]) == number_width_em(["1"]), "only numbers go in the column"


def test_pdf_titles_line_up_after_the_widest_number(ten):
    import pdfplumber

    with pdfplumber.open(str(ten["pdf"])) as pdf:
        page = next(p for p in pdf.pages if "Inhoudsopgave" in (p.extract_text() or ""))
        words = page.extract_words(keep_blank_chars=False)
    numbers = {w["text"]: w for w in words if w["text"] in ("9.1", "10.1", "10.1.1", "10.1.2")}
    assert set(numbers) == {"9.1", "10.1", "10.1.1", "10.1.2"}, [w["text"] for w in words][:60]

    def title_x(number: str) -> float:
        w = numbers[number]
        return min(x["x0"] for x in words if abs(x["top"] - w["top"]) < 2 and x["x0"] > w["x1"])

    # the titles of one level start at one x, clear of the widest number
    assert abs(title_x("9.1") - title_x("10.1")) < 0.5
    assert abs(title_x("10.1.1") - title_x("10.1.2")) < 0.5
    gap = title_x("10.1.2") - numbers["10.1.2"]["x1"]
    assert gap > 3, f"'10.1.2' touches its title: {gap:.1f} pt"


def test_pdf_number_columns_fit_each_level(ten):
    """Each level's column fits its own widest number: with one column for
    all, fitted to "10.1.2" (3.5 em), a chapter's "10" stood 27 pt from its
    title; now 0.6 em and a space (9 to 10 pt at 10.5 pt). A level's numbers
    start where the titles of the level above do."""
    import pdfplumber

    with pdfplumber.open(str(ten["pdf"])) as pdf:
        page = next(p for p in pdf.pages if "Inhoudsopgave" in (p.extract_text() or ""))
        words = page.extract_words(keep_blank_chars=False)
    numbers: dict = {}  # the first on each text's line ("Hoofdstuk 2" ends with one too)
    for w in sorted(words, key=lambda w: -w["x0"]):
        if w["text"] in ("2", "9", "10", "10.1", "10.1.1"):
            numbers[w["text"]] = w
    assert set(numbers) == {"2", "9", "10", "10.1", "10.1.1"}, [w["text"] for w in words][:60]

    def title_x(number: str) -> float:
        w = numbers[number]
        return min(x["x0"] for x in words if abs(x["top"] - w["top"]) < 2 and x["x0"] > w["x1"])

    assert abs(title_x("2") - title_x("10")) < 0.5  # one column per level
    gap = title_x("10") - numbers["10"]["x1"]
    assert 3 < gap < 11, f"the chapter's title stands {gap:.1f} pt from its number"
    assert abs(numbers["10.1"]["x0"] - title_x("10")) < 0.5
    assert abs(numbers["10.1.1"]["x0"] - title_x("10.1")) < 0.5


def test_docx_and_odt_set_numbers_in_a_column(ten):
    column = twips(number_width_em(["10.1.2"]))
    with zipfile.ZipFile(ten["docx"]) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    entries = {}
    for p in doc.xpath("//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'TOC')]][w:hyperlink]", namespaces=NS):
        run = p.find("w:hyperlink/w:r", NS)
        texts = [t.text for t in run.iterfind("w:t", NS)]
        entries[texts[0] if len(texts) == 2 else texts[0].split()[0]] = (p, run, texts)
    p, run, texts = entries["10.1.2"]
    assert texts == ["10.1.2", "Tweede punt"] and run.find("w:tab", NS) is not None, "number, tab, title"
    ind = p.find("w:pPr/w:ind", NS)
    assert int(ind.get(f"{{{W}}}hanging")) == column and int(ind.get(f"{{{W}}}left")) >= column
    stops = [int(t.get(f"{{{W}}}pos")) for t in p.iterfind("w:pPr/w:tabs/w:tab", NS)]
    assert stops[0] == int(ind.get(f"{{{W}}}left")), "the title's tab stop is where its later lines hang"
    assert entries["Inleiding"][2] == ["Inleiding"], "an unnumbered entry has no number"

    with zipfile.ZipFile(ten["odt"]) as z:
        content, styles = etree.fromstring(z.read("content.xml")), etree.fromstring(z.read("styles.xml"))
    links = content.xpath("//text:table-of-content//text:a", namespaces=NS)
    (link,) = [a for a in links if a.text == "10.1.2"]
    assert link[0].tag == f"{{{NS['text']}}}tab" and link[0].tail == "Tweede punt"
    (props,) = styles.xpath("//style:style[@style:name='Contents_20_3']/style:paragraph-properties", namespaces=NS)
    hang = -odt_package.length_cm(props.get(f"{{{NS['fo']}}}text-indent"))
    assert abs(hang - column / 20 * 2.54 / 72) < 0.01, "the number column is the text's hanging indent"


def test_each_level_is_indented_under_the_titles_of_the_level_above():
    """The rules formats/pdf.py adds: each level's column fitted to its own
    widest number, each level indented to where the titles above it start;
    under a level without numbers the next is still indented."""
    css = level_columns_css([(1, "1"), (1, "10"), (2, "10.1"), (3, "10.1.1"), (1, "Bijlage 1")])
    column = {int(k): float(v) for k, v in re.findall(r"toc-level-(\d) \.toc-number \{ min-width: ([\d.]+)em", css)}
    indent = {int(k): float(v) for k, v in re.findall(r"toc-level-(\d) \{ padding-left: ([\d.]+)em", css)}
    assert column[1] < 2.0 < column[2] < column[3] == number_width_em(["10.1.1"])  # not 3.5 em for "10"
    assert indent[1] == 0 and column[1] < indent[2] < column[1] + 0.3  # a space (0.26 em) after the column
    assert column[1] + column[2] < indent[3] < column[1] + column[2] + 0.6
    flat = level_columns_css([(1, ""), (2, ""), (3, "")])
    assert "toc-level-2 { padding-left: 1.50em" in flat and "toc-level-3 { padding-left: 3.00em" in flat
