"""``abuild review import``: a reviewer's comments and tracked changes in a
returned DOCX, each on its source line (the work is in :mod:`..review.importing`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..review.importing import Placed

Echo = Callable[[str, bool], None]  # (text, to standard error)


def import_docx(docx: Path, report: Path | None, fmt: str, echo: Echo) -> int:
    """Print the items of ``docx``; 0 when it was read, 1 when it is refused."""
    from ..review.docx_package import DocxRefused
    from ..review.import_output import render_items
    from ..review.importing import import_review

    try:
        report_dir, placed = import_review(docx, report)
    except DocxRefused as exc:
        echo(f"abuild review import: {exc}\n", True)
        return 1
    _redact(report_dir, placed)
    echo(render_items(fmt, placed), False)
    return 0


def _redact(report_dir: Path, placed: list[Placed]) -> None:
    """A reviewer may write a secret into a comment, and a DOCX's
    ``w:author``, ``w:initials`` and ``w:date`` are free text too (red team
    pass 6 printed a code name given as the author): every text field of an
    item, and how it was placed, is redacted before anything is printed (a
    terminal, JSON, SARIF, a CI annotation); each piece of a secret shows as
    "[vertrouwelijk]" (check/confidential.py: redactor). ``kind`` is one of
    abuild's own three words."""
    from ..check.confidential import redactor
    from ..diagnostics import Diagnostics
    from ..load import load_report

    lr = load_report(report_dir, Diagnostics())
    if lr is None:
        return
    redact = redactor(lr)
    for p in placed:
        it = p.item
        texts: dict[str, Any] = {
            f.name: redact(v) for f in fields(it) if f.name != "kind" and isinstance(v := getattr(it, f.name), str)
        }
        p.item = replace(it, **texts)
        p.how = redact(p.how)
