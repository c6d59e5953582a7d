"""What ``abuild status --advance`` asks Git: the commit reviewed, whether
the report's files are committed, whether an edition's tag exists.

Git is run with fixed arguments, in the repository, with a time limit; a
missing or failing Git is an answer ("not a Git repository"), never a
traceback."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import tools

# git status of a report and its shared bibliography takes ~10 ms; 20 s is
# a wedged repository (a stale index.lock on a network disk), not a slow one
TIMEOUT = 20.0


@dataclass(frozen=True)
class Tree:
    root: Path  # the repository's top level
    commit: str  # HEAD, full hash
    dirty: list[str]  # changed, staged or untracked files among those asked about, as Git names them


class GitRefused(Exception):
    """Git cannot vouch for the commit: the message says why, for the drafter."""


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        # literal pathspecs: a file named "*.yaml" or ":(exclude)x" is that file
        return tools.run(["git", "--literal-pathspecs", "-C", str(cwd), *args], timeout=TIMEOUT)
    except FileNotFoundError:
        raise GitRefused("git is not installed; a step records the commit reviewed") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitRefused(f"git did not answer ({exc.__class__.__name__})") from None


def tree(report_dir: Path, paths: list[Path]) -> Tree:
    """HEAD and the uncommitted files among ``paths`` (the report directory,
    the bibliography files it reads)."""
    top = _git(report_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise GitRefused(f"{report_dir} is not in a Git repository; a step records the commit reviewed")
    root = Path(top.stdout.strip())
    head = _git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}")
    if head.returncode != 0:
        raise GitRefused("the repository has no commit yet; commit the report first")
    rel = []
    for p in paths:
        try:
            rel.append(p.resolve().relative_to(root.resolve()).as_posix() or ".")
        except ValueError:
            continue  # outside the repository: never read, so never reviewed either
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *rel)
    if status.returncode != 0:
        raise GitRefused(f"git status failed: {status.stderr.strip()[:200]}")
    return Tree(root, head.stdout.strip(), _paths(status.stdout))


def _paths(porcelain: str) -> list[str]:
    """The paths of ``git status --porcelain -z``; a rename's source is skipped."""
    out: list[str] = []
    records = porcelain.split("\0")
    i = 0
    while i < len(records):
        rec = records[i]
        i += 1
        if len(rec) > 3:
            out.append(rec[3:])
            if rec[0] in "RC":
                i += 1
    return out


def tag_exists(root: Path, tag: str) -> bool:
    return _git(root, "rev-parse", "--verify", "-q", f"refs/tags/{tag}").returncode == 0
