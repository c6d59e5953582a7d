"""The guard of one render: cleans up after an ``abuild render`` that was killed.

``abuild render`` starts this script first (``python -I -S guard.py``, standard
library only: ~20 ms) in a session of its own, so that a signal to abuild's
process group does not reach it, and tells it on standard input, one line each:

``group PID``
    a writer's process group (the writer and the pandoc it runs);
``forget PID``
    that writer has been stopped and reaped (its pid may be reused);
``dir PATH``
    the render's staging directory;
``done``
    the render cleaned up after itself: exit and do nothing.

The end of standard input without ``done`` means ``abuild`` died without
cleaning up (SIGKILL, the OOM killer): the guard kills every process group it
was told of, waits until they are gone (a writer in the middle of a layout
would otherwise finish its file), removes the staging directories and exits.
Without it, a complete but unaudited output could stay in the staging area
until the next render (:func:`.atomic.remove_stale`).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time

GONE_WITHIN = 10.0  # seconds to wait for SIGKILLed groups (a process in uninterruptible I/O takes a moment)


def group_alive(pgid: int) -> bool:
    """Whether any process of group ``pgid`` still runs. A zombie does not
    count (it runs nothing; in a container without an init that reaps,
    orphans stay zombies), so on Linux /proc is read; elsewhere ``killpg(pgid, 0)``."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not os.path.isdir("/proc/self"):
        return True
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] != b"Z":
            return True
    return False


def kill_groups(groups: set[int], within: float = GONE_WITHIN) -> bool:
    """SIGKILL every group and wait until none runs (at most ``within``
    seconds). Returns whether all are gone."""
    for pgid in groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    end = time.monotonic() + within
    alive = set(groups)
    while alive:
        alive = {g for g in alive if group_alive(g)}
        if not alive or time.monotonic() > end:
            break
        time.sleep(0.02)
    return not alive


def main() -> int:
    for sig in (signal.SIGINT, signal.SIGHUP):  # Ctrl-C and a closed terminal are abuild's to handle
        signal.signal(sig, signal.SIG_IGN)
    groups: set[int] = set()
    dirs: list[str] = []
    for line in sys.stdin:
        word, _, arg = line.rstrip("\n").partition(" ")
        if word == "done":
            return 0
        if word == "group" and arg.isdigit():
            groups.add(int(arg))
        elif word == "forget" and arg.isdigit():
            groups.discard(int(arg))
        elif word == "dir" and arg:
            dirs.append(arg)
    kill_groups(groups)
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
