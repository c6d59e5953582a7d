"""Confidential sources print only "Vertrouwelijke bron, <date>", whatever
way the drafter wrote them (issue #10, "Sources"), and a confidentiality
finding refuses every render, whatever the status.

Real renders to all four formats, read byte by byte (conftest.occurrences).
The leak test renders with every check skipped: it tests the render's own
defences, which hold when the checks would have refused it.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from ambtsbericht_build.check import REGISTRY, confidentiality_codes
from ambtsbericht_build.commands.check import CheckOptions
from ambtsbericht_build.render.pipeline import RenderOptions, render_report

from .conftest import FORMATS, abuild_cmd, make_leaky_repo, occurrences, with_status

EXTRA_SOURCES = """
# 'n' is no boolean abuild reads (AB303): confidential until corrected
- id: vb-nee-merel
  type: interview
  confidential: n
  issued: 2025-10-01
  title: Gesprek met agent Merel-5521

# 'ja' and an internal that is a text (AB303)
- id: vb-ja-spreeuw
  type: interview
  confidential: ja
  issued: 2025-10-02
  internal: Spreeuw-4410 van de kustwacht

# a literal date says where (AB304)
- id: vb-literal-fazant
  type: interview
  confidential: true
  issued: {literal: "3 maart 2025, hotel Fazantenhof"}

# date-parts with words in them (AB304)
- id: vb-parts-kievit
  type: interview
  confidential: true
  issued: {date-parts: [[2025, "Kievitlaan 9"]]}

# broken otherwise (an impossible date, AB002) and confidential
- id: vb-kapot-tureluur
  type: interview
  confidential: true
  issued: 2025-13-45
  internal: {who: Tureluur-6120}

# cited in a heading: its key must not reach the contents or the ToR annex
- id: vb-kop-ijsvogel
  type: interview
  confidential: true
  issued: 2025-09-09
"""

BIB = """\
@misc{vb-bib-roerdomp,
  title = {Verslag van Roerdomp-8812},
  author = {Roerdomp-8812},
  confidential = {true},
  year = {2025}
}
"""

JSON = [
    {
        "id": "vb-json-grutto",
        "type": "interview",
        "title": "Notitie Grutto-3391",
        "confidential": "ja",
        "issued": {"date-parts": [[2025, 8, 1]]},
    }
]

CHAPTER = """\
# Kust {#kust}

## Kustwacht [@vb-kop-ijsvogel] {tor="1.1"}

De kustwacht hield vissers aan.[@vb-nee-merel] Ook in het noorden.[@vb-ja-spreeuw]
Het gebeurde vaker.[@vb-literal-fazant] Ook in het zuiden.[@vb-parts-kievit]
Niet altijd.[@vb-kapot-tureluur] Soms wel.[@vb-bib-roerdomp] Dat werd bevestigd.[@vb-json-grutto]
"""

SECRETS = [
    "Merel-5521",
    "Spreeuw-4410",
    "Fazantenhof",
    "Kievitlaan",
    "Tureluur-6120",
    "Roerdomp-8812",
    "Grutto-3391",
    "vb-nee-merel",
    "vb-ja-spreeuw",
    "vb-literal-fazant",
    "vb-parts-kievit",
    "vb-kapot-tureluur",
    "vb-kop-ijsvogel",
    "ijsvogel",  # also as pandoc's heading id "kustwacht-vb-kop-ijsvogel"
    "vb-bib-roerdomp",
    "vb-json-grutto",
]
NEW_CODES = {"AB305", "AB303", "AB304"}


def _report(root, status: str = "concept"):
    extra = "" if status == "concept" else ""
    report_yaml = with_status(status, extra).replace(
        "bibliography:\n  - sources.yaml\n", "bibliography:\n  - sources.yaml\n  - bronnen.bib\n  - bronnen.json\n"
    )
    report = make_leaky_repo(root, real_git=False, report_yaml=report_yaml)
    with open(report / "sources.yaml", "a", encoding="utf-8") as fh:
        fh.write(EXTRA_SOURCES)
    (report / "bronnen.bib").write_text(BIB, encoding="utf-8")
    (report / "bronnen.json").write_text(json.dumps(JSON), encoding="utf-8")
    (report / "chapters" / "02-kust.md").write_text(CHAPTER, encoding="utf-8")
    return report


# one render per class of leak: (sources.yaml entries, bibliography files, chapter text, secrets)
CASES = {
    "confidential: n (not a boolean abuild reads)": (
        "- id: vb-nee-merel\n  type: interview\n  confidential: n\n  issued: 2025-10-01\n"
        "  title: Gesprek met agent Merel-5521\n",
        {},
        "De kustwacht hield vissers aan.[@vb-nee-merel]",
        ["Merel-5521", "vb-nee-merel"],
    ),
    "confidential: ja, internal as a text": (
        "- id: vb-ja-spreeuw\n  type: interview\n  confidential: ja\n  issued: 2025-10-02\n"
        "  internal: Spreeuw-4410 van de kustwacht\n",
        {},
        "De kustwacht hield vissers aan.[@vb-ja-spreeuw]",
        ["Spreeuw-4410", "vb-ja-spreeuw"],
    ),
    "a literal issued": (
        "- id: vb-literal-fazant\n  type: interview\n  confidential: true\n"
        '  issued: {literal: "3 maart 2025, hotel Fazantenhof"}\n',
        {},
        "De kustwacht hield vissers aan.[@vb-literal-fazant]",
        ["Fazantenhof", "vb-literal-fazant"],
    ),
    "a confidential entry broken otherwise (impossible date)": (
        "- id: vb-kapot-tureluur\n  type: interview\n  confidential: true\n  issued: 2025-13-45\n"
        "  internal: {who: Tureluur-6120}\n",
        {},
        "De kustwacht hield vissers aan.[@vb-kapot-tureluur]",
        ["Tureluur-6120", "vb-kapot-tureluur"],
    ),
    "a confidential key cited in a heading": (
        "- id: vb-kop-ijsvogel\n  type: interview\n  confidential: true\n  issued: 2025-09-09\n",
        {},
        "De kustwacht hield vissers aan.[@ngo-rapport]",
        ["vb-kop-ijsvogel", "ijsvogel"],  # also as pandoc's heading id "kustwacht-vb-kop-ijsvogel"
    ),
    "confidential in a BibTeX entry": (
        "",
        {"bronnen.bib": BIB},
        "De kustwacht hield vissers aan.[@vb-bib-roerdomp]",
        ["Roerdomp-8812", "vb-bib-roerdomp"],
    ),
    "confidential: ja in a CSL-JSON entry": (
        "",
        {"bronnen.json": json.dumps(JSON)},
        "De kustwacht hield vissers aan.[@vb-json-grutto]",
        ["Grutto-3391", "vb-json-grutto"],
    ),
}


def _case_report(root, case: str):
    sources, files, text, _ = CASES[case]
    listed = "".join(f"  - {name}\n" for name in files)
    report = make_leaky_repo(
        root,
        real_git=False,
        report_yaml=with_status("concept").replace("  - sources.yaml\n", "  - sources.yaml\n" + listed),
    )
    with open(report / "sources.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n" + sources)
    for name, body in files.items():
        (report / name).write_text(body, encoding="utf-8")
    cite = " [@vb-kop-ijsvogel]" if "heading" in case else ""
    chapter = f'# Kust {{#kust}}\n\n## Kustwacht{cite} {{tor="1.1"}}\n\n{text}\n'
    (report / "chapters" / "02-kust.md").write_text(chapter, encoding="utf-8")
    return report


@pytest.mark.parametrize("case", list(CASES))
def test_no_confidential_source_leaks_from_any_format(tmp_path, case):
    """With every check skipped, the render's own defences: the source prints
    as "Vertrouwelijke bron", its key and fields reach no format."""
    report = _case_report(tmp_path, case)
    result = render_report(report, RenderOptions(out_dir=tmp_path / "out", check=CheckOptions(select=set())))
    assert set(result.outputs) == set(FORMATS)
    assert occurrences(result.outputs.values(), CASES[case][3]) == []
    for fmt, path in result.outputs.items():
        assert occurrences([path], ["Vertrouwelijke bron"]) != [], fmt


def test_a_heading_with_a_confidential_citation_keeps_its_title_in_the_contents(tmp_path):
    report = _case_report(tmp_path, "a confidential key cited in a heading")
    result = render_report(
        report, RenderOptions(out_dir=tmp_path / "out", formats=("html",), check=CheckOptions(select=set()))
    )
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert 'href="#kustwacht-vertrouwelijk-' in html  # the contents still link to the section
    assert "Vertrouwelijke bron, 9\u00a0september\u00a02025" in html  # day, month and year tied (render/typography.py)


@pytest.mark.parametrize("status", ["concept", "review", "vastgesteld"])
def test_confidentiality_findings_refuse_every_render(tmp_path, status):
    report = _report(tmp_path, status)
    out = tmp_path / "out"
    result = render_report(report, RenderOptions(out_dir=out))
    assert result.refused and not result.outputs
    assert not out.exists() or not any(out.iterdir())
    codes = {d.code for d in result.diagnostics if d.code in confidentiality_codes()}
    assert NEW_CODES <= codes
    for code in NEW_CODES | {"AB301", "AB401"}:
        assert code in result.reason
    # the places are named (file:line:col), never the values
    assert "sources.yaml:" in result.reason and "bronnen.bib:" in result.reason
    assert [s for s in SECRETS if s.casefold() in result.reason.casefold()] == []


def test_the_command_line_refuses_and_names_no_secret(tmp_path):
    report = _report(tmp_path)
    proc = subprocess.run(
        [*abuild_cmd(), "render", str(report), "--out", str(tmp_path / "out"), "--to", "html"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "refused: " in proc.stderr and "confidentiality finding(s)" in proc.stderr
    for code in NEW_CODES:
        assert f"{code} error" in proc.stderr  # the diagnostics, at file:line:col
    new = [line for line in proc.stderr.splitlines() if any(c in line for c in NEW_CODES | {"AB301"})]
    assert new and [s for s in SECRETS if any(s.casefold() in line.casefold() for line in new)] == []
    assert not (tmp_path / "out" / "leaky.html").exists()


def test_confidentiality_codes_are_marked_in_the_registry():
    assert {"AB301", "AB302", "AB303", "AB304", "AB305", "AB401", "AB407"} <= confidentiality_codes()
    assert all(REGISTRY[c].confidentiality for c in confidentiality_codes())
