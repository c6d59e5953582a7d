"""An entry of public_terms that allows a code name, a reference number, a
number or an e-mail address of a secret is AB410 (red team pass 4, P01: a
drafter told by AB302 "if the term is public, add it to public_terms" did so
with the informant's code name; it then printed in every format with check,
render and audit at 0). A public town stays allowed."""

from __future__ import annotations

import pytest

from ambtsbericht_build.check import confidentiality_codes
from tests.fixtures.report_kit import CHAPTER, make_report

WHO = "contact 'Kwartel', havenpolitie Noordkaap, tel 06-1234 5670, verslag AMB-TL/2025/1201, mail kw@veilig.example"


def report(tmp_path, terms: str):
    r = make_report(tmp_path)
    sources = r.path("sources.yaml").read_text(encoding="utf-8")
    r.write(
        "sources.yaml", sources.replace("who: medewerker VN-organisatie, Genève", f'who: "{WHO}"'), dedent_text=False
    )
    report_yaml = r.path("report.yaml").read_text(encoding="utf-8")
    r.write("report.yaml", report_yaml + f"public_terms: {terms}\n", dedent_text=False)
    return r, report_yaml.count("\n") + 1


@pytest.mark.parametrize(
    "entry, what",
    [
        ("Kwartel", "quoted name"),
        ("'de informant Kwartel'", "quoted name"),  # a longer term that holds it
        ("AMB-TL/2025/1201", "reference number"),
        ("'06 1234 5670'", "number"),
        ("kw@veilig.example", "e-mail address"),
    ],
)
def test_an_entry_that_allows_an_identifier_is_ab410_at_the_entry(tmp_path, entry, what):
    r, line = report(tmp_path, f"[Noordkaap, {entry}]")
    d = r.expect("AB410", "report.yaml", line, 27)
    assert "public_terms[1]" in d.message and what in d.message and "source vb-2025-11-04" in d.message
    assert entry.strip("'") not in d.message
    assert "AB410" in confidentiality_codes()  # so every render is refused


def test_a_public_town_is_allowed_and_then_printed_without_a_finding(tmp_path):
    r, _ = report(tmp_path, "[Noordkaap]")
    body = r.path(CHAPTER).read_text(encoding="utf-8")
    r.write(CHAPTER, body + "\nIn Noordkaap bleef het rustig.[@hrw-2025]\n", dedent_text=False)
    codes = r.codes()
    assert "AB410" not in codes and "AB302" not in codes
