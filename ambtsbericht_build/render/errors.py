"""Why a render ended without replacing the previous outputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class RenderFailed(Exception):
    pass


class AuditFailed(RenderFailed):
    """The new outputs contain something that must never be published."""

    def __init__(self, findings: Sequence[Any]):
        self.findings = list(findings)
        shown = "\n".join(f"  {f}" for f in findings[:50])
        more = f"\n  ... and {len(findings) - 50} more" if len(findings) > 50 else ""
        super().__init__(
            f"the audit of the new outputs found {len(findings)} problem(s); "
            f"the previous outputs were left as they were:\n{shown}{more}\n"
            "(no value is shown: the parenthesis says which piece of it was found, the bracket where it was written)"
        )
