"""The TOC's page numbers and dot leaders written after one layout
(render/page_numbers.py, render/weasy_leaders.py): the same glyphs at the
same places as WeasyPrint's own ``target-counter()`` and ``leader()`` but the
dots, without laying any page out twice; the dots at the same distance from
the title and from the page number on every line (docs/house-style.md).
Small documents built here, laid out directly, and the example's TOC."""

from __future__ import annotations

import re

import pytest

weasyprint = pytest.importorskip("weasyprint")
pdfium = pytest.importorskip("pypdfium2")

from weasyprint.layout import page as weasy_page  # noqa: E402

from ambtsbericht_build.render import page_numbers, pdf, weasy_leaders  # noqa: E402

CSS = (
    "@page { size: A5; margin: 15mm; @bottom-center { content: counter(page); } }"
    "h1 { break-before: page; font-size: 14pt; } nav.toc a { text-decoration: none; color: inherit; }"
    "nav.toc ol { list-style: none; padding: 0; } nav.toc .toc-number { display: inline-block; min-width: 3em; }"
)
WEASY_OWN = (
    "nav.toc a::after { content: leader('..') target-counter(attr(href), page); }"
    ".colofon .page-count::after { content: target-counter(attr(data-target), page); }"
)


def _html(sections: int, own: bool) -> str:
    """A colofon with the number of pages, a TOC of ``sections`` entries (some
    titles long enough to wrap) and a chapter a page for each, some longer."""
    toc = "".join(
        f'<li><a href="#s{i}"><span class="toc-number">{i}</span> <span class="toc-text">'
        f"{'Een hoofdstuk met een titel die over twee regels van de inhoudsopgave loopt ' if i % 5 == 0 else ''}"
        f"Hoofdstuk {i}</span></a></li>"
        for i in range(1, sections + 1)
    )
    body = "".join(
        f'<h1 id="s{i}">Hoofdstuk {i}</h1>'
        + "<p>Tekst van de paragraaf, lang genoeg voor een regel.</p>" * (1 + 12 * (i % 3))
        for i in range(1, sections + 1)
    )
    css = CSS + (WEASY_OWN if own else page_numbers.print_css())
    return (
        f"<html lang='nl'><head><style>{css}</style></head><body>"
        '<section class="colofon"><p>Aantal pagina’s <span class="page-count" data-target="#einde"></span></p>'
        "</section>"
        f'<nav class="toc"><ol>{toc}</ol></nav><main>{body}</main><div id="einde"></div></body></html>'
    )


def _chars(path) -> list[tuple[str, list[tuple[float, ...]]]]:
    """Per page, its text and every character's box."""
    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in doc:
            tp = page.get_textpage()
            boxes = [tuple(tp.get_charbox(i)) for i in range(tp.count_chars())]
            out.append((tp.get_text_range(), boxes))
        return out
    finally:
        doc.close()


@pytest.fixture
def remakes(monkeypatch):
    """The page indexes WeasyPrint lays out, in order (a page twice: laid out again)."""
    made: list[int] = []
    original = weasy_page.remake_page

    def counted(index, *args):
        made.append(index)
        return original(index, *args)

    monkeypatch.setattr(weasy_page, "remake_page", counted)
    return made


def test_same_pages_as_weasyprints_own_numbers_and_leaders_each_page_laid_out_once(tmp_path, remakes):
    own = tmp_path / "own.pdf"
    weasy_leaders.remove()
    fetcher = pdf.LocalOnlyFetcher([])
    with pdf.package_fonts_only():
        pdf._layout(_html(30, own=True), fetcher).write_pdf(str(own))
    assert len(remakes) > len(set(remakes)), "WeasyPrint's target-counter() lays the TOC's pages out again"
    remakes.clear()

    weasy_leaders.apply()
    ours = tmp_path / "ours.pdf"
    pdf.html_to_pdf(_html(30, own=False), ours)
    assert sorted(remakes) == sorted(set(remakes)), f"pages laid out twice: {sorted(remakes)}"

    expected, got = _chars(own), _chars(ours)
    assert len(got) == len(expected) > 30
    assert f"Aantal pagina’s {len(got)}" in got[0][0]
    toc = [line for text, _ in got[:3] for line in text.splitlines() if "....." in line]
    assert len(toc) >= 25 and toc[-1].rstrip().endswith((f" {len(got)}", f".{len(got)}"))
    for number, (want, have) in enumerate(zip(expected, got, strict=True), start=1):
        # the dots are set otherwise (test_leader_gaps_...): the rest is the same
        assert _no_dots(have[0]) == _no_dots(want[0]), f"page {number}: text differs"
        want_boxes, have_boxes = _not_dots(*want), _not_dots(*have)
        assert len(have_boxes) == len(want_boxes)
        # the same place to within 0.02 pt
        moved = [
            i
            for i, (a, b) in enumerate(zip(have_boxes, want_boxes, strict=True))
            if max(map(abs, map(float.__sub__, a, b))) > 0.02
        ]
        assert not moved, f"page {number}: characters {moved[:5]} stand elsewhere"
    # the dots: WeasyPrint's grid put the first 0 to 5.8 pt after its title
    gaps = _leader_gaps(ours, range(3))
    assert len(gaps) >= 25
    _check_gaps(gaps, 12)  # the test page's default font size, 16 px


_DOTS = re.compile(r"\.{3,}")
# with the space pdfium puts in a gap before or after them
_LEADER = re.compile(r" ?\.{3,} ?")


def _no_dots(text: str) -> str:
    return _LEADER.sub("…", text)


def _not_dots(text: str, boxes: list) -> list:
    """The boxes of the characters that are not in a run of leader dots."""
    dots = {i for m in _LEADER.finditer(text) for i in range(m.start(), m.end())}
    return [b for i, b in enumerate(boxes) if i not in dots]


def _leader_gaps(path, pages) -> list[tuple[str, float, float]]:
    """(the line's text, title to first dot, last dot to page number) in pt, for
    each TOC line with a leader on ``pages``: from the characters' advance
    boxes (pdfium's loose boxes), so a glyph's own shape does not count."""
    doc = pdfium.PdfDocument(str(path))
    out = []
    try:
        for index in pages:
            tp = doc[index].get_textpage()
            text = tp.get_text_range()
            for m in _DOTS.finditer(text):
                first, last = m.start(), m.end() - 1
                # pdfium puts a space of its own in a gap: the letters around it
                before = tp.get_charbox(len(text[:first].rstrip()) - 1, loose=True)
                after = tp.get_charbox(last + 1 + len(text[last + 1 :]) - len(text[last + 1 :].lstrip()), loose=True)
                line = text[text.rfind("\n", 0, first) + 1 : text.find("\r", last)]
                out.append(
                    (
                        line,
                        tp.get_charbox(first, loose=True)[0] - before[2],
                        after[0] - tp.get_charbox(last, loose=True)[2],
                    )
                )
    finally:
        doc.close()
    return out


def _check_gaps(gaps: list[tuple[str, float, float]], font_pt: float) -> None:
    gap = weasy_leaders.GAP * font_pt
    # the dots' start is exact; their end drifts by up to 1/1000 em a dot
    # (the PDF's glyph advances are whole thousandths of an em, truncated)
    # (0.1 pt, and 0.5 pt after an "f", whose box pdfium makes wider than its advance)
    uneven = [(line, round(a, 2)) for line, a, _ in gaps if abs(a - gap) > (0.5 if "f ." in line else 0.1)]
    assert not uneven, f"first dot not {gap:.2f} pt after the title: {uneven[:5]}"
    uneven = [(line, round(b, 2)) for line, _, b in gaps if not gap - 0.2 < b < gap + 1.5]
    assert not uneven, f"last dot not {gap:.2f} pt before the page number: {uneven[:5]}"


def test_the_example_tocs_leader_gaps(example):
    # the example's TOC (page read for #11): 0.03 pt after "1.2
    # Veiligheidssituatie", 5.5 pt after "2.1.4 Mensenrechtenverdedigers"
    gaps = _leader_gaps(example["pdf"], range(1, 4))
    assert len(gaps) >= 60
    _check_gaps(gaps, 10.5)


def test_a_leader_is_one_text_box_a_line(tmp_path):
    weasy_leaders.apply()
    fetcher = pdf.LocalOnlyFetcher([])
    with pdf.package_fonts_only():
        document = pdf._layout(_html(12, own=False), fetcher)
    leaders = []
    stack = [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        if getattr(box, "is_leader", False):
            leaders.append(box)
        stack.extend(getattr(box, "children", None) or ())
    assert len(leaders) >= 12
    assert all(len(box.children) == 1 for box in leaders), [len(b.children) for b in leaders]
    assert sum(len(box.children[0].text) > 20 for box in leaders) >= 10


def test_over_the_placeholders_width_the_document_is_laid_out_again(tmp_path, monkeypatch):
    # one digit of room: the 12-page document's numbers need two, as 1,000 pages need four
    monkeypatch.setattr(page_numbers, "DIGITS", 1)
    html = _html(10, own=False).replace(page_numbers.print_css(3), page_numbers.print_css(1))
    out = tmp_path / "wide.pdf"
    pdf.html_to_pdf(html, out)
    pages = _chars(out)
    assert len(pages) >= 10
    assert f"Aantal pagina’s {len(pages)}" in pages[0][0]
    toc = [line for line in pages[0][0].splitlines() + pages[1][0].splitlines() if "...." in line]
    assert toc[-1].rstrip().endswith((f" {len(pages)}", f".{len(pages)}")), toc[-1]


def test_unsupported_weasyprint_stops_instead_of_laying_out_unpatched(monkeypatch):
    from weasyprint.layout import inline

    from ambtsbericht_build.tools import PatchVersionError

    assert weasyprint.__version__ in weasy_leaders.SUPPORTED
    weasy_leaders.remove()
    monkeypatch.setattr(weasyprint, "__version__", "70.1")
    with pytest.raises(PatchVersionError, match=r"WeasyPrint 70\.0, but WeasyPrint 70\.1 is installed"):
        weasy_leaders.apply()
    assert not weasy_leaders.enabled() and inline.handle_leader is weasy_leaders._original


def test_footer_and_text_references_as_weasyprints_own_counters(tmp_path):
    """The footer's "Pagina 7 van 12" and the terms of reference's "(p. 3)"
    written over placeholders (so a part of the document can be laid out
    before its first page number is known: render/pdf_parts.py) give the
    glyphs at the places WeasyPrint's own ``counter()`` and
    ``target-counter()`` give them: the footer centred on its new width,
    and the text after a reference moved up to it (a one-digit number in a
    three-digit placeholder left a gap before "(geen informatie gevonden)")."""
    footer = "@page {{ @bottom-center {{ content: 'Pagina ' {} ' van ' {}; }} }}"
    ref = "a.tor-ref::after {{ content: ' (p.\\a0' {} ')'; font-variant-numeric: tabular-nums; }}"
    own = footer.format("counter(page)", "counter(pages)") + ref.format("target-counter(attr(href), page)")
    ours = footer.format("'000'", "'000'") + ref.format("'000'")
    refs = "".join(
        f'<p>Zie <a class="tor-ref" href="#s{i}">{i} Hoofdstuk</a> (geen informatie) en verder.</p>' for i in (1, 3, 10)
    )
    got = []
    for css in (own, ours):
        html = (
            _html(12, own=False)
            .replace("</main>", f"<h1>Bijlage</h1>{refs}</main>")
            .replace("</style>", css + "</style>")
        )
        out = tmp_path / f"{len(got)}.pdf"
        pdf.html_to_pdf(html, out)
        got.append(_chars(out))
    want, have = got
    assert len(have) == len(want) >= 12
    last = have[-1][0].replace("\xa0", " ")
    assert "Pagina 2 van " in have[1][0] and "(p. 2) (geen informatie) en verder." in last, last
    for n, ((text_want, boxes_want), (text_have, boxes_have)) in enumerate(zip(want, have, strict=True), start=1):
        assert text_have == text_want, f"page {n}"
        far = [
            (a, b)
            for a, b in zip(boxes_want, boxes_have, strict=True)
            if max(map(abs, map(float.__sub__, a, b))) > 0.05
        ]
        assert far == [], f"page {n}: {len(far)} characters elsewhere, e.g. {far[:2]}"
