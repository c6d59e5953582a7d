"""``abuild rules`` and docs/checks.md: every check code, explained."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ambtsbericht_build.check import REGISTRY
from ambtsbericht_build.cli import main
from ambtsbericht_build.commands.rules import list_rules
from ambtsbericht_build.output.rules import (
    prose,
    render_rule_help_markdown,
    render_rule_markdown,
    render_rule_text,
    render_rules_markdown,
    rule_doc,
)
from ambtsbericht_build.output.sarif import render_sarif

REPO = Path(__file__).resolve().parents[2]
CHECKS_MD = REPO / "docs" / "checks.md"


def test_docs_checks_md_is_up_to_date():
    assert CHECKS_MD.read_text(encoding="utf-8") == render_rules_markdown(), (
        "docs/checks.md is out of date: run `abuild rules --format markdown > docs/checks.md`"
    )


def test_every_rule_is_explained():
    for code, rule in REGISTRY.items():
        assert re.fullmatch(r"AB\d{3}", code)
        doc = rule_doc(rule)
        # more than the one-line summary: a rule needs an explanation
        assert len(doc) > len(rule.summary), f"{code} has no explanation (RuleDoc.finds)"
        # what it finds, why it matters, an example and the fix, each a sentence at least
        for field in ("finds", "why", "fix"):
            text = prose(getattr(rule.doc, field))
            assert len(text.split()) >= 5 and text.endswith((".", ")")), (code, field, text)
        assert rule.doc.example, code
        assert all(s.text.strip() for s in rule.doc.example + rule.doc.fixed), code


def test_one_rule_explained_in_every_section():
    res = CliRunner().invoke(main, ["rules", "AB101"])
    assert res.exit_code == 0
    out = res.output
    assert out.startswith("AB101  error    paragraph or list item in a claims chapter cites no source\n")
    assert [ln for ln in out.splitlines() if ln and not ln.startswith(" ")][1:] == [
        "What it finds",
        "Why it matters",
        "Example",
        "Fix",
    ]
    # the example and the fix are printed verbatim, indented
    for s in REGISTRY["AB101"].doc.example + REGISTRY["AB101"].doc.fixed:
        assert "\n".join("        " + ln if ln else "" for ln in s.text.splitlines()) in out
    assert out == render_rule_text(REGISTRY["AB101"])


def test_list_without_codes_is_one_line_per_code():
    res = CliRunner().invoke(main, ["rules"])
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert [ln.split()[0] for ln in lines] == sorted(REGISTRY)


def test_unknown_code_says_which_and_exits_2():
    res = CliRunner().invoke(main, ["rules", "AB101", "AB999", "X"])
    assert res.exit_code == 2
    assert "no such check code: AB999, X" in res.output
    assert "AB101  error " not in res.output  # nothing printed before the usage error


def test_sarif_rule_help_is_the_same_text():
    import json

    from ambtsbericht_build.diagnostics import Diagnostics

    rules = json.loads(render_sarif(Diagnostics()))["runs"][0]["tool"]["driver"]["rules"]
    for r in rules:
        rule = REGISTRY[r["id"]]
        assert r["help"]["text"] == render_rule_text(rule)
        assert r["help"]["markdown"] == render_rule_help_markdown(rule)
        assert r["help"]["markdown"] in render_rule_markdown(rule)
        assert r["help"]["markdown"] in CHECKS_MD.read_text(encoding="utf-8")


def test_text_lists_every_code_with_severity_and_summary():
    text = list_rules("text")
    for code, rule in REGISTRY.items():
        line = next(ln for ln in text.splitlines() if ln.startswith(code + " "))
        assert rule.severity.value in line and rule.summary in line


def test_text_wraps_explanations_and_keeps_code_spans_whole():
    text = list_rules("text")
    for ln in text.splitlines():
        if ln.startswith("    "):
            assert ln.count("`") % 2 == 0, ln


def test_markdown_has_a_section_and_a_table_row_per_rule():
    md = list_rules("markdown")
    for code in REGISTRY:
        assert f"\n## {code}\n" in md
        assert f"| [{code}](#{code.lower()}) |" in md


def test_markdown_has_no_raw_html_outside_code():
    md = render_rules_markdown()
    body = re.sub(r"^```\w*\n.*?^```$", "", md, flags=re.S | re.M)  # examples: code, not HTML
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"`[^`]*`", "", body)
    assert "<" not in body and ">" not in body


def test_select_codes_and_unknown_code():
    runner = CliRunner()
    res = runner.invoke(main, ["rules", "ab201", "AB105"])
    assert res.exit_code == 0
    assert [ln.split()[0] for ln in res.output.splitlines() if ln[:2] == "AB"] == ["AB105", "AB201"]  # in code order
    res = runner.invoke(main, ["rules", "AB999"])
    assert res.exit_code == 2
    assert "AB999" in res.output


def test_cli_markdown_is_the_doc():
    res = CliRunner().invoke(main, ["rules", "--format", "markdown"])
    assert res.exit_code == 0
    assert res.output == CHECKS_MD.read_text(encoding="utf-8")
