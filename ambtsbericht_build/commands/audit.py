"""``abuild audit``: look for anything confidential in rendered files.

Every string of every output is extracted (:mod:`..publish.extract`: HTML
text, attributes and comments; PDF page text, metadata, XMP, outline,
annotations, attachments and every string object; every XML part of a DOCX or
ODT) and matched against what must never be published
(:mod:`..publish.forbidden`). ``abuild render`` runs the same audit on what it
has just written, before the previous outputs are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics, display_path

if TYPE_CHECKING:  # publish/ is imported when an audit runs: it loads PDF libraries
    from ..publish.audit import AuditFinding


class AuditUsageError(Exception):
    pass


@dataclass
class AuditResult:
    files: list[Path]
    findings: list[AuditFinding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)  # files in the directories given of no kind the audit reads


def output_files(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files to audit: the files given, and every file of a kind the audit
    reads (HTML, PDF, DOCX, ODT, JSON, text) anywhere under the directories
    given, hidden ones included; and the other files under those directories."""
    from ..publish.extract import files_in

    files: list[Path] = []
    skipped: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            try:
                read, other = files_in(p)
            except OSError as exc:
                raise AuditUsageError(f"{exc.filename or p}: cannot be read ({exc.strerror or exc})") from None
            files += read
            skipped += other
        elif p.is_file():
            files.append(p)
        else:
            raise AuditUsageError(f"{p}: no such file or directory")
    if not files:
        raise AuditUsageError("no outputs to audit (.html, .pdf, .docx, .odt, .json, .txt)")
    return files, skipped


def audit_outputs(paths: list[Path], report: Path | None = None, deny: list[str] | tuple[str, ...] = ()) -> AuditResult:
    from ..load import load_report
    from ..publish.audit import audit_files
    from ..publish.extract import UnsupportedFile, kind_of
    from ..publish.forbidden import collect

    files, skipped = output_files(paths)
    for f in files:
        try:
            kind_of(f)
        except UnsupportedFile as exc:
            raise AuditUsageError(str(exc)) from None
    lr = None
    if report is not None:
        diags = Diagnostics()
        lr = load_report(Path(report), diags)
        if lr is None or lr.report is None:
            first = next(iter(diags), None)
            raise AuditUsageError(f"{report}: the report cannot be loaded" + (f" ({first.message})" if first else ""))
    dirs = sorted({f.resolve().parent for f in files})
    forbidden = collect(lr, deny=list(deny), paths=dirs)
    findings = audit_files(files, forbidden, full=True, names={f: display_path(f) for f in files})
    return AuditResult(files, findings, forbidden.count(), skipped)
