"""``abuild verify MANIFEST``: do the files still match their manifest?

The outputs are looked for beside the manifest; the inputs (report files,
chapters, media, templates) in the repository, when it is at hand (the
current directory or one of its parents, a parent of the manifest, or
``--repo``).

Each output is ``OK`` (made by the render that wrote the manifest, or kept
from an earlier render of the same inputs), ``STALE`` (kept from an earlier
render of older inputs: ``abuild render --to html`` leaves the PDF of the
earlier text), ``CHANGED`` or ``MISSING``. A stale output fails the
verification unless ``allow_stale``: publishing it beside the manifest
would publish a text that is not the current one.
"""

from __future__ import annotations

from pathlib import Path

from ..publish.manifest import Check, ManifestError, load, verify

__all__ = ["Check", "ManifestError", "dirty_note", "verify_manifest"]


def verify_manifest(
    path: Path, repo: Path | None = None, outputs_only: bool = False, allow_stale: bool = False
) -> tuple[list[Check], bool]:
    """(checks, ok): ok when no output or input is missing or changed, and
    no output is stale (unless ``allow_stale``)."""
    checks = verify(Path(path), repo, inputs=not outputs_only)
    accepted = ("ok", "skipped", "stale") if allow_stale else ("ok", "skipped")
    ok = all(c.status in accepted for c in checks)
    return checks, ok


def dirty_note(path: Path) -> str | None:
    """A line saying that the current outputs were rendered from inputs that
    are not (all) in the commit the manifest names, or None."""
    git = load(Path(path)).get("git") or {}
    if not isinstance(git, dict):
        return None
    if "uncommitted" not in git and "untracked" not in git:  # a version 1 manifest
        changed = git.get("changed_inputs") or []
        return f"rendered from {len(changed)} input(s) not in its commit (git.changed_inputs)" if changed else None
    uncommitted, untracked = git.get("uncommitted") or [], git.get("untracked") or []
    if not uncommitted and not untracked:
        return None
    return (
        f"the current outputs were rendered from {len(uncommitted)} uncommitted and {len(untracked)} untracked "
        "input(s), not from the commit alone (git.uncommitted, git.untracked in the manifest)"
    )
