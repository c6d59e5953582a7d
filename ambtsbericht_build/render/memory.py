"""The memory ceiling of a whole render: :func:`render_ceiling`.

Every writer has a ceiling of its own (``RLIMIT_DATA``, :mod:`.worker`), but
``abuild`` itself (check, document build, audit), the pandoc processes it
runs for the citations and the writers together could still take more than
the machine has, and the kernel's OOM killer would then end one of them
without a word (or end something else on the machine). A watchdog thread
therefore adds up the resident memory of ``abuild`` and of every process it
started, every 0.1 s (Linux, from ``/proc``; ~0.2 ms a sample for ten
processes); above the ceiling it kills those processes and ends the render
with one sentence that says how much memory went where. The sum counts a
page shared by two processes twice (the writers share ~30 MiB of Python),
so it errs on the side of stopping early.

The ceiling is ``ABUILD_RENDER_MEMORY`` (``6G``, ``2.5G``, ``800M``; ``off``:
none), by default 6 GiB or three quarters of the machine's memory, whichever
is less: the 100,000-note report's ``--to html`` render peaks at 1.6-1.9 GiB
of PSS (docs/render.md; the RSS this sum counts is somewhat more), a real
report (1,000 notes) at 1.1 GiB. The sum includes ``abuild`` itself: its
check and document build are stopped like a writer
(tests/render/test_memory_ceiling.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RenderFailed
from .worker import describe_limit, parse_size

RENDER_MEMORY_ENV = "ABUILD_RENDER_MEMORY"
DEFAULT_CEILING = 6 * 1024**3
INTERVAL = 0.1  # seconds between samples: a render grows by at most ~0.3 GiB/s (100,000 notes)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def machine_memory() -> int:
    """The machine's memory in bytes (``MemTotal``); 0 where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def render_ceiling(value: str | None = None) -> int:
    """The ceiling in bytes from ``ABUILD_RENDER_MEMORY`` (0: none)."""
    total = machine_memory()
    default = min(DEFAULT_CEILING, total * 3 // 4) if total else DEFAULT_CEILING
    return parse_size(os.environ.get(RENDER_MEMORY_ENV, "") if value is None else value, default)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                found += [int(x) for x in fh.read().split()]
    except (OSError, ValueError):  # gone meanwhile
        pass
    return found


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _name(pid: int, own: int) -> str:
    """What a process of the render is, for the drafter: "abuild", "the HTML writer", "pandoc"."""
    if pid == own:
        return "abuild"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            args = [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return "a process"
    if "ambtsbericht_build.render.worker" in args and args.index("ambtsbericht_build.render.worker") + 1 < len(args):
        fmt = args[args.index("ambtsbericht_build.render.worker") + 1]
        if fmt == "--zygote":  # forked writers share its command line; each is named abuild-wINDEX (zygote.py)
            fmt = _forked_ref(pid, args[args.index(fmt) + 1 :])
            if not fmt:
                return "the writers' start-up"
        # "html", or module:Class for a format not abuild's
        return f"the {fmt.rsplit(':', 1)[-1] if ':' in fmt else fmt.upper()} writer"
    return Path(args[0]).name if args else "a process"


def _forked_ref(pid: int, refs: list[str]) -> str:
    """Which of the zygote's ``REF@IN,ERR`` arguments process ``pid`` writes ("": the zygote itself)."""
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as fh:
            comm = fh.read().strip()
    except OSError:
        return ""
    index = comm.removeprefix("abuild-w")
    if comm == index or not index.isdigit() or int(index) >= len(refs):
        return ""
    return refs[int(index)].rpartition("@")[0]


def tree(own: int, spare: frozenset[int] = frozenset()) -> dict[int, int]:
    """{pid: resident bytes} of ``own`` and every process below it, but the
    processes in ``spare`` and theirs (the render's guard)."""
    out: dict[int, int] = {}
    todo = [own]
    while todo:
        pid = todo.pop()
        if pid in spare or pid in out:
            continue
        out[pid] = _resident(pid)
        todo += _children(pid)
    return out


@dataclass
class Watch:
    """The watchdog of one render (see the module docstring)."""

    ceiling: int
    spare: frozenset[int] = frozenset()
    message: str = ""  # why the render was stopped ("": it was not)
    peak: int = 0
    _own: int = field(default_factory=os.getpid)
    _main: int | None = None  # the thread told to stop (the main thread's id)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closing: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> bool:
        """One look at the render's memory; stop it when over the ceiling. True when stopped."""
        sizes = tree(self._own, self.spare)
        total = sum(sizes.values())
        self.peak = max(self.peak, total)
        if total <= self.ceiling:
            return False
        with self._lock:
            if self._closing.is_set() or self.message:
                return bool(self.message)
            self.message = self._describe(sizes, total)
            for pid in sizes:  # what it started first: they hold the memory, and end a wait of abuild's
                if pid != self._own:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
            if self._main is not None:  # raised as Interrupted in the main thread; held back like a SIGTERM
                signal.pthread_kill(self._main, signal.SIGTERM)
        return True

    def _describe(self, sizes: dict[int, int], total: int) -> str:
        by_name: dict[str, int] = {}
        for pid, size in sizes.items():
            name = _name(pid, self._own)
            by_name[name] = by_name.get(name, 0) + size
        largest = sorted(by_name.items(), key=lambda kv: -kv[1])[:4]
        shown = ", ".join(f"{name} {describe_limit(size)}" for name, size in largest)
        return (
            f"the render needed more than {describe_limit(self.ceiling)} of memory ({describe_limit(total)} "
            f"together: {shown}) and was stopped; the previous outputs were left as they were. "
            f"Render fewer formats at a time (--to html) or raise the ceiling with {RENDER_MEMORY_ENV}, "
            f"e.g. {RENDER_MEMORY_ENV}={_suggest(self.ceiling)}"
        )

    def run(self) -> None:
        while not self._closing.wait(INTERVAL):
            if self.sample():
                return

    def close(self) -> None:
        with self._lock:
            self._closing.set()


def _suggest(ceiling: int) -> str:
    gib = max(1, -(-ceiling * 3 // 2 // 1024**3))  # half as much again, in whole GiB
    return f"{gib}G"


@contextlib.contextmanager
def memory_ceiling(spare: frozenset[int] = frozenset(), ceiling: int | None = None) -> Iterator[Watch]:
    """Watch the render's memory while inside; leaving with an exception
    after the watchdog stopped the render (or with a MemoryError) raises
    :class:`.errors.RenderFailed` with the watchdog's sentence instead.

    The main thread is told to stop with SIGTERM (``pthread_kill``), which
    :func:`.atomic.signals_raise` turns into ``Interrupted`` and which a
    clean-up holds back like any SIGTERM; only when that handler is in place
    (the main thread, inside :func:`.atomic.interrupts_fail_the_render`),
    else the render is stopped through its killed processes alone."""
    limit = render_ceiling() if ceiling is None else ceiling
    watch = Watch(limit, spare)
    if limit <= 0 or not os.path.isdir(f"/proc/{os.getpid()}/task"):  # no ceiling, or no /proc to watch
        yield watch
        return
    if threading.current_thread() is threading.main_thread() and callable(signal.getsignal(signal.SIGTERM)):
        watch._main = threading.main_thread().ident
    from .. import signals

    thread = signals.start(threading.Thread(target=watch.run, name="abuild-memory-ceiling", daemon=True))
    try:
        yield watch
    except (Exception, KeyboardInterrupt) as exc:
        watch.close()
        thread.join()
        if watch.message:
            raise RenderFailed(watch.message) from None
        if isinstance(exc, MemoryError):
            raise RenderFailed(
                "abuild ran out of memory while rendering; the previous outputs were left as they were"
            ) from None
        raise
    finally:
        watch.close()
        thread.join()
