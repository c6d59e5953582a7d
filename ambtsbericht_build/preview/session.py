"""A preview session: the first build, the server, a watcher thread and a
builder thread, and a clean stop.

- The watcher (watchfiles: inotify through Rust's notify, no polling)
  watches the report directory and the repository's shared
  ``bibliography/`` and ``templates/``; a batch of saves bumps ``wanted``.
- The builder builds whenever ``wanted`` moved on; a build that a newer save
  overtook while it ran is superseded (its page is not served: the next
  build starts at once). Builds run one at a time, in this one thread.
- A build without a page (a half-written file, a confidentiality finding,
  anything) keeps the last good page and shows the findings over it.
"""

from __future__ import annotations

import gc
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import signals
from ..block_memo import BlockMemo
from .build import Build, build_page
from .page import PREVIEW_CSP, PageError, preview_page
from .server import Current, PreviewServer

# watchfiles yields a batch once no change came for STEP ms (an editor's
# save is a write, or a write and a rename, within a few ms), and at the
# latest after DEBOUNCE ms of changes that keep coming. From a write to the
# batch took 0.10 s with 50 ms (two steps), 0.03 s with 20 (median of 15,
# /tmp on the benchmark machine). A save whose writes come further apart
# makes two batches: the build of the first is superseded by the second's
# (never served), as any save during a build is
STEP_MS = 20
DEBOUNCE_MS = 400
# watchfiles yields an empty batch after this long without a change (the
# watcher is watching then: see _watch)
READY_MS = 500


@dataclass
class Preview:
    report: Path
    max_bytes: int
    port: int = 0
    say: Callable[[Build, bool], None] = lambda build, served: None
    current: Current = field(default_factory=Current)
    last_good: str | None = None
    lang: str = "nl"
    builds: int = 0  # completed builds, superseded ones included
    _wanted: int = 0
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    server: PreviewServer | None = None
    _looked: bytes | None = None  # the files as the first build read them, until the watcher watches
    memo: BlockMemo = field(default_factory=BlockMemo)
    # where each build writes its page, the same directory for every build:
    # its path is a forbidden value, so the audit's matcher is kept (audit.py)
    workdir: tempfile.TemporaryDirectory[str] = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="abuild-preview-")
    )

    def watched(self) -> list[Path]:
        import os

        from ..load.files import Repo

        report = Path(os.path.abspath(self.report))  # "." has no parents to find the repository in
        root = Repo.for_report(report).root
        return [report] + [p for p in (root / "bibliography", root / "templates") if p.is_dir()]

    def start(self, stopped: Callable[[float], bool] | None = None) -> str | None:
        """Build once, start serving and watching; the page's address (None:
        ``stopped`` said stop before the first page). The port is taken
        first: a port in use fails at once, not after a build (requests that
        come meanwhile wait in the listen queue)."""
        from ..check.memo import files_look

        # the files as the first build reads them: a save before the watcher
        # watches is seen by comparing them once it does (_watch)
        self._looked = files_look(Path(self.report))
        self.server = PreviewServer(self.port, self.current, PREVIEW_CSP)
        # every build in the one builder thread, the first too: glibc gives
        # each thread that allocates its own heap (arena), and a first build
        # in the main thread left one arena holding a build's worth of freed
        # memory beside the builder's
        self._threads.append(signals.start(threading.Thread(target=self._builder, name="abuild-preview-build")))
        while not self.current.built.wait(0.05 if stopped else 0.5):
            if stopped is not None and stopped(0.05):  # a stop signal, asked for 10 times a second
                return None
        for target, name in ((self.server.serve_forever, "serve"), (self._watch, "watch")):
            self._threads.append(signals.start(threading.Thread(target=target, name=f"abuild-preview-{name}")))
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def changed(self) -> None:
        with self._cond:
            self._wanted += 1
            self._cond.notify_all()

    def _watch(self) -> None:
        """Watch until stopped. A watched directory that goes away (the
        report renamed, a branch switched) ends a watch with an error: the
        next watch starts a second later, on what is there then."""
        import watchfiles

        from ..check.memo import files_look

        while not self._stop.is_set():
            try:
                for changes in watchfiles.watch(
                    *self.watched(),
                    stop_event=self._stop,
                    step=STEP_MS,
                    debounce=DEBOUNCE_MS,
                    rust_timeout=READY_MS,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                ):
                    # the first yield comes once the watcher watches (at the
                    # latest after READY_MS): a save before then made no event.
                    # Under a load of 10 the benchmark's first save came before
                    # it, and no page ever followed
                    if self._looked is not None:
                        looked, self._looked = self._looked, None
                        if not changes and files_look(Path(self.report)) != looked:
                            self.changed()
                    if changes:
                        self.changed()
            except (OSError, RuntimeError):
                self.changed()  # the build says what is missing
                self._stop.wait(1.0)

    def _builder(self) -> None:
        done = -1  # nothing built yet: the first build at once
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._wanted != done or self._stop.is_set())
                if self._stop.is_set():
                    return
                done = self._wanted
            self._build_and_serve(done)
            # the cycles the build left (the collector was off during it:
            # build.py), once the page is served: 0.14 s on the benchmark report
            gc.collect()
            _give_back_memory()

    def _build_and_serve(self, wanted: int) -> None:
        try:
            b = build_page(self.report, self.max_bytes, self.memo, Path(self.workdir.name))
        except Exception as exc:  # noqa: BLE001 - a fault of abuild's own must not end the preview
            b = Build(None, problem=f"abuild could not build the page ({type(exc).__name__}: {exc}); please report it")
        self.builds += 1
        with self._cond:
            superseded = self._wanted != wanted
        if superseded or self._stop.is_set():
            return  # a newer save is waiting: its build starts at once (or the preview is stopping)
        if b.html is not None:
            self.last_good = b.html
        with b.stages("page"):
            try:
                page = preview_page(self.last_good, self.current.build + 1, b.findings, b.problem, b.anchors, self.lang)
            except PageError as exc:
                b = Build(None, b.findings, str(exc), b.anchors, b.seconds, b.stages)
                self.last_good = None
                page = preview_page(None, self.current.build + 1, b.findings, b.problem, b.anchors, self.lang)
            self.current.publish(page)
        self.say(b, b.html is not None)

    def stop(self) -> None:
        """Stop watching, building and serving; wait for the threads (a build
        in progress finishes its pandoc run first: at most one build)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self.server is not None:
            self.server.stop()
        for t in self._threads:
            t.join()
        self.workdir.cleanup()


def _give_back_memory() -> None:
    """Return the freed memory of a build to the system (glibc's
    ``malloc_trim``): a build of the benchmark report allocates and frees
    a few hundred MiB (the pandoc documents as Python objects), and without
    this the server's resident memory stayed at its highest, growing by
    55 MiB over its first 50 edits. Nothing on other C libraries."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass
