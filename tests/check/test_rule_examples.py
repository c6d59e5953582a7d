"""Every rule's documented example triggers its code; its documented fix clears it.

The examples and fixes are those ``abuild rules`` prints and docs/checks.md
shows (:class:`~ambtsbericht_build.check.RuleDoc`). Each is put into the small
valid report of tests/fixtures/report_kit.py the way
:mod:`ambtsbericht_build.check.ruledoc` describes, and ``abuild check`` runs on
it: a documented example cannot rot.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
import yaml
from click.testing import CliRunner

from ambtsbericht_build.check import REGISTRY, Snippet
from ambtsbericht_build.check.ruledoc import FILE_DIRS
from ambtsbericht_build.cli import main
from tests.fixtures.report_kit import ReportDir

EXAMPLE_CHAPTER = "chapters/03-voorbeeld.md"

# a 1x1 PNG, so that an image example is about its text, not a missing file
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


def _replace_keys(text: str, snippet: str) -> str:
    """``text`` (a YAML mapping) with the top-level keys of ``snippet`` replaced by the snippet's."""
    keys = set(yaml.safe_load(snippet))
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        m = re.match(r"([A-Za-z_][\w-]*):", line)
        if m:
            skipping = m.group(1) in keys
        elif not line.startswith((" ", "\t", "-")) and line.strip():
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out).rstrip("\n") + "\n" + snippet


def apply(report: ReportDir, snippets: tuple[Snippet, ...]) -> None:
    for s in snippets:
        if s.target == "chapter":
            report.write(EXAMPLE_CHAPTER, s.text, dedent_text=False)
        elif s.target.startswith(FILE_DIRS) or s.target == "glossary.yaml":
            report.write(s.target, s.text, dedent_text=False)
        elif s.target == "sources.yaml":
            path = report.path("sources.yaml")
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + s.text, encoding="utf-8")
        else:
            path = report.path(s.target)
            path.write_text(_replace_keys(path.read_text(encoding="utf-8"), s.text), encoding="utf-8")


def fixed_snippets(example: tuple[Snippet, ...], fixed: tuple[Snippet, ...]) -> tuple[Snippet, ...]:
    """The example with the fix applied: a fix snippet replaces the example's for its target."""
    targets = {s.target for s in fixed}
    return tuple(s for s in example if s.target not in targets) + fixed


def codes(report: ReportDir) -> list[str]:
    report.path("media").mkdir(exist_ok=True)
    report.path("media/kaart.png").write_bytes(PIXEL)
    res = CliRunner().invoke(main, ["check", "--format", "json", str(report.dir)])
    assert res.exit_code in (0, 1), res.output
    return [d["code"] for d in json.loads(res.output)["diagnostics"]]


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_example_triggers_its_code(report, code):
    apply(report, REGISTRY[code].doc.example)
    assert code in codes(report)


@pytest.mark.parametrize("code", sorted(c for c, r in REGISTRY.items() if r.doc.fixed))
def test_fix_clears_its_code(report, code):
    doc = REGISTRY[code].doc
    apply(report, fixed_snippets(doc.example, doc.fixed))
    # a documented fix leaves nothing to fix: not only its own code
    assert codes(report) == []


def test_the_base_report_is_clean_with_the_example_media(report):
    assert codes(report) == []
