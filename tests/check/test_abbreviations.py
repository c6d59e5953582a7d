"""AB506: an abbreviation the list of abbreviations does not explain.

The example report named its requester "Ministerie van Justitie en
Veiligheid (IND, TOELT)" and its glossary listed IND only (page read for
issue #11); it also wrote "UK Home Office" without UK in the list."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ambtsbericht_build.check.abbreviations import abbreviations_in, terms_pattern
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
    # between words in lower case: not in a run of words in capitals (a heading)
    head = text + " de " if text else "de "
    text = head + "QZX de " + " ".join(after)
    assert (len(head), "QZX") in list(abbreviations_in(text))


LONG = 40_000  # the quadratic scan took 4 s on a line of 40,000 capitals, 104 s on 200,000


@pytest.mark.parametrize(
    "line",
    ["A" * LONG, "a@" * (LONG // 2), "](" * (LONG // 2), "[x](" * (LONG // 4), "<!--" * (LONG // 4), "A." * LONG],
    ids=["capitals", "at-signs", "link-ends", "links", "comments", "dotted"],
)
def test_the_scan_of_a_long_line_is_linear(line):
    """Red team pass 6: the e-mail and link-target patterns backtracked over
    the rest of the line from every position."""
    start = time.process_time()
    list(abbreviations_in(line + " VN"))
    assert time.process_time() - start < 1.0


# words in capitals that are abbreviations (no Roman numeral, unit or currency)
CAPS = st.text(alphabet="ABDEFGHJKLNPRSTWZ", min_size=2, max_size=7).filter(
    lambda w: w != "QZX" and bool(list(abbreviations_in(w)))
)
TERM = st.tuples(CAPS, st.sampled_from("-/"), st.sampled_from(["19", "CoV-2", "MM", "Noord", "2"])).map("".join)
SHOUT = st.lists(CAPS, min_size=3, max_size=5).map(" ".join)
NO_ENTRY = st.sampled_from(["12 MB", "3 KM", "9 AM", "7 PM", "USD 500", "NOK 20", "EUR 1", "4 GB", "2 KWH"])
FORMULA = st.sampled_from(["CO2", "H2O", "NO2", "SO2", "CH4", "N2O", "H2SO4"])


@settings(max_examples=60, deadline=None)
@given(
    terms=st.lists(TERM, min_size=1, max_size=3, unique=True),
    others=st.lists(st.one_of(SHOUT, NO_ENTRY, FORMULA), max_size=4),
    order=st.randoms(use_true_random=False),
)
def test_terms_headings_units_and_formulas_need_no_entry(terms, others, order):
    """Red team pass 6: a glossary term with "-" or "/" did not explain its
    capitals, and a heading in capitals, a unit, a currency code or a
    formula was reported word by word. An abbreviation among them still is,
    and so is the first part of a term written alone."""
    pieces = [*terms, *others, "QZX"]
    order.shuffle(pieces)
    text = "Het " + " de ".join(pieces) + " en de " + terms[0].split("-")[0].split("/")[0] + "-pandemie."
    explained = set(terms)
    found = {a for _, a in abbreviations_in(text, terms_pattern(explained)) if a not in explained}
    assert found == {"QZX", terms[0].split("-")[0].split("/")[0]}


def test_the_message_never_quotes_a_code_name_in_capitals(tmp_path):
    """Red team pass 6: "De operatie WIELEWAAL" put the code name into the
    message of every output format."""
    r = make_report(tmp_path)
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    r.write(
        "sources.yaml",
        sources.replace("archief: AMB-TL/2025/1104", "archief: AMB-TL/2025/1104\n    codenaam: Wielewaal"),
        dedent_text=False,
    )
    r.write("glossary.yaml", "VN: Verenigde Naties\n")
    chapter = r.path(CHAPTER).read_text(encoding="utf-8")
    r.write(CHAPTER, chapter + "\nDe operatie WIELEWAAL begon in maart.[@hrw-2025]\n", dedent_text=False)
    found = [d for d in r.check() if d.code == "AB506"]
    assert found and all("wielewaal" not in d.message.lower() for d in found)
    assert any("[vertrouwelijk]" in d.message for d in found)


def _shouted_by_letter(text: str) -> list[tuple[int, int]]:
    """check/abbreviations.py's _shouted as it was, a test per letter (the reference)."""
    from ambtsbericht_build.check import abbreviations as a

    out: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    for m in a._WORD.finditer(text):  # noqa: SLF001
        w = m.group()
        capitals = not any(c.islower() for c in w) and any(c.isupper() for c in w)
        if capitals and run and "\n" not in text[run[-1][1] : m.start()]:
            run.append(m.span())
            continue
        if len(run) >= a._SHOUTED:  # noqa: SLF001
            out.append((run[0][0], run[-1][1]))
        run = [m.span()] if capitals else []
    if len(run) >= a._SHOUTED:  # noqa: SLF001
        out.append((run[0][0], run[-1][1]))
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "DE",
                "OPPOSITIE",
                "Won",
                "VN",
                "2024",
                "A1",
                "9B",
                "aB",
                "ǅB",
                "Éé",
                "ÉÉN",
                "x",
                " ",
                "\n",
                ", ",
                "_",
                "-",
                "'s",
                "\u2019",
                "\u2013",
                "\u201c",
                "E\u0301",
            ]
        ),
        max_size=30,
    )
)
def test_shouted_runs_with_the_ascii_shortcut_are_the_same(parts: list[str]) -> None:
    """The ASCII text's regex (and the test per word of any other text) find the runs the test per letter does."""
    from ambtsbericht_build.check.abbreviations import _shouted

    text = "".join(parts)
    assert _shouted(text) == _shouted_by_letter(text)
