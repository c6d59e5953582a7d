"""What git says of the user (``git config user.name``, ``user.email``, the
author and committer of HEAD: :func:`.forbidden.user_needles`), kept
between the builds of the preview under everything git reads to say it.

Three git processes a rebuild cost 45 ms of wall time and 30 ms of CPU on
the benchmark machine; the stamp below is 8-12 small files read.

The stamp (:func:`stamp`) is the content of every file those commands
read, or the fact that it is absent: the repository's ``.git`` (a
directory, or a worktree's ``gitdir:`` file and its ``commondir``), its
``HEAD``, the branch HEAD names, ``packed-refs``, ``config``,
``config.worktree``, ``info/grafts`` and ``shallow``, the listing of
``refs/replace`` (``git log`` follows replacement commits); the user's
``~/.gitconfig`` and ``$XDG_CONFIG_HOME/git/config``; the system's
``/etc/gitconfig`` and ``<git's prefix>/etc/gitconfig``; the git binary
found on PATH; and the whole environment. Where the stamp cannot be
complete, nothing is kept and git is asked every time: no repository
given (git would look in the current directory and its parents), no
``.git`` in it, a ``GIT_`` variable that moves what git reads
(``GIT_DIR``, ``GIT_CONFIG_GLOBAL``, ...), or an ``[include]`` or
``[includeIf]`` in any config file (it may name any file). An answer is
kept only if the stamp is the same before and after git ran: a file
changed meanwhile is not kept under the old stamp."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .. import block_memo

T = TypeVar("T")

# GIT_ variables that name no file these commands read (the author, the
# committer; the network's, the terminal's, tracing): the stamp holds their
# values with the rest of the environment. Any other GIT_ variable may point
# git at other files (GIT_DIR, GIT_CONFIG_GLOBAL, GIT_CONFIG_KEY_0=include.path),
# and then nothing is kept
_VALUE_VARS = (
    *("GIT_AUTHOR_", "GIT_COMMITTER_", "GIT_SSL_", "GIT_HTTP_", "GIT_SSH", "GIT_CURL_", "GIT_PROXY_"),
    *("GIT_TRACE", "GIT_ASKPASS", "GIT_TERMINAL_PROMPT", "GIT_EDITOR", "GIT_PAGER"),
)
_INCLUDE = re.compile(rb"^\s*\[\s*include", re.I | re.M)
# a file this long is not a git config or ref file a stamp should read
_MAX_FILE = 1 << 20


def _git_dirs(repo: Path) -> tuple[Path, Path] | None:
    """(the git directory, the common directory) of ``repo``, from its ``.git``."""
    dot = repo / ".git"
    if dot.is_dir():
        return dot, dot
    try:
        text = dot.read_text(encoding="utf-8") if dot.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return None
    m = re.match(r"gitdir: (.+)", text.strip())
    if m is None:
        return None
    git_dir = (repo / m.group(1).strip()).resolve()
    try:
        common = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir, git_dir
    return git_dir, (git_dir / common).resolve()


def _read(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_FILE + 1)
    except IsADirectoryError:
        return b"dir " + " ".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape")
    except FileNotFoundError:
        return b"absent"
    except OSError as exc:
        return b"unreadable %d" % (exc.errno or 0)
    return b"file " + data


def stamp(repo: Path | None) -> bytes | None:
    """Everything git reads to answer, as one digest; None when that cannot be known."""
    if repo is None:
        return None
    if any(k.startswith("GIT_") and not k.startswith(_VALUE_VARS) for k in os.environ):
        return None
    dirs = _git_dirs(repo)
    if dirs is None:
        return None
    git_dir, common = dirs
    home = Path(os.environ.get("HOME") or os.path.expanduser("~"))
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    binary = shutil.which("git")
    prefix = Path(os.path.realpath(binary)).parent.parent if binary else Path("/usr")
    configs = [
        common / "config",
        git_dir / "config.worktree",
        home / ".gitconfig",
        xdg / "git" / "config",
        Path("/etc/gitconfig"),
        prefix / "etc" / "gitconfig",
    ]
    h = hashlib.blake2b(digest_size=20)

    def add(label: str, data: bytes) -> None:
        h.update(b"%s %d\n" % (label.encode("utf-8", "surrogateescape"), len(data)))
        h.update(data)

    add("repo", os.fsencode(repo.resolve()))
    add("environment", repr(sorted(os.environ.items())).encode("utf-8", "surrogateescape"))
    if binary:
        st = os.stat(binary)
        add("git", f"{os.path.realpath(binary)} {st.st_ino} {st.st_size} {st.st_mtime_ns}".encode())
    for path in configs:
        data = _read(path)
        if data.startswith(b"file ") and _INCLUDE.search(data[5:]):
            return None
        add(str(path), data)
    head = _read(git_dir / "HEAD")
    add("HEAD", head)
    m = re.match(rb"file ref: (refs/[^\n]+)", head)
    if m is not None:
        add("HEAD's ref", _read(common / os.fsdecode(m.group(1).strip())))
    for name in ("packed-refs", "info/grafts", "shallow", "refs/replace", "commondir"):
        add(name, _read(common / name))
    add(".git", _read(repo / ".git") if (repo / ".git").is_file() else b"dir")
    return h.digest()


def answers(repo: Path | None, question: str, ask: Callable[[], T]) -> T:
    """``ask()``, or what it answered to the same ``question`` (the name of
    what it asks git, and anything else its answer depends on) for the same
    stamp in the preview's last build (only while a block memo is active)."""
    memo = block_memo.current()
    before = stamp(repo) if memo is not None else None
    if memo is None or before is None:
        return ask()
    key = block_memo.context("forbidden: git", before, question)
    got = memo.kept(key)
    if got is not None:
        return got  # type: ignore[no-any-return]
    value = ask()
    if stamp(repo) == before:
        memo.keep(key, value)
    return value


__all__ = ["answers", "stamp"]
