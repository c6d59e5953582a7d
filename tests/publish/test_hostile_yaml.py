"""YAML is loaded safely: an alias bomb or a deeply nested document is
refused quickly and with bounded memory, through ``abuild render``."""

from __future__ import annotations

import os
import resource
import subprocess
import time
import tracemalloc

import pytest

from ambtsbericht_build.load.yamlpos import YamlError, load_yaml

from .conftest import abuild_cmd, make_leaky_repo

BOMB = (
    "\n".join(
        ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        + [f"{c}: &{c} [{', '.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=False)]
    )
    + "\n"
)
DEEP_FLOW = "x: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "".join(f"{'  ' * i}k{i}:\n" for i in range(300)) + "  " * 300 + "v\n"
TAGGED = "title: !!python/object/apply:os.system ['echo gehackt']\n"

MEMORY = 1536 * 1024 * 1024


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.mark.parametrize(
    "name, text", [("bomb", BOMB), ("deep-flow", DEEP_FLOW), ("deep-block", DEEP_BLOCK), ("python-tag", TAGGED)]
)
@pytest.mark.parametrize("file", ["report.yaml", "tor.yaml"])
def test_render_refuses_hostile_yaml_quickly(tmp_path, name, text, file):
    report = make_leaky_repo(tmp_path, real_git=False, cli=True)
    (report / file).write_text(text, encoding="utf-8")
    t = time.monotonic()
    proc = subprocess.run(
        [*abuild_cmd(), "render", str(report), "--out", str(tmp_path / "out"), "--to", "html"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    took = time.monotonic() - t
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert f"{file}:" in proc.stderr and "AB001" in proc.stderr, proc.stderr
    assert took < 30
    if file == "report.yaml":  # nothing to render without it
        assert proc.returncode == 1, proc.stderr
        assert "cannot be rendered" in proc.stderr
        assert not (tmp_path / "out" / "leaky.html").exists()
    else:  # a concept renders without its ToR annex; the finding is printed
        assert proc.returncode == 0, proc.stderr
    assert not os.path.exists("gehackt")


def test_render_refuses_a_bomb_in_the_sources_without_expanding_it(tmp_path):
    """A bombed source file is never expanded; it cannot be read, so abuild
    cannot tell which sources are confidential, and no render goes ahead,
    whatever the status (publication-safety.md G14)."""
    report = make_leaky_repo(tmp_path, real_git=False, cli=True)
    (report / "sources.yaml").write_text(BOMB, encoding="utf-8")
    t = time.monotonic()
    proc = subprocess.run(
        [*abuild_cmd(), "render", str(report), "--out", str(tmp_path / "out"), "--to", "html"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert time.monotonic() - t < 120
    assert "alias bomb" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr
    assert "cannot tell which sources are confidential" in proc.stderr
    assert not (tmp_path / "out" / "leaky.html").exists()


@pytest.mark.parametrize("text", [BOMB, DEEP_FLOW, DEEP_BLOCK])
def test_loader_memory_is_bounded(text):
    tracemalloc.start()
    t = time.monotonic()
    try:
        with pytest.raises(YamlError):
            load_yaml(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024
    # a guard against a hang or an exponential blow-up, not a speed target
    # (tracemalloc slows the loader: 3.5 s alone, 11 s beside a parallel test run)
    assert time.monotonic() - t < 60
