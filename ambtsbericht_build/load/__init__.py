"""Stage 1, load: read a report directory into typed, position-keeping objects.

Loading never raises for a bad report: what cannot be read or validated
becomes an AB001/AB002/AB003 diagnostic, and loading continues with what can
be read so that one run reports everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .. import models
from ..diagnostics import Diagnostics
from . import schema_messages
from .chapter_memo import reused
from .files import DEFAULT_MAX_BYTES, Repo, read_text
from .markdown import Chapter, parse_chapter
from .yaml_kept import kept_yaml
from .yamlpos import Path_, Positions, YamlError, load_yaml


@dataclass
class YamlDoc:
    """A YAML file's data with the positions of its keys."""

    file: Path
    data: object
    positions: Positions

    def pos(self, path: Path_) -> tuple[int, int]:
        return self.positions.of(path)


@dataclass
class SourceEntry:
    source: models.Source
    raw: dict[str, Any]  # the item as written (YAML: every scalar is its text)
    file: Path
    line: int
    column: int
    positions: Positions | None = None
    path: Path_ = ()  # path of this entry inside its file
    shared: bool = False  # from the repository's shared bibliography/
    broken: bool = False  # breaks the schema (AB002 says how): only its id is kept
    # confidentiality declared in a way abuild does not read (AB303): the
    # fields, each with what is wrong; the entry is treated as confidential
    bad_declaration: list[tuple[str, str]] = field(default_factory=list)
    # ``confidential``/``internal`` in a BibTeX or CSL-JSON file (AB305): the
    # field and its position; the entry is treated as confidential
    foreign_declaration: list[tuple[str, int, int]] = field(default_factory=list)
    # the shared bibliography's archive.yaml when ``source.archive`` was read
    # from it (a .bib or .json source: abuild never rewrites those files)
    archive_doc: YamlDoc | None = None

    @property
    def label(self) -> str:
        """How a diagnostic names the source: a confidential key may say too
        much ("vb-minister-x") and diagnostics end up in CI logs, so a
        confidential source is named by its place (file:line:col) only."""
        return "confidential source" if self.source.confidential else f"source {self.source.id}"

    def pos(self, key: str) -> tuple[int, int]:
        if self.positions is not None and (self.path + (key,)) in self.positions.keys:
            return self.positions.keys[self.path + (key,)]
        return self.line, self.column


@dataclass
class LoadedChapter:
    file: Path
    chapter: Chapter
    meta: models.ChapterMeta


@dataclass
class LoadedReport:
    dir: Path
    repo: Repo
    report: models.Report | None = None
    report_doc: YamlDoc | None = None
    tor: models.Tor | None = None
    tor_doc: YamlDoc | None = None
    sources: list[SourceEntry] = field(default_factory=list)
    # bibliography files that are missing or could not be read: the keys they
    # hold are unknown, so unresolved citations prove nothing
    bib_failed: list[Path] = field(default_factory=list)
    # ids of source entries left out because they break the schema (AB002):
    # citing them is not citing an unknown key
    broken_ids: set[str] = field(default_factory=set)
    # chapter files that could not be read: answers, ids and citations in
    # them are unknown, so "answered nowhere" or "never cited" prove nothing
    chapters_failed: list[Path] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)
    glossary_doc: YamlDoc | None = None
    chapters: list[LoadedChapter] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.dir.name

    def source_index(self) -> dict[str, SourceEntry]:
        """Each source id with its first entry. An id defined twice is an
        AB108 error, and :meth:`unambiguous_sources` leaves it out."""
        out: dict[str, SourceEntry] = {}
        for s in self.sources:
            out.setdefault(s.source.id, s)
        return out

    def duplicate_source_ids(self) -> set[str]:
        """Ids that more than one entry of the bibliography defines (AB108)."""
        seen: set[str] = set()
        dups: set[str] = set()
        for s in self.sources:
            (dups if s.source.id in seen else seen).add(s.source.id)
        return dups

    def unambiguous_sources(self) -> list[SourceEntry]:
        """The sources a render may use: every entry whose id no other entry
        defines. Which of two entries with one id a citation means is not
        known, so the render uses neither (the citation prints as unresolved
        in a concept; AB108 refuses a final render)."""
        dups = self.duplicate_source_ids()
        return [s for s in self.sources if s.source.id not in dups]


@dataclass
class LoadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES


_M = TypeVar("_M", bound=BaseModel)


def _validate(
    model: type[_M],
    data: object,
    doc: YamlDoc,
    diags: Diagnostics,
    prefix: Path_ = (),
    skip_model_errors: bool = False,
) -> _M | None:
    """Validate ``data``; one AB002 per offending field, at its key.

    ``skip_model_errors``: leave out errors of the model as a whole (loc ())
    because the caller has reported them with a better position."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        reported: set[Path_] = set()
        for err in exc.errors(include_url=False):
            loc = err["loc"]
            # pydantic names the union member that failed after the field name
            # ("issued", "date"); that means nothing to a drafter, and every
            # member fails, so a union field gets one message
            union = next((k for k, p in enumerate(loc) if k > 0 and isinstance(p, str) and p in _UNION_TAGS), None)
            if union is not None:
                loc = loc[:union]
            if loc in reported:
                continue
            reported.add(loc)
            if not loc and skip_model_errors:
                continue
            line, col = doc.pos(prefix + loc)
            where = ".".join(str(p) for p in loc) or "document"
            if err["type"] == "missing" and loc:
                # "statsu: concept": one finding, at the misspelt key
                key = schema_messages.misspelt_key(model, data, loc)
                if key is not None and schema_messages.forbids_extra(model, loc[:-1]):
                    continue  # its "unknown field; did you mean ...?" says it
                if key is not None:
                    line, col = doc.pos(prefix + loc[:-1] + (key,))
                    msg = f"required field is missing; is {key!r} meant to be {loc[-1]!r}?"
                    diags.error("AB002", doc.file, line, col, f"{doc.file.name}: {where}: {msg}")
                    continue
            msg = schema_messages.plain(err, loc, data, model)
            diags.error("AB002", doc.file, line, col, f"{doc.file.name}: {where}: {msg}")
        return None


_UNION_TAGS = {"date", "literal['undated']", "str", "DateParts", "constrained-str"}


def _duplicate_questions(doc: YamlDoc, diags: Diagnostics) -> bool:
    """Report a ToR question id used twice at the second one; True if any."""
    seen: dict[str, int] = {}
    found = False
    themes = doc.data.get("themes") if isinstance(doc.data, dict) else None
    for ti, theme in enumerate(themes if isinstance(themes, list) else []):
        questions = theme.get("questions") if isinstance(theme, dict) else None
        for qi, q in enumerate(questions if isinstance(questions, list) else []):
            qid = q.get("id") if isinstance(q, dict) else None
            if not isinstance(qid, str):  # ids are text as written: 1.1 and 1.10 differ
                continue
            path: Path_ = ("themes", ti, "questions", qi, "id")
            line, col = doc.pos(path)
            if qid in seen:
                diags.error(
                    "AB002",
                    doc.file,
                    line,
                    col,
                    f"{doc.file.name}: question id {qid!r} is used twice (first on line {seen[qid]})",
                )
                found = True
            else:
                seen[qid] = line
    return found


def _load_yaml_file(path: Path, repo: Repo, diags: Diagnostics, opts: LoadOptions) -> YamlDoc | None:
    text = read_text(path, repo, diags, max_bytes=opts.max_bytes)
    if text is None:
        return None
    try:
        data, positions = kept_yaml(text)
    except YamlError as exc:
        diags.error("AB001", path, exc.line, exc.column, exc.message)
        return None
    return YamlDoc(path, data, positions)


def _required_mapping(path: Path, why: str, repo: Repo, diags: Diagnostics, opts: LoadOptions) -> YamlDoc | None:
    """A YAML file the report cannot do without, holding a mapping of fields."""
    if not path.exists():
        diags.error("AB003", path, 0, 0, f"{path.name} is missing: {why}")
        return None
    doc = _load_yaml_file(path, repo, diags, opts)
    if doc is not None and not isinstance(doc.data, dict):
        diags.error("AB002", path, 1, 1, f"{path.name} must be a mapping of fields")
        return None
    return doc


def load_report(report_dir: Path, diags: Diagnostics, opts: LoadOptions | None = None) -> LoadedReport | None:
    """Load everything a report is made of. Returns None only when the
    directory itself is unusable (then a diagnostic says why)."""
    opts = opts or LoadOptions()
    report_dir = Path(report_dir)
    if Repo.for_report(report_dir).report_escapes(report_dir):  # before exists(): says nothing of the outside
        diags.error("AB003", report_dir, 0, 0, "report directory leaves the repository (a symlink); it is not read")
        return None
    if not report_dir.exists():
        diags.error("AB003", report_dir, 0, 0, "report directory does not exist")
        return None
    if not report_dir.is_dir():
        diags.error("AB003", report_dir, 0, 0, "is not a directory (a report is a directory with report.yaml)")
        return None
    repo = Repo.for_report(report_dir)
    lr = LoadedReport(dir=report_dir, repo=repo)

    lr.report_doc = _required_mapping(report_dir / "report.yaml", "every report directory needs one", repo, diags, opts)
    if lr.report_doc is not None:
        lr.report = _validate(models.Report, lr.report_doc.data, lr.report_doc, diags)

    lr.tor_doc = _required_mapping(report_dir / "tor.yaml", "a report answers Terms of Reference", repo, diags, opts)
    if lr.tor_doc is not None:
        dups = _duplicate_questions(lr.tor_doc, diags)
        lr.tor = _validate(models.Tor, lr.tor_doc.data, lr.tor_doc, diags, skip_model_errors=dups)

    # glossary.yaml
    gpath = report_dir / "glossary.yaml"
    if gpath.exists():
        doc = _load_yaml_file(gpath, repo, diags, opts)
        if doc is not None:
            lr.glossary_doc = doc
            g = _validate(models.Glossary, doc.data if doc.data is not None else {}, doc, diags)
            if g is not None:
                lr.glossary = dict(g.root)

    from .bibliography import load_sources  # it needs this module's types

    # the chapters before the sources: a check hands each chapter to pandoc
    # as it is read (pandoc_batch.offer), and pandoc's reading is the longest
    # wait of a check; the 350 sources of the benchmark report took 60-90 ms
    _load_chapters(lr, diags, opts)
    load_sources(lr, diags, opts)
    return lr


# --- sources ------------------------------------------------------------------


def _key_pos(doc: YamlDoc | None, key: str) -> tuple[int, int]:
    if doc is None:
        return (0, 0)
    return doc.pos((key,))


def chapter_files(lr: LoadedReport, diags: Diagnostics) -> list[Path]:
    if lr.report and lr.report.chapters is not None:
        files = []
        for i, rel in enumerate(lr.report.chapters):
            p = lr.dir / rel
            if not p.exists():
                line, col = lr.report_doc.pos(("chapters", i)) if lr.report_doc else (0, 0)
                diags.error(
                    "AB003", lr.report_doc.file if lr.report_doc else p, line, col, f"chapter file {rel} does not exist"
                )
                continue
            files.append(p)
        if not lr.report.chapters:
            line, col = _key_pos(lr.report_doc, "chapters")
            diags.error(
                "AB003", lr.report_doc.file if lr.report_doc else lr.dir, line, col, "the report lists no chapters"
            )
        return files
    cdir = lr.dir / "chapters"
    files = sorted(cdir.glob("*.md")) if cdir.is_dir() else []
    if not files:
        diags.error("AB003", cdir, 0, 0, "the report has no chapters (chapters/*.md)")
    return files


def _load_chapters(lr: LoadedReport, diags: Diagnostics, opts: LoadOptions) -> None:
    for path in chapter_files(lr, diags):
        text = read_text(path, lr.repo, diags, max_bytes=opts.max_bytes)
        if text is None:
            lr.chapters_failed.append(path)
            continue
        # the preview's copy of a chapter whose text it read before (chapter_memo.py)
        ch = reused(path, text) or parse_chapter(path, text)
        meta = models.ChapterMeta()
        if ch.front_matter is not None:
            try:
                data, positions = load_yaml(ch.front_matter, ch.front_matter_line)
            except YamlError as exc:
                diags.error(
                    "AB001", path, exc.line + ch.front_matter_line - 1, exc.column, f"front matter: {exc.message}"
                )
                data, positions = None, Positions()
            if data is not None:
                shifted = Positions(
                    {k: (v[0] + ch.front_matter_line - 1, v[1]) for k, v in positions.keys.items()},
                    {k: (v[0] + ch.front_matter_line - 1, v[1]) for k, v in positions.values.items()},
                )
                if not isinstance(data, dict):
                    diags.error("AB002", path, ch.front_matter_line, 1, "front matter must be a mapping")
                else:
                    m = _validate(models.ChapterMeta, data, YamlDoc(path, data, shifted), diags)
                    meta = m or meta
        lr.chapters.append(LoadedChapter(path, ch, meta))
