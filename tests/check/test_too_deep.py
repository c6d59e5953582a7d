"""AB008: a chapter nested too deeply for pandoc is a check finding at its
place, and ``abuild check`` ends in seconds instead of waiting for pandoc.

Before AB008 the check gave each of the first two to pandoc and gave up after
its 30 s per-chapter timeout with an AB006 at 1:1 ("pandoc took longer than
30 s over it"); the limits were only applied by the render. The timeouts
below are hang guards on a loaded two-core machine, not speed figures.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ambtsbericht_build.load.limits import limits_of
from tests.fixtures.report_kit import CHAPTER

HEAD = '# Politiek {#h-politiek}\n\n## Verkiezingen {#sec-verkiezingen tor="1.1"}\n\n'
LINE = HEAD.count("\n") + 1  # the line the hostile text starts on

HOSTILE = {
    # (text, column of the finding, words of the message)
    "20 nested [": ("[" * 20 + " Tekst.[@hrw-2025]\n", 9, "square brackets are nested more than 8 deep"),
    "10,000 nested >": (">" * 10_000 + " Tekst.[@hrw-2025]\n", 10_002, "nested 10000 deep"),
    "200 KB of <!--": ("<!--" * 50_000 + "\n", 1, "50,000 HTML comments (<!--) are never closed"),
}


def test_check_reports_each_hostile_nesting_as_ab008_at_its_place(report):
    for name, (text, column, words) in HOSTILE.items():
        report.chapter(HEAD + text)
        proc = report.cli("check", report.rel, timeout=120)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, (name, out[-2000:])
        assert "Traceback" not in out, out[-2000:]
        found = re.findall(rf"{re.escape(CHAPTER)}:(\d+):(\d+): AB008 error: (.*)", out)
        assert [(int(line), int(col)) for line, col, _ in found] == [(LINE, column)], (name, out[-2000:])
        assert words in found[0][2], found
        assert "AB006" not in out, out  # pandoc was not asked: no "cannot read this chapter as pandoc does"


def test_within_the_limits_no_ab008(report):
    report.chapter(HEAD + "[" * 8 + "Tekst" + "]" * 8 + ".[@hrw-2025]\n\n" + "> " * 50 + "Citaat.[@hrw-2025]\n")
    assert "AB008" not in report.codes()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="[]>*_ `<!-:\\\n-1.aw\t", max_size=400))
def test_every_finding_is_a_place_in_the_text(text):
    """Any text: the scan ends, and each finding names a line of the text and
    a column on it (at most one past its end), once per kind."""
    lines = text.splitlines() or [""]
    found = limits_of(text)
    assert len(found) <= 4
    for line, column, message in found:
        assert 1 <= line <= len(lines), (line, text)
        assert 1 <= column <= len(lines[line - 1]) + 1, (line, column, text)
        assert message and "\n" not in message
