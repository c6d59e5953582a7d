"""AB506: an abbreviation the list of abbreviations does not explain.

The example report named its requester "Ministerie van Justitie en
Veiligheid (IND, TOELT)" and its glossary listed IND only (page read for
issue #11); it also wrote "UK Home Office" without UK in the list."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check.abbreviations import abbreviations_in
from ambtsbericht_build.commands.check import CheckOptions, check_reports
from tests.fixtures.report_kit import CHAPTER, make_report

EXAMPLE = Path(__file__).resolve().parents[2] / "reports" / "voorbeeldland"


def _ab506(report) -> list[tuple[str, int, int, str]]:
    return [(Path(d.file).name, d.line, d.column, d.message.split("'")[1]) for d in report.check() if d.code == "AB506"]


def test_an_abbreviation_missing_from_the_glossary_is_reported_once_where_first_used(tmp_path):
    r = make_report(tmp_path)
    r.write("glossary.yaml", "VN: Verenigde Naties\nLHBTIQ+: lesbische, homoseksuele, ... personen\n")
    r.write(
        CHAPTER,
        """
        # Politiek {#h-politiek}

        ## Verkiezingen {#sec-verkiezingen tor="1.1"}

        De VN en de NKC meldden het.[@hrw-2025] Een VN-organisatie en LHBTIQ-personen ook.[@hrw-2025]

        ## Veiligheid {#sec-veiligheid tor="1.2"}

        Volgens de NKC in deel II en XIV, `SELECT` en [tekst](https://x.example/ABC){.XYZ} niet.[@hrw-2025, p. 4]^[De
        NGO's en de NKC zeiden het ook.]

        ::: intern
        Vraag de QRS om bevestiging.
        :::
        """,
    )
    assert _ab506(r) == [("02-politiek.md", 5, 13, "NKC"), ("02-politiek.md", 10, 1, "NGO")]


def test_the_requester_in_the_tor_is_read_too(tmp_path):
    # the example's tor.yaml:3 "requested_by: Ministerie van Justitie en Veiligheid (IND, TOELT)"
    r = make_report(tmp_path)
    r.write("glossary.yaml", "IND: Immigratie- en Naturalisatiedienst\n")
    tor = r.path("tor.yaml").read_text(encoding="utf-8")
    old = "requested_by: Ministerie van Justitie en Veiligheid\n"
    r.write("tor.yaml", tor.replace(old, old[:-1] + " (IND, TOELT)\n"), dedent_text=False)
    line = tor[: tor.index(old)].count("\n") + 1
    column = len("requested_by: Ministerie van Justitie en Veiligheid (IND, ") + 1
    assert _ab506(r) == [("tor.yaml", line, column, "TOELT")]


def test_the_example_report_explains_every_abbreviation_it_uses():
    diags = check_reports([EXAMPLE], CheckOptions()).sorted()
    assert [d for d in diags if d.code == "AB506"] == []


# what the rule must never read as an abbreviation: code, a link's target,
# a citation, attributes, a Roman numeral, a word that is not all capitals
NOT_TEXT = st.sampled_from(
    [
        "`ABC`",
        "[zie](https://x.example/ABC)",
        "<https://ABC.example/DEF>",
        "[@ABC-2025, p. 4]",
        "{#sec-ABC .XYZ}",
        "II",
        "XIV",
        "Amsterdam",
        "ABCdef",
        "@ABC",
        "ABC@DEF.example",
    ]
)
WORD = st.sampled_from(["de", "het", "rapport", "2025", "VN", "(", ")", ",", "-", "."])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(NOT_TEXT, WORD), max_size=12), st.lists(st.one_of(NOT_TEXT, WORD), max_size=12))
def test_an_abbreviation_is_found_where_it_is_and_nowhere_else(before, after):
    text = " ".join(before)
    found = [a for _, a in abbreviations_in(text)]
    assert set(found) <= {"VN"}  # nothing in code, links, citations, attributes; no Roman numeral
    head = text + " " if text else ""
    text = head + "QZX " + " ".join(after)
    assert (len(head), "QZX") in list(abbreviations_in(text))
