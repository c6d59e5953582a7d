"""YAML keeps the text as written (issue #8).

PyYAML's default (YAML 1.1) read ``NO: Noorwegen`` as the key ``False``,
``0612345670`` as the octal number 102878136, ``1.10`` as ``1.1`` and
``2025-01-01`` as a date. The loader keeps every plain scalar as its text
(only the null forms are None), keys are always text, and the models turn
text into dates and booleans where a field has that type.
"""

from __future__ import annotations

import json
import string

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ambtsbericht_build import models
from ambtsbericht_build.diagnostics import Diagnostics
from ambtsbericht_build.load import load_report
from ambtsbericht_build.load.yamlpos import YamlError, load_yaml
from ambtsbericht_build.publish.forbidden import INTERNAL, source_needles
from tests.fixtures.report_kit import REPORT_YAML, SOURCES_YAML, TOR_YAML

# what YAML 1.1 (and partly 1.2) would have turned into something else
TRICKY = [
    "NO", "No", "no", "N", "n", "ON", "On", "on", "OFF", "off", "Y", "y", "yes", "Yes", "YES",
    "true", "True", "TRUE", "false", "FALSE", "0123", "0612345670", "0214_0377", "0x1F", "0o17",
    "0b101", "1_000", "1e3", "1E3", "-1.5e-3", "+12", "-0", ".5", "1.", "1.0", "1.10", "1.00",
    ".inf", "-.Inf", ".NaN", "1:20", "190:20:30", "2025-01-01", "2025-1-1", "2025-01-01T10:00:00Z",
    "2025-01-01 10:00:00 +2", "2025-13-45", "12:30", "1,000", "=", "0.0.1",
]  # fmt: skip
NULLS = ["~", "null", "Null", "NULL"]


def _round_trip_key(text: str) -> str:
    data, _ = load_yaml(f"{text}: x\n")
    assert isinstance(data, dict)
    (key,) = data
    return key


@pytest.mark.parametrize("text", TRICKY + NULLS)
def test_keys_keep_their_text(text):
    assert _round_trip_key(text) == text


@pytest.mark.parametrize("text", TRICKY)
def test_values_keep_their_text(text):
    assert load_yaml(f"k: {text}\n")[0] == {"k": text}
    assert load_yaml(f"- {text}\n")[0] == [text]
    if "," not in text:  # a comma ends a value in a flow collection
        assert load_yaml(f"{{k: [{text}]}}\n")[0] == {"k": [text]}


@pytest.mark.parametrize("text", ["", "~", "null", "Null", "NULL", "!!null x"])
def test_null_values_stay_null(text):
    assert load_yaml(f"k: {text}\n")[0] == {"k": None}


@pytest.mark.parametrize(
    "text, expect",
    [
        ('k: "yes"', "yes"),
        ("k: 'NO'", "NO"),
        ("k: !!str null", "null"),
        ("k: !!int 0x1F", "0x1F"),  # an explicit type tag keeps the text too
        ("k: !!bool yes", "yes"),
        ("k: !!float 1e3", "1e3"),
        ("k: !!timestamp 2025-01-01", "2025-01-01"),
        ("k: |\n  0612345670\n", "0612345670\n"),
        ("k: 0612345670 # telefoon", "0612345670"),
    ],
)
def test_quoted_tagged_and_block_scalars(text, expect):
    assert load_yaml(text + "\n")[0] == {"k": expect}


def test_keys_that_yaml_11_made_equal_are_distinct():
    data, positions = load_yaml("NO: Noorwegen\nno: nee\n1.0: a\n1.00: b\n1.1: c\n1.10: d\n")
    assert data == {"NO": "Noorwegen", "no": "nee", "1.0": "a", "1.00": "b", "1.1": "c", "1.10": "d"}
    assert positions.keys[("1.10",)] == (6, 1)


def test_same_text_is_still_a_duplicate():
    with pytest.raises(YamlError) as exc:
        load_yaml('1: a\n"1": b\n')
    assert (exc.value.line, exc.value.column) == (2, 1)
    assert exc.value.message == "duplicate key '1' (first defined on line 1)"


NOT_TEXT = "a key must be text, not {}; write the key as a word or a quoted string"


@pytest.mark.parametrize(
    "text, line, column, message",
    [
        ("? [a, b]\n: x\n", 1, 3, NOT_TEXT.format("a list")),
        ("HRW: x\n? {a: 1}\n: y\n", 2, 3, NOT_TEXT.format("a mapping")),
        ("a: {[1, 2]: x}\n", 1, 5, NOT_TEXT.format("a list")),
        # an alias is its anchored node: the position is the list's
        ("a: &k [1]\n*k : x\n", 1, 4, NOT_TEXT.format("a list")),
        ("HRW: x\n? \n: y\n", 2, 2, "a key is empty; write the key before the colon"),
        ("a: {b: 1, ? : y}\n", 1, 12, "a key is empty; write the key before the colon"),
        ('"": y\n', 1, 1, "a key is empty; write the key before the colon"),
        ("!!binary aGk=: y\n", 1, 1, "YAML tag !!binary is not supported"),
        ("k: !!set {a, b}\n", 1, 4, "YAML tag !!set is not supported"),
        ("<<: {a: 1}\n", 1, 1, "YAML merge keys ('<<') are not supported"),
    ],
)
def test_keys_that_are_not_text_are_refused(text, line, column, message):
    with pytest.raises(YamlError) as exc:
        load_yaml(text)
    assert (exc.value.line, exc.value.column, exc.value.message) == (line, column, message)


# --- property: any plain scalar keeps its text -------------------------------------

# text that YAML reads as one plain scalar: checked with PyYAML's own scanner
_ALPHABET = string.ascii_letters + string.digits + "._-+:~/@()'\"=,!?&*%$#|<>[]{} éß€"


def _plain(text: str) -> bool:
    try:
        tokens = list(yaml.scan(text))
    except yaml.YAMLError:
        return False
    inner = tokens[1:-1]
    return len(inner) == 1 and isinstance(inner[0], yaml.ScalarToken) and inner[0].plain and inner[0].value == text


plain_text = (
    st.one_of(
        st.sampled_from(TRICKY + NULLS),
        st.from_regex(r"\A[+-]?(0[xob]?)?[0-9_]{1,12}(\.[0-9_]*)?([eE][+-]?[0-9]{1,3})?\Z"),
        st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?\Z"),
        st.from_regex(r"\A[0-9]{1,3}(:[0-9]{1,2}){1,3}(\.[0-9]*)?\Z"),
        st.text(_ALPHABET, min_size=1, max_size=30),
    )
    .map(str.strip)
    .filter(_plain)
)
PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTY
@given(key=plain_text, value=plain_text)
@example(key="NO", value="Noorwegen")
@example(key="0123", value="1e3")
def test_any_plain_scalar_is_a_glossary_key_as_written(key, value):
    data, positions = load_yaml(f"{key}: {value}\n")
    expected_value = None if value in NULLS else value
    assert data == {key: expected_value}
    assert positions.keys[(key,)] == (1, 1)
    if expected_value is not None:
        assert models.Glossary.model_validate(data).root == {key: value}


@PROPERTY
@given(values=st.lists(plain_text, min_size=1, max_size=5))
@example(values=["0612345670", "0214_0377", "0x1F", "1_000", "2025-03-04", "NO", "yes"])
def test_any_plain_scalar_in_internal_is_kept_as_written(values):
    lines = ["- id: vb-1", "  type: interview", "  confidential: true", "  issued: 2025-11-04", "  internal:"]
    lines += [f"    f{i}: {v}" for i, v in enumerate(values)]
    lines += ["    lijst: [" + ", ".join(values) + "]"] if all(_flow_safe(v) for v in values) else []
    data, _ = load_yaml("\n".join(lines) + "\n")
    assert isinstance(data, list)
    source = models.SourceList.model_validate(data).root[0]
    expected = [None if v in NULLS else v for v in values]
    assert source.internal is not None
    assert [source.internal[f"f{i}"] for i in range(len(values))] == expected
    if "lijst" in source.internal:
        assert source.internal["lijst"] == expected


def _flow_safe(text: str) -> bool:
    """Whether ``text`` is also one plain scalar inside ``[...]`` (flow context
    ends a plain scalar at more characters than block context)."""
    if any(c in text for c in ",[]{}#?:"):
        return False
    try:
        tokens = list(yaml.scan(f"[{text}]"))
    except yaml.YAMLError:
        return False
    scalars = [t for t in tokens if isinstance(t, yaml.ScalarToken)]
    return len(scalars) == 1 and scalars[0].value == text


# --- through the loader and the publication-safety needles ---------------------------

GLOSSARY = """\
NO: Noorwegen
ON: Officieel Nederlands
Y: Yemen
yes: Young European Socialists
0123: een code
1e3: duizend
2025-01-01: nieuwjaar
null: niets
~: tilde
true: waar
HRW: Human Rights Watch
"""


def test_glossary_keys_keep_their_text_through_load(report):
    report.write("glossary.yaml", GLOSSARY)
    diags = Diagnostics()
    lr = load_report(report.dir, diags)
    assert lr is not None and not list(diags)
    assert list(lr.glossary) == [line.split(": ")[0] for line in GLOSSARY.splitlines()]
    assert lr.glossary["NO"] == "Noorwegen" and lr.glossary["0123"] == "een code"
    report.expect_none()


INTERNAL_VALUES = {"tel": "0612345670", "ref": "0214_0377", "hex": "0x1F", "n": "1_000", "groot": "1_000_000"}


def test_internal_values_reach_the_audit_as_written(report):
    extra = "".join(f"    {k}: {v}\n" for k, v in INTERNAL_VALUES.items())
    report.write("sources.yaml", SOURCES_YAML + extra)
    diags = Diagnostics()
    lr = load_report(report.dir, diags)
    assert lr is not None and not list(diags)
    (confidential,) = [s for s in lr.sources if s.source.confidential]
    for key, value in INTERNAL_VALUES.items():
        assert confidential.raw["internal"][key] == value
        assert confidential.source.internal is not None and confidential.source.internal[key] == value
    needles = {n.tokens for n in source_needles(lr, lambda p: p.name) if n.kind == INTERNAL}
    # numbers are fingerprinted from their text (publish/fingerprint.py): "1_000"
    # is too short (fewer than 5 digits), the others are looked for as written
    # (their digit groups joined), never as what YAML 1.1 makes of them
    assert {("0612345670",), ("02140377",), ("1000000",)} <= needles
    assert not {("102878136",), ("612345670",), ("31",), ("2140377",), ("1000",)} & needles


def test_internal_dates_and_booleans_are_not_needles(report):
    """Not alone (publish/fingerprint.py): ``gesprek: 2026-03-01`` on the
    report's date would refuse every render, because the manifest holds that
    date; a date counts only inside a run of words."""
    extra = "    gesprek: 2026-03-01\n    opgenomen: false\n    tel: 0612345670\n"
    report.write("sources.yaml", SOURCES_YAML + extra)
    lr = load_report(report.dir, Diagnostics())
    assert lr is not None
    needles = {n.tokens for n in source_needles(lr, lambda p: p.name) if n.kind == INTERNAL}
    assert ("0612345670",) in needles
    assert not {("20260301",), ("2026", "03", "01"), ("false",)} & needles


@pytest.mark.parametrize("text", ["2025-03-04", "2025-3-4 10:00:00", "yes", "NO", "False", "on"])
def test_yaml11_date_or_bool(text):
    assert models.yaml11_date_or_bool(text)


@pytest.mark.parametrize("text", ["0612345670", "0214_0377", "2025-03", "2025", "ja", "y", "1e3", "2025-03-04x"])
def test_not_yaml11_date_or_bool(text):
    assert not models.yaml11_date_or_bool(text)


# --- typed fields: text becomes a date or a boolean, or a plain-words AB002 ---------


def test_unquoted_version_and_tor_ids_are_their_text(report):
    report.write("report.yaml", REPORT_YAML.replace('version: "1.0"', "version: 1.10"))
    report.write("tor.yaml", TOR_YAML.replace('id: "1.1"', "id: 1.1").replace('id: "1.2"', "id: 1.10"))
    report.chapter(report.path("chapters/02-politiek.md").read_text().replace('tor="1.2"', 'tor="1.10"'))
    diags = Diagnostics()
    lr = load_report(report.dir, diags)
    assert lr is not None and lr.report is not None and lr.tor is not None and not list(diags)
    assert lr.report.version == "1.10"
    assert [q.id for q in lr.tor.themes[0].questions] == ["1.1", "1.10"]
    report.expect_none()


def test_unquoted_tor_ids_that_differ_in_text_are_not_duplicates(report):
    report.write("tor.yaml", TOR_YAML.replace('id: "1.1"', "id: 1.1").replace('id: "1.2"', "id: 1.10"))
    assert "AB002" not in report.codes()
    report.write("tor.yaml", TOR_YAML.replace('id: "1.1"', "id: 1.1").replace('id: "1.2"', 'id: "1.1"'))
    d = report.expect("AB002", "tor.yaml", 10, 9)
    assert d.message == "tor.yaml: question id '1.1' is used twice (first on line 8)"


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "yes", "on", "1"])
def test_confidential_true_forms(report, word):
    report.write("sources.yaml", SOURCES_YAML.replace("confidential: true", f"confidential: {word}"))
    diags = Diagnostics()
    lr = load_report(report.dir, diags)
    assert lr is not None and not list(diags)
    assert [s.source.confidential for s in lr.sources if s.source.id == "vb-2025-11-04"] == [True]


@pytest.mark.parametrize("word", ["ja", "nee", "n", "f"])
def test_confidential_that_is_no_boolean_is_ab303_and_confidential(report, word):
    """Not AB002: the source is not dropped but treated as confidential
    until the drafter writes true or false (tests/check/test_confidential_sources.py)."""
    report.write("sources.yaml", SOURCES_YAML.replace("confidential: true", f"confidential: {word}"))
    report.expect("AB303", "sources.yaml", 11, 3)
    lr = load_report(report.dir, Diagnostics())
    assert lr is not None
    assert [s.source.confidential for s in lr.sources if s.source.id == "vb-2025-11-04"] == [True]


@pytest.mark.parametrize(
    "name, old, new, line, column, message",
    [
        (
            "report.yaml",
            "date: 2026-03-01",
            "date: 0",
            5,
            1,
            "report.yaml: date: 0 is not a date: write year-month-day, such as 2026-03-01",
        ),
        (
            "report.yaml",
            "date: 2026-03-01",
            "date: 20260301",
            5,
            1,
            "report.yaml: date: 20260301 is not a date: write year-month-day, such as 2026-03-01",
        ),
        (
            "report.yaml",
            "{start: 2024-09-01,",
            "{start: 1e3,",
            6,
            20,
            "report.yaml: reference_period.start: 1e3 is not a date: write year-month-day, such as 2026-03-01",
        ),
        (
            "tor.yaml",
            "date: 2025-06-10",
            "date: 1700000000",
            3,
            1,
            "tor.yaml: date: 1700000000 is not a date: write year-month-day, such as 2026-03-01",
        ),
        (
            "sources.yaml",
            "issued: 2025-01-16",
            "issued: 2025-02-30",
            5,
            3,
            "sources.yaml: issued: 2025-02-30 is not a date: that day does not exist;"
            ' write 2025-03-01, 2025-03, 2025 or "undated"',
        ),
        (
            "sources.yaml",
            "issued: 2025-01-16",
            "issued: 2025-13",
            5,
            3,
            'sources.yaml: issued: 2025-13 is not a date: write 2025-03-01, 2025-03, 2025 or "undated"',
        ),
        (
            "sources.yaml",
            "issued: 2025-01-16",
            "issued: 0",
            5,
            3,
            'sources.yaml: issued: 0 is not a date: write 2025-03-01, 2025-03, 2025 or "undated"',
        ),
    ],
)
def test_typed_fields_refuse_in_plain_words(report, name, old, new, line, column, message):
    text = {"sources.yaml": SOURCES_YAML, "report.yaml": REPORT_YAML, "tor.yaml": TOR_YAML}[name]
    assert old in text
    report.write(name, text.replace(old, new))
    d = report.expect("AB002", name, line, column)
    assert d.message == message


def test_front_matter_booleans(report):
    from tests.fixtures.report_kit import INTRO

    report.write(INTRO, "---\nclaims: no\nnumbered: False\n---\n\n# Inleiding\n\nZonder bron.\n")
    report.expect_none()
    report.write(INTRO, "---\nclaims: nee\n---\n\n# Inleiding\n")
    d = report.expect("AB002", INTRO, 2, 1)
    assert d.message == "01-inleiding.md: claims: write true or false, not 'nee'"


@pytest.mark.parametrize("issued", ["2025", "2025-01", "2025-01-02", '"2025-01-02"', "undated"])
def test_csl_dates_the_docs_name(report, issued):
    report.write("sources.yaml", SOURCES_YAML.replace("issued: 2025-01-16", f"issued: {issued}"))
    report.expect_none()


def test_full_dates_compare_day_by_day(report):
    """AB501 'accessed before issued' needs a full date: text 2025-01-16 still is one."""
    report.write("sources.yaml", SOURCES_YAML.replace("accessed: 2025-02-03", "accessed: 2025-01-15"))
    d = report.expect("AB501", "sources.yaml", 7, 3)
    assert "accessed (2025-01-15) before it was issued (2025-01-16)" in d.message


def test_csl_items_for_pandoc_are_unchanged(report):
    """The items pandoc gets: dates as date-parts, numbers-as-text as written."""
    from ambtsbericht_build.render.csl_items import to_csl_items

    volume = SOURCES_YAML.replace("  accessed: 2025-02-03\n", "  accessed: 2025-02-03\n  volume: 012\n")
    report.write("sources.yaml", volume)
    lr = load_report(report.dir, Diagnostics())
    assert lr is not None
    items = to_csl_items([dict(s.raw) for s in lr.sources], lr.glossary)
    assert items[0]["issued"] == {"date-parts": [[2025, 1, 16]]}
    assert items[0]["accessed"] == {"date-parts": [[2025, 2, 3]]}
    assert items[0]["volume"] == "012"
    assert items[1]["issued"] == {"date-parts": [[2025, 11, 4]]}
    json.dumps(items)
