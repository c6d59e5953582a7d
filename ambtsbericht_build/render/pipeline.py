"""The render, stage by stage: :func:`render_report`.

1. **start writers**: one process per format (:mod:`.processes`), before
   anything else, so their imports overlap the next two stages (``abuild
   render`` starts their zygote even before its own imports: :mod:`.early_writers`);
2. **check** the report; a vastgesteld/gepubliceerd report with errors is
   refused, and so is *any* report with a confidentiality finding
   (:func:`confidentiality_refusal`);
3. **build the document**: the one resolved pandoc document every format is
   written from (:mod:`.document`), and the facts the writers need (:mod:`.facts`):
   by a forked child while the check's rules run (:mod:`.early_document`; a
   translated edition after them), handed to the writers once the check passed;
4. **write**: each writer writes into a private staging directory outside
   the output directory, ``.abuild-staging/`` beside it (:mod:`.atomic`;
   with a cache, a format whose input it has is copied: ``cache/outputs.py``), while
5. **audit** normalises and audits each output as soon as it is written
   (:mod:`.audit_stage`); then the manifest is written and audited too;
6. **replace** the previous outputs with the new ones, under a lock on the
   output directory and with signals held back.

All of it under a memory ceiling for the render's processes together (:mod:`.memory`).

Any check refusal, failed writer, audit finding, crash or signal (SIGINT, SIGTERM, SIGHUP) ends the
render before stage 6: the temporary directory is removed, the writers are stopped and the previous
outputs are untouched.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import blocks
from ..cache.inputs import out_dir_problem
from ..commands.check import CheckOptions, check_report
from ..diagnostics import Diagnostics, display_path
from ..gc_pause import frozen_imports
from .atomic import (
    Cleanup,
    Interrupted,
    held_signals,
    interrupts_fail_the_render,
    locked,
    move,
    signal_name,
    staging,
)
from .audit_stage import AuditStage
from .early_document import EarlyDocument
from .edition import Edition, edition, shown
from .errors import AuditFailed, RenderFailed
from .facts import RenderFacts, house_style_of, render_facts, source_epoch_info
from .formats import WRITERS, Writer, formats
from .handover import drop_readings, hand_over, release_freed
from .memory import memory_ceiling
from .processes import WriterProcesses, start_writers
from .untranslated import mark_untranslated

if TYPE_CHECKING:
    from ..cache.fast import RenderCache
    from ..cache.outputs import OutputCache
    from ..load import LoadedReport

__all__ = ["AuditFailed", "RenderFailed", "RenderOptions", "RenderResult", "render_report"]


@dataclass
class RenderOptions:
    formats: tuple[str, ...] = field(default_factory=formats)  # every registered format
    out_dir: Path | None = None
    check: CheckOptions = field(default_factory=CheckOptions)
    progress: Callable[[str], None] = lambda line: None
    # called with signals held as soon as the new outputs are in place, so
    # that a caller interrupted afterwards knows they are (abuild render says so)
    replaced: Callable[[RenderResult], None] = lambda result: None
    # False only in tests of the render's own defences (the leaky report):
    # the command line always refuses a report with a confidentiality finding
    refuse_confidentiality: bool = True
    # the incremental build's cache (cache/, build/.cache/); None: none is read or written
    cache: RenderCache | None = None
    # the edition's language (render/edition.py): None, the report's own
    # language; another one renders <slug>.<lang>.<ext> from the translation
    lang: str | None = None


@dataclass
class RenderResult:
    diagnostics: Diagnostics
    outputs: dict[str, Path] = field(default_factory=dict)
    refused: bool = False
    reason: str = ""  # why the render was refused (codes and places, never values)
    pages: int = 0
    manifest: Path | None = None
    audit_seconds: float = 0.0


def render_report(report_dir: Path, opts: RenderOptions | None = None) -> RenderResult:
    """Render one report: the stages below, top to bottom. Everything entered
    into ``cleanup`` is undone on the way out, last first, with signals held."""
    opts = opts or RenderOptions()
    # the command line refuses it too (before its cache); a caller must not get outputs among the inputs either
    if problem := out_dir_problem(report_dir, opts.out_dir):
        raise RenderFailed(problem)
    writers = [WRITERS[name]() for name in opts.formats]
    result: RenderResult | None = None
    with interrupts_fail_the_render(), frozen_imports():
        try:
            with Cleanup() as cleanup:
                procs = cleanup.enter_context(start_writers(writers))
                # left first: its RenderFailed (over the ceiling) is what the clean-ups below see
                cleanup.enter_context(memory_ceiling(procs.guard.spared()))
                early = EarlyDocument(lambda lr: _built_early(lr, early, opts))
                lr, result = check(Path(report_dir), opts, lambda lr: _fork_early(lr, early, cleanup, procs, opts))
                if result.refused:
                    return result  # the child is stopped and its staging removed with the clean-up
                ed = translated_edition(lr, result, opts)
                if result.refused:
                    return result
                lr = ed.report
                out_dir = Path(opts.out_dir) if opts.out_dir else lr.repo.root / "build" / lr.slug
                out_dir.mkdir(parents=True, exist_ok=True)
                if early.pid:  # the document was built while the rules ran (render/early_document.py)
                    drop_readings(lr)  # this process needs none of pandoc's readings now
                    t0, inputs = early.started, early.result(opts.progress)
                    tmp = inputs.doc_path.parent
                else:
                    hand_over(lr)  # the check's structures freed before the document is built (render/handover.py)
                    t0 = time.monotonic()
                    tmp = cleanup.enter_context(staging(out_dir, procs.guard.staging))
                    inputs = _build(lr, tmp, t0, ed, opts, opts.progress)
                    release_freed()  # the document's objects, written to document.json, beside the writers
                store = opts.cache.store if opts.cache is not None else None
                audit = cleanup.enter_context(AuditStage(lr, tmp, out_dir, inputs.facts, store))
                cleanup.callback(procs.stop)  # undone first: before the audit is waited for and their directory goes
                reuse = _output_cache(lr, inputs, opts)
                new = write(procs, writers, inputs, audit, opts.progress, reuse)
                manifest = audit_outputs(lr, writers, new, inputs, out_dir, audit, result, opts.progress)
                replace_outputs(new, manifest, out_dir, audit, result, opts)
                _record(lr, new, result, opts)
                opts.progress(f"total      {time.monotonic() - t0:6.1f} s  -> {display_path(out_dir)}")
                return result
        except (KeyboardInterrupt, Interrupted) as exc:
            # a signal held back while the writers were stopped and the
            # temporary directory removed: the new outputs are already in place
            if result is not None and result.manifest is not None:
                raise RenderFailed(f"interrupted by {signal_name(exc)} after the new outputs were in place") from None
            raise


# --- the stages ---------------------------------------------------------------------------


def check(
    report_dir: Path, opts: RenderOptions, analysed: Callable[[LoadedReport], None] | None = None
) -> tuple[LoadedReport, RenderResult]:
    """Load and check the report; refuse a final report with errors.
    ``analysed(lr)``: called once pandoc has read every chapter, before the rules."""
    diags = Diagnostics()
    # absolute and normalised: the report's slug is its directory's name,
    # which "." or "../voorbeeldland/.." would not give (findings are shown
    # relative to the current directory either way)
    lr = check_report(Path(os.path.abspath(report_dir)), diags, opts.check, analysed)
    result = RenderResult(diags)
    if lr is None or lr.report is None or not lr.chapters:
        errors = [d for d in diags if d.severity.value == "error"][:10]
        shown = "".join(f"\n  {d.display_path()}:{d.line}:{d.column}: {d.code} {d.message}" for d in errors)
        raise RenderFailed(f"the report cannot be rendered: it could not be loaded{shown}")
    reason = (confidentiality_refusal(diags) or unread_sources_refusal(lr)) if opts.refuse_confidentiality else ""
    if reason:
        result.refused, result.reason = True, reason
    elif lr.report.status.final and diags.errors:
        result.refused = True
        result.reason = f"the report's status is final and it has {diags.errors} error(s)"
    return lr, result


def _fork_early(
    lr: LoadedReport, early: EarlyDocument, cleanup: Cleanup, procs: WriterProcesses, opts: RenderOptions
) -> None:
    """Fork the document's build (early_document.py); a translation's is built after the rules."""
    if lr.report is None or not lr.chapters or (opts.lang and opts.lang != lr.report.language):
        return
    out_dir = Path(opts.out_dir) if opts.out_dir else lr.repo.root / "build" / lr.slug
    tmp = cleanup.enter_context(staging(out_dir, procs.guard.staging))
    early.start(lr, tmp)
    cleanup.callback(early.stop)  # undone before the staging directory goes: the child writes into it


def _built_early(lr: LoadedReport, early: EarlyDocument, opts: RenderOptions) -> tuple[WriterInput, list[str]]:
    """In the child: what :func:`build_document` builds for the report's own edition, and its progress lines."""
    assert early.tmp is not None
    lines: list[str] = []  # the report's own edition: no translation, no finding
    return _build(lr, early.tmp, early.started, edition(lr, None, Diagnostics()), opts, lines.append), lines


def _build(
    lr: LoadedReport, tmp: Path, t0: float, ed: Edition, opts: RenderOptions, progress: Callable[[str], None]
) -> WriterInput:
    """The document with the render's caches: the one call of both ways (this process, the forked child)."""
    with blocks.using(opts.cache.store if opts.cache is not None else None):  # cache/blocks.py
        return build_document(lr, tmp, progress, t0, ed, _pdf_cache(opts))


def translated_edition(lr: LoadedReport, result: RenderResult, opts: RenderOptions) -> Edition:
    """The edition ``opts.lang`` asks for; a refusal goes into ``result``."""
    ed = edition(lr, opts.lang, result.diagnostics)
    if ed.refusal:
        result.refused, result.reason = True, ed.refusal
    elif ed.translated:
        opts.progress(f"edition    {ed.lang}: {shown(ed.untranslated, ed.broken, ed.source_lang)} -> {ed.stem}.*")
    return ed


def confidentiality_refusal(diags: Diagnostics) -> str:
    """Why no render may go ahead, whatever the status: the confidentiality
    findings (codes and places, never the values; "" when there are none).
    A concept is sent out for review, so a leak in a concept is a leak."""
    from ..check import confidentiality_codes

    codes = confidentiality_codes()
    found = [d for d in diags if d.code in codes]
    if not found:
        return ""
    where = "".join(f"\n  {d.display_path()}:{d.line}:{d.column}: {d.code}" for d in found[:20])
    more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
    names = ", ".join(sorted({d.code for d in found}))
    return (
        f"{len(found)} confidentiality finding(s) ({names}): no render, whatever the status,"
        f" until they are resolved{where}{more}"
    )


def unread_sources_refusal(lr: LoadedReport) -> str:
    """A bibliography file that could not be read (a YAML slip, a symlink, a
    file too large) may hold confidential sources: unread, their keys would
    print and their internal fields would not be looked for. No render, then,
    whatever the status ("" when every file was read)."""
    if not lr.bib_failed:
        return ""
    names = ", ".join(sorted({p.name for p in lr.bib_failed}))
    return (
        f"the bibliography file(s) {names} could not be read (see the findings above), so abuild cannot tell which "
        "sources are confidential: no render, whatever the status, until they are fixed"
    )


@dataclass(frozen=True)
class WriterInput:
    """What every writer is given: the resolved document and the facts, as
    files (``document.json``, ``facts.json`` in the temporary directory)."""

    slug: str  # the outputs' file stem: the slug, or "<slug>.<lang>" for a translated edition
    doc_path: Path
    facts_path: Path
    facts: RenderFacts
    epoch_from: str  # where the source epoch came from, for the manifest


def _pdf_cache(opts: RenderOptions) -> list[str]:
    """Where the PDF writer keeps its parts (cache/pdf_parts.py): the render's cache, if any."""
    store = opts.cache.store if opts.cache is not None else None
    return [str(store.root), str(store.repo or "")] if store is not None and store.refused is None else []


def build_document(
    lr: LoadedReport,
    tmp: Path,
    progress: Callable[[str], None],
    t0: float,
    ed: Edition | None = None,
    pdf_cache: list[str] | None = None,
) -> WriterInput:
    """The one resolved document every format is written from, and the facts."""
    from dataclasses import replace

    from ..house_style import HouseStyleError
    from ..load.limits import over_limits
    from . import document

    over = over_limits((lc.file, lc.chapter.text, 1) for lc in lr.chapters)  # before pandoc: it would hang or recurse
    if over:
        raise RenderFailed("the report cannot be rendered:\n  " + "\n  ".join(over))
    try:
        style = house_style_of(lr)
        doc = document.build_document(lr, style)
        marked = mark_untranslated(doc.pandoc, ed.lang, ed.source_lang, ed.glossary) if ed and ed.translated else None
        epoch, epoch_from = source_epoch_info(lr)
        facts = render_facts(lr, doc, epoch, style)  # reads the colofon wording of the house style
        if ed and marked:
            facts = marked.tag_headings(facts, ed.source_lang)
        if pdf_cache:
            facts = replace(facts, pdf_cache=pdf_cache)
    except (HouseStyleError, document.RenderError) as exc:
        raise RenderFailed(str(exc)) from None
    progress(f"document   {time.monotonic() - t0:6.1f} s  ({doc.notes} notes)")
    built = WriterInput(ed.stem if ed else lr.slug, tmp / "document.json", tmp / "facts.json", facts, epoch_from)
    write_document(built.doc_path, doc.pandoc, doc.texts if marked is None else None)  # marked: blocks changed
    built.facts_path.write_text(facts.to_json(), encoding="utf-8")
    return built


def write_document(path: Path, pandoc: dict[str, Any], texts: list[str | None] | None = None) -> None:
    """The document as pandoc's JSON, one top-level block a line (still one
    JSON value, for pandoc and ``json.loads``), written block by block:
    ``json.dumps`` of the whole 100,000-note document made a 0.1 GiB string,
    and :func:`.worker.load_document` reads it a line at a time. ``texts``:
    a block's ``json.dumps`` where known (0.08 s of the benchmark report's)."""
    head = {"pandoc-api-version": pandoc["pandoc-api-version"], "meta": pandoc["meta"]}
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(head)[:-1] + ', "blocks": [')
        for i, block in enumerate(pandoc["blocks"]):
            fh.write(",\n" if i else "\n")
            known = texts[i] if texts is not None else None
            fh.write(known if known is not None else json.dumps(block))
        fh.write("\n]}\n")


def write(
    procs: WriterProcesses,
    writers: list[Writer],
    inputs: WriterInput,
    audit: AuditStage,
    progress: Callable[[str], None],
    reuse: OutputCache | None = None,
) -> dict[str, Path]:
    """Let every writer write its file beside the document; hand each output
    to the audit as it is done. Returns {format: new file}. A format the
    cache has for this very input (``reuse``) is copied instead, and audited
    all the same; its writer is left idle and stopped with the others."""
    new = {w.name: inputs.doc_path.with_name(inputs.slug + w.suffix) for w in writers}
    by_name = {w.name: w for w in writers}
    for w in writers:
        audit.writing(w, new[w.name])
    copied = [w for w in writers if reuse is not None and reuse.restore(w.name, new[w.name])]
    idle = {w.name: procs.procs.pop(w.name) for w in copied if w.name in procs.procs}
    try:
        procs.hand_over(inputs.doc_path, inputs.facts_path, new)
        for w in copied:
            progress(f"{w.name:<10}    0.0 s  {new[w.name].stat().st_size:,} bytes (the cache's: same input)")
            audit.output_ready(w, new[w.name])

        def done(name: str, path: Path, seconds: float) -> None:
            progress(f"{name:<10} {seconds:6.1f} s  {path.stat().st_size:,} bytes")
            if reuse is not None:
                reuse.keep(name, path)  # as written: output_ready normalises it
            audit.output_ready(by_name[name], path)

        failures = procs.wait(new, done, audit.poll, progress)
    finally:
        procs.procs.update(idle)  # stopped with the render, as every writer is
    if failures:
        raise RenderFailed("; ".join(failures) + "; previous outputs left as they were")
    return new


def _output_cache(lr: LoadedReport, inputs: WriterInput, opts: RenderOptions) -> OutputCache | None:
    """The cache of written formats for this document (None: no cache)."""
    if opts.cache is None:
        return None
    from ..cache.outputs import OutputCache
    from ..publish.manifest import input_files

    chapters = {lc.file for lc in lr.chapters}
    files = [p for p in input_files(lr) if p not in chapters]
    try:
        return OutputCache(opts.cache.store, inputs.doc_path, inputs.facts_path, files, lr.repo.root / "templates")
    except OSError:  # an input gone since the check: the writers write, and the render says what is missing
        return None


def _record(lr: LoadedReport, new: dict[str, Path], result: RenderResult, opts: RenderOptions) -> None:
    """Tell the cache what this render of these inputs left (cache/fast.py)."""
    if opts.cache is None or result.manifest is None:
        return
    suffixes = {name: w.suffix for name, w in WRITERS.items()}
    opts.cache.record(result.diagnostics, new, result.manifest, suffixes)
    for line in opts.cache.notes:
        opts.progress(line)


def audit_outputs(
    lr: LoadedReport,
    writers: list[Writer],
    new: dict[str, Path],
    inputs: WriterInput,
    out_dir: Path,
    audit: AuditStage,
    result: RenderResult,
    progress: Callable[[str], None],
) -> Path:
    """Wait for the audit of the outputs; write the manifest and audit it
    (it is published beside them). Returns the manifest's path."""
    from ..publish import manifest as M

    t_audit = time.monotonic()
    findings = audit.findings()
    waited = time.monotonic() - t_audit
    result.audit_seconds = audit.seconds
    if findings:
        raise AuditFailed(findings)
    tools: dict[str, str] = {}
    for w in writers:
        tools.update(w.tools(new[w.name]) or {})
    data = M.build(
        lr,
        new,
        epoch=inputs.facts.epoch,
        epoch_from=inputs.epoch_from,
        pdf_tools=tools or None,
        audit={"findings": 0, "checked": audit.forbidden.result().count()},
        out_dir=out_dir,
        style=inputs.facts.house_style,
        stem=inputs.slug,
    )
    path = inputs.doc_path.with_name(f"{inputs.slug}.manifest.json")
    _write_manifest(path, data, audit)
    git = data["git"]
    if git.get("uncommitted") or git.get("untracked"):
        progress(
            f"git        not in commit {str(git['commit'])[:12]}: {len(git['uncommitted'])} uncommitted, "
            f"{len(git['untracked'])} untracked input(s) (listed in the manifest; commit them before publishing)"
        )
    for w in writers:
        note = w.note(new[w.name])
        if note:
            progress(f"{w.name:<10} {note}")
    progress(
        f"audit      {audit.seconds:6.1f} s  clean, {waited:.1f} s after the last writer"
        f"  ({audit.checked()}{audit.reuse()})"
    )
    return path


def _write_manifest(path: Path, data: dict[str, object], audit: AuditStage) -> None:
    """Write the manifest and audit it: it is published beside the outputs."""
    from ..publish import manifest as M
    from ..publish.extract import Extracted

    text = M.dumps(data)
    path.write_text(text, encoding="utf-8")
    ex = Extracted(path)
    ex.add("manifest", text)
    audit.check(path.name, ex)


def replace_outputs(
    new: dict[str, Path],
    manifest: Path,
    out_dir: Path,
    audit: AuditStage,
    result: RenderResult,
    opts: RenderOptions,
) -> None:
    """Move the new files over the old ones, the manifest last; record in
    ``result`` where they are now (with signals still held: an interrupt
    from then on comes after the outputs were replaced).

    Outputs of formats this render did not write either stay, listed in the
    manifest with the build they came from, or are removed
    (``manifest.carry_over``). That is decided under the same lock as the
    replacement (``flock`` does not nest, hence not ``atomic.replace``), so
    that a render beside this one cannot change them in between."""
    from ..publish import manifest as M

    final = {name: out_dir / path.name for name, path in new.items()}
    try:
        with held_signals(), locked(out_dir):
            data = json.loads(manifest.read_text(encoding="utf-8"))
            carried = M.carry_over(data, out_dir, {name: w.suffix for name, w in WRITERS.items()})
            if data["earlier_builds"]:
                _write_manifest(manifest, data, audit)
            for name, path in new.items():
                move(path, final[name])  # staging may be on another file system
            for path in carried.remove:
                path.unlink(missing_ok=True)
            move(manifest, out_dir / manifest.name)
            result.outputs, result.manifest = final, out_dir / manifest.name
            opts.replaced(result)
    except (KeyboardInterrupt, Interrupted) as exc:  # held back until the files were in place
        raise RenderFailed(f"interrupted by {signal_name(exc)} after the new outputs were in place") from None
    for fmt, why in carried.kept.items():
        opts.progress(f"{fmt:<10} kept from an earlier render, {why}")
    for line in carried.notes:
        opts.progress(line)
