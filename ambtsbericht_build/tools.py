"""Where the external programs are, their versions, and how abuild starts them.

pandoc comes from the ``pypandoc-binary`` wheel, so ``pip install`` brings it;
``ABUILD_PANDOC`` overrides it (for testing another pandoc).

Every process abuild starts (pandoc, git, the writers) is started by
:func:`popen` or :func:`run` here, and so dies with the process that started
it: a SIGKILLed ``abuild`` (or writer) leaves nothing running. See
:func:`popen`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from . import signals

# in every child's environment: the pid of the abuild process the child works
# for (a writer's children inherit the render's), so that a test can find
# anything a render left running
MARKER = "ABUILD_RENDER_PID"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, looked up once, in the parent (the child only calls it)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        fn: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
        return fn
    except (OSError, AttributeError):
        return None


def before_fork() -> tuple[Callable[..., int] | None, int]:
    """What a parent does right before ``os.fork``: (libc's ``prctl``, looked
    up here because the child only calls it; the parent's pid, which the
    child checks it still has), with the standard streams flushed so that
    the child does not write their buffers a second time."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return _prctl(), os.getpid()


def _dies_with(parent: int, prctl: Callable[..., int]) -> Callable[[], None]:
    def setup() -> None:  # runs in the child, between fork and exec
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals.HELD)  # the parent's hold is not the child's
        prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the request took
            os._exit(127)

    return setup


class _Spawner:
    """One thread that lives as long as the process and starts the children
    that other threads ask for. ``PR_SET_PDEATHSIG`` fires when the *thread*
    that forked the child ends, not the process: a pandoc started by a
    short-lived thread (the reader thread of ``pandoc_batch`` starts the next
    pandoc when one dies) would be killed when that thread returns."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def call(self, fn: Callable[[], Any]) -> Any:
        with self.lock:
            if self.thread is None:
                self.thread = signals.start(threading.Thread(target=self._loop, name="abuild-spawner", daemon=True))
        done: Future[Any] = Future()
        self.jobs.put((fn, done))
        return done.result()

    def _loop(self) -> None:
        while True:
            fn, done = self.jobs.get()
            try:
                done.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
                done.set_exception(exc)


_SPAWNER = _Spawner()


def popen(args: list[str], *, env: dict[str, str] | None = None, **kw: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen(args, **kw)`` for every process abuild starts.

    - On Linux the child asks the kernel for SIGKILL when its parent dies
      (``PR_SET_PDEATHSIG``, set between fork and exec, so there is no window
      in which a SIGKILLed abuild leaves it running: before, the citeproc
      pandocs of the document stage ran on as orphans after ``kill -9`` of
      abuild, with no timeout left to end them). A child started from a
      thread other than the main thread is started by :class:`_Spawner`.
    - It inherits no file descriptor but the three it is given
      (``close_fds``): no child holds a pipe of abuild's caller open.
    - Its environment carries :data:`MARKER`.

    (``preexec_fn`` makes Python fork instead of vfork; a fork of abuild
    with 1 GiB resident costs a few ms. The function it runs calls only
    ``pthread_sigmask``, ``prctl`` (looked up before the fork) and
    ``getppid``, so it takes no lock another thread could hold.)"""
    child_env = dict(os.environ if env is None else env)
    child_env.setdefault(MARKER, str(os.getpid()))
    kw.setdefault("close_fds", True)
    prctl = _prctl()
    if prctl is not None:
        kw["preexec_fn"] = _dies_with(os.getpid(), prctl)

    def start() -> subprocess.Popen[Any]:
        return subprocess.Popen(args, env=child_env, **kw)

    if prctl is None:
        return start()
    if threading.current_thread() is not threading.main_thread():
        spawned: subprocess.Popen[Any] = _SPAWNER.call(start)
        return spawned
    # With a preexec_fn, Python runs its at-fork handlers around the fork
    # (logging's takes and releases its module lock). A SIGTERM whose handler
    # raised inside one was "ignored" there, left logging's lock taken, and
    # the next fork (by the spawner) waited for it for ever: abuild hung
    # after a SIGTERM 0.9 s into a render (1 run in 55). Held back here, the
    # signal is handled as soon as the child runs.
    with signals.held():
        return start()


def run(
    args: list[str],
    *,
    input: str | bytes | None = None,  # noqa: A002 - subprocess.run's name
    timeout: float | None = None,
    text: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run(args, capture_output=True, ...)`` through :func:`popen`;
    on a timeout or any exception (a signal) the child is killed and reaped."""
    with popen(
        args,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=text,
        env=env,
    ) as proc:
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


class ToolMissing(RuntimeError):
    pass


@functools.cache
def pandoc_path() -> str:
    env = os.environ.get("ABUILD_PANDOC")
    if env:
        return env
    # find the wheel's binary without importing pypandoc (which is slow to import)
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            for name in ("pandoc", "pandoc.exe"):
                cand = Path(loc) / "files" / name
                if cand.is_file():
                    return str(cand)
    found = shutil.which("pandoc")
    if found:
        return found
    raise ToolMissing("pandoc not found: install the project (pip install -e .) to get pypandoc-binary")


@functools.cache
def pandoc_version() -> str:
    proc = run([pandoc_path(), "--version"], timeout=60)
    if proc.returncode != 0:
        raise ToolMissing(f"pandoc --version failed: {pandoc_message(proc.stderr)}")
    out: str = proc.stdout
    return out.split("\n", 1)[0].split()[-1]


def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


class PandocError(RuntimeError):
    """pandoc failed; the message is pandoc's own first line, without its backtrace."""


def pandoc_message(stderr: str) -> str:
    lines = []
    for line in stderr.strip().splitlines():
        if line.startswith("HasCallStack") or line.startswith("  "):
            break
        lines.append(line.strip())
    return " ".join(lines) or "pandoc failed"


# pandoc's garbage collector for a conversion (the writers: HTML, the print
# HTML's pieces, DOCX, ODT; and citeproc). The binary is linked with
# -with-rtsopts=-H64m, which sizes the young generation to ~64 MB whatever -A
# says; -H4k (the least it takes: -H0 is refused) turns that off, so the
# young generation is -A's 1 MB (the size of a core's L2 cache here); -AL8m
# lets large objects (the output's text) fill 8 MB before they force a young
# collection; no major collection before 256 MB of old generation. Measured
# on this machine (2-core VM, a page fault ~3 us), each run of the benchmark
# report replayed alone, CPU (user+sys) median of 5, formerly -A4m -O256m
# (with the binary's -H64m) -> these: HTML 0.75 -> 0.60 s (52,500 -> 48,900
# minor faults), a print-HTML piece 0.39 -> 0.29 s, DOCX 0.70 -> 0.57 s
# (43,000 -> 39,500), ODT 1.57 -> 1.44 s (94,500 -> 90,000), a citeproc
# piece 0.67 -> 0.53 s (32,400 -> 38,800). -A2m was as good for ODT and
# citeproc (1.40, 0.52 s) and worse for the rest; -A512k no better than
# -A1m; -AL16m, -A8m, -H128m, -c, -xn/--nonmoving-gc, -n1m, -F4 no better or
# worse; -O512m no better and up to 560 MB resident (ODT); -I0 and -qg do
# nothing in this non-threaded runtime (-qg is refused). Peak resident
# <= 446 MB (ODT). A whole render (3 runs each, with PANDOC_READ_RTS):
# pandoc's processes 6.70 -> 5.23 s of CPU, 350,000 -> 342,000 faults; the
# outputs the same bytes. (tests/render/test_pandoc_runtime.py)
PANDOC_RTS = ("+RTS", "-H4k", "-A1m", "-AL8m", "-O256m", "-RTS")
# pandoc's garbage collector for the chapters' reading (load/markdown/
# pandoc_batch.py: one ``pandoc lua`` reads every chapter): a 4 MB young
# generation, as measured (the writers' -A1m took more here, not less):
# 0.59 -> 0.50 s of CPU, 22,700 -> 16,300 minor faults, 172 -> 148 MB
# resident (median of 5; -A1m 0.60 s, 26,800 faults; -A2m 0.53 s; -A8m
# 0.51 s; -AL16m 0.50 s).
PANDOC_READ_RTS = ("+RTS", "-H4k", "-A4m", "-O256m", "-RTS")


def run_pandoc(args: list[str], stdin: str, what: str, *, env: dict[str, str] | None = None, timeout: int = 900) -> str:
    """Run pandoc in its sandbox (it reads only the files named in ``args``),
    with :data:`PANDOC_RTS` unless ``args`` set pandoc's runtime themselves."""
    rts = () if "+RTS" in args else PANDOC_RTS
    try:
        proc = run([pandoc_path(), *rts, "--sandbox", *args], input=stdin, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise PandocError(f"{what}: pandoc took longer than {timeout} s") from None
    if proc.returncode != 0:
        raise PandocError(f"{what}: {pandoc_message(proc.stderr)}")
    out: str = proc.stdout
    return out


class PatchVersionError(RuntimeError):
    """A patch of a library's internals was written for other versions than
    the one installed: rendering with it unapplied would silently change the
    output, so the render stops (one line, for the drafter)."""


def require_version(dist: str, installed: str, supported: tuple[str, ...], patch: str) -> None:
    """Raise :class:`PatchVersionError` unless ``installed`` is one of ``supported``."""
    if installed not in supported:
        raise PatchVersionError(
            f"{patch} is written for {dist} {' or '.join(supported)}, but {dist} {installed} is installed: "
            f"install the pinned versions (make, or pip install --require-hashes -r requirements.lock)"
        )
