"""abuild's end of the writers' start-up (:mod:`.zygote`): the zygote
process, and a handle for each writer it forks that behaves, for
:mod:`.processes`, as the ``subprocess.Popen`` of a worker did.

Each writer gets two pipes of its own, made here: its standard input (the
hand-over line, written by :meth:`.processes.WriterProcesses.hand_over`)
and its standard error. Their far ends are passed to the zygote
(``pass_fds``) and closed here; a forked writer keeps its own two only.
The children are abuild's own (``CLONE_PARENT``), so abuild reaps them by
pid (:func:`os.waitpid`); which pid writes what, each child says on the
zygote's standard output, read as it comes (:meth:`Zygote.learn`).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import IO

from .. import tools


class Child:
    """A child abuild forked (itself or through the zygote) and reaps by pid:
    the part of ``subprocess.Popen``'s interface abuild's callers use.
    ``pid`` is None until it is known."""

    def __init__(self, pid: int | None = None) -> None:
        self.pid: int | None = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and self.pid is not None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: its status is lost
                self.returncode = 1
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None and self.pid is not None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self.returncode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.returncode = 1
        return 1 if self.returncode is None else self.returncode

    def kill(self) -> None:
        if self.pid is not None and self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)


class Forked(Child):
    """A writer forked by the zygote; the part of ``subprocess.Popen``'s
    interface :mod:`.processes` uses. ``pid`` is None until the child has
    said it (:meth:`Zygote.learn`)."""

    def __init__(self, stdin: IO[str], stderr: IO[str]) -> None:
        super().__init__()
        self.stdin: IO[str] | None = stdin
        self.stderr: IO[str] | None = stderr


class Zygote:
    """The zygote process and the writers it forks, by name."""

    def __init__(self, refs: dict[str, str], env: dict[str, str], new_session: bool) -> None:
        """``refs``: {writer name: how the worker finds it (:func:`.formats.writer_ref`)}."""
        self.names = list(refs)
        self.children: dict[str, Forked] = {}
        self.ended = False
        theirs: list[int] = []
        args: list[str] = []
        try:
            for name, ref in refs.items():
                in_r, in_w = os.pipe()
                err_r, err_w = os.pipe()
                theirs += [in_r, err_w]
                self.children[name] = Forked(
                    open(in_w, "w", encoding="utf-8"),  # noqa: SIM115 - closed at the hand-over or the stop
                    open(err_r, encoding="utf-8", errors="replace"),  # noqa: SIM115 - closed by the stop
                )
                args.append(f"{ref}@{in_r},{err_w}")
            self.proc: subprocess.Popen[bytes] = tools.popen(  # dies with abuild (PR_SET_PDEATHSIG)
                [sys.executable, "-m", "ambtsbericht_build.render.worker", "--zygote", *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                # not read by anyone: a pipe could fill and stop it; what it would
                # say (a thread, a refused clone) only means abuild starts the writer
                stderr=subprocess.DEVNULL,
                pass_fds=theirs,
                start_new_session=new_session,
                env=env,
            )
        except BaseException:
            self._close_all()
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        assert self.proc.stdout is not None
        os.set_blocking(self.proc.stdout.fileno(), False)
        self._said = b""

    def learn(self, block: bool, within: float = 60.0, told: Callable[[int], None] | None = None) -> None:
        """Read which child has which pid; ``block``: until the zygote and
        every child it forked have closed its output (all forked, or it
        ended), at most ``within`` seconds. ``told(pid)`` for each new one."""
        out = self.proc.stdout
        assert out is not None
        end = time.monotonic() + within
        while not self.ended:
            if block:
                select.select([out], [], [], max(0.0, min(0.5, end - time.monotonic())))
            try:
                chunk = os.read(out.fileno(), 4096)
            except BlockingIOError:
                chunk = None
            if chunk == b"":
                self.ended = True
            elif chunk:
                self._said += chunk
                *lines, self._said = self._said.split(b"\n")
                for line in lines:
                    index, _, pid = line.decode("ascii", "replace").partition(" ")
                    if index.isdigit() and pid.isdigit() and int(index) < len(self.names):
                        self.children[self.names[int(index)]].pid = int(pid)
                        if told is not None:
                            told(int(pid))
                continue
            if not block or time.monotonic() >= end:
                break
        if self.ended:
            self.proc.wait()

    def unforked(self) -> list[str]:
        """The writers the zygote did not fork (it ended without them)."""
        return [name for name, c in self.children.items() if c.pid is None] if self.ended else []

    def drop(self, name: str) -> None:
        """Forget a writer the zygote did not fork (abuild starts it itself)."""
        c = self.children.pop(name)
        for f in (c.stdin, c.stderr):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()

    def _close_all(self) -> None:
        for name in list(self.children):
            self.drop(name)

    def close(self) -> None:
        """The zygote's own pipes (after it was stopped or ended)."""
        for f in (self.proc.stdout,):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()
