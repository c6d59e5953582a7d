"""The state of a translation: each PO file read and held against the Dutch text.

One reading serves ``abuild check`` (AB601-AB605), ``abuild status`` and the
render (:func:`~ambtsbericht_build.translate.translate_report`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..diagnostics import Diagnostics
from ..load import LoadedReport
from ..load.files import DEFAULT_MAX_BYTES
from .catalog import LANGUAGES, Catalog, catalogs, translations_dir
from .placeholders import Problem, Protected, markup_problems, restore
from .po import duplicate_keys, msgstr_position, read_po

# what a YAML value's translation may hold: text. The title, a question, a
# full form are printed as written, so markup in them would print or, in a
# format that reads it, become something no one reviewed
YAML_MARKUP = set("<>[]{}@`\\^*_#|\n")


@dataclass
class Issue:
    line: int
    column: int
    code: str  # AB602 (placeholders) | AB604 (markup a translation may not add)
    message: str


@dataclass
class FileState:
    path: Path
    catalog: Catalog | None  # None: a PO file that belongs to no chapter or YAML file
    po: polib.POFile | None = None  # None: missing or unreadable
    text: str = ""  # the PO file's text (positions)
    readable: bool = True
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    broken: int = 0
    missing: int = 0  # Dutch entries the PO file does not have (not extracted since)
    stale: list[polib.POEntry] = field(default_factory=list)  # translated, for Dutch that is gone
    issues: list[Issue] = field(default_factory=list)
    good: dict[tuple[str, str], str] = field(default_factory=dict)  # (msgctxt, msgid) -> msgstr, not fuzzy
    fuzzy_ids: set[tuple[str, str]] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.broken

    def summary(self) -> str:
        return (
            f"{self.translated} of {self.total} translated, {self.fuzzy} fuzzy, "
            f"{self.untranslated} untranslated, {self.broken} broken"
        )


def translation_state(
    lr: LoadedReport, lang: str, diags: Diagnostics, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[FileState]:
    """Each PO file of ``lang`` that the Dutch text gives or that exists."""
    root = translations_dir(lr, lang)
    out: list[FileState] = []
    known: set[Path] = set()
    for cat in catalogs(lr, lang):
        known.add(cat.po)
        fs = FileState(cat.po, cat)
        if cat.po.exists() or cat.po.is_symlink():
            fs.po, fs.text = read_po(cat.po, lr.repo, diags, max_bytes)
            fs.readable = fs.po is not None
        _judge(fs, cat)
        out.append(fs)
    if root.is_dir() and lr.repo.contains(root):
        for p in sorted(root.rglob("*.po")):
            if p not in known:
                out.append(FileState(p, None))
    return out


def dutch(p: Protected) -> str:
    """The unit's Dutch Markdown again, notes included (one line)."""
    return restore(p.msgid, p, [dutch(c.note) for c in p.pieces if c.note is not None])[0]


def entry_problems(p: Protected, msgstr: str) -> list[Problem]:
    notes = [dutch(c.note) for c in p.pieces if c.note is not None]
    text, problems = restore(msgstr, p, notes)
    return problems or markup_problems(text, dutch(p), msgstr, p.msgid)


def yaml_problems(msgid: str, msgstr: str) -> list[Problem]:
    added = [i for i, c in enumerate(msgstr) if c in YAML_MARKUP and c not in msgid]
    if not added:
        return []
    c = msgstr[added[0]]
    what = "a line break" if c == "\n" else f"{c!r}"
    return [Problem(added[0], f"{what} is markup the Dutch value does not have; a translation is text", markup=True)]


def _judge(fs: FileState, cat: Catalog) -> None:
    po = fs.po
    have = {(e.msgctxt or "", e.msgid): e for e in po if not e.obsolete} if po is not None else {}
    lines = fs.text.split("\n")
    dup = duplicate_keys(po) if po is not None else set()
    if dup:  # the second and later of each: which translation is meant cannot be known
        seen: set[tuple[str, str]] = set()
        for e in po or ():
            k = (e.msgctxt or "", e.msgid)
            if not e.obsolete and k in dup:
                if k in seen:
                    msg = "this entry (msgctxt and msgid) is in the PO file twice: remove one (msgfmt refuses it too)"
                    fs.issues.append(Issue(max(1, e.linenum), 1, "AB603", msg))
                seen.add(k)
    for want in cat.entries:
        key = (want.msgctxt or "", want.msgid)
        e = have.get(key)
        if e is None:
            fs.untranslated += 1
            fs.missing += po is not None
            continue
        if key in dup:
            fs.broken += 1
            continue
        if "fuzzy" in e.flags:
            fs.fuzzy += 1
            fs.fuzzy_ids.add(key)
            continue
        if not e.msgstr.strip():
            fs.untranslated += 1
            continue
        unit = cat.units.get(want.msgid)
        problems = entry_problems(unit, e.msgstr) if unit is not None else yaml_problems(e.msgid, e.msgstr)
        if problems:
            fs.broken += 1
            for pr in problems:
                line, col = msgstr_position(lines, e, pr.offset)
                fs.issues.append(Issue(line, col, "AB604" if pr.markup else "AB602", pr.message))
            continue
        fs.translated += 1
        fs.good[key] = e.msgstr.strip()
    wanted = cat.msgids
    fs.stale = [e for e in have.values() if e.msgstr and (e.msgctxt or "", e.msgid) not in wanted]


def public_texts(lr: LoadedReport) -> Iterator[tuple[Path, str, Callable[[int], tuple[int, int]]]]:
    """Every text of every PO file of the report, with ``pos(offset) -> (line,
    column)`` in the PO file: the file is handed to translators and kept in
    the repository, so a secret anywhere in it is a leak to them (red team
    T5). Every entry (fuzzy and obsolete ones too): msgstr and its plural
    forms, msgctxt, msgid and msgid_plural, translator and extracted comments,
    the previous msgid and msgctxt (``#|``), and the header (its comment and
    fields). Unreadable files are AB603's (here they give nothing)."""
    for lang in LANGUAGES:
        root = translations_dir(lr, lang)
        if not root.is_dir() or not lr.repo.contains(root):
            continue
        for path in sorted(root.rglob("*.po")):
            po, text = read_po(path, lr.repo, Diagnostics(), DEFAULT_MAX_BYTES)
            if po is None:
                continue
            lines = text.split("\n")
            for field_text in (po.header, *po.metadata.values()):
                if field_text:
                    yield path, field_text, _at_line(1)
            for e in po:
                if e.msgstr:
                    yield path, e.msgstr, functools.partial(msgstr_position, lines, e)
                at = _at_line(max(1, e.linenum))
                others = (e.msgctxt, e.msgid, e.msgid_plural, e.tcomment, e.comment)
                previous = (e.previous_msgctxt, e.previous_msgid, e.previous_msgid_plural)
                for field_text in (*others, *previous, *e.msgstr_plural.values()):
                    if field_text:
                        yield path, field_text, at


def _at_line(line: int) -> Callable[[int], tuple[int, int]]:
    """Where an entry's other texts are: its first line (polib gives no more)."""
    return lambda _offset: (line, 1)


def status_lines(lr: LoadedReport) -> list[str]:
    """``abuild status``'s lines on the translations: per language, the
    entries translated, fuzzy, untranslated and broken, and which files hold
    the work left."""
    out: list[str] = []
    for lang in LANGUAGES:
        if not translations_dir(lr, lang).is_dir():
            continue
        files = [fs for fs in translation_state(lr, lang, Diagnostics()) if fs.catalog is not None]
        total = FileState(translations_dir(lr, lang), None)
        for fs in files:
            total.translated += fs.translated
            total.fuzzy += fs.fuzzy
            total.untranslated += fs.untranslated
            total.broken += fs.broken
        out.append(f"translation {lang}: {total.summary()}")
        for fs in files:
            if fs.translated != fs.total:
                where = fs.path.relative_to(lr.dir).as_posix() if fs.path.is_relative_to(lr.dir) else fs.path.name
                state = "" if fs.po is not None else " (no PO file yet)" if fs.readable else " (cannot be read)"
                out.append(f"  {where}: {fs.summary()}{state}")
    return out
