"""What a render's result depends on, hashed without loading the report.

The "nothing changed" decision (:mod:`.fast`) is made before abuild imports
its loader, pandoc glue or WeasyPrint (0.24 s of imports), so this module
uses the standard library only. It hashes, by content:

- the report directory, the repository's shared ``bibliography/`` and its
  ``templates/`` (house-style overrides), every file, recursively, and
  every local link or image target a chapter (or its translation) names,
  wherever it lies in the repository: what the check and the render read
  is a subset of that. By the loader's rules (load/files.py): only regular
  files inside the repository are read; a FIFO, a device or a symlink
  leaving the repository counts by its kind and link text, never opened;
- abuild's own package (code, templates, fonts, CSL): a changed abuild is a
  changed render;

and by identity: the Python, the pandoc binary (path, size, mtime: hashing
its 150 MB would take longer than the render), the installed distributions
(``name-version.dist-info`` of every site-packages: WeasyPrint, pydyf, ...),
the system libraries WeasyPrint lays out with (Pango, HarfBuzz and its
subsetter, fontconfig, FreeType: path, size, mtime),
the options, the environment variables that change an output or its audit
(``SOURCE_DATE_EPOCH``, the user and path names the audit looks for), and
the Git state the manifest records (HEAD, and ``git status`` with the index
blob of every changed path and every untracked file, minus the cache, the
staging directory and the outputs by name: never a whole directory that may
hold inputs).
"""

from __future__ import annotations

import errno
import getpass
import hashlib
import html
import json
import os
import re
import stat
import subprocess
import sys
import sysconfig
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from collections.abc import Iterator

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
# the largest file hashed by content: 20 x the largest file the loader reads
# (--max-file-size 5 MB) and more than any image or output of the example (2 MB)
HASH_MAX = 100 * 1024 * 1024
# what a render writes into its output directory: every writer's suffix
# (render/formats: a test keeps them equal) and the manifest
OUTPUT_SUFFIXES = (".html", ".pdf", ".docx", ".odt", ".manifest.json")


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


def read_regular(path: Path, limit: int = HASH_MAX) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; OSError for
    anything else (a FIFO, a device such as /dev/zero, a directory, a larger
    file): opened without blocking, its kind checked on the open file, read
    no further than ``limit`` -- never a hang, never unbounded reading."""
    return b"".join(_chunks(path, limit))


def file_hash(path: Path, limit: int = HASH_MAX) -> str:
    """sha256 of :func:`read_regular`'s file, read a block at a time."""
    h = hashlib.sha256()
    for chunk in _chunks(path, limit):
        h.update(chunk)
    return h.hexdigest()


def _chunks(path: Path, limit: int) -> Iterator[bytes]:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, f"not a regular file: {_kind(st.st_mode)}")
        if st.st_size > limit:
            raise OSError(errno.EFBIG, f"larger than {limit} bytes")
        left = limit + 1
        while left > 0 and (chunk := fh.read(min(_CHUNK, left))):
            left -= len(chunk)
            if left <= 0:
                raise OSError(errno.EFBIG, f"grew past {limit} bytes")
            yield chunk


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISCHR, "character-device"),
        (stat.S_ISBLK, "block-device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "regular" if stat.S_ISREG(mode) else "special"


def inside(path: str | Path, root: Path) -> bool:
    """True when ``path``, every symlink resolved, is ``root`` or below it."""
    real = os.path.realpath(path)
    return real == str(root) or real.startswith(str(root).rstrip(os.sep) + os.sep)


def entry_hash(path: Path, repo: Path, dir_inside: bool = False) -> str:
    """What the check and the render can see of ``path``, by the loader's
    rules (load/files.py ``read_text``): the content of a regular file inside
    the repository; of anything else only what it is -- a symlink's target
    text, "outside" for one that leaves the repository, the kind of a
    special file, "missing" -- so that a change still changes the key, while
    nothing outside the repository and no FIFO or device is ever opened.
    ``dir_inside``: the directory holding ``path`` is known to be inside
    (:func:`tree` checked it), so a file that is no symlink is too."""
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    link = f"link:{os.readlink(path)} " if stat.S_ISLNK(lst.st_mode) else ""
    if (link or not dir_inside) and not inside(path, repo):
        return link + "outside"
    try:
        st = os.stat(path)
    except OSError as exc:
        return f"{link}unreadable:{exc.errno}"
    if not stat.S_ISREG(st.st_mode):
        return link + _kind(st.st_mode)
    if st.st_size > HASH_MAX:  # larger than anything abuild reads: its size and time stand for it
        return f"{link}large:{st.st_size}:{st.st_mtime_ns}"
    try:
        return link + file_hash(path)
    except OSError as exc:  # unreadable now: the render would say so, a later one may not
        return f"{link}unreadable:{exc.errno}"


def tree(root: Path, repo: Path, skip: tuple[Path, ...] = (), out_dir: Path | None = None) -> dict[str, str]:
    """{relative path: :func:`entry_hash`} of every file under ``root``;
    the directories in ``skip`` (abuild's own: the cache, the staging
    directory), ``__pycache__`` and the outputs in ``out_dir`` (by name) left out. A symbolic link to a directory
    inside ``repo`` is followed once (a cycle is not); one leaving it is
    recorded by its target text only, never walked."""
    out: dict[str, str] = {}
    if not root.is_dir() or not inside(root, repo):
        return out
    skipped = {os.path.abspath(s) for s in skip}
    outputs = os.path.abspath(out_dir) if out_dir is not None else None
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
        kept = []
        for d in sorted(dirs):
            sub = Path(dirpath) / d
            if d == "__pycache__" or str(sub) in skipped:
                continue
            if sub.is_symlink() and not inside(sub, repo):
                out[sub.relative_to(root).as_posix()] = entry_hash(sub, repo)
                continue
            kept.append(d)
        dirs[:] = kept
        for name in files:
            if dirpath == outputs and is_output(name):
                continue
            p = Path(dirpath) / name
            out[p.relative_to(root).as_posix()] = entry_hash(p, repo, dir_inside=True)
    return out


# local link and image targets in a chapter's (or a translation's) text, as
# the check reads them (check/content.py: inline ``](t)``, reference
# definitions ``[r]: t``, raw HTML ``src``/``href``); over-collecting only
# costs a hash, so the patterns are loose
_TARGETS = (
    re.compile(rb"\]\(\s*<?([^)\s>]+)"),
    re.compile(rb"^ {0,3}\[(?:[^\]\\\n]|\\.)+\]:[ \t]*<?([^\s>]+)", re.M),
    re.compile(rb"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.I),
)
_SHA = re.compile(r"[0-9a-f]{64}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
_TEXT_SUFFIXES = (".md", ".markdown", ".po")  # chapters, and their translations (--lang)


def link_targets(report_dir: Path, repo: Path, files: dict[str, str] | None = None) -> dict[str, str]:
    """{target: :func:`entry_hash`} of every local target a text of the
    report names, resolved as the check resolves it (relative to the report
    directory, character references and %-escapes decoded): a linked file
    that appears, disappears or changes outside the hashed trees (an
    untracked ``extra/``) changes the key, as it changes AB408. ``files``:
    the report's :func:`tree`, when already made."""
    found: set[str] = set()
    for rel, digest in (tree(report_dir, repo) if files is None else files).items():
        if not rel.lower().endswith(_TEXT_SUFFIXES) or not _SHA.fullmatch(digest.rsplit(" ", 1)[-1]):
            continue  # not a regular file of text inside the repository
        try:
            data = read_regular(report_dir / rel)
        except OSError:
            continue
        for pattern in _TARGETS:
            for m in pattern.finditer(data):
                found.add(m.group(1).decode("utf-8", "replace"))
    out: dict[str, str] = {}
    for raw in sorted(found):
        target = html.unescape(raw)
        path_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path_part or _SCHEME.match(target) or os.path.isabs(path_part) or "\0" in path_part:
            continue
        out[path_part] = entry_hash(Path(os.path.abspath(report_dir / path_part)), repo)
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
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def git_status(root: Path, ignore: tuple[str, ...], out_rel: str | None = None) -> list[str]:
    """HEAD and the working tree's status (porcelain v2: with the index's
    blob of each changed path; every untracked file, not only its
    directory), minus paths under ``ignore`` (repository-relative
    directories of abuild's own) and the outputs directly in ``out_rel``."""
    raw = _git(root, "status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all")
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
        if rec[:2] in ("1 ", "2 ", "u ", "? ", "! "):
            parent, _, name = path.rpartition("/")
            if any(_under(path, d) for d in ignore) or (parent == out_rel and is_output(name)):
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


# the system libraries WeasyPrint lays the PDF out with, by soname: a
# package upgrade changes the PDF's bytes, and installing HarfBuzz's
# subsetter (Debian's libharfbuzz-subset0, which chromium brings along)
# makes WeasyPrint 70 subset the fonts with it instead of fontTools: other
# font bytes in every PDF (pdf/fonts.py Font.subset)
_LIBRARIES = (
    "libpango-1.0.so.0",
    "libpangoft2-1.0.so.0",
    "libharfbuzz.so.0",
    "libharfbuzz-subset.so.0",
    "libfontconfig.so.1",
    "libfreetype.so.6",
)


def _library_dirs() -> list[Path]:
    arch = sysconfig.get_config_var("MULTIARCH") or ""
    return [Path(p) / arch for p in ("/lib", "/usr/lib", "/usr/local/lib") if arch] + [
        Path(p) for p in ("/lib64", "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/homebrew/lib")
    ]


def _libraries() -> dict[str, object]:
    """Each of :data:`_LIBRARIES` by the file it names in the usual library
    directories (path, size, mtime, as the pandoc binary: a few ``stat``
    calls, no ``ldconfig``), or None where there is none."""
    out: dict[str, object] = {}
    for name in _LIBRARIES:
        out[name] = None
        for d in _library_dirs():
            try:
                real = (d / name).resolve(strict=True)
                st = real.stat()
            except (OSError, RuntimeError):
                continue
            out[name] = [str(real), st.st_size, st.st_mtime_ns]
            break
    return out


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
        "libraries": _libraries(),
        "abuild": tree(PACKAGE, PACKAGE),
        "settings": _abuild_env(),
        "identity": _identity(),
    }


def out_dir_problem(report_dir: Path, out_dir: Path | None) -> str | None:
    """Why a render must not write into ``out_dir`` (None: it may): inside
    the report directory, the shared ``bibliography/`` or ``templates/``
    it would put outputs among the inputs -- the next check would read
    them, and a cache that skipped that directory would miss an edit there.
    Symlinks resolved. (A report directory that is the repository itself
    keeps its ``build/``.)"""
    if out_dir is None:
        return None
    report = Path(os.path.abspath(report_dir))
    root = repo_root(report)
    out = Path(os.path.realpath(out_dir))
    for what, d in (
        ("the report directory", report),
        ("bibliography/", root / "bibliography"),
        ("templates/", root / "templates"),
    ):
        real = Path(os.path.realpath(d))
        if out == real or out.is_relative_to(real):
            if d == report and real == root and out.is_relative_to(root / "build"):
                continue
            return (
                f"{out_dir} is inside {what} ({d}): the outputs would be among the report's inputs;"
                " write them elsewhere (the default is build/<slug>/)"
            )
    return None


def is_output(name: str) -> bool:
    """A name abuild's render writes into an output directory
    (``<slug>[.<lang>]<suffix>``, the manifest's list of formats)."""
    return name.endswith(OUTPUT_SUFFIXES)


def fingerprint(report_dir: Path, out_dir: Path, options: dict[str, object]) -> dict[str, object]:
    """Everything a render of ``report_dir`` into ``out_dir`` depends on, as
    a JSON-able dict (:func:`key` hashes it). Left out are only abuild's own
    files: the cache, the staging directory and, in the output directory,
    the outputs by name -- never a whole directory that may hold inputs
    (the render refuses an output directory among the inputs:
    :func:`out_dir_problem`)."""
    report_dir = Path(os.path.abspath(report_dir))
    out_dir = Path(os.path.abspath(out_dir))
    root = repo_root(report_dir)
    skip = (root / "build" / ".cache", out_dir.parent / ".abuild-staging")
    ignore = []
    for d in skip:
        try:
            ignore.append(d.relative_to(root).as_posix())
        except ValueError:
            continue
    try:
        out_rel: str | None = out_dir.relative_to(root).as_posix().removeprefix(".")
    except ValueError:
        out_rel = None
    report = tree(report_dir, root, skip, out_dir)
    return {
        "report": str(report_dir),
        "out": str(out_dir),
        "options": options,
        "trees": {
            "report": report,
            "bibliography": tree(root / "bibliography", root, skip, out_dir),
            "templates": tree(root / "templates", root, skip, out_dir),
        },
        "links": link_targets(report_dir, root, report),
        "git": [
            git_status(root, tuple(ignore), out_rel),
            _git(root, "config", "--get-regexp", r"^user\."),
        ],
        "environment": environment(),
    }


def key(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
