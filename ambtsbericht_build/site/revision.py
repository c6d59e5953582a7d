"""Git, asked by ``abuild publish`` (the tags and the files at a tag; a
tag's tree is exported by :func:`ambtsbericht_build.diff.revisions.export`,
as for ``abuild diff``)."""

from __future__ import annotations

import subprocess
from pathlib import Path


class RevisionError(Exception):
    """Git could not answer (one line, for the user)."""


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=60)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(msg[-1] if msg else f"git {' '.join(args)} failed")
    return proc.stdout.decode("utf-8", "surrogateescape")
