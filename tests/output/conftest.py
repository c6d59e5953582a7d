"""Fixtures for the output tests: the reports in data/, copied into tmp."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def copy_report(name: str, root: Path, as_name: str | None = None) -> Path:
    """Copy data/<name> to <root>/reports/<as_name or name> and return it."""
    target = root / "reports" / (as_name or name)
    shutil.copytree(DATA / name, target)
    return target


def run_abuild(*args: str, cwd: Path, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """Run the real command line in a child process (stdout and stderr are pipes)."""
    return subprocess.run(
        [sys.executable, "-c", "from ambtsbericht_build.cli import main; main(prog_name='abuild')", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """A temporary directory that is also the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def bad_report(workdir) -> Path:
    return copy_report("bad", workdir)


@pytest.fixture
def good_report(workdir) -> Path:
    return copy_report("good", workdir)


@pytest.fixture
def abuild():
    """``abuild(*args, cwd=..., env=...)``: the real command line in a child process."""
    return run_abuild


@pytest.fixture
def fixture_report(workdir):
    """``fixture_report(name, as_name=None)``: copy data/<name> into the work directory."""
    return lambda name, as_name=None: copy_report(name, workdir, as_name)


@pytest.fixture
def findings():
    """``findings(*report_dirs)``: the Diagnostics of an in-process check, to compare
    an output format with (the outputs are tested here, not the rules)."""
    from ambtsbericht_build.commands.check import check_reports

    return lambda *dirs: check_reports([Path(d) for d in dirs])
