"""Stopping a writer stops its whole process group before ``stop`` returns;
the guard cleans up after a killed ``abuild``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ambtsbericht_build.render import processes


def group_members(pgid: int) -> list[str]:
    """Processes of group ``pgid`` that are not zombies, from /proc."""
    found = []
    for d in Path("/proc").iterdir():
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(d.name)
    return found


def resident(pid: str) -> int:
    """Bytes of ``pid`` in memory (0: gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError):
        return 0


def test_stop_returns_only_when_the_whole_group_is_gone():
    """A writer that runs children (pandoc; here two processes holding 200 MB
    each, which take the kernel a moment to tear down): right after ``_stop``
    nothing of its group runs. Before, ``_stop`` waited for the writer alone
    and its children were still listed in /proc for a moment (the test_faults
    SIGTERM race)."""
    child = f"{sys.executable} -c 'import time; b = bytearray(200_000_000); time.sleep(60)'"
    for _ in range(3):
        p = subprocess.Popen(
            ["sh", "-c", f"{child} & {child} & wait"],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        # the two children have their 200 MB (a fixed 0.5 s did not say so under load)
        while sum(resident(m) >= 190_000_000 for m in group_members(p.pid)) < 2:
            assert time.monotonic() < deadline, "the children never took their 200 MB"
            time.sleep(0.01)
        processes._stop(p)
        assert group_members(p.pid) == []


def test_guard_kills_groups_and_removes_staging_when_its_input_ends(tmp_path):
    staged = tmp_path / "stage"
    staged.mkdir()
    (staged / "leaky.html").write_text("unaudited")
    writer = subprocess.Popen(["sh", "-c", "sleep 60 & wait"], start_new_session=True)
    forgotten = subprocess.Popen(["sleep", "60"], start_new_session=True)
    guard = subprocess.Popen(
        [sys.executable, "-I", "-S", str(processes.GUARD)], stdin=subprocess.PIPE, text=True, start_new_session=True
    )
    assert guard.stdin is not None
    guard.stdin.write(f"group {writer.pid}\ngroup {forgotten.pid}\nforget {forgotten.pid}\ndir {staged}\n")
    guard.stdin.close()  # as if abuild had been killed
    assert guard.wait(timeout=30) == 0
    assert writer.wait(timeout=10) < 0
    assert group_members(writer.pid) == []
    assert not staged.exists()
    assert forgotten.poll() is None  # forgotten: not touched
    forgotten.kill()
    forgotten.wait()


def test_guard_does_nothing_after_done(tmp_path):
    staged = tmp_path / "stage"
    staged.mkdir()
    guard = subprocess.Popen([sys.executable, "-I", "-S", str(processes.GUARD)], stdin=subprocess.PIPE, text=True)
    assert guard.stdin is not None
    guard.stdin.write(f"group {os.getpid()}\ndir {staged}\ndone\n")
    guard.stdin.close()
    assert guard.wait(timeout=30) == 0
    assert staged.exists()
