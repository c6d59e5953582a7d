"""The writers' start-up: one process imports what every writer needs, then
forks the writers (``python -m ambtsbericht_build.render.worker --zygote
REF@IN,ERR ...``, started by :mod:`.processes`).

Four writer processes each started Python and imported abuild's formats
(pydantic, yaml, the writers' modules: 0.17 s of CPU each) and then their
own needs (WeasyPrint 0.26 s, fontTools 0.08 s): 1.0-1.2 s of CPU in all,
on two cores, while the check's pandoc and the document's build, which the
writers wait for, ran beside them. This process imports the union once
(0.5 s), freezes it out of the collector's walks (``gc.freeze``: a child
that collects does not touch, and so copy, those pages) and forks one child
per writer, which shares it all.

Each child is made abuild's own child, not this process's
(``clone(CLONE_PARENT)``): abuild waits for it and reads its exit status as
it did for a worker it started itself, ``PR_SET_PDEATHSIG`` fires when
*abuild* dies, and this process ends as soon as the children run. A child
then becomes what a ``--wait`` worker is (:func:`.worker.serve`): it says
its pid on this process's standard output (``INDEX PID``), takes its own
standard input (the hand-over line) and standard error (IN and ERR,
descriptors abuild passed), starts a session of its own (the guard and
``_stop`` kill its group), names itself ``abuild-wINDEX`` (what
:mod:`.memory` calls it), takes its priority and prepares its writer.

The ``clone`` is the bare system call (glibc has no fork with flags), with
Python's own fork bookkeeping around it but not glibc's: the child's
thread descriptor keeps the zygote's thread id, which glibc 2.34+ reads
for little (``pthread_setschedparam`` and the like on the own thread,
priority-inheriting and robust mutexes; ``raise``/``abort`` ask the kernel),
none of which Python, WeasyPrint or the writers use; the processes a writer starts (pandoc, the PDF's layout workers)
go through glibc's own ``fork``/``posix_spawn`` and are set up as usual.
The four outputs of the benchmark report are byte for byte those of
separately started workers.

A child is forked only while this process has one thread (a fork copies
only the forking thread; a lock another thread held would stay taken), on
Linux on x86-64 and arm64 (the ``clone`` system call's number and argument
order). A writer it did not fork (an import that started a thread, a failed
``clone``, this process killed) is started by abuild as before, one process
of its own (:meth:`.processes.WriterProcesses.hand_over`).
"""

from __future__ import annotations

import gc
import os
import platform
import sys
from collections.abc import Callable
from typing import NoReturn

# <asm/unistd.h>: clone's number; on both, clone(flags, stack, ...) takes
# the flags first (s390's takes the stack first: not listed, not forked)
SYS_CLONE = {"x86_64": 56, "aarch64": 220}
CLONE_PARENT = 0x00008000  # <linux/sched.h>: the child's parent is the caller's parent
SIGCHLD = 17  # the signal the parent gets when the child ends (x86-64 and arm64 alike)
PR_SET_NAME = 15
ZYGOTE_ENV = "ABUILD_WRITER_ZYGOTE"  # "off": every writer starts a process of its own, as before
NOT_FORKED = 4  # this process's status when it forked no writer at all


def available() -> bool:
    """Whether writers can be forked by the zygote here."""
    if os.environ.get(ZYGOTE_ENV, "").strip().lower() in ("0", "off", "no", "false"):
        return False
    return sys.platform.startswith("linux") and platform.machine() in SYS_CLONE


def one_thread() -> bool:
    """Whether this process runs one thread (C libraries' threads included: /proc, not ``threading``)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _cloner() -> Callable[[], int]:
    """``clone(CLONE_PARENT | SIGCHLD)`` with Python's own bookkeeping around it,
    as ``os.fork`` does it (``PyOS_BeforeFork``, ``PyOS_AfterFork_Child``:
    the import lock, the GIL, the at-fork hooks such as ``random``'s reseed).
    Called with the GIL held (``PyDLL``); returns the child's pid in the
    parent, 0 in the child, raises OSError if the kernel refuses."""
    import ctypes

    libc = ctypes.PyDLL(None, use_errno=True)
    syscall = libc.syscall
    syscall.restype = ctypes.c_long
    syscall.argtypes = [ctypes.c_long] * 6
    api = ctypes.pythonapi
    for fn in (api.PyOS_BeforeFork, api.PyOS_AfterFork_Child, api.PyOS_AfterFork_Parent):
        fn.restype = None
        fn.argtypes = []
    number = SYS_CLONE[platform.machine()]

    def clone() -> int:
        api.PyOS_BeforeFork()
        pid = int(syscall(number, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0))
        if pid == 0:
            api.PyOS_AfterFork_Child()
            return 0
        err = ctypes.get_errno()
        api.PyOS_AfterFork_Parent()
        if pid < 0:
            raise OSError(err, os.strerror(err))
        return pid

    return clone


def _preload(refs: list[str]) -> None:
    """Import what the writers need before the hand-over: what a worker
    imports before it waits (:func:`.worker.serve`) and each writer's
    ``needs``. A failure is left to the writer's child, which imports it
    again and says what failed on its own standard error."""
    try:
        from ..tools import PatchVersionError  # noqa: F401
        from .facts import RenderFacts  # noqa: F401
        from .formats import writer_class
    except Exception:  # noqa: BLE001 - each child imports again and reports it
        return
    import importlib

    for ref in refs:
        try:
            for module in writer_class(ref).needs:
                importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the same
            continue


def _become_writer(index: int, ref: str, fd_in: int, fd_err: int) -> int:
    """In a forked child: what a ``--wait`` worker is, then its work. Returns its status."""
    from . import worker

    if not worker._die_with_parent():  # abuild died while this child was forked
        return worker.ABANDONED
    os.write(1, f"{index} {os.getpid()}\n".encode())  # abuild learns which process writes what
    null = os.open(os.devnull, os.O_RDWR)
    for fd, std in ((fd_in, 0), (null, 1), (fd_err, 2)):
        os.dup2(fd, std)
    os.closerange(3, _max_fd())  # the other writers' pipes: each must see its own end only
    os.setsid()  # a session of its own: stopped with what it starts (pandoc); its own autogroup
    _name_process(f"abuild-w{index}")
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own standard input
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1)  # noqa: SIM115
    return worker.serve(ref, [], wait=True)


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (ValueError, OSError):
        return 1024


def _name_process(name: str) -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
    except (OSError, AttributeError):
        pass


def parse(args: list[str]) -> list[tuple[str, int, int]]:
    """``REF@IN,ERR`` -> (REF, IN, ERR); REF may be ``module:Class``."""
    out = []
    for arg in args:
        ref, _, fds = arg.rpartition("@")
        fd_in, _, fd_err = fds.partition(",")
        out.append((ref, int(fd_in), int(fd_err)))
    return out


def main(args: list[str]) -> int:
    """The zygote: preload, freeze, fork every writer, end."""
    from . import worker
    from .frame_stack import call_deep

    if not worker._die_with_parent():
        return worker.ABANDONED
    worker._cap_memory(worker.memory_limit())  # the children inherit it, and so does what they start
    writers = parse(args)
    # under one frame-stack chunk (frame_stack.py): the imports' depth went
    # back and forth across a 16 KiB chunk's end, 1,300 mmap/munmap of it
    call_deep(_preload, [ref for ref, _, _ in writers])
    # what was imported lives as long as every child: out of the collector's
    # walks, so that a child's collection does not write to (and copy) its pages
    gc.freeze()
    clone = _cloner()
    forked = 0
    for index, (ref, fd_in, fd_err) in enumerate(writers):
        if not one_thread():  # an import started a thread: abuild starts the rest itself
            print(f"zygote: {len(os.listdir('/proc/self/task'))} threads; not forking {ref}", file=sys.stderr)
            break
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = clone()
        except OSError as exc:
            print(f"zygote: cannot fork {ref}: {exc}", file=sys.stderr)
            break
        if pid == 0:
            status = 1
            try:
                status = _become_writer(index, ref, fd_in, fd_err)
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001 - as an uncaught exception ends a worker: its traceback
                import traceback

                traceback.print_exc()
            finally:
                _end(status)
        forked += 1
    _leave(0 if forked else NOT_FORKED)


def _leave(status: int) -> NoReturn:
    """End the zygote without the interpreter's finalisation: it tore down
    every module imported for the writers, writing to pages that each forked
    writer still shares, a copy-on-write fault each (8,200 of the zygote's
    20,800 page faults in the benchmark report's render). Nothing of it is
    needed: the zygote holds no file, its one output is flushed here."""
    try:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    finally:
        os._exit(status)


def _end(status: int) -> None:
    """End a forked writer as an interpreter that returns from ``main`` would,
    but without unwinding into the zygote's frames: non-daemon threads joined
    (``threading._shutdown``: a thread pool's workers), ``atexit`` handlers
    run, the standard streams flushed."""
    import atexit
    import threading

    try:
        threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
    finally:
        os._exit(status)
