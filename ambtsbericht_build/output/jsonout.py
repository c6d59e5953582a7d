"""The machine-readable JSON of SPEC §7 (schema: schemas/check-output.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path

from ..diagnostics import Diagnostics


def render_json(diags: Diagnostics, *, cwd: Path | None = None) -> str:
    doc = {
        "version": 1,
        "diagnostics": [d.to_json(cwd) for d in diags.sorted()],
        "summary": {"errors": diags.errors, "warnings": diags.warnings},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
