"""``abuild new``: a traceable report scaffold from a Terms of Reference."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ambtsbericht_build import models
from ambtsbericht_build.cli import main
from ambtsbericht_build.commands.check import check_reports
from ambtsbericht_build.commands.new import NewOptions, NewRefused, scaffold_report, slugify

REPO = Path(__file__).resolve().parents[2]

TOR = """\
title: Terms of Reference thematisch ambtsbericht Kaland
requested_by: Ministerie van Justitie en Veiligheid (IND)
date: 2026-01-15
themes:
  - id: "1"
    title: Politieke en veiligheidssituatie
    questions:
      - id: "1.1"
        text: Wat zijn de belangrijkste politieke ontwikkelingen?
      - id: "1.2"
        text: >-
          Hoe is de veiligheidssituatie, in het bijzonder voor leden van de
          [BDV] en <b>journalisten</b> met een e-mailadres als info@kaland.example?
  - id: "2"
    title: "Positie van vrouwen & LHBTIQ+-personen (ook: één-ouder-gezinnen)"
    questions:
      - id: "2.1"
        text: Wat is de positie van vrouwen?
      - id: "2.1a"
        text: "En van alleenstaande vrouwen met kinderen? Zie [@bron] en ^[noot]."
"""

QUESTIONS = ["1.1", "1.2", "2.1", "2.1a"]


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tor-kaland.yaml").write_text(TOR, encoding="utf-8")
    return tmp_path


def _new(*args: str):
    return CliRunner().invoke(main, ["new", *args])


def test_scaffold_files(workdir):
    res = _new("reports/kaland", "--tor", "tor-kaland.yaml", "--date", "2026-03-01")
    assert res.exit_code == 0, res.output
    report = workdir / "reports" / "kaland"
    files = sorted(p.relative_to(report).as_posix() for p in report.rglob("*") if p.is_file())
    assert files == [
        "chapters/00-inleiding.md",
        "chapters/01-politieke-en-veiligheidssituatie.md",
        "chapters/02-positie-van-vrouwen-lhbtiq-personen-ook-een-ouder-gezinnen.md",
        "glossary.yaml",
        "report.yaml",
        "sources.yaml",
        "tor.yaml",
    ]
    for rel in files:
        assert f"reports/kaland/{rel}" in res.output


def test_report_yaml(workdir):
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml", "--date", "2026-03-01").exit_code == 0
    data = yaml.safe_load((workdir / "reports/kaland/report.yaml").read_text())
    report = models.Report.model_validate(data)
    assert report.title == "Algemeen ambtsbericht Kaland"
    assert report.country == "Kaland"
    assert report.kind == models.Kind.algemeen
    assert report.status == models.Status.concept
    assert report.version == "0.1" and data["version"] == "0.1"
    assert report.date == dt.date(2026, 3, 1)
    assert report.reference_period.start == dt.date(2025, 3, 1)
    assert report.reference_period.end == dt.date(2026, 3, 1)
    assert report.language == "nl"


def test_options(workdir):
    res = _new(
        "reports/zuid-kaland",
        "--tor",
        "tor-kaland.yaml",
        "--kind",
        "thematisch",
        "--title",
        'Thematisch ambtsbericht: "vrouwen" #2',
        "--language",
        "en",
        "--date",
        "2024-02-29",
    )
    assert res.exit_code == 0, res.output
    data = yaml.safe_load((workdir / "reports/zuid-kaland/report.yaml").read_text())
    assert data["title"] == 'Thematisch ambtsbericht: "vrouwen" #2'
    assert data["country"] == "Zuid Kaland"  # from the directory name
    assert data["kind"] == "thematisch" and data["language"] == "en"
    assert data["reference_period"] == {"start": dt.date(2023, 2, 28), "end": dt.date(2024, 2, 29)}


def test_default_date_is_today(workdir):
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml", "--country", "Kaland").exit_code == 0
    data = yaml.safe_load((workdir / "reports/kaland/report.yaml").read_text())
    assert data["date"] in (dt.date.today(), dt.date.today() - dt.timedelta(days=1))
    assert data["reference_period"]["end"] == data["date"]


def test_every_yaml_file_names_its_schema(tmp_path, monkeypatch):
    # a repository: the schema paths must lead to the real files
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / "tor.yaml").write_text(TOR, encoding="utf-8")
    monkeypatch.chdir(root)
    assert _new("reports/kaland", "--tor", "tor.yaml").exit_code == 0
    report = root / "reports" / "kaland"
    expected = {"report.yaml": "report", "tor.yaml": "tor", "sources.yaml": "sources", "glossary.yaml": "glossary"}
    for name, schema in expected.items():
        first = (report / name).read_text(encoding="utf-8").splitlines()[0]
        m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, first
        assert m.group(1) == f"../../schemas/{schema}.schema.json"
        assert (report / m.group(1)).resolve() == (root / "schemas" / f"{schema}.schema.json").resolve()
        assert (report / m.group(1)).is_file()


def test_no_schema_line_without_schemas(workdir):
    # a repository without schemas/: a $schema path would lead nowhere
    res = CliRunner().invoke(main, ["new", "reports/kaland", "--tor", "tor-kaland.yaml"])
    assert res.exit_code == 0, res.output
    for name in ("report.yaml", "tor.yaml", "sources.yaml", "glossary.yaml"):
        text = (workdir / "reports/kaland" / name).read_text(encoding="utf-8")
        assert "$schema" not in text, name
    assert "no schemas/ directory" in res.output


def test_tor_is_copied(workdir):
    src = "# yaml-language-server: $schema=elders/tor.schema.json\n" + TOR
    (workdir / "tor-kaland.yaml").write_text(src, encoding="utf-8")
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml").exit_code == 0
    copied = (workdir / "reports/kaland/tor.yaml").read_text(encoding="utf-8")
    # the old schema line goes; no schemas/ here, so no new one comes
    assert copied == TOR
    assert yaml.safe_load(copied) == yaml.safe_load(TOR)


def test_chapters(workdir):
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml").exit_code == 0
    chapters = workdir / "reports/kaland/chapters"
    intro = (chapters / "00-inleiding.md").read_text(encoding="utf-8")
    assert intro.startswith("---\nclaims: false\nnumbered: false\n---\n")
    assert "\n# Inleiding {#inleiding}\n" in intro

    ch1 = (chapters / "01-politieke-en-veiligheidssituatie.md").read_text(encoding="utf-8")
    assert ch1.startswith("# Politieke en veiligheidssituatie {#h-politieke-en-veiligheidssituatie}\n")
    headings = re.findall(r"^## (.+)$", ch1, flags=re.M)
    assert headings == ['Vraag 1.1 {#sec-1-1 tor="1.1"}', 'Vraag 1.2 {#sec-1-2 tor="1.2"}']
    # each section: only a drafters' note with the question
    sections = re.split(r"^## .+$", ch1, flags=re.M)[1:]
    for section, text in zip(
        sections, ["Wat zijn de belangrijkste politieke ontwikkelingen?", "Hoe is de veiligheidssituatie"], strict=False
    ):
        body = section.strip()
        assert body.startswith("::: intern\n") and body.endswith("\n:::")
        assert text in body

    ch2 = (chapters / "02-positie-van-vrouwen-lhbtiq-personen-ook-een-ouder-gezinnen.md").read_text(encoding="utf-8")
    assert ch2.startswith("# Positie van vrouwen & LHBTIQ+-personen (ook: één-ouder-gezinnen) {#h-")
    assert 'tor="2.1"}' in ch2 and 'tor="2.1a"}' in ch2


def test_check_reports_only_the_sections_still_to_write(workdir):
    """The scaffold is traceable: every question has its section (no AB201), and
    every section is reported as still lacking a source (AB203), nothing else."""
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml").exit_code == 0
    found = check_reports([Path("reports/kaland")])
    # AB506: the abbreviations the ToR itself uses, for the drafter to explain; the scaffold adds none
    assert _abbreviations(found) == {"IND", "BDV", "LHBTIQ"}
    diags = [d for d in found if d.code != "AB506"]
    codes = [d.code for d in diags]
    assert "AB201" not in codes
    assert set(codes) == {"AB203"}, [f"{d.code} {d.file}:{d.line} {d.message}" for d in diags]
    assert sorted(re.search(r"question (\S+)", d.message).group(1) for d in diags) == sorted(QUESTIONS)
    # the finding points at the tor= attribute of the section's heading
    d = next(d for d in diags if "question 1.1 " in d.message)
    line = Path(d.file).read_text(encoding="utf-8").splitlines()[d.line - 1]
    assert line.startswith("## Vraag 1.1") and line[d.column - 1 :].startswith('tor="1.1"')

    res = CliRunner().invoke(main, ["check", "reports/kaland"])
    assert res.exit_code == 1
    assert res.output.splitlines()[-1] == f"{len(QUESTIONS)} errors, {len(found) - len(diags)} warnings"


def _abbreviations(diags) -> set[str]:
    return {m.group(1) for d in diags if d.code == "AB506" and (m := re.search(r"'([^']+)'", d.message))}


def test_answering_a_question_clears_its_finding(workdir):
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml").exit_code == 0
    report = workdir / "reports/kaland"
    ch = report / "chapters/01-politieke-en-veiligheidssituatie.md"
    text = ch.read_text(encoding="utf-8")
    start = text.index("## Vraag 1.1")
    end = text.index("## Vraag 1.2")
    text = (
        text[:start]
        + ('## Politieke ontwikkelingen {#sec-1-1 tor="1.1"}\n\nDe president werd herkozen.[@hrw-2026]\n\n')
        + text[end:]
    )
    text = text.replace(
        '## Vraag 1.2 {#sec-1-2 tor="1.2"}',
        '## Veiligheid {#sec-1-2 tor="1.2" .geen-informatie}\n\n'
        "Er is geen informatie gevonden over de veiligheid van journalisten.",
    )
    ch.write_text(text, encoding="utf-8")
    with (report / "sources.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "- id: hrw-2026\n  type: report\n  author: [{literal: Human Rights Watch}]\n"
            "  title: World Report 2026\n  issued: 2026-01-10\n"
        )
    diags = [d for d in check_reports([report]) if d.code != "AB506"]  # the ToR's abbreviations: above
    assert sorted(re.search(r"question (\S+)", d.message).group(1) for d in diags) == ["2.1", "2.1a"]
    assert {d.code for d in diags} == {"AB203"}


def test_refuses_a_non_empty_directory(workdir):
    target = workdir / "reports" / "kaland"
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("mijn aantekeningen", encoding="utf-8")
    res = _new("reports/kaland", "--tor", "tor-kaland.yaml")
    assert res.exit_code == 2
    assert "not empty" in res.output and "nothing was written" in res.output
    assert "Traceback" not in res.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert [p.name for p in (workdir / "reports").iterdir()] == ["kaland"]  # no temporary left


def test_refuses_a_file(workdir):
    (workdir / "kaland").write_text("x", encoding="utf-8")
    res = _new("kaland", "--tor", "tor-kaland.yaml")
    assert res.exit_code == 2
    assert "not a directory" in res.output


def test_an_empty_directory_is_fine(workdir):
    (workdir / "reports" / "kaland").mkdir(parents=True)
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml").exit_code == 0
    assert (workdir / "reports/kaland/report.yaml").is_file()


def test_invalid_tor_writes_nothing(workdir):
    (workdir / "kapot.yaml").write_text(TOR.replace('id: "2.1a"', 'id: "1.1"'), encoding="utf-8")
    res = _new("reports/kaland", "--tor", "kapot.yaml")
    assert res.exit_code == 1
    assert "AB002" in res.output and "used twice" in res.output
    assert "kapot.yaml:" in res.output
    assert not (workdir / "reports").exists() or not any((workdir / "reports").iterdir())

    (workdir / "geen-yaml.yaml").write_text("title: [onaf\n", encoding="utf-8")
    res = _new("reports/kaland", "--tor", "geen-yaml.yaml")
    assert res.exit_code == 1 and "AB001" in res.output


def test_usage_errors(workdir):
    assert _new("reports/kaland").exit_code == 2  # --tor is required
    assert _new("reports/kaland", "--tor", "bestaat-niet.yaml").exit_code == 2
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml", "--kind", "lang").exit_code == 2
    assert _new("reports/kaland", "--tor", "tor-kaland.yaml", "--date", "1-3-2026").exit_code == 2
    assert not (workdir / "reports").exists()


def test_plain_function(workdir):
    result = scaffold_report(workdir / "r" / "kaland", NewOptions(tor=workdir / "tor-kaland.yaml", country="Kaland"))
    assert result.questions == 4
    assert Path("report.yaml") in result.files
    with pytest.raises(NewRefused):
        scaffold_report(workdir / "r" / "kaland", NewOptions(tor=workdir / "tor-kaland.yaml"))


def test_slugify():
    assert slugify("Politieke en veiligheidssituatie") == "politieke-en-veiligheidssituatie"
    assert slugify("Één / twee: Ωmega & ça") == "een-twee-mega-ca"
    assert slugify("---") == ""
    assert len(slugify("woord " * 40)) <= 60
