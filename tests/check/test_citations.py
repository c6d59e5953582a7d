"""AB104 (citation key not in the bibliography) and AB105 (source never cited)."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import CHAPTER, CHAPTER_MD, SOURCES_YAML

SHARED = """\
- id: vn-1951
  type: legislation
  author: [{literal: Verenigde Naties}]
  title: Verdrag betreffende de status van vluchtelingen
  issued: 1951-07-28
"""

EXTRA_LINE = SOURCES_YAML.count("\n") + 2  # the line of EXTRA, added after a blank line
EXTRA = """\
- id: extra-2025
  type: report
  author: [{literal: Amnesty International}]
  title: Testland 2025
  issued: 2025-05-01
"""

KALAND = """\
- id: hrw-2026-kaland
  type: report
  author: [{literal: Human Rights Watch}]
  title: Kaland 2026
  issued: 2026-01-10
"""


# --- AB104 --------------------------------------------------------------------


def test_ab104_unknown_key(report):
    report.chapter(CHAPTER_MD + "\nDe oppositie boycotte de verkiezingen.[@hrw-2025; @onbekend-2024, p. 3]\n")
    d = report.expect("AB104", CHAPTER, 11, 51)
    assert d.message == "citation key @onbekend-2024 is not in the bibliography"


@pytest.mark.parametrize(
    "key, hint",
    [
        ("hrw-2052", "; did you mean @hrw-2025?"),
        ("HRW-2025", "; did you mean @hrw-2025?"),
        ("extra2025", "; did you mean @extra-2025?"),
        ("hrw-2026-kalnd", "; did you mean @hrw-2026-kaland?"),
        ("hrw-2026", "; did you mean @hrw-2025?"),
        ("onbekend-2024", ""),
    ],
)
def test_ab104_suggests_the_nearest_keys(report, key, hint):
    report.write("sources.yaml", SOURCES_YAML + "\n" + EXTRA + KALAND)
    text = "De oppositie boycotte de verkiezingen.[@extra-2025; @hrw-2026-kaland; "
    report.chapter(CHAPTER_MD + f"\n{text}@{key}]\n")
    d = report.expect("AB104", CHAPTER, 11, len(text) + 1)
    assert d.message == f"citation key @{key} is not in the bibliography{hint}"


def test_ab104_suggestion_is_computed_once_per_key(report, monkeypatch):
    from ambtsbericht_build.check import citations

    calls = []
    real = citations.Suggester.hint
    monkeypatch.setattr(citations.Suggester, "hint", lambda self, k: calls.append(k) or real(self, k))
    report.chapter(CHAPTER_MD + "\n" + "Zin.[@hrw-2052]\n\n" * 5 + "Zin.[@ghost]\n")
    assert [d.code for d in report.check()].count("AB104") == 6
    assert sorted(calls) == ["ghost", "hrw-2052"]


def test_did_you_mean_lists_at_most_three():
    from ambtsbericht_build.check.citations import did_you_mean

    known = ["hrw-2021", "hrw-2022", "hrw-2023", "hrw-2024", "ai-2024"]
    assert did_you_mean("hrw-2020", known) == "; did you mean @hrw-2024, @hrw-2023 or @hrw-2022?"
    assert did_you_mean("ai-2042", known) == "; did you mean @ai-2024?"
    assert did_you_mean("ai-2042", []) == ""


def test_suggestions_on_a_large_bibliography():
    # 1000 sources, 1000 different unknown keys (say, every key misspelt); the
    # shortlist must still find each key's own source. Speed is measured by
    # `make bench`, not here (a timed unit test fails on a loaded machine).
    import random

    from ambtsbericht_build.check.citations import Suggester

    rnd = random.Random(9)
    orgs = ["hrw", "ai", "unhcr", "acled", "bbc", "nrc", "fh", "cpj", "ohchr", "accord"]
    topics = ["arrests", "elections", "conscription", "press", "minorities", "detention", "courts", "returns"]
    known = sorted({f"{rnd.choice(orgs)}-{rnd.randint(2015, 2026)}-{rnd.choice(topics)}-{i}" for i in range(1000)})
    unknown = [k[:4] + "x" + k[4:] for k in known]
    suggester = Suggester(known)
    hints = [suggester.hint(k) for k in unknown]
    assert all(h.startswith(f"; did you mean @{k}") for h, k in zip(hints, known, strict=True))


def test_ab104_unknown_key_in_a_note_and_bare(report):
    report.chapter(CHAPTER_MD + "\nVolgens @ghost werd het erger.^[Zie [@ook-weg].]\n")
    diags = [d for d in report.check() if d.code == "AB104"]
    assert [(d.line, d.column) for d in diags] == [(11, 9), (11, 38)]


def test_ab104_passes_for_own_and_shared_sources(report):
    report.write_root("bibliography/internationaal.yaml", SHARED)
    report.chapter(CHAPTER_MD + "\nHet verdrag geldt.[@vn-1951]\n")
    report.expect_none()


def test_ab104_no_bibliography_at_all(report):
    report.remove("sources.yaml")
    diags = [d for d in report.check() if d.code == "AB104"]
    assert [(d.line, d.column) for d in diags] == [(5, 57), (9, 86)]


def test_ab104_not_checked_while_a_bibliography_file_is_unreadable(report):
    report.write("sources.yaml", "- id: [unclosed\n")
    codes = report.codes()
    assert "AB001" in codes and "AB104" not in codes


def test_ab104_keys_in_code_are_not_citations(report):
    report.chapter(CHAPTER_MD + "\nSchrijf `[@sleutel]` voor een bron.[@hrw-2025]\n")
    report.expect_none()


def test_ab104_email_address_is_not_a_citation(report):
    report.chapter(CHAPTER_MD + "\nMail naar info@example.org voor meer.[@hrw-2025]\n")
    report.expect_none()


# --- AB105 --------------------------------------------------------------------


def test_ab105_own_source_never_cited(report):
    report.write("sources.yaml", (report.path("sources.yaml").read_text() + "\n" + EXTRA))
    d = report.expect("AB105", "sources.yaml", EXTRA_LINE, 3)
    assert d.severity.value == "warning"
    assert d.message == "source extra-2025 is never cited"


def test_ab105_passes_when_cited(report):
    report.write("sources.yaml", (report.path("sources.yaml").read_text() + "\n" + EXTRA))
    report.chapter(CHAPTER_MD + "\nAmnesty bevestigde dit.[@extra-2025]\n")
    report.expect_none()


def test_ab105_shared_bibliography_is_exempt(report):
    report.write_root("bibliography/internationaal.yaml", SHARED)
    report.expect_none()


def test_ab105_explicitly_listed_file_is_not_exempt(report):
    report.write("extra.yaml", EXTRA)
    report.write(
        "report.yaml", report.path("report.yaml").read_text() + "bibliography:\n  - sources.yaml\n  - extra.yaml\n"
    )
    report.expect("AB105", "extra.yaml", 1, 3)


def test_ab105_warning_fails_only_with_strict(report):
    report.write("sources.yaml", (report.path("sources.yaml").read_text() + "\n" + EXTRA))
    code, out, _ = report.cli_json(report.rel)
    assert code == 0 and out["summary"] == {"errors": 0, "warnings": 1}
    code, out, _ = report.cli_json("--strict", report.rel)
    assert code == 1
    d = out["diagnostics"][0]
    assert (d["code"], d["file"], d["line"], d["column"]) == ("AB105", f"{report.rel}/sources.yaml", EXTRA_LINE, 3)


@pytest.mark.parametrize("date", ["2025-02-31", "31-02-2025", "ooit"])
def test_ab104_not_for_a_source_with_a_bad_date(report, date):
    # the source breaks the schema at its date (AB002, one finding there);
    # its citations are not also unknown keys (issue #9)
    report.write("sources.yaml", SOURCES_YAML.replace("issued: 2025-01-16", f"issued: {date}"))
    report.chapter(CHAPTER_MD + "\nNog een keer.[@hrw-2025]\n\nEn nog eens.[@hrw-2025, p. 3]\n")
    got = [(d.code, d.file.rsplit("/", 1)[-1], d.line, d.column) for d in report.check()]
    assert got == [("AB002", "sources.yaml", 5, 3)]


def test_ab104_still_for_an_unknown_key_next_to_a_broken_source(report):
    report.write("sources.yaml", SOURCES_YAML.replace("issued: 2025-01-16", "issued: 2025-02-31"))
    report.chapter(CHAPTER_MD + "\nNog een keer.[@hrw-2052]\n")
    d = report.expect("AB104", CHAPTER, 11, 15)
    assert d.message.startswith("citation key @hrw-2052 is not in the bibliography")
