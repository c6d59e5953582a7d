"""GitLab code quality report: the Code Climate JSON subset GitLab reads
(an array of issues with ``description``, ``check_name``, ``fingerprint``,
``severity`` and ``location.path``/``location.lines.begin``), so that a merge
request shows abuild's findings in its code-quality widget and diff."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..diagnostics import Diagnostics, Severity

# GitLab's scale is info, minor, major, critical, blocker: an abuild error
# blocks a vastgesteld render, so it is "blocker"; a warning is "minor"
_SEVERITY = {Severity.ERROR: "blocker", Severity.WARNING: "minor"}


def render_codequality(diags: Diagnostics, *, cwd: Path | None = None) -> str:
    issues = []
    seen: dict[str, int] = {}
    for d in diags.sorted():
        path = d.display_path(cwd)
        # the fingerprint must be stable across pipelines and unique within
        # one report (GitLab compares them between the base and the MR): the
        # finding's code, file and message, numbered when they repeat;
        # not its line, so that an edit above it does not make it "new"
        key = f"{d.code}\0{path}\0{d.message}"
        n = seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(f"{key}\0{n}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": d.code,
                "description": f"{d.code}: {d.message}",
                "categories": ["Style"] if d.severity is Severity.WARNING else ["Bug Risk"],
                "severity": _SEVERITY[d.severity],
                "fingerprint": fingerprint,
                "location": {"path": path, "lines": {"begin": d.line or 1}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
