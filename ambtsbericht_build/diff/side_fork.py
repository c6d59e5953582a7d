"""OLD's process forked from abuild's, with abuild's modules loaded already.

OLD's side was built by ``python -m ambtsbericht_build.diff.sides``, which
imported the check, the loader, the pipeline and citeproc's handling again:
on the benchmark report 1.1-1.3 s of its ~5 s of CPU went to starting
Python and those imports, which abuild's own process had made as well.
Forked once abuild has made them, OLD's process starts with them: it only
waits anyway, until NEW's check has read the chapters (diff/shared.py), so
starting it later costs no time.

The child is what the spawned process was, for :class:`.sides.PendingSide`:
a session of its own (stopped with the pandoc it runs by ``killpg``), dying
with abuild (``PR_SET_PDEATHSIG``), the default action for SIGINT, SIGTERM
and SIGHUP (abuild's handlers raise, for abuild's clean-ups, which are not
the child's), standard input and output two pipes, standard error the file
abuild reads when it failed. It leaves through ``os._exit``: none of
abuild's ``finally`` blocks, ``atexit`` handlers or buffers run twice.

A fork is only safe with one thread (a lock another thread held stays held
in the child): with more (a test runner's), or without ``os.fork``, abuild
spawns the process as before (:func:`forks`).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO

from .. import signals, tools
from ..render.forked import Child


def forks() -> bool:
    """Whether OLD's process is forked (else spawned)."""
    return hasattr(os, "fork") and hasattr(os, "setsid") and threading.active_count() == 1


def load_side_modules() -> None:
    """What a side's build imports (the modules ``python -m ...diff.sides``
    loads first): imported by abuild before the fork, for both processes."""
    from ..check import run_checks  # noqa: F401
    from ..render import citations, pipeline  # noqa: F401


class ForkedSide(Child):
    """The forked child; the part of ``subprocess.Popen``'s interface
    :class:`.sides.PendingSide` uses."""

    pid: int  # known from the fork on

    def __init__(self, pid: int, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        super().__init__(pid)
        self.stdin: IO[bytes] | None = stdin
        self.stdout: IO[bytes] | None = stdout


def fork_side(err: Path, serve: Callable[[IO[bytes], IO[bytes]], int]) -> ForkedSide:
    """Fork the child that runs ``serve(stdin, stdout)`` (its exit status);
    its standard error goes to ``err``."""
    prctl, parent = tools.before_fork()  # the child only calls prctl
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    ready_r, ready_w = os.pipe()  # closed by the child once it leads its session
    err_fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with signals.held():  # no interrupt between the fork and knowing the child's pid
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child: measured by the tests through its results
                _child(serve, in_r, out_w, err_fd, ready_w, (in_w, out_r, ready_r), parent, prctl)
    except BaseException:
        for fd in (in_r, in_w, out_r, out_w, ready_r):
            os.close(fd)
        raise
    finally:
        os.close(err_fd)
        os.close(ready_w)
    os.close(in_r)
    os.close(out_w)
    # until then its group does not exist: killpg (sides._stop) would miss it
    with contextlib.suppress(OSError):
        os.read(ready_r, 1)
    os.close(ready_r)
    return ForkedSide(pid, open(in_w, "wb"), open(out_r, "rb"))  # noqa: SIM115 - closed by sides._stop


def _child(
    serve: Callable[[IO[bytes], IO[bytes]], int],
    in_r: int,
    out_w: int,
    err_fd: int,
    ready_w: int,
    parents: tuple[int, int, int],
    parent: int,
    prctl: Callable[..., int] | None,
) -> None:
    """Run ``serve`` and leave (never returns)."""
    code = 1
    try:
        os.setsid()  # its own group: stopped with the pandoc it runs (sides._stop)
        os.close(ready_w)
        if prctl is not None:
            prctl(tools.PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # abuild died before the request took
            os._exit(1)
        for fd in parents:
            os.close(fd)
        # its standard streams as a spawned process has them: what a library
        # prints goes to abuild's pipe or file, never to abuild's own output
        for fd, std in ((in_r, 0), (out_w, 1), (err_fd, 2)):
            os.dup2(fd, std)
            os.close(fd)
        stdin, stdout = open(0, "rb", closefd=False), open(1, "wb", closefd=False)  # noqa: SIM115 - to its end
        sys.stdin = io.TextIOWrapper(stdin, encoding="utf-8")
        sys.stdout = io.TextIOWrapper(stdout, encoding="utf-8")
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        for s in signals.HELD:  # as a spawned process has them: abuild's handlers are abuild's
            signal.signal(s, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals.HELD)
        tools._SPAWNER.__init__()  # type: ignore[misc]  # a thread of abuild's would not be this process's
        os.environ.setdefault(tools.MARKER, str(parent))  # the pandoc it starts is abuild's, as a spawned one's is
        code = serve(stdin, stdout)
    except BaseException:  # noqa: BLE001 - said on standard error, which abuild shows when OLD failed
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)
