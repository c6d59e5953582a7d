"""``abuild review import``: a reviewer's comments and tracked changes in a
returned DOCX, each on its source line (the work is in :mod:`..review.importing`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Echo = Callable[[str, bool], None]  # (text, to standard error)


def import_docx(docx: Path, report: Path | None, fmt: str, echo: Echo) -> int:
    """Print the items of ``docx``; 0 when it was read, 1 when it is refused."""
    from ..review.docx_package import DocxRefused
    from ..review.import_output import render_items
    from ..review.importing import import_review

    try:
        _, placed = import_review(docx, report)
    except DocxRefused as exc:
        echo(f"abuild review import: {exc}\n", True)
        return 1
    echo(render_items(fmt, placed), False)
    return 0
