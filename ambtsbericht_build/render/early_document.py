"""The document built in a forked child while the check's rules run: :class:`EarlyDocument`.

The render's critical path was check (load, pandoc's reading, the rules),
then the document (pandoc's reading placed, citeproc, the post steps), one
after the other in one process, while the second core only had the writers'
imports to do. The document needs nothing the rules find: only the loaded
report and pandoc's reading of every chapter, both there once the check's
analysis is done (``run_checks(analysed=...)``). So the process forks there:
the child builds the document into the staging directory
(``document.json``, ``facts.json``, as :func:`.pipeline.build_document`
always did) while the parent runs the rules on its own copy of the report.

The refusals are the parent's and are decided as before: the child's
document is looked at only once the check has passed; a refused render stops
(SIGKILL) and reaps the child, and the staging directory it wrote into goes
with the render's clean-up. The child dies with ``abuild``
(``PR_SET_PDEATHSIG``), leaves through ``os._exit`` whatever happens (none of
the parent's clean-ups, caches or buffers run twice) and reports back one
JSON line on a pipe: what went wrong becomes the parent's
:class:`.errors.RenderFailed`, never a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .. import signals, tools
from .errors import RenderFailed
from .facts import RenderFacts

if TYPE_CHECKING:
    from ..load import LoadedReport
    from .pipeline import WriterInput

# the child's report: one JSON object; far below this unless the message is hostile
_MAX_REPORT = 1 << 20


class EarlyDocument:
    """The child that builds the document; :meth:`start` forks it,
    :meth:`result` waits for it, :meth:`stop` ends it (idempotent)."""

    def __init__(self, build: Callable[[LoadedReport], tuple[WriterInput, list[str]]]) -> None:
        self.build = build  # in the child: the document, and the progress lines it printed
        self.pid = 0
        self.fd = -1
        self.tmp: Path | None = None
        self.started = 0.0

    def start(self, lr: LoadedReport, tmp: Path) -> None:
        """Fork the child (from the main thread, once pandoc has read every chapter)."""
        self.tmp, self.started = tmp, time.monotonic()
        prctl, parent = tools.before_fork()  # the child only calls prctl
        r, w = os.pipe()
        with signals.held():  # no interrupt between the fork and knowing the child's pid
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child: measured by the tests through its results
                os.close(r)
                _child(self.build, lr, w, parent, prctl)
        os.close(w)
        self.pid, self.fd = pid, r

    def result(self, progress: Callable[[str], None]) -> WriterInput:
        """The child's document (it has written ``document.json``, ``facts.json``);
        its progress lines are given to ``progress``."""
        from .pipeline import WriterInput

        assert self.pid and self.tmp is not None
        chunks: list[bytes] = []
        while chunk := os.read(self.fd, 65536):
            chunks.append(chunk)
            if sum(map(len, chunks)) > _MAX_REPORT:
                break
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        os.close(self.fd)
        self.fd = -1
        try:
            said = json.loads(b"".join(chunks))
        except ValueError:
            said = {}
        if not isinstance(said, dict) or "error" in said or os.waitstatus_to_exitcode(status) != 0:
            why = said.get("error") if isinstance(said, dict) else None
            raise RenderFailed(str(why or f"the document could not be built ({_ended(status)})"))
        for line in said["lines"]:
            progress(str(line))
        facts_path = self.tmp / "facts.json"
        facts = RenderFacts.from_json(facts_path.read_text(encoding="utf-8"))
        return WriterInput(str(said["slug"]), self.tmp / "document.json", facts_path, facts, str(said["epoch_from"]))

    def stop(self) -> None:
        """End the child if it still runs (a refused or failed render) and reap it."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def _child(
    build: Callable[[LoadedReport], tuple[WriterInput, list[str]]],
    lr: LoadedReport,
    w: int,
    parent: int,
    prctl: Callable[..., int] | None,
) -> None:
    """Build, say how it went on ``w``, and leave (never returns)."""
    said: dict[str, object]
    try:
        if prctl is not None:
            prctl(tools.PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took
            os._exit(1)
        for s in signals.HELD:
            # an interrupt of the process group is the parent's to handle (it
            # stops this child with SIGKILL); a handler, not SIG_IGN, so that
            # the pandoc this child starts does not inherit the ignoring
            signal.signal(s, _ignored)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals.HELD)
        tools._SPAWNER.__init__()  # type: ignore[misc]  # its thread is the parent's: this process starts its own
        # no cyclic collection: this process builds one document and leaves
        # through os._exit. On the benchmark report the collector took
        # 0.24 s of the child's ~2 s of CPU (4 full walks of the document's
        # millions of objects), and freed 4,600 objects in cycles (<1 MB)
        gc.disable()
        built, lines = build(lr)
        said = {"slug": built.slug, "epoch_from": built.epoch_from, "lines": lines}
    except RenderFailed as exc:
        said = {"error": str(exc)}
    except BaseException as exc:  # noqa: BLE001 - one line for the parent, never a traceback
        said = {"error": f"the document could not be built: {type(exc).__name__} (a fault in abuild)"}
    try:
        data = json.dumps(said).encode()
        while data:
            data = data[os.write(w, data) :]
    finally:
        os._exit(0)


def _ignored(signum: int, frame: object) -> None:
    return None


def _ended(status: int) -> str:
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"status {code}"
