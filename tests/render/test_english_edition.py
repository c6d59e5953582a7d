"""The English edition (issue #15, the render half): ``abuild render --lang en``.

One module-scoped render of a small report, whose chapters are written in
English (what a finished translation gives) with one block and one phrase
left in Dutch as the translation marks them (``::: {.untranslated lang=nl}``,
``[…]{.untranslated lang=nl}``). Before it, the Dutch HTML of the same report
is rendered into the same directory, to show the English render leaves it
alone. About 4 s of CPU for the render, 2 s for the CLI runs.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest

from ambtsbericht_build import translate
from ambtsbericht_build.render.labels import LABELS
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from ambtsbericht_build.translate import TranslatedReport
from tests.fixtures.report_kit import ABUILD, make_report
from tests.render.conftest import make_mini_report, tiny_png
from tests.render.render_outputs import Docx, Html, Odt, norm, read_pdf

# the browser and axe-core of the accessibility test (skipped locally without Chromium)
from tests.render.test_accessibility import VIEWPORTS, _format, _run_axe, axe_script, browser  # noqa: F401

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
STYLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
FORMATS = ("html", "pdf", "docx", "odt")

DUTCH_BLOCK = "Dit stuk is nog niet vertaald en staat er in het Nederlands."
DUTCH_PHRASE = "in het noordelijke grensgebied"
DUTCH_HEADING = "Dienstplicht"

FILES = {
    "report.yaml": """
        title: Country report Testland
        kind: algemeen
        country: Testland
        language: nl
        date: 2026-05-12
        reference_period: {start: 2025-01-01, end: 2026-02-14}
        status: concept
        version: "1.0"
        issuer: Ministry of Foreign Affairs
        """,
    "tor.yaml": """
        title: Terms of Reference Testland
        requested_by: Ministry of Justice and Security
        date: 2025-06-10
        themes:
          - id: "1"
            title: Politics
            questions:
              - id: "1.1"
                text: What are the political developments?
              - id: "1.2"
                text: How is military service organised?
        """,
    "glossary.yaml": """
        UN: United Nations
        """,
    "sources.yaml": """
        - id: hrw-2025
          type: report
          author: [{literal: Human Rights Watch}]
          title: World Report 2025
          issued: 2025-01-16
          URL: https://www.hrw.org/world-report/2025/testland
          accessed: 2025-02-03
        - id: vb-2026-02-14
          type: interview
          confidential: true
          issued: 2026-02-14
          internal:
            who: an official in Kwartelstad
        """,
    "chapters/01-inleiding.md": f"""
        ---
        claims: false
        numbered: false
        ---

        # Introduction {{#h-inleiding}}

        This report describes the situation in Testland. [](#tbl-figures) gives figures, [](#fig-map) a map.

        ::: {{.untranslated lang=nl}}
        {DUTCH_BLOCK}
        :::
        """,
    "chapters/02-politiek.md": f"""
        # Politics {{#h-politiek}}

        ## Elections {{#sec-elections tor="1.1"}}

        On 1 March 2025 Testland held elections.[@hrw-2025, p. 12] The UN observed them.[@hrw-2025, para. 3]

        ![Map of Testland](media/map.png){{#fig-map}}

        | Year | Arrests |
        |------|--------:|
        | 2024 | 10      |
        | 2025 | 12      |

        : Arrests per year [@hrw-2025, pp. 4-5] {{#tbl-figures}}

        A confidential source reported fighting [{DUTCH_PHRASE}]{{.untranslated lang=nl}}
        (see [](#sec-elections)).[@vb-2026-02-14] Others said so too.^[As reported before; see [@vb-2026-02-14].]

        ## [{DUTCH_HEADING}]{{.untranslated lang=nl}} {{#sec-service tor="1.2" .geen-informatie}}

        No information was found on how military service is enforced.[@hrw-2025]
        """,
}

# Dutch words abuild itself writes (labels, dates, citation terms, the
# colofon, the disclaimer, the watermark): none may be in an English edition
DUTCH_GENERATED = [
    "Inhoudsopgave",
    "Bijlage",
    "Pagina",
    "Vertrouwelijke bron",
    *"januari februari maart april mei juni juli augustus september oktober november december".split(),
    "Geraadpleegde",
    "geraadpleegd",
    "Colofon",
    "Verantwoording",
    "Noten",
    "noot",
    "Figuur",
    "Tabel",
    "hoofdstuk",
    "paragraaf",
    "tot en met",
    "Verslagperiode",
    "Opgesteld door",
    "Versie",
    "Afkorting",
    "Betekenis",
    "Lijst van afkortingen",
    "Beantwoord in",
    "niet beantwoord",
    "geen informatie gevonden",
    "ongedateerd",
    "Opdrachtgever",
    "Direct naar de inhoud",
    "Aantal",
    "CONCEPT",
    "concept",
    "Algemeen ambtsbericht",
    "ambtsbericht",
    "Datum",
    "Land",
    "Vorig",
    "Rapporten en publicaties",
    "Nog niet vertaald",
    "Nederlands",
    "terug naar de tekst",
    "op ware grootte",
    "blz.",
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _abuild(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ABUILD), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def as_translated(lr, lang, diags) -> TranslatedReport:
    """What the translation gives for this report: its chapters as written
    (English, with the Dutch units already marked), in ``lang``. The render
    half is tested on that, whatever the PO half makes of a report without
    PO files (tests/translate/ test that half)."""
    out = copy.copy(lr)
    out.report = lr.report.model_copy(update={"language": lang})
    units = sum(lc.chapter.text.count(".untranslated") for lc in lr.chapters)
    return TranslatedReport(out, lang, untranslated=units)


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The report, its Dutch HTML, then its English edition in the same directory."""
    rd = make_report(tmp_path_factory.mktemp("english"))
    for rel in ("chapters/01-inleiding.md", "chapters/02-politiek.md"):
        rd.remove(rel)
    for rel, text in FILES.items():
        rd.write(rel, text)
    rd.write("media/map.png", tiny_png())
    rd.write("translations/en/01-inleiding.po", 'msgid ""\nmsgstr ""\n"Language: en\\n"\n', dedent_text=False)
    rd.write("translations/en/chapters/02-politiek.po", 'msgid ""\nmsgstr ""\n"Language: en\\n"\n', dedent_text=False)
    out = rd.root / "build" / "testland"
    dutch = render_report(rd.dir, RenderOptions(formats=("html",), out_dir=out))
    assert not dutch.refused and dutch.manifest is not None, dutch.reason
    before = {p.name: _sha(p) for p in out.iterdir() if p.is_file()}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(translate, "translate_report", as_translated)
        result = render_report(rd.dir, RenderOptions(out_dir=out, lang="en"))
    assert not result.refused, result.reason
    return rd, out, result, before


@pytest.fixture(scope="module")
def pdf_pages(edition):
    return read_pdf(edition[2].outputs["pdf"])


@pytest.fixture(scope="module")
def texts(edition, pdf_pages) -> dict[str, str]:
    """Every format's text, as a reader (or a screen reader: attributes too) gets it."""
    outputs = edition[2].outputs
    html = Html(outputs["html"])
    for el in html.xpath("//style | //script"):  # CSS and its comments are not text
        el.drop_tree()
    attrs = " ".join(v for el in html.tree.iter() for k, v in el.attrib.items() if k in ("title", "aria-label", "alt"))
    out = {"html": html.tree.text_content() + " " + attrs}
    with pikepdf.open(outputs["pdf"]) as pdf:  # the page text, the watermark, the metadata and bookmarks
        meta = [str(v) for v in pdf.docinfo.values()]
        with pdf.open_outline() as outline:
            items = list(outline.root)
            while items:
                item = items.pop()
                meta.append(item.title)
                items += list(item.children)
    out["pdf"] = "\n".join(p.text for p in pdf_pages) + " " + "".join(p.big for p in pdf_pages) + " " + " ".join(meta)
    for fmt in ("docx", "odt"):
        with zipfile.ZipFile(outputs[fmt]) as z:  # every XML part: body, notes, headers, footers, metadata
            # docProps/custom.xml holds codes abuild reads back (status: concept), not text
            parts = [n for n in z.namelist() if n.endswith(".xml") and n != "docProps/custom.xml"]
            xml = " ".join(z.read(n).decode("utf-8") for n in parts)
        out[fmt] = re.sub(r"<[^>]+>", " ", xml)
    return {fmt: norm(t) for fmt, t in out.items()}


# --- file names, manifests, the Dutch outputs ------------------------------------------------


def test_files_are_named_by_language_beside_the_untouched_dutch_outputs(edition):
    rd, out, result, before = edition
    assert {f: p.name for f, p in result.outputs.items()} == {f: f"testland.en.{f}" for f in FORMATS}
    assert result.manifest == out / "testland.en.manifest.json"
    assert {n: _sha(out / n) for n in before} == before, "the English render changed a Dutch output"
    names = sorted(p.name for p in out.iterdir() if p.is_file())
    assert names == sorted([*before, *(f"testland.en.{f}" for f in FORMATS), "testland.en.manifest.json"])
    for manifest in ("testland.manifest.json", "testland.en.manifest.json"):
        proc = _abuild("verify", str(out / manifest), cwd=rd.root)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = _abuild("audit", str(out), "--report", str(rd.dir), cwd=rd.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    po = rd.path("translations/en/chapters/02-politiek.po")  # a chapter's translation is an input too
    text = po.read_text(encoding="utf-8")
    po.write_text(text + '\nmsgid "Politiek"\nmsgstr "Politics"\n', encoding="utf-8")
    try:
        proc = _abuild("verify", str(out / "testland.en.manifest.json"), cwd=rd.root)
    finally:
        po.write_text(text, encoding="utf-8")
    changed = [line for line in proc.stdout.splitlines() if line.startswith("CHANGED")]
    assert proc.returncode == 1 and len(changed) == 1, changed
    assert "translations/en/chapters/02-politiek.po" in changed[0], changed


def test_manifest_names_the_edition(edition):
    data = json.loads(edition[2].manifest.read_text(encoding="utf-8"))
    assert (data["slug"], data["stem"], data["language"]) == ("testland", "testland.en", "en")
    assert {o["file"] for o in data["outputs"].values()} == {f"testland.en.{f}" for f in FORMATS}
    inputs = [i["path"] for i in data["inputs"]]
    assert "reports/testland/translations/en/01-inleiding.po" in inputs  # the edition's own input
    dutch = json.loads((edition[1] / "testland.manifest.json").read_text(encoding="utf-8"))
    assert (dutch["stem"], dutch["language"], list(dutch["outputs"])) == ("testland", "nl", ["html"])
    assert not any("/translations/" in i["path"] for i in dutch["inputs"])


# --- English everywhere the output speaks ----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_dutch_generated_words(texts, fmt):
    text = texts[fmt]
    for kept in (DUTCH_BLOCK, DUTCH_PHRASE, DUTCH_HEADING):  # left in Dutch on purpose (marked, below)
        assert kept in text, f"{fmt}: {kept!r} missing"
        text = text.replace(kept, "")
    found = sorted({w for w in DUTCH_GENERATED if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)})
    assert not found, f"{fmt}: Dutch generated words {found}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_english_labels_dates_and_citations(texts, fmt):
    text = texts[fmt]
    wanted = [
        "12 May 2026",  # the report's date
        "1 January 2025 to 14 February 2026",  # the reference period
        "Confidential source, 14 February 2026",
        "see confidential source, 14 February 2026",  # the label after text: lower case (note_punctuation.py)
        "Human Rights Watch, World Report 2025, 16 January 2025, p. 12",
        "para. 3",
        "pp. 4–5",
        "Table 1",
        "Figure 1",
        "Colophon",
        "Method and status",
        "Public sources consulted",
        "List of abbreviations",
        "Terms of Reference",
        "no information found",
        "Not yet translated (Dutch)",
        "[NL]",
    ]
    if fmt != "html":  # the screen HTML has no pages and no watermark
        wanted += ["DRAFT"]
    missing = [w for w in wanted if w not in text]
    assert not missing, f"{fmt}: missing {missing}"


def test_pdf_pages_speak_english(pdf_pages):
    total = len(pdf_pages)
    for page in pdf_pages[1:]:  # the cover has no footer
        assert f"Page {page.number} of {total}" in page.text
    assert any(page.text.startswith("Contents") or "\nContents\n" in page.text for page in pdf_pages)
    assert all(page.big.replace(" ", "") == "" for page in pdf_pages), "the watermark is drawn, not text"


def test_every_note_is_on_the_page_that_calls_it(pdf_pages):
    calls = [n for p in pdf_pages for n in p.calls]
    for page in pdf_pages:
        assert page.calls == page.notes, f"page {page.number}: calls {page.calls}, notes {page.notes}"
    assert calls == list(range(1, len(calls) + 1)) and len(calls) >= 4


# --- the language of the document and of its Dutch parts (WCAG 3.1.1, 3.1.2) -----------------


def test_html_language_and_marked_dutch_parts(edition):
    html = Html(edition[2].outputs["html"])
    assert html.tree.get("lang") == "en-GB"
    blocks = html.xpath("//div[contains(concat(' ', @class, ' '), ' untranslated ')]")
    spans = html.xpath("//span[contains(concat(' ', @class, ' '), ' untranslated ')]")
    assert [norm(b.text_content()) for b in blocks] == [DUTCH_BLOCK]
    assert [norm(s.text_content()) for s in spans] == [DUTCH_PHRASE, DUTCH_HEADING]
    for el in blocks + spans:
        assert el.get("lang") == "nl-NL"
    # the marker is words, in the edition's language, outside the Dutch element
    unit = blocks[0].getparent()
    assert "untranslated-unit" in unit.get("class")
    assert norm(unit.text_content()).startswith("Not yet translated (Dutch) " + DUTCH_BLOCK)
    badge = spans[0].getprevious()
    assert badge is not None and norm(badge.text_content()) == "[NL]" and badge.get("lang") is None
    assert badge.get("title") == "Not yet translated (Dutch)"
    # the contents: the Dutch title's entry is Dutch too, the others are the page's English
    entries = {norm(e.text_content()): e.get("lang") for e in html.xpath("//nav//span[@class='toc-text']")}
    assert entries[DUTCH_HEADING] == "nl-NL"
    assert {lang for title, lang in entries.items() if title != DUTCH_HEADING} == {None}


def test_pdf_tags_carry_the_language_of_parts(edition):
    with pikepdf.open(edition[2].outputs["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root  # tagged, as PDF/UA asks
        langs: list[tuple[str, str]] = []

        def walk(elem) -> None:
            if not isinstance(elem, pikepdf.Dictionary) or elem.get("/Type") != "/StructElem":
                return
            if "/Lang" in elem:
                langs.append((str(elem.S), str(elem.Lang)))
            kids = elem.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

        for kid in pdf.Root.StructTreeRoot.K:
            walk(kid)
    assert ("/Div", "nl-NL") in langs and ("/Span", "nl-NL") in langs
    assert {lang for _s, lang in langs} == {"nl-NL"}, "only the Dutch parts differ from the catalog's language"


def test_docx_language_of_the_document_and_of_the_dutch_runs(edition):
    docx = Docx(edition[2].outputs["docx"])
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", docx.styles_xml, re.S)
    assert defaults and 'w:val="en-GB"' in defaults.group(0)
    dutch = [
        "".join(t.text or "" for t in run.iter(f"{W}t"))
        for run in docx.document.iter(f"{W}r")
        if (lang := run.find(f"{W}rPr/{W}lang")) is not None and lang.get(f"{W}val") == "nl-NL"
    ]
    # the heading's entry in the contents first, its answer in the ToR annex last: Dutch
    # there too, after their "[NL] " (English)
    expected = f"{DUTCH_HEADING} {DUTCH_BLOCK} {DUTCH_PHRASE} {DUTCH_HEADING} {DUTCH_HEADING}"
    assert norm(" ".join(dutch)) == norm(expected)
    texts = [t for _s, t in docx.paragraphs]
    assert any(t.endswith(f"[NL] {DUTCH_HEADING}") for s, t in docx.paragraphs if s.startswith("TOC"))
    assert "Not yet translated (Dutch)" in texts
    assert any(f"[NL] {DUTCH_PHRASE}" in t for t in texts)


def test_odt_language_of_the_document_and_of_the_dutch_spans(edition):
    odt = Odt(edition[2].outputs["odt"])
    with zipfile.ZipFile(edition[2].outputs["odt"]) as z:
        styles = z.read("styles.xml").decode("utf-8")
    default = re.search(r"<style:default-style style:family=\"paragraph\">.*?</style:default-style>", styles, re.S)
    assert default and 'fo:language="en"' in default.group(0) and 'fo:country="GB"' in default.group(0)
    dutch_styles = {
        s.get(f"{STYLE_NS}name")
        for s in odt.root.iter(f"{STYLE_NS}style")
        if (p := s.find(f"{STYLE_NS}text-properties")) is not None
        and (p.get(f"{FO}language"), p.get(f"{FO}country")) == ("nl", "NL")
    }
    dutch = [
        "".join(span.itertext())
        for span in odt.root.iter(f"{TEXT_NS}span")
        if span.get(f"{TEXT_NS}style-name") in dutch_styles
    ]
    # the heading's entry in the contents first, its answer in the ToR annex last: Dutch
    # there too, after their "[NL] " (English)
    expected = f"{DUTCH_HEADING} {DUTCH_BLOCK} {DUTCH_PHRASE} {DUTCH_HEADING} {DUTCH_HEADING}"
    assert norm(" ".join(dutch)) == norm(expected)
    assert any(p.endswith(f"[NL] {DUTCH_HEADING}") for p in odt.paragraphs)
    assert "Not yet translated (Dutch)" in odt.paragraphs
    assert '<text:table-of-content text:name="Contents"' in odt.content_xml  # the Navigator's name
    assert any(f"[NL] {DUTCH_PHRASE}" in p for p in odt.paragraphs)


# --- accessibility of the English HTML ----------------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_axe_violations_english_edition(browser, axe_script, edition, viewport):
    result = _run_axe(browser, axe_script, edition[2].outputs["html"], VIEWPORTS[viewport])
    assert result["violations"] == [], "\n" + _format(result["violations"])


# --- refusals and usage errors ------------------------------------------------------------------


def test_a_final_edition_with_untranslated_entries_is_refused(tmp_path):
    report = make_mini_report(tmp_path / "repo")  # vastgesteld, clean, no translation at all
    proc = _abuild("render", str(report), "--lang", "en", "--to", "html", cwd=tmp_path / "repo")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "refused" in proc.stderr and "vastgesteld" in proc.stderr and "untranslated" in proc.stderr
    assert not (tmp_path / "repo" / "build").exists() or not any((tmp_path / "repo" / "build").rglob("*.en.*"))


def test_a_final_edition_with_a_broken_placeholder_is_refused(tmp_path, monkeypatch):
    report = make_mini_report(tmp_path / "repo")

    def all_translated_one_broken(lr, lang, diags):  # a broken entry is shown in Dutch too
        return TranslatedReport(as_translated(lr, lang, diags).report, lang, untranslated=1, broken=1)

    monkeypatch.setattr(translate, "translate_report", all_translated_one_broken)
    result = render_report(report, RenderOptions(formats=("html",), out_dir=tmp_path / "out", lang="en"))
    assert (
        result.refused
        and "1 entry shown in Dutch (untranslated, fuzzy or broken; 1 with broken placeholders)" in result.reason
    )
    assert result.outputs == {} and not (tmp_path / "out").exists()


def test_an_unknown_language_is_a_usage_error(tmp_path):
    proc = _abuild("render", str(tmp_path), "--lang", "xx", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Invalid value for '--lang': 'xx' is not one of 'nl', 'en'" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_command_line_offers_the_languages_the_translation_knows():
    from ambtsbericht_build.cli import render
    from ambtsbericht_build.translate import LANGUAGES

    option = next(p for p in render.params if p.name == "lang")
    assert tuple(option.type.choices) == ("nl", *LANGUAGES)


def test_every_label_has_an_english_wording():
    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        return type(value).__name__

    assert shape(LABELS["en"]) == shape(LABELS["nl"])
