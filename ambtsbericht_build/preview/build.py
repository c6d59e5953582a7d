"""One preview build: the report checked and its screen HTML written exactly
as ``abuild render`` checks and writes it (the render's own ``check``,
``build_document``, facts and HTML writer, in this process), then audited as
the render audits its outputs.

Whatever goes wrong, the build says so in :class:`Build` and never raises
for bad input: the server keeps the last good page and shows the findings.
A report the render would refuse for confidentiality (or an unreadable
bibliography) gets no page at all, only the findings."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Diagnostics
from ..gc_pause import without_cyclic_gc
from .stages import Stages

if TYPE_CHECKING:
    from ..block_memo import BlockMemo
    from ..load import LoadedReport
    from ..publish.audit import Matcher


@dataclass
class Build:
    """What one build gave: the page (None when there is no new good page),
    the check's findings, and why there is no page (``problem``)."""

    html: str | None
    findings: list[Diagnostic] = field(default_factory=list)
    problem: str = ""
    anchors: dict[tuple[str, int], str] = field(default_factory=dict)  # (file, line) -> section id
    seconds: float = 0.0
    stages: Stages = field(default_factory=Stages)  # where the build's time went (stages.py)


def build_page(report_dir: Path, max_bytes: int, memo: BlockMemo | None = None, workdir: Path | None = None) -> Build:
    """``memo``: pandoc's outputs of the previous build, reused for the
    blocks an edit did not change (:mod:`..block_memo`), and the verdicts
    of the check and the audit on what did not change (check/memo.py,
    audit.py). ``workdir``: an empty directory of the session's own to
    write the page in, the same for every build (its path is one of the
    forbidden values: the same path, the same matcher); else a new one."""
    t0 = time.monotonic()
    stages = Stages()
    try:
        with without_cyclic_gc():
            b = _build_page(report_dir, max_bytes, memo, workdir, stages)
    except (OSError, ValueError, RuntimeError) as exc:  # nothing the drafter wrote may end the preview
        b = Build(None, problem=f"the preview could not be built: {type(exc).__name__}: {exc}")
    b.seconds = time.monotonic() - t0
    b.stages = stages
    return b


def _build_page(
    report_dir: Path, max_bytes: int, memo: BlockMemo | None, workdir: Path | None, stages: Stages
) -> Build:
    if memo is None:
        return _build(report_dir, max_bytes, workdir, stages)
    from ..check.memo import kept_if_steady

    with memo.build(), memo.readings(), kept_if_steady(memo, report_dir):
        return _build(report_dir, max_bytes, workdir, stages)


def _build(report_dir: Path, max_bytes: int, workdir: Path | None, stages: Stages) -> Build:
    import os

    from ..commands.check import CheckOptions, check_report
    from ..load.chapter_memo import keep

    diags = Diagnostics()
    # pandoc reads only the chapters changed since (build/.cache, as abuild
    # check and render do; ABUILD_CACHE=off turns it off): 0.7 s of pandoc
    # CPU a rebuild of the benchmark report otherwise spends on 11 unchanged chapters
    opts = CheckOptions(max_bytes=max_bytes, cache=True)
    with stages("check"):
        lr = check_report(Path(os.path.abspath(report_dir)), diags, opts)
    if lr is not None:
        with stages("keep"):  # each chapter as the check read it, for the next build (load/chapter_memo.py)
            for lc in lr.chapters:
                keep(lc.chapter)
    if lr is None or lr.report is None or not lr.chapters:
        return Build(None, _listed(diags), "the report could not be loaded (see the findings)")
    if workdir is not None:
        return _build_loaded(lr, diags, workdir, stages)
    with tempfile.TemporaryDirectory(prefix="abuild-preview-") as tmp:
        return _build_loaded(lr, diags, Path(tmp), stages)


def _build_loaded(lr: LoadedReport, diags: Diagnostics, tmp: Path, stages: Stages) -> Build:
    from ..house_style import HouseStyleError
    from ..load.limits import over_limits
    from ..publish import forbidden, forbidden_git
    from ..publish.audit import summary
    from ..render import document
    from ..render.facts import house_style_of, render_facts, source_epoch_info
    from ..render.fonts import PREVIEW_CHARACTERS
    from ..render.formats.base import WriterError
    from ..render.formats.html import HtmlWriter
    from ..render.pipeline import confidentiality_refusal, unread_sources_refusal
    from .audit import audit_page, matcher

    with stages("forbidden"):
        forbid = forbidden.collect(lr, paths=[tmp])
    with stages("findings"):
        findings = _listed(diags, matcher(forbid))
        anchors = section_anchors((str(lc.file), lc.chapter.text) for lc in lr.chapters)
    # the render's own refusals, whatever the status: no page at all
    reason = confidentiality_refusal(diags) or unread_sources_refusal(lr)
    if reason:
        return Build(None, findings, reason.split("\n", 1)[0], anchors)
    # a final report with errors is refused by the render; its drafter is
    # fixing them, so the preview shows the page with the findings beside it
    over = over_limits((lc.file, lc.chapter.text, 1) for lc in lr.chapters)
    if over:
        return Build(None, findings, "the report cannot be built: " + "; ".join(over), anchors)
    try:
        with stages("document"):
            style = house_style_of(lr)
            doc = document.build_document(lr, style)
        with stages("facts"):
            # HEAD's commit time by git, kept while nothing git reads changed
            # (publish/forbidden_git.py); no DOCX anchors (the HTML has none)
            date = repr(lr.report.date if lr.report is not None else None)  # the answer without a commit
            epoch, _ = forbidden_git.answers(lr.repo.root, f"epoch {date}", lambda: source_epoch_info(lr))
            facts = render_facts(lr, doc, epoch, style, anchors=False)
        out = tmp / f"{lr.slug}.html"
        writer = HtmlWriter()
        writer.font_chars = PREVIEW_CHARACTERS  # a character typed seldom makes new font subsets
        try:
            with stages("html"):
                writer.write(doc.pandoc, facts, out)
            with stages("audit"):
                found = audit_page(out, forbid, "preview", stages)
            if found:  # the values themselves are never shown
                return Build(None, findings, f"the audit of the page found {summary(found)}", anchors)
            html = out.read_text(encoding="utf-8")
        finally:
            out.unlink(missing_ok=True)  # the session's directory keeps no page
    except (HouseStyleError, document.RenderError, WriterError) as exc:
        return Build(None, findings, str(exc), anchors)
    return Build(html, findings, "", anchors)


def _listed(diags: Diagnostics, matcher: Matcher | None = None) -> list[Diagnostic]:
    """The findings, with the message of a confidentiality finding, and of
    any finding that quotes a value that must not be published (AB102
    quotes a sentence), replaced by its rule's summary: the page and the
    terminal name the place and the code, never the value."""
    from ..check import REGISTRY, confidentiality_codes
    from ..publish.extract import Part

    codes = confidentiality_codes()
    out = []
    for d in diags:
        quotes = matcher is not None and bool(matcher.match(Part("finding", d.message)))
        if (d.code in codes or quotes) and d.code in REGISTRY:
            d = Diagnostic(d.file, d.line, d.column, d.code, d.severity, REGISTRY[d.code].summary)
        elif quotes:
            d = Diagnostic(d.file, d.line, d.column, d.code, d.severity, "(the message quotes confidential text)")
        out.append(d)
    return out


def section_anchors(chapters: Iterable[tuple[str, str]]) -> dict[tuple[str, int], str]:
    """For each chapter file, the id of the last heading at or above each
    heading line: ``{(file, line): id}``, looked up by :func:`anchor_for`."""
    import re

    heading = re.compile(r"^#{1,6}\s.*\{[^}]*#([A-Za-z][\w:.-]*)")
    out: dict[tuple[str, int], str] = {}
    for file, text in chapters:
        for n, line in enumerate(text.splitlines(), 1):
            m = heading.match(line)
            if m:
                out[(str(file), n)] = m.group(1)
    return out


def anchor_for(anchors: dict[tuple[str, int], str], d: Diagnostic) -> str:
    """The id of the section the finding is in ("" when none is known)."""
    best, best_line = "", 0
    for (file, line), ident in anchors.items():
        if file == d.file and best_line <= line <= max(d.line, 1):
            best, best_line = ident, line
    return best


__all__ = ["Build", "anchor_for", "build_page", "section_anchors"]
