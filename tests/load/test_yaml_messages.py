"""YAML errors in plain words, at the place to fix (issue #9).

One example per kind of PyYAML error a drafter makes (the catalogue in
``load.yaml_messages.Explainer``), with the position the message points at, and
a property test: for randomly broken report files, no message uses PyYAML's
own words and every position lies inside the file.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.yamlpos import YamlError, load_yaml
from tests.fixtures.report_kit import REPORT_YAML, SOURCES_YAML, TOR_YAML

CASES = [
    # indentation off by one, deeper: the line itself, at its key
    (
        "reference_period:\n  start: 2024-01-01\n   end: 2025-01-01\n",
        3,
        4,
        "'end' is indented further than 'start' on line 2, which already has a value: indent it 2 spaces",
    ),
    # ... shallower: the line, with the two levels it could belong to
    (
        "reference_period:\n  start: 2024-01-01\n end: 2025-01-01\n",
        3,
        2,
        "'end' is indented 1 space, which lines up with no line above: indent it 2 spaces to line up with"
        " 'start' (line 2) or 0 spaces to line up with 'reference_period' (line 1)",
    ),
    # a key under a key that already has a value
    (
        "title: x\n  kind: algemeen\n",
        2,
        3,
        "'kind' is indented further than 'title' on line 1, which already has a value: start it at the"
        " beginning of the line",
    ),
    # ': ' inside an unquoted value: at the colon, with the quoted value
    (
        "- id: a\n  title: World Report 2024: Testland\n",
        2,
        27,
        "the value of 'title' contains ': ' (a colon and a space), which YAML reads as a new key; put the"
        ' whole value between double quotes: title: "World Report 2024: Testland"',
    ),
    # unclosed quotes and brackets: where they open
    ('title: "World Report\nkind: x\n', 1, 8, 'the quote (") that opens here is never closed'),
    ("kind: x\ntitle: 'World Report\n", 2, 8, "the quote (') that opens here is never closed"),
    ("author: [{literal: HRW}\ntitle: x\n", 1, 9, "the '[' that opens here is never closed: add ']'"),
    ("title: x\nissuer: {naam: BZ\n", 2, 9, "the '{' that opens here is never closed: add '}'"),
    ("author: [{literal: HRW]\n", 1, 23, "the '{' at line 1, column 10 is closed with ']': close it with '}'"),
    ("author: [{literal: a} {literal: b}]\n", 1, 23, "a ',' is missing before this entry"),
    ("reference_period: {start: 2024-01-01 end: 2025-01-01}\n", 1, 41, "a ',' is missing between two entries"),
    # text after a closing quote: at the quote
    ("title: 'it's'\n", 1, 11, "an apostrophe inside single quotes is written twice ('')"),
    ('title: "World" Report\n', 1, 14, 'text follows the closing quote (") of the value'),
    # tabs
    ("title: a\tb\n", 1, 9, "a tab character: YAML needs spaces here; replace the tab with a space"),
    ("\ttitle: x\n", 1, 1, "tab character used for indentation; YAML needs spaces"),
    # a list item at the wrong level: the item, with the items it can line up with
    (
        "questions:\n    - id: '1.1'\n      text: x\n   - id: '1.2'\n",
        4,
        4,
        "the list item '- id: '1.2'' is indented 3 spaces, which lines up with no line above: indent it"
        " 4 spaces to line up with the list item '- id: '1.1'' (line 2)",
    ),
    # '- ' mixed with 'key:' at the same level
    (
        "- id: a\n  type: report\nid: b\n",
        3,
        1,
        "'id' stands among the items of a list (line 1) but does not start with '- '",
    ),
    ("deny: Kompas\n- Noordstad\n", 2, 1, "a list item ('- ') stands among 'key: value' lines: 'deny' on line 1"),
    ("title: - a\n", 1, 8, "a list item ('- ') cannot stand here"),
    # a key without its colon: the line without it, not the line after
    ("title x\nkind: y\n", 1, 1, "'title x' is not 'key: value' and not a list item ('- '): add ': ' after the key"),
    ("title: x\nkind\nstatus: y\n", 2, 1, "'kind' is not 'key: value'"),
    ("title: x\nissuer:BZ\n", 2, 1, "'issuer:BZ' is not 'key: value': the colon after a key needs a space after it"),
    ("title: x\n: y\n", 2, 1, "a key is empty; write the key before the colon"),
    # the first line indented further than the rest
    (" title: x\nkind: y\n", 1, 2, "the first line is indented 1 space, further than line 2"),
    # characters YAML reserves at the start of a value
    ("title: @hrw\n", 1, 8, "text cannot start with '@' in YAML: put the whole value between double quotes"),
    ("title: `x`\n", 1, 8, "text cannot start with '`'"),
    ("title: *\n", 1, 8, "text cannot start with '*'"),
    ("title: ]x\n", 1, 8, "text cannot start with ']'"),
    ("title: *foo\n", 1, 8, "'*foo' refers to '&foo', which is not defined above"),
    ("title: |x\n  a\n", 1, 8, "'|' or '>' starts a block of text"),
    ('title: "a\\qb"\n', 1, 11, "in double quotes a backslash (\\) starts a special character"),
    # more than one document
    ("title: x\n---\nkind: y\n", 2, 1, "a second document starts here ('---')"),
    ("title: x\n...\nkind: y\n", 2, 1, "a line '...' ends the document here: remove it"),
    # a control character
    ("title: a\x07b\n", 1, 9, "control character (U+0007)"),
]


@pytest.mark.parametrize("text, line, column, words", CASES)
def test_yaml_error_in_plain_words(text, line, column, words):
    with pytest.raises(YamlError) as exc:
        load_yaml(text)
    assert (exc.value.line, exc.value.column, words) == (line, column, words)
    assert words in exc.value.message
    assert not JARGON.search(exc.value.message)


def test_yaml_error_in_plain_words_through_the_cli(report):
    report.write("sources.yaml", SOURCES_YAML.replace("title: World Report 2025", "title: World Report: 2025"))
    d = report.expect("AB001", "sources.yaml", 4, 22)
    assert d.message.startswith("invalid YAML: the value of 'title' contains ': '")


# PyYAML's words: none of them may reach a drafter
JARGON = re.compile(
    r"<|expected <|found '|but found|Scanner|Parser|Composer|Reader|while scanning|while parsing|token"
    r"|scalar|block mapping|block end|simple key|stream|\bnode\b|document start\b|MarkedYAML|Traceback"
)

_BROKEN = [" ", "  ", ": ", ":", '"', "'", "[", "]", "{", "}", "\t", "- ", "-", ",", "#", "*", "&", "!", "|", ">"]
_BROKEN += ["%", "@", "`", "?", "\\", "\n", "---\n", "...\n", "\x07"]


@st.composite
def broken_yaml(draw: st.DrawFn) -> str:
    text: str = draw(st.sampled_from([REPORT_YAML, TOR_YAML, SOURCES_YAML, "HRW: Human Rights Watch\n"]))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        kind = draw(st.integers(0, 3))
        if kind == 0 and i < len(text):
            text = text[:i] + text[i + 1 :]  # a character deleted
        elif kind == 1:
            lines = text.split("\n")
            k = draw(st.integers(0, len(lines) - 1))
            lines[k] = " " + lines[k] if draw(st.booleans()) else lines[k][1:]  # indentation off by one
            text = "\n".join(lines)
        else:
            text = text[:i] + draw(st.sampled_from(_BROKEN)) + text[i:]
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_yaml())
def test_no_yaml_message_uses_parser_jargon(text):
    try:
        load_yaml(text)
    except YamlError as exc:
        lines = text.split("\n")
        assert not JARGON.search(exc.message.replace("'<<'", "")), exc.message
        assert 1 <= exc.line <= len(lines)
        assert 1 <= exc.column <= len(lines[exc.line - 1]) + 1


def test_a_value_starting_with_an_exclamation_mark():
    with pytest.raises(YamlError) as exc:
        load_yaml("title: !Belangrijk nieuws\n")
    assert (exc.value.line, exc.value.column) == (1, 8)
    assert exc.value.message == (
        "YAML tag !Belangrijk is not supported; a value that starts with '!' goes between double quotes"
    )


@pytest.mark.parametrize(
    "front, line, column, words",
    [
        ("claims: false\nclaims: true\n", 3, 1, "duplicate key 'claims' (first defined on line 2)"),
        ("title: x\n  claims: false\n", 3, 3, "'claims' is indented further than 'title' on line 2"),
    ],
)
def test_line_numbers_in_front_matter_messages_are_the_files(report, front, line, column, words):
    from tests.fixtures.report_kit import INTRO

    report.write(INTRO, f"---\n{front}---\n\n# Inleiding\n")
    d = report.expect("AB001", INTRO, line, column)
    assert words in d.message
