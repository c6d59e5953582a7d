"""``abuild render``: the options of the command line, then the render
pipeline (:mod:`..render.pipeline`), which does the rest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..render.errors import AuditFailed, RenderFailed
from ..render.formats import formats
from ..render.pipeline import RenderOptions, RenderResult, render_report
from .check import CheckOptions

if TYPE_CHECKING:
    from ..cache.fast import RenderCache

__all__ = [
    "AuditFailed",
    "RenderFailed",
    "RenderOptions",
    "RenderResult",
    "UnknownFormat",
    "parse_formats",
    "render_report",
    "run",
]


class UnknownFormat(ValueError):
    pass


def parse_formats(text: str | None, known: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """``--to html,pdf``: the formats asked for, each one of ``known`` (by
    default the registered ones; none given: all of them)."""
    known = known or formats()
    if text is None:
        return known
    wanted = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in wanted if f not in known]
    if unknown or not wanted:
        raise UnknownFormat(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(known)}")
    return wanted


def run(
    report: Path,
    wanted: tuple[str, ...],
    out_dir: Path | None,
    max_bytes: int,
    progress: Callable[[str], None],
    replaced: Callable[[RenderResult], None] = lambda result: None,
    cache: RenderCache | None = None,
    lang: str | None = None,
) -> RenderResult:
    """Render ``report`` as the command line asked (raises :class:`RenderFailed`);
    ``lang``: the edition's language (None: the report's own)."""
    opts = RenderOptions(
        lang=lang,
        formats=wanted,
        out_dir=out_dir,
        check=CheckOptions(max_bytes=max_bytes, cache=cache is not None),
        progress=progress,
        replaced=replaced,
        cache=cache,
    )
    return render_report(report, opts)
