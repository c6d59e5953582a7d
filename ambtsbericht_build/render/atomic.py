"""What keeps a render all-or-nothing: signals become exceptions (so every
clean-up runs), are held back while files are replaced or cleaned up, the
new files are made in a private staging directory *outside* the output
directory (``.abuild-staging/`` beside it), and the replacing happens under
a lock on the output directory.

Staging outside the output directory means that a render killed with
SIGKILL (which no clean-up survives) never leaves a complete but unaudited
output anywhere under the output directory. What it leaves in the staging
area is removed by its guard (:mod:`.guard`) as soon as its writers are
gone, and otherwise by the next render: every staging directory records its
owner (pid and start time) and one whose owner is dead is stale.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType, TracebackType

from .. import signals

STAGING = ".abuild-staging"  # beside the output directory: same file system, so os.replace works
LEGACY_PREFIX = ".abuild-tmp-"  # abuild before 0.2 staged inside the output directory
OWNER = "owner"  # "<pid> <start time>" of the render a staging directory belongs to
# a staging directory without an owner record (killed between mkdtemp and
# writing the record, a window of microseconds) is stale after this long
ORPHAN_AGE = 600.0


class Interrupted(Exception):
    """SIGTERM or SIGHUP arrived (SIGINT raises KeyboardInterrupt)."""


def signal_name(exc: BaseException) -> str:
    """SIGTERM/SIGHUP raise ``Interrupted("SIGTERM")``; SIGINT a bare KeyboardInterrupt."""
    return str(exc) or "SIGINT"


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
            raise RenderFailed(f"interrupted by {signal_name(exc)}; previous outputs left as they were") from None


# SIGINT/SIGTERM/SIGHUP held back; a signal that arrived meanwhile is
# delivered afterwards (one definition for the whole package)
held_signals = signals.held


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


def process_start(pid: int) -> str:
    """The start time of process ``pid`` (Linux: clock ticks since boot, from
    /proc), so that a reused pid is not taken for the owner; "" where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return ""


def owner_alive(record: str) -> bool:
    """Whether the process an owner record names still runs."""
    try:
        pid_text, _, start = record.strip().partition(" ")
        pid = int(pid_text)
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError, OSError):
        return True  # unreadable record, or someone else's process: not ours to judge
    return not start or not process_start(pid) or process_start(pid) == start


def _private_dir(path: Path) -> bool:
    """``path`` is (now) a real directory, not a symlink, owned by us, mode 0700."""
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return False
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return True


def staging_root(out_dir: Path) -> Path:
    """Where the staging directories for ``out_dir`` go: ``.abuild-staging``
    beside it (for ``build/<slug>``: ``build/.abuild-staging``), a private
    directory (0700, ours). If that cannot be (not writable, or someone
    else's), the system temporary directory: :func:`replace` then copies."""
    root = out_dir.resolve().parent / STAGING
    if _private_dir(root):
        ignore = root / ".gitignore"  # git status (the manifest's "dirty") must not see a render's own files
        if not ignore.exists():
            with contextlib.suppress(OSError):
                ignore.write_text("*\n", encoding="ascii")
        return root
    fallback = Path(tempfile.gettempdir()) / f"{STAGING}-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    if _private_dir(fallback):
        return fallback
    raise OSError(errno.EACCES, f"no private staging directory beside {out_dir} or in {tempfile.gettempdir()}")


def remove_stale(root: Path, out_dir: Path | None = None) -> list[Path]:
    """Remove the staging directories in ``root`` whose render is dead (and
    ``.abuild-tmp-*`` left inside ``out_dir`` by an older abuild). Returns what
    was removed."""
    removed: list[Path] = []
    now = time.time()
    candidates = [d for d in root.iterdir() if d.is_dir() and not d.is_symlink()] if root.is_dir() else []
    if out_dir is not None and out_dir.is_dir():
        candidates += [d for d in out_dir.iterdir() if d.name.startswith(LEGACY_PREFIX) and d.is_dir()]
    for d in candidates:
        try:
            record = (d / OWNER).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            try:
                stale = now - d.stat().st_mtime > ORPHAN_AGE
            except OSError:
                continue
        else:
            stale = not owner_alive(record)
        if stale:
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


@contextlib.contextmanager
def staging(out_dir: Path, created: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """A private staging directory for the new files of ``out_dir``, outside
    it (:func:`staging_root`), removed with whatever is left in it. Stale
    staging directories of dead renders are removed first. ``created(path)``
    is called as soon as the directory exists (the render's guard removes it
    if ``abuild`` is killed)."""
    tmp: Path | None = None
    try:
        with held_signals():  # no interrupt between creating the directory and knowing its name
            root = staging_root(out_dir)
            remove_stale(root, out_dir)
            tmp = Path(tempfile.mkdtemp(prefix=out_dir.resolve().name + "-", dir=root))
            (tmp / OWNER).write_text(f"{os.getpid()} {process_start(os.getpid())}\n", encoding="ascii")
            if created is not None:
                created(tmp)
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
            move(new, final)


def move(new: Path, final: Path) -> None:
    """``os.replace``; across file systems (staging in the system temporary
    directory, or an output directory that is a mount point) a copy beside
    the old file, flushed to disk, renamed over it: still atomic per file."""
    try:
        os.replace(new, final)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    part = final.with_name(f".{final.name}.abuild-part-{os.getpid()}")
    try:
        with open(new, "rb") as src, open(part, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        shutil.copystat(new, part)
        os.replace(part, final)
    finally:
        part.unlink(missing_ok=True)
    new.unlink()


def write_text_atomically(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside
    it, flushed to disk, renamed over it (an interrupted edit of a drafter's
    file leaves the old one, never half of the new)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
