"""``abuild render``: check, build the document once, write the formats in
parallel, audit what was written, then replace the previous outputs.

The order of a render, and what each step guarantees:

1. check the report; a vastgesteld/gepubliceerd report with errors is refused;
2. build the one resolved pandoc document (:mod:`..render.document`);
3. write each format in its own process (:mod:`..render.worker`) into a
   temporary directory ``.abuild-tmp-*`` inside the output directory;
4. while the slow PDF is still being laid out, a thread rewrites DOCX/ODT
   deterministically (:mod:`..publish.office`) and audits every finished
   output, and the HTML given to WeasyPrint (:mod:`..publish.audit`);
5. any audit finding, failed writer, crash or signal (SIGINT, SIGTERM,
   SIGHUP) ends the render here: the temporary directory is removed and the
   previous outputs are untouched;
6. the manifest is written (:mod:`..publish.manifest`) and the new files
   replace the old ones, under a lock on the output directory and with
   signals held back, so that two renders at once or an interrupt never mix
   or truncate files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostics
from ..load import LoadedReport
from .check import CheckOptions, check_report

FORMATS = ("html", "pdf", "docx", "odt")
TMP_PREFIX = ".abuild-tmp-"


class RenderFailed(Exception):
    pass


class AuditFailed(RenderFailed):
    """The new outputs contain something that must never be published."""

    def __init__(self, findings: list):
        self.findings = findings
        shown = "\n".join(f"  {f}" for f in findings[:50])
        more = f"\n  ... and {len(findings) - 50} more" if len(findings) > 50 else ""
        super().__init__(
            f"the audit of the new outputs found {len(findings)} problem(s); "
            f"the previous outputs were left as they were:\n{shown}{more}\n"
            "(values are shown as their first 3 characters and length; the bracket names where the value comes from)"
        )


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
    manifest: Path | None = None
    audit_seconds: float = 0.0


def source_epoch_info(lr: LoadedReport) -> tuple[int, str]:
    """Timestamp for everything dated inside outputs, and where it came from:
    SOURCE_DATE_EPOCH, else the commit time of HEAD, else the report date;
    never the clock."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.strip().isdigit():
        return int(env), "SOURCE_DATE_EPOCH"
    try:
        proc = subprocess.run(
            ["git", "-C", str(lr.repo.root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=10
        )
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return int(proc.stdout.strip()), "commit"
    except (OSError, subprocess.TimeoutExpired):
        pass
    import calendar

    d = lr.report.date if lr.report else None
    return (calendar.timegm(d.timetuple()), "report date") if d else (0, "none")


def source_epoch(lr: LoadedReport) -> int:
    return source_epoch_info(lr)[0]


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
        # render/pdf.py: write the HTML given to WeasyPrint and the library
        # versions beside the PDF, for the audit and the manifest
        "sidecars": True,
    }


# --- signals ------------------------------------------------------------------------------


class _Interrupted(Exception):
    pass


def _raise_interrupt(signum, frame):
    raise _Interrupted(signal.Signals(signum).name)


_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


@contextlib.contextmanager
def _signals_raise():
    """SIGTERM/SIGHUP raise :class:`_Interrupted` (SIGINT raises
    KeyboardInterrupt already), so every ``finally`` runs and cleans up."""
    old = {}
    if threading.current_thread() is threading.main_thread():
        for sig in _SIGNALS:
            try:
                old[sig] = signal.signal(sig, _raise_interrupt)
            except (ValueError, OSError):
                pass
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _held_signals():
    """Hold SIGINT/SIGTERM/SIGHUP back while the outputs are replaced; a
    signal that arrived meanwhile is delivered afterwards."""
    sigs = {signal.SIGINT, *_SIGNALS}
    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if can:
        signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        if can:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, sigs)


@contextlib.contextmanager
def _locked(directory: Path):
    """An exclusive lock on the output directory (two renders replace their
    files one after the other, never interleaved)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: os.replace is still atomic per file
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# --- after the writers: normalise, audit ------------------------------------------------------


class _AfterWrite:
    """Post-processing of each output as soon as its writer is done, in one
    background thread (the main thread only waits for the writers)."""

    def __init__(self, lr: LoadedReport, tmp: Path, out_dir: Path, epoch: int, pool: ThreadPoolExecutor):
        from ..publish import forbidden

        self.lr = lr
        self.epoch = epoch
        self.pool = pool
        self.jobs: list[Future] = []
        self.seconds = 0.0
        self._matcher = None
        self.forbidden: Future = pool.submit(
            self._timed, forbidden.collect, lr, paths=[tmp, out_dir.resolve(), out_dir]
        )
        self.print_html_seen = False

    def _timed(self, fn, *args, **kw):
        t = time.monotonic()
        try:
            return fn(*args, **kw)
        finally:
            self.seconds += time.monotonic() - t

    def matcher(self):
        from ..publish.audit import Matcher

        if self._matcher is None:
            self._matcher = Matcher(self.forbidden.result())
        return self._matcher

    def _audit(self, shown: str, ex) -> list:
        from ..publish.audit import AuditFinding
        from ..publish.text import redact

        m = self.matcher()
        out = [AuditFinding(shown, part, kind, what) for part, kind, what in ex.problems]
        for part in ex.parts:
            for needle, kind in m.match(part):
                out.append(
                    AuditFinding(
                        shown, part.name, kind, redact(needle.value if needle else ""), needle.origin if needle else ""
                    )
                )
        return out

    def _output(self, fmt: str, path: Path) -> list:
        from ..publish.extract import extract
        from ..publish.office import normalise_package

        if fmt in ("docx", "odt"):
            normalise_package(path, self.epoch, fmt)
        # the PDF's page text is audited as the HTML WeasyPrint was given
        return self._audit(path.name, extract(path, full=fmt != "pdf"))

    def _print_html(self, pdf: Path, html: Path) -> list:
        from ..publish.extract import Extracted, extract_html

        ex = Extracted(pdf)
        extract_html(html.read_text(encoding="utf-8"), ex, "print HTML (PDF text)")
        return self._audit(pdf.name, ex)

    def output_ready(self, fmt: str, path: Path) -> None:
        self.jobs.append(self.pool.submit(self._timed, self._output, fmt, path))

    def poll_print_html(self, pdf: Path) -> None:
        html = pdf.with_name(pdf.name + ".print.html")
        if not self.print_html_seen and html.exists():
            self.print_html_seen = True
            self.jobs.append(self.pool.submit(self._timed, self._print_html, pdf, html))

    def findings(self) -> list:
        out = set()
        for job in self.jobs:
            out.update(job.result())
        return sorted(out)


# --- the render -------------------------------------------------------------------------------


def render_report(report_dir: Path, opts: RenderOptions | None = None) -> RenderResult:
    opts = opts or RenderOptions()
    with _signals_raise():
        try:
            return _render(Path(report_dir), opts)
        except (KeyboardInterrupt, _Interrupted) as exc:
            raise RenderFailed(f"interrupted ({exc or 'SIGINT'}); previous outputs left as they were") from None


def _start_writers(formats: tuple[str, ...], procs: dict[str, subprocess.Popen]) -> None:
    """One writer process per format, started before anything else: they
    import what they need (WeasyPrint: 0.7 s) while the report is checked and
    the document built, then wait for their paths on standard input. Each runs
    in a process group of its own: stopping a writer stops what it started
    (pandoc) too. ``ABUILD_RENDER_PID`` in their environment names the render
    they belong to (the tests use it to find writers left behind). Each is
    added to ``procs`` as soon as it runs, so that one that fails to start
    leaves the others to be stopped."""
    env = {**os.environ, "ABUILD_RENDER_PID": str(os.getpid())}
    for fmt in formats:
        procs[fmt] = subprocess.Popen(
            [sys.executable, "-m", "ambtsbericht_build.render.worker", fmt, "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=_POSIX,
            env=env,
        )


def _render(report_dir: Path, opts: RenderOptions) -> RenderResult:
    procs: dict[str, subprocess.Popen] = {}
    try:
        _start_writers(opts.formats, procs)
        return _render_with(report_dir, opts, procs)
    finally:
        with _held_signals():  # writers not yet stopped: the render ended before they were given work
            for p in procs.values():
                _stop(p)


def _render_with(report_dir: Path, opts: RenderOptions, procs: dict[str, subprocess.Popen]) -> RenderResult:
    from ..render.document import RenderError, build_document

    diags = Diagnostics()
    lr = check_report(report_dir, diags, opts.check)
    result = RenderResult(diags)
    if lr is None or lr.report is None or not lr.chapters:
        errors = [d for d in diags if d.severity.value == "error"][:10]
        shown = "".join(f"\n  {d.display_path()}:{d.line}:{d.column}: {d.code} {d.message}" for d in errors)
        raise RenderFailed(f"the report cannot be rendered: it could not be loaded{shown}")
    if lr.report.status.final and diags.errors:
        result.refused = True
        return result
    out_dir = Path(opts.out_dir) if opts.out_dir else lr.repo.root / "build" / lr.slug
    out_dir.mkdir(parents=True, exist_ok=True)

    t0 = time.monotonic()
    tmp: Path | None = None
    pool: ThreadPoolExecutor | None = None
    try:
        with _held_signals():  # no interrupt between creating the directory and knowing its name
            tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out_dir))
        doc_path = tmp / "document.json"
        facts_path = tmp / "facts.json"
        new = {fmt: tmp / f"{lr.slug}.{fmt}" for fmt in opts.formats}
        try:
            doc = build_document(lr)
        except RenderError as exc:
            raise RenderFailed(str(exc)) from None
        opts.progress(f"document   {time.monotonic() - t0:6.1f} s  ({doc.notes} notes)")
        epoch, epoch_from = source_epoch_info(lr)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="abuild-after-write")
        doc_path.write_text(json.dumps(doc.pandoc), encoding="utf-8")
        facts_path.write_text(json.dumps(_facts(lr, doc, epoch)), encoding="utf-8")
        after = _AfterWrite(lr, tmp, out_dir, epoch, pool)
        started = time.monotonic()
        for fmt, p in procs.items():
            try:
                p.stdin.write(json.dumps([str(doc_path), str(facts_path), str(new[fmt])]) + "\n")
                p.stdin.close()
            except OSError:  # it has already died: the loop below reports why
                pass
        failures = []
        pending = dict(procs)
        while pending:
            for fmt, p in list(pending.items()):
                if p.poll() is None:
                    continue
                del pending[fmt]
                err = p.stderr.read().strip() if p.stderr else ""
                if p.returncode != 0 or not new[fmt].exists():
                    failures.append(f"{fmt}: {_last_line(err) or _status(p.returncode)}")
                    opts.progress(f"{fmt:<10} failed after {time.monotonic() - started:.1f} s")
                else:
                    opts.progress(f"{fmt:<10} {time.monotonic() - started:6.1f} s  {new[fmt].stat().st_size:,} bytes")
                    after.output_ready(fmt, new[fmt])
            if "pdf" in new:
                after.poll_print_html(new["pdf"])
            if failures:
                break  # one format failed: the render fails, do not wait for the others
            time.sleep(0.05)
        if failures:
            raise RenderFailed("; ".join(failures) + "; previous outputs left as they were")
        t_audit = time.monotonic()
        findings = after.findings()
        waited = time.monotonic() - t_audit
        result.audit_seconds = after.seconds
        if findings:
            raise AuditFailed(findings)
        manifest_path = _after_write(lr, new, tmp, epoch, epoch_from, after, out_dir)
        note = _pdf_note(tmp / f"{lr.slug}.pdf.tools.json")
        if note:
            opts.progress(f"pdf        {note}")
        opts.progress(
            f"audit      {after.seconds:6.1f} s  clean, {waited:.1f} s after the last writer"
            f"  ({_checked(after.forbidden.result())})"
        )
        final = {fmt: out_dir / path.name for fmt, path in new.items()}
        manifest_final = out_dir / manifest_path.name
        try:
            with _held_signals(), _locked(out_dir):
                for fmt, path in new.items():
                    os.replace(path, final[fmt])
                os.replace(manifest_path, manifest_final)
        except (KeyboardInterrupt, _Interrupted) as exc:  # held back until the files were in place
            raise RenderFailed(f"interrupted ({exc or 'SIGINT'}) after the new outputs were in place") from None
        result.outputs = final
        result.manifest = manifest_final
        opts.progress(f"total      {time.monotonic() - t0:6.1f} s  -> {out_dir}")
        return result
    finally:
        with _held_signals():  # a second signal must not interrupt the clean-up
            for p in procs.values():  # before the directory they write in is removed
                _stop(p)
            procs.clear()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)


_POSIX = os.name == "posix"


def _stop(p: subprocess.Popen) -> None:
    """End a writer and everything it started; reap it."""
    if p.stdin and not p.stdin.closed:
        with contextlib.suppress(OSError):
            p.stdin.close()
    if _POSIX:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # its group: pandoc, if it runs one
        except (ProcessLookupError, PermissionError):
            pass
    elif p.poll() is None:
        p.kill()
    p.wait()
    if p.stderr:
        p.stderr.close()


def _after_write(
    lr: LoadedReport, new: dict[str, Path], tmp: Path, epoch: int, epoch_from: str, after: _AfterWrite, out_dir: Path
) -> Path:
    """What must hold before the outputs replace the old ones, beyond the
    audit: the manifest, itself audited (it is published beside them)."""
    from ..publish import manifest as M
    from ..publish.extract import Extracted

    pdf_tools = None
    sidecar = tmp / f"{lr.slug}.pdf.tools.json"
    if "pdf" in new and sidecar.exists():
        pdf_tools = json.loads(sidecar.read_text(encoding="utf-8")).get("tools")
    data = M.build(
        lr,
        new,
        epoch=epoch,
        epoch_from=epoch_from,
        pdf_tools=pdf_tools,
        audit={"findings": 0, "checked": after.forbidden.result().count()},
        out_dir=out_dir,
    )
    text = M.dumps(data)
    path = tmp / f"{lr.slug}.manifest.json"
    path.write_text(text, encoding="utf-8")
    ex = Extracted(path)
    ex.add("manifest", text)
    findings = after._audit(path.name, ex)
    if findings:
        raise AuditFailed(findings)
    return path


def _pdf_note(sidecar: Path) -> str:
    """What the PDF writer refused to fetch or dropped (counts only)."""
    if not sidecar.exists():
        return ""
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    parts = []
    if data.get("refused"):
        parts.append(f"refused to fetch {len(data['refused'])} resource(s)")
    if data.get("dropped_file_links"):
        parts.append(f"dropped {data['dropped_file_links']} link(s) to local files")
    return "; ".join(parts)


def _checked(forbidden) -> str:
    counts = forbidden.count()
    return ", ".join(f"{n} {k}" for k, n in counts.items()) or "nothing to look for"


def _last_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _status(code: int) -> str:
    if code is not None and code < 0:
        try:
            return f"the writer process was killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"the writer process ended with status {code}"
