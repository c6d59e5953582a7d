"""Bounded work on hostile input: deep nesting, unclosed comments and many
notes end in seconds with a diagnostic, never a ``RecursionError`` or an
hour of pandoc.

Measured before the limits (pandoc 3.9, two loaded cores): 10,000 nested
``>`` took ``abuild render`` 86 s and ended in a ``RecursionError`` (Python's
``json`` reading pandoc's output); 30 nested ``[`` and 200 KB of ``<!--`` kept
pandoc busy for more than four minutes; 2,000 nested ``:::`` divs and 1,000
levels of nested emphasis were a ``RecursionError``. ``abuild check`` itself
(the lexer, analyse/) took at most 3 s on each.

The time bounds are hang guards on a loaded two-core machine, not speed
figures (those are in ``benchmarks/run.py --notes-only``).
"""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from ambtsbericht_build.load.limits import MAX_BLOCKS, MAX_BRACKETS, MAX_EMPHASIS, limits
from tests.fixtures.report_kit import ABUILD, ROOT, ReportDir

HEAD = '# Politiek {#h-politiek}\n\n## Verkiezingen {#sec-verkiezingen tor="1.1"}\n\n'
LINE = HEAD.count("\n") + 1  # the line the hostile text starts on


def nested_emphasis(n: int) -> str:
    marks = "*_"
    return (
        " ".join(marks[i % 2] + "w" for i in range(n))
        + " x "
        + " ".join("w" + marks[i % 2] for i in reversed(range(n)))
        + "[@hrw-2025]\n"
    )


HOSTILE = {
    "block quotes": ">" * 10_000 + " Tekst.[@hrw-2025]\n",
    "divs": "".join(":" * (3 + i) + " d\n" for i in range(2_000)) + "Tekst.[@hrw-2025]\n",
    "lists": "".join("  " * i + "- a\n" for i in range(300)),
    "brackets": "[" * 30 + " Tekst.[@hrw-2025]\n",
    "emphasis": nested_emphasis(1_000),
    "comments": "<!--" * 50_000 + "\n",  # 200 KB
}


def run(rd: ReportDir, *args: str, bound: float) -> tuple[subprocess.CompletedProcess, float]:
    t = time.monotonic()
    proc = rd.cli(*args, timeout=bound)
    return proc, time.monotonic() - t


@pytest.mark.parametrize("kind", HOSTILE)
def test_render_refuses_hostile_nesting_with_a_diagnostic(report, kind):
    report.chapter(HEAD + HOSTILE[kind])
    proc, _ = run(report, "render", report.rel, "--to", "html", bound=180)
    err = proc.stderr
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "RecursionError" not in err, err[-2000:]
    [where] = re.findall(r"chapters/02-politiek\.md:(\d+):\d+: ", err)
    assert LINE <= int(where) <= LINE + MAX_BLOCKS, err[-2000:]
    assert "nested" in err or "never closed" in err, err[-2000:]
    assert not (report.root / "build" / "testland" / "testland.html").exists()


@pytest.mark.parametrize("kind", HOSTILE)
def test_check_of_hostile_input_ends_with_diagnostics(report, kind):
    report.chapter(HEAD + HOSTILE[kind])
    proc, _ = run(report, "check", report.rel, bound=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]


class TestLimits:
    def test_real_reports_are_within_the_limits(self):
        files = sorted(ROOT.glob("reports/*/chapters/*.md")) + sorted(ROOT.glob("tests/fixtures/**/*.md"))
        assert files
        for f in files:
            assert limits(f.read_text(encoding="utf-8")) == [], f

    def test_each_limit_is_reported_once_where_it_is_exceeded(self):
        assert limits(">" * MAX_BLOCKS + " x") == []
        [(line, _, msg)] = limits("a\n\n" + ">" * (MAX_BLOCKS + 1) + " x\n" + ">" * 500 + " y\n")
        assert line == 3 and f"{MAX_BLOCKS + 1} deep" in msg
        assert limits("[" * MAX_BRACKETS + "x" + "]" * MAX_BRACKETS) == []
        [(line, column, _)] = limits("a\n" + "[" * (MAX_BRACKETS + 5))
        assert (line, column) == (2, MAX_BRACKETS + 1)
        assert limits(nested_emphasis(MAX_EMPHASIS)) == []
        assert len(limits(nested_emphasis(MAX_EMPHASIS + 1))) == 1
        assert len(limits("<!--" * 21)) == 1 and limits("<!--" * 20) == []

    def test_brackets_and_emphasis_count_per_paragraph_outside_code(self):
        many = "Zie [a](#x), [b](#y) en *c* _d_ **e**.[@k]\n" * 500
        assert limits(many) == []
        assert limits("```\n" + "[" * 100 + "\n```\n") == []
        assert limits("`" + "[" * 100 + "`") == []
        assert limits("\\[" * 100) == []
        assert limits(("[" * 5 + "\n\n") * 10) == []  # unclosed, but in ten paragraphs

    def test_a_linear_scan(self):
        """5 MB (the file-size limit) of the worst cases, each in well under
        the time pandoc would take on a fraction of it."""
        for text in ("[" * 5_000_000, ">" * 5_000_000, "*a " * 1_600_000, "<!--" * 1_250_000):
            t = time.monotonic()
            limits(text)
            assert time.monotonic() - t < 30


def test_check_of_20000_notes_ends(tmp_path):
    """A chapter with 20,000 notes: ``abuild check`` ends without a finding
    about the notes (hang guard: 5 minutes; measured 100,000 notes are in
    docs/render.md and ``benchmarks/run.py --notes-only``)."""
    from benchmarks.run import make_notes_report

    report = make_notes_report(tmp_path / "repo", 20_000)
    proc = subprocess.run(
        [str(ABUILD), "check", str(report)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path / "repo",
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-2000:]
