"""The screen HTML in headless Chromium: the house font, note calls, wide
tables and figures on a phone, and printing from the browser.

Real renders (the example report, or a small report made here), opened in
Debian's ``chromium`` (``make browser``); skipped with a reason when it is
missing, a failure in CI (see test_accessibility.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from tests.fixtures.report_kit import make_report
from tests.render.render_outputs import Html, norm
from tests.render.test_accessibility import ARGS, CHROMIUM, VIEWPORTS, _missing, browser  # noqa: F401 (a fixture)


def _open(browser, html: Path, viewport: str):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(html.resolve().as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


# --- the house font ---------------------------------------------------------------------------

# elements whose own text must be set in the embedded font (CDP reports the
# fonts of an element's child text nodes)
FONT_SELECTORS = "main p, main h1, main h2, main h3, main em, main strong, main td, main th, main figcaption, .cover p"


def test_text_is_set_in_the_embedded_house_font(browser, example):
    """Every face loads under the page's Content-Security-Policy, and the
    text is drawn with the embedded Noto Sans, not a font of the machine."""
    page = _open(browser, example["html"], "desktop")
    try:
        faces = page.evaluate(
            """() => Promise.all([...document.fonts].map(f => f.load().then(
                   () => [f.family, f.style, f.weight, f.status], e => [f.family, f.style, f.weight, String(e)])))"""
        )
        assert sorted(faces) == [
            ["Abuild Noto Sans", "italic", "400", "loaded"],
            ["Abuild Noto Sans", "italic", "700", "loaded"],
            ["Abuild Noto Sans", "normal", "400", "loaded"],
            ["Abuild Noto Sans", "normal", "700", "loaded"],
        ], faces
        # the back links' arrow (U+21A9) is not in Noto Sans (fonts/README.md:
        # no arrows), so the browser takes it from a font of its own
        page.evaluate("document.querySelectorAll('a.footnote-back').forEach(a => a.remove())")
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": FONT_SELECTORS})["nodeIds"]
        assert len(nodes) > 300
        used: dict[tuple[str, bool], int] = {}
        for node in nodes:
            for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                key = (f["familyName"], f["isCustomFont"])
                used[key] = used.get(key, 0) + f["glyphCount"]
        assert list(used) == [("Noto Sans", True)], used
    finally:
        page.close()


# --- note calls -------------------------------------------------------------------------------

# the top of each line of a paragraph (its own text, not the note calls), in px
LINE_TOPS = """
p => {
  const tops = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t.parentElement.closest('sup') || !t.textContent.trim()) continue;
    const r = document.createRange();
    r.selectNodeContents(t);
    for (const rect of r.getClientRects()) tops.push(rect.top);
  }
  tops.sort((a, b) => a - b);
  const lines = tops.filter((v, i) => i === 0 || v - tops[i - 1] > 1);
  return {lines, lineHeight: parseFloat(getComputedStyle(p).lineHeight), height: p.getBoundingClientRect().height};
}
"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_note_calls_do_not_push_lines_apart(browser, example, viewport):
    """In a paragraph with note calls every line is one line-height below
    the one before, and the paragraph is exactly its lines high."""
    page = _open(browser, example["html"], viewport)
    try:
        paras = page.locator("main p:has(a.footnote-ref)")
        count = paras.count()
        assert count > 50
        bad = []
        for i in range(count):
            m = paras.nth(i).evaluate(LINE_TOPS)
            gaps = [b - a for a, b in zip(m["lines"], m["lines"][1:], strict=False)]
            uneven = any(abs(g - m["lineHeight"]) > 0.5 for g in gaps)
            if uneven or abs(m["height"] - len(m["lines"]) * m["lineHeight"]) > 1:
                bad.append((i, round(m["lineHeight"], 2), [round(g, 2) for g in gaps], round(m["height"], 2)))
        assert not bad, f"{len(bad)} paragraph(s) with uneven lines (index, line-height, gaps, height): {bad[:5]}"
    finally:
        page.close()


# --- a wide table on a phone ----------------------------------------------------------------

WIDE_TABLE = """\
# Politiek en veiligheid {#h-politiek}

## Verkiezingen {#sec-verkiezingen tor="1.1"}

Op 1 maart 2025 vonden in Testland verkiezingen plaats.[@hrw-2025]

| Provincie | Referendum | Verkiezingen | Demonstraties | Arrestaties | Veroordelingen | Vrijgelaten | Totaal |
|-----------|-----------:|-------------:|--------------:|------------:|---------------:|------------:|-------:|
| Havenstad | 412 | 318 | 1200 | 730 | 120 | 610 | 3390 |
| Noordkust | 96 | 71 | 300 | 167 | 30 | 137 | 801 |

: Arrestaties en veroordelingen per provincie en per gebeurtenis [@hrw-2025] {#tbl-breed}

## Veiligheid {#sec-veiligheid tor="1.2"}

Een vertrouwelijke bron meldde gevechten in het noorden (zie [](#tbl-breed)).[@vb-2025-11-04]
"""


@pytest.fixture(scope="module")
def wide_html(tmp_path_factory) -> Path:
    report = make_report(tmp_path_factory.mktemp("wide"))
    report.chapter(WIDE_TABLE)
    result = render_report(report.dir, RenderOptions(out_dir=report.root / "out", formats=("html",)))
    assert not result.refused, result.diagnostics
    return result.outputs["html"]


def test_wide_table_caption_stays_in_view_on_a_phone(browser, wide_html):
    """375 px: the table scrolls sideways (by keyboard too), its caption
    does not move with it, and the page itself does not scroll sideways."""
    page = _open(browser, wide_html, "phone")
    try:
        table = page.locator("main table").first
        scroller = table.evaluate_handle(
            """t => { let s = t;
                      while (s && !(s.scrollWidth > s.clientWidth + 1 && getComputedStyle(s).overflowX !== 'visible'))
                        s = s.parentElement;
                      return s; }"""
        )
        assert scroller.evaluate("s => s !== null && s !== document.documentElement && s !== document.body"), (
            "the table must scroll in a box of its own"
        )
        caption = page.locator("main caption, main figcaption").first
        assert norm(caption.inner_text()).startswith("Tabel 1: Arrestaties en veroordelingen")
        scroller.evaluate("s => s.focus()")
        assert scroller.evaluate("s => s === document.activeElement"), "the scrolling box takes keyboard focus"
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        assert scroller.evaluate("s => s.scrollLeft") > 0, "the keyboard scrolls the table"
        scroller.evaluate("s => { s.scrollLeft = s.scrollWidth; }")
        box = caption.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375 + 1, box
        seen = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).closest('caption, figcaption') !== null",
            [box["x"] + 10, box["y"] + box["height"] / 2],
        )
        assert seen, "the caption is not covered or clipped"
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
        name = scroller.evaluate("s => document.getElementById(s.getAttribute('aria-labelledby'))?.textContent")
        assert name and "Tabel 1" in name, "the scrolling box is named by the caption"
    finally:
        page.close()


def test_cross_reference_to_a_table_lands_on_its_caption(wide_html):
    doc = Html(wide_html)
    link = doc.xpath("//main//a[@href='#tbl-breed']")[0]
    target = doc.xpath("//*[@id='tbl-breed']")[0]
    assert norm(link.text_content()) == "tabel 1"
    assert norm(target.xpath(".//figcaption | .//caption")[0].text_content()).startswith("Tabel 1:")


# --- figures at full size ---------------------------------------------------------------------


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_figure_opens_at_full_size_by_keyboard(browser, example, viewport):
    """A link under the figure opens its image at its own size over the
    page, within the page (no URL of its own, no script); Tab then reaches
    the link back, which closes it."""
    page = _open(browser, example["html"], viewport)
    try:
        figure = page.locator("figure#fig-kaart")
        img = figure.locator("img")
        natural = img.evaluate("i => i.naturalWidth")
        assert natural == 1200
        assert img.bounding_box()["width"] < 800  # in the text: the column's width
        opener = figure.locator("a", has_text="op ware grootte")
        assert opener.count() == 1, "a link opens the figure at full size"
        assert norm(opener.inner_text()) == "Figuur 1 op ware grootte"
        assert opener.get_attribute("href").startswith("#")
        opener.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        assert abs(img.bounding_box()["width"] - natural) < 1, "the image is shown at its own size"
        box = figure.bounding_box()
        vp = VIEWPORTS[viewport]
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, vp["width"], vp["height"])
        page.keyboard.press("Tab")
        back = page.evaluate("document.activeElement.textContent")
        assert back == "Terug naar de tekst"
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        assert page.evaluate("location.hash") == "#fig-kaart"
        assert img.bounding_box()["width"] <= vp["width"]
    finally:
        page.close()


# --- printing from the browser ------------------------------------------------------------------


def _pdf_lines(pdf_path: Path) -> list[list[str]]:
    """The text lines of each page, top to bottom, spaces removed (pypdfium2
    character boxes: a character whose middle lies within a line's height
    belongs to it, so a raised note call joins its line)."""
    import pypdfium2 as pdfium

    pages = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for page in pdf:
            tp = page.get_textpage()
            chars = []
            for i in range(tp.count_chars()):
                ch = tp.get_text_range(i, 1)
                if ch.strip():
                    left, bottom, _right, top = tp.get_charbox(i, loose=True)
                    chars.append(((bottom + top) / 2, bottom, top, left, ch))
            lines: list[list] = []  # [bottom, top, [(left, ch)]]
            for middle, bottom, top, left, ch in sorted(chars, reverse=True):
                if lines and lines[-1][0] <= middle <= lines[-1][1]:
                    line = lines[-1]
                    line[0], line[1] = min(line[0], bottom), max(line[1], top)
                    line[2].append((left, ch))
                else:
                    lines.append([bottom, top, [(left, ch)]])
            pages.append(["".join(c for _, c in sorted(line[2])) for line in lines])
    finally:
        pdf.close()
    return pages


@pytest.fixture(scope="module")
def printed(example, tmp_path_factory) -> list[list[str]]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found: `make browser` installs Debian's chromium")
    out = tmp_path_factory.mktemp("print") / "printed.pdf"
    subprocess.run(
        [str(CHROMIUM), *ARGS, "--no-pdf-header-footer", f"--print-to-pdf={out}", example["html"].resolve().as_uri()],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return _pdf_lines(out)


def test_printed_pages_are_numbered(printed):
    total = len(printed)
    assert total > 20
    for n, lines in enumerate(printed, 1):
        assert lines[-1].replace(" ", "") == f"Pagina{n}van{total}", (n, lines[-3:])


def test_printed_headings_stay_with_their_text(printed, example_html, browser, example):
    page = _open(browser, example["html"], "desktop")
    try:
        page.emulate_media(media="print")
        breaks = page.locator("main h2, main h3, main figcaption").evaluate_all(
            "els => els.map(e => getComputedStyle(e).breakAfter)"
        )
        assert set(breaks) == {"avoid"}, set(breaks)
    finally:
        page.close()
    headings = {
        norm(h.text_content()).replace(" ", "") for h in example_html.xpath("//main//h1 | //main//h2 | //main//h3")
    }
    stranded = []
    for n, lines in enumerate(printed, 1):
        body = lines[:-1]  # without the page number
        for k in (1, 2):
            if len(body) > k and "".join(body[-k:]) in headings:
                stranded.append((n, body[-k:]))
    assert not stranded, stranded


def test_printed_captions_stay_with_their_tables(printed, example_html):
    checked = 0
    for fig in example_html.xpath("//main//figure[contains(@class,'table-figure')] | //main//table[caption]"):
        caption = norm(fig.xpath(".//figcaption | .//caption")[0].text_content()).replace(" ", "")[:20]
        first_cell = norm(fig.xpath(".//th | .//td")[0].text_content()).replace(" ", "")
        pages = [n for n, lines in enumerate(printed) if any(line.startswith(caption) for line in lines)]
        assert len(pages) == 1, (caption, pages)
        lines = printed[pages[0]]
        at = next(i for i, line in enumerate(lines) if line.startswith(caption))
        assert any(first_cell in line for line in lines[at + 1 :]), f"{caption}: printed without its table"
        checked += 1
    assert checked >= 2


# --- the notes in the document outline ---------------------------------------------------------


def test_notes_are_a_part_of_their_own(example_html):
    """The notes heading has the rank of the annexes' headings: it is not a
    subsection of the last annex in the outline a screen reader lists."""
    main = example_html.xpath("//main")[0]
    notes = main.xpath("./section[contains(@class,'footnotes')]")
    assert len(notes) == 1
    heading = notes[0][0]
    assert heading.tag == "h1" and norm(heading.text_content()) == "Noten"
    outline = [(h.tag, norm(h.text_content())) for h in main.xpath(".//h1 | .//h2 | .//h3")]
    assert outline[-1] == ("h1", "Noten")
    assert [text for tag, text in outline if tag == "h1"][-2:] == ["Bijlage 3 Terms of Reference", "Noten"]
