"""Confidentiality of sources is declared only where abuild enforces it
(AB305), in a form it reads (AB303), and prints nothing but its date (AB304).

One function decides what ``confidential`` means
(:func:`ambtsbericht_build.confidentiality.confidential_flag`): the model,
the load stage and the CSL items of the render agree on every value.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ambtsbericht_build import models
from ambtsbericht_build.confidentiality import confidential_flag, plain_date
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.render.csl_items import CONFIDENTIAL_GENRE, to_csl_items
from tests.fixtures.report_kit import REPORT_YAML, SOURCES_YAML

START = SOURCES_YAML.count("\n") + 2  # line of an added entry


def add(report, entry: str, key: str) -> None:
    report.write("sources.yaml", SOURCES_YAML + "\n" + entry)
    body = report.path("chapters/02-politiek.md").read_text()
    report.chapter(body + f"\nDit werd bevestigd.[@{key}]\n")


def entry(confidential: str, internal: str = "\n  internal:\n    who: advocaat Roodborst-4471") -> str:
    return f"- id: vb-roodborst\n  type: interview\n  confidential: {confidential}\n  issued: 2025-03-01{internal}\n"


def loaded(report):
    lr = load_report(report.dir, Diagnostics())
    return {s.source.id: s for s in lr.sources}


# --- one function decides ------------------------------------------------------------------

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["true", "True", "YES", "on", "1", "false", "No", "OFF", "0", "ja", "nee", "n", "f", "y", ""]),
    st.text(max_size=8),
    st.lists(st.booleans(), max_size=2),
)


@given(VALUES)
def test_model_load_and_render_agree_on_every_value(value):
    secret, valid = confidential_flag(value)
    # the render: confidential unless clearly false
    item = to_csl_items([{"id": "x", "type": "report", "title": "T", "confidential": value}], {})[0]
    assert (item.get("genre") == CONFIDENTIAL_GENRE) == secret
    # the model: reads exactly the valid values, as the same boolean
    try:
        src = models.Source.model_validate({"id": "x", "type": "report", "confidential": value})
    except ValidationError:
        assert not valid
    else:
        assert valid and src.confidential == secret
    # anything not clearly false is secret
    assert secret or valid


@pytest.mark.parametrize(
    "value, expected",
    [
        ("true", (True, True)),
        ("yes", (True, True)),
        ("1", (True, True)),
        (1, (True, True)),
        ("false", (False, True)),
        ("0", (False, True)),
        (None, (False, True)),
        ("ja", (True, False)),
        ("nee", (True, False)),
        ("n", (True, False)),  # pydantic alone would have read False
        ("f", (True, False)),
        ('""', (True, False)),
        (2, (True, False)),
    ],
)
def test_what_confidential_values_mean(value, expected):
    assert confidential_flag("" if value == '""' else value) == expected


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_a_date_is_plain(day):
    assert plain_date(day) and plain_date(day.isoformat()) and plain_date(f"{day.year:04d}")
    assert plain_date({"date-parts": [[day.year, day.month, day.day]]})


@given(st.text(min_size=1).filter(lambda t: not t.strip().isdigit()))
def test_words_are_no_plain_date(words):
    assert not plain_date({"literal": words}) and not plain_date({"raw": words})
    assert not plain_date({"date-parts": [[2025, words]]})
    assert not plain_date(f"3 maart 2025, {words}")


# --- AB303: confidential or internal that abuild does not read -----------------------------


@pytest.mark.parametrize("value", ["ja", "nee", "n", "f", '""', "2", "[true]"])
def test_ab303_unreadable_confidential_is_an_error_and_confidential(report, value):
    add(report, entry(value), "vb-roodborst")
    d = report.expect("AB303", "sources.yaml", START + 2, 3)
    assert "roodborst" not in d.message.casefold() and (value.strip('"') or "''") not in d.message.split("'")[1::2]
    assert loaded(report)["vb-roodborst"].source.confidential
    assert "AB002" not in report.codes()  # one finding, not two


def test_ab303_internal_as_text(report):
    add(report, entry("true", "\n  internal: advocaat Roodborst-4471"), "vb-roodborst")
    d = report.expect("AB303", "sources.yaml", START + 4, 3)
    assert "Roodborst" not in d.message
    assert loaded(report)["vb-roodborst"].source.confidential


def test_ab303_internal_as_text_makes_a_public_source_confidential(report):
    public = "- id: ai-2026\n  type: report\n  author: [{literal: AI}]\n  title: T\n  issued: 2026-01-01\n"
    add(report, public + "  internal: gecontroleerd door Roodborst-4471\n", "ai-2026")
    report.expect("AB303", "sources.yaml", START + 5, 3)
    assert loaded(report)["ai-2026"].source.confidential


def test_a_confidential_entry_broken_otherwise_stays_confidential(report):
    add(report, entry("true").replace("2025-03-01", "2025-13-45"), "vb-roodborst")
    assert "AB002" in report.codes()
    s = loaded(report)["vb-roodborst"]
    assert s.source.confidential and not s.broken


@pytest.mark.parametrize("value", ["true", "yes", "false", "no", "1", "0"])
def test_readable_values_pass(report, value):
    add(report, entry(value), "vb-roodborst")
    report.expect_none("AB303")


# --- AB305: confidential or internal in BibTeX or CSL-JSON ---------------------------------

BIB = """\
@misc{vb-bib,
  title = {Verslag},
  year = {2025},
  confidential = {true},
}

@misc{openbaar,
  title = {Openbaar},
  author = {Iemand},
  year = {2025},
  Internal = {notitie van Roodborst-4471},
}
"""


def test_ab302_bibtex(report):
    report.write("bronnen.bib", BIB)
    report.write("report.yaml", REPORT_YAML + "bibliography: [sources.yaml, bronnen.bib]\n")
    report.chapter(report.path("chapters/02-politiek.md").read_text() + "\nDit.[@vb-bib] Dat.[@openbaar]\n")
    found = sorted((d.line, d.column, d.message) for d in report.check() if d.code == "AB305")
    assert [(line, col) for line, col, _ in found] == [(4, 3), (11, 3)]
    assert all("Roodborst" not in m and "vb-bib" not in m for *_, m in found)
    sources = loaded(report)
    assert sources["vb-bib"].source.confidential and sources["openbaar"].source.confidential
    assert "AB301" not in report.codes()  # AB305 says what to do


def test_ab302_csl_json(report):
    items = [{"id": "vb-json", "type": "interview", "confidential": True, "issued": {"date-parts": [[2025]]}}]
    text = json.dumps(items, indent=2)
    report.write("bronnen.json", text + "\n", dedent_text=False)
    report.write("report.yaml", REPORT_YAML + "bibliography: [sources.yaml, bronnen.json]\n")
    report.chapter(report.path("chapters/02-politiek.md").read_text() + "\nDit.[@vb-json]\n")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"id": "vb-json"' in s)
    d = report.expect("AB305", "bronnen.json", line, 5)
    assert "vb-json" not in d.message


# --- AB304: a confidential source's issued is a plain date ----------------------------------


@pytest.mark.parametrize(
    "issued",
    ['{literal: "3 maart 2025, hotel Centraal"}', "{raw: 3 maart 2025}", '{date-parts: [[2025, "hotel"]]}'],
)
def test_ab304_issued_not_a_plain_date(report, issued):
    add(report, entry("true").replace("2025-03-01", issued), "vb-roodborst")
    d = report.expect("AB304", "sources.yaml", START + 3, 3)
    assert "Centraal" not in d.message and "hotel" not in d.message and "vb-roodborst" not in d.message


@pytest.mark.parametrize("issued", ["2025-03-01", "2025-03", "2025", "undated", "{date-parts: [[2025, 3, 1]]}"])
def test_plain_dates_pass(report, issued):
    add(report, entry("true").replace("2025-03-01", issued), "vb-roodborst")
    report.expect_none("AB304")


# --- the audit knows the secrets of an entry whose declaration is in doubt ------------------


def test_the_audit_looks_for_the_key_and_values_of_doubtful_entries(report):
    from ambtsbericht_build.publish.forbidden import secret_fields, source_needles

    add(report, entry("ja", "\n  internal: advocaat Roodborst-4471\n  title: Gesprek Roodborst"), "vb-roodborst")
    report.write("bronnen.bib", BIB)
    report.write("report.yaml", REPORT_YAML + "bibliography: [sources.yaml, bronnen.bib]\n")
    lr = load_report(report.dir, Diagnostics())
    needles = {(n.kind, n.value) for n in source_needles(lr, lambda p: p.name)}
    assert ("confidential source key", "vb-roodborst") in needles
    assert ("confidential source key", "vb-bib") in needles
    # values are looked for as fingerprints (publish/fingerprint.py): every
    # field of these entries is among the secret fields that are cut into them
    fields = {(f.kind, f.value) for f in secret_fields(lr)}
    assert ("internal field", "advocaat Roodborst-4471") in fields
    assert ("confidential source field", "Gesprek Roodborst") in fields
    assert ("confidential source field", "Verslag") in fields
    assert any(n.kind == "internal field" and n.tokens for n in source_needles(lr, lambda p: p.name))
