"""AB002 in plain words: what was written, what to write instead (issue #9)."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import APPENDED, REPORT_YAML, SOURCES_YAML, TOR_YAML

PERIOD = "reference_period: {start: 2024-09-01, end: 2026-01-31}"


@pytest.mark.parametrize(
    "name, text, line, column, message",
    [
        # a list where a mapping is expected
        (
            "report.yaml",
            REPORT_YAML.replace(PERIOD, "reference_period:\n  - start: 2024-09-01\n  - end: 2026-01-31"),
            6,
            1,
            "report.yaml: reference_period: expected fields (key: value), such as start: ..., end: ..., not a list:"
            " remove the '- ' before them",
        ),
        # a mapping where a list is expected
        (
            "tor.yaml",
            TOR_YAML.split("  - id")[0] + '  id: "1"\n  title: Politiek\n',
            4,
            1,
            "tor.yaml: themes: expected a list, not fields (key: value): start each item with '- '",
        ),
        # text where a list is expected
        (
            "report.yaml",
            REPORT_YAML + "deny: Kompas\n",
            APPENDED,
            1,
            "report.yaml: deny: expected a list, not the text 'Kompas': write each item on a line of its own,"
            " starting with '- '",
        ),
        # text where a list of authors is expected
        (
            "sources.yaml",
            SOURCES_YAML.replace("author: [{literal: Human Rights Watch}]", "author: Human Rights Watch"),
            3,
            3,
            "sources.yaml: author: expected a list of names, not the text 'Human Rights Watch':"
            " write author: [{literal: Human Rights Watch}]",
        ),
        # dates: day first, a day that does not exist, one digit
        (
            "report.yaml",
            REPORT_YAML.replace("date: 2026-03-01", "date: 31-01-2026"),
            5,
            1,
            "report.yaml: date: 31-01-2026 is not a date: write the year first, 2026-01-31",
        ),
        (
            "report.yaml",
            REPORT_YAML.replace("date: 2026-03-01", "date: 31-02-2026"),
            5,
            1,
            "report.yaml: date: 31-02-2026 is not a date: that day does not exist; write year-month-day, such as"
            " 2026-03-01",
        ),
        (
            "report.yaml",
            REPORT_YAML.replace("date: 2026-03-01", "date: 2026-02-31"),
            5,
            1,
            "report.yaml: date: 2026-02-31 is not a date: that day does not exist; write year-month-day, such as"
            " 2026-03-01",
        ),
        (
            "report.yaml",
            REPORT_YAML.replace("date: 2026-03-01", "date: 2026-3-1"),
            5,
            1,
            "report.yaml: date: 2026-3-1 is not a date: write two digits for the month and the day, 2026-03-01",
        ),
        (
            "sources.yaml",
            SOURCES_YAML.replace("issued: 2025-01-16", "issued: 16-01-2025"),
            5,
            3,
            "sources.yaml: issued: 16-01-2025 is not a date: write the year first, 2025-01-16",
        ),
        # near misses
        (
            "report.yaml",
            REPORT_YAML.replace("status: concept", "status: conept"),
            7,
            1,
            "report.yaml: status: 'conept' is not allowed: write concept, review, vastgesteld or gepubliceerd"
            " (did you mean concept?)",
        ),
        (
            "sources.yaml",
            SOURCES_YAML.replace("  type: report", "  typ: report"),
            2,
            3,
            "sources.yaml: type: required field is missing; is 'typ' meant to be 'type'?",
        ),
        (
            "report.yaml",
            REPORT_YAML.replace("title: Algemeen ambtsbericht Testland", "title:"),
            1,
            1,
            "report.yaml: title: is empty: write a value",
        ),
        (
            "tor.yaml",
            TOR_YAML.replace('id: "1.1"', 'id: "1 1"'),
            8,
            9,
            "tor.yaml: themes.0.questions.0.id: '1 1' is not a valid id: use letters, digits, '.', '_' and '-',"
            " starting with a letter or a digit",
        ),
    ],
)
def test_ab002_in_plain_words(report, name, text, line, column, message):
    report.write(name, text)
    d = report.expect("AB002", name, line, column)
    assert d.message == message
    assert "Input should" not in d.message


@pytest.mark.parametrize(
    "name, old, new, line, message",
    [
        (
            "report.yaml",
            "status: concept",
            "statsu: concept",
            7,
            "report.yaml: statsu: unknown field; did you mean status?",
        ),
        (
            "tor.yaml",
            "requested_by:",
            "requsted_by:",
            2,
            "tor.yaml: requsted_by: unknown field; did you mean requested_by?",
        ),
    ],
)
def test_ab002_misspelt_key_is_one_finding_with_the_key_meant(report, name, old, new, line, message):
    # not also "status: required field is missing" at the top of the file
    text = {"report.yaml": REPORT_YAML, "tor.yaml": TOR_YAML}[name]
    report.write(name, text.replace(old, new))
    diags = [d for d in report.check() if d.code == "AB002"]
    assert [(d.line, d.column, d.message) for d in diags] == [(line, 1, message)]


def test_ab002_unknown_field_without_a_near_miss(report):
    report.write("report.yaml", REPORT_YAML + "kleur: blauw\n")
    d = report.expect("AB002", "report.yaml", APPENDED, 1)
    assert d.message == "report.yaml: kleur: unknown field"
