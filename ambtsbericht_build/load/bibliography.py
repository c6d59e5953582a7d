"""Stage 1, load: the report's bibliography — its own sources.yaml, the files
report.yaml lists (CSL YAML, CSL-JSON, BibTeX) and the repository's shared
``bibliography/`` — read into :class:`SourceEntry` objects with positions."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from .. import models, tools
from ..confidentiality import confidential_flag
from ..diagnostics import Diagnostics
from ..tools import ToolMissing, pandoc_message, pandoc_path
from . import LoadedReport, LoadOptions, SourceEntry, YamlDoc, _load_yaml_file, _validate
from .files import Repo, read_text
from .yamlpos import Path_, Positions

SHARED = "bibliography"  # beside reports/: the sources every report reads
# beside .bib and .json files (bibliography/archive.yaml, a report's own):
# the archived copies of their sources, {id: archive record} (abuild
# archive writes it; docs/format.md §4)
SIDECAR = "archive.yaml"


def bibliography_files(lr: LoadedReport) -> list[tuple[Path, bool]]:
    """(file, shared) for every bibliography file of the report."""
    explicit = lr.report.bibliography if lr.report and lr.report.bibliography is not None else None
    if explicit is not None:
        return [(lr.dir / p, False) for p in explicit]
    out: list[tuple[Path, bool]] = []
    own = lr.dir / "sources.yaml"
    if own.exists():
        out.append((own, False))
    shared_dir = lr.repo.root / SHARED
    if shared_dir.is_dir():
        for p in sorted(shared_dir.iterdir()):
            if p.suffix in (".yaml", ".yml", ".json", ".bib") and p.name != SIDECAR:
                out.append((p, True))
    return out


def load_sources(lr: LoadedReport, diags: Diagnostics, opts: LoadOptions) -> None:
    _unlisted_own_sources(lr, diags)
    for i, (path, shared) in enumerate(bibliography_files(lr)):
        if not path.exists():
            # only files report.yaml lists can be missing: point at the entry
            line, col = lr.report_doc.pos(("bibliography", i)) if lr.report_doc else (0, 0)
            diags.error(
                "AB003",
                lr.report_doc.file if lr.report_doc else path,
                line,
                col,
                f"bibliography file {path.name} does not exist",
            )
            lr.bib_failed.append(path)
            continue
        if path.suffix == ".bib":
            entries = _load_bibtex(path, lr.repo, diags, opts)
        elif path.suffix == ".json":
            entries = _load_csl_json(path, lr.repo, diags, opts)
        else:
            entries = _load_csl_yaml(path, lr.repo, diags, opts)
        if entries is None:
            lr.bib_failed.append(path)
            continue
        for e in entries:
            e.shared = shared
        lr.broken_ids.update(e.source.id for e in entries if e.broken)
        lr.sources.extend(e for e in entries if not e.broken)
    _sidecar_records(lr, diags, opts)


def _sidecar_records(lr: LoadedReport, diags: Diagnostics, opts: LoadOptions) -> None:
    """The archived copies of .bib and .json sources, which abuild never
    rewrites, from the ``archive.yaml`` beside their file (the shared
    ``bibliography/archive.yaml``, or the report's own), onto their entries.
    A record for a source that a CSL YAML file holds is not read: that file
    records its own."""
    by_dir: dict[Path, dict[str, SourceEntry]] = {}
    for e in lr.sources:
        if e.file.suffix in (".bib", ".json") and not e.source.confidential and e.source.archive is None:
            by_dir.setdefault(e.file.parent, {})[e.source.id] = e
    for directory, foreign in by_dir.items():
        path = directory / SIDECAR
        if not path.is_file():
            continue
        doc = _load_yaml_file(path, lr.repo, diags, opts)
        if doc is None:
            continue
        if not isinstance(doc.data, dict | None):
            diags.error("AB002", path, 1, 1, f"{SIDECAR} is a mapping of source id to archived copy (file, sha256)")
            continue
        for sid, raw in (doc.data or {}).items():
            entry = foreign.get(str(sid))
            if entry is None:
                continue
            rec = _validate(models.Archive, raw, doc, diags, (sid,))
            if rec is not None:
                entry.source.archive = rec
                entry.archive_doc = doc


def _unlisted_own_sources(lr: LoadedReport, diags: Diagnostics) -> None:
    """A report's own sources.yaml that its ``bibliography:`` list leaves out
    is an error, and counts as a file that could not be read: it may declare
    sources confidential, and unread, their keys and internal fields would be
    neither renamed nor looked for (a drafter adding a file to the list
    easily forgets that the list replaces the default)."""
    explicit = lr.report.bibliography if lr.report else None
    own = lr.dir / "sources.yaml"
    if explicit is None or not own.exists():
        return
    if any((lr.dir / p).resolve() == own.resolve() for p in explicit):
        return
    line, col = lr.report_doc.pos(("bibliography",)) if lr.report_doc else (0, 0)
    diags.error(
        "AB002",
        lr.report_doc.file if lr.report_doc else own,
        line,
        col,
        "bibliography: leaves out this report's sources.yaml, so its sources (confidential ones too) are not read; "
        "add sources.yaml to the list, or remove the file",
    )
    lr.bib_failed.append(own)


def _declaration(item: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The item as the model is to read it, and what is wrong with its
    confidentiality declaration (AB303). An entry whose ``confidential`` is
    not clearly false, or whose ``internal`` is not a mapping, is read as
    confidential: secrecy first, the error says what to write. Messages
    never repeat a value."""
    problems: list[tuple[str, str]] = []
    secret, valid = confidential_flag(item.get("confidential"))
    if not valid:
        problems.append(
            ("confidential", "'confidential' must be true or false; until it is, the source is confidential")
        )
    internal = item.get("internal")
    if internal is not None and not isinstance(internal, dict):
        problems.append(
            ("internal", "'internal' must be a mapping of fields (who: ..., notes: ...); the source is confidential")
        )
    if not problems:
        return item, problems
    fixed = dict(item, confidential=True)
    if internal is not None and not isinstance(internal, dict):
        fixed["internal"] = {"value": internal}
    return fixed, problems


def _entries_from_list(
    items: object,
    path: Path,
    doc: YamlDoc,
    diags: Diagnostics,
    foreign: dict[int, list[tuple[str, int, int]]] | None = None,
) -> list[SourceEntry] | None:
    """``foreign``: per item, ``confidential``/``internal`` fields written in
    a BibTeX or CSL-JSON file (AB305): the item is read as confidential."""
    out: list[SourceEntry] = []
    if isinstance(items, dict) and "references" in items:  # pandoc metadata style
        items = items["references"]
        prefix: Path_ = ("references",)
    else:
        prefix = ()
    if not isinstance(items, list):
        diags.error("AB002", path, 1, 1, f"{path.name}: a bibliography file is a list of CSL items")
        return None
    for i, item in enumerate(items):
        line, col = doc.pos(prefix + (i,))
        if not isinstance(item, dict):
            diags.error("AB002", path, line, col, f"{path.name}: item {i + 1} is not a mapping of CSL fields")
            continue
        readable, problems = _declaration(item)
        outside = (foreign or {}).get(i, [])
        if outside:
            readable = dict(readable, confidential=True)
        secret = confidential_flag(readable.get("confidential"))[0]
        src = _validate(models.Source, readable, doc, diags, prefix + (i,))
        where = (path, line, col, doc.positions, prefix + (i,))
        if src is None:
            if not isinstance(item.get("id"), str):
                continue
            if not secret:  # keep the id known (AB104)
                src = models.Source.model_construct(id=item["id"], type="")
                out.append(SourceEntry(src, item, *where, broken=True))
                continue
            # a broken entry that is or may be confidential stays a
            # confidential source: its key is renamed in the render and it
            # prints as "Vertrouwelijke bron"; the audit looks for its key
            # and every field (left out, its key would print as unresolved)
            src = models.Source.model_construct(id=item["id"], type="", confidential=True)
        out.append(SourceEntry(src, item, *where, bad_declaration=problems, foreign_declaration=outside))
    return out


# The loaders return None when the file cannot be read at all (a diagnostic says why).


def _load_csl_yaml(path: Path, repo: Repo, diags: Diagnostics, opts: LoadOptions) -> list[SourceEntry] | None:
    doc = _load_yaml_file(path, repo, diags, opts)
    if doc is None:
        return None
    if doc.data is None:
        return []
    return _entries_from_list(doc.data, path, doc, diags)


def _load_csl_json(path: Path, repo: Repo, diags: Diagnostics, opts: LoadOptions) -> list[SourceEntry] | None:
    text = read_text(path, repo, diags, max_bytes=opts.max_bytes)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        diags.error("AB001", path, exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")
        return None
    except RecursionError:
        diags.error("AB001", path, 1, 1, "JSON is nested too deeply")
        return None
    positions = Positions()
    foreign: dict[int, list[tuple[str, int, int]]] = {}
    if isinstance(data, list):
        finder = _Finder(text)
        for i, item in enumerate(data):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                positions.values[(i,)] = finder.find(r'"id"\s*:\s*"' + re.escape(item["id"]) + '"')
                for key in _DECLARATION_FIELDS:
                    if key in item:
                        foreign.setdefault(i, []).append((key, *positions.values[(i,)]))
    return _entries_from_list(data, path, YamlDoc(path, data, positions), diags, foreign)


#: abuild's own confidentiality fields: only a CSL YAML file can carry them
_DECLARATION_FIELDS = ("confidential", "internal")


class _Finder:
    """Line and column of successive patterns in a text whose items come in
    order: each search starts where the previous match ended, so positioning
    every item of a large file stays linear."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0

    def find(self, pattern: str) -> tuple[int, int]:
        m = re.compile(pattern).search(self.text, self.pos)
        if not m:
            return (1, 1)
        nl = self.text.count("\n", self.pos, m.start())
        if nl:
            self.line += nl
            self.line_start = self.text.rfind("\n", self.pos, m.start()) + 1
        self.pos = m.start()
        return self.line, m.start() - self.line_start + 1


def _load_bibtex(path: Path, repo: Repo, diags: Diagnostics, opts: LoadOptions) -> list[SourceEntry] | None:
    text = read_text(path, repo, diags, max_bytes=opts.max_bytes)
    if text is None:
        return None
    try:
        proc = tools.run([pandoc_path(), "--sandbox", "-f", "bibtex", "-t", "csljson"], input=text, timeout=60)
    except (ToolMissing, OSError, subprocess.TimeoutExpired) as exc:
        diags.error("AB001", path, 0, 0, f"BibTeX file could not be converted: {exc}")
        return None
    if proc.returncode != 0:
        diags.error("AB001", path, 0, 0, f"invalid BibTeX: {pandoc_message(proc.stderr)}")
        return None
    data = json.loads(proc.stdout or "[]")
    positions = Positions()
    finder = _Finder(text)
    for i, item in enumerate(data):
        if isinstance(item, dict) and "id" in item:
            positions.values[(i,)] = finder.find(r"@\w+\s*\{\s*" + re.escape(str(item["id"])) + r"\s*,")
    return _entries_from_list(data, path, YamlDoc(path, data, positions), diags, _bibtex_declarations(text, data))


_BIB_ENTRY = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,")
_BIB_DECLARATION = re.compile(r"(?i)(?:^|[,{\s])(confidential|internal)\s*=")


def _bibtex_declarations(text: str, data: list[Any]) -> dict[int, list[tuple[str, int, int]]]:
    """``confidential``/``internal`` fields of each BibTeX entry (pandoc drops
    them silently, so the source would print in full): {item index: [(field,
    line, column)]}."""
    index = {str(item.get("id")): i for i, item in enumerate(data) if isinstance(item, dict)}
    starts = list(_BIB_ENTRY.finditer(text))
    out: dict[int, list[tuple[str, int, int]]] = {}
    for n, m in enumerate(starts):
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        i = index.get(m.group(1))
        if i is None:
            continue
        for d in _BIB_DECLARATION.finditer(text, m.end(), end):
            at = d.start(1)
            line = text.count("\n", 0, at) + 1
            out.setdefault(i, []).append((d.group(1).lower(), line, at - text.rfind("\n", 0, at)))
    return out


# --- chapters -------------------------------------------------------------------
