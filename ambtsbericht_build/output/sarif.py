"""SARIF 2.1.0 for GitHub code scanning: one run, one rule per check code.

What code scanning needs, and what this writes (tests/output/test_sarif.py
validates it against the OASIS schema and checks each point):

- ``runs[0].tool.driver`` with ``name``, ``version`` and every rule
  (``id``, a readable ``name``, ``shortDescription``, ``fullDescription``,
  ``help``, ``defaultConfiguration.level``);
- per result: ``ruleId`` and ``ruleIndex``, ``level`` (error | warning),
  ``message.text``, and one location whose ``artifactLocation.uri`` is a
  relative URI reference (percent-encoded, ``/`` separators), relative to the
  current directory, which in CI is the repository root, with ``uriBaseId``
  ``%SRCROOT%``; and a ``region`` with ``startLine`` >= 1 (a finding about a
  whole file, line 0, points at line 1).

Fingerprints are left to the upload action (``github/codeql-action/upload-sarif``
computes ``primaryLocationLineHash`` from the file itself).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__
from ..diagnostics import Diagnostics
from .rules import _plain, render_rule_help_markdown, render_rule_help_text, rule_doc, rule_level

if TYPE_CHECKING:
    from ..check import Rule

SCHEMA = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"


def artifact_uri(path: str) -> str:
    """A display path (``/``-separated) as a URI reference: ``reports/my report/x.md``
    -> ``reports/my%20report/x.md``. Absolute paths become ``file:`` URIs."""
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    if len(path) > 2 and path[1] == ":" and path[2] == "/":  # C:/... on Windows
        return "file:///" + quote(path, safe="/:")
    return quote(path, safe="/")


def _rule_name(rule: Rule) -> str:
    """A readable identifier: the rule function's name in CamelCase (``uncited_blocks``
    -> ``UncitedBlocks``); the load rules are named after what they detect."""
    names = {"AB001": "UnreadableFile", "AB002": "SchemaViolation", "AB003": "MissingFile"}
    if rule.code in names:
        return names[rule.code]
    if rule.func is not None:
        return "".join(part.capitalize() for part in rule.func.__name__.split("_") if part)
    return rule.code


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    summary = _plain(rule.summary)
    # the help is what `abuild rules CODE` prints and docs/checks.md shows
    return {
        "id": rule.code,
        "name": _rule_name(rule),
        "shortDescription": {"text": summary[:1].upper() + summary[1:]},
        "fullDescription": {"text": _plain(rule_doc(rule))},
        "help": {"text": render_rule_help_text(rule), "markdown": render_rule_help_markdown(rule)},
        "defaultConfiguration": {"level": rule_level(rule)},
        "properties": {"tags": ["ambtsbericht", rule.family]},
    }


def render_sarif(diags: Diagnostics, *, cwd: Path | None = None) -> str:
    from ..check import REGISTRY

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for i, (code, r) in enumerate(sorted(REGISTRY.items())):
        index[code] = i
        rules.append(_rule_descriptor(r))
    results: list[dict[str, Any]] = []
    for d in diags.sorted():
        region: dict[str, int] = {"startLine": d.line if d.line >= 1 else 1}
        if d.line >= 1 and d.column >= 1:
            region["startColumn"] = d.column
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(d.display_path(cwd)), "uriBaseId": "%SRCROOT%"},
                "region": region,
            }
        }
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": d.severity.value,
            "message": {"text": d.message},
            "locations": [location],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    doc: dict[str, Any] = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "abuild",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [{"executionSuccessful": True}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
