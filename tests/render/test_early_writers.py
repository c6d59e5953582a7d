"""The writers' zygote started by ``abuild render`` before its own imports
(render/early_writers.py): taken over by the render when it asks for the
same writers, stopped with all it started otherwise, and on any way out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ambtsbericht_build.render import early_writers, zygote
from ambtsbericht_build.render.forked import Forked
from ambtsbericht_build.render.formats import WRITERS, formats
from ambtsbericht_build.render.processes import start_writers
from tests.render.test_zygote import _state, inputs  # noqa: F401 - a fixture

pytestmark = pytest.mark.skipif(not zygote.available(), reason="writers are forked on Linux x86-64 and arm64 only")


def test_the_early_names_are_the_registry_s():
    assert early_writers.BUILT_IN == formats()


@pytest.mark.parametrize(
    ("to", "names"),
    [(None, formats()), ("PDF, html", ("pdf", "html")), ("html,epub", ()), (",", ()), ("", ())],
)
def test_wanted_is_what_to_asks_for_when_every_name_is_built_in(to, names):
    assert early_writers.wanted(to) == names


def _running(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (not ended, not a zombie)."""
    return [pid for pid in pids if _state(pid) not in ("", "Z")]


def test_the_render_takes_the_early_zygote_and_its_writers_write(inputs):  # noqa: F811
    outs = {"html": inputs / "out.html"}
    with early_writers.started_early(("html",)):
        early = early_writers._waiting[-1][1]
        with start_writers([WRITERS["html"]()]) as procs:
            assert procs is early and procs.zygote is not None
            procs.hand_over(inputs / "doc.json", inputs / "facts.json", outs)
            procs._learn(block=True)
            assert {name: type(p).__name__ for name, p in procs.procs.items()} == {"html": "Forked"}
            assert procs.procs["html"].wait(timeout=120) == 0
        assert early_writers._waiting == []
    assert "Hallo" in outs["html"].read_text(encoding="utf-8")


def test_other_writers_than_the_early_ones_are_started_anew_and_the_early_ones_stopped():
    with early_writers.started_early(("html", "docx")):
        early = early_writers._waiting[-1][1]
        assert early.zygote is not None
        early._learn(block=True)
        pids = [early.zygote.proc.pid] + [p.pid for p in early.procs.values() if p.pid is not None]
        with start_writers([WRITERS["docx"](), WRITERS["html"]()]) as procs:  # another order: other writers
            assert procs is not early and procs.zygote is not None
            assert _running(pids) == [] and early.guard.proc is None
    assert _running(pids) == []


def test_leaving_before_the_render_takes_them_stops_them_all():
    with pytest.raises(KeyboardInterrupt), early_writers.started_early(("html", "odt")):
        early = early_writers._waiting[-1][1]
        assert early.zygote is not None
        z = early.zygote.proc.pid
        children = list(early.procs.values())
        raise KeyboardInterrupt  # an interrupt before the render started
    started = [p.pid for p in children if isinstance(p, Forked) and p.pid is not None]
    assert _running([z, *started]) == [] and early.guard.proc is None and early_writers._waiting == []


_RENDER = """
import json, sys
from ambtsbericht_build.render import forked, processes
seen = {}
def init(self, *a, **k):
    seen["pipeline imported"] = "ambtsbericht_build.render.pipeline" in sys.modules
    orig(self, *a, **k)
    seen["zygote"] = self.proc.pid
orig, forked.Zygote.__init__ = forked.Zygote.__init__, init
start = processes.start_writers.__wrapped__
def started(writers):
    gen = start(writers)
    procs = next(gen)
    seen["taken"] = procs.zygote is not None and procs.zygote.proc.pid == seen["zygote"]
    yield procs
    yield from gen
processes.start_writers = processes.contextlib.contextmanager(started)
from ambtsbericht_build.cli import main
try:
    main(["render", "--no-cache", sys.argv[1]], prog_name="abuild")
finally:
    print(json.dumps(seen))
"""


def test_abuild_render_starts_the_zygote_before_its_imports_and_the_render_takes_it(tmp_path: Path):
    """A directory that is no report: the render fails at its load, after it took the writers."""
    (tmp_path / "leeg").mkdir()
    p = subprocess.run(
        [sys.executable, "-c", _RENDER, str(tmp_path / "leeg")], capture_output=True, text=True, timeout=120
    )
    seen = json.loads(p.stdout.strip().splitlines()[-1])
    assert p.returncode == 1 and "abuild render:" in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert seen == {"pipeline imported": False, "zygote": seen["zygote"], "taken": True}
