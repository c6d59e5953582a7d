"""The writers' start-up (render/zygote.py, render/forked.py): one process
imports for every writer and forks them; each forked writer is still what
a worker was (abuild's child, a session of its own, its priority, its
memory ceiling, its own standard input and error, its exit status), and a
writer it cannot fork is started as before."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambtsbericht_build.render import zygote
from ambtsbericht_build.render.forked import Forked
from ambtsbericht_build.render.formats import WRITERS, writer_class
from ambtsbericht_build.render.processes import start_writers
from ambtsbericht_build.render.worker import memory_limit
from tests.render.test_worker import inputs  # noqa: F401 - the fixture: a one-paragraph document and its facts

pytestmark = pytest.mark.skipif(not zygote.available(), reason="writers are forked on Linux x86-64 and arm64 only")
PROBE = "tests.render.toy_format:ProbeTextWriter"
CRASH = "tests.render.toy_format:CrashingTextWriter"


def _write(refs: list[str], d: Path) -> tuple[dict[str, Path], dict[str, int], dict[str, str], object]:
    """Start the writers, hand them their paths, wait for each; (outputs, statuses, stderr, zygote)."""
    writers = [writer_class(ref)() for ref in refs]
    outs = {w.name: d / f"out{w.suffix}" for w in writers}
    with start_writers(writers) as procs:
        z = procs.zygote
        procs.hand_over(d / "doc.json", d / "facts.json", outs)
        procs._learn(block=True)  # every writer forked, or started by abuild and given its paths
        codes = {name: p.wait(timeout=120) for name, p in procs.procs.items()}
        errs = {name: p.stderr.read() if p.stderr else "" for name, p in procs.procs.items()}
        kinds = {name: type(p).__name__ for name, p in procs.procs.items()}
    return outs, codes, errs, (z, kinds)


def _state(pid: int) -> str:
    """A process's state letter ("" when gone; "Z": ended, not yet reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def test_a_forked_writer_is_what_a_worker_was(inputs):
    outs, codes, errs, (z, kinds) = _write([PROBE, "html"], inputs)
    assert codes == {"probe-txt": 0, "html": 0}, errs
    assert kinds == {"probe-txt": "Forked", "html": "Forked"}
    assert z is not None and z.ended and z.proc.returncode == 0  # it ended once they ran, and they wrote after
    probe = json.loads(outs["probe-txt"].read_text(encoding="utf-8"))
    assert probe["ppid"] == os.getpid()  # abuild's own child: it waits for it, and its death kills it
    assert probe["pgid"] == probe["sid"] == probe["pid"]  # a session of its own: stopped with what it starts
    assert probe["comm"] == "abuild-w0"  # what the memory ceiling's sentence calls "the ProbeTextWriter writer"
    assert probe["nice"] == min(19, os.nice(0) + 10)  # a writer that yields, as a worker did
    assert probe["data"] == memory_limit()
    assert probe["frozen"]  # the zygote's imports and the writer's own are out of the collector's walks
    assert "Hallo" in outs["html"].read_text(encoding="utf-8")


def test_a_writer_that_crashes_leaves_the_others_alone(inputs):
    outs, codes, errs, (_, kinds) = _write([CRASH, "html", PROBE], inputs)
    assert kinds["crash-txt"] == "Forked"
    assert codes == {"crash-txt": -signal.SIGABRT, "html": 0, "probe-txt": 0}, errs
    assert "Hallo" in outs["html"].read_text(encoding="utf-8")
    assert json.loads(outs["probe-txt"].read_text(encoding="utf-8"))["ppid"] == os.getpid()


def test_an_import_that_starts_a_thread_means_abuild_starts_the_writers_itself(inputs):
    # a fork copies only the forking thread: the zygote forks nothing, and says why
    outs, codes, errs, (z, kinds) = _write(["tests.render.toy_threads:ThreadyTextWriter", "html"], inputs)
    assert codes == {"thready-txt": 0, "html": 0}, errs
    assert kinds == {"thready-txt": "Popen", "html": "Popen"}
    assert z is not None and z.proc.returncode == zygote.NOT_FORKED
    assert "Hallo" in outs["html"].read_text(encoding="utf-8")


def test_off_starts_each_writer_as_a_process_of_its_own(inputs, monkeypatch):
    monkeypatch.setenv(zygote.ZYGOTE_ENV, "off")
    outs, codes, errs, (z, kinds) = _write([PROBE], inputs)
    assert z is None and kinds == {"probe-txt": "Popen"} and codes == {"probe-txt": 0}, errs
    assert json.loads(outs["probe-txt"].read_text(encoding="utf-8"))["comm"] != "abuild-w0"


@pytest.mark.parametrize("after", [0.0, 0.4])
def test_a_render_that_stops_before_the_hand_over_leaves_nothing_running(after):
    """Stopped while the zygote imports (0.0) or after it forked: no writer
    and no zygote runs on, and every child abuild had is reaped."""
    writers = [WRITERS["html"](), WRITERS["docx"]()]
    with start_writers(writers) as procs:
        z = procs.zygote
        assert z is not None
        time.sleep(after)
        children = procs.procs
        started = [p for p in children.values() if isinstance(p, Forked)]
    pids = [z.proc.pid] + [p.pid for p in started if p.pid is not None]
    assert [pid for pid in pids if _state(pid) not in ("", "Z")] == []
    assert all(_state(p.pid) == "" for p in started if p.pid is not None)  # reaped, not left as zombies


_ABUILD = """
import json, sys, time
from ambtsbericht_build.render.formats import WRITERS
from ambtsbericht_build.render.processes import start_writers
with start_writers([WRITERS["html"](), WRITERS["odt"](), WRITERS["docx"]()]) as procs:
    procs._learn(block=True)
    print(json.dumps({"guard": procs.guard.proc.pid, "writers": [p.pid for p in procs.procs.values()]}), flush=True)
    time.sleep(600)
"""


def test_every_writer_dies_with_a_sigkilled_abuild_even_without_its_guard():
    """PR_SET_PDEATHSIG against abuild (not the zygote, which has ended by
    then): with the guard killed first, the kernel alone ends the writers."""
    p = subprocess.Popen([sys.executable, "-c", _ABUILD], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert p.stdout is not None
        said = json.loads(p.stdout.readline())
        writers = said["writers"]
        assert len(writers) == 3 and all(_state(w) not in ("", "Z") for w in writers)
        assert all(int(Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[1]) == p.pid for w in writers)
        os.kill(said["guard"], signal.SIGKILL)
        os.kill(p.pid, signal.SIGKILL)
        end = time.monotonic() + 10
        while any(_state(w) not in ("", "Z") for w in writers) and time.monotonic() < end:
            time.sleep(0.02)
        assert [w for w in writers if _state(w) not in ("", "Z")] == []
    finally:
        p.kill()
        p.wait()


class _Ended:
    """The zygote's process as :meth:`Zygote.learn` sees it: its output, and a wait."""

    def __init__(self, fd: int) -> None:
        self.stdout = open(fd, "rb")  # noqa: SIM115 - closed by the test
        self.returncode = 0

    def wait(self) -> int:
        return 0


@given(
    pids=st.lists(st.integers(min_value=2, max_value=4_194_304), min_size=1, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8),
)
def test_every_announcement_is_read_however_the_pipe_splits_it(pids, cuts):
    """The children's ``INDEX PID`` lines reach abuild in pieces of any size
    (four writers write to one pipe): every pid is learned, in its place."""
    from ambtsbericht_build.render.forked import Zygote

    said = "".join(f"{i} {pid}\n" for i, pid in reversed(list(enumerate(pids)))).encode()
    r, w = os.pipe()
    z = Zygote.__new__(Zygote)
    z.names = [f"w{i}" for i in range(len(pids))]
    z.children = {name: Forked(None, None) for name in z.names}  # type: ignore[arg-type]
    z.ended, z._said, z.proc = False, b"", _Ended(r)  # type: ignore[assignment]
    os.set_blocking(r, False)
    told: list[int] = []
    at = 0
    for cut in sorted(c % (len(said) + 1) for c in cuts) + [len(said)]:
        os.write(w, said[at:cut])
        at = max(at, cut)
        z.learn(block=False, told=told.append)
    os.close(w)
    z.learn(block=True, within=5, told=told.append)
    z.proc.stdout.close()
    assert z.ended
    assert [z.children[name].pid for name in z.names] == pids
    assert sorted(told) == sorted(pids)
