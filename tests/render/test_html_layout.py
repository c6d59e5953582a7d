"""The screen HTML's cues in headless Chromium (pageread #18, #19): a wide
table shows that it scrolls, a figure's full-size link sits below its
caption, and a concept says so on every screenful.

Real renders of the example report (a concept) and the small vastgesteld
report, in Debian's ``chromium``; skipped with a reason when it is missing
(see test_accessibility.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.render.render_outputs import norm
from tests.render.test_accessibility import VIEWPORTS, browser  # noqa: F401 (a fixture)


def _open(browser, html: Path, viewport: str):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    page.goto(html.resolve().as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


def _strips(page, box: dict) -> tuple[float, float]:
    """Mean brightness (0-255) of a 6 px strip at the left and at the right
    edge of ``box`` (relative to the window)."""
    from PIL import Image, ImageStat

    shot = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("L")
    w, h = shot.size

    def brightness(x0: int) -> float:
        mean: float = ImageStat.Stat(shot.crop((x0, 0, x0 + 6, h))).mean[0]
        return mean

    return brightness(0), brightness(w - 6)


def test_a_wide_table_shows_that_it_scrolls(browser, example):
    """320 px (the smallest phone): table 2 is wider than the screen and
    scrolls in its box; a shadow on the side with more table says so (there
    was no cue: the "Totaal" column was just cut off), and moves to the other
    side once the table is scrolled to its end. (At 375 and 390 px it fits.)"""
    page = browser.new_page(viewport={"width": 320, "height": 740})
    page.goto(example["html"].resolve().as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    try:
        scroller = page.locator(".table-figure", has_text="Tabel 2").locator(".table-scroll")
        scroller.scroll_into_view_if_needed()
        assert scroller.evaluate("s => s.scrollWidth > s.clientWidth + 20"), "table 2 is wider than a phone"
        box = scroller.bounding_box()
        # the body rows only: the header row's shade covers the box's background
        head = scroller.locator("thead").bounding_box()
        box = {"x": box["x"], "y": head["y"] + head["height"], "width": box["width"], "height": 60}
        with_cue = _strips(page, box)
        scroller.evaluate("s => { s.dataset.bg = s.style.background; s.style.background = 'none'; }")
        without = _strips(page, box)
        assert without[1] - with_cue[1] > 8, (with_cue, without)  # a shadow at the right edge
        assert abs(without[0] - with_cue[0]) < 2, (with_cue, without)  # none at the start
        scroller.evaluate("s => { s.style.background = s.dataset.bg; s.scrollLeft = s.scrollWidth; }")
        page.wait_for_timeout(100)
        end_cue = _strips(page, box)
        scroller.evaluate("s => { s.style.background = 'none'; }")
        end_without = _strips(page, box)
        assert end_without[0] - end_cue[0] > 8, (end_cue, end_without)  # now at the left edge
        assert abs(end_without[1] - end_cue[1]) < 2, (end_cue, end_without)
    finally:
        page.close()


@pytest.mark.parametrize("width", [375, 390])
def test_a_table_that_can_fit_its_box_fits(browser, example, width):
    """On a phone every table of the example is whole in its scroll box: it
    fits when its narrowest layout (min-content) fits the box (table 2 was 12
    px wider than its box at 390 px, "Totaa" cut), and a table that cannot fit
    can be scrolled to its last column (the box scrolls, its scrollWidth is
    the table's)."""
    page = browser.new_page(viewport={"width": width, "height": 740})
    try:
        page.goto(example["html"].resolve().as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.table-scroll')].map(s => {
              const t = s.querySelector('table');
              const c = t.cloneNode(true);
              c.style.width = 'min-content'; c.style.position = 'absolute'; c.style.visibility = 'hidden';
              s.appendChild(c);
              const narrowest = c.getBoundingClientRect().width;
              c.remove();
              const overflow = getComputedStyle(s).overflowX;
              s.scrollLeft = s.scrollWidth;
              const end = t.getBoundingClientRect().right - s.getBoundingClientRect().right;
              s.scrollLeft = 0;
              return {caption: s.getAttribute('aria-labelledby'), box: s.clientWidth, table: s.scrollWidth,
                      narrowest, overflow, end};
            })"""
        )
        assert len(boxes) >= 3, boxes
        for b in boxes:
            if b["narrowest"] <= b["box"]:
                assert b["table"] <= b["box"], b  # it could fit, so it does: nothing cut
            else:
                assert b["overflow"] in ("auto", "scroll") and b["end"] <= 1, b  # its last column in reach
        if width == 390:  # the page read's phone: table 2 fits (360 px in 371; at 375 px it scrolls)
            assert any(b["caption"] == "caption-2" and b["table"] <= b["box"] for b in boxes), boxes
    finally:
        page.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_full_size_link_is_below_the_caption(browser, example, viewport):
    """The "Figuur 1 op ware grootte" link sat between the map and its
    caption; it belongs below the caption that says what it opens."""
    page = _open(browser, example["html"], viewport)
    try:
        figure = page.locator("figure#fig-kaart")
        caption = figure.locator("figcaption").first
        link = figure.locator("a.figure-enlarge")
        assert norm(link.inner_text()) == "Figuur 1 op ware grootte"
        text_bottom = caption.evaluate(
            """c => { const r = document.createRange(); r.selectNodeContents(c);
                      const a = c.querySelector('a.figure-enlarge'); if (a) r.setEndBefore(a);
                      return r.getBoundingClientRect().bottom + window.scrollY; }"""
        )
        assert link.bounding_box()["y"] >= text_bottom - 0.5
        assert figure.locator("img").bounding_box()["y"] < caption.bounding_box()["y"]
    finally:
        page.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_concept_says_so_on_every_screenful(browser, example, mini, viewport):
    """The concept status was one word under the title; a reader further
    down a long page saw no sign of it. A bar at the top of the window says
    so wherever one is, as a named landmark (screen readers list it), and
    links land below it; a vastgesteld report has none."""
    page = _open(browser, example["html"], viewport)
    try:
        bar = page.get_by_role("complementary", name="Status")
        assert norm(bar.inner_text()) == "CONCEPT dit ambtsbericht is nog niet vastgesteld"
        for where in ("document.body.scrollHeight / 2", "document.body.scrollHeight"):
            page.evaluate(f"window.scrollTo(0, {where})")
            page.wait_for_timeout(100)
            box = bar.bounding_box()
            assert box is not None and abs(box["y"]) < 1, "at the window's top (box: relative to the window)"
            x, y = box["x"] + box["width"] / 2, box["height"] / 2
            assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('.concept-banner') !== null")
        # a link to a section lands below the bar, not under it
        page.evaluate("location.hash = '#sec-politiek'")
        page.wait_for_timeout(100)
        heading = page.locator("#sec-politiek").bounding_box()
        assert heading["y"] >= bar.bounding_box()["height"] - 1
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    finally:
        page.close()
    final = _open(browser, mini["html"], viewport)
    try:
        assert final.locator(".concept-banner").count() == 0
    finally:
        final.close()


def test_toc_is_a_hanging_list_on_a_phone(browser, example):
    """390 px (page read for #11): a title that wraps went on under its
    number ("Olsten" of "1.1.3 Arrestatie en veroordeling van Mira Olsten"
    stood under "1.1.3"). Every line of a title starts right of its number,
    at the same place, and nothing is wider than the window."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(example["html"].resolve().as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        entries = page.evaluate(
            """() => [...document.querySelectorAll('nav.toc li > a')].map(a => {
                const num = a.querySelector('.toc-number'), text = a.querySelector('.toc-text');
                const range = document.createRange();
                range.selectNodeContents(text);
                // one rect per line of the title (per text node and line)
                const lines = [...range.getClientRects()].filter(r => r.width > 0).map(r => [r.left, r.top]);
                return {title: text.textContent, number: num ? num.getBoundingClientRect().right : null,
                        lines, right: a.getBoundingClientRect().right};
            })"""
        )
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert len(entries) > 40
        wrapped = [e for e in entries if len({round(top) for _, top in e["lines"]}) > 1]
        assert wrapped, "no title wraps at 390 px: the test sees nothing"
        for e in entries:
            lefts = [left for left, _ in e["lines"]]
            assert max(lefts) - min(lefts) < 1, f"{e['title']!r}: its lines start at {lefts}"
            if e["number"] is not None:
                assert min(lefts) >= e["number"], f"{e['title']!r} starts left of its number's end"
            assert e["right"] <= width, f"{e['title']!r} is wider than the window"
    finally:
        page.close()


def test_a_url_breaks_after_a_slash_on_a_phone(browser, example):
    """390 px: the source annex broke a URL inside a word ("vbl5|1/8812") and
    could break it at its own hyphen. Every line break inside a URL now falls
    after a slash or before ? # & =, never at a hyphen; inside a part only
    when that part alone is wider than the line ("…-voorbeeldland-20|25")."""
    page = browser.new_page(viewport={"width": 390, "height": 740})
    try:
        page.goto(example["html"].resolve().as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        breaks = page.evaluate(
            """() => [...document.querySelectorAll('.csl-bib-body a[href^="http"]')].map(a => {
              const chars = [];
              const walk = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
              for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                for (let i = 0; i < n.data.length; i++) {
                  const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                  const box = r.getClientRects()[0];
                  if (box) chars.push([n.data[i], box.top]);
                }
              }
              const text = chars.map(c => c[0]).join('');
              const at = [];
              for (let i = 1; i < chars.length; i++) if (chars[i][1] > chars[i - 1][1] + 2) at.push(i);
              return [text, at];
            })"""
        )
        assert len(breaks) > 20, "the example's annex has URLs"
        assert sum(bool(at) for _, at in breaks) >= 5, "some URLs run on to the next line at 390 px"
        for text, at in breaks:
            for i in at:
                where = f"{text[:i]}|{text[i:]}"
                assert text[i - 1] != "-", where  # never at the URL's own hyphen
                if text[i - 1] == "/" or text[i] in "?#&=":
                    continue
                # a break inside a part only as the last resort: the part (from
                # the slash before it) starts its line and is wider than it
                part = max(text.rfind(c, 0, i) for c in "/?#&=") + 1
                assert part == 0 or part in at, where
    finally:
        page.close()
