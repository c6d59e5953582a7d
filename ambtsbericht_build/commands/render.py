"""``abuild render``: check, build the document once, write the formats in parallel."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..diagnostics import Diagnostics
from ..load import LoadedReport
from .check import CheckOptions, check_report

FORMATS = ("html", "pdf", "docx", "odt")


class RenderFailed(Exception):
    pass


@dataclass
class RenderOptions:
    formats: tuple[str, ...] = FORMATS
    out_dir: Path | None = None
    check: CheckOptions = field(default_factory=CheckOptions)
    progress: Callable[[str], None] = lambda line: None


@dataclass
class RenderResult:
    diagnostics: Diagnostics
    outputs: dict[str, Path] = field(default_factory=dict)
    refused: bool = False
    pages: int = 0


def source_epoch(lr: LoadedReport) -> int:
    """Timestamp for everything dated inside outputs: SOURCE_DATE_EPOCH, else
    the commit time of HEAD, else the report date; never the clock."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env)
    try:
        proc = subprocess.run(["git", "-C", str(lr.repo.root), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=10)
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    import calendar

    d = lr.report.date if lr.report else None
    return calendar.timegm(d.timetuple()) if d else 0


def _facts(lr: LoadedReport, doc, epoch: int) -> dict:
    from ..render.labels import month_year
    from ..render.writers import created_iso

    return {
        "meta": doc.meta,
        "lang": doc.lang,
        "headings": [asdict(h) for h in doc.headings],
        "glossary": lr.glossary,
        "epoch": epoch,
        "created": created_iso(epoch),
        "month_year": month_year(lr.report.date, doc.lang) if lr.report else "",
        "notes": doc.notes,
    }


class _Interrupted(Exception):
    pass


def _raise_interrupt(signum, frame):
    raise _Interrupted(signal.Signals(signum).name)


def render_report(report_dir: Path, opts: RenderOptions | None = None) -> RenderResult:
    from ..render.document import RenderError, build_document

    opts = opts or RenderOptions()
    diags = Diagnostics()
    lr = check_report(Path(report_dir), diags, opts.check)
    result = RenderResult(diags)
    if lr is None or lr.report is None or not lr.chapters:
        raise RenderFailed("the report cannot be rendered: it could not be loaded (see the findings)")
    if lr.report.status.final and diags.errors:
        result.refused = True
        return result
    out_dir = Path(opts.out_dir) if opts.out_dir else lr.repo.root / "build" / lr.slug
    out_dir.mkdir(parents=True, exist_ok=True)

    t0 = time.monotonic()
    try:
        doc = build_document(lr)
    except RenderError as exc:
        raise RenderFailed(str(exc)) from None
    opts.progress(f"document   {time.monotonic() - t0:6.1f} s  ({doc.notes} notes)")

    tmp = Path(tempfile.mkdtemp(prefix=".abuild-tmp-", dir=out_dir))
    old_handlers = {}
    procs: dict[str, subprocess.Popen] = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                old_handlers[sig] = signal.signal(sig, _raise_interrupt)
            except (ValueError, OSError):  # not the main thread
                pass
        doc_path = tmp / "document.json"
        facts_path = tmp / "facts.json"
        doc_path.write_text(json.dumps(doc.pandoc), encoding="utf-8")
        facts_path.write_text(json.dumps(_facts(lr, doc, source_epoch(lr))), encoding="utf-8")
        new: dict[str, Path] = {}
        started = time.monotonic()
        for fmt in opts.formats:
            target = tmp / f"{lr.slug}.{fmt}"
            new[fmt] = target
            procs[fmt] = subprocess.Popen(
                [sys.executable, "-m", "ambtsbericht_build.render.worker", fmt, str(doc_path), str(facts_path), str(target)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        failures = []
        pending = dict(procs)
        while pending:
            for fmt, p in list(pending.items()):
                if p.poll() is None:
                    continue
                del pending[fmt]
                err = p.stderr.read().strip() if p.stderr else ""
                if p.returncode != 0 or not new[fmt].exists():
                    failures.append(f"{fmt}: {err or 'the writer process ended with status ' + str(p.returncode)}")
                    opts.progress(f"{fmt:<10} failed after {time.monotonic() - started:.1f} s")
                else:
                    opts.progress(f"{fmt:<10} {time.monotonic() - started:6.1f} s  {new[fmt].stat().st_size:,} bytes")
            time.sleep(0.05)
        if failures:
            raise RenderFailed("; ".join(failures))
        _after_write(lr, new, tmp)
        for fmt, path in new.items():
            final = out_dir / path.name
            os.replace(path, final)
            result.outputs[fmt] = final
        opts.progress(f"total      {time.monotonic() - t0:6.1f} s  -> {out_dir}")
        return result
    except (KeyboardInterrupt, _Interrupted) as exc:
        raise RenderFailed(f"interrupted ({exc or 'SIGINT'}); previous outputs left as they were") from None
    finally:
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        for sig, handler in old_handlers.items():
            signal.signal(sig, handler)


def _after_write(lr: LoadedReport, new: dict[str, Path], tmp: Path) -> None:
    """Hook for what must hold before outputs replace the old ones (audit, manifest)."""
