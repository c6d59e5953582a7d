"""The memory ceiling of a whole render (render/memory.py): over it, the
render stops with one sentence, before the OOM killer would, and leaves no
output, no staging directory and no process behind."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ambtsbericht_build.render import memory as M
from ambtsbericht_build.render.atomic import interrupts_fail_the_render
from ambtsbericht_build.render.errors import RenderFailed
from ambtsbericht_build.render.formats import WRITERS, register
from ambtsbericht_build.render.pipeline import RenderOptions, render_report
from ambtsbericht_build.render.worker import parse_size
from tests.render.conftest import make_mini_report
from tests.render.test_render_faults import _marked, _running
from tests.render.toy_format import GreedyTextWriter

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="the watchdog reads /proc (Linux)")
MiB = 1024**2


def _tree_now() -> int:
    return sum(M.tree(os.getpid()).values())


@pytest.fixture()
def greedy():
    register(GreedyTextWriter)
    try:
        yield
    finally:
        WRITERS.pop(GreedyTextWriter.name, None)


def test_a_render_over_its_ceiling_stops_with_one_sentence_and_leaves_nothing(greedy, tmp_path, monkeypatch):
    """A writer takes 2 GB (within its own 3 GiB ceiling) under a render
    ceiling 700 MB above what the test process and its children hold now:
    the render fails with the sentence naming that writer, the previous
    output stays as it was, nothing is staged or running any more. Before
    the ceiling, the render wrote the file and succeeded."""
    report = make_mini_report(tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "testland.greedy.txt"
    previous.write_text("vorige versie\n", encoding="utf-8")
    ceiling = _tree_now() + 700 * MiB
    monkeypatch.setenv(M.RENDER_MEMORY_ENV, f"{ceiling // MiB}M")
    started = time.monotonic()
    with pytest.raises(RenderFailed) as exc:
        render_report(report, RenderOptions(formats=("greedy-txt",), out_dir=out))
    said = str(exc.value)
    assert said.startswith(f"the render needed more than {M.describe_limit(ceiling // MiB * MiB)} of memory ("), said
    assert "the GreedyTextWriter writer" in said and "previous outputs were left as they were" in said, said
    assert f"{M.RENDER_MEMORY_ENV}=" in said and "Traceback" not in said
    assert time.monotonic() - started < 300  # a bound against a hang, not a timing: the machine may be loaded
    assert sorted(p.name for p in out.iterdir()) == ["testland.greedy.txt"]
    assert previous.read_text(encoding="utf-8") == "vorige versie\n"
    staging = out.parent / ".abuild-staging"
    assert not staging.exists() or [p.name for p in staging.iterdir() if p.is_dir()] == []
    assert _running(_marked(os.getpid())) == set()


def test_the_command_line_says_it_in_one_line_and_exits_non_zero(tmp_path):
    """``abuild render`` under a ceiling below what its writers need to start:
    exit status 1, the sentence, no traceback, no output directory."""
    report = make_mini_report(tmp_path / "repo")
    env = {k: v for k, v in os.environ.items() if k != "ABUILD_RENDER_PID"}
    env[M.RENDER_MEMORY_ENV] = "120M"
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parents[2]), env.get("PYTHONPATH", "")])
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "ambtsbericht_build", "render", str(report), "--to", "html,pdf", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "the render needed more than 120 MiB of memory" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not out.exists() or list(out.iterdir()) == []


def test_abuild_itself_is_stopped_in_the_middle_of_its_own_work():
    """The main thread, busy in Python (a document build that keeps taking
    memory), is stopped by the watchdog: RenderFailed, not the OOM killer."""
    ceiling = _tree_now() + 300 * MiB
    held = []
    started = time.monotonic()
    with pytest.raises(RenderFailed, match="the render needed more than .* abuild "):
        with interrupts_fail_the_render(), M.memory_ceiling(ceiling=ceiling):
            while time.monotonic() - started < 60:
                held.append(b"x" * 16_000_000)
                time.sleep(0.01)
    assert len(held) * 16_000_000 < 900 * MiB  # stopped near the ceiling, not at the end of the loop
    held.clear()


def test_no_ceiling_leaves_a_render_alone():
    with M.memory_ceiling(ceiling=0) as watch:
        time.sleep(0.3)
    assert watch.message == "" and threading.active_count() >= 1


@given(st.integers(min_value=1, max_value=2**40), st.sampled_from(["", "K", "M", "G", "KiB", "MiB", "GiB", "gb"]))
def test_sizes_read_as_written(n, unit):
    factor = {"": 1, "K": 1024, "M": MiB, "G": 1024**3}[unit[:1].upper()]
    assert parse_size(f"{n}{unit}", 7) == n * factor
    assert parse_size(f" {n}{unit} ", 7) == n * factor


@pytest.mark.parametrize("text", ["", "veel", "-1G", "0.0", "G"])
def test_an_unreadable_size_is_the_default(text):
    assert parse_size(text, 7) == 7


@pytest.mark.parametrize("text", ["0", "off", "OFF", "none", "unlimited"])
def test_off_is_no_ceiling(text):
    assert parse_size(text, 7) == 0
    assert M.render_ceiling(text) == 0


def test_the_default_is_six_gib_or_three_quarters_of_the_machine():
    total = M.machine_memory()
    assert M.render_ceiling("") == (min(6 * 1024**3, total * 3 // 4) if total else 6 * 1024**3)
