"""Source rules: public sources are complete, confidential ones are anonymous."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..diagnostics import Severity
from ..load import LoadedReport, SourceEntry
from ..load.files import sha256_file
from . import Context, Finding, RuleDoc, Snippet, chapter, rule, yaml_in


def has_field(raw: dict[str, Any], key: str) -> bool:
    """The source entry has a non-empty value for ``key``."""
    v = raw.get(key)
    if v is None:
        return False
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, (list, dict)):
        return bool(v)
    return True


_AI_COPY = "<!doctype html><title>Testland 2025</title><p>Amnesty International, 29 april 2025.</p>\n"


@rule(
    "AB106",
    Severity.ERROR,
    "public source lacks author/publisher, title, issued, or accessed for a URL",
    RuleDoc(
        finds="""
        A public source without who published it (`author`, `editor` or
        `publisher`), what it is (`title`), when (`issued`, or
        `issued: undated`) or, when it has a `URL`, when it was consulted
        (`accessed`).
        """,
        why="""
        Lawyers, the IND and the court must be able to find a source again
        and see which version the report relied on; web pages change, so the
        date of consultation matters as much as the address.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: ai-2025
                  type: webpage
                  author: [{literal: Amnesty International}]
                  title: Testland 2025
                  issued: 2025-04-29
                  URL: https://www.amnesty.org/en/location/africa/testland/
                """,
            ),
        ),
        fix="Add the missing fields; `accessed` is the date on which the drafter consulted the page.",
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: ai-2025
                  type: webpage
                  author: [{literal: Amnesty International}]
                  title: Testland 2025
                  issued: 2025-04-29
                  URL: https://www.amnesty.org/en/location/africa/testland/
                  accessed: 2025-05-02
                  archive: {file: archive/ai-2025.html, sha256: SHA}
                """.replace("SHA", hashlib.sha256(_AI_COPY.encode("utf-8")).hexdigest()),
            ),
            Snippet("archive/ai-2025.html", _AI_COPY),  # its archived copy (AB111)
            chapter("""
            ## Verkiezingen {tor="1.1"}

            De verkiezingen werden uitgesteld.[@ai-2025]
            """),
        ),
    ),
)
def incomplete_source(ctx: Context) -> Iterator[Finding]:
    for s in ctx.report.sources:
        if s.source.confidential:
            continue
        raw = s.raw
        missing = []
        if not (has_field(raw, "author") or has_field(raw, "publisher") or has_field(raw, "editor")):
            missing.append("author or publisher")
        if not has_field(raw, "title"):
            missing.append("title")
        if not has_field(raw, "issued"):
            missing.append("issued (or issued: undated)")
        if has_field(raw, "URL") and not has_field(raw, "accessed"):
            missing.append("accessed (it has a URL)")
        if missing:
            line, col = s.pos("id")
            yield Finding(s.file, line, col, f"source {s.source.id} lacks {', '.join(missing)}")


def place(ctx: Context, entry: SourceEntry, key: str = "id") -> str:
    """``file:line:column`` of an entry's key, the file relative to the repository."""
    line, col = entry.pos(key)
    try:
        name = entry.file.resolve().relative_to(ctx.report.repo.root).as_posix()
    except ValueError:
        name = entry.file.as_posix()
    return f"{name}:{line}:{col}"


@rule(
    "AB108",
    Severity.ERROR,
    "source id defined twice (in one file, two files, or a report's and the shared bibliography)",
    RuleDoc(
        finds="""
        A source id that more than one entry of the report's bibliography
        defines: twice in `sources.yaml`, in two of the files `bibliography:`
        lists (CSL YAML, CSL-JSON or BibTeX), in two files of the shared
        `bibliography/`, or a report's own source with the id of a shared
        one. Reported at each later entry (at the report's own entry when it
        shadows a shared one), naming the other place.
        """,
        why="""
        A citation `[@id]` must point at one source. With two entries under
        one id, pandoc silently prints the later one in every footnote: the
        court reads a source the drafter did not mean, and a public entry
        could take the place of a confidential one. abuild does not guess:
        a concept renders such a citation as unresolved, and a final report
        is not rendered.
        """,
        example=(
            yaml_in(
                "sources.yaml",
                """
                - id: hrw-2025
                  type: report
                  author: [{literal: Human Rights Watch}]
                  title: "Testland: Events of 2024 (persbericht)"
                  issued: 2025-01-16
                """,
            ),
        ),
        fix="""
        Give one of the entries an id of its own and cite that one where it
        is meant; or remove the copy when both describe the same source. A
        report that needs a shared source with different data gives its own
        entry a different id.
        """,
        fixed=(
            yaml_in(
                "sources.yaml",
                """
                - id: hrw-2025-pers
                  type: report
                  author: [{literal: Human Rights Watch}]
                  title: "Testland: Events of 2024 (persbericht)"
                  issued: 2025-01-16
                """,
            ),
            chapter("""
            ## Verkiezingen {tor="1.1"}

            HRW meldde het uitstel van de verkiezingen.[@hrw-2025-pers]
            """),
        ),
    ),
)
def duplicate_source(ctx: Context) -> Iterator[Finding]:
    by_id: dict[str, list[SourceEntry]] = {}
    for s in ctx.report.sources:
        by_id.setdefault(s.source.id, []).append(s)
    for sid, entries in by_id.items():
        if len(entries) < 2:
            continue
        # the drafter edits the report's own entry: report there, name the shared one
        first = next((e for e in entries if e.shared), entries[0])
        for e in entries:
            if e is first:
                continue
            line, col = e.pos("id")
            secret = any(x.source.confidential for x in entries)  # the key may say too much: not printed
            name = "this source" if secret else f"source {sid}"
            cite = "a citation of it" if secret else f"a citation [@{sid}]"
            if first.shared and not e.shared:
                what = f"{name} has the same id as the shared source at {place(ctx, first)}"
            else:
                what = f"{name} is defined twice: also at {place(ctx, first)}"
            yield Finding(e.file, line, col, f"{what}; {cite} cannot say which is meant: give one another id")


def _field_pos(entry: SourceEntry, *keys: str) -> tuple[int, int]:
    """Position of a nested key of an entry (``archive``, ``file``), or of the
    nearest enclosing key that has one."""
    if entry.positions is not None:
        for n in range(len(keys), 0, -1):
            where = entry.positions.keys.get(entry.path + keys[:n])
            if where is not None:
                return where
    return entry.line, entry.column


def _archive_pos(entry: SourceEntry, key: str) -> tuple[Path, int, int]:
    """Where the ``archive`` record's ``key`` is written: in the entry, or
    for a .bib or .json source in the shared bibliography's archive.yaml."""
    doc = entry.archive_doc
    if doc is not None:
        sid = entry.source.id
        line, col = doc.positions.keys.get((sid, key)) or doc.positions.keys.get((sid,)) or (1, 1)
        return doc.file, line, col
    return (entry.file, *_field_pos(entry, "archive", key))


_ARCHIVED = "Testland: Events of 2024. Human Rights Watch, World Report 2025 (kopie van 3 februari 2025).\n"
_ARCHIVED_SHA = hashlib.sha256(_ARCHIVED.encode("utf-8")).hexdigest()
_ARCHIVE_SOURCE = """
- id: hrw-2025-wr
  type: report
  author: [{{literal: Human Rights Watch}}]
  title: World Report 2025 – Testland
  issued: 2025-01-16
  archive:
    file: archive/hrw-2025-wr.txt
    sha256: {sha}
"""


@rule(
    "AB109",
    Severity.ERROR,
    "archived copy of a source missing, outside the repository, or its SHA-256 differs",
    RuleDoc(
        finds="""
        A source whose `archive` names a file that does not exist, is not a
        regular file, is an absolute path, or lies outside the repository (a
        `..` path or a symlink that leaves it); or whose file's SHA-256 is
        not the `sha256` written beside it. `archive.file` is relative to
        the report directory (a shared source's too: `../../bibliography/...`).
        A `.bib` or `.json` source records its copy in the `archive.yaml`
        beside its file (`bibliography/archive.yaml`), where the finding is.
        """,
        why="""
        The archived copy is the evidence of what the source said when the
        report relied on it: web pages change and disappear. A copy that is
        missing, or that is not the file the drafter archived, proves
        nothing; abuild never accepts it unchecked.
        """,
        example=(
            yaml_in("sources.yaml", _ARCHIVE_SOURCE.format(sha="0" * 64)),
            Snippet("archive/hrw-2025-wr.txt", _ARCHIVED),
            chapter("""
            ## Verkiezingen {tor="1.1"}

            HRW meldde het uitstel van de verkiezingen.[@hrw-2025-wr]
            """),
        ),
        fix="""
        Put the copy at the path given (inside the repository, usually the
        report's `archive/`) and write its SHA-256 in lower case
        (`sha256sum FILE`; PowerShell's `Get-FileHash FILE` prints it in
        capitals). When the copy changed, find out
        why before writing a new hash: the hash is there so that a changed
        copy is noticed.
        """,
        fixed=(yaml_in("sources.yaml", _ARCHIVE_SOURCE.format(sha=_ARCHIVED_SHA)),),
    ),
)
def bad_archive(ctx: Context) -> Iterator[Finding]:
    lr = ctx.report
    top = os.path.realpath(lr.dir)  # once, not once per copy (300 on the benchmark report)
    if all(_in_report(top, s.source.archive.file) for s in lr.sources if s.source.archive is not None):
        from .memo import FINDINGS, report_part

        # every copy is a file of the report, which check/memo.py's key
        # covers by content: kept while it holds (the benchmark report's
        # 300 copies took 0.02-0.06 s of CPU to hash)
        yield from report_part("AB109", lr, lambda: tuple(_bad_archives(lr)), FINDINGS)
    else:
        yield from _bad_archives(lr)


def _in_report(top: str, name: str) -> bool:
    """``name`` is a relative path that, every link followed, stays in the
    report directory (``top``, its real path), and not in a ``__pycache__``
    (which the key's walk of the report leaves out: cache/inputs.py ``tree``)."""
    if not name or os.path.isabs(name):
        return False
    real = os.path.realpath(os.path.join(top, name))
    return real.startswith(top + os.sep) and "__pycache__" not in Path(real[len(top) :]).parts


def _bad_archives(lr: LoadedReport) -> Iterator[Finding]:
    repo = lr.repo
    hashes: dict[Path, str] = {}
    for s in lr.sources:
        archive = s.source.archive
        if archive is None:
            continue
        file, line, col = _archive_pos(s, "file")
        base = lr.dir
        name = archive.file
        where = f"archived copy {name} of {s.label}"
        if not name or Path(name).is_absolute() or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//", name):
            yield Finding(file, line, col, f"{where} is not a path relative to the report directory")
            continue
        full = base / name
        if not repo.contains(full):
            yield Finding(file, line, col, f"{where} is outside the repository (a '..' path or a symlink leaves it)")
            continue
        if not full.exists():
            yield Finding(file, line, col, f"{where} does not exist (relative to {base.name}/)")
            continue
        if not full.is_file():
            yield Finding(file, line, col, f"{where} is not a file")
            continue
        real = full.resolve()
        try:
            if real not in hashes:
                hashes[real] = sha256_file(real)
        except OSError as exc:
            yield Finding(file, line, col, f"{where} cannot be read: {exc.strerror or exc}")
            continue
        if hashes[real] != archive.sha256:
            file, line, col = _archive_pos(s, "sha256")
            yield Finding(
                file,
                line,
                col,
                f"{where} has SHA-256 {hashes[real]}, not the {archive.sha256[:12]}... written here:"
                " the copy changed or the hash is wrong",
            )
