"""The render-time audit: each output is made deterministic and audited as
soon as its writer is done, in one background thread, while the slow PDF is
still being laid out (the main thread only waits for the writers).

What is read of each output is the writer's business
(:meth:`.formats.Writer.audit_parts`); this stage matches it against every
value that must never be published (:mod:`...publish.forbidden`,
:mod:`...publish.audit`). Any finding ends the render before the previous
outputs are touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from .. import signals
from .errors import AuditFailed
from .formats import AuditPart, Writer

if TYPE_CHECKING:
    from ..cache.store import Store
    from ..load import LoadedReport
    from ..publish.audit import AuditFinding, Matcher
    from ..publish.extract import Extracted
    from ..publish.forbidden import Forbidden
    from .audit_fork import ForkedMatch
    from .facts import RenderFacts

T = TypeVar("T")


class AuditStage:
    def __init__(
        self, lr: LoadedReport, tmp: Path, out_dir: Path, facts: RenderFacts, store: Store | None = None
    ) -> None:
        from ..publish import forbidden

        self.facts = facts
        # the render's cache: the matcher's findings of earlier renders (cache/audits.py)
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="abuild-after-write")
        self.jobs: list[Future[list[AuditFinding]]] = []
        self.seconds = 0.0
        self._matcher: Matcher | None = None
        self._submitted: set[Path] = set()
        self._early: list[tuple[str, AuditPart]] = []
        self.read_by_writer: list[str] = []  # formats whose reading the writer's process made
        self.forked: list[tuple[ForkedMatch, Writer, Path]] = []
        # what to look for: collected while the writers run
        self.forbidden: Future[Forbidden] = signals.submit(
            self.pool, lambda: self._timed(forbidden.collect, lr, paths=[tmp, out_dir.resolve(), out_dir])
        )

    def __enter__(self) -> AuditStage:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        for forked, _, _ in self.forked:
            forked.stop()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _timed(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        t = time.monotonic()
        try:
            return fn(*args, **kw)
        finally:
            self.seconds += time.monotonic() - t

    def matcher(self) -> Matcher:
        from ..publish.audit import Matcher

        if self._matcher is None:
            m = Matcher(self.forbidden.result(), memo=True)
            if self.store is not None and m.memo is not None:
                from ..cache import audits

                self._timed(audits.load, self.store, m.memo)
            self._matcher = m
        return self._matcher

    def audit(self, shown: str, ex: Extracted) -> list[AuditFinding]:
        """Findings in what was extracted from the file named ``shown``."""
        from ..publish.audit import AuditFinding, finding

        m = self.matcher()
        out = [AuditFinding(shown, part, kind, what) for part, kind, what in ex.problems]
        for part in ex.parts:
            out += [finding(shown, part.name, needle, kind) for needle, kind in m.match(part)]
        return out

    def _parts(
        self, shown: str, parts: list[AuditPart], before: Callable[[], None] | None = None
    ) -> list[AuditFinding]:
        if before is not None:
            before()
        return [f for part in parts for f in self.audit(shown, part.extract())]

    def writing(self, writer: Writer, path: Path) -> None:
        """``writer`` is writing ``path``: its early parts are audited as they appear (:meth:`poll`)."""
        self._early += [(path.name, part) for part in writer.audit_parts(path) if part.early]

    def output_ready(self, writer: Writer, path: Path) -> None:
        """``writer`` wrote ``path``: audit what it holds (in a forked child
        when the audit thread is still busy with another: render/audit_fork.py)."""
        if not self._fork(writer, path):
            self.jobs.append(signals.submit(self.pool, self._timed, self._late, writer, path))
        self.poll()

    def _fork(self, writer: Writer, path: Path) -> bool:
        if self._matcher is None or all(job.done() for job in self.jobs):
            return False
        from ..publish import reading
        from . import audit_fork

        ex = reading.load(writer, path)
        forked = audit_fork.start(self._matcher, path.name, ex) if ex is not None else None
        if forked is None:
            return False
        self.forked.append((forked, writer, path))
        self.read_by_writer.append(writer.name)
        return True

    def _late(self, writer: Writer, path: Path) -> list[AuditFinding]:
        """Match the reading the writer's process left of these very bytes
        (:mod:`...publish.reading`); without one, normalise and read the file here."""
        from ..publish import reading

        ex = reading.load(writer, path)
        if ex is not None:
            self.read_by_writer.append(writer.name)
            return self.audit(path.name, ex)
        late = [p for p in writer.audit_parts(path) if not p.early]
        return self._parts(path.name, late, lambda: writer.normalise(path, self.facts))

    def poll(self) -> None:
        """Audit any early part that has appeared since the last call."""
        for shown, part in self._early:
            if part.path not in self._submitted and part.path.exists():
                self._submitted.add(part.path)
                self.jobs.append(signals.submit(self.pool, self._timed, self._parts, shown, [part]))

    def findings(self) -> list[AuditFinding]:
        """Every finding, once all audits are done."""
        out: set[AuditFinding] = set()
        for job in self.jobs:
            out.update(job.result())
        for forked, writer, path in self.forked:
            found = forked.result()
            self.seconds += forked.cpu
            # a child that failed: matched here (the audit thread is done)
            out.update(found if found is not None else self._timed(self._late, writer, path))
        memo = self._matcher.memo if self._matcher is not None else None
        if self.store is not None and memo is not None:
            from ..cache import audits

            self._timed(audits.save, self.store, memo)
        return sorted(out)

    def reuse(self) -> str:
        """How much of the text was matched before (for the progress line)."""
        memo = self._matcher.memo if self._matcher is not None else None
        # which outputs were matched in a forked child depends on timing: not said,
        # so that the line is the same for the same inputs
        read = f", read by their writers: {', '.join(sorted(set(self.read_by_writer)))}" if self.read_by_writer else ""
        if memo is None or not memo.parts_seen:
            return read
        return (
            f", matched before: {memo.parts_reused} of {memo.parts_seen} parts,"
            f" {memo.reused} of {memo.matched + memo.reused} stretches of the others{read}"
        )

    def check(self, shown: str, ex: Extracted) -> None:
        """Audit one more thing now (the manifest); raise on any finding."""
        findings = self.audit(shown, ex)
        if findings:
            raise AuditFailed(findings)

    def checked(self) -> str:
        counts = self.forbidden.result().count()
        return ", ".join(f"{n} {k}" for k, n in counts.items()) or "nothing to look for"
