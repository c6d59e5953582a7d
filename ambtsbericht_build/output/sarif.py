"""SARIF 2.1.0 for GitHub code scanning: one run, one rule per check code."""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostics, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_sarif(diags: Diagnostics, *, cwd: Path | None = None) -> str:
    from ..check import REGISTRY

    rules = []
    index = {}
    for i, (code, r) in enumerate(sorted(REGISTRY.items())):
        index[code] = i
        rules.append({
            "id": code,
            "name": code,
            "shortDescription": {"text": r.summary.replace("`", "")},
            "fullDescription": {"text": " ".join(r.doc.split())},
            "defaultConfiguration": {"level": "error" if r.severity is Severity.ERROR else "warning"},
        })
    results = []
    for d in diags.sorted():
        region = {}
        if d.line:
            region["startLine"] = d.line
            if d.column:
                region["startColumn"] = d.column
        location = {"physicalLocation": {"artifactLocation": {"uri": d.display_path(cwd), "uriBaseId": "%SRCROOT%"}}}
        if region:
            location["physicalLocation"]["region"] = region
        result = {
            "ruleId": d.code,
            "level": d.severity.value,
            "message": {"text": d.message},
            "locations": [location],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "abuild",
                "version": __version__,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
