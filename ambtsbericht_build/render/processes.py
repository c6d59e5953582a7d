"""The writer processes (:mod:`.worker`): started before anything else,
given their paths once the document is built, watched until they end,
stopped with everything they started, and waited for until every process of
their group is gone. A guard process (:mod:`.guard`) kills them and removes
the staging directory if ``abuild`` itself is killed; each writer also dies
with ``abuild`` (``PR_SET_PDEATHSIG``) and runs under a memory ceiling
(``ABUILD_WRITER_MEMORY``, :func:`.worker.memory_limit`). On Linux the
writers are forked by one start-up process that imported what they all
need once (:mod:`.zygote`, :mod:`.forked`); a writer it did not fork is
started as a process of its own."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import tools
from . import zygote
from .atomic import held_signals
from .forked import Forked, Zygote
from .guard import group_alive
from .worker import MEMORY_ENV, describe_limit, memory_limit

if TYPE_CHECKING:  # the writers' modules (81 ms) are not imported by an early start (early_writers.py)
    from .formats import Writer

_POSIX = os.name == "posix"
GUARD = Path(__file__).with_name("guard.py")
# how long stop() waits for a SIGKILLed writer's group (the writer is reaped at
# once; the pandoc it ran is an orphan that the kernel and init take a few ms
# more to clear): a bound against a process stuck in uninterruptible I/O
GROUP_GONE_WITHIN = 10.0


class Guard:
    """The parent's end of :mod:`.guard`: tells it the writers' groups and the
    staging directory; ``done()`` once everything is cleaned up."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        if not _POSIX:
            return
        try:
            # not tools.popen: the guard must outlive abuild (it cleans up after a SIGKILLed one)
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", str(GUARD)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                text=True,
                start_new_session=True,  # not in abuild's process group: a signal to the group spares it
                env={**os.environ, "ABUILD_RENDER_PID": str(os.getpid())},
            )
        except OSError:  # cannot start: the next render removes the leftovers instead
            self.proc = None

    def spared(self) -> frozenset[int]:
        """The guard's pid, which the memory ceiling (:mod:`.memory`) leaves alone: it cleans up."""
        return frozenset() if self.proc is None else frozenset({self.proc.pid})

    def tell(self, line: str) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.write(line + "\n")
                self.proc.stdin.flush()
            except (OSError, ValueError):  # it died: nothing to tell
                pass

    def staging(self, path: Path) -> None:
        """The render's staging directory (:func:`.atomic.staging` calls this)."""
        self.tell(f"dir {path}")

    def done(self) -> None:
        """Everything is cleaned up: the guard ends without doing anything."""
        if self.proc is None:
            return
        self.tell("done")
        with contextlib.suppress(OSError, ValueError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


class WriterProcesses:
    """One worker process per writer, keyed by format name."""

    def __init__(self) -> None:
        self.procs: dict[str, subprocess.Popen[str] | Forked] = {}
        self.guard = Guard()
        self.memory = memory_limit()
        self.zygote: Zygote | None = None
        self._writers: dict[str, Writer] = {}
        self._env: dict[str, str] = {}
        self._handed: tuple[Path, Path, dict[str, Path]] | None = None

    def start(self, writers: list[Writer]) -> None:
        """Start every writer: they import what they need (WeasyPrint: 0.4 s)
        while the report is checked and the document built, then wait for
        their paths on standard input. Each runs in a process group of its
        own: stopping a writer stops what it started (pandoc) too.
        ``ABUILD_RENDER_PID`` in their environment names the render they
        belong to (the tests use it to find writers left behind). Each is
        added as soon as it runs, so that one that fails to start leaves the
        others to be stopped."""
        from .formats import writer_ref

        self._writers = {w.name: w for w in writers}
        if not self.fork({w.name: writer_ref(type(w)) for w in writers}):
            for w in writers:
                self._spawn(w)

    def fork(self, refs: dict[str, str]) -> bool:
        """Start the zygote that forks the writers ``refs`` ({name: ref}), if
        it can run here; False: nothing started (:meth:`start` starts each
        writer itself). :mod:`.early_writers` calls this alone, before the
        writers' classes are imported, and :meth:`adopt` gives it them."""
        self._env = env = {**os.environ, "ABUILD_RENDER_PID": str(os.getpid())}
        if not (_POSIX and refs and zygote.available()):
            return False
        # one process imports for all, then forks them (zygote.py): 0.5 s of CPU instead of 1.0-1.2
        self.zygote = Zygote(refs, env, new_session=True)
        self.guard.tell(f"group {self.zygote.proc.pid}")  # a writer not yet in a session of its own is in it
        self.procs.update(self.zygote.children)
        return True

    def adopt(self, writers: list[Writer]) -> None:
        """The writers of an early :meth:`fork`: the one a failed fork leaves
        to abuild is started from its class (:meth:`_spawn`)."""
        self._writers = {w.name: w for w in writers}

    def _spawn(self, w: Writer) -> None:
        """A writer in a process of its own."""
        from .formats import writer_ref

        self.procs[w.name] = p = tools.popen(  # dies with abuild from its fork on (PR_SET_PDEATHSIG)
            [sys.executable, "-m", "ambtsbericht_build.render.worker", writer_ref(type(w)), "--wait"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=_POSIX,
            env=self._env,
        )
        self.guard.tell(f"group {p.pid}")

    def _learn(self, block: bool, within: float = 60.0) -> None:
        """Which pid each forked writer has; a writer the zygote ended
        without forking is started as a process of its own."""
        z = self.zygote
        if z is None or z.ended:
            return
        z.learn(block, within, told=lambda pid: self.guard.tell(f"group {pid}"))
        if z.ended:  # reaped: its pid may be reused; what it forked is in groups of their own
            self.guard.tell(f"forget {z.proc.pid}")
        for name in z.unforked():
            z.drop(name)
            if name in self.procs:  # not given away meanwhile (pipeline.write keeps a copied format's aside)
                del self.procs[name]
                self._spawn(self._writers[name])
                if self._handed is not None:  # the others have their paths already
                    self._give(name, *self._handed)

    def hand_over(self, doc: Path, facts: Path, outputs: dict[str, Path]) -> None:
        """Give each writer its paths: from now on it writes."""
        # not waited for: the zygote forked them ~1 s after the start, and a
        # writer it is still forking finds its line in its pipe once it runs
        self._learn(block=False)
        self._handed = (doc, facts, outputs)  # a writer started later (wait()) is given them at its start
        for name in list(self.procs):
            self._give(name, doc, facts, outputs)

    def _give(self, name: str, doc: Path, facts: Path, outputs: dict[str, Path]) -> None:
        p = self.procs[name]
        if p.stdin is None or p.stdin.closed:  # given its paths already
            return
        try:
            p.stdin.write(json.dumps([str(doc), str(facts), str(outputs[name])]) + "\n")
            p.stdin.close()
        except OSError:  # it has already died: wait() reports why
            pass

    def wait(
        self,
        outputs: dict[str, Path],
        done: Callable[[str, Path, float], None],
        poll: Callable[[], None],
        progress: Callable[[str], None],
    ) -> list[str]:
        """Wait for every writer; ``done(name, path, seconds)`` as each one
        succeeds, ``poll()`` every 50 ms. Returns the failures, one line
        each; the first failure ends the wait (the others are stopped with
        the render)."""
        started = time.monotonic()
        failures: list[str] = []
        pending = dict(self.procs)
        while pending:
            self._learn(block=False)  # a writer the zygote ended without forking is started now
            for name in list(pending):
                p = pending[name] = self.procs.get(name, pending[name])
                if p.poll() is None:
                    continue
                del pending[name]
                err = p.stderr.read().strip() if p.stderr else ""
                if p.returncode != 0 or not outputs[name].exists():
                    failures.append(self._failure(name, err, p.returncode))
                    progress(f"{name:<10} failed after {time.monotonic() - started:.1f} s")
                else:
                    done(name, outputs[name], time.monotonic() - started)
            poll()
            if failures:
                break  # one format failed: the render fails, do not wait for the others
            time.sleep(0.05)
        return failures

    def _failure(self, name: str, err: str, code: int | None) -> str:
        """One line for a failed writer; in plain words when it hit its memory ceiling."""
        why = _out_of_memory(err, code) if self.memory else ""
        if why:
            limit = describe_limit(self.memory)
            said = f"the {name.upper()} writer ran out of its {limit} memory limit"
            if why == "signal":
                said = f"the {name.upper()} writer crashed, most likely at its {limit} memory limit"
            return f"{name}: {said} (raise it with {MEMORY_ENV}, e.g. {MEMORY_ENV}=6G)"
        return f"{name}: {_last_line(err) or _status(code)}"

    def stop(self) -> None:
        """End every writer and everything it started; reap them, and wait
        until nothing of their process groups runs any more."""
        z, self.zygote = self.zygote, None
        if z is not None:  # first: it forks no more; then every child it forked is known
            if not z.ended:
                _stop(z.proc)
                z.learn(block=True, within=GROUP_GONE_WITHIN)
            self.guard.tell(f"forget {z.proc.pid}")
            z.close()
        for p in self.procs.values():
            _stop(p)
            if p.pid is not None:
                self.guard.tell(f"forget {p.pid}")
        self.procs.clear()


@contextlib.contextmanager
def start_writers(writers: list[Writer]) -> Iterator[WriterProcesses]:
    """The writers' processes, started now (or taken from an early start,
    :mod:`.early_writers`), stopped on leaving."""
    from . import early_writers

    procs = early_writers.take(writers)
    try:
        if procs is None:
            procs = WriterProcesses()
            procs.start(writers)
        yield procs
    finally:
        if procs is not None:
            stop_all(procs)


def stop_all(procs: WriterProcesses) -> None:
    """Stop the writers and end the guard (again: nothing happens)."""
    with held_signals():  # writers not yet stopped: the render ended before they were given work
        procs.stop()
        procs.guard.done()  # the last clean-up: the staging directory is gone by now


def _stop(p: subprocess.Popen[str] | subprocess.Popen[bytes] | Forked) -> None:
    if p.stdin and not p.stdin.closed:
        with contextlib.suppress(OSError):
            p.stdin.close()
    if p.pid is None:  # forked by no one (the zygote was stopped first): nothing runs
        if p.stderr:
            p.stderr.close()
        return
    if _POSIX:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # its group: pandoc, if it runs one
        except (ProcessLookupError, PermissionError):
            pass
        if isinstance(p, Forked):  # a child not yet in a session of its own is in no group of its own
            p.kill()
    elif p.poll() is None:
        p.kill()
    p.wait()
    if _POSIX:  # the writer is reaped; the pandoc it ran may still be dying
        end = time.monotonic() + GROUP_GONE_WITHIN
        while group_alive(p.pid) and time.monotonic() < end:
            time.sleep(0.01)
    if p.stderr:
        p.stderr.close()


# what a process says when an allocation fails: Python, GHC (pandoc), C libraries
_OOM_TEXT = (
    "MemoryError",
    "out of memory",
    "Cannot allocate memory",
    "memory allocation failed",
    "std::bad_alloc",
    "can't start new thread",  # a thread stack counts against RLIMIT_DATA
)


def _out_of_memory(err: str, code: int | None) -> str:
    """Why a writer under a memory ceiling failed: ``"said"`` when it said it
    had no memory left, ``"signal"`` when it was killed by SIGSEGV, SIGABRT or
    SIGBUS (what an allocation that fails inside a C library or the GHC
    runtime can look like: pandoc under a 100 MiB address-space limit died
    with SIGSEGV), else ``""``."""
    if any(t in err for t in _OOM_TEXT):
        return "said"
    if _last_line(err).endswith(": pandoc failed"):  # pandoc died without a word: its runtime crashed
        return "signal"
    if code is not None and code < 0 and -code in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS):
        return "signal"
    return ""


def _last_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _status(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"the writer process was killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"the writer process ended with status {code}"
