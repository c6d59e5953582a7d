"""Content rules: links, images and raw HTML stay inside the report's world."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..diagnostics import Severity
from . import Finding, rule

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


def _links(ctx, images: bool | None = None):
    for lc in ctx.report.chapters:
        for b in lc.chapter.all_blocks():
            for link in b.links:
                if images is None or link.image == images:
                    yield lc, link


@rule("AB401", Severity.ERROR, "image or link target missing, outside the repository, or remote")
def bad_target(ctx):
    """Images and links point at files inside the repository, relative to the
    report directory. Remote targets (``https://``, ``//host``) are refused:
    nothing is ever fetched, and URLs belong in the sources."""
    report_dir = ctx.report.dir
    repo = ctx.report.repo
    for lc, link in _links(ctx):
        target = link.target
        what = "image" if link.image else "link"
        if not target:
            if link.image:
                yield Finding(lc.file, link.line, link.column, "image has no target")
            continue
        if target.startswith("#"):
            continue  # a cross-reference: AB403
        if _SCHEME.match(target):
            yield Finding(
                lc.file,
                link.line,
                link.column,
                f"{what} target {target} is remote; nothing is fetched (put URLs in the sources)",
            )
            continue
        path_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path_part:
            continue
        if Path(path_part).is_absolute():
            yield Finding(lc.file, link.line, link.column, f"{what} target {target} is an absolute path")
            continue
        full = report_dir / path_part
        if not repo.contains(full):
            yield Finding(lc.file, link.line, link.column, f"{what} target {target} is outside the repository")
        elif not full.exists():
            yield Finding(lc.file, link.line, link.column, f"{what} target {target} does not exist")
        elif link.image and not full.is_file():
            yield Finding(lc.file, link.line, link.column, f"image target {target} is not a file")


@rule("AB402", Severity.ERROR, "raw HTML in a chapter (HTML comments excepted: they are dropped)")
def raw_html(ctx):
    """Chapters are Markdown: raw HTML would bypass the house style, the
    accessibility rules and the checks (and a ``<script>`` must never reach a
    published file). HTML comments are allowed and never rendered."""
    for lc in ctx.report.chapters:
        for b in lc.chapter.all_blocks():
            opened: set[str] = set()
            for r in b.raw_html:
                m = _TAG_NAME.match(r.text)
                name = m.group(2).lower() if m else ""
                if m and m.group(1):
                    if name in opened:
                        continue  # the closing tag of an element already reported
                else:
                    opened.add(name)
                yield Finding(lc.file, r.line, r.column, f"raw HTML {_short(r.text)} is not allowed in a chapter")


_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _short(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= 40 else s[:37] + "..."


@rule("AB403", Severity.ERROR, "cross-reference to an id that does not exist")
def dangling_xref(ctx):
    """A link ``[](#id)`` or ``[text](#id)`` refers to a heading, figure,
    table or div id of this report (any chapter)."""
    if ctx.report.chapters_failed:
        return  # the id may be in the chapter that could not be read
    ids = ctx.analysis.ids
    for lc, link in _links(ctx, images=False):
        if link.target.startswith("#") and link.target[1:] not in ids:
            yield Finding(
                lc.file, link.line, link.column, f"cross-reference to #{link.target[1:]}, which does not exist"
            )


@rule("AB404", Severity.ERROR, "image without alternative text (its caption/alt is empty)")
def missing_alt(ctx):
    """Every image needs a text alternative for readers who cannot see it
    (WCAG 1.1.1): the ``![...]`` text, which is also its caption."""
    for lc, link in _links(ctx, images=True):
        alt = link.text.strip()
        if link.attrs and link.attrs.kv.get("alt", "").strip():
            alt = link.attrs.kv["alt"]
        if not alt:
            yield Finding(lc.file, link.line, link.column, "image has no alternative text")
