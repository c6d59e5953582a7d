"""The Dutch side of each PO file: which file holds what, and its entries.

``translations/<lang>/`` mirrors the report directory: a PO file per chapter
(``chapters/01-politiek.po`` for ``chapters/01-politiek.md``), ``report.po``
(report.yaml's title, country, issuer, place, responsible unit and the
names of free-text review steps, ``review 1``, ...), ``tor.po``
(the ToR's title, requester, theme titles and questions) and
``glossary.po`` (each abbreviation's full form). A chapter entry's msgid is
its Markdown with placeholders (``placeholders.py``) and no msgctxt, so that
two identical paragraphs share one translation, as in any gettext project;
a YAML entry's msgctxt names its field (``title``, ``question 2.1``,
``glossary BDV``) and its msgid is the value as written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..load import LoadedChapter, LoadedReport, YamlDoc
from ..models import REVIEW_PATH
from .placeholders import Protected
from .units import Unit, chapter_units

# the languages an edition may be rendered in besides the report's own
LANGUAGES = ("en",)
REPORT_FIELDS = ("title", "country", "issuer", "place", "responsible_unit")
FORMAT_FLAG = "python-brace-format"


@dataclass
class Field:
    """A YAML value to translate: where it is read and where it goes."""

    ctxt: str
    value: str
    path: tuple[str | int, ...]  # in its YAML file


@dataclass
class Catalog:
    po: Path  # translations/<lang>/...
    kind: str  # chapter | report | tor | glossary
    entries: list[polib.POEntry]
    chapter: LoadedChapter | None = None
    units: dict[str, Protected] = field(default_factory=dict)  # chapter: msgid -> its text (notes included)
    chapter_units: list[Unit] = field(default_factory=list)  # chapter: its units, in order
    fields: list[Field] = field(default_factory=list)  # YAML: each value

    @property
    def msgids(self) -> set[tuple[str, str]]:
        return {(e.msgctxt or "", e.msgid) for e in self.entries}


def translations_dir(lr: LoadedReport, lang: str) -> Path:
    return lr.dir / "translations" / lang


def catalogs(lr: LoadedReport, lang: str) -> list[Catalog]:
    """Every PO file the report's Dutch text gives, with its entries now."""
    root = translations_dir(lr, lang)
    out = [_chapter(lc, lr.dir, root) for lc in lr.chapters]
    for kind, doc, fields in (
        ("report", lr.report_doc, list(_report_fields(lr))),
        ("tor", lr.tor_doc, list(_tor_fields(lr))),
        ("glossary", lr.glossary_doc, [Field(f"glossary {k}", v, (k,)) for k, v in lr.glossary.items()]),
    ):
        if doc is not None and fields:
            out.append(Catalog(root / f"{kind}.po", kind, [_yaml_entry(f, doc, lr.dir) for f in fields], fields=fields))
    return out


def po_path(root: Path, report_dir: Path, chapter_file: Path) -> Path:
    try:
        rel = chapter_file.relative_to(report_dir)
    except ValueError:
        rel = Path(chapter_file.name)
    return root / rel.with_suffix(".po")


def _chapter(lc: LoadedChapter, report_dir: Path, root: Path) -> Catalog:
    rel = _rel(lc.file, report_dir)
    entries: dict[str, polib.POEntry] = {}
    units: dict[str, Protected] = {}
    found = chapter_units(lc.chapter)
    for u in found:
        for p, line in _with_notes(u.text, u.line, lc):
            if not p.translatable:
                continue
            e = entries.get(p.msgid)
            if e is None:
                flags = [FORMAT_FLAG] if p.pieces or "{{" in p.msgid or "}}" in p.msgid else []
                e = entries[p.msgid] = polib.POEntry(msgid=p.msgid, msgstr="", comment=p.describe(), flags=flags)
                units[p.msgid] = p
            e.occurrences.append((rel, str(line)))
    return Catalog(po_path(root, report_dir, lc.file), "chapter", list(entries.values()), lc, units, found)


def _with_notes(p: Protected, line: int, lc: LoadedChapter) -> Iterator[tuple[Protected, int]]:
    yield p, line
    for piece in p.pieces:
        if piece.note is not None:
            yield from _with_notes(piece.note, line, lc)


def _rel(file: Path, report_dir: Path) -> str:
    try:
        return file.relative_to(report_dir).as_posix()
    except ValueError:
        return file.name


def _report_fields(lr: LoadedReport) -> Iterator[Field]:
    if lr.report is None:
        return
    for name in REPORT_FIELDS:
        value = getattr(lr.report, name)
        if isinstance(value, str) and value.strip():
            yield Field(name, value, (name,))
    for i, step in enumerate(lr.report.review):
        # a path step (intern-review, ...) is named by abuild's labels in every
        # language; a free-text step ("Collegiale toetsing") is the drafter's words
        if step.step not in REVIEW_PATH:
            yield Field(f"review {i + 1}", step.step, ("review", i, "step"))


def _tor_fields(lr: LoadedReport) -> Iterator[Field]:
    tor = lr.tor
    if tor is None:
        return
    yield Field("tor title", tor.title, ("title",))
    yield Field("tor requested_by", tor.requested_by, ("requested_by",))
    for ti, theme in enumerate(tor.themes):
        yield Field(f"theme {theme.id}", theme.title, ("themes", ti, "title"))
        for qi, q in enumerate(theme.questions):
            yield Field(f"question {q.id}", q.text, ("themes", ti, "questions", qi, "text"))


def _yaml_entry(f: Field, doc: YamlDoc, report_dir: Path) -> polib.POEntry:
    line, _col = doc.pos(f.path)
    return polib.POEntry(
        msgctxt=f.ctxt, msgid=f.value, msgstr="", occurrences=[(_rel(doc.file, report_dir), str(line))]
    )
