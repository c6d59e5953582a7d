"""One side of a diff: the report checked and built exactly as ``abuild render``
builds it (the render's own check and ``build_document``), so that both
sides are the documents a render would write, and a report the render
refuses (a confidentiality finding, an unreadable bibliography, a final
report with errors) is refused here too."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .revisions import DiffRefused

if TYPE_CHECKING:
    from ..diagnostics import Diagnostics
    from ..house_style import HouseStyle
    from ..load import LoadedReport
    from ..render.document import Document


@dataclass
class Side:
    label: str  # "OLD v1.0 (0123456789)", for messages
    lr: LoadedReport
    doc: Document
    style: HouseStyle
    diagnostics: Diagnostics


def build_side(report_dir: Path, label: str, max_bytes: int) -> Side:
    from ..commands.check import CheckOptions
    from ..house_style import HouseStyleError
    from ..load.limits import over_limits
    from ..render import document
    from ..render.errors import RenderFailed
    from ..render.facts import house_style_of
    from ..render.pipeline import RenderOptions, check

    try:
        lr, result = check(report_dir, RenderOptions(check=CheckOptions(max_bytes=max_bytes)))
    except RenderFailed as exc:
        raise DiffRefused(f"{label}: {exc}") from None
    if result.refused:
        raise DiffRefused(f"{label}: refused: {result.reason}")
    over = over_limits((lc.file, lc.chapter.text, 1) for lc in lr.chapters)  # as the render: before pandoc
    if over:
        raise DiffRefused(f"{label}: the report cannot be built:\n  " + "\n  ".join(over))
    try:
        style = house_style_of(lr)
        doc = document.build_document(lr, style)
    except (HouseStyleError, document.RenderError) as exc:
        raise DiffRefused(f"{label}: {exc}") from None
    return Side(label, lr, doc, style, result.diagnostics)


def finding_lines(side: Side, limit: int = 10) -> list[str]:
    """The check's errors on this side, at their paths in the repository
    (an exported side is in a temporary directory), then a count of the
    rest and of the warnings: a side is built despite them when the render
    would render it (a concept), as the render prints them."""
    diags = side.diagnostics
    if not diags.errors and not diags.warnings:
        return []
    root = side.lr.repo.root
    lines = []
    for d in [d for d in diags if d.severity.value == "error"][:limit]:
        try:  # not resolved: a refused symlink may point anywhere
            where = Path(os.path.abspath(d.file)).relative_to(root).as_posix()
        except ValueError:
            where = d.display_path()
        lines.append(f"{side.label}: {where}:{d.line}:{d.column}: {d.code} {d.message}")
    lines.append(
        f"{side.label}: {diags.errors} error(s), {diags.warnings} warning(s) in the check (abuild check lists them)"
    )
    return lines
