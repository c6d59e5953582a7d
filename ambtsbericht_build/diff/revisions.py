"""The two sides of a diff as directories: a Git revision's files, exported.

Only what a report is built from is exported: the report's own directory,
the shared ``bibliography/`` and the repository's ``templates/`` (house
style overrides), at the same paths under a temporary directory with a
``.git`` marker, so that the loader finds the same repository layout and
reads nothing outside it. A symlink in the revision stays a symlink: one
that stays inside the exported files as it was (the loader follows it, as
in a working tree), one that leaves them (an absolute path, too many
``..``) to a path outside the export where no file is (:data:`OUTSIDE`):
the loader refuses it as leaving the repository, as it would in a working
tree, and its target, which may lie anywhere, is never read.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import tools

SHARED = ("bibliography", "templates")  # beside reports/: read by every report
# where an exported symlink that leaves the revision points instead: beside
# the export, outside it, and no file (the loader says the link leaves the
# repository and reads nothing)
OUTSIDE = "outside-the-revision"
GIT_TIMEOUT = 60  # seconds; git archive of the benchmark report takes 0.05 s


class DiffRefused(Exception):
    """Why there is no diff, for the drafter; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Revision:
    name: str  # as given: "v1.0", "HEAD~1"
    commit: str  # 40 hex digits
    epoch: int  # commit time, seconds since 1970 (UTC)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.commit[:10]})" if self.name != self.commit else self.commit[:10]


def _git(root: Path, *args: str, text: bool = True) -> subprocess.CompletedProcess[Any]:
    try:
        return tools.run(["git", "-C", str(root), *args], timeout=GIT_TIMEOUT, text=text)
    except FileNotFoundError:
        raise DiffRefused("git is not installed: abuild diff compares Git revisions", 1) from None
    except subprocess.TimeoutExpired:
        raise DiffRefused(f"git {args[0]} took more than {GIT_TIMEOUT} s", 1) from None


def repository(report_dir: Path) -> tuple[Path, str]:
    """The repository's top directory, and the report's path in it (``reports/x``)."""
    where = report_dir if report_dir.is_dir() else report_dir.parent
    proc = _git(where, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise DiffRefused(f"{report_dir} is not in a Git repository: abuild diff compares Git revisions", 2)
    root = Path(str(proc.stdout).strip()).resolve()
    try:
        rel = Path(os.path.abspath(report_dir)).resolve().relative_to(root).as_posix()
    except ValueError:
        raise DiffRefused(f"{report_dir} is not inside the repository {root}", 2) from None
    if rel == ".":
        raise DiffRefused(f"{report_dir} is the repository itself, not a report directory in it", 2)
    return root, rel


def resolve(root: Path, name: str) -> Revision:
    """A commit, branch or tag; anything else is a usage error."""
    if not name or name.startswith("-") or any(ch in name for ch in "\0\n"):
        raise DiffRefused(f"{name!r} is not a Git revision", 2)
    proc = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    if proc.returncode != 0:
        raise DiffRefused(f"unknown revision {name!r}: not a commit, branch or tag of this repository", 2)
    commit = str(proc.stdout).strip()
    when = _git(root, "log", "-1", "--format=%ct", commit)
    return Revision(name, commit, int(str(when.stdout).strip() or 0))


def uncommitted(root: Path, paths: list[str]) -> list[str]:
    """Files under ``paths`` that differ from HEAD (changed, staged or untracked)."""
    proc = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    entries = [e for e in str(proc.stdout).split("\0") if e]
    return [e[3:] for e in entries if len(e) > 3 and e[2] == " "]


def _exists(root: Path, commit: str, rel: str) -> bool:
    proc = _git(root, "ls-tree", "-d", "--name-only", commit, "--", rel)
    return proc.returncode == 0 and str(proc.stdout).strip() == rel


def export(root: Path, rev: Revision, report_rel: str, dest: Path, max_bytes: int) -> Path:
    """Write the report's files at ``rev`` under ``dest``; returns the report directory there.

    git's tar is read as it comes (never whole in memory) and each file
    written as it is read. A file larger than any the loader reads (``max_bytes``,
    20 MB for an image) is written as a sparse file of its size, nothing
    in it: the loader refuses it by its size, as it would in a working tree,
    and neither memory nor disk holds it."""
    from ..load.images import MAX_IMAGE_BYTES

    if not _exists(root, rev.commit, report_rel):
        raise DiffRefused(f"the report {report_rel} does not exist at {rev.label}", 1)
    paths = [report_rel] + [p for p in SHARED if _exists(root, rev.commit, p)]
    (dest / ".git").mkdir(parents=True)
    limit = max(max_bytes, MAX_IMAGE_BYTES)
    args = ["git", "-C", str(root), "archive", "--format=tar", rev.commit, "--", *paths]
    with tempfile.TemporaryFile() as err:
        with tools.popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err) as proc:
            try:
                with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                    for member in tar:
                        _extract(tar, member, dest, limit)
                # tarfile stops at the end-of-archive blocks; git still writes the
                # padding of its last 10 KiB record: read it, or git may die of
                # SIGPIPE when the pipe closes ("git archive ... failed:" with no
                # word, seen under load)
                assert proc.stdout is not None
                while proc.stdout.read(1 << 16):
                    pass
            except tarfile.TarError as exc:
                proc.kill()
                raise DiffRefused(f"git archive of {rev.label} gave no readable tar: {exc}", 1) from None
            except BaseException:
                proc.kill()
                raise
        if proc.returncode != 0:
            err.seek(0)
            said = err.read(2000).decode("utf-8", "replace").strip()
            raise DiffRefused(f"git archive of {rev.label} failed: {said}", 1)
    return dest / report_rel


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, limit: int) -> None:
    name = PurePosixPath(member.name)
    if name.is_absolute() or ".." in name.parts or not name.parts:
        return  # git writes neither; a hostile tar is not followed
    target = dest.joinpath(*name.parts)
    if member.isdir():
        target.mkdir(parents=True, exist_ok=True)
    elif member.issym():
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(_link_target(name, member.linkname, dest), target)
    elif member.isfile():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            if member.size > limit:
                out.truncate(member.size)  # sparse: refused by its size, never read
                return
            src = tar.extractfile(member)
            if src is not None:
                shutil.copyfileobj(src, out, 1024 * 1024)


def _link_target(name: PurePosixPath, link: str, dest: Path) -> str:
    """``link`` when it points inside the export, else a path outside it where no file is."""
    joined = posixpath.normpath(posixpath.join(str(name.parent), link))
    inside = not posixpath.isabs(link) and joined != ".." and not joined.startswith("../")
    return link if inside else str(dest.parent / OUTSIDE)
