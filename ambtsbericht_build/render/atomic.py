"""What keeps a render all-or-nothing: signals become exceptions (so every
clean-up runs), are held back while files are replaced or cleaned up, the
new files are made in a temporary directory beside the old ones, and the
replacing happens under a lock on the output directory."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, TracebackType

TMP_PREFIX = ".abuild-tmp-"


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived (SIGINT raises KeyboardInterrupt)."""


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """SIGTERM/SIGHUP raise :class:`Interrupted` (SIGINT raises
    KeyboardInterrupt already), so every ``finally`` runs and cleans up."""
    old = {}
    if threading.current_thread() is threading.main_thread():
        for sig in _SIGNALS:
            try:
                old[sig] = signal.signal(sig, _raise_interrupt)
            except (ValueError, OSError):
                pass
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def interrupts_fail_the_render() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP end the render with :class:`.errors.RenderFailed`
    (after every clean-up ran)."""
    from .errors import RenderFailed

    with signals_raise():
        try:
            yield
        except (KeyboardInterrupt, Interrupted) as exc:
            raise RenderFailed(f"interrupted by {str(exc) or 'SIGINT'}; previous outputs left as they were") from None


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT/SIGTERM/SIGHUP back; a signal that arrived meanwhile is
    delivered afterwards."""
    sigs = {signal.SIGINT, *_SIGNALS}
    can = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if can:
        signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    try:
        yield
    finally:
        if can:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, sigs)


class Cleanup(contextlib.ExitStack):
    """An :class:`~contextlib.ExitStack` whose clean-up runs with signals held
    back: a second signal must not interrupt it."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # never swallows an exception: none of the clean-ups does
        with held_signals():
            super().__exit__(exc_type, exc, tb)


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A temporary directory ``.abuild-tmp-*`` inside ``out_dir`` (so the new
    files can be renamed over the old ones), removed with whatever is left in it."""
    tmp: Path | None = None
    try:
        with held_signals():  # no interrupt between creating the directory and knowing its name
            tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out_dir))
        yield tmp
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on the output directory (two renders replace their
    files one after the other, never interleaved)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: os.replace is still atomic per file
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def replace(files: dict[Path, Path], out_dir: Path) -> None:
    """Move each new file (key) over its old one (value), in order, under the
    lock and with signals held back until all are in place."""
    with held_signals(), locked(out_dir):
        for new, final in files.items():
            os.replace(new, final)
