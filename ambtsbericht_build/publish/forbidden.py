"""What must never appear in an output, and where each value comes from.

:func:`collect` turns a loaded report (and the environment of the build) into
a list of :class:`Needle` objects. Every needle remembers its *origin* (a file
and field, never the value) so that a finding can say where the value was
written without repeating it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import tools
from ..analyse.sentences import segments
from ..load.markdown import Policy, hidden, plain_text
from . import forbidden_git, forbidden_memo, kinds
from .fingerprint import HOLDER, WHOLE, allow_set, fingerprints, token_seq
from .text import squash_ws

if TYPE_CHECKING:
    from ..load import LoadedReport

# kinds, as findings name them (publish/kinds.py)
INTERNAL = kinds.INTERNAL
CONFIDENTIAL_FIELD = kinds.CONFIDENTIAL_FIELD
CONFIDENTIAL_KEY = kinds.CONFIDENTIAL_KEY
INTERN = kinds.INTERN
COMMENT = kinds.COMMENT
PATH = kinds.PATH
USER = kinds.USER
DENY = kinds.DENY
ACTIVE = kinds.ACTIVE
REMOTE = kinds.REMOTE

# intern blocks and comments are free text: only strings this long are
# matched (shorter ones would match ordinary words of the report)
MIN_TEXT = 12
# a confidential source key shorter than this is not looked for (a key like "vb-1")
MIN_DIGITS = 6
MIN_PATH = 4

# accounts whose login is an ordinary word: only looked for in metadata
GENERIC_LOGINS = {
    "root",
    "admin",
    "administrator",
    "user",
    "users",
    "runner",
    "ubuntu",
    "debian",
    "build",
    "builder",
    "ci",
    "jenkins",
    "gitlab-runner",
    "nobody",
    "vagrant",
    "docker",
    "app",
    "www-data",
    "codespace",
    "node",
    "worker",
    "circleci",
    "travis",
    "buildkite",
    "gitpod",
    "vscode",
    "dev",
    "developer",
}


@dataclass(frozen=True)
class Needle:
    kind: str
    value: str  # "" for a fingerprint: the secret is not kept, only its tokens
    origin: str
    # phrase: folded tokens, in a row (:mod:`.text`); path: exact, at path
    # boundaries; login: case-sensitive whole word
    mode: str = "phrase"
    meta_only: bool = False
    # phrase: the folded tokens looked for (from ``value``, or a fingerprint)
    tokens: tuple[str, ...] = ()
    # what piece of the value it is (fingerprint.RARE, .NUMBER, ...), for findings
    what: str = WHOLE


def phrase(kind: str, value: str, origin: str, meta_only: bool = False) -> Needle:
    """A needle for a whole value, matched as its tokens in a row."""
    # the value is kept for tests; no finding shows it
    return Needle(kind, squash_ws(value), origin, meta_only=meta_only, tokens=token_seq(value))


@dataclass
class Forbidden:
    needles: list[Needle]
    # values that are public by definition (the issuer is the author of every
    # output): a user-name needle found inside one of them is dropped
    public: list[str]

    def count(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n in self.needles:
            out[n.kind] = out.get(n.kind, 0) + 1
        return dict(sorted(out.items()))


# --- sources ---------------------------------------------------------------------------


def _leaves(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    elif isinstance(value, bool) or value is None or isinstance(value, (dt.date, dt.datetime)):
        # YAML values are kept as text (load/yamlpos.py); a date or "yes" in
        # internal is looked for only inside a run of words (fingerprint.py)
        return
    elif isinstance(value, (str, int, float)):
        yield path, str(value)


def _keys(value: object, path: str) -> Iterator[tuple[str, str, str, str]]:
    """(path, key, label, its value) of every key of a mapping in
    ``internal``: a key is written by the drafter too (``internal:
    {Moerbeiboom: ja}``). The label names the place, never the key:
    ``internal key 2``. The value is "" unless it is text: it may say what
    the key is (``Kompas: codenaam``)."""
    if isinstance(value, dict):
        for n, (k, v) in enumerate(value.items(), 1):
            held = HOLDER if isinstance(v, (dict, list, tuple)) else ""
            yield f"{path}.{k}", str(k), f"{path} key {n}", v if isinstance(v, str) else held
            yield from _keys(v, f"{path}.{k}")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _keys(v, f"{path}[{i}]")


# fields of a confidential source that may be printed (the date) or mean nothing
_CONFIDENTIAL_PRINTED = {"id", "type", "confidential", "issued", "accessed", "internal", "language", "archive"}


@dataclass(frozen=True)
class SecretField:
    """One secret value of a source: where it was written, never the value."""

    source: str  # the source's id
    field: str  # internal.who, internal.contacts[0].phone, title, ...
    kind: str  # INTERNAL or CONFIDENTIAL_FIELD
    file: Path
    line: int
    column: int
    value: str
    # what the value is written under (its key) or, for a key, the text it
    # holds: fingerprint.code_names reads "codenaam" in either
    label: str = ""

    def origin(self, rel: Callable[[Path], str]) -> str:
        return f"source {self.source} {self.field} ({rel(self.file)}:{self.line})"


def _path_key(path: str) -> tuple[str | int, ...]:
    """``internal.contacts[0].phone`` as a Positions path."""
    out: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        out.append(int(part[1:-1]) if part.startswith("[") else part)
    return tuple(out)


def secret_fields(lr: LoadedReport) -> list[SecretField]:
    """Every string leaf of every source's ``internal`` and every field of a
    confidential source that is not printed."""
    out: list[SecretField] = []
    for s in lr.sources:
        raw = s.raw if isinstance(s.raw, dict) else {}

        def add(kind: str, path: str, value: str) -> None:
            line, col = s.line, s.column
            if s.positions is not None:
                line, col = s.positions.of(s.path + _path_key(path))
            # its key: "codenaam" of internal.codenaam, internal.codenaam[0]
            key = re.sub(r"(\[\d+\])+$", "", path).rsplit(".", 1)[-1]
            out.append(SecretField(s.source.id, path, kind, s.file, line, col, value, key))

        def add_key(path: str, key: str, label: str, value: str) -> None:
            line, col = s.line, s.column
            if s.positions is not None:
                full = s.path + _path_key(path)
                line, col = s.positions.keys.get(full) or s.positions.of(full)
            out.append(SecretField(s.source.id, label, INTERNAL, s.file, line, col, key, value))

        internal = raw.get("internal")
        if internal is not None:
            for path, value in _leaves(internal, "internal"):
                add(INTERNAL, path, value)
            for path, key, label, value in _keys(internal, "internal"):
                add_key(path, key, label, value)
        if s.source.confidential:
            for key, value in raw.items():
                if key in _CONFIDENTIAL_PRINTED:
                    continue
                for path, leaf in _leaves(value, key):
                    add(CONFIDENTIAL_FIELD, path, leaf)
    return out


def source_needles(
    lr: LoadedReport, rel: Callable[[Path], str], fields: list[SecretField] | None = None
) -> list[Needle]:
    allow = allow_set(lr.report.public_terms if lr.report is not None else [])
    out: list[Needle] = []
    for f in secret_fields(lr) if fields is None else fields:
        origin = f.origin(rel)
        prints = fingerprints(f.value, allow, f.label)
        out += [Needle(f.kind, "", origin, tokens=p.tokens, what=p.what) for p in prints]
    for s in lr.sources:
        if s.source.confidential and len(s.source.id) >= MIN_DIGITS:
            out.append(phrase(CONFIDENTIAL_KEY, s.source.id, f"{rel(s.file)}:{s.line}"))
    return out


# --- chapters: ::: intern blocks and HTML comments ----------------------------------------


def scan_chapter(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(line, text) of every ``::: intern`` block and every HTML comment,
    outside code, read with the lexer's DRAFTER policy: the audit must forbid
    what a drafter *meant* to keep internal (a ``::: intern`` line glued to
    the paragraph above it, which pandoc prints as text, included). Never
    raises, whatever the text. See ``load.markdown.lexer``."""
    interns, comments = hidden(text, Policy.DRAFTER)
    return [(h.line, h.text) for h in interns], [(h.line, h.text) for h in comments]


def chapter_needles(lr: LoadedReport, rel: Callable[[Path], str]) -> list[Needle]:
    out: list[Needle] = []
    for lc in lr.chapters:
        out += one_chapter_needles(rel(lc.file), lc.chapter.text)
    return out


def one_chapter_needles(name: str, chapter: str) -> list[Needle]:
    """The needles of one chapter's text (``name``: its path, as origins give it)."""
    out: list[Needle] = []
    interns, comments = scan_chapter(chapter)
    for line, text in interns:
        out += [phrase(INTERN, seg, f"{name}:{line}") for seg in segments(plain_text(text), MIN_TEXT)]
    for line, text in comments:
        out += [phrase(COMMENT, seg, f"{name}:{line}") for seg in segments(text, MIN_TEXT)]
    return out


# --- the build environment ---------------------------------------------------------------------


def _git(repo: Path | None, *args: str) -> str:
    cmd = ["git", *(["-C", str(repo)] if repo else []), *args]
    try:
        proc = tools.run(cmd, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _git_answers(repo: Path | None) -> tuple[tuple[str, str], str]:
    """git's user.name and user.email, and HEAD's author and committer ("" without a repository)."""
    config = (_git(repo, "config", "user.name"), _git(repo, "config", "user.email"))
    return config, _git(repo, "log", "-1", "--format=%an%n%ae%n%cn%n%ce") if repo is not None else ""


def user_needles(repo: Path | None) -> list[Needle]:
    out: list[Needle] = []
    logins: dict[str, str] = {}
    try:
        logins.setdefault(getpass.getuser(), "getpass.getuser()")
    except Exception:  # no user database entry: nothing to add
        pass
    for var in ("USER", "LOGNAME", "USERNAME"):
        if os.environ.get(var):
            logins.setdefault(os.environ[var], f"${var}")
    names: dict[str, str] = {}
    try:
        import pwd

        entry = pwd.getpwuid(os.getuid())
        logins.setdefault(entry.pw_name, "the user database")
        full = entry.pw_gecos.split(",")[0].strip()
        if full:
            names.setdefault(full, "the user database (full name)")
    except (ImportError, KeyError, OSError):
        pass
    # (in the preview, kept while nothing git reads changed: forbidden_git.py)
    config, head = forbidden_git.answers(repo, "user", lambda: _git_answers(repo))
    for key, value in zip(("user.name", "user.email"), config, strict=True):
        if value:
            names.setdefault(value, f"git config {key}")
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        if os.environ.get(var):
            names.setdefault(os.environ[var], f"${var}")
    if repo is not None:
        fields = ("author name", "author email", "committer name", "committer email")
        for value, what in zip(head.split("\n"), fields, strict=False):
            if value.strip():
                names.setdefault(value.strip(), f"the {what} of HEAD")
    for login, origin in logins.items():
        login = login.strip()
        if not login:
            continue
        generic = login.lower() in GENERIC_LOGINS or len(login) < 4
        out.append(Needle(USER, login, origin, mode="login", meta_only=generic))
    for name, origin in names.items():
        if name in logins:
            continue
        if len(name) < 4 or name.lower() in GENERIC_LOGINS:
            out.append(Needle(USER, name, origin, mode="login", meta_only=True))
        else:
            out.append(Needle(USER, name, origin, tokens=token_seq(name)))
    return out


def path_needles(extra: list[Path] | None = None, repo: Path | None = None) -> list[Needle]:
    cands: dict[str, str] = {}

    def add(p: str | Path | None, origin: str) -> None:
        if not p:
            return
        for form in {str(p), str(Path(p).resolve()) if Path(p).exists() else str(p)}:
            form = form.rstrip("/\\")
            if not Path(form).is_absolute():
                continue  # a relative path says nothing about the machine
            if len(form) >= MIN_PATH and form not in ("/", "C:", "c:"):
                cands.setdefault(form, origin)

    if repo is not None:
        add(repo, "the repository")
    for p in extra or []:
        add(p, "the build")
    add(Path.cwd(), "the current directory")
    add(Path.home(), "the home directory")
    add(tempfile.gettempdir(), "the temporary directory")
    for var in ("TMPDIR", "TEMP", "TMP", "HOME", "VIRTUAL_ENV"):
        add(os.environ.get(var), f"${var}")
    add(Path(__file__).resolve().parent.parent.parent, "the abuild installation")
    add(sys.prefix, "the Python installation")
    return [Needle(PATH, p, o, mode="path") for p, o in cands.items()]


# paths that point at someone's machine whoever builds (each pattern starts
# with a literal, so the regex engine skips ahead quickly)
GENERIC_PATHS = [
    re.compile(r"/(?<![\w.~-]/)(?:home/[^/\s\"'<>]+|Users/[^/\s\"'<>]+|root(?![\w.~-])|var/folders/|private/var/)"),
    # (from the colon, the drive letter behind it: a pattern that starts with a
    # look-behind is tried at every character, 0.0074 s on the benchmark
    # report's HTML text, this 0.0002 s; the same matches)
    re.compile(r":(?<=[A-Za-z]:)\\(?:Users|Documents and Settings)\\[^\\\s\"'<>]+"),
    re.compile(r"file:/(?<!\wfile:/)[^\s\"'<>]*", re.I),
]


def path_pattern(paths: list[str]) -> re.Pattern[str] | None:
    """One regex for the given paths, matched only where a path starts and
    ends (not inside a URL like https://example.org/tmp/x)."""
    if not paths:
        return None
    alts = sorted(set(paths), key=len, reverse=True)
    posix = [p[1:] for p in alts if p.startswith("/")]
    other = [p for p in alts if not p.startswith("/")]
    parts = []
    if posix:
        parts.append(r"/(?<![\w.~-]/)(?:" + "|".join(re.escape(p) for p in posix) + r")(?![\w.~-])")
    if other:
        parts.append(r"(?<![\w.~-])(?:" + "|".join(re.escape(p) for p in other) + r")(?![\w.~-])")
    return re.compile("|".join(parts))


# --- all together ---------------------------------------------------------------------------------


def collect(
    lr: LoadedReport | None = None, *, deny: list[str] | tuple[str, ...] = (), paths: list[Path] | None = None
) -> Forbidden:
    """Everything forbidden for a report (``lr`` may be None: then only the
    environment and ``deny``)."""
    repo = lr.repo.root if lr is not None else None
    rels: dict[Path, str] = {}

    def rel(p: Path) -> str:
        if p not in rels:
            try:
                rels[p] = Path(p).resolve().relative_to(repo).as_posix() if repo else Path(p).name
            except ValueError:
                rels[p] = Path(p).name
        return rels[p]

    # in the preview (a block memo is active), each part's needles are kept
    # under everything they are made of (forbidden_memo.py): 80 of a
    # rebuild's 110 ms here went to the same sources and chapters again
    memo = forbidden_memo.Kept()
    needles: list[Needle] = []
    public: list[str] = []
    if lr is not None:
        fields = secret_fields(lr)
        needles += memo.sources(lr, fields, rel, lambda: source_needles(lr, rel, fields))
        for lc in lr.chapters:
            name, text = rel(lc.file), lc.chapter.text
            needles += memo.chapter(name, text, lambda name=name, text=text: one_chapter_needles(name, text))  # type: ignore[misc]
        if lr.report is not None:
            for i, value in enumerate(lr.report.deny):
                if value.strip():
                    needles.append(phrase(DENY, value, f"{rel(lr.dir / 'report.yaml')} deny[{i}]"))
            public += [lr.report.issuer, lr.report.title]
    for i, value in enumerate(deny):
        if value.strip():
            needles.append(phrase(DENY, value, f"--deny #{i + 1}"))
    needles += path_needles(paths, repo)
    needles += user_needles(repo)
    return Forbidden(_unique(needles), public)


def _unique(needles: list[Needle]) -> list[Needle]:
    """One needle per (kind, mode, value); an empty one matches nothing."""
    seen: set[tuple[str, str, object]] = set()
    unique = []
    for n in needles:
        if n.mode == "phrase" and not n.tokens:
            continue
        key = (n.kind, n.mode, n.tokens if n.mode == "phrase" else n.value)
        if key not in seen:
            seen.add(key)
            unique.append(n)
    return unique
