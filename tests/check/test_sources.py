"""AB106 (public source incomplete) and AB301 (confidential source identifies itself)."""

from __future__ import annotations

import pytest

from tests.fixtures.report_kit import ARCHIVED, ARCHIVED_SHA, SOURCES_YAML

# each with what AB111 asks: an archived copy (the kit's), an archive reference
PUBLIC = f"""\
- id: ai-2025
  type: report
  author: [{{literal: Amnesty International}}]
  title: Testland 2025
  issued: 2025-05-01
  URL: https://www.amnesty.org/testland-2025
  accessed: 2025-06-01
  archive: {{file: {ARCHIVED}, sha256: {ARCHIVED_SHA}}}
"""
CONFIDENTIAL = """\
- id: vb-2025-03-01
  type: interview
  confidential: true
  issued: 2025-03-01
  internal:
    who: advocaat in Havenstad
    archief: AMB-TL/2025/0301
"""
START = SOURCES_YAML.count("\n") + 2  # line of the added entry


def add_source(report, entry: str) -> None:
    report.write("sources.yaml", SOURCES_YAML + "\n" + entry)
    body = report.path("chapters/02-politiek.md").read_text()
    key = entry.split("\n", 1)[0].split(":", 1)[1].strip()
    report.chapter(body + f"\nDit werd bevestigd.[@{key}]\n")


def drop(entry: str, key: str) -> str:
    return "".join(line + "\n" for line in entry.splitlines() if not line.strip().startswith(key + ":"))


# --- AB106 --------------------------------------------------------------------


def test_public_source_passes(report):
    add_source(report, PUBLIC)
    report.expect_none()


@pytest.mark.parametrize(
    "missing, words",
    [
        ("author", "author or publisher"),
        ("title", "title"),
        ("issued", "issued (or issued: undated)"),
        ("accessed", "accessed (it has a URL)"),
    ],
)
def test_ab106_public_source_lacks_a_field(report, missing, words):
    add_source(report, drop(PUBLIC, missing))
    d = report.expect("AB106", "sources.yaml", START, 3)
    assert d.message == f"source ai-2025 lacks {words}"


def test_ab106_lists_everything_missing(report):
    add_source(report, "- id: kaal\n  type: webpage\n  URL: https://example.org\n")
    d = report.expect("AB106", "sources.yaml", START, 3)
    assert d.message == (
        "source kaal lacks author or publisher, title, issued (or issued: undated), accessed (it has a URL)"
    )


@pytest.mark.parametrize(
    "entry",
    [
        drop(PUBLIC, "author").replace("  title:", "  publisher: Amnesty International\n  title:"),
        PUBLIC.replace("issued: 2025-05-01", "issued: undated"),
        PUBLIC.replace("issued: 2025-05-01", "issued: 2025-05"),
        drop(drop(PUBLIC, "URL"), "accessed"),
    ],
)
def test_ab106_complete_variants_pass(report, entry):
    add_source(report, entry)
    report.expect_none()


def test_ab106_not_for_confidential_sources(report):
    add_source(report, CONFIDENTIAL)
    report.expect_none()


# --- AB301 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, column",
    [
        ("author", "[{literal: Advocaat X}]", 3),
        ("title", "Gesprek met advocaat X", 3),
        ("URL", "https://example.org/verslag", 3),
        ("publisher", "Ambassade", 3),
    ],
)
def test_ab301_confidential_source_with_identifying_field(report, field, value, column):
    add_source(report, CONFIDENTIAL + f"  {field}: {value}\n")
    line = START + CONFIDENTIAL.count("\n")
    d = report.expect("AB301", "sources.yaml", line, column)
    assert d.message == f"confidential source has public field {field!r}; move it under 'internal'"
    assert "vb-2025-03-01" not in d.message  # the place says which source; the key may say too much


def test_ab301_internal_fields_are_fine(report):
    add_source(
        report,
        CONFIDENTIAL.replace(
            "    who: advocaat in Havenstad", "    who: advocaat in Havenstad\n    title: Verslag 2025/0301"
        ),
    )
    report.expect_none()
