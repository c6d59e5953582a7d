"""``<slug>.manifest.json``: what a build was made from and what it made.

The manifest ties every published file to the reviewed text: the sha256 of
each output and of each input file (report.yaml, tor.yaml, the bibliography
files, glossary, chapters, media, and abuild's templates), the Git commit and
whether the working tree was dirty, and the versions of the tools that shaped
the bytes. It holds no absolute path, no user name and no clock time, so it
is itself reproducible and safe to publish beside the outputs.

:func:`verify` re-hashes the outputs (next to the manifest) and, when the
repository is at hand, the inputs.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import tools
from ..house_style import TEMPLATES, HouseStyle
from ..load.files import sha256_file
from ..load.markdown import image_targets

if TYPE_CHECKING:
    from ..load import LoadedReport

# 2: every output names the build it comes from ("current", or an earlier
# render's entry in "earlier_builds"), and "git" lists uncommitted and
# untracked inputs; version 1 manifests are still verified
MANIFEST_VERSION = 2
READABLE_VERSIONS = (1, 2)
CURRENT = "current"
# what describes one build: the top level of a manifest (this render) and
# each entry of "earlier_builds" (a render whose outputs are still there)
BUILD_KEYS = (
    "title",
    "status",
    "version",
    "date",
    "source_date_epoch",
    "source_date_epoch_from",
    "git",
    "tools",
    "inputs",
    "templates",
    "audit",
)
# the directory that holds the package: the checkout (editable install) or
# site-packages (a wheel); abuild's template paths are recorded relative to it
ABUILD_ROOT = TEMPLATES.resolve().parent.parent


def _entry(path: Path, rel: str) -> dict[str, Any]:
    return {"path": rel, "sha256": sha256_file(path), "bytes": path.stat().st_size}


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = tools.run(["git", "-C", str(root), *args], timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def input_files(lr: LoadedReport, lang: str | None = None) -> list[Path]:
    """Every file of the repository the render read or embedded (``lang``:
    a translated edition's language, whose PO files it read too)."""
    from ..load.bibliography import bibliography_files

    root = lr.repo.root
    files: list[Path] = []
    po_dir = lr.dir / "translations" / (lang or "")
    if lang and po_dir.is_dir():
        # the report's PO files and every chapter's (translations/<lang>/chapters/): all of them
        files += sorted(p for p in po_dir.rglob("*.po") if p.is_file())
    for name in ("report.yaml", "tor.yaml", "glossary.yaml"):
        if (lr.dir / name).is_file():
            files.append(lr.dir / name)
    files += [p for p, _shared in bibliography_files(lr) if p.is_file()]
    files += [lc.file for lc in lr.chapters]
    media = lr.dir / "media"
    if media.is_dir():
        files += [p for p in media.rglob("*") if p.is_file()]
    for lc in lr.chapters:  # images elsewhere in the repository, as pandoc embeds them (not in code or comments)
        for target in image_targets(lc.chapter):
            if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/", target):
                continue
            p = lr.dir / target
            try:
                if p.is_file():
                    files.append(p)
            except OSError:
                continue
    out: dict[str, Path] = {}
    for p in files:
        if not lr.repo.contains(p):
            continue  # never read: nothing outside the repository is an input
        try:
            rel = p.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
        out.setdefault(rel, p)
    return [out[k] for k in sorted(out)]


def template_files(style: HouseStyle | None = None) -> list[tuple[Path, str, str]]:
    """The house-style files of a render: (file, recorded path, origin), where
    abuild's files are recorded relative to the directory holding the package
    (``ambtsbericht_build/templates/css/common.css``) and a repository's
    overrides relative to the repository (``templates/css/screen.css``)."""
    style = style or HouseStyle.for_repo(None)
    out = []
    for f in style.files():
        if f.origin == "repository" and style.root is not None:
            rel = f.path.relative_to(style.root).as_posix()
        else:
            rel = f.path.resolve().relative_to(ABUILD_ROOT).as_posix()
        out.append((f.path, rel, f.origin))
    return sorted(out, key=lambda t: t[1])


def tool_versions(pdf_tools: dict[str, Any] | None = None) -> dict[str, Any]:
    from .. import __version__
    from ..tools import pandoc_version

    tools = {"abuild": __version__, "python": platform.python_version()}
    try:
        tools["pandoc"] = pandoc_version()
    except Exception:  # pandoc missing: recorded as unknown
        tools["pandoc"] = "unknown"
    tools["citeproc"] = f"pandoc {tools['pandoc']} --citeproc (built in; citeproc-py is not used)"
    if pdf_tools:
        tools.update(pdf_tools)
    else:
        from importlib.metadata import PackageNotFoundError, version

        for dist in ("weasyprint", "pydyf"):
            try:
                tools[dist] = version(dist)
            except PackageNotFoundError:
                pass
    tools["zlib"] = zlib.ZLIB_RUNTIME_VERSION
    return dict(sorted(tools.items()))


def _porcelain_paths(status: str) -> list[tuple[bool, str]]:
    """(untracked, path) of each entry of ``git status --porcelain -z``; the
    source of a rename or copy is skipped."""
    paths = []
    records = status.split("\0")
    i = 0
    while i < len(records):
        rec = records[i]
        i += 1
        if len(rec) <= 3:
            continue
        if rec[0] in "RC":  # a rename/copy is followed by its source path
            i += 1
        paths.append((rec[:2] == "??", rec[3:]))
    return paths


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def git_state(root: Path, inputs: list[str], ignore: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """HEAD, and whether the working tree differs from it (the output
    directory, when inside the repository, does not count); ``uncommitted``:
    the inputs whose text is not the commit's (modified, staged), ``untracked``:
    the inputs the commit does not hold at all (new, or ignored by Git)."""
    commit = _git(root, "rev-parse", "HEAD")
    if commit is None:
        return {"commit": None, "dirty": None, "uncommitted": [], "untracked": []}
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=normal") or ""
    changed: set[str] = set()
    new: list[str] = []  # untracked files and directories (``normal`` shows a new directory, not its files)
    for is_new, path in _porcelain_paths(status):
        if any(_under(path, d) or _under(d, path) for d in ignore):
            continue
        if is_new:
            new.append(path)
        else:
            changed.add(path)
    # an input Git ignores is in no commit either; status does not show it
    tracked = set((_git(root, "ls-files", "-z") or "").split("\0"))
    uncommitted = sorted(p for p in inputs if p in changed)
    untracked = sorted(p for p in inputs if p not in tracked or any(_under(p, d) for d in new))
    return {
        "commit": commit.strip(),
        "dirty": bool(changed or new or untracked),
        "uncommitted": uncommitted,
        "untracked": untracked,
    }


def _inside(path: Path | None, root: Path) -> list[str]:
    if path is None:
        return []
    try:
        return [Path(path).resolve().relative_to(root).as_posix()]
    except ValueError:
        return []


def build(
    lr: LoadedReport,
    outputs: dict[str, Path],
    *,
    epoch: int,
    epoch_from: str,
    pdf_tools: dict[str, Any] | None = None,
    audit: dict[str, Any] | None = None,
    out_dir: Path | None = None,
    style: HouseStyle | None = None,
    stem: str | None = None,
) -> dict[str, Any]:
    """The manifest for ``outputs`` ({format: file}); the files may still be
    in the temporary directory: only their names are recorded. ``style``: the
    house style the render used (default: resolved again for the repository).
    ``stem``: the outputs' file stem, ``<slug>.<lang>`` for a translated
    edition (render/edition.py), whose manifest is ``<stem>.manifest.json``."""
    root = lr.repo.root
    stem = stem or lr.slug
    lang = stem[len(lr.slug) + 1 :] if stem != lr.slug else None
    inputs = [_entry(p, p.resolve().relative_to(root).as_posix()) for p in input_files(lr, lang)]
    same_tree = ABUILD_ROOT == root.resolve()
    if style is None:
        style = HouseStyle.for_repo(root)
    templates = [{**_entry(p, rel), "from": origin} for p, rel, origin in template_files(style)]
    # a template is part of the commit when it is the repository's override,
    # or abuild's own file in the checkout abuild runs from
    tracked = [t["path"] for t in templates if t["from"] == "repository" or same_tree]
    r = lr.report
    try:
        report_rel = lr.dir.resolve().relative_to(root).as_posix()
    except ValueError:
        report_rel = lr.slug
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "report": report_rel,
        "slug": lr.slug,
        "stem": stem,
        "language": lr.report.language if lr.report else None,
        "title": r.title if r else lr.slug,
        "status": r.status.value if r else None,
        "version": r.version if r else None,
        "date": r.date.isoformat() if r else None,
        "source_date_epoch": epoch,
        "source_date_epoch_from": epoch_from,
        "git": git_state(
            root,
            [i["path"] for i in inputs] + tracked,
            ignore=_inside(out_dir, root) + _inside(root / "build" / ".cache", root),  # the cache is no input
        ),
        "tools": tool_versions(pdf_tools),
        "outputs": {
            fmt: {"file": p.name, "sha256": sha256_file(p), "bytes": p.stat().st_size, "build": CURRENT}
            for fmt, p in sorted(outputs.items())
        },
        "inputs": inputs,
        "templates": {"base": "repository" if same_tree else "abuild installation", "files": templates},
    }
    if audit is not None:
        manifest["audit"] = audit
    manifest["earlier_builds"] = []  # filled by carry_over(), when outputs of earlier renders stay
    return manifest


# --- outputs of earlier renders ------------------------------------------------------------


@dataclass
class CarriedOver:
    """What :func:`carry_over` decided about the outputs this render does not write."""

    kept: dict[str, str]  # format -> why it may stay ("current" or what changed since)
    remove: list[Path]  # files no manifest ties to their text any more
    notes: list[str]  # one line each, for the drafter


def _build_of(m: dict[str, Any]) -> dict[str, Any]:
    return {k: m[k] for k in BUILD_KEYS if k in m}


def edition_stem(manifest: dict[str, Any]) -> str:
    """The outputs' file stem: ``<slug>``, or ``<slug>.<lang>`` for a
    translated edition (manifests before editions have no ``stem``)."""
    return str(manifest.get("stem") or manifest["slug"])


def carry_over(manifest: dict[str, Any], out_dir: Path, suffixes: dict[str, str]) -> CarriedOver:
    """Complete ``manifest`` (this render's) with the outputs of earlier
    renders that are still in ``out_dir`` (``--to html`` after a full render
    leaves the PDF, DOCX and ODT of the earlier text).

    An output stays when the previous manifest lists it and its file still
    has the sha256 listed there: it keeps its entry, pointing at the build it
    came from, copied into ``earlier_builds`` with that build's own inputs,
    commit and tools. Any other file of a format (``suffixes``: every
    registered format's suffix) that this render does not write is listed in
    ``remove``: nothing ties it to any text, so it must not stay beside a
    manifest. Call it under the output directory's lock."""
    slug = edition_stem(manifest)  # a translated edition's files are <slug>.<lang>.*, the others' are not its own
    current_names = {o["file"] for o in manifest["outputs"].values()} | {f"{slug}.manifest.json"}
    prev_path = out_dir / f"{slug}.manifest.json"
    prev: dict[str, Any] | None = None
    why_not = "there is no previous manifest"
    if prev_path.is_file():
        try:
            prev = load(prev_path)
        except ManifestError:
            why_not = "the previous manifest cannot be read"
    prev_outputs: dict[str, Any] = dict(prev["outputs"]) if prev else {}
    prev_builds = {CURRENT: _build_of(prev)} if prev else {}
    if prev and prev.get("manifest_version", 1) >= 2:
        for b in prev.get("earlier_builds") or []:
            if isinstance(b, dict) and isinstance(b.get("id"), str):
                prev_builds.setdefault(b["id"], {k: v for k, v in b.items() if k != "id"})
    kept_from: dict[str, str] = {}  # format -> the previous manifest's build id
    out = CarriedOver({}, [], [])
    for fmt in sorted((set(suffixes) | set(prev_outputs)) - set(manifest["outputs"])):
        entry = prev_outputs.get(fmt)
        entry = entry if isinstance(entry, dict) else None
        name = Path(str(entry.get("file", ""))).name if entry else f"{slug}{suffixes.get(fmt, '')}"
        if not name or name in current_names or (entry is None and fmt not in suffixes):
            continue
        path = out_dir / name
        if not path.is_file():
            continue
        build_id = str(entry.get("build", CURRENT)) if entry else ""
        if entry is None:
            why = "the previous manifest does not list it" if prev else why_not
        elif sha256_file(path) != entry.get("sha256"):
            why = "it is not the file the previous manifest lists"
        elif build_id not in prev_builds:
            why = f"the previous manifest does not describe its build {build_id!r}"
        else:
            kept_from[fmt] = build_id
            continue
        out.remove.append(path)
        out.notes.append(f"{fmt:<10} removed {name}: {why}, so nothing ties it to a text")
    # the earlier builds, most recent first: the previous render, then its earlier ones
    order = [b for b in prev_builds if b in kept_from.values()]
    new_id = {old: f"earlier-{i}" for i, old in enumerate(order, 1)}
    manifest["earlier_builds"] = [{"id": new_id[old], **prev_builds[old]} for old in order]
    for fmt, old in sorted(kept_from.items()):
        e = prev_outputs[fmt]
        manifest["outputs"][fmt] = {
            "file": Path(str(e["file"])).name,
            "sha256": e["sha256"],
            "bytes": e.get("bytes"),
            "build": new_id[old],
        }
        diff = input_differences(prev_builds[old], manifest)
        out.kept[fmt] = (
            "built from the same inputs" if not diff else f"STALE: built from older inputs ({_shorten(diff)})"
        )
    manifest["outputs"] = dict(sorted(manifest["outputs"].items()))
    return out


def input_differences(build: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """How the inputs and templates of ``build`` differ from ``current``'s:
    ``path changed``, ``path added`` (an input now, not then), ``path
    removed``; empty when both were made from the same files."""

    def hashes(b: dict[str, Any]) -> dict[str, str]:
        files = list(b.get("inputs") or []) + list((b.get("templates") or {}).get("files") or [])
        return {str(f.get("path")): str(f.get("sha256")) for f in files if isinstance(f, dict)}

    old, new = hashes(build), hashes(current)
    diff = [f"{p} changed" for p in sorted(old.keys() & new.keys()) if old[p] != new[p]]
    diff += [f"{p} added" for p in sorted(new.keys() - old.keys())]
    diff += [f"{p} removed" for p in sorted(old.keys() - new.keys())]
    return diff


def _shorten(items: list[str], most: int = 5) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def dumps(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


# --- verify --------------------------------------------------------------------------------


@dataclass
class Check:
    status: str  # ok | stale | changed | missing | skipped
    what: str  # output | input | template
    path: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.status.upper():<8} {self.what:<9} {self.path}" + (f"  ({self.detail})" if self.detail else "")


class ManifestError(Exception):
    pass


def load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not a readable manifest ({exc})") from None
    if (
        not isinstance(data, dict)
        or data.get("manifest_version") not in READABLE_VERSIONS
        or not isinstance(data.get("outputs"), dict)
    ):
        versions = " or ".join(map(str, READABLE_VERSIONS))
        raise ManifestError(f"{path}: not an abuild manifest (version {versions})")
    return data


def _compare(path: Path, expected: dict[str, Any], what: str, shown: str) -> Check:
    if not path.is_file():
        return Check("missing", what, shown)
    actual = sha256_file(path)
    if actual != expected.get("sha256"):
        return Check("changed", what, shown, f"sha256 {actual[:12]}…, manifest {str(expected.get('sha256'))[:12]}…")
    return Check("ok", what, shown)


def _currency(check: Check, build_id: str, earlier: dict[str, dict[str, Any]], m: dict[str, Any]) -> Check:
    """An output whose file matches: made by the render that wrote the
    manifest (current), or kept from an earlier render, from the same inputs
    (current) or from older ones (stale)."""
    if build_id == CURRENT:
        return Check("ok", check.what, check.path, "current")
    build = earlier.get(build_id)
    if build is None:
        return Check("changed", check.what, check.path, f"its build {build_id!r} is not in the manifest")
    diff = input_differences(build, m)
    commit = str((build.get("git") or {}).get("commit") or "")[:12]
    at = f" at commit {commit}" if commit else ""
    if not diff:
        return Check("ok", check.what, check.path, f"current: an earlier render{at} of the same inputs")
    return Check("stale", check.what, check.path, f"built from older inputs{at}: {_shorten(diff)}")


def find_repo(manifest: dict[str, Any], manifest_path: Path, repo: Path | None) -> Path | None:
    report = manifest.get("report") or ""
    if not report or Path(report).is_absolute() or ".." in Path(report).parts:
        return None
    cands = [repo] if repo else [Path.cwd(), *Path.cwd().parents, *manifest_path.resolve().parents]
    for c in cands:
        if c is not None and (c / report / "report.yaml").is_file():
            return c
    return None


def verify(manifest_path: Path, repo: Path | None = None, *, inputs: bool = True) -> list[Check]:
    manifest_path = Path(manifest_path)
    m = load(manifest_path)
    base = manifest_path.parent
    checks: list[Check] = []
    earlier: dict[str, dict[str, Any]] = {}
    if m["manifest_version"] >= 2:
        earlier = {str(b.get("id")): b for b in m.get("earlier_builds") or [] if isinstance(b, dict)}
    for _fmt, out in sorted(m["outputs"].items()):
        out = out if isinstance(out, dict) else {}
        name = Path(str(out.get("file", ""))).name  # never leave the manifest's directory
        check = _compare(base / name, out, "output", name)
        if check.status == "ok":
            check = _currency(check, str(out.get("build", CURRENT)), earlier, m)
        checks.append(check)
    if not inputs:
        return checks
    root = find_repo(m, manifest_path, repo)
    if root is None:
        checks.append(
            Check(
                "skipped", "input", m.get("report", "?"), "repository not found: run in the repository or pass --repo"
            )
        )
        return checks
    for entry in m.get("inputs", []):
        rel = str(entry.get("path", ""))
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            checks.append(Check("changed", "input", rel, "path outside the repository"))
            continue
        checks.append(_compare(root / rel, entry, "input", rel))
    tpl = m.get("templates") or {}
    # abuild's files: in the repository when it was rendered by its own
    # checkout, else in the abuild installation verifying (editable or wheel:
    # both hold them under ambtsbericht_build/templates/); overrides: in the
    # repository
    abuild_base = root if tpl.get("base") == "repository" else ABUILD_ROOT
    for entry in tpl.get("files", []):
        rel = str(entry.get("path", ""))
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            continue
        tbase = root if entry.get("from") == "repository" else abuild_base
        checks.append(_compare(tbase / rel, entry, "template", rel))
    return checks
