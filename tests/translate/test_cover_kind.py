"""The cover's kind line (report.html.j2, the DOCX and ODT subtitle): printed
only when the title does not say the kind already, in the edition's words
(the English example's title "General country of origin report Voorbeeldland"
stood under a "General country report" line)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ambtsbericht_build.render.labels import labels, title_says_kind

WORDS = st.text(st.characters(categories=("L", "Zs")), max_size=20)


@given(before=WORDS, after=WORDS, lang=st.sampled_from(["nl", "en"]), kind=st.sampled_from(["algemeen", "kort"]))
def test_a_title_saying_the_kind_in_any_case_or_wording_gets_no_kind_line(before, after, lang, kind):
    label = labels(lang)["kind"][kind]
    for said in (label, *labels(lang)["kind_in_title"][kind]):
        for case in (said, said.upper(), said.lower(), said.title()):
            assert title_says_kind(f"{before}{case}{after}", label, lang)


def test_a_title_without_the_kind_gets_the_line():
    assert not title_says_kind("Voorbeeldland", "General country report", "en")
    assert not title_says_kind("Voorbeeldland", "Algemeen ambtsbericht", "nl")
    # another kind's words say nothing of this one
    assert not title_says_kind("Short country of origin report Voorbeeldland", "General country report", "en")
    assert not title_says_kind("Kort ambtsbericht Voorbeeldland", "Algemeen ambtsbericht", "nl")
    assert title_says_kind("General country of origin report Voorbeeldland", "General country report", "en")
