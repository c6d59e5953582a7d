"""OLD's process forked from abuild's (diff/side_fork.py): it serves on its
two pipes as the spawned process did on its standard input and output,
says a failure on the standard error abuild reads, runs in a session of its
own, and ends through os._exit whatever happens (nothing of the parent's
runs in it)."""

from __future__ import annotations

import os
import threading
import time

from ambtsbericht_build import tools
from ambtsbericht_build.diff.side_fork import fork_side, forks
from ambtsbericht_build.diff.sides import _stop


def test_the_child_serves_on_its_pipes(tmp_path):
    err = tmp_path / "err"

    def serve(stdin, stdout):
        for line in stdin:
            stdout.write(b"got " + line)
            stdout.flush()
        print("a library's line")  # into the pipe, as in a spawned process; never into abuild's output
        stdout.write(f"session {os.getsid(0) == os.getpid()}\n".encode())
        stdout.write(f"marker {os.environ.get(tools.MARKER)}\n".encode())
        return 3

    child = fork_side(err, serve)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(b"build x\n")
        child.stdin.flush()
        assert child.stdout.readline() == b"got build x\n"
        child.stdin.close()
        marker = os.environ.get(tools.MARKER, str(os.getpid())).encode()
        assert sorted(child.stdout.read().splitlines()) == [b"a library's line", b"marker " + marker, b"session True"]
        assert child.wait() == 3
    finally:
        _stop(child)
    assert child.returncode == 3


def test_a_failure_is_said_on_standard_error(tmp_path):
    err = tmp_path / "err"

    def serve(stdin, stdout):
        raise ValueError("the export is unreadable")

    child = fork_side(err, serve)
    try:
        assert child.wait() == 1
    finally:
        _stop(child)
    said = err.read_text(encoding="utf-8").strip().splitlines()
    assert said[-1] == "ValueError: the export is unreadable"


def test_stopped_while_it_waits(tmp_path):
    """abuild leaving before OLD's result (a refusal, an interrupt) stops it."""

    def serve(stdin, stdout):
        time.sleep(60)
        return 0

    child = fork_side(tmp_path / "err", serve)
    _stop(child)
    assert child.returncode == -9  # SIGKILL
    assert child.poll() == child.returncode


def test_not_forked_beside_another_thread():
    """A fork beside another thread could leave a lock it held held in the
    child: abuild then spawns OLD's process as before."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forks()
    finally:
        stop.set()
        other.join()
