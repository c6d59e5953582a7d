"""A Git revision's files, written into a directory: what ``abuild publish``
renders an edition from (the tag's tree, not the working tree).

``git archive`` writes the tree as a tar stream; it is unpacked with the
``data`` filter of :mod:`tarfile` (no absolute paths, no ``..``, no device
files, no link that leaves the directory), so a hostile tree cannot write
outside it. Symbolic links stay links: the loader refuses the ones that
leave the report, as it does in the working tree."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

# a tree bigger than this is refused instead of being unpacked: a report
# repository with its media is some tens of MB (the example: 1.2 MB)
MAX_TREE_BYTES = 1024 * 1024 * 1024


class RevisionError(Exception):
    """Git could not give the revision's files (one line, for the user)."""


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(msg[-1] if msg else f"git {' '.join(args)} failed")
    return proc.stdout.decode("utf-8", "surrogateescape")


def commit_time(root: Path, rev: str) -> int:
    """The committer time of ``rev`` (seconds since 1970): the
    SOURCE_DATE_EPOCH of everything rendered from it."""
    return int(git(root, "log", "-1", "--format=%ct", f"{rev}^{{commit}}").strip())


def export_tree(root: Path, rev: str, dest: Path) -> None:
    """Write the files of ``rev`` (the whole tree: the report, the shared
    bibliography and the repository's templates) into ``dest``."""
    proc = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", f"{rev}^{{tree}}"], capture_output=True, check=False
    )
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(msg[-1] if msg else f"git archive {rev} failed")
    if len(proc.stdout) > MAX_TREE_BYTES:
        raise RevisionError(f"{rev}: the tree is larger than {MAX_TREE_BYTES // 2**20} MB")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(proc.stdout), mode="r:") as tar:
        try:
            tar.extractall(dest, filter="data")
        except tarfile.FilterError as exc:
            raise RevisionError(f"{rev}: {exc}") from None
    # a directory .git marks the repository root for the loader (load/files.py)
    (dest / ".git").mkdir(exist_ok=True)
