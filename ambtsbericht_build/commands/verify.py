"""``abuild verify MANIFEST``: do the files still match their manifest?

The outputs are looked for beside the manifest; the inputs (report files,
chapters, media, templates) in the repository, when it is at hand (the
current directory or one of its parents, a parent of the manifest, or
``--repo``).
"""

from __future__ import annotations

from pathlib import Path

from ..publish.manifest import Check, ManifestError, verify

__all__ = ["Check", "ManifestError", "verify_manifest"]


def verify_manifest(path: Path, repo: Path | None = None, outputs_only: bool = False) -> tuple[list[Check], bool]:
    """(checks, ok): ok when no output or input is missing or changed."""
    checks = verify(Path(path), repo, inputs=not outputs_only)
    ok = all(c.status in ("ok", "skipped") for c in checks)
    return checks, ok
