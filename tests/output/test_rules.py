"""``abuild rules`` and docs/checks.md: every check code, explained."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ambtsbericht_build.check import REGISTRY
from ambtsbericht_build.cli import main
from ambtsbericht_build.commands.rules import list_rules
from ambtsbericht_build.output.rules import render_rules_markdown, rule_doc

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
        # more than the one-line summary: a rule needs a docstring
        assert len(doc) > len(rule.summary), f"{code} has no explanation (a docstring on its rule function)"


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
    body = re.sub(r"<!--.*?-->", "", md, flags=re.S)
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
