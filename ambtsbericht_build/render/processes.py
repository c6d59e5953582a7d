"""The writer processes (:mod:`.worker`): started before anything else,
given their paths once the document is built, watched until they end,
stopped with everything they started."""

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

from .atomic import held_signals
from .formats import Writer, writer_ref

_POSIX = os.name == "posix"


class WriterProcesses:
    """One worker process per writer, keyed by format name."""

    def __init__(self) -> None:
        self.procs: dict[str, subprocess.Popen[str]] = {}

    def start(self, writers: list[Writer]) -> None:
        """Start every writer: they import what they need (WeasyPrint: 0.7 s)
        while the report is checked and the document built, then wait for
        their paths on standard input. Each runs in a process group of its
        own: stopping a writer stops what it started (pandoc) too.
        ``ABUILD_RENDER_PID`` in their environment names the render they
        belong to (the tests use it to find writers left behind). Each is
        added as soon as it runs, so that one that fails to start leaves the
        others to be stopped."""
        env = {**os.environ, "ABUILD_RENDER_PID": str(os.getpid())}
        for w in writers:
            self.procs[w.name] = subprocess.Popen(
                [sys.executable, "-m", "ambtsbericht_build.render.worker", writer_ref(type(w)), "--wait"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=_POSIX,
                env=env,
            )

    def hand_over(self, doc: Path, facts: Path, outputs: dict[str, Path]) -> None:
        """Give each writer its paths: from now on it writes."""
        for name, p in self.procs.items():
            try:
                assert p.stdin is not None
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
            for name, p in list(pending.items()):
                if p.poll() is None:
                    continue
                del pending[name]
                err = p.stderr.read().strip() if p.stderr else ""
                if p.returncode != 0 or not outputs[name].exists():
                    failures.append(f"{name}: {_last_line(err) or _status(p.returncode)}")
                    progress(f"{name:<10} failed after {time.monotonic() - started:.1f} s")
                else:
                    done(name, outputs[name], time.monotonic() - started)
            poll()
            if failures:
                break  # one format failed: the render fails, do not wait for the others
            time.sleep(0.05)
        return failures

    def stop(self) -> None:
        """End every writer and everything it started; reap them."""
        for p in self.procs.values():
            _stop(p)
        self.procs.clear()


@contextlib.contextmanager
def start_writers(writers: list[Writer]) -> Iterator[WriterProcesses]:
    """The writers' processes, started now, stopped on leaving."""
    procs = WriterProcesses()
    try:
        procs.start(writers)
        yield procs
    finally:
        with held_signals():  # writers not yet stopped: the render ended before they were given work
            procs.stop()


def _stop(p: subprocess.Popen[str]) -> None:
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
