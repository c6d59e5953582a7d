"""The PDF as a reader and a PDF/UA checker see it (real renders, see conftest)."""

from __future__ import annotations

import re

import pikepdf
import pytest

from tests.render.render_outputs import norm

A4 = (595.28, 841.89)


# --- footnotes --------------------------------------------------------------------------


def test_every_footnote_is_on_the_page_that_calls_it(example_pdf):
    seen_calls: list[int] = []
    for page in example_pdf:
        seen_calls += page.calls
        assert page.calls == page.notes, (
            f"page {page.number}: calls {page.calls} but footnotes {page.notes} at the bottom"
        )
    assert seen_calls == list(range(1, len(seen_calls) + 1)), "notes are numbered 1..N in reading order"


def test_footnote_numbers_restart_nowhere_and_all_are_printed(example_pdf, example_html):
    notes = [n for p in example_pdf for n in p.notes]
    assert notes == list(range(1, len(example_html.notes) + 1))


# --- pages: size, running header, footer, watermark --------------------------------------


def test_pages_are_a4(example):
    with pikepdf.open(example["pdf"]) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            assert (round(x1 - x0, 1), round(y1 - y0, 1)) == (round(A4[0], 1), round(A4[1], 1))


def test_running_header_and_page_x_of_y(example_pdf):
    n = len(example_pdf)
    assert n > 20
    for page in example_pdf[1:]:
        assert f"Pagina {page.number} van {n}" in page.text
        first_line = page.text.splitlines()[0]
        assert first_line.startswith("Algemeen ambtsbericht Voorbeeldland")
        assert first_line.endswith("september 2026")
    cover = example_pdf[0].text
    assert "Pagina 1 van" not in cover, "the cover has no running footer"


def _watermark_pixels(path) -> list[int]:
    """Per page, the pixels of the watermark's pale red (#b00020 at 12 %
    on white: about (246, 224, 228)) in a 36-dpi rendering of the page."""
    import pypdfium2 as pdfium

    counts = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for page in pdf:
            rgb = page.render(scale=0.5).to_pil().convert("RGB").tobytes()
            pale = (rgb[i : i + 3] for i in range(0, len(rgb), 3))
            counts.append(sum(1 for r, g, b in pale if r > 235 and 205 < g < 238 and g < r - 8 and b > g))
    finally:
        pdf.close()
    return counts


def test_concept_watermark_drawn_as_a_shape_not_as_text(example, example_pdf):
    pixels = _watermark_pixels(example["pdf"])
    assert len(pixels) == len(example_pdf)
    # the pale red is counted on white: over a full-width figure (page 6 of the
    # example, the map) it blends with the figure's colours, and is drawn
    # there all the same (test_concept_watermark_is_drawn_over_images)
    hidden = [page.number for page, count in zip(example_pdf, pixels, strict=True) if count < 500]
    assert len(hidden) <= 3, f"no watermark drawn on pages {hidden}"
    for page in example_pdf:
        # a shape, not text: the page's text layer does not start with (or hold) the word
        assert page.big == "", f"page {page.number}: watermark set as text {page.big!r}"
        assert "CONCEPT" not in page.text.splitlines()[0], f"page {page.number}: {page.text.splitlines()[0]!r}"


def test_concept_watermark_is_drawn_over_images(example):
    """The watermark was the page's background, so the map (p. 6) hid it; DOCX
    and ODT put it in front. Now it is the page's last object (a form over
    the page's centre), drawn after every image of the page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(example["pdf"]))
    try:
        with_images = 0
        for number, page in enumerate(pdf, 1):
            w, h = page.get_size()
            objs = list(page.get_objects(max_depth=1))
            marks = [
                i
                for i, o in enumerate(objs)
                if o.type == pdfium_c.FPDF_PAGEOBJ_FORM
                and (b := o.get_bounds())[0] < w / 2 < b[2]
                and b[1] < h / 2 < b[3]
            ]
            images = [i for i, o in enumerate(objs) if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
            assert marks, f"page {number}: no watermark"
            with_images += bool(images)
            assert max(images, default=-1) < marks[-1], f"page {number}: an image over the watermark"
        assert with_images, "the example has a page with an image (the map)"
    finally:
        pdf.close()


def test_no_watermark_when_vastgesteld(mini, mini_pdf):
    for page, count in zip(mini_pdf, _watermark_pixels(mini["pdf"]), strict=True):
        assert page.big == "", f"page {page.number} of a vastgesteld report carries {page.big!r}"
        assert "CONCEPT" not in page.text
        assert count < 50, f"page {page.number} of a vastgesteld report has a watermark ({count} pixels)"


# --- contents, bookmarks, cross-references ------------------------------------------------


def _toc_entries(pages) -> list[tuple[str, int]]:
    out = []
    for page in pages[1:3]:
        for line in page.text.splitlines():
            m = re.match(r"^(.*?)\s*\.{3,}\s*(\d+)$", line)
            if m:
                out.append((m.group(1).strip(), int(m.group(2))))
    return out


def _heading_page(pages, title: str, after: int) -> int | None:
    for page in pages[after:]:
        for text, size in page.lines:
            if size > 11 and norm(text).endswith(title) and len(norm(text)) - len(title) <= 12:
                return page.number
    return None


def test_toc_page_numbers_are_where_the_headings_are(example_pdf):
    entries = _toc_entries(example_pdf)
    assert len(entries) >= 20
    assert entries[0][0] == "Inleiding"
    after = 2
    for label, page_no in entries:
        title = re.sub(r"^(\d+(\.\d+)*|Bijlage \d+)\s*", "", label)
        # from the previous entry's page on: two sections may share a title ("Wettelijk kader")
        assert _heading_page(example_pdf, title, after=after) == page_no, f"TOC says {label!r} is on page {page_no}"
        after = page_no - 1


def test_tor_annex_gives_pdf_page_numbers(example_pdf):
    toc = {re.sub(r"^\d+(\.\d+)*\s*", "", label): n for label, n in _toc_entries(example_pdf)}
    text = " ".join(p.text for p in example_pdf)
    refs = re.findall(r"Beantwoord in: ?(\d+(?:\.\d+)*) ([^()]+?) \(p\. (\d+)\)", norm(text))
    assert len(refs) >= 15
    for number, title, page in refs:
        if title in toc:
            assert toc[title] == int(page), f"ToR says {number} {title} is on p. {page}"
        assert _heading_page(example_pdf, title, after=2) == int(page)


def test_bookmarks_for_chapters_and_annexes(example):
    with pikepdf.open(example["pdf"]) as pdf:
        with pdf.open_outline() as outline:
            top = [item.title for item in outline.root]
            children = sum(len(item.children) for item in outline.root)
    assert top[0] == "Inleiding"
    assert "1 Politieke en veiligheidssituatie" in [norm(t) for t in top]
    assert any(t.startswith("Bijlage 3") for t in top)
    assert children >= 15, "sections are bookmarked under their chapters"


def test_cross_references_and_captions(example_pdf, mini_pdf):
    text = norm(" ".join(p.text for p in example_pdf))
    assert "Figuur 1: Kaart van Voorbeeldland" in text
    assert "Tabel 1: Door ACLED geregistreerde incidenten" in text
    assert "opgenomen als figuur 1." in text
    assert "Tabel 1 geeft het aantal" in text, "a cross-reference that starts a sentence is capitalised"
    mini = norm(" ".join(p.text for p in mini_pdf))
    assert "Tabel 1 geeft cijfers. Zie ook figuur 1 en paragraaf 1.1, of o.a. tabel 1." in mini


def test_table_caption_on_the_same_page_as_its_table(example_pdf):
    for page in example_pdf:
        for m in re.finditer(r"^Tabel (\d+): ", page.text, re.M):
            rest = page.text[m.end() :]
            body = [line for line in rest.splitlines()[1:] if line.strip() and "Pagina" not in line]
            assert len(body) >= 2, f"page {page.number}: caption of tabel {m.group(1)} without its table"


def test_unnumbered_inleiding_and_numbered_chapters(example_pdf):
    toc = [label for label, _ in _toc_entries(example_pdf)]
    assert "Inleiding" in toc and "Samenvatting" in toc
    assert "1 Politieke en veiligheidssituatie" in toc
    assert "1.1 Politieke ontwikkelingen" in toc
    assert not any(re.match(r"\d+ Inleiding", t) for t in toc)


def test_a_url_never_breaks_right_after_its_scheme(example, example_pdf):
    """The page read of issue #11: "https://" alone at a line's end (15 times
    in the example). Every URL is still in the text as written."""
    lines = [line.rstrip() for page in example_pdf for line in page.text.splitlines()]
    assert sum("https://" in line for line in lines) > 10, "the example's source annex has URLs"
    broken = [line for line in lines if re.search(r"https?:/{0,2}$", line)]
    assert not broken, broken[:5]
    assert not any("\u2060" in line for line in lines), "the word joiner is not in the text"


def _urls(html_source: str) -> list[str]:
    return sorted(set(re.findall(r'href="(https?://[^"]+)"', html_source.replace("&amp;", "&"))))


def test_a_url_breaks_only_after_a_slash_never_at_its_hyphen(example_pdf, example_html):
    """The page read: "data-|export-tool" broke at the URL's own hyphen (it
    reads like a word broken at a syllable). Where a URL runs on to the next
    line the line ends after a slash or the next starts with ? # & =."""
    urls = _urls(example_html.source)
    lines = [line.replace("\u200b", "") for page in example_pdf for line, _ in page.lines]
    runs = 0
    for a, b in zip(lines, lines[1:], strict=False):
        if not a.split() or not b.split():
            continue
        tail, head = a.split()[-1], b.split()[0].rstrip(",.;")
        if not head or not any(tail + head in u and len(tail) > 3 for u in urls):
            continue
        runs += 1
        assert tail.endswith("/") or head[0] in "?#&=", (tail, head)
    assert runs >= 5, "the example's annex has URLs that run on to the next line"


def test_a_spaced_dash_never_starts_a_note_line(example_pdf):
    """Notes 138 and 152 of the example had a line start with "– News", "–
    Targeting": a spaced dash stays with the word before it."""
    note_lines = [(page.number, line) for page in example_pdf for line, size in page.lines if size < 9]
    assert any("\u2013" in line for _, line in note_lines), "the notes have spaced dashes"
    starts = [(n, line) for n, line in note_lines if line.startswith(("\u2013", "\u2014"))]
    assert not starts, starts


def test_a_label_stays_with_its_number(example_pdf, example_html):
    """The UK Home Office entry of the annex broke "versie | 2.0": a label
    before a number is tied to it (render/typography.py), in the PDF as in
    the HTML's text."""
    assert "versie\u00a02.0" in example_html.source
    lines = [line for page in example_pdf for line, _ in page.lines]
    label = re.compile(r"(?:^|\s)(?:versie|version|deel|bijlage|hoofdstuk|nr\.|p\.|pp\.|art\.)$")
    split = [(a, b) for a, b in zip(lines, lines[1:], strict=False) if label.search(a) and re.match(r"\d", b)]
    assert not split, split


# --- PDF/UA: tags, language, metadata, fonts ------------------------------------------------


@pytest.fixture(scope="module")
def pdf(example):
    with pikepdf.open(example["pdf"]) as p:
        yield p


def test_tagged_pdf(pdf):
    root = pdf.Root
    assert "/StructTreeRoot" in root
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == "nl-NL"


def test_title_metadata(pdf):
    assert str(pdf.docinfo.get("/Title")) == "Algemeen ambtsbericht Voorbeeldland"
    with pdf.open_metadata() as meta:
        assert "Algemeen ambtsbericht Voorbeeldland" in str(meta.get("dc:title"))
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def _fonts(pdf):
    seen = {}

    def visit(res):
        if res is None or "/Font" not in res:
            return
        for _, font in res.Font.items():
            seen[font.objgen] = font
        for _, xobj in (res.get("/XObject") or {}).items():
            visit(xobj.get("/Resources"))

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return list(seen.values())


def test_every_font_is_embedded_and_is_noto_sans(pdf):
    fonts = _fonts(pdf)
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        desc = (descendants[0] if descendants else font).get("/FontDescriptor")
        assert desc is not None, f"{font.get('/BaseFont')} has no descriptor"
        assert "/FontFile2" in desc or "/FontFile3" in desc, f"{font.get('/BaseFont')} is not embedded"
    names = {str(f.get("/BaseFont")) for f in fonts}
    assert all("NotoSans" in name.replace("-", "") for name in names), names


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tor_annex_page_reference_ties_p_to_its_number(lang):
    """The ToR annex's "(p. 16)" is CSS generated content (a placeholder whose
    number render/page_numbers.py writes after the layout), which the
    typography pass never sees: the print CSS writes the no-break space
    itself. (The PDF's text cannot show it: the font's one space glyph maps
    back to U+0020.)"""
    from types import SimpleNamespace

    from ambtsbericht_build.render.formats.pdf import print_css

    facts = SimpleNamespace(lang=lang, month_year="mei 2026", meta=SimpleNamespace(title="T", draft=False), headings=[])
    rule = next(line for line in print_css(facts).splitlines() if line.startswith("a.tor-ref::after"))
    assert re.search(r'"p\." "\\a0" \'000\'', rule), rule
