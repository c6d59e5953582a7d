"""``abuild check`` ends at once when its output is written (cli._Program):
the same output and exit status, without Python freeing the loaded report
and every module first (70-100 ms of the benchmark report's check, issue #9).
Other commands end as Python ends."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.fixtures.report_kit import make_report

# an atexit handler stands for Python's own exit: it runs when Python ends normally
PROGRAM = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("python-exit\\n"))
from ambtsbericht_build.cli import main
main(prog_name="abuild")
"""


def abuild(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROGRAM, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_check_ends_at_once_with_its_output_and_status(tmp_path):
    r = make_report(tmp_path)
    clean = abuild("check", str(r.dir), cwd=r.root)
    assert (clean.returncode, clean.stdout) == (0, "no findings\n")
    assert "python-exit" not in clean.stderr
    r.write("chapters/02-politiek.md", '## Zonder bron {tor="9.9"}\n\nEen bewering.\n')
    found = abuild("check", "--format", "json", str(r.dir), cwd=r.root)
    assert found.returncode == 1 and "python-exit" not in found.stderr
    assert json.loads(found.stdout)["summary"]["errors"] >= 1  # the whole JSON, flushed


def test_a_usage_error_and_other_commands_end_as_python_does(tmp_path):
    r = make_report(tmp_path)
    usage = abuild("check", "--format", "xml", str(r.dir), cwd=r.root)
    assert usage.returncode == 2 and "python-exit" in usage.stderr
    rules = abuild("rules", cwd=r.root)
    assert rules.returncode == 0 and "AB302" in rules.stdout and "python-exit" in rules.stderr
