"""AB001 (unreadable / not YAML), AB002 (schema), AB003 (missing files) from the load stage."""

from __future__ import annotations

import shutil

import pytest

from tests.fixtures.report_kit import APPENDED, CHAPTER, INTRO, REPORT_YAML, SOURCES_YAML, TOR_YAML

# --- AB001 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, line, column, words",
    [
        ("report.yaml", REPORT_YAML.replace("issuer: Ministerie", "issuer: [Ministerie"), 9, 9, "never closed"),
        (
            "tor.yaml",
            TOR_YAML.replace("date: 2025-06-10", "date: 2025-06-10\ndate: 2025-06-11"),
            4,
            1,
            "duplicate key 'date' (first defined on line 3)",
        ),
        ("sources.yaml", SOURCES_YAML.replace("  title: World", "\ttitle: World"), 4, 1, "tab character"),
        ("glossary.yaml", "HRW: Human Rights Watch\nHRW: nog eens\n", 2, 1, "duplicate key 'HRW'"),
    ],
)
def test_ab001_invalid_yaml(report, name, text, line, column, words):
    report.write(name, text)
    d = report.expect("AB001", name, line, column)
    assert words in d.message


def test_ab001_invalid_front_matter(report):
    report.write(INTRO, "---\nclaims: [false\n---\n\n# Inleiding\n")
    d = report.expect("AB001", INTRO, 2, 9)
    assert d.message.startswith("front matter: invalid YAML")


def test_ab001_not_utf8(report):
    report.write(CHAPTER, b"# Politiek\n\n\xc3\x89\xc3\xa9n \xff\n")
    d = report.expect("AB001", CHAPTER, 3, 5)  # the column counts characters, not bytes
    assert d.message == "file is not UTF-8: invalid byte 0xff"


def test_ab001_stops_only_that_file(report):
    report.write("tor.yaml", "title: [\n")
    report.write(CHAPTER, "# Politiek\n\nZonder bron.\n")
    codes = report.codes()
    assert "AB001" in codes and "AB101" in codes


# --- AB002 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, line, column, message",
    [
        (
            "report.yaml",
            REPORT_YAML.replace("kind: algemeen", "kind: groot"),
            2,
            1,
            "report.yaml: kind: 'groot' is not allowed: write algemeen, thematisch or kort",
        ),
        ("report.yaml", REPORT_YAML + "kleur: blauw\n", APPENDED, 1, "report.yaml: kleur: unknown field"),
        (
            "report.yaml",
            REPORT_YAML.replace("date: 2026-03-01", "date: maart"),
            5,
            1,
            "report.yaml: date: maart is not a date: write year-month-day, such as 2026-03-01",
        ),
        (
            "report.yaml",
            REPORT_YAML.replace("country: Testland\n", ""),
            1,
            1,
            "report.yaml: country: required field is missing",
        ),
        ("report.yaml", "- een lijst\n", 1, 1, "report.yaml must be a mapping of fields"),
        (
            "tor.yaml",
            TOR_YAML.replace('id: "1.2"', 'id: "1.1"'),
            10,
            9,
            "tor.yaml: question id '1.1' is used twice (first on line 8)",
        ),
        (
            "tor.yaml",
            TOR_YAML.replace("    questions:", "    kleur: rood\n    questions:"),
            7,
            5,
            "tor.yaml: themes.0.kleur: unknown field",
        ),
        (
            "sources.yaml",
            SOURCES_YAML.replace("  type: report\n", ""),
            1,
            3,
            "sources.yaml: type: required field is missing",
        ),
        (
            "sources.yaml",
            SOURCES_YAML.replace("issued: 2025-11-04", "issued: ooit"),
            12,
            3,
            'sources.yaml: issued: ooit is not a date: write 2025-03-01, 2025-03, 2025 or "undated"',
        ),
        # YAML keeps the text (issue #8): an impossible date is a schema error
        # of the date field, no longer a YAML error (AB001 before)
        (
            "sources.yaml",
            SOURCES_YAML.replace("issued: 2025-01-16", "issued: 2025-13-45"),
            5,
            3,
            "sources.yaml: issued: 2025-13-45 is not a date: that day does not exist;"
            ' write 2025-03-01, 2025-03, 2025 or "undated"',
        ),
        ("sources.yaml", "id: geen-lijst\n", 1, 1, "sources.yaml: a bibliography file is a list of CSL items"),
        ("glossary.yaml", "HRW: [Human Rights Watch]\n", 1, 1, "glossary.yaml: HRW: expected text, not a list"),
    ],
)
def test_ab002_schema(report, name, text, line, column, message):
    report.write(name, text)
    d = report.expect("AB002", name, line, column)
    assert d.message == message


def test_ab002_front_matter(report):
    report.write(INTRO, "---\nclaims: false\nkleur: rood\n---\n\n# Inleiding\n")
    d = report.expect("AB002", INTRO, 3, 1)
    assert d.message == "01-inleiding.md: kleur: unknown field"


def test_ab002_a_bad_source_does_not_hide_the_others(report):
    report.write("sources.yaml", SOURCES_YAML + "\n- id: kapot\n")
    codes = report.codes()
    assert codes.count("AB002") == 1 and "AB104" not in codes


# --- AB003 --------------------------------------------------------------------


def test_ab003_listed_chapter_missing(report):
    report.write("report.yaml", REPORT_YAML + f"chapters:\n  - {INTRO}\n  - {CHAPTER}\n  - chapters/09-weg.md\n")
    d = report.expect("AB003", "report.yaml", APPENDED + 3, 5)
    assert d.message == "chapter file chapters/09-weg.md does not exist"


def test_ab003_listed_chapters_pass(report):
    report.write("report.yaml", REPORT_YAML + f"chapters:\n  - {INTRO}\n  - {CHAPTER}\n")
    report.expect_none()


def test_ab003_empty_chapter_list(report):
    report.write("report.yaml", REPORT_YAML + "chapters: []\n")
    d = report.expect("AB003", "report.yaml", APPENDED, 1)
    assert d.message == "the report lists no chapters"


def test_ab003_no_chapters_directory(report):
    shutil.rmtree(report.dir / "chapters")
    d = report.expect("AB003", "chapters", 0, 0)
    assert d.message == "the report has no chapters (chapters/*.md)"


@pytest.mark.parametrize("name", ["report.yaml", "tor.yaml"])
def test_ab003_required_file_missing(report, name):
    report.remove(name)
    report.expect("AB003", name, 0, 0)


def test_ab003_listed_bibliography_missing(report):
    report.write("report.yaml", REPORT_YAML + "bibliography:\n  - sources.yaml\n  - weg.yaml\n")
    d = report.expect("AB003", "report.yaml", APPENDED + 2, 5)
    assert d.message == "bibliography file weg.yaml does not exist"


def test_ab003_report_directory_missing(report):
    shutil.rmtree(report.dir)
    d = report.expect("AB003", ".", 0, 0)
    assert d.message == "report directory does not exist"


def test_load_errors_through_the_cli(report):
    report.write("report.yaml", REPORT_YAML.replace("kind: algemeen", "kind: groot"))
    report.write("tor.yaml", "title: [x\n")
    code, out, stderr = report.cli_json(report.rel)
    assert code == 1
    got = [(d["code"], d["file"], d["line"], d["column"]) for d in out["diagnostics"]]
    assert got == [
        ("AB002", f"{report.rel}/report.yaml", 2, 1),
        ("AB001", f"{report.rel}/tor.yaml", 1, 8),
    ]
