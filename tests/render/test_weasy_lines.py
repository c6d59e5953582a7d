"""No word alone on a line because of a run's trailing space (issue #11:
"Voorbeeldland: UN" | "experts alarmed ..." in the PDF's source annex)."""

import pytest

weasyprint = pytest.importorskip("weasyprint")

from ambtsbericht_build.house_style import template_path  # noqa: E402
from ambtsbericht_build.render import weasy_lines  # noqa: E402

# the OHCHR entry of the example's source annex, as the print HTML has it
# (from its second line on)
ENTRY = (
    "UN experts alarmed"
    " by surge in death sentences, OHCHR – Press releases, 10\u00a0februari\u00a02026, "
    '<a href="https://www.ohchr.org/en/press-releases/2026/02/voorbeeldland-death-sentences">'
    "https://\u2060www.ohchr.org/en/press-releases/2026/02/voorbeeldland-death-sentences</a>,"
    " geraadpleegd op 11\u00a0februari\u00a02026."
)


def _lines(width: float) -> list[str]:
    html = (
        '<html lang="nl"><head><link rel="stylesheet" href="fonts.css"><style>@page { size: 30cm 10cm; margin: 0 }'
        ' body { font: 10pt/1.5 "Abuild Noto Sans"; margin: 0 }'
        f" div {{ width: {width}px; overflow-wrap: anywhere }}"
        f"</style></head><body><div>{ENTRY}</div></body></html>"
    )
    page = weasyprint.HTML(string=html, base_url=template_path("fonts").as_uri() + "/").render().pages[0]
    lines: list[str] = []

    def walk(box) -> None:
        if type(box).__name__ == "LineBox":
            lines.append("".join(t.text for t in box.descendants() if hasattr(t, "text")).strip())
            return
        for child in getattr(box, "children", []):
            walk(child)

    walk(page._page_box)
    return lines


# widths around the run "UN ... 2026," (577.5 px at 10 pt), in steps finer
# than a space (3.6 px): at some the run ends within a space of the line's end
# (WeasyPrint alone: "UN" alone at 575-577 px)
WIDTHS = [570 + 1.0 * k for k in range(12)]


def test_no_lone_first_word_before_a_link():
    weasy_lines.remove()
    try:
        before = {w: _lines(w) for w in WIDTHS}
        assert weasy_lines.apply(), "the patch targets the pinned WeasyPrint version"
        assert weasy_lines.enabled()
        after = {w: _lines(w) for w in WIDTHS}
    finally:
        weasy_lines.apply()
    # WeasyPrint alone leaves "UN" on a line of its own at some width (the bug)
    assert any("UN" in lines for lines in before.values()), before
    for w, lines in after.items():
        assert "UN" not in lines, (w, lines)
        # the same words, in the same order, only broken elsewhere
        assert " ".join(lines).split() == " ".join(before[w]).split()
        assert len(lines) <= len(before[w])
