"""The PDF laid out in parts, side by side, and the parts joined.

The print HTML is cut into parts (:mod:`.pdf_parts`: the front matter, then
one part per chapter or annex). The PDF writer forks worker processes
(WeasyPrint and its patches are imported by then, so a worker starts in
milliseconds); each lays out the parts it is given (with the pass that
keeps notes with their calls, per part), keeps the laid-out documents and
sends back each part's number of pages and the pages of its anchors. The
writer then knows where every part starts, how many pages the whole has,
and on which page every anchor is; each worker writes those numbers over the
placeholders of its laid-out pages (:mod:`.page_numbers`: the footer, the
TOC, the colofon, the terms of reference's references) and writes its parts
as PDF; :func:`.pdf_merge.merge_parts` joins them.

With the render cache (:mod:`..cache.pdf_parts`) a part whose HTML was laid
out before is not laid out to learn its number of pages, and a part whose
PDF was written before with the same numbers is copied: after an edit of
one paragraph only that chapter is laid out, as long as its number of pages
stays the same (when it changes, every footer's "van 234" changes too, and
every part is written again).

A report of more than 999 pages (wider placeholders) is laid out as a whole,
as before, and so is one that cannot be cut (:func:`.pdf_parts.split`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import page_numbers
from .pdf_parts import PART_LINK, Part, split

if TYPE_CHECKING:
    from ..cache.pdf_parts import PartCache
    from .pdf import LocalOnlyFetcher

# ``ABUILD_PDF_PARTS``: "off", the document is laid out as a whole, in one
# process; "on", in parts whatever its size; unset, in parts from MIN_HTML up
PARTS_ENV = "ABUILD_PDF_PARTS"
WORKERS_ENV = "ABUILD_PDF_WORKERS"
# Parts cost a fork, a part's PDF each and the merge (pikepdf): the small
# test report (17 kB of print HTML, 5 pages) took 0.4-0.7 s laid out whole
# and 0.9-1.8 s in 6 parts; the example (282 kB, 44 pages) 3.1 s of CPU
# whole and 4.0 s in 11 parts, on two cores about the same wall time, and
# with the render cache one part laid out after an edit instead of all.
MIN_HTML = 64 * 1024


def enabled(html_size: int) -> bool:
    """In parts? (``ABUILD_PDF_PARTS``, the size, and the merge installed)."""
    from importlib.util import find_spec

    mode = os.environ.get(PARTS_ENV, "").strip().lower()
    if mode in ("off", "0", "no") or (mode != "on" and html_size < MIN_HTML):
        return False
    return find_spec("ambtsbericht_build.render.pdf_merge") is not None


def worker_count() -> int:
    """One worker a core (at least 2: a chapter is laid out while another is written)."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 2
    return max(2, cores)


class FallBack(Exception):
    """The parts cannot be written as parts: lay the document out as a whole."""


@dataclass
class Numbers:
    """Where each part starts, the whole's number of pages, each anchor's page."""

    first: list[int]
    total: int
    anchors: dict[str, int]


@dataclass
class Layout:
    """A part's number of pages and its anchors' pages, counted from 0; the
    URLs its layout refused to fetch and its links to local files (dropped
    from the PDF): what the tools sidecar reports, for a part from the cache too."""

    pages: int
    anchors: dict[str, int]
    refused: list[str] = field(default_factory=list)
    file_links: int = 0


@dataclass
class Job:
    """What the writer asks of one part."""

    index: int
    part: Part
    layout: Layout | None = None  # known (laid out now, or from the cache)
    holder: int | None = None  # the worker that keeps its laid-out document
    pdf: Path | None = None  # its written file


def numbers(layouts: list[Layout]) -> Numbers:
    first, page = [], 1
    anchors: dict[str, int] = {}
    for lay in layouts:
        first.append(page)
        for name, at in lay.anchors.items():
            anchors.setdefault(name, page + at)
        page += lay.pages
    return Numbers(first, page - 1, anchors)


def printed_targets(html: str) -> list[str]:
    """The anchors a part links to in another part: their pages are printed
    (the TOC, the terms of reference's references), so they key its PDF."""
    import re

    return sorted(set(re.findall(r'href="' + re.escape(PART_LINK) + r'([^"]*)"', html)))


def layout_base_url() -> str:
    """The base URL pdf.py's ``_layout`` lays a part out with (a key of the parsed print CSS)."""
    from ..house_style import template_path

    return template_path("fonts").as_uri() + "/"


# --- the worker ---------------------------------------------------------------------------


def _die_with_parent() -> None:
    """SIGKILL this worker when the PDF writer dies (Linux): a writer killed
    mid-layout leaves no process behind (it is also in the writer's process
    group, which the render stops as a whole)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# A worker collects its cyclic garbage itself, between parts, once its resident
# memory grew by this much since the last collection (:class:`Collector`).
GC_GROWTH = 256 * 1024**2


class Collector:
    """The layout workers' garbage collection: none while a part is laid out
    or written, a full one between parts once the worker grew by
    :data:`GC_GROWTH`.

    Python's own collector ran 13 full collections while the 16 parts of the
    benchmark report were laid out and written in one process: 3.65 of 13.9 s
    of CPU, each traversing every box of the laid-out documents the worker
    keeps (a full collection is due whenever the long-lived objects grew by a
    quarter, and a layout makes nothing else). The cycles a part leaves
    behind are ~7 MB per 100 kB of print HTML (115 MB for the whole report),
    so a worker of that report never collects; a larger report collects every
    ~35 parts' worth, and what a single part makes stays bounded by the
    part (and by the writer's memory ceiling). Whatever the worker inherited
    from the writer at the fork (WeasyPrint, the fonts, the print HTML) is
    frozen: no collection traverses it again, nor copies its pages."""

    def __init__(self, growth: int = GC_GROWTH) -> None:
        import gc

        self.growth = growth
        gc.freeze()
        gc.disable()
        self.base = _resident()

    def between_parts(self) -> bool:
        """Collect if the worker grew by ``growth`` (always, where the resident size is not known)."""
        import gc

        now = _resident()
        if now is not None and self.base is not None and now - self.base < self.growth:
            return False
        gc.collect()
        self.base = _resident()
        return True


def _resident() -> int | None:
    """This process's resident memory in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _serve(conn: Connection, fetcher: LocalOnlyFetcher, revise: Any, max_passes: int) -> None:
    """A worker: lay out, then write, the parts it is sent, until "stop".
    It inherits the writer's memory ceiling (``RLIMIT_DATA``, render/worker.py)
    and keeps only its own parts' layouts (the render's ceiling,
    ABUILD_RENDER_MEMORY, counts every process)."""
    _die_with_parent()
    from .pdf import write_laid_out

    collector = Collector()
    kept: dict[int, Any] = {}
    while True:
        collector.between_parts()
        msg = conn.recv()
        try:
            if msg[0] == "stop":
                return
            if msg[0] == "layout":
                _, index, html = msg
                kept[index] = _laid_out(html, fetcher, revise, max_passes)
                conn.send(("laid", index, kept[index][1]))
            elif msg[0] == "write":
                _, index, html, first, total, targets, path, ident = msg
                document, lay = kept.pop(index, None) or _laid_out(html, fetcher, revise, max_passes)
                if not page_numbers.write_page_numbers(document, first=first, total=total, targets=targets):
                    raise ValueError("a page number wider than its placeholder")
                write_laid_out(document, Path(path), ident)
                conn.send(("written", index, lay))
        except MemoryError:
            conn.send(("error", "MemoryError"))
        except Exception as exc:  # the writer turns it into one line for the drafter
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _laid_out(html: str, fetcher: LocalOnlyFetcher, revise: Any, max_passes: int) -> tuple[Any, Layout]:
    from .pdf import layout_revised

    fetcher.refused.clear()  # what this part's layout refuses (fetching happens during the layout)
    document, _ = layout_revised(html, fetcher, revise, max_passes)
    file_links = sum(
        1
        for page in document.pages
        for link in page.links
        if link[0] == "external" and str(link[1]).lower().startswith("file:")
    )
    anchors = page_numbers.target_pages(document, first=0)
    return document, Layout(len(document.pages), anchors, sorted(set(fetcher.refused)), file_links)


# --- the writer ---------------------------------------------------------------------------


class Workers:
    """Forked worker processes, each with a pipe; stopped (and reaped) on leaving."""

    def __init__(self, count: int, fetcher: LocalOnlyFetcher, revise: Any, max_passes: int) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        for _ in range(count):
            here, there = ctx.Pipe()
            p = ctx.Process(target=_serve, args=(there, fetcher, revise, max_passes), daemon=True)
            p.start()
            there.close()
            self.conns.append(here)
            self.procs.append(p)
        self.busy: list[bool] = [False] * count

    def stop(self) -> None:
        for conn in self.conns:
            with contextlib.suppress(OSError, ValueError):
                conn.send(("stop",))
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join()
        for conn in self.conns:
            conn.close()

    def run(self, tasks: list[tuple[Any, ...]], on_reply: Callable[[int, tuple[Any, ...]], None]) -> None:
        """Send each task ``(pinned, message)`` to a free worker (``pinned``:
        the worker that must take it, None: any) and call ``on_reply(worker,
        reply)`` for every answer."""
        pending = list(tasks)
        waiting = 0
        while pending or waiting:
            for w in range(len(self.conns)):
                if self.busy[w] or not pending:
                    continue
                task = _take(pending, w)
                if task is None:
                    continue
                self.conns[w].send(task[1])
                self.busy[w] = True
                waiting += 1
            if not waiting:
                raise RuntimeError("no worker can take the parts left")
            for conn in wait(self.conns):
                assert isinstance(conn, Connection)
                w = self.conns.index(conn)
                try:
                    reply = conn.recv()
                except EOFError:
                    raise RuntimeError(f"a PDF layout worker ended ({self.procs[w].exitcode})") from None
                self.busy[w] = False
                waiting -= 1
                if reply[0] == "error":
                    if reply[1] == "MemoryError":
                        raise MemoryError
                    raise RuntimeError(reply[1])
                on_reply(w, reply)


def _take(pending: list[tuple[Any, ...]], worker: int) -> tuple[Any, ...] | None:
    """The first task worker ``worker`` may take: one pinned to it, or one pinned to none."""
    for i, task in enumerate(pending):
        if task[0] is None or task[0] == worker:
            return pending.pop(i)
    return None


@contextlib.contextmanager
def _workers(count: int, fetcher: LocalOnlyFetcher, revise: Any, max_passes: int) -> Iterator[Workers]:
    pool = Workers(count, fetcher, revise, max_passes)
    try:
        yield pool
    finally:
        pool.stop()


def write_in_parts(
    html: str,
    out: Path,
    fetcher: LocalOnlyFetcher,
    *,
    revise: Any,
    max_passes: int,
    continuation_css: str,
    cache: PartCache | None = None,
    min_parts: int = 2,
) -> tuple[int, dict[str, int]] | None:
    """Write ``html`` as a PDF laid out in parts (see the module's text).
    Returns the number of links to local files dropped, and the number of
    parts, of parts laid out (``laid``), written and taken from the cache
    (``reused``); None when it is to be laid out as a whole (one part, or
    over 999 pages)."""
    parts = split(html, continuation_css)
    if len(parts) < min_parts:
        return None
    jobs = [Job(i, p) for i, p in enumerate(parts)]
    keys = [cache.layout_key(p.html) for p in parts] if cache else []
    if cache:
        for job, key in zip(jobs, keys, strict=True):
            hit = cache.get_layout(key)
            job.layout = Layout(**hit) if hit else None
    tmp = Path(tempfile.mkdtemp(prefix=".pdf-parts-", dir=out.parent))
    count = {"parts": len(jobs), "laid": 0, "written": 0, "reused": 0}
    try:
        from .pdf import identifier

        if sum(j.layout is None for j in jobs) > 1:  # the print CSS parsed here, once, not in each worker
            from .weasy_css_memo import prime

            prime(min((p.html for p in parts), key=len), layout_base_url(), fetcher)
        try:
            with _workers(worker_count(), fetcher, revise, max_passes) as pool:
                _lay_out(pool, jobs, count)
                nums = numbers([j.layout for j in jobs if j.layout is not None])
                if len(str(nums.total)) > page_numbers.DIGITS:
                    return None
                _write(pool, jobs, nums, tmp, cache, keys, count)
        except FallBack:
            return None
        if cache:
            for job, key in zip(jobs, keys, strict=True):
                assert job.layout is not None
                cache.put_layout(key, job.layout)
        from .pdf_merge import PartFile, merge_parts

        merge_parts(
            [PartFile(j.pdf, j.part.continues) for j in jobs if j.pdf is not None], out, identifier=identifier(html)
        )
        fetcher.refused.extend(u for j in jobs if j.layout for u in j.layout.refused)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sum(j.layout.file_links for j in jobs if j.layout), count


def _lay_out(pool: Workers, jobs: list[Job], count: dict[str, int]) -> None:
    """Lay out every part whose number of pages is not known, largest first."""
    todo = sorted((j for j in jobs if j.layout is None), key=lambda j: -len(j.part.html))

    def laid(worker: int, reply: tuple[Any, ...]) -> None:
        _, index, lay = reply
        jobs[index].layout = lay
        jobs[index].holder = worker
        count["laid"] += 1

    pool.run([(None, ("layout", j.index, j.part.html)) for j in todo], laid)


def _write(
    pool: Workers,
    jobs: list[Job],
    nums: Numbers,
    tmp: Path,
    cache: PartCache | None,
    keys: list[str],
    count: dict[str, int],
) -> None:
    """Write each part with its numbers (or copy the cache's), on the worker
    that holds its layout, or on any (laid out again) when none does."""
    from .pdf import identifier

    tasks = []
    pdf_keys: dict[int, str] = {}
    for job in jobs:
        assert job.layout is not None
        targets = {n: nums.anchors[n] for n in printed_targets(job.part.html) if n in nums.anchors}
        first = nums.first[job.index]
        path = tmp / f"part-{job.index:04d}.pdf"
        if cache:
            pdf_keys[job.index] = cache.pdf_key(keys[job.index], first, nums.total, targets)
            if cache.restore_pdf(pdf_keys[job.index], path):
                job.pdf = path
                count["reused"] += 1
                continue
        ident = identifier(job.part.html)
        if job.holder is None:  # laid out (again) by whichever worker is free
            count["laid"] += 1
        tasks.append(
            (job.holder, ("write", job.index, job.part.html, first, nums.total, targets, str(path), ident), job)
        )
    tasks.sort(key=lambda t: (t[0] is None, -len(t[2].part.html)))  # pinned first, then the largest

    def written(worker: int, reply: tuple[Any, ...]) -> None:
        _, index, lay = reply
        job = jobs[index]
        if lay != job.layout:
            raise FallBack("a part's layout differs from the one the cache recorded")
        job.pdf = tmp / f"part-{index:04d}.pdf"
        count["written"] += 1
        if cache:
            cache.keep_pdf(pdf_keys[index], job.pdf)

    pool.run([(t[0], t[1]) for t in tasks], written)
