"""What a render's result depends on, hashed without loading the report.

The "nothing changed" decision (:mod:`.fast`) is made before abuild imports
its loader, pandoc glue or WeasyPrint (0.24 s of imports), so this module
uses the standard library only. It hashes, by content:

- the report directory, the repository's shared ``bibliography/`` and its
  ``templates/`` (house-style overrides), every file, recursively: what the
  check and the render read is a subset of that (the inputs the manifest
  lists outside these trees are hashed by :mod:`.fast`);
- abuild's own package (code, templates, fonts, CSL): a changed abuild is a
  changed render;

and by identity: the Python, the pandoc binary (path, size, mtime: hashing
its 150 MB would take longer than the render), the installed distributions
(``name-version.dist-info`` of every site-packages: WeasyPrint, pydyf, ...),
the options, the environment variables that change an output or its audit
(``SOURCE_DATE_EPOCH``, the user and path names the audit looks for), and
the Git state the manifest records (HEAD, and ``git status`` with the index
blob of every changed path, minus the output and cache directories).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
# read by the render, its writers or its audit (publish/forbidden.py)
ENV_VARS = (
    "SOURCE_DATE_EPOCH",
    "ABUILD_PANDOC",
    "USER",
    "LOGNAME",
    "USERNAME",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "TMPDIR",
    "TEMP",
    "TMP",
    "HOME",
    "VIRTUAL_ENV",
    "LANG",
    "LC_ALL",
    "TZ",
    "FONTCONFIG_FILE",
)
_CHUNK = 1 << 20


def repo_root(report_dir: Path) -> Path:
    """``load.files.Repo.for_report(report_dir).root``, without importing the
    loader (a test keeps the two equal)."""
    absolute = Path(os.path.abspath(report_dir))
    for parent in (absolute, *absolute.parents):
        if parent.is_symlink():
            continue
        if (parent / ".git").exists():
            return parent.resolve()
    if absolute.parent.name == "reports":
        return absolute.parent.parent.resolve()
    return absolute.resolve()


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def tree(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """{relative path: sha256 (or "link:<target>" / "unreadable")} of every
    file under ``root``; directories in ``skip`` and ``__pycache__`` left out.
    Symbolic links to directories are followed once (a cycle is not)."""
    out: dict[str, str] = {}
    if not root.is_dir():
        return out
    skipped = {os.path.abspath(s) for s in skip}
    seen: set[tuple[int, int]] = set()
    for dirpath, dirs, files in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and os.path.join(dirpath, d) not in skipped)
        for name in files:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            try:
                out[rel] = file_hash(p) + (f" link:{os.readlink(p)}" if p.is_symlink() else "")
            except OSError as exc:  # unreadable now: the render would say so, a later one may not
                out[rel] = f"unreadable:{exc.errno}"
    return out


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=20,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"failed: {type(exc).__name__}"
    return f"{proc.returncode}\n" + proc.stdout.decode("utf-8", "surrogateescape")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/") or prefix.startswith(path.rstrip("/") + "/")


def git_status(root: Path, ignore: tuple[str, ...]) -> list[str]:
    """HEAD and the working tree's status (porcelain v2: with the index's
    blob of each changed path), minus paths in ``ignore`` (repository-relative
    directories the render itself writes)."""
    raw = _git(root, "status", "--porcelain=v2", "-z", "--branch", "--untracked-files=normal")
    records = raw.split("\0")
    kept: list[str] = []
    i = 0
    while i < len(records):
        rec = records[i]
        i += 1
        if rec.startswith("2 "):
            rec += "\0" + (records[i] if i < len(records) else "")  # a rename: its source follows
            i += 1
        path = rec.split("\0")[0].rsplit(" ", 1)[-1] if rec[:2] in ("1 ", "2 ", "u ") else rec[2:]
        if rec[:2] in ("1 ", "2 ", "u ", "? ", "! ") and any(_under(path, d) for d in ignore):
            continue
        kept.append(rec)
    return kept


def _identity() -> dict[str, object]:
    """Who and where abuild runs: the audit looks for these names in the outputs."""
    ident: dict[str, object] = {"cwd": os.getcwd(), "home": os.path.expanduser("~"), "tmp": tempfile.gettempdir()}
    try:
        ident["user"] = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database entry: nothing to add
        ident["user"] = None
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid())
        ident["pwd"] = [entry.pw_name, entry.pw_gecos]
    except (ImportError, KeyError, OSError):
        ident["pwd"] = None
    ident["env"] = {v: os.environ.get(v) for v in ENV_VARS}
    return ident


def _abuild_env() -> dict[str, str]:
    """abuild's own settings (ABUILD_PANDOC, the memory ceilings, ...): they
    change what a render does, or whether it succeeds."""
    return {k: v for k, v in sorted(os.environ.items()) if k.startswith("ABUILD_") and k != "ABUILD_RENDER_PID"}


def _pandoc() -> object:
    env = os.environ.get("ABUILD_PANDOC")
    cands = [Path(env)] if env else []
    for entry in sys.path:
        cands += [Path(entry) / "pypandoc" / "files" / "pandoc", Path(entry) / "pypandoc" / "files" / "pandoc.exe"]
    for c in cands:
        try:
            st = c.stat()
        except OSError:
            continue
        return [str(c), st.st_size, st.st_mtime_ns]
    return None


def _distributions() -> list[str]:
    """The name-version of every installed distribution (WeasyPrint, pydyf,
    fonttools, pypandoc-binary, ...), from the directory names alone."""
    names: set[str] = set()
    for entry in sys.path:
        if not entry.endswith("-packages"):
            continue
        try:
            names.update(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(names)


def environment() -> dict[str, object]:
    """The tools and the environment: the same for every report."""
    return {
        "python": [sys.version, sys.executable, sys.prefix],
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
        "pandoc": _pandoc(),
        "distributions": _distributions(),
        "abuild": tree(PACKAGE),
        "settings": _abuild_env(),
        "identity": _identity(),
    }


def fingerprint(report_dir: Path, out_dir: Path, options: dict[str, object]) -> dict[str, object]:
    """Everything a render of ``report_dir`` into ``out_dir`` depends on, as
    a JSON-able dict (:func:`key` hashes it)."""
    report_dir = Path(os.path.abspath(report_dir))
    root = repo_root(report_dir)
    cache_dir = root / "build" / ".cache"
    skip = (out_dir, cache_dir, out_dir.parent / ".abuild-staging")
    ignore = []
    for d in skip:
        try:
            ignore.append(Path(os.path.abspath(d)).relative_to(root).as_posix())
        except ValueError:
            continue
    return {
        "report": str(report_dir),
        "out": str(out_dir),
        "options": options,
        "trees": {
            "report": tree(report_dir, skip),
            "bibliography": tree(root / "bibliography", skip),
            "templates": tree(root / "templates", skip),
        },
        "git": [
            git_status(root, tuple(ignore)),
            _git(root, "config", "--get-regexp", r"^user\."),
        ],
        "environment": environment(),
    }


def key(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
