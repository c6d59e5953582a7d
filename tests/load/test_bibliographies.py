"""BibTeX (.bib) and CSL-JSON (.json) bibliographies load, with positions for their entries."""

from __future__ import annotations

import json

from tests.fixtures.report_kit import ARCHIVED, ARCHIVED_SHA, CHAPTER_MD, REPORT_YAML

# ai-2025's archived copy (AB111), recorded beside the .bib or .json file that abuild never rewrites
SIDECAR = f"ai-2025: {{file: {ARCHIVED}, sha256: {ARCHIVED_SHA}}}\n"

BIB = """\
% bronnen in BibTeX
@report{ai-2025,
  author = {{Amnesty International}},
  title = {Testland 2025},
  date = {2025-05-01},
  url = {https://www.amnesty.org/testland},
  urldate = {2025-06-01},
}

@article{doe-2024,
  author = {Doe, J. K.},
  title = {Het leger van Testland},
  journaltitle = {Tijdschrift},
  date = {2024},
}

  @misc{zonder-titel,
  author = {Iemand},
  date = {2023},
}
"""

CSL = [
    {
        "id": "ai-2025",
        "type": "report",
        "author": [{"literal": "Amnesty International"}],
        "title": "Testland 2025",
        "issued": {"date-parts": [[2025, 5, 1]]},
        "URL": "https://www.amnesty.org/testland",
        "accessed": {"date-parts": [[2025, 6, 1]]},
    },
    {
        "id": "doe-2024",
        "type": "article-journal",
        "author": [{"family": "Doe", "given": "J. K."}],
        "title": "Het leger van Testland",
        "issued": {"date-parts": [[2024]]},
    },
    {"id": "zonder-titel", "type": "document", "author": [{"literal": "Iemand"}], "issued": {"date-parts": [[2023]]}},
]


def use(report, name: str) -> None:
    report.write("report.yaml", REPORT_YAML + f"bibliography:\n  - sources.yaml\n  - {name}\n")
    report.write("archive.yaml", SIDECAR)
    report.chapter(CHAPTER_MD + "\nAmnesty bevestigde dit.[@ai-2025; @zonder-titel]\n")


def found(report) -> set[tuple]:
    return {(d.code, d.file.rsplit("/", 1)[-1], d.line, d.column) for d in report.check()}


def test_bibtex(report):
    report.write("bronnen.bib", BIB)
    use(report, "bronnen.bib")
    assert found(report) == {
        ("AB105", "bronnen.bib", 10, 1),  # doe-2024: never cited
        ("AB106", "bronnen.bib", 17, 3),  # zonder-titel: no title
    }


def test_bibtex_syntax_error(report):
    report.write("bronnen.bib", "@report{kapot,\n  title = {nooit gesloten\n")
    use(report, "bronnen.bib")
    d = [d for d in report.check() if d.code == "AB001"]
    assert len(d) == 1 and d[0].file.endswith("bronnen.bib") and "BibTeX" in d[0].message


def test_csl_json(report):
    text = json.dumps(CSL, indent=2, ensure_ascii=False)
    report.write("bronnen.json", text + "\n", dedent_text=False)
    use(report, "bronnen.json")
    lines = text.splitlines()
    doe = next(i for i, s in enumerate(lines, 1) if '"id": "doe-2024"' in s)
    kaal = next(i for i, s in enumerate(lines, 1) if '"id": "zonder-titel"' in s)
    assert found(report) == {("AB105", "bronnen.json", doe, 5), ("AB106", "bronnen.json", kaal, 5)}


def test_csl_json_syntax_error(report):
    report.write("bronnen.json", '[{"id": "x",\n  "type": report}]\n')
    use(report, "bronnen.json")
    d = [d for d in report.check() if d.code == "AB001"]
    assert [(x.line, x.column) for x in d] == [(2, 11)]


def test_yaml_json_and_bibtex_together(report):
    report.write("bronnen.json", json.dumps(CSL[:1]) + "\n", dedent_text=False)
    report.write("meer.bib", "@article" + BIB.split("@article")[1].split("  @misc")[0])
    report.write("report.yaml", REPORT_YAML + "bibliography: [sources.yaml, bronnen.json, meer.bib]\n")
    report.write("archive.yaml", SIDECAR)
    report.chapter(CHAPTER_MD + "\nAmnesty en Doe bevestigden dit.[@ai-2025; @doe-2024, p. 3]\n")
    report.expect_none()
